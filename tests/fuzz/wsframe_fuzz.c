/*
 * wsframe_fuzz.c - libFuzzer harness for ws/frame.c's message reader, the
 * one serve's /websocket/echo and `httptool ws` read frames with.  Byte 0
 * chooses the side (a server expects masked frames), permessage-deflate
 * (ws/deflate.c's inflater) and a small message limit; the rest is read
 * frame by frame until an error or until the bytes run out, and every
 * event must stay inside the input's bounds and the limit.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "ws/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_reader r;
	struct ws_deflate d;
	size_t off = 1;

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof r);
	memset(&d, 0, sizeof d);
	r.expect_masked = data[0] & 1;
	r.max_message = data[0] & 2 ? 64 : 1u << 20;
	d.out_bits = 15;
	d.in_no_context = data[0] & 8;
	if ((data[0] & 4) && ws_deflate_init(&d) == 0)
		r.pmd = &d;
	while (off < size) {
		struct ws_event ev;
		size_t used;

		if (!ws_read(&r, data + off, size - off, &used, &ev))
			break;
		if (ev.kind == WS_EV_ERROR) {
			assert(ev.code == WS_CLOSE_PROTOCOL ||
			       ev.code == WS_CLOSE_BAD_DATA ||
			       ev.code == WS_CLOSE_TOO_BIG);
			break;
		}
		assert(used > 0 && used <= size - off);
		if (ev.kind == WS_EV_MESSAGE)
			assert(ev.data.len <= r.max_message);
		if (ev.kind == WS_EV_CONTROL)
			assert(ev.data.len <= 125);
		off += used;
	}
	ws_reader_free(&r);
	ws_deflate_free(&d);
	return 0;
}
