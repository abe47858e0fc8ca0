/*
 * scan.c - apply a display filter to the index a slice at a time.
 *
 * A scan is the sniffer's decode pass again (fresh flow table, fresh
 * records, the frames read back by offset), with capture/filter.c asked
 * about every frame; matches are appended to the model as they are
 * found, so the list fills while the scan runs and a live capture keeps
 * being filtered as it grows.  The fields are looked up in the same
 * frame facts (capture/frame_facts.c) that `sniff -Y` uses.
 */
#include <string.h>

#include "scan.h"

static void
scan_on_message(void *ctx, const struct http_view *v)
{
	struct tui_scan *sc = ctx;

	frame_facts_add(&sc->facts, v, &sc->rs, &sc->ix->cap);
}

static const struct dissect_cb scan_cb = { .on_message = scan_on_message };

int
tui_scan_start(struct tui_scan *sc, struct tui_index *ix, struct filter *f)
{
	struct reasm_limits lim = { REASM_FLOW_MEM_DEFAULT,
				    REASM_TOTAL_MEM_DEFAULT };

	memset(sc, 0, sizeof(*sc));
	sc->ix = ix;
	sc->f = f;
	sc->next = 1;
	rec_init(&sc->rs, false);
	/* only recent requests matter here (http.time): memory stays flat */
	rec_set_ring(&sc->rs, 1u << 16);
	dissect_init(&sc->ds, &sc->rs, &scan_cb, sc, 0);
	sc->ra = reasm_new(&lim, &dissect_reasm_cb, &sc->ds);
	sc->active = sc->ra != NULL;
	return sc->ra ? 0 : -1;
}

void
tui_scan_free(struct tui_scan *sc)
{
	reasm_free(sc->ra);
	rec_free(&sc->rs);
	filter_free(sc->f);
	frame_facts_free(&sc->facts);
	memset(sc, 0, sizeof(*sc));
}

size_t
tui_scan_step(struct tui_scan *sc, struct tui_model *m, size_t max)
{
	struct tui_index *ix = sc->ix;
	size_t n = 0;

	if (!sc->active)
		return 0;
	while (n < max && sc->next <= ix->nrows) {
		sc->no = sc->next++;
		n++;
		if (!tui_index_frame(ix, sc->no, &sc->pk))
			continue;
		frame_facts_start(&sc->facts, sc->no, &sc->pk, &sc->ri);
		dissect_frame_start(&sc->ds);
		reasm_packet(sc->ra, &sc->pk, sc->no, &sc->ri);
		if (filter_match(sc->f, frame_facts_lookup, &sc->facts))
			tui_filter_add(m, sc->no);
	}
	return n;
}

bool
tui_scan_finished(const struct tui_scan *sc)
{
	return !sc->active || (sc->ix->done && sc->next > sc->ix->nrows);
}
