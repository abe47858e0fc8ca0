/*
 * h2_fuzz.c - libFuzzer harness for the HTTP/2 decoder (capture/http2.c,
 * http2_stream.c).  The input is a list of pieces: one byte (bit 7: the
 * direction, bits 0-6: length), then that many bytes.  Byte 0 chooses an
 * h2c upgrade start and a small keep limit.  Frames, HPACK blocks and
 * messages must decode without a crash, a leak or unbounded memory.
 */
#include <stdint.h>
#include <string.h>

#include "capture/http2.h"

static unsigned long seen;

static void
on_frame(void *ctx, const struct h2_frame *f)
{
	unsigned i;

	(void)ctx;
	seen += f->len + f->nsettings;
	for (i = 0; i < f->nheaders; i++)
		seen += f->headers[i].name.len + f->headers[i].value.len;
}

static void
on_msg(void *ctx, const struct h2_message *m)
{
	(void)ctx;
	seen += m->body.len + m->nheaders + (unsigned)m->status;
}

static const struct h2_cb cb = { on_frame, on_msg };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct h2_conn c;
	size_t off = 1, n;
	int dir;

	if (size < 1)
		return 0;
	h2_conn_init(&c, data[0] & 1 ? 32 : H2_KEEP_DEFAULT);
	if (data[0] & 2)
		h2_conn_upgraded(&c);
	while (off < size) {
		dir = data[off] >> 7;
		n = data[off] & 0x7f;
		off++;
		if (n > size - off)
			n = size - off;
		h2_feed(&c, dir, data + off, n, (uint32_t)off, &cb, NULL);
		off += n;
	}
	h2_end(&c, &cb, NULL);
	h2_conn_free(&c);
	return 0;
}
