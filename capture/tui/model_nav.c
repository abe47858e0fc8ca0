/*
 * model_nav.c - jumps in the packet list: the row of a frame, Back and
 * Forward through the jumps as a browser does (Wireshark's Go Back / Go
 * Forward), the next marked packet.  Plain data, as model.c; keys.c and
 * the tests drive it.
 */
#include <string.h>

#include "model.h"

long
tui_row_of(const struct tui_model *m, uint32_t no)
{
	size_t lo = 0, hi = tui_rows(m);

	if (!no || !hi)
		return -1;
	if (m->nsorted) {	/* sorted: look; new live rows follow */
		size_t i;

		for (i = 0; i < hi; i++)
			if (tui_row_frame(m, i) == no)
				return (long)i;
		return -1;
	}
	if (!m->filtered)
		return no <= m->nframes ? (long)no - 1 : -1;
	while (lo < hi) {	/* shown[] is in frame order */
		size_t mid = lo + (hi - lo) / 2;

		if (m->shown[mid] < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nshown && m->shown[lo] == no ? (long)lo : -1;
}

/* Push no on a history list of TUI_HISTORY, the oldest dropped. */
static void
hist_push(uint32_t *v, size_t *n, uint32_t no)
{
	if (*n == TUI_HISTORY) {
		memmove(v, v + 1, (TUI_HISTORY - 1) * sizeof(*v));
		(*n)--;
	}
	v[(*n)++] = no;
}

bool
tui_jump(struct tui_model *m, uint32_t no)
{
	long row = tui_row_of(m, no);
	uint32_t cur = tui_selected(m);

	if (row < 0)
		return false;
	if (cur && cur != no) {
		hist_push(m->back, &m->nback, cur);
		m->nfwd = 0;
	}
	tui_select_row(m, (size_t)row);
	return true;
}

/* Pop from one list to the other, skipping frames no longer shown. */
static bool
hist_go(struct tui_model *m, uint32_t *from, size_t *nfrom, uint32_t *to,
	size_t *nto)
{
	uint32_t cur = tui_selected(m);

	while (*nfrom) {
		uint32_t no = from[--(*nfrom)];
		long row = tui_row_of(m, no);

		if (row < 0 || no == cur)
			continue;
		if (cur)
			hist_push(to, nto, cur);
		tui_select_row(m, (size_t)row);
		return true;
	}
	return false;
}

bool
tui_back(struct tui_model *m)
{
	return hist_go(m, m->back, &m->nback, m->fwd, &m->nfwd);
}

bool
tui_forward(struct tui_model *m)
{
	return hist_go(m, m->fwd, &m->nfwd, m->back, &m->nback);
}

uint32_t
tui_next_marked(const struct tui_model *m, int dir)
{
	size_t n = tui_rows(m), i, row;

	if (!m->nmarked || !n)
		return 0;
	for (i = 1; i <= n; i++) {
		row = dir > 0 ? (m->sel + i) % n : (m->sel + n - i % n) % n;
		if (tui_marked(m, tui_row_frame(m, row)))
			return tui_row_frame(m, row);
	}
	return 0;
}
