/*
 * parse_fuzz.c - libFuzzer harness for the HTTP/1.x head parser and the
 * body decoder that follows it.
 *
 * The first input byte picks request/response, strict/lenient and where
 * to split the rest; the remainder is one connection's bytes.  The head is
 * parsed whole and in two feeds (the restartable path): both must agree.
 * Then bodies and pipelined messages are decoded to the end, so every
 * path a server or sniffer takes is reached.  Built by `make fuzz`.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"

static void
check_span(struct span s, const char *buf, size_t len)
{
	if (s.p == NULL)
		return;
	assert(s.p >= buf && s.p + s.len <= buf + len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_header h1[64], h2[64];
	struct http_msg m1, m2;
	struct http_error e1, e2;
	struct http_limits lim = { 256, 1024 };

	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	bool request = ctl & 1;
	enum http_mode mode = (ctl & 2) ? HTTP_LENIENT : HTTP_STRICT;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1, off = 0;

	for (int msgs = 0; msgs < 16 && off < len; msgs++) {
		const char *p = buf + off;
		size_t n = len - off, split = n ? (ctl >> 2) % (n + 1) : 0;
		int r1, r2;

		memset(&m1, 0, sizeof m1);
		memset(&m2, 0, sizeof m2);
		m1.headers = h1;
		m1.max_headers = 64;
		m2.headers = h2;
		m2.max_headers = 64;
		if (request) {
			r1 = http_parse_request(p, n, 0, mode, &lim, &m1, &e1);
			r2 = http_parse_request(p, split, 0, mode, &lim, &m2,
						&e2);
			if (r2 == HTTP_INCOMPLETE)
				r2 = http_parse_request(p, n, split, mode,
							&lim, &m2, &e2);
		} else {
			struct span meth = (ctl & 0x80) ? SPAN_LIT("HEAD")
							: SPAN_LIT("GET");
			r1 = http_parse_response(p, n, 0, mode, &lim, meth,
						 &m1, &e1);
			r2 = http_parse_response(p, split, 0, mode, &lim, meth,
						 &m2, &e2);
			if (r2 == HTTP_INCOMPLETE)
				r2 = http_parse_response(p, n, split, mode,
							 &lim, meth, &m2, &e2);
		}
		/* a head found in the first feed ends where the whole one does */
		assert(r1 == r2 || (r2 > 0 && r1 > 0));
		if (r1 == HTTP_ERROR)
			assert(e1.status == e2.status &&
			       e1.offset == e2.offset && e1.what == e2.what);
		if (r1 == HTTP_ERROR) {
			assert(e1.what != NULL && e1.status >= 400);
			if (mode == HTTP_STRICT)
				break;
			size_t next = http_find_start(p + 1, n - 1, request);
			off += 1 + next;
			continue;
		}
		if (r1 < 0)
			break;
		assert((size_t)r1 <= n && m1.head_len == (size_t)r1);
		check_span(m1.method, p, n);
		check_span(m1.target, p, n);
		check_span(m1.reason, p, n);
		for (size_t i = 0; i < m1.nheaders; i++) {
			check_span(h1[i].name, p, n);
			check_span(h1[i].value, p, n);
		}
		off += (size_t)r1;

		struct http_body b;
		http_body_init(&b, &m1, mode);
		while (!b.done && off < len) {
			struct span d;
			long k = http_body_decode(&b, buf + off, len - off, &d,
						  &e1);
			if (k < 0)
				return 0;
			assert((size_t)k <= len - off);
			check_span(d, buf + off, (size_t)k);
			off += (size_t)k;
			if (k == 0)
				break;
		}
		if (!b.done) {
			(void)http_body_eof(&b, &e1);
			break;
		}
	}
	return 0;
}
