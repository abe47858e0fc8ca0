/*
 * websocket.h - WebSocket frames (RFC 6455) in one direction of a TCP
 * stream, after a 101 Switching Protocols to "websocket".
 *
 * DESIGN.  A struct ws_dir is fed the direction's in-order bytes in any
 * split (ws_feed) and reports each frame when its last byte arrives, and
 * each message (data frames up to FIN, or one control frame) when it is
 * complete.  Payloads are unmasked and, for permessage-deflate (RFC 7692),
 * inflated with zlib as they arrive; at most `keep` bytes of a frame and
 * of a message are kept, so memory per direction is bounded whatever the
 * frame lengths say.  Malformed frames are reported with a reason and
 * decoding goes on (the length field still delimits the frame).
 * Must not print: it only calls back.  No dependency on the capture
 * pipeline, so unit tests and the fuzzer drive it directly.
 */
#ifndef HTTPTOOL_WEBSOCKET_H
#define HTTPTOOL_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define WS_KEEP_DEFAULT (1u << 20)

enum {
	WS_OP_CONT = 0, WS_OP_TEXT = 1, WS_OP_BINARY = 2,
	WS_OP_CLOSE = 8, WS_OP_PING = 9, WS_OP_PONG = 10,
};

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               | Masking-key, if MASK set to 1 |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 */
struct ws_frame {
	uint64_t off;		/* of its first byte in the direction */
	uint64_t len;		/* payload length */
	unsigned hdr_len;	/* 2..14 */
	uint8_t opcode;
	uint8_t rsv;		/* RSV1..3 as bits 2..0 */
	bool fin, masked;
	bool compressed;	/* RSV1 with permessage-deflate agreed */
	uint8_t mask[4];
	struct span data;	/* unmasked payload (the kept part) */
	bool cut;		/* payload longer than kept */
	int close_code;		/* Close with a status code, else -1 */
	struct span close_reason;
	const char *malformed;	/* reason, or NULL */
	const struct ws_message *msg;	/* the message it completes, or NULL */
};

struct ws_message {
	uint8_t opcode;		/* of its first frame */
	bool compressed;
	unsigned nframes;
	struct span data;	/* unmasked, reassembled, inflated (kept) */
	uint64_t total;		/* its bytes in all, after inflating */
	bool cut;
	const char *malformed;	/* an inflate error, or NULL */
};

/* Both spans are valid only during the call. */
struct ws_cb {
	void (*frame)(void *ctx, const struct ws_frame *f);
	void (*message)(void *ctx, const struct ws_message *m);
};

struct ws_dir {
	size_t keep;
	bool deflate, no_takeover;
	int wbits;			/* the peer's LZ77 window, 8..15 */
	/* the frame in progress */
	uint8_t hdr[14];
	unsigned hgot;
	bool in_payload;
	uint64_t left, pos;
	struct ws_frame cur;
	struct buf fdata;		/* its unmasked payload, kept part */
	/* the message in progress */
	bool in_msg;
	struct ws_message msg;
	struct buf mdata;
	void *z;			/* z_stream, made on first use */
	bool z_bad;
};

/*
 * Set wd up for one direction.  deflate: permessage-deflate was agreed;
 * no_takeover: this direction's sender resets its compressor per message
 * (server_/client_no_context_takeover); wbits: its max_window_bits (15
 * when not said).  keep: payload bytes kept per frame and per message.
 */
void ws_dir_init(struct ws_dir *wd, bool deflate, bool no_takeover,
		 int wbits, size_t keep);
void ws_dir_free(struct ws_dir *wd);

/* Feed n in-order bytes; calls cb as frames and messages complete. */
void ws_feed(struct ws_dir *wd, const uint8_t *p, size_t n,
	     const struct ws_cb *cb, void *ctx);

/*
 * From a 101's Sec-WebSocket-Extensions value: whether permessage-deflate
 * was agreed, and for each direction (0 client to server, 1 server to
 * client) whether its sender resets per message and its window bits.
 */
bool ws_parse_extensions(struct span v, bool no_takeover[2], int wbits[2]);

/* "Text", "Connection Close", … as tshark names opcodes. */
const char *ws_opcode_name(unsigned op);

#endif
