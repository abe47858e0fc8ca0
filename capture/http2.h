/*
 * http2.h - HTTP/2 (RFC 9113) in a reassembled TCP connection: frames,
 * HPACK (nghttp2's inflater, one per direction) and each stream's
 * request and response as messages.
 *
 * DESIGN.  A struct h2_conn is fed each direction's in-order bytes in any
 * split (h2_feed); direction 0 is the client's, which starts with the
 * connection preface.  Every frame is reported when its last byte
 * arrives, with its type-specific fields decoded; a header block
 * (HEADERS or PUSH_PROMISE, then CONTINUATION up to END_HEADERS) is
 * decompressed when it is whole and its fields reported on the frame
 * that ends it.  Per stream and direction, the first header block and
 * the DATA after it make a message (an informational 1xx is a message
 * of its own), reported on END_STREAM, on RST_STREAM, or at h2_end().
 * A PUSH_PROMISE's header block is the request of the promised stream,
 * reported (pushed) when the block ends; the server's HEADERS and DATA
 * on that stream are its response.
 * At most `keep` bytes of a frame and of a body are kept; frames longer
 * than H2_FRAME_BUFFER stream through uncounted by HPACK (their header
 * block is lost, and the direction's later blocks are marked).
 * Must not print: it only calls back.  No dependency on the pipeline.
 */
#ifndef HTTPTOOL_HTTP2_H
#define HTTPTOOL_HTTP2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_PREFACE_LEN 24
#define H2_FRAME_BUFFER (1u << 20)	/* frames buffered whole up to */
#define H2_KEEP_DEFAULT (1u << 20)
#define H2_MAX_STREAMS 1024		/* open streams tracked per conn */

enum {
	H2_DATA, H2_HEADERS, H2_PRIORITY, H2_RST_STREAM, H2_SETTINGS,
	H2_PUSH_PROMISE, H2_PING, H2_GOAWAY, H2_WINDOW_UPDATE,
	H2_CONTINUATION,
};

enum {
	H2_F_END_STREAM = 0x1, H2_F_ACK = 0x1, H2_F_END_HEADERS = 0x4,
	H2_F_PADDED = 0x8, H2_F_PRIORITY = 0x20,
};

struct h2_header {
	struct span name, value;
};

struct h2_setting {
	uint16_t id;
	uint32_t value;
};

/*
 * +-----------------------------------------------+
 * |                 Length (24)                   |
 * +---------------+---------------+---------------+
 * |   Type (8)    |   Flags (8)   |
 * +-+-------------+---------------+-------------------------------+
 * |R|                 Stream Identifier (31)                      |
 * +=+=============================================================+
 * |                   Frame Payload (0...)                      ...
 * +---------------------------------------------------------------+
 */
struct h2_frame {
	int dir;
	uint64_t off;		/* first byte in the direction's stream */
	bool magic;		/* the client preface: no other field set */
	uint32_t len;
	uint8_t type, flags;
	uint32_t stream;
	struct span payload;	/* kept part */
	bool cut;		/* payload longer than kept */
	unsigned pad;		/* PADDED: padding length */
	/* DATA: the data; HEADERS, PUSH_PROMISE, CONTINUATION: the header
	 * block fragment */
	struct span data;
	bool has_prio, excl;	/* HEADERS with PRIORITY, or PRIORITY */
	uint32_t dep;
	uint8_t weight;		/* as sent (tshark adds nothing) */
	uint32_t error;		/* RST_STREAM, GOAWAY */
	uint32_t last_stream;	/* GOAWAY */
	struct span debug;	/* GOAWAY additional debug data */
	struct span ping;	/* PING opaque data */
	uint32_t window_inc;	/* WINDOW_UPDATE */
	uint32_t promised;	/* PUSH_PROMISE */
	const struct h2_setting *settings;
	unsigned nsettings;
	/* the header block this frame ended, decoded (else 0 headers) */
	const struct h2_header *headers;
	unsigned nheaders;
	struct span content_type; /* DATA ending a stream: its message's */
	bool block_done;	/* this frame ended a header block */
	bool block_bad;		/* the block did not decompress */
	const char *malformed;
};

struct h2_message {
	int dir;
	uint32_t stream;
	const struct h2_header *headers;	/* pseudo-headers first */
	unsigned nheaders;
	struct span method, path, authority, scheme;
	int status;		/* response, else 0 */
	struct span body;	/* kept part */
	uint64_t body_total;
	bool body_cut;
	bool ended;		/* END_STREAM seen */
	bool reset;		/* ended by RST_STREAM */
	bool pushed;		/* a request the server promised (PUSH_PROMISE,
				   sent in the server's direction) */
	uint32_t first_frame;	/* caller's frame number it began in */
};

/* Spans are valid only during the call. */
struct h2_cb {
	void (*frame)(void *ctx, const struct h2_frame *f);
	void (*message)(void *ctx, const struct h2_message *m);
};

struct h2_hdrs {		/* a decoded header block */
	struct buf text;	/* name\0value\0 ... */
	uint32_t (*pos)[4];	/* name off, name len, value off, len */
	unsigned n, cap;
};

struct h2_sside {		/* one direction of one stream */
	bool started, done;
	bool pushed;		/* [0] of a promised stream */
	struct h2_hdrs h;
	struct buf body;
	uint64_t total;
	bool cut;
	uint32_t first_frame;
};

struct h2_stream {
	uint32_t id;
	struct h2_sside s[2];
};

struct h2_dir {
	struct buf in;			/* bytes of the frame in progress */
	unsigned preface;		/* preface bytes still expected */
	uint64_t pos;			/* bytes consumed so far */
	uint64_t skip;			/* of an oversized frame, still to go */
	struct h2_frame big;		/* that frame */
	void *hd;			/* nghttp2_hd_inflater */
	bool hd_bad;			/* HPACK context lost */
	struct buf block;		/* header block being gathered */
	uint32_t block_stream;
	uint8_t block_type;
	uint32_t block_promised;	/* PUSH_PROMISE's promised stream */
	bool in_block;
	bool block_end;			/* its HEADERS had END_STREAM */
};

struct h2_conn {
	struct h2_dir d[2];
	struct h2_stream *st;
	size_t nst, stcap;
	size_t keep;
	uint32_t frame;			/* caller's current frame number */
	struct h2_hdrs scratch;		/* the block of the frame reported */
	struct h2_header *hv;		/* spans for a callback */
	unsigned hvcap;
	struct h2_setting sets[64];
};

/* Set c up; keep: bytes kept per frame payload and per body. */
void h2_conn_init(struct h2_conn *c, size_t keep);
void h2_conn_free(struct h2_conn *c);

/*
 * After an HTTP/1.1 Upgrade: h2c and its 101: the server speaks first
 * (no preface), and stream 1 is the upgraded request, already sent.
 */
void h2_conn_upgraded(struct h2_conn *c);

/* Feed n in-order bytes of direction dir, part of caller's frame no. */
void h2_feed(struct h2_conn *c, int dir, const uint8_t *p, size_t n,
	     uint32_t frame, const struct h2_cb *cb, void *ctx);

/* The connection ended: report the messages still open. */
void h2_end(struct h2_conn *c, const struct h2_cb *cb, void *ctx);

/* 1 when p starts with the client preface, 0 when it cannot, -1 when n
 * is too short to tell. */
int h2_is_preface(const uint8_t *p, size_t n);

/* 1 when p starts with a SETTINGS frame on stream 0 (how a server
 * starts), 0 when it cannot, -1 when n is too short to tell. */
int h2_is_server_start(const uint8_t *p, size_t n);

/* tshark's names: "DATA", "SETTINGS", …, "Unknown type (N)" is the
 * caller's when NULL is returned. */
const char *h2_type_name(unsigned type);
const char *h2_error_name(uint32_t code);	/* "NO_ERROR", … or NULL */
const char *h2_setting_name(unsigned id);	/* "Header table size"… */

#endif
