/*
 * test_parse.c - the HTTP/1.x head parser.
 *
 * Every input is parsed twice: whole, and grown one byte at a time with
 * last_len (the restartable path); both must agree.  Every input sits
 * against an unreadable page, so an over-read crashes the test.
 */
#include <stdio.h>

#include "http/header.h"
#include "http/parse.h"
#include "unit.h"

#define MAXH 32

struct result {
	int rc;			/* head_len, HTTP_INCOMPLETE or HTTP_ERROR */
	struct http_msg msg;
	struct http_header h[MAXH];
	struct http_error err;
};

static void
do_parse(const char *buf, size_t len, size_t last, bool request,
	 enum http_mode mode, const struct http_limits *lim,
	 const char *req_method, struct result *r)
{
	r->msg.headers = r->h;
	r->msg.max_headers = MAXH;
	if (request)
		r->rc = http_parse_request(buf, len, last, mode, lim, &r->msg,
					   &r->err);
	else
		r->rc = http_parse_response(buf, len, last, mode, lim,
					    span_from(req_method), &r->msg,
					    &r->err);
}

/*
 * Parse s whole and byte by byte; the whole result lands in *r.  Checks
 * the byte-by-byte run ends the same way (same rc, same error) and never
 * finishes early.
 */
static void
parse2n(const char *s, size_t len, bool request, enum http_mode mode,
	const struct http_limits *lim, const char *req_method,
	struct result *r)
{
	struct result b;
	size_t last = 0;

	unit_guard_release();
	memset(&b, 0, sizeof b);
	b.rc = HTTP_INCOMPLETE;
	for (size_t i = 1; i <= len && b.rc == HTTP_INCOMPLETE; i++) {
		const char *g = unit_guard(s, i);
		do_parse(g, i, last, request, mode, lim, req_method, &b);
		last = i;
		unit_guard_release();
	}
	memset(r, 0, sizeof *r);
	do_parse(unit_guard(s, len), len, 0, request, mode, lim, req_method,
		 r);
	CHECK_EQ(b.rc, r->rc);
	if (r->rc == HTTP_ERROR && b.rc == HTTP_ERROR) {
		CHECK_EQ(b.err.status, r->err.status);
		CHECK_EQ(b.err.offset, r->err.offset);
		CHECK(b.err.what == r->err.what);
	}
}

static void
parse2(const char *s, bool request, enum http_mode mode,
       const struct http_limits *lim, const char *req_method,
       struct result *r)
{
	parse2n(s, strlen(s), request, mode, lim, req_method, r);
}

static void
req(const char *s, enum http_mode mode, struct result *r)
{
	parse2(s, true, mode, NULL, NULL, r);
}

TEST(parse_simple_get)
{
	struct result r;

	req("GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\n"
	    "User-Agent: t\r\nAccept:*/*\r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	CHECK_SPAN(r.msg.method, "GET");
	CHECK_SPAN(r.msg.target, "/index.html?x=1");
	CHECK_EQ(r.msg.major, 1);
	CHECK_EQ(r.msg.minor, 1);
	CHECK_EQ(r.msg.nheaders, 3);
	CHECK_SPAN(r.h[0].name, "Host");
	CHECK_SPAN(r.h[0].value, "example.com");
	CHECK_SPAN(r.h[2].name, "Accept");
	CHECK_SPAN(r.h[2].value, "*/*");
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	CHECK(r.msg.keep_alive);
	CHECK(r.msg.is_request);
	CHECK_EQ(r.msg.warnings, 0);
}

TEST(parse_head_len_and_leading_crlf)
{
	const char *s = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nBODY";
	struct result r;

	req(s, HTTP_STRICT, &r);
	CHECK_EQ(r.rc, (int)(strlen(s) - 4));
	CHECK_EQ(r.msg.head_len, strlen(s) - 4);
	CHECK_EQ(r.msg.start, 4);
	CHECK_SPAN(r.msg.method, "GET");
}

TEST(parse_value_trimmed_and_empty)
{
	struct result r;

	req("GET / HTTP/1.1\r\nX-A:  \t a b \t\r\nX-Empty:\r\n"
	    "X-Sp:   \r\nHost:\t h \r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	CHECK_SPAN(r.h[0].value, "a b");
	CHECK_SPAN(r.h[1].value, "");
	CHECK_SPAN(r.h[2].value, "");
	CHECK_SPAN(r.h[3].value, "h");
}

TEST(parse_request_framing)
{
	struct result r;

	req("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_LENGTH);
	CHECK_EQ(r.msg.content_length, 11);
	req("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	req("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_LENGTH);
	CHECK_EQ(r.msg.content_length, 7);
	req("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n"
	    "Content-Length: 7\r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	CHECK_EQ(r.msg.content_length, 7);
	req("POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_CHUNKED);
	req("POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_CHUNKED);
	req("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK(r.msg.expect_continue);
}

TEST(parse_persistence)
{
	struct result r;

	req("GET / HTTP/1.0\r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	CHECK(!r.msg.keep_alive);
	req("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.msg.keep_alive);
	req("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK(!r.msg.keep_alive);
	req("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
	    "Upgrade: websocket\r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.msg.upgrade);
	CHECK(r.msg.keep_alive);
}

TEST(parse_host_values)
{
	static const char *const ok[] = {
		"example.com", "example.com:8080", "127.0.0.1:80", "[::1]",
		"[::1]:8000", "a-b.c_d~e", "xn--bcher-kva.example", "h:", "",
	};
	struct result r;
	char in[128];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(in, sizeof in, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n",
			 ok[i]);
		req(in, HTTP_STRICT, &r);
		if (!CHECK(r.rc > 0))
			printf("    Host: %s\n", ok[i]);
	}
	req("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", HTTP_LENIENT, &r);
	CHECK(r.rc > 0);
	CHECK(r.msg.warnings & HTTP_WARN_HOST);
	/* a response's Host (odd, but not a request's) is not judged */
	parse2("HTTP/1.1 200 OK\r\nHost: a b\r\nContent-Length: 0\r\n\r\n",
	       false, HTTP_STRICT, NULL, "GET", &r);
	CHECK(r.rc > 0);
}

TEST(parse_target_forms)
{
	struct result r;

	req("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	CHECK_SPAN(r.msg.target, "*");
	req("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	req("GET http://a.example/x?y HTTP/1.1\r\nHost: a.example\r\n\r\n",
	    HTTP_STRICT, &r);
	CHECK(r.rc > 0);
	CHECK_SPAN(r.msg.target, "http://a.example/x?y");
}

/* one strict rejection: input, status, what, offset (or -1) */
struct reject {
	const char *in;
	size_t len;
	int status;
	const char *what;
	long offset;
};

#define IN(s) s, sizeof(s) - 1

static const struct reject rejects[] = {
	{ IN("GET / HTTP/1.1\nHost: a\r\n\r\n"), 400, "bare LF line ending", 14 },
	{ IN("GET / HTTP/1.1\r\nHost: a\n\r\n"), 400, "bare LF line ending", 23 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\n\n"), 400, "bare LF line ending", 25 },
	{ IN("GET / HTTP/1.1\rX\r\n\r\n"), 400, "bare CR", 14 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"), 400,
	  "bare CR in field value", 29 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n"), 400,
	  "NUL in field value", 29 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX: a\x01" "b\r\n\r\n"), 400,
	  "control character in field value", 29 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"), 400,
	  "obsolete line folding", 31 },
	{ IN("GET / HTTP/1.1\r\n Host: a\r\n\r\n"), 400,
	  "whitespace before the first header field", 16 },
	{ IN("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400,
	  "whitespace between field name and colon", 20 },
	{ IN("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n"), 400,
	  "whitespace between field name and colon", 20 },
	{ IN("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n"), 400,
	  "invalid character in field name", 18 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n"), 400,
	  "missing colon in header field", 32 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n"), 400,
	  "invalid character in field name", 25 },
	{ IN("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
	  "invalid character in method", 2 },
	{ IN("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), 400,
	  "invalid character in method", 0 },
	{ IN("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
	  "extra whitespace in request line", 4 },
	{ IN("GET / HTTP/1.1 \r\nHost: a\r\n\r\n"), 400,
	  "whitespace after HTTP version", 14 },
	{ IN("GET /\r\nHost: a\r\n\r\n"), 400, "missing HTTP version", 5 },
	{ IN("GET / HTTP/1\r\nHost: a\r\n\r\n"), 400, "malformed HTTP version", 6 },
	{ IN("GET / http/1.1\r\nHost: a\r\n\r\n"), 400, "malformed HTTP version", 6 },
	{ IN("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505, "unsupported HTTP version", 11 },
	{ IN("GET / HTTP/0.9\r\n\r\n"), 505, "unsupported HTTP version", 11 },
	{ IN("GET foo HTTP/1.1\r\nHost: a\r\n\r\n"), 400, "invalid request target", 4 },
	{ IN("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), 400, "invalid request target", 4 },
	{ IN("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"), 400, "malformed HTTP version", 7 },
	{ IN("GET /a#f HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
	  "invalid character in request target", 6 },
	{ IN("GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
	  "invalid character in request target", 5 },
	{ IN("GET / HTTP/1.1\r\n\r\n"), 400, "missing Host header", 0 },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400,
	  "duplicate Host header", 0 },
	{ IN("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400,
	  "invalid Host header", 16 },
	{ IN("GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n"), 400,
	  "invalid Host header", 16 },
	{ IN("GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n"), 400,
	  "invalid Host header", 16 },
	{ IN("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"), 400,
	  "invalid Host header", 16 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	  "Transfer-Encoding: chunked\r\n\r\n"), 400,
	  "both Content-Length and Transfer-Encoding", 0 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	  "Content-Length: 6\r\n\r\n"), 400,
	  "conflicting Content-Length values", 45 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n"), 400,
	  "conflicting Content-Length values", 26 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5a\r\n\r\n"), 400,
	  "invalid Content-Length", 26 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"), 400,
	  "invalid Content-Length", 26 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n"), 400,
	  "invalid Content-Length", 26 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n"), 400,
	  "invalid Content-Length", 26 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999"
	  "\r\n\r\n"), 400, "Content-Length too large", 26 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"), 400,
	  "Transfer-Encoding does not end with chunked", 0 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n"
	  "\r\n"), 400, "Transfer-Encoding does not end with chunked", 0 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n"
	  "\r\n"), 501, "unsupported transfer coding", 0 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked"
	  "\r\n\r\n"), 400, "chunked applied more than once", 0 },
	{ IN("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n"), 400,
	  "Transfer-Encoding does not end with chunked", 0 },
	{ IN("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400,
	  "Transfer-Encoding in an HTTP/1.0 request", 0 },
};

TEST(parse_strict_rejections)
{
	for (size_t i = 0; i < sizeof rejects / sizeof rejects[0]; i++) {
		const struct reject *x = &rejects[i];
		struct result r;
		parse2n(x->in, x->len, true, HTTP_STRICT, NULL, NULL, &r);
		if (!CHECK_EQ(r.rc, HTTP_ERROR)) {
			printf("    input %zu: %s\n", i, x->what);
			continue;
		}
		CHECK_EQ(r.err.status, x->status);
		if (!CHECK_STR(r.err.what, x->what))
			printf("    input %zu\n", i);
		if (x->offset >= 0 && !CHECK_EQ(r.err.offset, x->offset))
			printf("    input %zu: %s\n", i, x->what);
		CHECK(r.err.why != NULL && r.err.why[0] != 0);
	}
}

TEST(parse_error_format_explains)
{
	struct result r;
	char out[200];

	req("GET / HTTP/1.1\nHost: a\r\n\r\n", HTTP_STRICT, &r);
	http_error_format(&r.err, out, sizeof out);
	CHECK_STR(out, "bare LF line ending at byte 14; HTTP/1.1 requires CRLF "
		  "(RFC 9112 §2.2)");
}

TEST(parse_limits)
{
	struct http_limits lim = { 32, 64 };
	char big[200];
	struct result r;

	snprintf(big, sizeof big, "GET /%040d HTTP/1.1\r\nHost: a\r\n\r\n", 0);
	parse2(big, true, HTTP_STRICT, &lim, NULL, &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	CHECK_EQ(r.err.status, 414);
	/* the 414 comes before the line ends */
	memset(&r, 0, sizeof r);
	do_parse(unit_guard(big, 40), 40, 0, true, HTTP_STRICT, &lim, NULL, &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	CHECK_EQ(r.err.status, 414);

	snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: a\r\nX: %060d\r\n"
		 "\r\n", 0);
	parse2(big, true, HTTP_STRICT, &lim, NULL, &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	CHECK_EQ(r.err.status, 431);
	CHECK_STR(r.err.what, "header block too large");

	/* more fields than the caller's array holds */
	struct buf b = BUF_INIT;
	buf_puts(&b, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (int i = 0; i < MAXH + 1; i++)
		buf_printf(&b, "X-%d: v\r\n", i);
	buf_puts(&b, "\r\n");
	parse2(b.data, true, HTTP_STRICT, NULL, NULL, &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	CHECK_EQ(r.err.status, 431);
	CHECK_STR(r.err.what, "too many header fields");
	parse2(b.data, true, HTTP_LENIENT, NULL, NULL, &r);
	CHECK(r.rc > 0);
	CHECK_EQ(r.msg.nheaders, MAXH);
	CHECK(r.msg.warnings & HTTP_WARN_TOO_MANY_HEADERS);
	buf_free(&b);
}

TEST(parse_lenient_tolerates)
{
	struct result r;

	req("GET / HTTP/1.1\nHost: a\nX: 1\n\n", HTTP_LENIENT, &r);
	CHECK(r.rc > 0);
	CHECK_EQ(r.msg.nheaders, 2);
	CHECK_SPAN(r.h[1].value, "1");
	CHECK(r.msg.warnings & HTTP_WARN_BARE_LF);
	CHECK_STR(r.msg.warning.what, "bare LF line ending");

	req("GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n  two\r\nY: 3\r\n\r\n",
	    HTTP_LENIENT, &r);
	CHECK(r.rc > 0);
	CHECK(r.msg.warnings & HTTP_WARN_OBS_FOLD);
	CHECK_SPAN(r.h[1].value, "one\r\n  two");
	CHECK_SPAN(r.h[2].name, "Y");

	req("GET / HTTP/1.1\r\nHost : a\r\nJunk\r\n\r\n", HTTP_LENIENT, &r);
	CHECK(r.rc > 0);
	CHECK_EQ(r.msg.nheaders, 1);
	CHECK_SPAN(r.h[0].name, "Host");
	CHECK(r.msg.warnings & HTTP_WARN_SPACE_BEFORE_COLON);
	CHECK(r.msg.warnings & HTTP_WARN_BAD_NAME);

	req("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", HTTP_LENIENT, &r);
	CHECK(r.rc > 0);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_CHUNKED);
	CHECK(r.msg.warnings & HTTP_WARN_CL_AND_TE);

	req("GET / HTTP/1.1\r\n\r\n", HTTP_LENIENT, &r);
	CHECK(r.rc > 0);
	CHECK(r.msg.warnings & HTTP_WARN_HOST);

	/* but garbage is not a request even leniently */
	req("hello there\r\n\r\n", HTTP_LENIENT, &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
}

static void
resp(const char *s, const char *method, struct result *r)
{
	parse2(s, false, HTTP_STRICT, NULL, method, r);
}

TEST(parse_response_framing)
{
	struct result r;

	resp("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "GET", &r);
	CHECK(r.rc > 0);
	CHECK_EQ(r.msg.status, 200);
	CHECK_SPAN(r.msg.reason, "OK");
	CHECK_EQ(r.msg.framing, HTTP_FRAME_LENGTH);
	CHECK(r.msg.keep_alive);
	CHECK(!r.msg.is_request);

	resp("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	CHECK_EQ(r.msg.content_length, 5);

	resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_CHUNKED);
	resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_CLOSE);
	CHECK(!r.msg.keep_alive);
	resp("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", "GET", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_CLOSE);
	CHECK(!r.msg.keep_alive);
	resp("HTTP/1.1 204 No Content\r\n\r\n", "GET", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	CHECK(r.msg.keep_alive);
	resp("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "GET",
	     &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	resp("HTTP/1.1 100 Continue\r\n\r\n", "POST", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	CHECK_EQ(r.msg.status, 100);
	resp("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	     "Connection: Upgrade\r\n\r\n", "GET", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_TUNNEL);
	resp("HTTP/1.1 200 Connection established\r\n\r\n", "CONNECT", &r);
	CHECK_EQ(r.msg.framing, HTTP_FRAME_TUNNEL);
	resp("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n", "GET", &r);
	CHECK_EQ(r.msg.minor, 0);
	CHECK(!r.msg.keep_alive);
	resp("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n", "GET", &r);
	CHECK_EQ(r.msg.status, 404);
	CHECK_SPAN(r.msg.reason, "");
	CHECK_EQ(r.msg.framing, HTTP_FRAME_NONE);
	resp("HTTP/1.1 500\r\nContent-Length: 0\r\n\r\n", "GET", &r);
	CHECK_EQ(r.msg.status, 500);

	resp("HTTP/1.1 2000 OK\r\n\r\n", "GET", &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	resp("HTTP/1.1 20 OK\r\n\r\n", "GET", &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	resp("SSH-2.0-OpenSSH\r\n\r\n", "GET", &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	resp("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: "
	     "chunked\r\n\r\n", "GET", &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
}

TEST(parse_response_garbage_fails_early)
{
	struct result r;

	memset(&r, 0, sizeof r);
	do_parse(unit_guard("SSH", 3), 3, 0, false, HTTP_LENIENT, NULL, "",
		 &r);
	CHECK_EQ(r.rc, HTTP_ERROR);
	do_parse(unit_guard("HTT", 3), 3, 0, false, HTTP_LENIENT, NULL, "",
		 &r);
	CHECK_EQ(r.rc, HTTP_INCOMPLETE);
}

TEST(parse_pipelined_requests)
{
	const char *s =
		"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
		"POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
		"\r\n2\r\nxy\r\n0\r\n\r\n"
		"GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
	const char *want_target[] = { "/a", "/b", "/c" };
	const char *want_body[] = { "abc", "xy", "" };
	size_t len = strlen(s), off = 0;
	const char *g = unit_guard(s, len);

	for (int i = 0; i < 3; i++) {
		struct result r;
		struct http_body b;
		struct http_error err;
		char body[16];
		size_t blen = 0;

		memset(&r, 0, sizeof r);
		do_parse(g + off, len - off, 0, true, HTTP_STRICT, NULL, NULL,
			 &r);
		if (!CHECK(r.rc > 0))
			return;
		CHECK_SPAN(r.msg.target, want_target[i]);
		off += (size_t)r.rc;
		http_body_init(&b, &r.msg, HTTP_STRICT);
		while (!b.done) {
			struct span d;
			long n = http_body_decode(&b, g + off, len - off, &d,
						  &err);
			if (!CHECK(n >= 0) || (n == 0 && !b.done))
				return;
			memcpy(body + blen, d.p, d.len);
			blen += d.len;
			off += (size_t)n;
		}
		body[blen] = 0;
		CHECK_STR(body, want_body[i]);
	}
	CHECK_EQ(off, len);
}

TEST(parse_find_start)
{
	const char *s = "ata from the middle\r\nmore\nGET /x HTTP/1.1\r\n";
	CHECK_EQ(http_find_start(unit_guard_str(s), strlen(s), true), 26);
	s = "xx\r\nHTTP/1.1 200 OK\r\n";
	CHECK_EQ(http_find_start(unit_guard_str(s), strlen(s), false), 4);
	s = "junk\r\nPO";	/* a prefix at the end: keep it */
	CHECK_EQ(http_find_start(unit_guard_str(s), strlen(s), true), 6);
	s = "junk\r\nGETTY / x\r\n";
	CHECK_EQ(http_find_start(unit_guard_str(s), strlen(s), true),
		 strlen(s));
	s = "nothing here";
	CHECK_EQ(http_find_start(unit_guard_str(s), strlen(s), false),
		 strlen(s));
	CHECK(http_method_known(SPAN_LIT("PATCH")));
	CHECK(!http_method_known(SPAN_LIT("patch")));
}
