/*
 * keys.c - what each key and mouse event does to the TUI's state.  Keys
 * arrive as curses codes (draw.c reads them) but this file does not
 * include <curses.h>: the few special keys it needs are named in
 * keys.h-style constants below, filled from curses by draw.c.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "tui_impl.h"

static const char *help_text[] = {
	"httptool sniff --tui: keys",
	"",
	"  Up Down j k       previous / next packet (or tree node, hex line)",
	"  PgUp PgDn         a page up / down",
	"  g G Home End      first / last packet (G follows new packets)",
	"  Tab               next pane: list, detail tree, bytes",
	"  Enter Space       expand / collapse the tree node",
	"  e E               expand / collapse the whole tree",
	"  /                 display filter (green: valid, red: not), Enter applies",
	"  Esc               clear the filter / close this view",
	"  f                 follow the TCP stream (x hex, d HTTP de-chunked)",
	"  h                 HTTP flows: one row per exchange, Enter opens it",
	"  s                 statistics",
	"  p                 pause / resume a live capture",
	"  m                 mark / unmark the packet",
	"  w                 save all, marked or displayed packets to a pcap file",
	"  \\                 maximise the current pane",
	"  ?                 this help",
	"  q                 quit",
	"",
	"Mouse: click a row to select it, the wheel scrolls.",
};

static void
show_help(struct tui *t)
{
	size_t i;

	tui_text_reset(&t->m.tv, "Help");
	for (i = 0; i < sizeof(help_text) / sizeof(help_text[0]); i++)
		tui_text_add(&t->m.tv, i ? TUI_K_PLAIN : TUI_K_TITLE,
			     help_text[i], strlen(help_text[i]));
	t->text = TUI_T_HELP;
	t->m.view = TUI_VIEW_TEXT;
}

static void
leave_text(struct tui *t)
{
	t->m.view = TUI_VIEW_PACKETS;
	t->text = TUI_T_NONE;
}

/* Open the exchange of the selected flow line: both HTTP subtrees. */
static void
open_exchange(struct tui *t)
{
	uint32_t no = t->flow_sel < t->flow_max ? t->flow_frames[t->flow_sel] : 0;
	size_t i, r;

	if (!no)
		return;
	tui_text_reset(&t->m.tv, "HTTP exchange");
	for (r = 0; r < t->ix.ss.rs.n; r++)
		if (rec_get(&t->ix.ss.rs, r)->frame == no ||
		    rec_get(&t->ix.ss.rs, r)->first_frame == no)
			break;
	for (i = 0; i < 2 && r < t->ix.ss.rs.n; i++) {
		const struct http_rec *rec = i ? rec_link(&t->ix.ss.rs,
					     rec_get(&t->ix.ss.rs, r)->pair) : rec_get(&t->ix.ss.rs, r);
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

/* The save prompt: which packets, then the file name.  The name starts
 * as a default shown selected: the first key typed replaces it, Ctrl-U
 * clears it, Backspace edits it. */
static void
save_key(struct tui *t, int key)
{
	if (t->prompt == TUI_P_WHICH) {
		t->prompt = TUI_P_NAME;
		t->save_which = key == 'm' ? TUI_SAVE_MARKED :
				key == 'd' ? TUI_SAVE_SHOWN : TUI_SAVE_ALL;
		if (key == TK_ESC || key < 0 || key > 255 || !strchr("amd", key))
			t->prompt = TUI_P_NONE;
		snprintf(t->pbuf, sizeof(t->pbuf), "httptool-saved.pcap");
		t->plen = strlen(t->pbuf);
		t->pfresh = true;
		return;
	}
	if (key == TK_ESC) {
		t->prompt = TUI_P_NONE;
	} else if (key == TK_ENTER) {
		t->prompt = TUI_P_NONE;
		tui_save(t);
	} else if (key == 21) {		/* ^U */
		t->plen = 0;
	} else if (key == TK_BACKSPACE) {
		if (t->plen)
			t->plen--;
	} else if (key >= 32 && key < 127 && t->plen + 1 < sizeof(t->pbuf)) {
		if (t->pfresh)
			t->plen = 0;
		t->pbuf[t->plen++] = (char)key;
	} else {
		return;
	}
	t->pbuf[t->plen] = '\0';
	t->pfresh = false;
}

static void
edit_key(struct tui *t, int key)
{
	static const struct { int k, e; } map[] = {
		{ TK_BACKSPACE, TUI_E_BACKSPACE }, { TK_LEFT, TUI_E_LEFT },
		{ TK_RIGHT, TUI_E_RIGHT }, { TK_HOME, TUI_E_HOME },
		{ TK_END, TUI_E_END }, { TK_DELETE, TUI_E_DELETE },
		{ 21, TUI_E_KILL },	/* ^U */
	};
	size_t i;

	if (key == TK_ESC) {
		t->m.editing = false;
		return;
	}
	if (key == TK_ENTER) {
		if (!t->m.edit_ok)
			return;	/* stays red; the error is on screen */
		t->m.editing = false;
		t->at_end = false;
		tui_apply_filter(t, t->m.edit);
		return;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].k == key) {
			tui_edit_key(&t->m, map[i].e);
			return;
		}
	if (key >= 32 && key < 256)
		tui_edit_key(&t->m, key);
}

/* Up/down/page in whatever has the focus; n rows, page when big. */
static void
move(struct tui *t, long n, bool page)
{
	struct tui_model *m = &t->m;

	if (m->view == TUI_VIEW_TEXT) {
		int rows = t->lay.text_h > 1 ? t->lay.text_h : 1;

		if (t->text == TUI_T_FLOWS) {
			long s = (long)t->flow_sel + (page ? n * rows : n);

			t->flow_sel = s < 1 ? (m->tv.n > 1 ? 1 : 0) :
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

static void
ends(struct tui *t, bool end)
{
	struct tui_model *m = &t->m;

	if (m->view == TUI_VIEW_TEXT) {
		move(t, end ? (long)m->tv.n : -(long)m->tv.n, false);
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

/* Esc: back from the exchange to the flows, out of a view, or unfilter. */
static void
escape(struct tui *t)
{
	if (t->m.view == TUI_VIEW_TEXT && t->text == TUI_T_EXCHANGE)
		tui_open_text(t, TUI_T_FLOWS);
	else if (t->m.view == TUI_VIEW_TEXT)
		leave_text(t);
	else if (t->m.filtered)
		tui_apply_filter(t, NULL);
}

/* x and d in the follow view: toggle hex or the HTTP view. */
static void
follow_mode(struct tui *t, int mode)
{
	if (t->m.view != TUI_VIEW_TEXT || t->text != TUI_T_FOLLOW)
		return;
	t->follow_mode = t->follow_mode == mode ? TUI_FOLLOW_ASCII : mode;
	tui_index_follow(&t->ix, t->follow_stream, t->follow_mode, &t->m.tv);
}

void
tui_key(struct tui *t, int key)
{
	struct tui_model *m = &t->m;

	m->status[0] = '\0';
	if (t->prompt) {
		save_key(t, key);
		return;
	}
	if (m->editing) {
		edit_key(t, key);
		return;
	}
	switch (key) {
	case 'q': case 'Q': m->quit = true; break;
	case TK_UP: case 'k': move(t, -1, false); break;
	case TK_DOWN: case 'j': move(t, 1, false); break;
	case TK_PPAGE: move(t, -1, true); break;
	case TK_NPAGE: case ' ':
		if (key == ' ' && m->view == TUI_VIEW_PACKETS &&
		    m->pane == TUI_PANE_TREE)
			tui_tree_toggle(&m->tree);
		else
			move(t, 1, true);
		break;
	case 'g': case TK_HOME: ends(t, false); break;
	case 'G': case TK_END: ends(t, true); break;
	case '\t': tui_next_pane(m); break;
	case TK_ENTER:
		if (m->view == TUI_VIEW_TEXT && t->text == TUI_T_FLOWS)
			open_exchange(t);
		else if (m->pane == TUI_PANE_LIST)
			m->pane = TUI_PANE_TREE;
		else if (m->pane == TUI_PANE_TREE)
			tui_tree_toggle(&m->tree);
		break;
	case 'e': case 'E': tui_tree_set_all(&m->tree, key == 'e'); break;
	case '/': leave_text(t); tui_edit_start(m); break;
	case TK_ESC: escape(t); break;
	case 'f':
		t->follow_mode = TUI_FOLLOW_ASCII;
		tui_open_text(t, TUI_T_FOLLOW);
		break;
	case 'x': case 'd': follow_mode(t, key == 'x' ? TUI_FOLLOW_HEX :
					 TUI_FOLLOW_HTTP); break;
	case 's': tui_open_text(t, TUI_T_STATS); break;
	case 'h': tui_open_text(t, TUI_T_FLOWS); break;
	case '?': show_help(t); break;
	case 'p':
		if (t->live)
			m->paused = !m->paused;
		else
			snprintf(m->status, sizeof(m->status),
				 "not a live capture: nothing to pause");
		break;
	case 'm': tui_mark_toggle(m, tui_selected(m)); break;
	case 'w': t->prompt = TUI_P_WHICH; break;
	case '\\': m->maximised = !m->maximised; break;
	case TK_RESIZE: break;	/* draw.c reflows on the next draw */
	}
}

void
tui_mouse(struct tui *t, int y, int x, int button)
{
	const struct tui_layout *l = &t->lay;

	(void)x;
	if (button == 4 || button == 5) {
		move(t, button == 4 ? -3 : 3, false);
		return;
	}
	if (button != 1 || t->m.view != TUI_VIEW_PACKETS)
		return;
	if (y >= l->list_y && y < l->list_y + l->list_h) {
		t->m.pane = TUI_PANE_LIST;
		t->at_end = false;
		tui_select_row(&t->m, t->m.top + (size_t)(y - l->list_y));
	} else if (y >= l->tree_y && y < l->tree_y + l->tree_h) {
		t->m.pane = TUI_PANE_TREE;
		t->m.tree.sel = t->m.tree.top + (size_t)(y - l->tree_y);
		tui_tree_move(&t->m.tree, 0, t->m.tree_rows);
		tui_tree_toggle(&t->m.tree);
	} else if (y >= l->hex_y && y < l->hex_y + l->hex_h) {
		t->m.pane = TUI_PANE_HEX;
	}
}
