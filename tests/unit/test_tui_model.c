/*
 * test_tui_model.c - the TUI's model without a terminal: selection,
 * scrolling, live append, filtering, marks, the filter bar and the
 * detail tree's expand/collapse.  Also the index adapter on a recorded
 * capture: rows, detail tree and the filter scan, with no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ptree.h"
#include "capture/sniff.h"
#include "capture/tui/index.h"
#include "capture/tui/model.h"
#include "capture/tui/scan.h"
#include "unit.h"

static void
model_with(struct tui_model *m, size_t frames, int rows)
{
	tui_model_init(m);
	m->list_rows = rows;
	tui_set_frames(m, frames);
}

TEST(tui_select_first_row_when_rows_appear)
{
	struct tui_model m;

	model_with(&m, 0, 10);
	CHECK(!m.has_sel);
	CHECK_EQ(tui_selected(&m), 0);
	tui_set_frames(&m, 3);
	CHECK_EQ(tui_selected(&m), 1);
	tui_model_free(&m);
}

TEST(tui_move_and_scroll)
{
	struct tui_model m;

	model_with(&m, 100, 10);
	tui_move(&m, 1);
	CHECK_EQ(tui_selected(&m), 2);
	tui_move(&m, -5);
	CHECK_EQ(tui_selected(&m), 1);	/* clamped at the top */
	tui_move(&m, 12);
	CHECK_EQ(tui_selected(&m), 13);
	CHECK_EQ(m.top, 3);		/* row 12 is the last visible */
	tui_page(&m, 1);
	CHECK_EQ(tui_selected(&m), 22);
	CHECK(m.top <= m.sel && m.sel < m.top + 10);
	tui_end(&m);
	CHECK_EQ(tui_selected(&m), 100);
	CHECK_EQ(m.top, 90);
	tui_move(&m, 5);
	CHECK_EQ(tui_selected(&m), 100);	/* clamped at the bottom */
	tui_page(&m, -1);
	CHECK_EQ(tui_selected(&m), 91);
	tui_home(&m);
	CHECK_EQ(tui_selected(&m), 1);
	CHECK_EQ(m.top, 0);
	tui_model_free(&m);
}

TEST(tui_live_append_keeps_selection)
{
	struct tui_model m;

	model_with(&m, 50, 10);
	tui_select_row(&m, 4);
	tui_set_frames(&m, 5000);
	CHECK_EQ(tui_selected(&m), 5);
	CHECK_EQ(m.top, 0);
	CHECK_EQ(tui_rows(&m), 5000);
	tui_model_free(&m);
}

TEST(tui_filter_narrows_and_clear_keeps_frame)
{
	struct tui_model m;
	uint32_t f;

	model_with(&m, 100, 10);
	tui_filter_begin(&m, "tcp.port == 80");
	CHECK(m.filtered);
	CHECK_EQ(tui_rows(&m), 0);
	CHECK_EQ(tui_selected(&m), 0);
	for (f = 10; f <= 100; f += 10)
		CHECK_EQ(tui_filter_add(&m, f), 0);
	CHECK_EQ(tui_rows(&m), 10);
	CHECK_EQ(tui_selected(&m), 10);
	tui_move(&m, 3);
	CHECK_EQ(tui_selected(&m), 40);
	CHECK_STR(m.applied, "tcp.port == 80");
	tui_select_frame(&m, 55);	/* not shown: the next one is */
	CHECK_EQ(tui_selected(&m), 60);
	/* a filtered list growing while scanning keeps the selection */
	CHECK_EQ(tui_filter_add(&m, 101), 0);
	CHECK_EQ(tui_selected(&m), 60);
	tui_filter_clear(&m);
	CHECK(!m.filtered);
	CHECK_EQ(tui_rows(&m), 100);
	CHECK_EQ(tui_selected(&m), 60);
	CHECK_STR(m.applied, "");
	tui_model_free(&m);
}

TEST(tui_marks)
{
	struct tui_model m;

	model_with(&m, 100000, 10);
	tui_mark_toggle(&m, 7);
	tui_mark_toggle(&m, 99999);
	CHECK(tui_marked(&m, 7));
	CHECK(tui_marked(&m, 99999));
	CHECK(!tui_marked(&m, 8));
	CHECK_EQ(m.nmarked, 2);
	tui_mark_toggle(&m, 7);
	CHECK(!tui_marked(&m, 7));
	CHECK_EQ(m.nmarked, 1);
	tui_model_free(&m);
}

TEST(tui_filter_bar_validates_live)
{
	struct tui_model m;
	const char *s = "http.request ==";

	model_with(&m, 10, 10);
	tui_edit_start(&m);
	CHECK(m.edit_ok);		/* empty: matches everything */
	while (*s)
		tui_edit_key(&m, *s++);
	CHECK(!m.edit_ok);
	CHECK(m.edit_err[0] != '\0');
	tui_edit_key(&m, ' ');
	tui_edit_key(&m, 'G');
	tui_edit_key(&m, 'E');
	tui_edit_key(&m, 'T');
	CHECK(!m.edit_ok);		/* http.request is a protocol field */
	tui_edit_key(&m, TUI_E_KILL);
	s = "http.request.method == \"GET\"";
	while (*s)
		tui_edit_key(&m, *s++);
	CHECK(m.edit_ok);
	tui_edit_key(&m, TUI_E_HOME);
	tui_edit_key(&m, 'x');
	CHECK(!m.edit_ok);
	CHECK_EQ(m.err_off, 0);		/* the unknown field is at the start */
	tui_edit_key(&m, TUI_E_DELETE);	/* deletes 'h' after the cursor */
	CHECK_STR(m.edit, "xttp.request.method == \"GET\"");
	tui_edit_key(&m, TUI_E_LEFT);
	tui_edit_key(&m, TUI_E_DELETE);
	tui_edit_key(&m, 'h');
	CHECK_STR(m.edit, "http.request.method == \"GET\"");
	CHECK(m.edit_ok);
	tui_model_free(&m);
}

/* A protocol tree as the decoders build one (ptree.h). */
static void
small_tree(struct ptree *pt)
{
	static const char *lines[] = {
		"0Frame 4: 194 bytes on wire", "1Frame Number: 4",
		"0Transmission Control Protocol, Src Port: 1",
		"1Source Port: 1", "1Flags: 0x018", "2Push: Set",
		"0Hypertext Transfer Protocol", "1GET / HTTP/1.1\\r\\n",
		"2Request Method: GET", "1Host: a\\r\\n",
	};
	size_t i;

	memset(pt, 0, sizeof(*pt));
	ptree_reset(pt, (const uint8_t *)"0123456789", 10);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		long n;

		pt->depth = (uint16_t)(lines[i][0] - '0');
		n = ptree_add(pt, 0, i, 1, "%s", lines[i] + 1);
		if (i == 6)
			ptree_proto(pt, n, FF_HTTP);
	}
}

TEST(tui_tree_expand_collapse)
{
	struct tui_tree t;
	struct ptree pt;
	size_t idx[32], n;

	memset(&t, 0, sizeof(t));
	small_tree(&pt);
	CHECK_EQ(tui_tree_load(&t, &pt), 0);
	ptree_free(&pt);
	CHECK_EQ(t.n, 10);
	CHECK(!memcmp(t.text.data + t.v[4].off, "Flags: 0x018", t.v[4].len));
	CHECK(!strncmp(t.text.data, "Frame 4: 194 bytes on wire\n    Frame", 36));
	/* layers closed, HTTP open: Frame, TCP, HTTP + its 3 lines */
	n = tui_tree_visible(&t, idx, 32);
	CHECK_EQ(n, 6);
	CHECK_EQ(idx[2], 6);
	CHECK(t.v[0].kids && !t.v[0].open);
	CHECK(!t.v[1].kids);
	CHECK(t.v[6].open);
	/* open TCP: its two children show, Flags stays closed */
	tui_tree_move(&t, 1, 5);
	CHECK_EQ(tui_tree_selected(&t), 2);
	tui_tree_toggle(&t);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 8);
	tui_tree_move(&t, 2, 5);
	CHECK_EQ(tui_tree_selected(&t), 4);
	tui_tree_toggle(&t);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 9);
	/* closing TCP hides its whole subtree */
	tui_tree_move(&t, -2, 5);
	tui_tree_toggle(&t);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 6);
	/* a leaf does not toggle; moving stops at the ends, scrolls */
	tui_tree_move(&t, 100, 3);
	CHECK_EQ(t.sel, 5);
	CHECK_EQ(t.top, 3);
	tui_tree_toggle(&t);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 6);
	tui_tree_set_all(&t, true);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 10);
	tui_tree_set_all(&t, false);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 3);
	tui_tree_free(&t);
}

TEST(tui_text_view_scroll)
{
	struct tui_text tv;

	memset(&tv, 0, sizeof(tv));
	tui_text_reset(&tv, "t");
	CHECK_EQ(tui_text_add(&tv, TUI_K_CLIENT, "a\nbb\nccc", 8), 0);
	CHECK_EQ(tv.n, 3);
	CHECK_EQ(tv.len[1], 2);
	CHECK_EQ(tv.kind[2], TUI_K_CLIENT);
	tui_text_scroll(&tv, 10, 2);
	CHECK_EQ(tv.top, 1);
	tui_text_scroll(&tv, -10, 2);
	CHECK_EQ(tv.top, 0);
	tui_text_free(&tv);
}

/* The adapter on a recorded capture, the whole file indexed in steps. */
static int
open_nginx(struct tui_index *ix)
{
	if (tui_index_open_file(ix, "tests/data/sniff/nginx.pcap", NULL, NULL) < 0)
		return -1;
	while (tui_index_step(ix, 7))
		;
	return 0;
}

TEST(tui_index_rows_and_detail)
{
	struct tui_index ix;
	struct tui_tree tr;
	struct buf row, bytes;
	const char *c[6];
	size_t i, idx[256], n;
	bool found = false;
	long sel;

	memset(&tr, 0, sizeof(tr));
	buf_init(&row);
	buf_init(&bytes);
	if (!CHECK_EQ(open_nginx(&ix), 0))
		return;
	CHECK(ix.done);
	CHECK_EQ(tui_index_frames(&ix), 85);
	CHECK_EQ(tui_index_row(&ix, 4, &row, c), TUI_K_REQUEST);
	CHECK_STR(c[3], "HTTP");
	CHECK(strstr(c[5], "GET /big.txt HTTP/1.1") != NULL);
	CHECK_EQ(tui_index_row(&ix, 6, &row, c), TUI_K_2XX);
	CHECK(strstr(c[5], "HTTP/1.1 200 OK") != NULL);
	CHECK_EQ(tui_index_row(&ix, 5, &row, c), TUI_K_TCP);
	CHECK(strstr(c[5], "Seq=1 Ack=129") != NULL);
	/* the request's tree knows its response (whole-capture pairing) */
	CHECK_EQ(tui_index_detail(&ix, 4, &tr, &bytes), 0);
	CHECK_EQ(bytes.len, 194);
	n = tui_tree_visible(&tr, idx, 256);
	for (i = 0; i < n; i++)
		if (!strncmp(tr.text.data + tr.v[idx[i]].off,
			     "[Response in frame: 6]", 22))
			found = true;
	CHECK(found);
	/* select the Host line: its bytes are highlighted exactly */
	for (i = 0; i < n; i++) {
		const struct tui_node *nd = &tr.v[idx[i]];

		if (!strncmp(tr.text.data + nd->off, "Host:", 5)) {
			tr.sel = i;
			break;
		}
	}
	sel = tui_tree_selected(&tr);
	CHECK(sel >= 0);
	if (sel >= 0 && tr.v[sel].hl_off >= 0)
		CHECK(!memcmp(bytes.data + tr.v[sel].hl_off, "Host: 127.0.0.1",
			      15));
	tui_tree_free(&tr);
	buf_free(&row);
	buf_free(&bytes);
	tui_index_close(&ix);
}

TEST(tui_scan_filters_the_index)
{
	struct tui_index ix;
	struct tui_model m;
	struct tui_scan sc;
	struct tui_text tv;

	memset(&tv, 0, sizeof(tv));
	if (!CHECK_EQ(open_nginx(&ix), 0))
		return;
	model_with(&m, tui_index_frames(&ix), 10);
	tui_filter_begin(&m, "http.request.method == \"POST\"");
	CHECK_EQ(tui_scan_start(&sc, &ix, filter_compile(m.applied, NULL)), 0);
	while (!tui_scan_finished(&sc))
		tui_scan_step(&sc, &m, 10);
	CHECK_EQ(tui_rows(&m), 3);
	CHECK_EQ(tui_row_frame(&m, 0), 36);
	tui_scan_free(&sc);
	/* follow stream 0: request and response text, client first */
	CHECK_EQ(tui_index_follow(&ix, 0, TUI_FOLLOW_ASCII, &tv), 0);
	CHECK(tv.n > 5);
	CHECK_EQ(tv.kind[0], TUI_K_CLIENT);
	CHECK(!strncmp(tv.text.data + tv.off[0], "GET /big.txt HTTP/1.1", 21));
	tui_text_free(&tv);
	tui_model_free(&m);
	tui_index_close(&ix);
}


/* Node of the tree whose label starts with s, or -1. */
static long
node_named(const struct tui_tree *t, const char *s)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].len >= strlen(s) &&
		    !memcmp(t->text.data + t->v[i].off, s, strlen(s)))
			return (long)i;
	return -1;
}

/* Do node i's bytes, in its data source, equal want (and is that source
 * named src)? */
static bool
node_bytes(const struct tui_tree *t, long i, const char *src,
	   const char *want)
{
	const struct tui_node *nd;
	const uint8_t *p;
	size_t len;

	if (i < 0)
		return false;
	nd = &t->v[i];
	p = tui_tree_bytes(t, nd->src, &len);
	if (!p || nd->hl_off < 0 || strcmp(t->src[nd->src].name, src) ||
	    (size_t)nd->hl_off + (size_t)nd->hl_len > len)
		return false;
	return (size_t)nd->hl_len == strlen(want) &&
	       !memcmp(p + nd->hl_off, want, strlen(want));
}

/* Selecting a header line, a form item, a chunk, a decompressed body
 * line: exactly those bytes, in the right data source (the bytes pane's
 * tab follows the selection). */
TEST(tui_tree_highlights_exact_bytes)
{
	struct tui_index ix;
	struct tui_tree tr;
	struct buf bytes;
	long i;
	size_t k, len;
	const uint8_t *p;

	memset(&tr, 0, sizeof(tr));
	buf_init(&bytes);
	if (!CHECK_EQ(open_nginx(&ix), 0))
		return;
	CHECK_EQ(tui_index_detail(&ix, 4, &tr, &bytes), 0);
	i = node_named(&tr, "Host: ");
	CHECK(node_bytes(&tr, i, "Frame", "Host: 127.0.0.1:55911\r\n"));
	i = node_named(&tr, "Request Method: ");
	CHECK(node_bytes(&tr, i, "Frame", "GET"));
	/* a POST form: each item is its name=value in the frame */
	CHECK_EQ(tui_index_detail(&ix, 36, &tr, &bytes), 0);
	i = node_named(&tr, "Form item: \"name\"");
	CHECK(node_bytes(&tr, i, "Frame", "name=a+b"));
	i = node_named(&tr, "Key: name");
	CHECK(node_bytes(&tr, i, "Frame", "name"));
	/* chunked and gzip: a chunk is its framing in the frame, a body
	 * line is in the Uncompressed entity body tab */
	CHECK_EQ(tui_index_detail(&ix, 6, &tr, &bytes), 0);
	CHECK_EQ(tr.nsrc, 3);
	CHECK_STR(tr.src[1].name, "De-chunked entity body");
	CHECK_STR(tr.src[2].name, "Uncompressed entity body");
	i = node_named(&tr, "Chunk size: 499 octets");
	CHECK(node_bytes(&tr, i, "Frame", "1f3\r\n"));
	i = node_named(&tr, "Chunk boundary");
	CHECK(node_bytes(&tr, i, "Frame", "\r\n"));
	i = node_named(&tr, "line 0 of a text file");
	CHECK(node_bytes(&tr, i, "Uncompressed entity body",
			 "line 0 of a text file\n"));
	/* the bytes pane shows the selected node's source */
	tui_tree_set_all(&tr, true);
	for (k = 0; k < 400 && tui_tree_selected(&tr) != i; k++)
		tui_tree_move(&tr, 1, 10);
	CHECK_EQ(tui_tree_selected(&tr), i);
	CHECK_EQ(tui_tree_source(&tr), 2);
	p = tui_tree_bytes(&tr, 2, &len);
	CHECK_EQ(len, 4690);
	CHECK(p && !memcmp(p, "line 0 of a text file\n", 22));
	i = node_named(&tr, "Content-encoded entity body");
	CHECK(node_bytes(&tr, i, "De-chunked entity body", "") ||
	      (i >= 0 && tr.v[i].src == 1 && tr.v[i].hl_len == 499));
	/* a message in several frames: its Reassembled TCP tab */
	CHECK_EQ(tui_index_detail(&ix, 63, &tr, &bytes), 0);
	i = node_named(&tr, "Hypertext Transfer Protocol");
	CHECK(i >= 0 && !strcmp(tr.src[tr.v[i].src].name, "Reassembled TCP"));
	i = node_named(&tr, "POST /echo HTTP/1.1");
	CHECK(node_bytes(&tr, i, "Reassembled TCP", "POST /echo HTTP/1.1\r\n"));
	i = node_named(&tr, "Request URI: ");
	CHECK(node_bytes(&tr, i, "Reassembled TCP", "/echo"));
	tui_tree_free(&tr);
	buf_free(&bytes);
	tui_index_close(&ix);
}

TEST(tui_model_jumps_back_forward)
{
	struct tui_model m;
	size_t i;

	tui_model_init(&m);
	tui_set_frames(&m, 100);
	CHECK_EQ(tui_row_of(&m, 0), -1);
	CHECK_EQ(tui_row_of(&m, 101), -1);
	CHECK_EQ(tui_row_of(&m, 7), 6);
	CHECK(tui_jump(&m, 10));
	CHECK(tui_jump(&m, 20));
	CHECK(tui_jump(&m, 30));
	CHECK(tui_back(&m));
	CHECK_EQ(tui_selected(&m), 20);
	CHECK(tui_back(&m));
	CHECK_EQ(tui_selected(&m), 10);
	CHECK(tui_forward(&m));
	CHECK_EQ(tui_selected(&m), 20);
	CHECK(tui_jump(&m, 40));		/* forgets the Forward list */
	CHECK(!tui_forward(&m));
	CHECK(!tui_jump(&m, 101));
	CHECK_EQ(tui_selected(&m), 40);
	/* a filter that hides a frame: Back skips it */
	tui_filter_begin(&m, "x");
	for (i = 1; i <= 100; i++)
		if (i != 20)
			tui_filter_add(&m, (uint32_t)i);
	tui_select_frame(&m, 40);
	CHECK_EQ(tui_row_of(&m, 20), -1);
	CHECK_EQ(tui_row_of(&m, 21), 19);
	CHECK(!tui_jump(&m, 20));
	CHECK(tui_back(&m));
	CHECK_EQ(tui_selected(&m), 10);		/* 20 is hidden */
	/* the history is bounded */
	for (i = 0; i < 3 * TUI_HISTORY; i++)
		tui_jump(&m, (uint32_t)(i % 2 ? 50 : 60));
	CHECK_EQ(m.nback, TUI_HISTORY);
	tui_model_free(&m);
}

TEST(tui_model_next_marked_wraps)
{
	struct tui_model m;

	tui_model_init(&m);
	tui_set_frames(&m, 50);
	CHECK_EQ(tui_next_marked(&m, 1), 0);
	tui_mark_toggle(&m, 5);
	tui_mark_toggle(&m, 30);
	tui_select_frame(&m, 10);
	CHECK_EQ(tui_next_marked(&m, 1), 30);
	CHECK_EQ(tui_next_marked(&m, -1), 5);
	tui_select_frame(&m, 30);
	CHECK_EQ(tui_next_marked(&m, 1), 5);	/* wrapped */
	tui_model_free(&m);
}

/* 80 columns: Info keeps >= 40 of them, the addresses go first. */
TEST(tui_model_columns_fit_the_terminal)
{
	int need[TUI_C__N] = { 2, 8, 9, 9, 4, 3, 44 }, w[TUI_C__N], c, sum;

	tui_columns(160, need, w);
	CHECK_EQ(w[TUI_C_SRC], 9 > 6 ? 9 : 6);
	CHECK_EQ(w[TUI_C_DST], 11);		/* "Destination" */
	CHECK_EQ(w[TUI_C_PROTO], 8);		/* "Protocol" */
	tui_columns(80, need, w);
	CHECK_EQ(w[TUI_C_SRC], 0);
	CHECK_EQ(w[TUI_C_DST], 0);
	CHECK(w[TUI_C_INFO] >= 44);
	for (sum = 1, c = 0; c < TUI_C__N; c++)
		sum += w[c] + (w[c] && c < TUI_C_INFO);
	CHECK_EQ(sum, 80);
	CHECK_STR(tui_column_name(TUI_C_PROTO, w[TUI_C_PROTO]), "Proto");
	/* a short Info leaves room for the addresses */
	need[TUI_C_INFO] = 20;
	tui_columns(80, need, w);
	CHECK_EQ(w[TUI_C_SRC], 9);
	CHECK(w[TUI_C_INFO] >= 20);
}

TEST(tui_model_tree_left_right_subtree)
{
	struct ptree pt;
	struct tui_tree t;
	long n;

	memset(&pt, 0, sizeof(pt));
	memset(&t, 0, sizeof(t));
	ptree_reset(&pt, (const uint8_t *)"x", 1);
	ptree_add(&pt, 0, 0, 1, "Layer");
	ptree_push(&pt);
	ptree_add(&pt, 0, 0, 1, "Child");
	ptree_push(&pt);
	n = ptree_add(&pt, -1, 0, 0, "[Response in frame: 6]");
	ptree_frame(&pt, n, -1, 6);
	ptree_pop(&pt);
	ptree_pop(&pt);
	if (!CHECK_EQ(tui_tree_load(&t, &pt), 0))
		goto out;
	CHECK_EQ(t.v[2].ref, 6);
	CHECK_EQ(t.v[0].ref, 0);
	CHECK(!t.v[0].open);			/* not HTTP: closed */
	tui_tree_right(&t, 10);			/* opens */
	CHECK(t.v[0].open);
	tui_tree_right(&t, 10);			/* to its child */
	CHECK_EQ(tui_tree_selected(&t), 1);
	tui_tree_left(&t, 10);			/* closes the child */
	CHECK(!t.v[1].open);
	tui_tree_left(&t, 10);			/* closed: to the parent */
	CHECK_EQ(tui_tree_selected(&t), 0);
	tui_tree_left(&t, 10);
	CHECK(!t.v[0].open);
	tui_tree_subtree(&t);			/* *: all below open */
	CHECK(t.v[0].open && t.v[1].open);
	CHECK_EQ(tui_tree_visible(&t, NULL, 0), 3);
out:
	tui_tree_free(&t);
	ptree_free(&pt);
}
