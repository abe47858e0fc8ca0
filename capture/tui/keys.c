/*
 * keys.c - the TUI's key table: which key calls which action (act.c),
 * with the words the help screen (?) and the man page show for it.  The
 * help is generated from the very table tui_key() dispatches on, and
 * scripts/gen-man-options.sh reads the K(...) lines below for the man
 * page's key list, so a key cannot be bound without being documented.
 * Keys arrive as keys.h codes (draw.c translates curses'); this file
 * does not include <curses.h>.  Prompts (save, go to, find) and the
 * filter bar take the keys while they are open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "tui_impl.h"

typedef void key_fn(struct tui *t, int key);

struct tui_keydef {
	const char *keys;	/* as the help shows them; NULL: a heading */
	const char *what;
	key_fn *fn;
	int codes[4];		/* what calls fn, 0-terminated */
};

static key_fn k_updown, k_page, k_ends, k_sideways, k_pane, k_enter, k_space,
	k_tree_all, k_history, k_goto, k_stream, k_find, k_find_again, k_mark,
	k_next_mark, k_filter, k_escape, k_follow, k_follow_mode, k_flows,
	k_stats, k_save, k_pause, k_max, k_help, k_quit, k_resize, k_sort,
	k_time, k_ladder, k_convs, k_expert, k_endpoints, k_iograph,
	k_io_unit;

/* One K(...) a line, keys and words first: the man page's generator
 * reads them (scripts/gen-man-options.sh). */
#define K(keys, what, fn, ...) { keys, what, fn, { __VA_ARGS__ } }
#define HEADING(what) { NULL, what, NULL, { 0 } }

static const struct tui_keydef keydefs[] = {
	HEADING("Moving"),
	K("Up Down j k", "previous / next packet (tree node, bytes or text line)", k_updown, TK_UP, TK_DOWN, 'j', 'k'),
	K("PgUp PgDn", "a page up / down", k_page, TK_PPAGE, TK_NPAGE),
	K("g G Home End", "first / last packet (G follows new packets)", k_ends, 'g', 'G', TK_HOME, TK_END),
	K("Left Right", "scroll the list or a view sideways; in the tree close / open", k_sideways, TK_LEFT, TK_RIGHT),
	K("Tab", "next pane: list, detail tree, bytes", k_pane, '\t'),
	K("Enter", "on a frame reference ([Response in frame: N]) go there; else open / close", k_enter, TK_ENTER),
	K("Space", "open / close the tree node (in the list: a page down)", k_space, ' '),
	K("e E *", "open / close the whole tree; * opens the node's subtree", k_tree_all, 'e', 'E', '*'),
	HEADING("Jumping"),
	K("[ ] Alt-Left Alt-Right", "back / forward through the jumps, as a browser", k_history, '[', ']', TK_ALT_LEFT, TK_ALT_RIGHT),
	K("Ctrl-G", "go to packet number", k_goto, TK_CTRL('g')),
	K(", .", "previous / next packet of the same TCP stream", k_stream, ',', '.'),
	K("Ctrl-F", "find: display filter, string (Info, tree, bytes) or hex; Tab picks", k_find, TK_CTRL('f')),
	K("n N", "next / previous match of the last find", k_find_again, 'n', 'N'),
	K("m", "mark / unmark the packet", k_mark, 'm'),
	K("M", "next marked packet", k_next_mark, 'M'),
	HEADING("Packet list"),
	K("< >", "sort by the previous / next column (or click a heading; again: reverse)", k_sort, '<', '>'),
	K("t", "time: since the first packet, of day, epoch, delta, delta displayed", k_time, 't'),
	HEADING("Filtering, views, saving"),
	K("/", "display filter (green: valid, red: not), Enter applies", k_filter, '/'),
	K("Esc", "clear the filter / close the view (the flows select their exchange)", k_escape, TK_ESC),
	K("f", "follow the TCP stream (x hex, d HTTP de-chunked and decompressed)", k_follow, 'f'),
	K("x d", "in the follow view: hex / HTTP", k_follow_mode, 'x', 'd'),
	K("h", "HTTP flows: one row per exchange, Enter opens it", k_flows, 'h'),
	K("s", "statistics, latency histogram, codes by URI (of the displayed packets)", k_stats, 's'),
	K("l", "ladder: a column per connection; Enter selects an arrow's frame", k_ladder, 'l'),
	K("P", "endpoints: each address:port, packets and bytes sent and received", k_endpoints, 'P'),
	K("I", "IO graph: packets per interval, the displayed ones against all", k_iograph, 'I'),
	K("b", "in the IO graph: bytes / packets per interval", k_io_unit, 'b'),
	K("i", "expert information by severity; Enter selects a frame", k_expert, 'i'),
	K("c", "TCP conversations: packets, bytes, duration, requests, how it ended", k_convs, 'c'),
	K("w", "save all, marked, displayed packets or a range to a pcap file", k_save, 'w'),
	K("p", "pause / resume a live capture", k_pause, 'p'),
	K("\\", "maximise the current pane", k_max, '\\'),
	K("?", "this help", k_help, '?'),
	K("q", "quit", k_quit, 'q', 'Q'),
	{ NULL, NULL, k_resize, { TK_RESIZE } },	/* draw.c reflows */
};

#define NKEYS (sizeof(keydefs) / sizeof(keydefs[0]))

static const struct tui_keydef *
key_lookup(int key)
{
	size_t i, k;

	for (i = 0; i < NKEYS; i++)
		for (k = 0; k < 4 && keydefs[i].codes[k]; k++)
			if (keydefs[i].codes[k] == key && keydefs[i].fn)
				return &keydefs[i];
	return NULL;
}

void
tui_show_help(struct tui *t)
{
	char line[256];
	size_t i;
	int n;

	tui_text_reset(&t->m.tv, "Help");
	n = snprintf(line, sizeof(line), "httptool sniff --tui: keys");
	tui_text_add(&t->m.tv, TUI_K_TITLE, line, (size_t)n);
	for (i = 0; i < NKEYS; i++) {
		if (!keydefs[i].what)
			continue;
		if (!keydefs[i].keys) {		/* a heading */
			tui_text_add(&t->m.tv, TUI_K_PLAIN, "", 0);
			n = snprintf(line, sizeof(line), "%s", keydefs[i].what);
			tui_text_add(&t->m.tv, TUI_K_TITLE, line, (size_t)n);
			continue;
		}
		n = snprintf(line, sizeof(line), "  %-24s%s", keydefs[i].keys,
			     keydefs[i].what);
		tui_text_add(&t->m.tv, TUI_K_PLAIN, line, (size_t)n);
	}
	tui_text_add(&t->m.tv, TUI_K_PLAIN, "", 0);
	n = snprintf(line, sizeof(line), "Mouse: click a row to select it, "
		     "the wheel scrolls.");
	tui_text_add(&t->m.tv, TUI_K_PLAIN, line, (size_t)n);
	t->text = TUI_T_HELP;
	t->m.view = TUI_VIEW_TEXT;
	t->m.hscroll = 0;
}

/* The actions, each a line or two over act.c and the model. */

static void
k_updown(struct tui *t, int key)
{
	tui_act_move(t, key == TK_UP || key == 'k' ? -1 : 1, false);
}

static void
k_page(struct tui *t, int key)
{
	tui_act_move(t, key == TK_PPAGE ? -1 : 1, true);
}

static void
k_ends(struct tui *t, int key)
{
	tui_act_ends(t, key == 'G' || key == TK_END);
}

static void
k_sideways(struct tui *t, int key)
{
	tui_act_sideways(t, key == TK_LEFT ? -1 : 1);
}

static void
k_pane(struct tui *t, int key)
{
	(void)key;
	tui_next_pane(&t->m);
}

static void
k_enter(struct tui *t, int key)
{
	(void)key;
	tui_act_enter(t);
}

static void
k_space(struct tui *t, int key)
{
	(void)key;
	if (t->m.view == TUI_VIEW_PACKETS && t->m.pane == TUI_PANE_TREE)
		tui_tree_toggle(&t->m.tree);
	else
		tui_act_move(t, 1, true);
}

static void
k_tree_all(struct tui *t, int key)
{
	if (key == '*')
		tui_tree_subtree(&t->m.tree);
	else
		tui_tree_set_all(&t->m.tree, key == 'e');
}

static void
k_history(struct tui *t, int key)
{
	bool back = key == '[' || key == TK_ALT_LEFT;

	if (t->m.view == TUI_VIEW_TEXT)
		tui_act_leave_text(t);
	if (!(back ? tui_back(&t->m) : tui_forward(&t->m)))
		snprintf(t->m.status, sizeof(t->m.status), "nothing to go %s "
			 "to", back ? "back" : "forward");
	t->at_end = false;
}

/* Open a prompt on the bottom line, empty or with a default. */
static void
prompt_open(struct tui *t, int kind, const char *dflt)
{
	t->prompt = kind;
	snprintf(t->pbuf, sizeof(t->pbuf), "%s", dflt);
	t->plen = strlen(t->pbuf);
	t->pfresh = t->plen > 0;
}

static void
k_goto(struct tui *t, int key)
{
	(void)key;
	prompt_open(t, TUI_P_GOTO, "");
}

static void
k_stream(struct tui *t, int key)
{
	if (t->m.view == TUI_VIEW_PACKETS)
		tui_act_stream(t, key == '.' ? 1 : -1);
}

static void
k_find(struct tui *t, int key)
{
	(void)key;
	/* what was searched last, and how, stays as the default */
	prompt_open(t, TUI_P_FIND, t->find.text);
}

static void
k_find_again(struct tui *t, int key)
{
	tui_act_find(t, key == 'n' ? 1 : -1);
}

static void
k_mark(struct tui *t, int key)
{
	(void)key;
	tui_mark_toggle(&t->m, tui_selected(&t->m));
}

static void
k_next_mark(struct tui *t, int key)
{
	uint32_t no = tui_next_marked(&t->m, 1);

	(void)key;
	if (!no)
		snprintf(t->m.status, sizeof(t->m.status), "no marked packet "
			 "is displayed");
	else
		tui_act_jumped(t, no, tui_jump(&t->m, no));
}

static void
k_filter(struct tui *t, int key)
{
	(void)key;
	tui_act_leave_text(t);
	tui_edit_start(&t->m);
}

static void
k_escape(struct tui *t, int key)
{
	(void)key;
	tui_act_escape(t);
}

static void
k_follow(struct tui *t, int key)
{
	(void)key;
	t->follow_mode = TUI_FOLLOW_ASCII;
	tui_open_text(t, TUI_T_FOLLOW);
}

static void
k_follow_mode(struct tui *t, int key)
{
	tui_act_follow_mode(t, key == 'x' ? TUI_FOLLOW_HEX : TUI_FOLLOW_HTTP);
}

static void
k_flows(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_FLOWS);
}

static void
k_stats(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_STATS);
}

static void
k_ladder(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_LADDER);
}

static void
k_endpoints(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_ENDPOINTS);
}

static void
k_iograph(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_IOGRAPH);
}

static void
k_io_unit(struct tui *t, int key)
{
	(void)key;
	if (t->m.view != TUI_VIEW_TEXT || t->text != TUI_T_IOGRAPH)
		return;
	t->io_bytes = !t->io_bytes;
	tui_window_iograph(t);
}

static void
k_expert(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_EXPERT);
}

static void
k_convs(struct tui *t, int key)
{
	(void)key;
	tui_open_text(t, TUI_T_CONVS);
}

static void
k_save(struct tui *t, int key)
{
	(void)key;
	t->prompt = TUI_P_WHICH;
}

static void
k_pause(struct tui *t, int key)
{
	(void)key;
	if (t->live)
		t->m.paused = !t->m.paused;
	else
		snprintf(t->m.status, sizeof(t->m.status),
			 "not a live capture: nothing to pause");
}

static void
k_max(struct tui *t, int key)
{
	(void)key;
	t->m.maximised = !t->m.maximised;
}

static void
k_help(struct tui *t, int key)
{
	(void)key;
	tui_show_help(t);
}

static void
k_quit(struct tui *t, int key)
{
	(void)key;
	t->m.quit = true;
}

/* Sort by column col (again on the same one: reverse). */
static void
sort_by(struct tui *t, int col, bool desc)
{
	static const char *const names[TUI_C__N] = {
		"No.", "Time", "Source", "Destination", "Protocol", "Length",
		"Info",
	};

	t->m.view = TUI_VIEW_PACKETS;
	t->at_end = false;
	if (tui_sort(t, col, desc) < 0)
		snprintf(t->m.status, sizeof(t->m.status), "out of memory");
	else
		snprintf(t->m.status, sizeof(t->m.status), "sorted by %s%s",
			 names[col], desc ? ", descending" : "");
}

static void
k_sort(struct tui *t, int key)
{
	int col = t->m.nsorted ? t->m.sort_col : TUI_C_NO;

	col = (col + (key == '>' ? 1 : TUI_C__N - 1)) % TUI_C__N;
	sort_by(t, col, false);
}

void
tui_sort_click(struct tui *t, int col)
{
	bool same = col == (t->m.nsorted ? t->m.sort_col : TUI_C_NO);

	sort_by(t, col, same && !t->m.sort_desc);
}

static void
k_time(struct tui *t, int key)
{
	(void)key;
	t->m.time_fmt = (t->m.time_fmt + 1) % TUI_TIME__N;
	if (t->m.nsorted && t->m.sort_col == TUI_C_TIME)
		tui_sort(t, TUI_C_TIME, t->m.sort_desc);
	snprintf(t->m.status, sizeof(t->m.status), "time: %s",
		 tui_time_names[t->m.time_fmt]);
}

static void
k_resize(struct tui *t, int key)
{
	(void)t;
	(void)key;
}

/* "10-20", "10-", "-20" or "10": frames lo..hi; false when not so. */
static bool
parse_range(const char *s, uint32_t *lo, uint32_t *hi)
{
	unsigned long a = 1, b = UINT32_MAX;
	char *end;

	if (*s && *s != '-') {
		a = strtoul(s, &end, 10);
		s = end;
	}
	if (*s == '-') {
		s++;
		if (*s) {
			b = strtoul(s, &end, 10);
			s = end;
		}
	} else {
		b = a;
	}
	if (*s || !a || a > b || b > UINT32_MAX)
		return false;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return true;
}

/* Enter on a prompt's text. */
static void
prompt_done(struct tui *t)
{
	char err[160];
	int kind = t->prompt;

	t->prompt = TUI_P_NONE;
	switch (kind) {
	case TUI_P_RANGE:
		if (!parse_range(t->pbuf, &t->range_lo, &t->range_hi)) {
			snprintf(t->m.status, sizeof(t->m.status), "not a range "
				 "of frames: '%.40s' (try 10-20)", t->pbuf);
			return;
		}
		prompt_open(t, TUI_P_NAME, "httptool-saved.pcap");
		break;
	case TUI_P_NAME:
		tui_save(t);
		break;
	case TUI_P_GOTO:
		tui_act_goto(t, t->pbuf);
		break;
	case TUI_P_FIND:
		if (tui_find_start(t, t->find_mode, t->pbuf, err,
				   sizeof(err)) < 0)
			snprintf(t->m.status, sizeof(t->m.status), "find: %.140s",
				 err);
		else
			tui_act_find(t, 1);
		break;
	}
}

/* A key while a prompt is open.  A default is shown selected: the first
 * key typed replaces it, Ctrl-U clears it, Backspace edits it. */
static void
prompt_key(struct tui *t, int key)
{
	if (t->prompt == TUI_P_WHICH) {
		t->save_which = key == 'm' ? TUI_SAVE_MARKED :
				key == 'd' ? TUI_SAVE_SHOWN :
				key == 'r' ? TUI_SAVE_RANGE : TUI_SAVE_ALL;
		if (key == TK_ESC || key < 0 || key > 255 || !strchr("amdr", key))
			t->prompt = TUI_P_NONE;
		else if (key == 'r')
			prompt_open(t, TUI_P_RANGE, "");
		else
			prompt_open(t, TUI_P_NAME, "httptool-saved.pcap");
		return;
	}
	if (key == TK_ESC) {
		t->prompt = TUI_P_NONE;
		return;
	}
	if (key == TK_ENTER) {
		prompt_done(t);
		return;
	}
	if (key == '\t' && t->prompt == TUI_P_FIND) {
		t->find_mode = (t->find_mode + 1) % TUI_FIND__N;
		return;
	}
	if (key == TK_CTRL('u')) {
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
		{ TK_CTRL('u'), TUI_E_KILL },
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

void
tui_key(struct tui *t, int key)
{
	const struct tui_keydef *k;

	t->m.status[0] = '\0';
	if (t->prompt) {
		prompt_key(t, key);
		return;
	}
	if (t->m.editing) {
		edit_key(t, key);
		return;
	}
	if ((k = key_lookup(key)))
		k->fn(t, key);
}

void
tui_mouse(struct tui *t, int y, int x, int button)
{
	const struct tui_layout *l = &t->lay;

	if (button == 4 || button == 5) {
		tui_act_move(t, button == 4 ? -3 : 3, false);
		return;
	}
	if (button != 1 || t->m.view != TUI_VIEW_PACKETS)
		return;
	if (y == l->list_y - 1 && l->list_h > 0) {	/* a heading: sort */
		int c;

		for (c = TUI_C__N - 1; c >= 0; c--)
			if (l->col_x[c] >= 0 && x >= l->col_x[c])
				break;
		if (c >= 0)
			tui_sort_click(t, c);
	} else if (y >= l->list_y && y < l->list_y + l->list_h) {
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
