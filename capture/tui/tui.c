/*
 * tui.c - the TUI's loop: open the capture, then alternate between keys,
 * a slice of background work (indexing the file, or filtering it) and a
 * redraw, so the first screen appears after the first few thousand
 * frames and the rest is indexed while the user looks at it.  Live: the
 * pcap fd is polled beside stdin and new frames are appended without
 * moving the selection.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "tui_impl.h"

#define SLICE_FRAMES 4096	/* per step, then check the clock */
#define SLICE_MS 80		/* background work between two looks at keys */
#define DRAW_MS 100		/* live: at most ten redraws a second */

static volatile sig_atomic_t tui_stop;

static void
on_term(int sig)
{
	(void)sig;
	tui_stop = 1;
}

void
tui_sync(struct tui *t)
{
	uint32_t no = tui_selected(&t->m);

	if (no == t->m.tree_frame && t->m.tree.n)
		return;
	t->m.tree_frame = no;
	t->m.hex_top = 0;
	buf_reset(&t->bytes);
	t->m.tree.n = 0;
	if (no && tui_index_detail(&t->ix, no, &t->m.tree, &t->bytes) < 0)
		snprintf(t->m.status, sizeof(t->m.status),
			 "cannot read frame %u back", no);
}

void
tui_apply_compiled(struct tui *t, const char *text, const struct filter *f)
{
	tui_scan_free(&t->sc);
	tui_filter_begin(&t->m, text);
	if (tui_scan_start(&t->sc, &t->ix, (struct filter *)f) < 0)
		snprintf(t->m.status, sizeof(t->m.status), "out of memory");
	t->sc.borrowed = true;	/* the caller's (cli/) */
}

void
tui_apply_filter(struct tui *t, const char *text)
{
	struct filter_error err;
	struct filter *f;

	tui_scan_free(&t->sc);
	if (!text || !*text) {
		tui_filter_clear(&t->m);
		tui_sync(t);
		return;
	}
	f = filter_compile(text, &err);
	if (!f) {
		snprintf(t->m.status, sizeof(t->m.status), "%s", err.msg);
		return;
	}
	tui_filter_begin(&t->m, text);
	if (tui_scan_start(&t->sc, &t->ix, f) < 0)
		snprintf(t->m.status, sizeof(t->m.status), "out of memory");
}

#define STILL "(still filtering: s again for the rest)"

void
tui_open_text(struct tui *t, enum tui_text_kind k)
{
	uint32_t no = tui_selected(&t->m);
	uint32_t st = tui_index_stream(&t->ix, no);

	switch (k) {
	case TUI_T_FOLLOW:
		if (st == TUI_NO_STREAM) {
			snprintf(t->m.status, sizeof(t->m.status),
				 "the selected frame is not TCP");
			return;
		}
		t->follow_stream = st;
		tui_index_follow(&t->ix, st, t->follow_mode, &t->m.tv);
		break;
	case TUI_T_STATS:
		/* with a display filter: only the messages it keeps */
		if (t->m.filtered && t->sc.active)
			tui_index_stats(&t->ix, &t->sc.st, &t->m, &t->m.tv);
		else
			tui_index_stats(&t->ix, &t->ix.st, &t->m, &t->m.tv);
		if (t->m.filtered && !tui_scan_finished(&t->sc))
			tui_text_add(&t->m.tv, TUI_K_TITLE, STILL,
				     strlen(STILL));
		break;
	case TUI_T_FLOWS:
		t->flow_max = t->ix.ss.rs.n + 2;
		free(t->flow_frames);
		t->flow_frames = calloc(t->flow_max + 1, sizeof(uint32_t));
		tui_index_flows(&t->ix, &t->m.tv, t->flow_frames, t->flow_max);
		t->flow_sel = t->flow_first = t->m.tv.n > 1 ? 1 : 0;
		break;
	case TUI_T_LADDER:
		if (tui_window_ladder(t) < 0)
			return;
		t->flow_first = t->flow_sel;
		break;
	case TUI_T_EXPERT:
		if (tui_window_expert(t) < 0)
			return;
		break;
	case TUI_T_IOGRAPH:
		tui_window_iograph(t);
		break;
	case TUI_T_ENDPOINTS:
		if (tui_window_endpoints(t) < 0)
			return;
		break;
	case TUI_T_CONVS:
		if (tui_window_convs(t) < 0)
			return;
		break;
	default:
		break;
	}
	t->text = k;
	t->m.view = TUI_VIEW_TEXT;
	t->m.hscroll = 0;
}

void
tui_save(struct tui *t)
{
	const struct sniff_proc *p = t->o->proc;
	const char *why = "";
	size_t n;
	int fd;

	if (!t->plen) {
		snprintf(t->m.status, sizeof(t->m.status), "not saved: no file "
			 "name");
		return;
	}
	if (p && p->create)
		fd = p->create(p->ctx, t->pbuf);
	else if ((fd = open(t->pbuf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			    0644)) < 0)
		fd = -errno;
	if (fd < 0) {
		if (t->dropped && (fd == -EACCES || fd == -EPERM))
			why = " (root was given up: save in the start directory)";
		else if (t->dropped && fd == -EEXIST)
			why = " (root was given up: only new files can be made)";
		snprintf(t->m.status, sizeof(t->m.status), "cannot write "
			 "'%.60s': %s%s", t->pbuf, strerror(-fd), why);
		return;
	}
	if (tui_index_save(&t->ix, fd, &t->m, t->save_which, t->range_lo,
			   t->range_hi, &n) < 0)
		snprintf(t->m.status, sizeof(t->m.status), "cannot write "
			 "'%.60s': %.80s", t->pbuf, t->ix.err);
	else
		snprintf(t->m.status, sizeof(t->m.status),
			 "saved %zu packets to '%.100s'", n, t->pbuf);
}

/* A slice of indexing and filtering; true when work remains. */
static bool
background(struct tui *t, double budget_ms)
{
	double end = (1e3 * clock_now()) + budget_ms;
	size_t before = t->m.nframes;

	do {
		if (!t->live && !t->ix.done)
			tui_index_step(&t->ix, SLICE_FRAMES);
		if (t->sc.active && !tui_scan_finished(&t->sc))
			tui_scan_step(&t->sc, &t->m, SLICE_FRAMES);
	} while ((1e3 * clock_now()) < end && ((!t->live && !t->ix.done) ||
		 (t->sc.active && !tui_scan_finished(&t->sc) &&
		  t->sc.next <= tui_index_frames(&t->ix))));
	tui_set_frames(&t->m, tui_index_frames(&t->ix));
	if (t->at_end)
		tui_end(&t->m);
	if (t->m.nframes != before || t->sc.active)
		t->dirty = true;
	return (!t->live && !t->ix.done) ||
	       (t->sc.active && !tui_scan_finished(&t->sc) &&
		t->sc.next <= tui_index_frames(&t->ix));
}

static void
loop(struct tui *t)
{
	struct pollfd pfd[2] = { { .fd = t->keys_fd, .events = POLLIN },
				 { .fd = -1, .events = POLLIN } };
	bool busy = true, was_busy = true, keyed = true;
	double last_draw = 0;
	int key, y, x, button;

	if (t->live)
		pfd[1].fd = pcap_dl.get_selectable_fd(t->ix.ss.cap.pc);
	/* the first screen: a small slice, then draw at once */
	if (!t->live)
		tui_index_step(&t->ix, 2000);
	tui_set_frames(&t->m, tui_index_frames(&t->ix));
	t->dirty = true;
	while (!t->m.quit && !tui_stop) {
		double since = (1e3 * clock_now()) - last_draw;
		int wait = busy ? 0 : 200;

		/* live, the screen is redrawn at most every DRAW_MS unless a
		 * key asks, so a burst of packets is not slowed by drawing */
		if (t->dirty && (keyed || !t->live || since >= DRAW_MS)) {
			/* following the end of a file still being indexed: the
			 * detail waits until the end stops moving */
			if (!(busy && t->at_end && !t->live))
				tui_sync(t);
			tui_draw(t);
			t->dirty = keyed = false;
			last_draw = (1e3 * clock_now());
		} else if (t->dirty && wait > DRAW_MS - since) {
			wait = (int)(DRAW_MS - since) + 1;
		}
		/* paused: the capture fd stays readable, so it is not polled */
		if (poll(pfd, t->live && !t->m.paused && !t->stopped ? 2 : 1,
			 wait) < 0 &&
		    errno != EINTR)
			break;
		while ((key = tui_draw_getkey(&y, &x, &button)) != -1) {
			if (key == TUI_KEY_MOUSE)
				tui_mouse(t, y, x, button);
			else
				tui_key(t, key);
			t->dirty = keyed = true;
			if (t->m.quit)
				return;
		}
		if (t->live && !t->stopped && t->o->duration > 0 &&
		    clock_now() - t->started >= t->o->duration) {
			/* -a duration: the capture ends, the screen stays */
			t->stopped = true;
			snprintf(t->m.status, sizeof(t->m.status),
				 "capture stopped after %g s (-a duration)",
				 t->o->duration);
			t->dirty = true;
		}
		if (t->live && !t->m.paused && !t->stopped &&
		    tui_index_live(&t->ix, -1) > 0)
			t->dirty = true;
		if (!(busy = background(t, SLICE_MS)) && was_busy)
			t->dirty = true;
		was_busy = busy;
		if (t->live)
			t->dirty = true;	/* counters */
	}
}

static int
open_source(struct tui *t)
{
	const struct sniff_opts *o = t->o;
	struct cap_live_opts lo = {
		.iface = o->iface, .snaplen = o->snaplen,
		.buffer_mib = o->buffer_mib, .bpf = o->bpf,
		.save = o->write,
		/* batches of <= 50 ms: fewer wake-ups under load, and the
		 * screen is redrawn at most every DRAW_MS anyway */
		.immediate = false,
	};
	struct tui_limits lim = { o->flow_mem, o->total_mem, o->keylog };
	char err[256];

	if (o->read) {
		if (tui_index_open_file(&t->ix, o->read, o->bpf, &lim) == 0)
			return 0;
	} else {
		t->live = true;
		if (tui_index_open_live(&t->ix, &lo, &lim) == 0) {
			bool root = geteuid() == 0;

			if (!o->proc || !o->proc->drop ||
			    o->proc->drop(o->proc->ctx, err, sizeof(err)) == 0) {
				t->dropped = root && geteuid() != 0;
				return 0;
			}
			snprintf(t->ix.err, sizeof(t->ix.err), "%s", err);
		}
	}
	fprintf(stderr, "%s: %s\n", o->prog, t->ix.err);
	return -1;
}

enum exit_code
tui_run(const struct sniff_opts *o, const char *filter_text)
{
	struct tui *t;
	struct sigaction sa;
	enum exit_code rc = EXIT_OK;
	char err[256];

	if (!(t = calloc(1, sizeof(*t)))) {
		fprintf(stderr, "%s: out of memory\n", o->prog);
		return EXIT_FAIL;
	}
	t->o = o;
	tui_model_init(&t->m);
	if (open_source(t) < 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	t->ix.max_frames = o->count > 0 ? (size_t)o->count : 0;
	t->started = clock_now();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);	/* ^C quits too, restoring the terminal */
	if (tui_draw_load(err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", o->prog, err);
		rc = EXIT_FAIL;
		goto out;
	}
	if ((t->keys_fd = tui_draw_init()) < 0) {
		fprintf(stderr, "%s: cannot start the terminal interface "
			"(TERM='%s')\n", o->prog, getenv("TERM") ?
			getenv("TERM") : "");
		rc = EXIT_FAIL;
		goto out;
	}
	if (filter_text && *filter_text && o->filter)
		tui_apply_compiled(t, filter_text, o->filter);
	loop(t);
	tui_draw_end();
	if (t->ix.read_error)
		fprintf(stderr, "%s: '%s' is damaged after frame %zu: %s\n",
			o->prog, o->read, tui_index_frames(&t->ix), t->ix.ss.cap.err);
out:
	tui_scan_free(&t->sc);
	tui_find_free(&t->find);
	tui_index_close(&t->ix);
	tui_model_free(&t->m);
	buf_free(&t->bytes);
	buf_free(&t->row);
	free(t->flow_frames);
	free(t);
	return rc;
}
