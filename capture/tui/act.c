/*
 * act.c - what the keys do to the TUI's state: moving in whatever has
 * the focus, jumps (frame references, go to, find, the same stream, the
 * flows view) with Back/Forward, sideways scrolling, leaving views.
 * keys.c's table says which key calls which; nothing here reads keys or
 * draws.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_impl.h"

#define HSTEP 8		/* columns a ←/→ scrolls */

void
tui_act_leave_text(struct tui *t)
{
	t->m.view = TUI_VIEW_PACKETS;
	t->text = TUI_T_NONE;
	t->m.hscroll = 0;
}

/* After a jump to frame no: say why not when it did not happen. */
void
tui_act_jumped(struct tui *t, uint32_t no, bool ok)
{
	t->at_end = false;
	if (ok)
		return;
	if (!no || no > tui_index_frames(&t->ix))
		snprintf(t->m.status, sizeof(t->m.status), "no frame %u (%zu "
			 "frames)", no, tui_index_frames(&t->ix));
	else
		snprintf(t->m.status, sizeof(t->m.status), "frame %u is hidden "
			 "by the display filter", no);
}

/* The flow view's selected exchange: its request's frame. */
static uint32_t
flow_frame(const struct tui *t)
{
	return t->flow_sel < t->flow_max ? t->flow_frames[t->flow_sel] : 0;
}

/* Open the exchange of the selected flow line: both HTTP subtrees. */
void
tui_act_exchange(struct tui *t)
{
	const struct records *rs = &t->ix.ss.rs;
	uint32_t no = flow_frame(t);
	size_t i, r;

	if (!no)
		return;
	tui_text_reset(&t->m.tv, "HTTP exchange");
	for (r = 0; r < rs->n; r++)
		if (rec_get(rs, r)->frame == no ||
		    rec_get(rs, r)->first_frame == no)
			break;
	for (i = 0; i < 2 && r < rs->n; i++) {
		const struct http_rec *rec = i ? rec_link(rs, rec_get(rs, r)->pair) :
					     rec_get(rs, r);
		struct tui_tree tr;
		struct buf bytes;
		size_t k;
		bool in = false;

		if (!rec || !rec->frame)
			break;
		memset(&tr, 0, sizeof(tr));
		buf_init(&bytes);
		if (tui_index_detail(&t->ix, rec->frame, &tr, &bytes) == 0)
			for (k = 0; k < tr.n; k++) {
				const struct tui_node *nd = &tr.v[k];

				if (nd->depth == 0)
					in = !strncmp(tr.text.data + nd->off,
						      "Hypertext", 9) || in;
				if (in)
					tui_text_add(&t->m.tv, nd->depth ? (i ?
						TUI_K_SERVER : TUI_K_CLIENT) :
						TUI_K_TITLE, tr.text.data +
						nd->off - nd->depth * 4,
						nd->len + nd->depth * 4);
			}
		tui_tree_free(&tr);
		buf_free(&bytes);
	}
	t->text = TUI_T_EXCHANGE;
}

/* Up/down/page in whatever has the focus; n rows, pages when page. */
void
tui_act_move(struct tui *t, long n, bool page)
{
	struct tui_model *m = &t->m;

	if (m->view == TUI_VIEW_TEXT) {
		int rows = t->lay.text_h > 1 ? t->lay.text_h : 1;

		if (t->text == TUI_T_FLOWS || t->text == TUI_T_LADDER ||
		    t->text == TUI_T_EXPERT) {
			long s = (long)t->flow_sel + (page ? n * rows : n);

			t->flow_sel = s < (long)t->flow_first ? t->flow_first :
				      (size_t)s >= m->tv.n ? m->tv.n - 1 : (size_t)s;
			if (t->flow_sel < m->tv.top)
				m->tv.top = t->flow_sel;
			else if (t->flow_sel >= m->tv.top + (size_t)rows)
				m->tv.top = t->flow_sel - rows + 1;
		} else {
			tui_text_scroll(&m->tv, page ? n * rows : n, rows);
		}
		return;
	}
	switch (m->pane) {
	case TUI_PANE_LIST:
		t->at_end = false;
		if (page)
			tui_page(m, n < 0 ? -1 : 1);
		else
			tui_move(m, n);
		break;
	case TUI_PANE_TREE:
		tui_tree_move(&m->tree, page ? n * m->tree_rows : n,
			      m->tree_rows);
		break;
	case TUI_PANE_HEX: {
		long top = (long)m->hex_top + (page ? n * m->hex_rows : n);
		size_t len;
		long max;

		tui_tree_bytes(&m->tree, tui_tree_source(&m->tree), &len);
		max = (long)(len + 15) / 16 - m->hex_rows;
		m->hex_top = top > max ? (size_t)(max > 0 ? max : 0) :
			     top < 0 ? 0 : (size_t)top;
		break;
	}
	default:
		break;
	}
}

void
tui_act_ends(struct tui *t, bool end)
{
	struct tui_model *m = &t->m;

	if (m->view == TUI_VIEW_TEXT) {
		tui_act_move(t, end ? (long)m->tv.n : -(long)m->tv.n, false);
		return;
	}
	if (m->pane == TUI_PANE_TREE) {
		tui_tree_move(&m->tree, end ? (long)m->tree.n : -(long)m->tree.n,
			      m->tree_rows);
		return;
	}
	t->at_end = end;
	if (end)
		tui_end(m);
	else
		tui_home(m);
}

/* Esc: back from the exchange to the flows; leaving the flows selects
 * the chosen exchange in the list; out of a view; else unfilter. */
void
tui_act_escape(struct tui *t)
{
	uint32_t no;

	if (t->m.view == TUI_VIEW_TEXT && t->text == TUI_T_EXCHANGE) {
		size_t keep = t->flow_sel, top = t->m.tv.top;

		tui_open_text(t, TUI_T_FLOWS);
		t->flow_sel = keep < t->m.tv.n ? keep : t->flow_sel;
		t->m.tv.top = top;
	} else if (t->m.view == TUI_VIEW_TEXT) {
		no = t->text == TUI_T_FLOWS ? flow_frame(t) : 0;
		tui_act_leave_text(t);
		if (no)
			tui_act_jumped(t, no, tui_jump(&t->m, no));
	} else if (t->m.filtered) {
		tui_apply_filter(t, NULL);
	}
}

/* Enter: the flows open an exchange; the list gives the tree the focus;
 * in the tree a frame reference jumps, another node opens or closes. */
void
tui_act_enter(struct tui *t)
{
	struct tui_model *m = &t->m;
	long sel;

	if (m->view == TUI_VIEW_TEXT) {
		uint32_t no = flow_frame(t);

		if (t->text == TUI_T_FLOWS) {
			tui_act_exchange(t);
		} else if ((t->text == TUI_T_LADDER ||
			    t->text == TUI_T_EXPERT) && no) {
			tui_act_leave_text(t);
			tui_act_jumped(t, no, tui_jump(m, no));
		}
		return;
	}
	if (m->pane == TUI_PANE_LIST) {
		m->pane = TUI_PANE_TREE;
	} else if (m->pane == TUI_PANE_TREE) {
		sel = tui_tree_selected(&m->tree);
		if (sel >= 0 && m->tree.v[sel].ref)
			tui_act_jumped(t, m->tree.v[sel].ref,
				       tui_jump(m, m->tree.v[sel].ref));
		else
			tui_tree_toggle(&m->tree);
	}
}

/* ←/→: the tree closes and opens nodes; the list and the text views
 * scroll sideways. */
void
tui_act_sideways(struct tui *t, int dir)
{
	struct tui_model *m = &t->m;

	if (m->view == TUI_VIEW_PACKETS && m->pane == TUI_PANE_TREE) {
		if (dir < 0)
			tui_tree_left(&m->tree, m->tree_rows);
		else
			tui_tree_right(&m->tree, m->tree_rows);
		return;
	}
	if (dir < 0)
		m->hscroll = m->hscroll > HSTEP ? m->hscroll - HSTEP : 0;
	else if (m->hscroll < 4096)
		m->hscroll += HSTEP;
}

/* , and .: the previous / next displayed packet of the same stream. */
void
tui_act_stream(struct tui *t, int dir)
{
	struct tui_model *m = &t->m;
	uint32_t st = tui_index_stream(&t->ix, tui_selected(m));
	size_t n = tui_rows(m), row = m->sel;

	if (st == TUI_NO_STREAM) {
		snprintf(m->status, sizeof(m->status), "the selected packet "
			 "is not TCP");
		return;
	}
	while (dir > 0 ? row + 1 < n : row > 0) {
		row = dir > 0 ? row + 1 : row - 1;
		if (tui_index_stream(&t->ix, tui_row_frame(m, row)) == st) {
			t->at_end = false;
			tui_select_row(m, row);
			return;
		}
	}
	snprintf(m->status, sizeof(m->status), "no %s packet of TCP stream %u",
		 dir > 0 ? "later" : "earlier", st);
}

/* Ctrl-G's prompt: a frame number. */
void
tui_act_goto(struct tui *t, const char *text)
{
	char *end;
	unsigned long no = strtoul(text, &end, 10);

	if (!*text || *end || no > UINT32_MAX) {
		snprintf(t->m.status, sizeof(t->m.status), "go to: '%.40s' is "
			 "not a frame number", text);
		return;
	}
	tui_act_jumped(t, (uint32_t)no, tui_jump(&t->m, (uint32_t)no));
}

/* n / N (and the find prompt's Enter): the next / previous match. */
void
tui_act_find(struct tui *t, int dir)
{
	bool wrapped;
	uint32_t no;

	if (!t->find.active) {
		snprintf(t->m.status, sizeof(t->m.status), "nothing to find: "
			 "Ctrl-F first");
		return;
	}
	t->m.view = TUI_VIEW_PACKETS;
	t->m.pane = TUI_PANE_LIST;
	no = tui_find_next(t, dir, &wrapped);
	if (!no) {
		snprintf(t->m.status, sizeof(t->m.status), "%s '%.60s': not "
			 "found", tui_find_names[t->find.mode], t->find.text);
		return;
	}
	tui_act_jumped(t, no, tui_jump(&t->m, no));
	snprintf(t->m.status, sizeof(t->m.status), "%s '%.60s': frame %u%s",
		 tui_find_names[t->find.mode], t->find.text, no, wrapped ?
		 (dir > 0 ? " (wrapped to the top)" :
		  " (wrapped to the bottom)") : "");
}

/* x and d in the follow view: toggle hex or the HTTP view. */
void
tui_act_follow_mode(struct tui *t, int mode)
{
	if (t->m.view != TUI_VIEW_TEXT || t->text != TUI_T_FOLLOW)
		return;
	t->follow_mode = t->follow_mode == mode ? TUI_FOLLOW_ASCII : mode;
	tui_index_follow(&t->ix, t->follow_stream, t->follow_mode, &t->m.tv);
}
