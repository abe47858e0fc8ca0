/*
 * url_fuzz.c - libFuzzer harness for http/url.h: URL and request-target
 * splitting, percent-decoding and encoding.
 *
 * Every part http_url_split() returns must lie inside the input and
 * appear in order; the port number must be one a port can be.  Decoding
 * writes at most in.len bytes (checked with an exact-size buffer), also
 * in place.  Encoding then decoding gives the bytes back.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/url.h"

static void
inside(struct span s, const char *p, size_t len)
{
	if (s.p == NULL) {
		assert(s.len == 0);
		return;
	}
	assert(s.p >= p && s.len <= len && s.p + s.len <= p + len);
}

static void
split(const char *p, size_t len)
{
	struct http_url u;

	if (!http_url_split((struct span){ p, len }, &u))
		return;
	inside(u.scheme, p, len);
	inside(u.userinfo, p, len);
	inside(u.host, p, len);
	inside(u.port, p, len);
	inside(u.path, p, len);
	inside(u.query, p, len);
	inside(u.fragment, p, len);
	assert(u.port_num >= 0 && u.port_num <= 65535);
	if (u.path.p && u.query.p)
		assert(u.path.p + u.path.len <= u.query.p);
	if (u.query.p && u.fragment.p)
		assert(u.query.p + u.query.len <= u.fragment.p);
}

static void
roundtrip(const char *p, size_t len, bool plus)
{
	struct buf b = BUF_INIT;
	char *out, *copy;
	long n;

	copy = malloc(len ? len : 1);
	out = malloc(len ? len : 1);
	assert(copy && out);
	memcpy(copy, p, len);
	n = http_pct_decode((struct span){ p, len }, out, plus);
	assert(n >= -1 && n <= (long)len);
	/* in place gives the same */
	long m = http_pct_decode((struct span){ copy, len }, copy, plus);
	assert(m == n);
	if (n >= 0)
		assert(memcmp(copy, out, (size_t)n) == 0);
	if (http_pct_encode(&b, (struct span){ p, len }, "/", plus) == 0) {
		char *back = malloc(b.len ? b.len : 1);
		assert(back);
		n = http_pct_decode((struct span){ b.data, b.len }, back, plus);
		assert(n == (long)len);
		assert(len == 0 || memcmp(back, p, len) == 0);
		free(back);
	}
	buf_free(&b);
	free(copy);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p;

	if (size < 1)
		return 0;
	p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, size - 1);
	split(p, size - 1);
	roundtrip(p, size - 1, data[0] & 1);
	free(p);
	return 0;
}
