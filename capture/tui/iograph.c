/*
 * iograph.c - the IO graph window (Wireshark's Statistics → I/O Graph, as
 * text): the capture's time cut into intervals, one line each, time
 * running down, a bar of the packets (or, after `b`, the bytes) per
 * interval.  With a display filter the bar has two series: what the
 * filter keeps ('#') and all ('.'), so the filter's share is seen over
 * time; the two values, and the displayed packets' bytes (in bytes mode
 * their count), are printed beside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_impl.h"

#define IO_LINES 40		/* intervals at most */
#define IO_BAR 48		/* columns of the longest bar */

/* A round interval (1, 2, 5 times a power of ten, in ns) giving at most
 * IO_LINES lines over span ns. */
static int64_t
io_step(int64_t span)
{
	int64_t step = 1000;		/* 1 us */

	for (;;) {
		if (span / step < IO_LINES)
			return step;
		if (span / (2 * step) < IO_LINES)
			return 2 * step;
		if (span / (5 * step) < IO_LINES)
			return 5 * step;
		step *= 10;
	}
}

int
tui_window_iograph(struct tui *t)
{
	uint64_t all[IO_LINES] = { 0 }, shown[IO_LINES] = { 0 },
		 other[IO_LINES] = { 0 }, max = 0;
	size_t nf = tui_index_frames(&t->ix), i;
	int64_t span = nf ? cap_session_rel_ns(&t->ix.ss, (uint32_t)nf) : 0;
	int64_t step = io_step(span > 0 ? span : 1);
	char line[200], bar[IO_BAR + 1], title[160];
	int k, w, nl = (int)(span / step) + 1;
	bool by = t->io_bytes;

	for (i = 1; i <= nf; i++) {
		const struct frame_rec *fr = cap_frame(&t->ix.ss.cap, i - 1);
		int64_t ns = cap_session_rel_ns(&t->ix.ss, (uint32_t)i);
		uint64_t len = fr ? fr->len : 0;

		k = ns < 0 ? 0 : (int)(ns / step);
		if (k >= IO_LINES)
			k = IO_LINES - 1;
		all[k] += by ? len : 1;
		if (!t->m.filtered || tui_row_of(&t->m, (uint32_t)i) >= 0) {
			shown[k] += by ? len : 1;
			other[k] += by ? 1 : len;
		}
	}
	for (k = 0; k < nl && k < IO_LINES; k++)
		max = all[k] > max ? all[k] : max;
	snprintf(title, sizeof(title), "IO graph: %s per %g s%s%.60s%s",
		 by ? "bytes" : "packets", (double)step / 1e9,
		 t->m.filtered ? " ('#' filter " : "",
		 t->m.filtered ? t->m.applied : "", t->m.filtered ?
		 ", '.' all)" : "");
	tui_text_reset(&t->m.tv, title);
	w = snprintf(line, sizeof(line), "%12s %9s %9s %11s", "Time (s)",
		     "Shown", "All", by ? "Packets" : "Bytes");
	tui_text_add(&t->m.tv, TUI_K_TITLE, line, (size_t)w);
	for (k = 0; k < nl && k < IO_LINES; k++) {
		int a = max ? (int)((all[k] * IO_BAR + max - 1) / max) : 0;
		int s = max ? (int)((shown[k] * IO_BAR + max - 1) / max) : 0;

		memset(bar, '.', (size_t)a);
		memset(bar, '#', (size_t)s);
		bar[a] = '\0';
		w = snprintf(line, sizeof(line), "%12.6f %9llu %9llu %11llu  %s",
			     (double)(k * step) / 1e9,
			     (unsigned long long)shown[k],
			     (unsigned long long)all[k],
			     (unsigned long long)other[k], bar);
		tui_text_add(&t->m.tv, TUI_K_PLAIN, line, (size_t)w);
	}
	return 0;
}
