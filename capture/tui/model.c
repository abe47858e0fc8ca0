/*
 * model.c - the packet list, selection, scrolling, marks and the filter
 * bar of the TUI (see model.h).  Nothing here touches a terminal or a
 * capture; the tree and the text views are in model_tree.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/filter.h"
#include "model.h"

void
tui_model_init(struct tui_model *m)
{
	memset(m, 0, sizeof(*m));
	m->list_rows = 10;
	m->tree_rows = m->hex_rows = 10;
	m->edit_ok = true;
}

void
tui_model_free(struct tui_model *m)
{
	free(m->shown);
	free(m->sorted);
	free(m->marks);
	tui_tree_free(&m->tree);
	tui_text_free(&m->tv);
	memset(m, 0, sizeof(*m));
}

size_t
tui_rows(const struct tui_model *m)
{
	return m->filtered ? m->nshown : m->nframes;
}

uint32_t
tui_row_frame(const struct tui_model *m, size_t i)
{
	if (i >= tui_rows(m))
		return 0;
	if (i < m->nsorted)
		return m->sorted[i];
	return m->filtered ? m->shown[i] : (uint32_t)(i + 1);
}

void
tui_sort_clear(struct tui_model *m)
{
	free(m->sorted);
	m->sorted = NULL;
	m->nsorted = 0;
	m->sort_col = 0;
	m->sort_desc = false;
}

uint32_t
tui_selected(const struct tui_model *m)
{
	return m->has_sel ? tui_row_frame(m, m->sel) : 0;
}

void
tui_scroll_to_sel(struct tui_model *m)
{
	size_t h = m->list_rows > 0 ? (size_t)m->list_rows : 1;

	if (m->sel < m->top)
		m->top = m->sel;
	else if (m->sel >= m->top + h)
		m->top = m->sel - h + 1;
}

void
tui_set_frames(struct tui_model *m, size_t nframes)
{
	m->nframes = nframes;
	/* the first row is selected once it exists; later ones never move it */
	if (!m->has_sel && tui_rows(m)) {
		m->has_sel = true;
		m->sel = m->top = 0;
	}
}

void
tui_filter_begin(struct tui_model *m, const char *text)
{
	tui_sort_clear(m);
	m->filtered = true;
	m->nshown = 0;
	m->has_sel = false;
	m->sel = m->top = 0;
	snprintf(m->applied, sizeof(m->applied), "%s", text);
}

int
tui_filter_add(struct tui_model *m, uint32_t frame)
{
	if (m->nshown == m->shown_cap) {
		size_t n = m->shown_cap ? m->shown_cap * 2 : 4096;
		uint32_t *v = realloc(m->shown, n * sizeof(*v));

		if (!v)
			return -1;
		m->shown = v;
		m->shown_cap = n;
	}
	m->shown[m->nshown++] = frame;
	if (!m->has_sel) {
		m->has_sel = true;
		m->sel = m->top = 0;
	}
	return 0;
}

void
tui_filter_clear(struct tui_model *m)
{
	uint32_t keep = tui_selected(m);

	tui_sort_clear(m);
	m->filtered = false;
	m->nshown = 0;
	m->applied[0] = '\0';
	m->has_sel = m->nframes > 0;
	m->sel = m->top = 0;
	if (keep)
		tui_select_frame(m, keep);
}

void
tui_select_row(struct tui_model *m, size_t row)
{
	size_t n = tui_rows(m);

	if (!n)
		return;
	m->has_sel = true;
	m->sel = row < n ? row : n - 1;
	tui_scroll_to_sel(m);
}

void
tui_move(struct tui_model *m, long delta)
{
	long r = (long)m->sel + delta;

	if (!tui_rows(m))
		return;
	tui_select_row(m, r < 0 ? 0 : (size_t)r);
}

void
tui_page(struct tui_model *m, int dir)
{
	long h = m->list_rows > 1 ? m->list_rows - 1 : 1;
	long top = (long)m->top + dir * h;
	size_t n = tui_rows(m);

	tui_move(m, dir * h);
	/* the page scrolls as a whole, like less */
	if (top < 0)
		top = 0;
	if (n > (size_t)m->list_rows && (size_t)top > n - m->list_rows)
		top = (long)(n - m->list_rows);
	if (n <= (size_t)m->list_rows)
		top = 0;
	if ((size_t)top <= m->sel && m->sel < (size_t)top + m->list_rows)
		m->top = (size_t)top;
}

void
tui_home(struct tui_model *m)
{
	tui_select_row(m, 0);
}

void
tui_end(struct tui_model *m)
{
	size_t n = tui_rows(m);

	if (n)
		tui_select_row(m, n - 1);
}

void
tui_select_frame(struct tui_model *m, uint32_t no)
{
	size_t lo = 0, hi = tui_rows(m);

	if (!hi)
		return;
	if (m->nsorted) {
		long row = tui_row_of(m, no);

		tui_select_row(m, row >= 0 ? (size_t)row : 0);
		return;
	}
	if (!m->filtered) {
		tui_select_row(m, no ? no - 1 : 0);
		return;
	}
	while (lo < hi) {	/* shown[] is in frame order */
		size_t mid = lo + (hi - lo) / 2;

		if (m->shown[mid] < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	tui_select_row(m, lo);
}

void
tui_mark_toggle(struct tui_model *m, uint32_t frame)
{
	size_t byte = frame / 8;

	if (!frame)
		return;
	if (byte >= m->marks_cap) {
		size_t n = m->marks_cap ? m->marks_cap : 1024;
		uint8_t *v;

		while (n <= byte)
			n *= 2;
		v = realloc(m->marks, n);
		if (!v)
			return;
		memset(v + m->marks_cap, 0, n - m->marks_cap);
		m->marks = v;
		m->marks_cap = n;
	}
	m->marks[byte] ^= (uint8_t)(1u << (frame % 8));
	m->nmarked += tui_marked(m, frame) ? 1 : (size_t)-1;
}

bool
tui_marked(const struct tui_model *m, uint32_t frame)
{
	size_t byte = frame / 8;

	return byte < m->marks_cap && (m->marks[byte] >> (frame % 8)) & 1;
}

void
tui_edit_validate(struct tui_model *m)
{
	struct filter_error err;
	struct filter *f = filter_compile_n(m->edit, m->edit_len, &err);

	m->edit_ok = f != NULL;
	m->edit_err[0] = '\0';
	m->err_off = m->err_len = 0;
	if (!f) {
		snprintf(m->edit_err, sizeof(m->edit_err), "%s", err.msg);
		m->err_off = err.offset;
		m->err_len = err.len;
	}
	filter_free(f);
}

void
tui_edit_start(struct tui_model *m)
{
	m->editing = true;
	m->edit_len = strlen(m->applied);
	memcpy(m->edit, m->applied, m->edit_len + 1);
	m->edit_cur = m->edit_len;
	tui_edit_validate(m);
}

void
tui_edit_key(struct tui_model *m, int ch)
{
	size_t c = m->edit_cur, n = m->edit_len;

	if (ch >= 32 && ch < 256 && ch != 127) {
		if (n + 1 >= sizeof(m->edit))
			return;
		memmove(m->edit + c + 1, m->edit + c, n - c);
		m->edit[c] = (char)ch;
		m->edit_len++;
		m->edit_cur++;
	} else if (ch == TUI_E_BACKSPACE && c > 0) {
		memmove(m->edit + c - 1, m->edit + c, n - c);
		m->edit_len--;
		m->edit_cur--;
	} else if (ch == TUI_E_DELETE && c < n) {
		memmove(m->edit + c, m->edit + c + 1, n - c - 1);
		m->edit_len--;
	} else if (ch == TUI_E_LEFT && c > 0) {
		m->edit_cur--;
	} else if (ch == TUI_E_RIGHT && c < n) {
		m->edit_cur++;
	} else if (ch == TUI_E_HOME) {
		m->edit_cur = 0;
	} else if (ch == TUI_E_END) {
		m->edit_cur = n;
	} else if (ch == TUI_E_KILL) {
		m->edit_len = m->edit_cur = 0;
	}
	m->edit[m->edit_len] = '\0';
	tui_edit_validate(m);
}

void
tui_next_pane(struct tui_model *m)
{
	m->pane = (enum tui_pane)((m->pane + 1) % TUI_PANE__N);
}
