/*
 * scan.c - apply a display filter to the index a slice at a time.
 *
 * A scan is a second run of the session's decoders (cap_pipe_new: a
 * fresh fragment table, flow table and records, the frames read back by
 * offset), with capture/filter.c asked about every frame; matches are
 * appended to the model as they are found, so the list fills while the
 * scan runs and a live capture keeps being filtered as it grows.  The
 * fields are looked up in the frame's protocol tree, built as `sniff -Y`
 * builds it (capture/frame_tree.c), but only the layers the filter names
 * and without labels.  The messages that match are counted for the
 * statistics window, as `sniff --stats -Y` counts them.
 */
#include <string.h>

#include "scan.h"

static void
scan_on_frame(void *ctx, uint32_t no)
{
	struct tui_scan *sc = ctx;

	(void)no;
	frame_tree_start(&sc->ft);
}

static void
scan_on_message(void *ctx, const struct http_view *v)
{
	struct tui_scan *sc = ctx;
	struct frame_view fv;

	if (!sc->app_nodes) {
		/* the filter names no app field: none are built */
	} else if (v->r && v->r->h2_stream) {
		/* HTTP/2: its frames' nodes are its fields */
		sc->ft.msg_lo = 0;
		sc->ft.msg_hi = sc->ft.app.n;
	} else {
		frame_tree_message(&sc->ft, &sc->ix->ss, v, &sc->rs,
				   &sc->ix->ss.cap, true);
	}
	frame_tree_view(&fv, &sc->ix->ss, sc->pp);
	/* the statistics window counts what `sniff --stats -Y` would; a
	 * response's request head is in the index's records (this run's
	 * ring keeps no heads), numbered alike: the same decoders over the
	 * same frames in the same order */
	if (frame_tree_match_msg(&sc->ft, sc->f, &fv))
		stats_message(&sc->st, v, &sc->ix->ss.rs, &sc->ix->ss.cap);
}

static void
scan_on_tls(void *ctx, const struct flow *f, const struct tls_record *r,
	    const struct tls_session *ts)
{
	struct tui_scan *sc = ctx;

	if (sc->app_nodes)
		frame_tree_tls(&sc->ft, sc->pp, f, r, ts);
}

static void
scan_on_ws(void *ctx, const struct flow *f, int dir,
	   const struct ws_frame *wf)
{
	struct tui_scan *sc = ctx;

	(void)f;
	(void)dir;
	if (sc->app_nodes)
		frame_tree_ws(&sc->ft, wf, true);
}

static void
scan_on_h2(void *ctx, const struct flow *f, int dir,
	   const struct h2_frame *hf)
{
	struct tui_scan *sc = ctx;

	(void)f;
	(void)dir;
	if (sc->app_nodes)
		frame_tree_h2(&sc->ft, hf, true);
}

static const struct cap_session_hooks scan_hooks = {
	.frame = scan_on_frame, .message = scan_on_message,
	.tls_record = scan_on_tls, .ws_frame = scan_on_ws,
	.h2_frame = scan_on_h2,
};

int
tui_scan_start(struct tui_scan *sc, struct tui_index *ix, struct filter *f)
{
	memset(sc, 0, sizeof(*sc));
	sc->ix = ix;
	sc->f = f;
	sc->next = 1;
	/* only what the filter reads: the layers it names (frame_tree.c),
	 * app nodes if it asks about them, labels if frame.protocols */
	sc->app_nodes = frame_tree_app_needed(f);
	sc->ft.nolabels = !frame_tree_labels_needed(f);
	rec_init(&sc->rs, false);
	/* only recent requests matter here (http.time): memory stays flat */
	rec_set_ring(&sc->rs, 1u << 16);
	sc->pp = cap_pipe_new(&ix->ss, &sc->rs, frame_tree_needs_bodies(f) ?
			      1u << 20 : 0, &scan_hooks, sc, CAP_NO_STREAM);
	tui_index_stats_init(ix, &sc->st);
	sc->active = sc->pp != NULL;
	return sc->pp ? 0 : -1;
}

void
tui_scan_free(struct tui_scan *sc)
{
	cap_pipe_free(sc->pp);
	rec_free(&sc->rs);
	if (!sc->borrowed)
		filter_free(sc->f);
	frame_tree_free(&sc->ft);
	stats_free(&sc->st);
	memset(sc, 0, sizeof(*sc));
}

size_t
tui_scan_step(struct tui_scan *sc, struct tui_model *m, size_t max)
{
	struct tui_index *ix = sc->ix;
	struct frame_view fv;
	size_t n = 0;

	if (!sc->active)
		return 0;
	while (n < max && sc->next <= tui_index_frames(ix)) {
		uint32_t no = sc->next++;

		n++;
		if (cap_pipe_feed(sc->pp, no) < 0)
			continue;
		frame_tree_view(&fv, &ix->ss, sc->pp);
		if (frame_tree_match(&sc->ft, sc->f, &fv))
			tui_filter_add(m, no);
	}
	return n;
}

bool
tui_scan_finished(const struct tui_scan *sc)
{
	return !sc->active || (sc->ix->done &&
			       sc->next > tui_index_frames(sc->ix));
}
