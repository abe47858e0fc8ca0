/*
 * test_body.c - body decoding: Content-Length, chunked, close-delimited,
 * fed whole and one byte at a time, each piece against a guard page.
 */
#include <stdio.h>

#include "http/parse.h"
#include "unit.h"

struct decoded {
	long rc;		/* input consumed, or HTTP_ERROR */
	bool done;
	struct buf body;
	struct http_error err;
	unsigned chunks;
	unsigned warnings;
};

/* feed in[0..len) in pieces of step bytes (0: whole) */
static void
decode(enum http_framing framing, uint64_t cl, enum http_mode mode,
       const char *in, size_t len, size_t step, struct decoded *d)
{
	struct http_msg msg = { .framing = framing, .content_length = cl };
	struct http_body b;
	size_t off = 0;

	memset(d, 0, sizeof *d);
	http_body_init(&b, &msg, mode);
	if (step == 0)
		step = len ? len : 1;
	while (off < len && !b.done) {
		size_t n = len - off < step ? len - off : step;
		const char *g = unit_guard(in + off, n);
		size_t used = 0;
		while (used < n && !b.done) {
			struct span data;
			long k = http_body_decode(&b, g + used, n - used, &data,
						  &d->err);
			if (k < 0) {
				d->rc = HTTP_ERROR;
				buf_free(&d->body);
				return;
			}
			buf_append(&d->body, data.p, data.len);
			used += (size_t)k;
			if (k == 0)
				break;
		}
		off += used;
		unit_guard_release();
	}
	d->rc = (long)off;
	d->done = b.done;
	d->chunks = b.chunks;
	d->warnings = b.warnings;
}

/* decode both whole and byte by byte; they must agree */
static void
decode2(enum http_framing framing, uint64_t cl, enum http_mode mode,
	const char *in, size_t len, struct decoded *d)
{
	struct decoded one;

	decode(framing, cl, mode, in, len, 1, &one);
	decode(framing, cl, mode, in, len, 0, d);
	CHECK_EQ(one.rc, d->rc);
	CHECK_EQ(one.done, d->done);
	if (one.rc >= 0 && d->rc >= 0) {
		CHECK_EQ(one.body.len, d->body.len);
		CHECK(one.body.len == d->body.len &&
		      (d->body.len == 0 ||
		       memcmp(one.body.data, d->body.data, d->body.len) == 0));
	} else if (one.rc < 0 && d->rc < 0) {
		CHECK(one.err.what == d->err.what);
		CHECK_EQ(one.err.offset, d->err.offset);
	}
	buf_free(&one.body);
}

#define S(x) x, sizeof(x) - 1

TEST(body_chunked_with_extensions_and_trailers)
{
	struct decoded d;
	const char in[] = "5;name=value;x\r\nhello\r\n6 ; q=\"a b\"\r\n world"
			  "\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n"
			  "Another: y\r\n\r\nNEXT";

	decode2(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, S(in), &d);
	CHECK(d.done);
	CHECK_EQ(d.rc, sizeof in - 1 - 4);
	CHECK_SPAN(buf_unread(&d.body), "hello world0123456789");
	CHECK_EQ(d.chunks, 3);
	buf_free(&d.body);
}

TEST(body_chunked_incomplete_waits)
{
	struct decoded d;

	decode2(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, S("5\r\nhel"), &d);
	CHECK(!d.done);
	CHECK_EQ(d.rc, 6);
	CHECK_SPAN(buf_unread(&d.body), "hel");
	buf_free(&d.body);
	decode2(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, S("5\r\nhello\r\n0\r\n"),
		&d);
	CHECK(!d.done);
	buf_free(&d.body);
}

struct bad_chunk {
	const char *in;
	size_t len;
	const char *what;
	size_t offset;
};

#define IN(x) x, sizeof(x) - 1

TEST(body_chunked_rejections)
{
	static const struct bad_chunk bad[] = {
		{ IN("zz\r\n"), "invalid chunk size", 0 },
		{ IN("\r\n"), "invalid chunk size", 0 },
		{ IN("-5\r\n"), "invalid chunk size", 0 },
		{ IN("0x5\r\n"), "invalid chunk size", 1 },
		{ IN("fffffffffffffffff\r\n"), "chunk size too large", 15 },
		{ IN("5\r\nhelloX\r\n"), "missing CRLF after chunk data", 8 },
		{ IN("5\r\nhello\rX"), "missing CRLF after chunk data", 9 },
		{ IN("5\nhello\r\n0\r\n\r\n"), "bare LF in chunk size line", 1 },
		{ IN("5\rhello"), "bare CR in chunk size line", 2 },
		{ IN("5 \r\nhello"), "invalid chunk size", 2 },
		{ IN("5;a\0b\r\n"), "control character in chunk extension", 3 },
		{ IN("5;a b\r\n"), "malformed chunk extension", 4 },
		{ IN("5;=x\r\n"), "malformed chunk extension", 2 },
		{ IN("5;a=\r\n"), "malformed chunk extension", 4 },
		{ IN("0\r\nX: a\nY\r\n\r\n"), "bare LF in trailer", 7 },
		{ IN("0\r\n\n"), "bare LF after last chunk", 3 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct decoded d;
		decode2(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, bad[i].in,
			bad[i].len, &d);
		if (!CHECK_EQ(d.rc, HTTP_ERROR)) {
			printf("    case %zu\n", i);
			buf_free(&d.body);
			continue;
		}
		if (!CHECK_STR(d.err.what, bad[i].what) ||
		    !CHECK_EQ(d.err.offset, bad[i].offset))
			printf("    case %zu\n", i);
		CHECK_EQ(d.err.status, 400);
	}
}

TEST(body_chunked_limits)
{
	struct buf b = BUF_INIT;
	struct decoded d;

	buf_puts(&b, "1;");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "x");
	buf_puts(&b, "\r\na\r\n0\r\n\r\n");
	decode(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, b.data, b.len, 0, &d);
	CHECK_EQ(d.rc, HTTP_ERROR);
	CHECK_STR(d.err.what, "chunk extension too long");
	buf_reset(&b);
	buf_puts(&b, "0\r\n");
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "X-Trailer: 0123456789\r\n");
	buf_puts(&b, "\r\n");
	decode(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, b.data, b.len, 0, &d);
	CHECK_EQ(d.rc, HTTP_ERROR);
	CHECK_STR(d.err.what, "trailer section too large");
	/* a long run of leading zeros is still a small size, until the line
	   limit */
	buf_reset(&b);
	for (int i = 0; i < 100; i++)
		buf_puts(&b, "0");
	buf_puts(&b, "3\r\nabc\r\n0\r\n\r\n");
	decode2(HTTP_FRAME_CHUNKED, 0, HTTP_STRICT, b.data, b.len, &d);
	CHECK(d.done);
	CHECK_SPAN(buf_unread(&d.body), "abc");
	buf_free(&d.body);
	buf_free(&b);
}

TEST(body_chunked_lenient_bare_lf)
{
	struct decoded d;

	decode2(HTTP_FRAME_CHUNKED, 0, HTTP_LENIENT,
		S("5\nhello\n3;x\nabc\n0\nT: 1\n\n"), &d);
	CHECK(d.done);
	CHECK_SPAN(buf_unread(&d.body), "helloabc");
	CHECK(d.warnings & HTTP_WARN_BARE_LF);
	buf_free(&d.body);
}

TEST(body_content_length)
{
	struct decoded d;

	decode2(HTTP_FRAME_LENGTH, 5, HTTP_STRICT, S("helloGET /"), &d);
	CHECK(d.done);
	CHECK_EQ(d.rc, 5);
	CHECK_SPAN(buf_unread(&d.body), "hello");
	buf_free(&d.body);
	decode2(HTTP_FRAME_LENGTH, 10, HTTP_STRICT, S("hello"), &d);
	CHECK(!d.done);
	CHECK_EQ(d.rc, 5);
	buf_free(&d.body);
}

TEST(body_eof_rules)
{
	struct http_msg msg = { .framing = HTTP_FRAME_CLOSE };
	struct http_body b;
	struct http_error err;
	struct span data;

	http_body_init(&b, &msg, HTTP_LENIENT);
	CHECK_EQ(http_body_decode(&b, "abc", 3, &data, &err), 3);
	CHECK_SPAN(data, "abc");
	CHECK(!b.done);
	CHECK_EQ(http_body_eof(&b, &err), 0);
	CHECK(b.done);

	msg.framing = HTTP_FRAME_LENGTH;
	msg.content_length = 10;
	http_body_init(&b, &msg, HTTP_LENIENT);
	CHECK_EQ(http_body_decode(&b, "abc", 3, &data, &err), 3);
	CHECK_EQ(http_body_eof(&b, &err), HTTP_ERROR);
	CHECK_STR(err.what, "connection closed before the end of the body");
	CHECK_EQ(err.offset, 3);

	msg.framing = HTTP_FRAME_CHUNKED;
	http_body_init(&b, &msg, HTTP_LENIENT);
	CHECK_EQ(http_body_decode(&b, "5\r\nab", 5, &data, &err), 5);
	CHECK_EQ(http_body_eof(&b, &err), HTTP_ERROR);

	msg.framing = HTTP_FRAME_NONE;
	http_body_init(&b, &msg, HTTP_STRICT);
	CHECK(b.done);
	CHECK_EQ(http_body_decode(&b, "GET", 3, &data, &err), 0);
}
