/*
 * body_fuzz.c - libFuzzer harness for the chunked decoder: the input is
 * decoded whole and in pieces of a fuzzer-chosen size; both must produce
 * the same body bytes, the same end and the same error.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"

struct out {
	long rc;
	bool done;
	size_t body_len;
	uint64_t hash;
	const char *what;
};

static void
run(const char *in, size_t len, size_t step, enum http_mode mode,
    struct out *o)
{
	struct http_msg msg = { .framing = HTTP_FRAME_CHUNKED };
	struct http_body b;
	struct http_error err;
	size_t off = 0;

	memset(o, 0, sizeof *o);
	o->hash = 1469598103934665603ULL;
	http_body_init(&b, &msg, mode);
	while (off < len && !b.done) {
		size_t n = len - off < step ? len - off : step;
		size_t used = 0;
		while (used < n && !b.done) {
			struct span d;
			long k = http_body_decode(&b, in + off + used,
						  n - used, &d, &err);
			if (k < 0) {
				o->rc = HTTP_ERROR;
				o->what = err.what;
				return;
			}
			for (size_t i = 0; i < d.len; i++)
				o->hash = (o->hash ^ (uint8_t)d.p[i]) *
					  1099511628211ULL;
			o->body_len += d.len;
			used += (size_t)k;
			if (k == 0)
				break;
		}
		off += used;
	}
	o->rc = (long)off;
	o->done = b.done;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out whole, pieces;

	if (size < 1)
		return 0;
	size_t step = (data[0] & 0x3f) + 1;
	enum http_mode mode = (data[0] & 0x40) ? HTTP_LENIENT : HTTP_STRICT;
	run((const char *)data + 1, size - 1, size, mode, &whole);
	run((const char *)data + 1, size - 1, step, mode, &pieces);
	assert(whole.rc == pieces.rc);
	assert(whole.done == pieces.done);
	assert(whole.what == pieces.what);
	if (whole.rc >= 0) {
		assert(whole.body_len == pieces.body_len);
		assert(whole.hash == pieces.hash);
	}
	return 0;
}
