/*
 * frame.h - WebSocket (RFC 6455) frames and messages, shared by the
 * server's /websocket/echo (server/ws.c) and `httptool ws` (ws/client.c).
 * No sockets here: bytes in, events out; frames into a struct buf.
 *
 * A frame (RFC 6455 §5.2):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-------+-+-------------+-------------------------------+
 *   |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *   |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *   |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *   | |1|2|3|       |K|             |                               |
 *   +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *   |     Extended payload length continued, if payload len == 127  |
 *   + - - - - - - - - - - - - - - - +-------------------------------+
 *   |                               | Masking-key, if MASK set      |
 *   +-------------------------------+-------------------------------+
 *   | Masking-key (continued)       |          Payload Data         |
 *   +-------------------------------- - - - - - - - - - - - - - - - +
 */
#ifndef HTTPTOOL_WS_FRAME_H
#define HTTPTOOL_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "ws/deflate.h"

enum ws_opcode {
	WS_CONT = 0x0,
	WS_TEXT = 0x1,
	WS_BINARY = 0x2,
	WS_CLOSE = 0x8,
	WS_PING = 0x9,
	WS_PONG = 0xa,
};

/* Close codes (RFC 6455 §7.4.1) we send. */
enum {
	WS_CLOSE_NORMAL = 1000,
	WS_CLOSE_GOING_AWAY = 1001,
	WS_CLOSE_PROTOCOL = 1002,
	WS_CLOSE_NO_STATUS = 1005,	/* never on the wire */
	WS_CLOSE_ABNORMAL = 1006,	/* never on the wire */
	WS_CLOSE_BAD_DATA = 1007,
	WS_CLOSE_TOO_BIG = 1009,
};

#define WS_RSV1 0x4		/* permessage-deflate: compressed message */

struct ws_frame {
	bool fin;
	unsigned rsv;		/* RSV1..3 as bits 2..0 */
	unsigned opcode;
	bool masked;
	uint8_t mask[4];
	uint64_t len;		/* payload length */
	size_t hlen;		/* header length */
};

/* Parse the header at p[0..n): its length (> 0), 0 when more bytes are
 * needed, -1 when a 64-bit length has its top bit set (§5.2). */
int ws_frame_parse(const uint8_t *p, size_t n, struct ws_frame *f);

/* Append a frame header; mask NULL for an unmasked (server) frame.  The
 * caller appends the payload, masked with ws_mask() when mask is set. */
void ws_frame_header(struct buf *b, bool fin, unsigned rsv, unsigned opcode,
		     uint64_t len, const uint8_t *mask);
/* XOR p[0..n) with mask, the first byte being payload byte off. */
void ws_mask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t off);
/* Append a whole frame with payload p (masked when mask != NULL). */
void ws_frame_put(struct buf *b, bool fin, unsigned rsv, unsigned opcode,
		  const void *p, size_t n, const uint8_t *mask);

/* The payload of a close frame into p: the code (none for
 * WS_CLOSE_NO_STATUS), then why (NULL: none) cut to max_why bytes (at
 * most 123); returns its length. */
size_t ws_close_payload(uint8_t p[125], unsigned code, const char *why,
			size_t max_why);

/* "text", "binary", "close", ... or "reserved". */
const char *ws_frame_opcode_name(unsigned opcode);
/* What a close code means, or "" when unknown. */
const char *ws_frame_close_name(unsigned code);

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key (§4.2.2): base64 of the
 * SHA-1 of key + the GUID, NUL-terminated into out (29 bytes). */
void ws_accept_key(struct span key, char out[29]);

/*
 * The message reader: feed bytes, get one event per frame.  Zero it,
 * set the limits and expect_masked (a server: true), then call ws_read.
 */
struct ws_reader {
	bool expect_masked;	/* clients mask, servers do not (§5.1) */
	size_t max_message;	/* larger -> 1009 */
	struct ws_deflate *pmd;	/* permessage-deflate, NULL when off */

	/* private */
	bool in_msg;		/* a fragmented message is under way */
	unsigned msg_op;
	bool msg_compressed;
	struct buf msg;		/* its payload so far */
	struct buf out;		/* the inflated message */
	uint8_t ctl[128];	/* the unmasked control payload */
};

enum ws_event_kind {
	WS_EV_FRAGMENT,		/* a data frame of a message not yet whole */
	WS_EV_MESSAGE,		/* a whole text or binary message */
	WS_EV_CONTROL,		/* close, ping or pong */
	WS_EV_ERROR,		/* fail the connection with code (§7.1.7) */
};

struct ws_event {
	enum ws_event_kind kind;
	struct ws_frame f;	/* the frame this event is about */
	unsigned opcode;	/* the message's or the control frame's */
	bool compressed;	/* the message came compressed */
	struct span data;	/* message or control payload (unmasked);
				 * valid until the next ws_read */
	unsigned code;		/* close: the peer's code, 1005 when none;
				 * error: the code to close with */
	struct span reason;	/* close reason */
	const char *why;	/* error: what was wrong */
};

/*
 * Read one frame from p[0..n).  Returns 1 with *ev filled and *used set
 * to the bytes it took, or 0 when the frame is not whole yet (*used 0).
 */
int ws_read(struct ws_reader *r, const uint8_t *p, size_t n, size_t *used,
	    struct ws_event *ev);
void ws_reader_free(struct ws_reader *r);

#endif
