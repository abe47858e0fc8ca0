/*
 * ws_fuzz.c - libFuzzer harness for the WebSocket decoder
 * (capture/websocket.c).  Byte 0 chooses permessage-deflate, no context
 * takeover and a small keep limit, byte 1 a piece size; the rest is fed
 * whole and in pieces, and both runs must report the same frames and
 * messages (count, lengths and a hash of the kept bytes).
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "capture/websocket.h"

struct sum {
	unsigned frames, msgs;
	uint64_t hash;
};

static void
mix(struct sum *s, const void *p, size_t n, uint64_t extra)
{
	const uint8_t *b = p;
	size_t i;

	s->hash = (s->hash ^ extra) * 1099511628211ULL;
	for (i = 0; i < n; i++)
		s->hash = (s->hash ^ b[i]) * 1099511628211ULL;
}

static void
on_frame(void *ctx, const struct ws_frame *f)
{
	struct sum *s = ctx;

	s->frames++;
	mix(s, f->data.p, f->data.len, f->len ^ (uint64_t)f->opcode << 56 ^
	    (uint64_t)(f->close_code + 1) << 40 ^ (f->malformed != NULL));
}

static void
on_msg(void *ctx, const struct ws_message *m)
{
	struct sum *s = ctx;

	s->msgs++;
	mix(s, m->data.p, m->data.len, m->total ^ m->cut ^
	    (uint64_t)(m->malformed != NULL) << 1);
}

static const struct ws_cb cb = { on_frame, on_msg };

static void
run(const uint8_t *p, size_t n, int flags, size_t step, struct sum *s)
{
	struct ws_dir wd;
	size_t off = 0, k;

	memset(s, 0, sizeof(*s));
	ws_dir_init(&wd, flags & 1, flags & 2, 8 + (flags >> 4),
		    flags & 4 ? 64 : WS_KEEP_DEFAULT);
	while (off < n) {
		k = n - off < step ? n - off : step;
		ws_feed(&wd, p + off, k, &cb, s);
		off += k;
	}
	ws_dir_free(&wd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sum a, b;

	if (size < 2)
		return 0;
	run(data + 2, size - 2, data[0], size, &a);
	run(data + 2, size - 2, data[0], 1 + data[1] % 17, &b);
	assert(a.frames == b.frames && a.msgs == b.msgs);
	/* inflate output chunking may differ only in what is cut */
	if (!(data[0] & 4))
		assert(a.hash == b.hash);
	return 0;
}
