/* test_raw_http.c - `httptool raw`: counting requests sent (raw_track.c)
 * and annotating responses (raw_annot.c), whole and byte by byte */
#include "raw/raw_annot.h"
#include "raw/raw_track.h"
#include "unit.h"

static void
track_all(struct raw_track *t, const char *s, bool bytewise)
{
	size_t n = strlen(s);

	if (!bytewise) {
		raw_track_feed(t, unit_guard(s, n), n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		raw_track_feed(t, unit_guard(s + i, 1), 1);
}

static void
annot_all(struct raw_annot *a, const char *s, bool bytewise)
{
	size_t n = strlen(s);

	if (!bytewise) {
		raw_annot_feed(a, unit_guard(s, n), n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		raw_annot_feed(a, unit_guard(s + i, 1), 1);
}

static bool
has(const struct buf *b, const char *text)
{
	return b->data && strstr(b->data, text) != NULL;
}

TEST(raw_track_pipelined_methods)
{
	for (int bw = 0; bw < 2; bw++) {
		struct raw_track t;

		raw_track_init(&t);
		track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
			  "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n"
			  "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5"
			  "\r\n\r\nhello"
			  "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
			  "chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", bw);
		CHECK_EQ(t.sent, 4);
		CHECK_EQ(raw_track_pending(&t), 4);
		CHECK(!raw_track_partial(&t));
		CHECK_SPAN(raw_track_method(&t), "GET");
		raw_track_answered(&t);
		CHECK_SPAN(raw_track_method(&t), "HEAD");
		raw_track_answered(&t);
		CHECK_SPAN(raw_track_method(&t), "POST");
		raw_track_answered(&t);
		CHECK_SPAN(raw_track_method(&t), "PUT");
		raw_track_answered(&t);
		CHECK_EQ(raw_track_pending(&t), 0);
		CHECK_EQ(raw_track_method(&t).len, 0);
		CHECK_EQ(t.state, RAW_TRACK_HEAD);
		raw_track_free(&t);
	}
}

TEST(raw_track_partial_and_lost)
{
	struct raw_track t;

	raw_track_init(&t);
	track_all(&t, "\r\n", false);
	CHECK(!raw_track_partial(&t));		/* blank lines are nothing */
	track_all(&t, "GET / HTTP/1.1\nHost: a\n", false);
	CHECK(raw_track_partial(&t));
	CHECK_EQ(raw_track_pending(&t), 0);
	track_all(&t, "\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10"
		  "\r\n\r\nabc", false);
	CHECK_EQ(t.sent, 2);			/* bare LF tolerated */
	CHECK(raw_track_partial(&t));		/* body still coming */
	CHECK_EQ(raw_track_pending(&t), 1);
	raw_track_free(&t);

	raw_track_init(&t);
	track_all(&t, "hello there\n", false);
	CHECK_EQ(t.state, RAW_TRACK_LOST);
	CHECK_EQ(t.sent, 0);
	track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false);
	CHECK_EQ(t.sent, 0);			/* lost stays lost */
	raw_track_free(&t);

	raw_track_init(&t);
	track_all(&t, "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\nxx", true);
	CHECK_EQ(t.state, RAW_TRACK_TUNNEL);
	CHECK_EQ(raw_track_pending(&t), 1);
	CHECK_SPAN(raw_track_method(&t), "CONNECT");
	raw_track_free(&t);
}

static const char two_responses[] =
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
	"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"	/* HEAD: no body */
	"HTTP/1.1 100 Continue\r\n\r\n"
	"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
	"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";

TEST(raw_annot_pipelined_responses)
{
	for (int bw = 0; bw < 2; bw++) {
		struct raw_track t;
		struct raw_annot a;

		raw_track_init(&t);
		raw_annot_init(&a, &t, false);
		track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
			  "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"
			  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1"
			  "\r\n\r\nx", false);
		annot_all(&a, two_responses, bw);
		CHECK_EQ(a.complete, 3);
		CHECK_EQ(t.answered, 3);
		CHECK_EQ(raw_track_pending(&t), 0);
		CHECK(has(&a.notes, "* response 1 to GET: HTTP/1.1 200 OK\n"));
		CHECK(has(&a.notes, "* body: Content-Length 5\n"));
		CHECK(has(&a.notes, "* response 1 complete: 5 body bytes\n"));
		CHECK(has(&a.notes, "* response 2 to HEAD: HTTP/1.1 200 OK\n"));
		CHECK(has(&a.notes, "* body: none (answer to HEAD)\n"));
		CHECK(has(&a.notes, "* interim response: HTTP/1.1 100 "
			  "Continue\n"));
		CHECK(has(&a.notes, "* response 3 to POST: HTTP/1.1 201 "
			  "Created\n"));
		CHECK(has(&a.notes, "* body: chunked\n"));
		CHECK(has(&a.notes, "* response 3 complete: 2 chunks, 5 body "
			  "bytes\n"));
		CHECK(!has(&a.notes, "malformed"));
		raw_annot_free(&a);
		raw_track_free(&t);
	}
}

TEST(raw_annot_close_delimited_and_cut_short)
{
	struct raw_track t;
	struct raw_annot a;

	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	track_all(&t, "GET / HTTP/1.0\r\n\r\n", false);
	annot_all(&a, "HTTP/1.0 200 OK\r\n\r\nsome body", true);
	CHECK(has(&a.notes, "* body: until the server closes the connection"));
	CHECK_EQ(raw_track_pending(&t), 1);
	raw_annot_eof(&a);
	CHECK(has(&a.notes, "* response 1 complete: 9 body bytes (ended by "
		  "the close)\n"));
	CHECK_EQ(raw_track_pending(&t), 0);
	raw_annot_free(&a);
	raw_track_free(&t);

	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false);
	annot_all(&a, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
		  "Connection: close\r\n\r\nabc", false);
	raw_annot_eof(&a);
	CHECK(has(&a.notes, "* response 1 cut short: connection closed before "
		  "the end of the body"));
	CHECK_EQ(raw_track_pending(&t), 1);
	raw_annot_free(&a);
	raw_track_free(&t);
}

TEST(raw_annot_malformed_replies)
{
	struct raw_track t;
	struct raw_annot a;

	/* tolerated: bare LF; the first problem is named with its offset */
	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false);
	annot_all(&a, "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false);
	CHECK(has(&a.notes, "* malformed: bare LF line ending at byte 15"));
	CHECK(has(&a.notes, "* response 1 complete: 2 body bytes\n"));
	raw_annot_free(&a);
	raw_track_free(&t);

	/* not HTTP at all: said once, then quiet */
	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	annot_all(&a, "hello\nmore\n", false);
	CHECK(has(&a.notes, "* not an HTTP response: malformed status line"));
	CHECK(raw_annot_stopped(&a));
	buf_reset(&a.notes);
	annot_all(&a, "HTTP/1.1 200 OK\r\n\r\n", false);
	CHECK_EQ(a.notes.len, 0);
	raw_annot_free(&a);
	raw_track_free(&t);

	/* nothing HTTP sent either (an echo lab): said gently */
	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	track_all(&t, "hello\n", false);
	annot_all(&a, "hello\n", false);
	CHECK(has(&a.notes, "* the reply is not HTTP either"));
	CHECK(!has(&a.notes, "malformed"));
	raw_annot_free(&a);
	raw_track_free(&t);

	/* a bad chunk size */
	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	annot_all(&a, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "zz\r\n", false);
	CHECK(has(&a.notes, "* response 1 (no request pending): HTTP/1.1 200"));
	CHECK(has(&a.notes, "* malformed body of response 1: "));
	raw_annot_free(&a);
	raw_track_free(&t);
}

TEST(raw_annot_switching_protocols_and_quiet)
{
	struct raw_track t;
	struct raw_annot a;

	raw_track_init(&t);
	raw_annot_init(&a, &t, false);
	track_all(&t, "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n"
		  "Upgrade: websocket\r\n\r\n", false);
	annot_all(&a, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: "
		  "websocket\r\nConnection: upgrade\r\n\r\n\x81\x05hello",
		  false);
	CHECK(has(&a.notes, "switched protocols"));
	CHECK_EQ(a.state, RAW_ANNOT_TUNNEL);
	CHECK_EQ(t.state, RAW_TRACK_TUNNEL);
	CHECK_EQ(raw_track_pending(&t), 0);
	raw_annot_free(&a);
	raw_track_free(&t);

	/* quiet: counts without notes */
	raw_track_init(&t);
	raw_annot_init(&a, &t, true);
	track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false);
	annot_all(&a, "HTTP/1.1 204 No Content\r\n\r\n", false);
	CHECK_EQ(raw_track_pending(&t), 0);
	CHECK_EQ(a.notes.len, 0);
	raw_annot_free(&a);
	raw_track_free(&t);
}

TEST(raw_annot_notes_are_placed_in_the_stream)
{
	for (int bw = 0; bw < 2; bw++) {
		struct raw_track t;
		struct raw_annot a;
		struct span text;
		uint64_t at[8] = { 0 };
		size_t it = 0, n = 0;
		const char *r1 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";

		raw_track_init(&t);
		raw_annot_init(&a, &t, false);
		track_all(&t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
			  "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false);
		annot_all(&a, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
			  "HTTP/1.1 204 No Content\r\n\r\n", bw);
		while (n < 8 && raw_annot_next_notes(&a, &it, &at[n], &text))
			n++;
		CHECK_EQ(n, 3);
		CHECK_EQ(at[0], strlen(r1));		/* after head 1 */
		CHECK_EQ(at[1], strlen(r1) + 2);	/* after its body */
		CHECK_EQ(at[2], strlen(r1) + 2 + 27);	/* after head 2 */
		CHECK_EQ(at[3], 0);	/* no more groups: at[3] untouched */
		raw_annot_clear_notes(&a);
		it = 0;
		CHECK(!raw_annot_next_notes(&a, &it, &at[0], &text));
		raw_annot_free(&a);
		raw_track_free(&t);
	}
}
