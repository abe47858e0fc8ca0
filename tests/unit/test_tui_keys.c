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
	keys(&t, "\x1bm");
	CHECK(tui_marked(&t.m, 4));
	keys(&t, "p");			/* not live: a message, no pause */
	CHECK(!t.m.paused);
	CHECK(t.m.status[0] != '\0');
	close_tui(&t);
}
