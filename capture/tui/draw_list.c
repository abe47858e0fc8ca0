/*
 * draw_list.c - the packet list pane: the visible rows rendered once per
 * draw, the columns fitted to the terminal (model_cols.c), the sort
 * column's ▲/▼, the horizontal scroll.  Part of draw.c's drawing (it
 * includes <curses.h> through draw_impl.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw_impl.h"

/* Skip cols display columns of s[0..n) (UTF-8 aware); bytes skipped. */
size_t
draw_skip_cols(const char *s, size_t n, size_t cols)
{
	size_t i = 0;

	while (i < n && cols--) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
	}
	return i;
}

/* Display columns of s (UTF-8 characters). */
static int
ncols(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Append s to b padded (or cut) to w columns, then a space; w 0: none. */
static void
cell(struct buf *b, const char *s, int w, bool right)
{
	int n = ncols(s);

	if (w <= 0)
		return;
	if (n > w)
		buf_append(b, s, draw_skip_cols(s, strlen(s), (size_t)w));
	else if (right)
		buf_printf(b, "%*s%s", w - n, "", s);
	else
		buf_printf(b, "%s%*s", s, w - n, "");
	buf_puts(b, " ");
}

/* The visible rows of the list, rendered once per draw. */
struct vis_row {
	uint32_t no;
	int kind;			/* -1: cannot be read */
	size_t at[TUI_C__N];		/* column texts in the draw buffer */
};

static void
list_line(struct buf *b, const char *const *c, const int *w, char mark)
{
	int k;

	buf_reset(b);
	buf_printf(b, "%c", mark);
	for (k = 0; k < TUI_C_INFO; k++)
		cell(b, c[k], w[k], k == TUI_C_NO || k == TUI_C_TIME ||
		     k == TUI_C_LEN);
	buf_puts(b, c[TUI_C_INFO]);
}

/*
 * The sort column's heading gets ▲ or ▼ (in heads[]); the headings'
 * screen columns are kept for a click (t->lay.col_x).
 */
static void
heading_marks(struct tui *t, const char **c, const int *cw,
	      char heads[][24])
{
	int k, x = 1 - (int)t->m.hscroll;

	for (k = 0; k < TUI_C__N; k++) {
		t->lay.col_x[k] = cw[k] ? x : -1;
		x += cw[k] ? cw[k] + 1 : 0;
		if (k != t->m.sort_col || !t->m.nsorted)
			continue;
		snprintf(heads[k], sizeof(heads[k]), "%.*s%s",
			 ncols(c[k]) < cw[k] ? 16 : cw[k] - 1, c[k],
			 t->m.sort_desc ? "▼" : "▲");
		c[k] = heads[k];
	}
	t->lay.col_x[TUI_C__N] = x;
}

/* Put line b from the list's horizontal scroll on, w columns. */
static void
put_scrolled(const struct tui *t, int y, const struct buf *b, int w)
{
	size_t skip = draw_skip_cols(b->data, b->len, t->m.hscroll);

	draw_put(y, 0, b->data + skip, b->len - skip, w);
}

void
draw_list(struct tui *t, int y, int h, int w)
{
	struct tui_model *m = &t->m;
	struct vis_row *v = calloc((size_t)(h > 1 ? h : 1), sizeof(*v));
	struct buf all = BUF_INIT, line = BUF_INIT;
	int need[TUI_C__N] = { 0 }, cw[TUI_C__N], i, k, n = 0;
	const char *c[TUI_C__N];
	char heads[TUI_C__N][24];

	if (!v)
		return;
	m->list_rows = h - 1;
	t->lay.list_y = y + 1;
	t->lay.list_h = h - 1;
	tui_scroll_to_sel(m);
	/* render the visible rows first: the widths fit what is shown */
	for (i = 0; i < h - 1; i++) {
		const char *rc[6];

		if (!(v[n].no = tui_row_frame(m, m->top + (size_t)i)))
			break;
		v[n].kind = tui_index_row(&t->ix, v[n].no, &t->row, rc);
		for (k = 0; k < TUI_C__N; k++) {
			char num[40];
			const char *s = k == TUI_C_NO || (k == TUI_C_TIME &&
					m->time_fmt != TUI_TIME_REL) ? num :
					v[n].kind < 0 ? "" : rc[k - 1];

			if (k == TUI_C_NO)
				snprintf(num, sizeof(num), "%u", v[n].no);
			else if (k == TUI_C_TIME)
				tui_time_text(t, v[n].no, tui_row_frame(m,
					      m->top + (size_t)i - 1), num,
					      sizeof(num));
			v[n].at[k] = all.len;
			buf_append(&all, s, strlen(s) + 1);
			if (k < TUI_C_INFO && ncols(s) > need[k])
				need[k] = ncols(s);
		}
		if (v[n].kind >= 0 && ncols(rc[5]) > need[TUI_C_INFO])
			need[TUI_C_INFO] = ncols(rc[5]);
		n++;
	}
	if (m->nsorted)		/* room for the ▲ */
		need[m->sort_col] = ncols(tui_column_name(m->sort_col, 99)) + 1 >
				    need[m->sort_col] ? ncols(tui_column_name(
				    m->sort_col, 99)) + 1 : need[m->sort_col];
	tui_columns(w, need, cw);
	for (k = 0; k < TUI_C__N; k++)
		c[k] = tui_column_name(k, cw[k]);
	heading_marks(t, c, cw, heads);
	list_line(&line, c, cw, ' ');
	attron(A_BOLD | A_UNDERLINE);
	put_scrolled(t, y, &line, w);
	attroff(A_BOLD | A_UNDERLINE);
	for (i = 0; i < h - 1; i++) {
		size_t row = m->top + (size_t)i;
		attr_t a = 0;

		if (i >= n) {
			move(y + 1 + i, 0);
			clrtoeol();
			continue;
		}
		for (k = 0; k < TUI_C__N; k++)
			c[k] = all.data + v[i].at[k];
		if (v[i].kind < 0)
			c[TUI_C_INFO] = "(cannot read)";
		list_line(&line, c, cw, tui_marked(m, v[i].no) ? '*' : ' ');
		if (v[i].kind > TUI_K_TCP)
			a = COLOR_PAIR(v[i].kind);
		if (m->has_sel && row == m->sel)
			a |= A_REVERSE | (m->pane == TUI_PANE_LIST ? A_BOLD : 0);
		if (tui_marked(m, v[i].no))
			a |= A_BOLD;
		attron(a);
		put_scrolled(t, y + 1 + i, &line, w);
		attroff(a);
	}
	buf_free(&all);
	buf_free(&line);
	free(v);
}
