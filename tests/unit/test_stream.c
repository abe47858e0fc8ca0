/* http/stream.c: the one head-body-next-message reader, fed whole and one
 * byte at a time (against a guard page) with the same transcript */
#include <stdio.h>
#include <string.h>

#include "http/stream.h"
#include "unit.h"

struct run {
	struct http_stream s;
	struct http_header hdrs[32];
	struct buf in, log;
	const char *const *methods;	/* method each final response answers */
	size_t nfinal;
	bool in_body;
	size_t tunnel_left;		/* unread bytes when the tunnel began */
};

static void
run_log(struct run *r, const char *fmt, const char *a, size_t n)
{
	char tmp[160];

	snprintf(tmp, sizeof tmp, fmt, (int)n, a);
	buf_puts(&r->log, tmp);
}

/* Events until the reader needs more; returns the last one. */
static enum http_stream_ev
run_events(struct run *r)
{
	for (;;) {
		struct span in = buf_unread(&r->in);
		struct span m = r->methods && !r->s.requests ?
			span_from(r->methods[r->nfinal]) : SPAN_NULL;
		struct http_stream_event ev;
		enum http_stream_ev t;

		/* the bytes end at an unreadable page: no over-read */
		in.p = in.len ? unit_guard(in.p, in.len) : in.p;
		t = http_stream_next(&r->s, in.p, in.len, m, &ev);
		if (t == HTTP_EV_HEAD && r->s.requests)
			run_log(r, "H:%.*s;", r->s.msg.target.p,
				r->s.msg.target.len);
		else if (t == HTTP_EV_HEAD) {
			buf_printf(&r->log, "H:%d;", r->s.msg.status);
			r->nfinal += r->s.msg.status >= 200;
		}
		if (t == HTTP_EV_BODY) {
			if (!r->in_body)
				buf_puts(&r->log, "B:");
			r->in_body = true;
			buf_append(&r->log, ev.data.p, ev.data.len);
		} else if (r->in_body && t != HTTP_EV_NEED_MORE) {
			buf_puts(&r->log, ";");
			r->in_body = false;
		}
		if (t == HTTP_EV_END)
			buf_puts(&r->log, "E;");
		if (t == HTTP_EV_TUNNEL)
			buf_puts(&r->log, "T;");
		if (t == HTTP_EV_ERROR)
			buf_printf(&r->log, "X:%s;", r->s.err.what);
		buf_consume(&r->in, ev.consumed);
		unit_guard_release();
		if (t == HTTP_EV_NEED_MORE || t == HTTP_EV_TUNNEL ||
		    t == HTTP_EV_ERROR)
			return t;
	}
}

/* Feed text in pieces of step bytes (0: whole), then the close when eof. */
static void
run_feed(struct run *r, bool requests, enum http_mode mode, const char *text,
	 size_t len, size_t step, bool eof)
{
	enum http_stream_ev t = HTTP_EV_NEED_MORE;

	http_stream_init(&r->s, requests, mode, r->hdrs, 32);
	for (size_t i = 0; i < len && t == HTTP_EV_NEED_MORE;) {
		size_t n = step && len - i > step ? step : len - i;

		buf_append(&r->in, text + i, n);
		i += n;
		t = run_events(r);
		if (t == HTTP_EV_TUNNEL) {	/* the rest is not HTTP */
			buf_append(&r->in, text + i, len - i);
			r->tunnel_left = buf_unread(&r->in).len;
		}
	}
	if (eof && t == HTTP_EV_NEED_MORE) {
		struct http_stream_event ev;

		t = http_stream_eof(&r->s, &ev);
		if (r->in_body && t != HTTP_EV_NEED_MORE)
			buf_puts(&r->log, ";");
		if (t == HTTP_EV_END)
			buf_puts(&r->log, "E;");
		if (t == HTTP_EV_ERROR)
			buf_printf(&r->log, "X:%s;", r->s.err.what);
	}
}

/* The transcript is the same whole and byte by byte. */
static void
check_stream(bool requests, enum http_mode mode, const char *const *methods,
	     const char *text, size_t len, bool eof, const char *want,
	     size_t tunnel_left)
{
	for (size_t step = 0; step <= 1; step++) {
		struct run r;

		memset(&r, 0, sizeof r);
		r.methods = methods;
		run_feed(&r, requests, mode, text, len, step, eof);
		CHECK_STR(r.log.data ? r.log.data : "", want);
		CHECK_EQ(r.tunnel_left, tunnel_left);
		buf_free(&r.in);
		buf_free(&r.log);
	}
}

#define TXT(s) s, sizeof(s) - 1

TEST(stream_pipelined_requests)
{
	check_stream(true, HTTP_STRICT, NULL, TXT(
		"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
		"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
		"PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
		"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
		"POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
		true, "H:/a;E;H:/b;B:hello;E;H:/c;B:abcde;E;H:/d;E;", 0);
}

TEST(stream_responses_continue_head_and_close)
{
	static const char *const m[] = { "POST", "HEAD", "GET", "" };

	check_stream(false, HTTP_LENIENT, m, TXT(
		"HTTP/1.1 100 Continue\r\n\r\n"
		"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
		"HTTP/1.0 200 OK\r\n\r\nuntil close"),
		true, "H:100;E;H:201;B:ok;E;H:200;E;H:200;B:until close;E;", 0);
}

TEST(stream_upgrade_leaves_the_tunnel_bytes)
{
	check_stream(false, HTTP_LENIENT, NULL, TXT(
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\n\r\n\x81\x05hello"),
		false, "H:101;E;T;", 7);
}

TEST(stream_errors_and_eof)
{
	/* a delimited body cut short by the close */
	check_stream(false, HTTP_LENIENT, NULL, TXT(
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), true,
		"H:200;B:abc;X:connection closed before the end of the body;",
		0);
	/* closed inside a head; closed between messages is no error */
	check_stream(true, HTTP_LENIENT, NULL, TXT("GET / HTTP/1.1\r\nHo"),
		     true, "X:connection closed inside a head;", 0);
	check_stream(true, HTTP_STRICT, NULL, TXT(
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n"), true, "H:/;E;", 0);
	/* strict mode stops at the first bare LF */
	check_stream(true, HTTP_STRICT, NULL, TXT(
		"GET / HTTP/1.1\nHost: x\n\n"), false,
		"X:bare LF line ending;", 0);
	/* a bad chunk size */
	check_stream(true, HTTP_LENIENT, NULL, TXT(
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
		"\r\nzz\r\n"), false, "H:/;X:invalid chunk size;", 0);
}

TEST(stream_body_counts_restart_per_message)
{
	static const char text[] =
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"3\r\nabc\r\n0\r\n\r\n"
		"HTTP/1.1 204 No Content\r\n\r\n";
	struct http_header h[8];
	struct http_stream s;
	struct http_stream_event ev;
	size_t off = 0;
	int ends = 0;

	http_stream_init(&s, false, HTTP_STRICT, h, 8);
	while (ends < 2) {
		enum http_stream_ev e = http_stream_next(&s, text + off,
			sizeof text - 1 - off, SPAN_NULL, &ev);

		off += ev.consumed;
		if (e == HTTP_EV_END && ends++ == 0) {
			CHECK_EQ(s.body.total, 3);
			CHECK_EQ(s.body.chunks, 1);
		}
		if (e == HTTP_EV_NEED_MORE || e == HTTP_EV_ERROR)
			break;
	}
	CHECK_EQ(ends, 2);
	CHECK_EQ(s.msg.status, 204);
	CHECK_EQ(s.body.total, 0);	/* not the chunked body before it */
	CHECK_EQ(s.body.chunks, 0);
	CHECK_EQ(off, sizeof text - 1);
}

/* A lenient reader skips what is not HTTP and resyncs where a message
 * may start: after an error, and mid-body, even on the other side. */
TEST(stream_resync_after_error_and_mid_body)
{
	static const char bad[] = "\x01\x02 junk\r\n\r\n";
	static const char req[] = "GET /r HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char resp[] = "HTTP/1.1 204 No Content\r\n\r\n";
	static const char body[] =
		"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab";
	struct http_header h[8];
	struct http_stream s;
	struct http_stream_event ev;

	http_stream_init(&s, true, HTTP_LENIENT, h, 8);
	CHECK_EQ(http_stream_next(&s, bad, sizeof bad - 1, SPAN_NULL, &ev),
		 HTTP_EV_ERROR);
	http_stream_resync(&s, true);
	CHECK_EQ(http_stream_next(&s, req, sizeof req - 1, SPAN_NULL, &ev),
		 HTTP_EV_HEAD);
	CHECK_EQ(ev.consumed, sizeof req - 1);
	CHECK(span_eq(s.msg.target, "/r"));
	CHECK_EQ(http_stream_next(&s, NULL, 0, SPAN_NULL, &ev), HTTP_EV_END);

	/* a body left unfinished, then responses from a new start */
	http_stream_resync(&s, false);
	CHECK_EQ(http_stream_next(&s, body, sizeof body - 1, SPAN_NULL, &ev),
		 HTTP_EV_HEAD);
	CHECK_EQ(http_stream_next(&s, body + ev.consumed,
				  sizeof body - 1 - ev.consumed, SPAN_NULL,
				  &ev), HTTP_EV_BODY);
	CHECK_EQ(s.state, HTTP_STREAM_BODY);
	http_stream_resync(&s, false);
	CHECK_EQ(http_stream_next(&s, resp, sizeof resp - 1, SPAN_NULL, &ev),
		 HTTP_EV_HEAD);
	CHECK_EQ(s.msg.status, 204);
	CHECK_EQ(http_stream_next(&s, NULL, 0, SPAN_NULL, &ev), HTTP_EV_END);
	CHECK_EQ(s.messages, 3);
}
