/*
 * stream_fuzz.c - libFuzzer harness for http/stream.c, the one
 * head-body-next-message reader: the input is read whole and fed in
 * pieces of a fuzzer-chosen size (the way a socket or a TCP stream hands
 * it over); both must give the same heads, body bytes, ends and error.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/stream.h"

struct out {
	unsigned heads, ends;
	int status_sum;
	size_t body_len;
	uint64_t hash;
	enum http_stream_ev last;
	const char *what;
};

static void
mix(struct out *o, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		o->hash = (o->hash ^ (uint8_t)p[i]) * 1099511628211ULL;
}

static void
run(const char *in, size_t len, size_t step, bool requests,
    enum http_mode mode, struct out *o)
{
	struct http_header h[16];
	struct http_stream s;
	size_t have = 0, off = 0;	/* bytes handed over, bytes used */
	enum http_stream_ev e = HTTP_EV_NEED_MORE;

	memset(o, 0, sizeof *o);
	o->hash = 1469598103934665603ULL;
	http_stream_init(&s, requests, mode, h, 16);
	while (e == HTTP_EV_NEED_MORE && have < len) {
		have += len - have < step ? len - have : step;
		for (;;) {
			struct http_stream_event ev;

			e = http_stream_next(&s, in + off, have - off,
					     SPAN_LIT("GET"), &ev);
			assert(ev.consumed <= have - off);
			if (e == HTTP_EV_HEAD) {
				o->heads++;
				o->status_sum += s.msg.status;
				mix(o, s.msg.method.p, s.msg.method.len);
			}
			if (e == HTTP_EV_BODY) {
				o->body_len += ev.data.len;
				mix(o, ev.data.p, ev.data.len);
			}
			o->ends += e == HTTP_EV_END;
			off += ev.consumed;
			if (e == HTTP_EV_NEED_MORE || e == HTTP_EV_TUNNEL ||
			    e == HTTP_EV_ERROR)
				break;
		}
	}
	if (e == HTTP_EV_NEED_MORE) {
		struct http_stream_event ev;

		e = http_stream_eof(&s, &ev);
		o->ends += e == HTTP_EV_END;
	}
	o->last = e;
	o->what = e == HTTP_EV_ERROR ? s.err.what : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out whole, pieces;
	char *copy;

	if (size < 1)
		return 0;
	size_t step = (data[0] & 0x1f) + 1;
	bool requests = data[0] & 0x20;
	enum http_mode mode = (data[0] & 0x40) ? HTTP_LENIENT : HTTP_STRICT;
	/* an exact-size copy so ASan sees any read past the end */
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	run(copy, size - 1, size, requests, mode, &whole);
	run(copy, size - 1, step, requests, mode, &pieces);
	assert(whole.heads == pieces.heads);
	assert(whole.ends == pieces.ends);
	assert(whole.status_sum == pieces.status_sum);
	assert(whole.body_len == pieces.body_len);
	assert(whole.hash == pieces.hash);
	assert(whole.last == pieces.last);
	assert(whole.what == pieces.what);
	free(copy);
	return 0;
}
