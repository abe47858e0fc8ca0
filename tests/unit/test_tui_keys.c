/*
 * test_tui_keys.c - the TUI's keys (capture/tui/keys.c) on a recorded
 * capture with no terminal: keys.c never includes curses, so a struct
 * tui, its index and its model are all a test needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/tui/keys.h"
#include "capture/tui/tui_impl.h"
#include "unit.h"

static bool
open_tui(struct tui *t, struct sniff_opts *o)
{
	memset(t, 0, sizeof(*t));
	memset(o, 0, sizeof(*o));
	o->prog = "test";
	o->read = "tests/data/sniff/nginx.pcap";
	t->o = o;
	tui_model_init(&t->m);
	t->m.list_rows = 10;
	t->m.tree_rows = t->m.hex_rows = 8;
	t->lay.text_h = 10;
	if (tui_index_open_file(&t->ix, o->read, NULL, NULL) < 0)
		return false;
	while (tui_index_step(&t->ix, 50))
		;
	tui_set_frames(&t->m, tui_index_frames(&t->ix));
	tui_sync(t);
	return true;
}

static void
close_tui(struct tui *t)
{
	tui_scan_free(&t->sc);
	tui_index_close(&t->ix);
	tui_model_free(&t->m);
	buf_free(&t->bytes);
	buf_free(&t->row);
	tui_find_free(&t->find);
	free(t->flow_frames);
}

static void
keys(struct tui *t, const char *s)
{
	for (; *s; s++)
		tui_key(t, *s == '\n' ? TK_ENTER : *s == 27 ? TK_ESC : *s);
	while (t->sc.active && !tui_scan_finished(&t->sc))
		tui_scan_step(&t->sc, &t->m, 1000);
	tui_sync(t);
}

TEST(tui_keys_navigate_and_sync_the_detail)
{
	struct tui t;
	struct sniff_opts o;

	if (!CHECK(open_tui(&t, &o)))
		return;
	CHECK_EQ(t.m.tree_frame, 1);
	keys(&t, "jjj");
	CHECK_EQ(t.m.tree_frame, 4);
	CHECK_EQ(t.bytes.len, 194);
	keys(&t, "G");
	CHECK_EQ(tui_selected(&t.m), 85);
	keys(&t, "k");
	CHECK_EQ(tui_selected(&t.m), 84);
	keys(&t, "g");
	CHECK_EQ(tui_selected(&t.m), 1);
	/* Tab to the tree; its keys move the tree, not the list */
	keys(&t, "\t");
	CHECK_EQ(t.m.pane, TUI_PANE_TREE);
	keys(&t, "j");
	CHECK_EQ(tui_selected(&t.m), 1);
	CHECK_EQ(t.m.tree.sel, 1);
	keys(&t, "\t\t");
	CHECK_EQ(t.m.pane, TUI_PANE_LIST);
	keys(&t, "\\");
	CHECK(t.m.maximised);
	keys(&t, "q");
	CHECK(t.m.quit);
	close_tui(&t);
}

TEST(tui_keys_filter_bar)
{
	struct tui t;
	struct sniff_opts o;

	if (!CHECK(open_tui(&t, &o)))
		return;
	keys(&t, "/http.request ==\n");	/* invalid: Enter is refused */
	CHECK(t.m.editing);
	CHECK(!t.m.edit_ok);
	CHECK(!t.m.filtered);
	tui_key(&t, TK_BACKSPACE);
	tui_key(&t, TK_BACKSPACE);
	tui_key(&t, TK_BACKSPACE);
	CHECK(t.m.edit_ok);
	keys(&t, "\n");
	CHECK(!t.m.editing);
	CHECK(t.m.filtered);
	CHECK_EQ(tui_rows(&t.m), 12);
	CHECK_EQ(tui_selected(&t.m), 4);
	CHECK_EQ(t.m.tree_frame, 4);
	keys(&t, "\x1b");		/* Esc clears, the frame stays selected */
	CHECK(!t.m.filtered);
	CHECK_EQ(tui_selected(&t.m), 4);
	close_tui(&t);
}

TEST(tui_keys_views_and_marks)
{
	struct tui t;
	struct sniff_opts o;

	if (!CHECK(open_tui(&t, &o)))
		return;
	keys(&t, "jjjf");
	CHECK_EQ(t.m.view, TUI_VIEW_TEXT);
	CHECK_EQ(t.text, TUI_T_FOLLOW);
	CHECK(strstr(t.m.tv.title, "stream 0") != NULL);
	keys(&t, "x");
	CHECK_EQ(t.follow_mode, TUI_FOLLOW_HEX);
	keys(&t, "x");
	CHECK_EQ(t.follow_mode, TUI_FOLLOW_ASCII);
	keys(&t, "\x1bh");
	CHECK_EQ(t.text, TUI_T_FLOWS);
	CHECK_EQ(t.m.tv.n, 13);		/* title + 12 requests */
	keys(&t, "j\n");
	CHECK_EQ(t.text, TUI_T_EXCHANGE);
	keys(&t, "\x1b");
	CHECK_EQ(t.text, TUI_T_FLOWS);
	keys(&t, "\x1bs");
	CHECK_EQ(t.text, TUI_T_STATS);
	keys(&t, "\x1b?");
	CHECK_EQ(t.text, TUI_T_HELP);
	/* leaving the flows selected their exchange (frame 14), so the mark
	 * lands there */
	keys(&t, "\x1bm");
	CHECK(tui_marked(&t.m, 14));
	keys(&t, "p");			/* not live: a message, no pause */
	CHECK(!t.m.paused);
	CHECK(t.m.status[0] != '\0');
	close_tui(&t);
}

/* The tree node that names frame ref, or -1; it is selected. */
static long
select_ref(struct tui *t, uint32_t ref)
{
	size_t k, n = tui_tree_visible(&t->m.tree, NULL, 0);

	for (k = 0; k < n; k++) {
		long i;

		t->m.tree.sel = k;
		i = tui_tree_selected(&t->m.tree);
		if (i >= 0 && t->m.tree.v[i].ref == ref)
			return i;
	}
	return -1;
}

TEST(tui_keys_frame_references_and_history)
{
	struct tui t;
	struct sniff_opts o;

	if (!CHECK(open_tui(&t, &o)))
		return;
	keys(&t, "jjj\t");
	CHECK_EQ(t.m.tree_frame, 4);
	/* "[Response in frame: 6]": Enter goes there, [ and ] come back */
	if (!CHECK(select_ref(&t, 6) >= 0))
		goto out;
	keys(&t, "\n");
	CHECK_EQ(tui_selected(&t.m), 6);
	CHECK_EQ(t.m.tree_frame, 6);
	CHECK(select_ref(&t, 4) >= 0);		/* [Request in frame: 4] */
	keys(&t, "[");
	CHECK_EQ(tui_selected(&t.m), 4);
	keys(&t, "]");
	CHECK_EQ(tui_selected(&t.m), 6);
	keys(&t, "]");				/* nothing forward */
	CHECK_EQ(tui_selected(&t.m), 6);
	CHECK(strstr(t.m.status, "forward") != NULL);
	tui_key(&t, TK_ALT_LEFT);
	CHECK_EQ(tui_selected(&t.m), 4);
	/* Ctrl-G, then a bad number */
	tui_key(&t, TK_CTRL('g'));
	keys(&t, "50\n");
	CHECK_EQ(tui_selected(&t.m), 50);
	tui_key(&t, TK_CTRL('g'));
	keys(&t, "86\n");
	CHECK_EQ(tui_selected(&t.m), 50);
	CHECK(strstr(t.m.status, "no frame 86") != NULL);
	keys(&t, "[");
	CHECK_EQ(tui_selected(&t.m), 4);
out:
	close_tui(&t);
}

TEST(tui_keys_find_and_same_stream)
{
	struct tui t;
	struct sniff_opts o;

	if (!CHECK(open_tui(&t, &o)))
		return;
	keys(&t, "\t\t\t");		/* the list has the focus */
	tui_key(&t, TK_CTRL('f'));
	keys(&t, "http.request.method == \"POST\"\n");
	CHECK_EQ(tui_selected(&t.m), 36);
	keys(&t, "n");
	CHECK_EQ(tui_selected(&t.m), 50);
	keys(&t, "nn");			/* 63, then wrapped to 36 */
	CHECK_EQ(tui_selected(&t.m), 36);
	CHECK(strstr(t.m.status, "wrapped") != NULL);
	keys(&t, "N");
	CHECK_EQ(tui_selected(&t.m), 63);
	/* hex, through Tab: filter, Info, tree, bytes, hex */
	tui_key(&t, TK_CTRL('f'));
	keys(&t, "\t\t\t\t");
	CHECK_EQ(t.find_mode, TUI_FIND_HEX);
	tui_key(&t, TK_CTRL('u'));
	keys(&t, "48 45 41 44\n");		/* "HEAD" */
	CHECK_EQ(tui_selected(&t.m), 14);
	/* the same stream: 14 is stream 1 (frames 11..20) */
	keys(&t, ".");
	CHECK_EQ(tui_selected(&t.m), 15);
	keys(&t, ",,,,");
	CHECK_EQ(tui_selected(&t.m), 11);
	keys(&t, ",");				/* its first: stays, says so */
	CHECK_EQ(tui_selected(&t.m), 11);
	CHECK(strstr(t.m.status, "no earlier packet") != NULL);
	close_tui(&t);
}

TEST(tui_sort_by_column)
{
	struct tui t;
	struct sniff_opts o;
	size_t i, n;

	if (!CHECK(open_tui(&t, &o)))
		return;
	CHECK_EQ(tui_sort(&t, TUI_C_LEN, false), 0);
	n = tui_rows(&t.m);
	CHECK_EQ(t.m.nsorted, n);
	CHECK_EQ(tui_selected(&t.m), 1);		/* stays selected */
	for (i = 1; i < n; i++) {
		uint32_t a = tui_row_frame(&t.m, i - 1), b = tui_row_frame(&t.m, i);
		uint32_t la = cap_frame(&t.ix.ss.cap, a - 1)->len;
		uint32_t lb = cap_frame(&t.ix.ss.cap, b - 1)->len;

		if (!CHECK(la < lb || (la == lb && a < b)))
			break;
	}
	CHECK_EQ(tui_row_frame(&t.m, n - 1), 63);	/* 4756 bytes */
	CHECK_EQ(tui_row_of(&t.m, 63), (long)n - 1);
	CHECK_EQ(tui_sort(&t, TUI_C_LEN, true), 0);
	CHECK_EQ(tui_row_frame(&t.m, 0), 63);
	CHECK_EQ(tui_row_frame(&t.m, 1), 6);
	/* Info as text: digits before "GET", "HTTP" before "POST" */
	CHECK_EQ(tui_sort(&t, TUI_C_INFO, false), 0);
	CHECK_EQ(tui_row_frame(&t.m, 0), 5);
	CHECK_EQ(tui_row_frame(&t.m, n - 1), 50);
	/* delta time: frame 3 came 9 us after frame 2 */
	t.m.time_fmt = TUI_TIME_DELTA;
	CHECK_EQ(tui_time_ns(&t, 3, 2), 9000);
	/* capture order again, and a filter forgets the sort */
	CHECK_EQ(tui_sort(&t, TUI_C_NO, false), 0);
	CHECK_EQ(t.m.nsorted, 0);
	CHECK_EQ(tui_row_frame(&t.m, 0), 1);
	tui_sort(&t, TUI_C_LEN, false);
	keys(&t, "/http\n");
	CHECK_EQ(t.m.nsorted, 0);
	CHECK_EQ(tui_row_frame(&t.m, 0), 4);
	close_tui(&t);
}
