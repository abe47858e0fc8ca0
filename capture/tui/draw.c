/*
 * draw.c - with draw_list.c the only files that include <curses.h>: it
 * draws the model (tmux's tty.c to model.c's screen-write.c) and turns
 * curses key codes into keys.h's.  Every draw starts from the model, so
 * a resize simply reflows.  Only the visible list rows are rendered
 * (draw_list.c: tui_index_row reads and decodes just those frames).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses_dl.h"
#include "draw_impl.h"
#include "keys.h"


/* codes of our own for keys curses has no name for */
#define KEY_ALT_LEFT (KEY_MAX + 1)
#define KEY_ALT_RIGHT (KEY_MAX + 2)

/* curses' own state is global; these are its handles, for tui_draw_end */
static SCREEN *draw_screen;
static FILE *draw_tty;

/*
 * Keys come from stdin, or from /dev/tty when stdin carries the capture
 * (`-r -`).  Returns the fd to poll for keys, or -1.
 */
int
tui_draw_load(char *err, size_t errlen)
{
	return curses_dl_load(err, errlen);
}

int
tui_draw_init(void)
{
	FILE *in = stdin;
	static const short fg[TUI_K__N] = {
		[TUI_K_PLAIN] = -1, [TUI_K_TCP] = -1,
		[TUI_K_REQUEST] = COLOR_CYAN, [TUI_K_2XX] = COLOR_GREEN,
		[TUI_K_3XX] = COLOR_YELLOW, [TUI_K_4XX] = COLOR_MAGENTA,
		[TUI_K_5XX] = COLOR_RED, [TUI_K_1XX] = COLOR_BLUE,
		[TUI_K_MALFORMED] = COLOR_WHITE, [TUI_K_CLIENT] = COLOR_RED,
		[TUI_K_SERVER] = COLOR_BLUE, [TUI_K_TITLE] = -1,
		[TUI_K_BADTCP] = COLOR_RED, [TUI_K_RST] = COLOR_YELLOW,
		[TUI_K_SYNFIN] = COLOR_BLACK,
	};
	static const short bg[TUI_K__N] = {	/* 0: the terminal's */
		[TUI_K_MALFORMED] = COLOR_RED, [TUI_K_BADTCP] = COLOR_BLACK,
		[TUI_K_RST] = COLOR_RED, [TUI_K_SYNFIN] = COLOR_WHITE,
	};
	short i;

	setlocale(LC_ALL, "");
	if (!isatty(0) && !(in = draw_tty = fopen("/dev/tty", "r")))
		return -1;
	if (!(draw_screen = newterm(NULL, stdout, in))) {
		tui_draw_end();
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/* Alt-←/→ (xterm's, tmux's): Back and Forward */
	define_key("\033[1;3D", KEY_ALT_LEFT);
	define_key("\033[1;3C", KEY_ALT_RIGHT);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
		  BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		for (i = 1; i < TUI_K__N; i++)
			init_pair(i, fg[i], bg[i] ? bg[i] : -1);
		init_pair(C_BAR, COLOR_BLACK, COLOR_CYAN);
		init_pair(C_OK, COLOR_BLACK, COLOR_GREEN);
		init_pair(C_BAD, COLOR_WHITE, COLOR_RED);
		init_pair(C_HL, COLOR_BLACK, COLOR_YELLOW);
	}
	return fileno(in);
}

void
tui_draw_end(void)
{
	if (draw_screen) {
		endwin();
		delscreen(draw_screen);
	}
	if (draw_tty)
		fclose(draw_tty);
	draw_screen = NULL;
	draw_tty = NULL;
}

int
tui_draw_getkey(int *y, int *x, int *button)
{
	MEVENT ev;
	int c = getch();

	switch (c) {
	case ERR: return -1;
	case KEY_MOUSE:
		if (getmouse(&ev) != OK)
			return -1;
		*y = ev.y;
		*x = ev.x;
		*button = ev.bstate & BUTTON4_PRESSED ? 4 :
			  ev.bstate & BUTTON5_PRESSED ? 5 : 1;
		return TUI_KEY_MOUSE;
	case '\n': case '\r': case KEY_ENTER: return TK_ENTER;
	case 27: return TK_ESC;
	case KEY_BACKSPACE: case 127: case 8: return TK_BACKSPACE;
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case KEY_PPAGE: return TK_PPAGE;
	case KEY_NPAGE: return TK_NPAGE;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_DC: return TK_DELETE;
	case KEY_RESIZE: return TK_RESIZE;
	case KEY_ALT_LEFT: return TK_ALT_LEFT;
	case KEY_ALT_RIGHT: return TK_ALT_RIGHT;
	}
	return c;
}

/* Put s at (y, x), at most w columns (UTF-8 aware), padding to w. */
void
draw_put(int y, int x, const char *s, size_t n, int w)
{
	size_t i = 0, end;
	int cols = 0;

	if (w <= 0)
		return;
	while (i < n && cols < w) {
		end = i + 1;
		while (end < n && ((unsigned char)s[end] & 0xc0) == 0x80)
			end++;
		cols++;
		i = end;
	}
	move(y, x);
	while (i > 0) {		/* control bytes would move the cursor */
		char tmp[256];
		size_t k, m = i < sizeof(tmp) ? i : sizeof(tmp);

		for (k = 0; k < m; k++)
			tmp[k] = (unsigned char)s[k] < 32 ? '.' : s[k];
		addnstr(tmp, (int)m);
		s += m;
		i -= m;
	}
	for (; cols < w; cols++)
		addch(' ');
}

void
draw_puts_at(int y, int x, const char *s, int w)
{
	draw_put(y, x, s, strlen(s), w);
}

void
draw_bar(int y, int w, const char *s)
{
	attron(COLOR_PAIR(C_BAR) | A_BOLD);
	draw_puts_at(y, 0, s, w);
	attroff(COLOR_PAIR(C_BAR) | A_BOLD);
}

static void
draw_tree(struct tui *t, int y, int h, int w)
{
	struct tui_tree *tr = &t->m.tree;
	size_t *idx, n, i;
	char title[128];

	snprintf(title, sizeof(title), " Detail: frame %u%s", t->m.tree_frame,
		 t->m.pane == TUI_PANE_TREE ? "  [focus]" : "");
	draw_bar(y, w, title);
	t->m.tree_rows = h - 1;
	t->lay.tree_y = y + 1;
	t->lay.tree_h = h - 1;
	tui_tree_move(tr, 0, t->m.tree_rows);
	n = tui_tree_visible(tr, NULL, 0);
	idx = malloc((n + 1) * sizeof(*idx));
	if (!idx)
		return;
	tui_tree_visible(tr, idx, n);
	for (i = 0; i < (size_t)(h - 1); i++) {
		size_t k = tr->top + i;
		long node;
		const struct tui_node *nd;
		char pre[64];
		int d;

		move(y + 1 + (int)i, 0);
		clrtoeol();
		if (k >= n)
			continue;
		node = (long)idx[k];
		nd = &tr->v[node];
		d = nd->depth * 2 < 40 ? nd->depth * 2 : 40;
		snprintf(pre, sizeof(pre), "%*s%s ", d, "",
			 nd->kids ? (nd->open ? "▾" : "▸") : " ");
		if (k == tr->sel)
			attron(A_REVERSE | (t->m.pane == TUI_PANE_TREE ? A_BOLD : 0));
		draw_puts_at(y + 1 + (int)i, 0, pre, d + 2);
		draw_put(y + 1 + (int)i, d + 2, tr->text.data + nd->off, nd->len,
		    w - d - 2);
		attroff(A_REVERSE | A_BOLD);
	}
	free(idx);
}

/* Put n bytes of s at (y, x) unless that passes column w; the next x. */
static int
clip(int y, int x, int w, const char *s, int n, bool on)
{
	if (x + n > w)
		return w;
	if (on)
		attron(COLOR_PAIR(C_HL));
	mvaddnstr(y, x, s, n);
	if (on)
		attroff(COLOR_PAIR(C_HL));
	return x + n;
}

/* "0040  8b 21 47 45 ...  .!GE..." with bytes [lo, hi) highlighted. */
static void
hex_line(int y, int w, const uint8_t *p, size_t len, size_t at, long lo,
	 long hi)
{
	char s[24];
	int j, x, ax = 6 + 16 * 3 + 1 + 2;

	snprintf(s, sizeof(s), "%04zx  ", at);
	x = clip(y, 0, w, s, 6, false);
	for (j = 0; j < 16 && at + (size_t)j < len; j++) {
		size_t o = at + (size_t)j;
		bool on = (long)o >= lo && (long)o < hi;
		char c = p[o] >= 32 && p[o] < 127 ? (char)p[o] : '.';

		snprintf(s, sizeof(s), "%02x", p[o]);
		x = clip(y, x, w, s, 2, on);
		x = clip(y, x, w, j == 7 ? "  " : " ", j == 7 ? 2 : 1, false);
		clip(y, ax + j, w, &c, 1, on);
	}
}

/* The bar of the bytes pane: a tab per data source, the shown one set
 * off in brackets ("Bytes: [Frame (194)]  Reassembled TCP (482)"). */
static void
hex_tabs(const struct tui *t, unsigned cur, char *s, size_t n)
{
	const struct tui_tree *tr = &t->m.tree;
	size_t w = (size_t)snprintf(s, n, " Bytes:");
	unsigned k;

	for (k = 0; k < tr->nsrc && w < n; k++)
		w += (size_t)snprintf(s + w, n - w, k == cur ? " [%s (%u)]" :
				      "  %s (%u) ", tr->src[k].name,
				      tr->src[k].len);
	if (w < n && t->m.pane == TUI_PANE_HEX)
		snprintf(s + w, n - w, "  [focus]");
}

static void
draw_hex(struct tui *t, int y, int h, int w)
{
	unsigned src = tui_tree_source(&t->m.tree);
	size_t len, line;
	const uint8_t *p = tui_tree_bytes(&t->m.tree, src, &len);
	long sel = tui_tree_selected(&t->m.tree);
	long lo = -1, hi = -1;
	char tabs[512];
	int i;

	if (src != t->m.hex_src) {	/* another tab: from its top */
		t->m.hex_src = src;
		t->m.hex_top = 0;
	}
	hex_tabs(t, src, tabs, sizeof(tabs));
	draw_bar(y, w, tabs);
	t->m.hex_rows = h - 1;
	t->lay.hex_y = y + 1;
	t->lay.hex_h = h - 1;
	if (sel >= 0 && t->m.tree.v[sel].hl_off >= 0) {
		lo = t->m.tree.v[sel].hl_off;
		hi = lo + t->m.tree.v[sel].hl_len;
		/* walking the tree brings the node's bytes into view */
		if (t->m.pane == TUI_PANE_TREE && h > 1 &&
		    ((size_t)lo / 16 < t->m.hex_top ||
		     (size_t)lo / 16 >= t->m.hex_top + (size_t)(h - 1)))
			t->m.hex_top = (size_t)lo / 16;
	}
	for (i = 0; i < h - 1; i++) {
		line = t->m.hex_top + (size_t)i;
		move(y + 1 + i, 0);
		clrtoeol();
		if (line * 16 >= len)
			continue;
		hex_line(y + 1 + i, w, p, len, line * 16, lo, hi);
	}
}

static void
draw_text(struct tui *t, int y, int h, int w)
{
	struct tui_text *tv = &t->m.tv;
	size_t skip;
	int i;

	draw_bar(y, w, tv->title);
	t->lay.text_y = y + 1;
	t->lay.text_h = h - 1;
	for (i = 0; i < h - 1; i++) {
		size_t k = tv->top + (size_t)i;
		attr_t a = 0;

		move(y + 1 + i, 0);
		clrtoeol();
		if (k >= tv->n)
			continue;
		if (tv->kind[k] == TUI_K_TITLE)
			a = A_BOLD;
		else if (tv->kind[k] != TUI_K_PLAIN)
			a = COLOR_PAIR(tv->kind[k]);
		if ((t->text == TUI_T_FLOWS || t->text == TUI_T_LADDER ||
		     t->text == TUI_T_EXPERT) && k == t->flow_sel)
			a |= A_REVERSE;
		attron(a);
		skip = draw_skip_cols(tv->text.data + tv->off[k], tv->len[k],
				 t->m.hscroll);
		draw_put(y + 1 + i, 0, tv->text.data + tv->off[k] + skip,
		    tv->len[k] - skip, w);
		attroff(a);
	}
}

static void
draw_filter(struct tui *t, int y, int w)
{
	struct tui_model *m = &t->m;
	char s[TUI_FILTER_MAX + 200];
	int pair = m->edit_ok ? C_OK : C_BAD;

	move(y, 0);
	clrtoeol();
	if (t->prompt) {
		if (t->prompt == TUI_P_WHICH)
			snprintf(s, sizeof(s), "Save which packets: [a]ll, "
				 "[m]arked (%zu), [d]isplayed (%zu), [r]ange?",
				 m->nmarked, tui_rows(m));
		else if (t->prompt == TUI_P_RANGE)
			snprintf(s, sizeof(s), "Save frames (10-20, 10-, -20; "
				 "Esc cancels): %s", t->pbuf);
		else if (t->prompt == TUI_P_NAME)
			snprintf(s, sizeof(s), "Save to file (Enter saves, "
				 "Ctrl-U clears, Esc cancels): %s", t->pbuf);
		else if (t->prompt == TUI_P_GOTO)
			snprintf(s, sizeof(s), "Go to packet: %s", t->pbuf);
		else
			snprintf(s, sizeof(s), "Find %s (Tab: what): %s",
				 tui_find_names[t->find_mode], t->pbuf);
		attron(COLOR_PAIR(C_BAR));
		draw_puts_at(y, 0, s, w);
		attroff(COLOR_PAIR(C_BAR));
		/* a default is selected: the first key typed replaces it */
		if (t->prompt != TUI_P_WHICH && t->pfresh && t->plen &&
		    (int)(strlen(s) - t->plen) < w)
			mvchgat(y, (int)(strlen(s) - t->plen), (int)t->plen,
				A_REVERSE, C_BAR, NULL);
		return;
	}
	if (!m->editing) {
		snprintf(s, sizeof(s), "Filter: %s", m->filtered ? m->applied :
			 "(none: / to edit)");
		draw_puts_at(y, 0, s, w);
		return;
	}
	attron(COLOR_PAIR(pair));
	snprintf(s, sizeof(s), "Filter: %s", m->edit);
	draw_puts_at(y, 0, s, w);
	if (!m->edit_ok) {
		size_t len = m->err_len ? m->err_len : 1;

		/* underline the text at fault, then say why */
		mvchgat(y, 8 + (int)m->err_off, (int)len, A_UNDERLINE | A_BOLD,
			C_BAD, NULL);
		if (8 + (int)m->edit_len + 3 < w)
			draw_puts_at(y, 8 + (int)m->edit_len + 3, m->edit_err,
				w - 8 - (int)m->edit_len - 3);
	}
	attroff(COLOR_PAIR(pair));
	curs_set(1);
	move(y, 8 + (int)m->edit_cur);
}

static void
draw_status(struct tui *t, int y, int w)
{
	struct tui_model *m = &t->m;
	char s[512], prog[64] = "";

	if (!t->live && !t->ix.done)
		snprintf(prog, sizeof(prog), "  indexing…");
	else if (t->sc.active && !tui_scan_finished(&t->sc) &&
		 t->sc.next <= tui_index_frames(&t->ix))
		snprintf(prog, sizeof(prog), "  filtering %u/%zu…", t->sc.next - 1,
			 tui_index_frames(&t->ix));
	if (t->live)
		snprintf(s, sizeof(s), " %s: %zu packets, %zu shown, %llu dropped, "
			 "%zu marked%s%s   ? help  q quit",
			 t->o->iface ? t->o->iface : "lo", tui_index_frames(&t->ix),
			 tui_rows(m), (unsigned long long)t->ix.dropped,
			 m->nmarked, m->paused ? "  [paused]" : "", prog);
	else
		snprintf(s, sizeof(s), " %s: %zu packets, %zu shown, %zu marked"
			 "%s   ? help  q quit", t->o->read, tui_index_frames(&t->ix),
			 tui_rows(m), m->nmarked, prog);
	if (t->ix.read_error)	/* what was read is shown; say where it ends */
		snprintf(s + strlen(s), sizeof(s) - strlen(s), "  | damaged "
			 "after frame %zu", tui_index_frames(&t->ix));
	if (m->status[0]) {	/* the message first: it is what is new */
		char all[sizeof(s) + sizeof(m->status) + 8];

		snprintf(all, sizeof(all), " %s  |%s", m->status, s);
		draw_bar(y, w, all);
		return;
	}
	draw_bar(y, w, s);
}

void
tui_draw(struct tui *t)
{
	int H, W, avail, lh, th, hh, y = 1;
	char title[256];

	getmaxyx(stdscr, H, W);
	curs_set(0);
	t->lay.cols = W;
	snprintf(title, sizeof(title), " httptool sniff --tui  %s%s",
		 t->live ? "live on " : "", t->live ? (t->o->iface ?
		 t->o->iface : "lo") : t->o->read);
	draw_bar(0, W, title);
	avail = H - 3;	/* title, filter bar, status bar */
	if (avail < 6) {
		refresh();
		return;
	}
	if (t->m.view == TUI_VIEW_TEXT) {
		draw_text(t, y, avail, W);
	} else if (t->m.maximised) {
		memset(&t->lay, 0, sizeof(t->lay));
		if (t->m.pane == TUI_PANE_LIST)
			draw_list(t, y, avail, W);
		else if (t->m.pane == TUI_PANE_TREE)
			draw_tree(t, y, avail, W);
		else
			draw_hex(t, y, avail, W);
	} else {
		lh = avail * 45 / 100;
		th = avail * 33 / 100;
		hh = avail - lh - th;
		draw_list(t, y, lh, W);
		draw_tree(t, y + lh, th, W);
		draw_hex(t, y + lh + th, hh, W);
	}
	draw_status(t, H - 1, W);
	draw_filter(t, H - 2, W);
	refresh();
}
