/*
 * http_dissect.h - HTTP/1.x on any TCP port, recognised by content.
 *
 * Sits between reassembly (in-order bytes per direction) and the
 * printers.  Each direction keeps the head of the message in progress
 * and the bytes not decoded yet; http/ parses them in lenient mode,
 * http_find_start() resynchronises after garbage, gaps or a capture that
 * starts mid-stream.  A message is announced once, on the frame that
 * completes it, through on_message with everything a printer needs; the
 * spans in the view are valid only during that call.
 *
 * Records (records.h) are created here and paired by order per stream.
 */
#ifndef HTTPTOOL_HTTP_DISSECT_H
#define HTTPTOOL_HTTP_DISSECT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"
#include "http/parse.h"
#include "reassembly.h"
#include "records.h"

struct http_view {
	size_t rec;			/* record index */
	const struct http_rec *r;
	const struct http_msg *msg;	/* headers etc.; spans into head */
	struct span head;		/* the raw head bytes */
	struct span body;		/* decoded body (kept part) */
	uint64_t body_total;		/* decoded body bytes in all */
	uint64_t body_wire;		/* body bytes on the wire */
	bool body_cut;			/* body longer than was kept */
	/* the body as sent (chunk framing included) when it was kept
	 * whole (keep_body), else p NULL */
	struct span wire;
	/* offset of the head's first byte among the bytes of its direction
	 * (the reassembly's delivered count, gaps not counted) */
	uint64_t stream_off;
	unsigned chunks;		/* data chunks (chunked framing) */
	const uint32_t *chunk_sizes;	/* the first nchunk_sizes of them */
	unsigned nchunk_sizes;
	const struct flow *flow;
	int dir;
	uint32_t frame;			/* completing frame */
	const char *malformed;		/* reason or NULL */
	bool cut_by_end;		/* the capture ended inside it */
	char method[16];		/* of the request (responses too) */
	/* a response: the target and Host value of the request it answers
	 * (req_target.p NULL when none was seen; req_host.p NULL when the
	 * request had no Host) */
	struct span req_target, req_host;
};

struct ws_frame;
struct ws_message;
struct h2_frame;

/*
 * What the dissector reports (any may be NULL).  After a switch to
 * WebSocket or HTTP/2 (http_app.h), their frames and WebSocket messages
 * are reported as they complete, dir being the TCP direction; HTTP/2
 * requests and responses come through on_message like HTTP/1.x ones.
 */
struct dissect_cb {
	void (*on_message)(void *ctx, const struct http_view *v);
	void (*on_ws_frame)(void *ctx, const struct flow *f, int dir,
			    const struct ws_frame *wf);
	void (*on_ws_message)(void *ctx, const struct flow *f, int dir,
			      const struct ws_message *m);
	void (*on_h2_frame)(void *ctx, const struct flow *f, int dir,
			    const struct h2_frame *hf);
};

struct dissect {
	struct records *rs;
	const struct dissect_cb *cb;
	void *ctx;
	size_t keep_body;		/* body bytes kept per message */
	/* bytes waiting in all flows' buffers (mostly unfinished heads,
	 * and request URIs waiting for their responses), and the most
	 * allowed: past it the head that grows is given up */
	size_t held, held_max;
	unsigned long heads_dropped;
	/* decoded body bytes kept for the printers in all flows; they may
	 * use half of held_max, past it a body is kept cut short */
	size_t kept_held;
	unsigned long bodies_cut;
	size_t wire_held;		/* bodies as sent, kept for -x */
	/* set while a frame is processed, for "[TCP segment of ...]" */
	bool frame_pdu;			/* payload went into an HTTP message */
	unsigned frame_msgs;		/* messages completed in the frame */
	unsigned frame_app;		/* WebSocket/HTTP/2 frames completed */
	/* scratch for the parser, shared by all flows; msg_of says whose
	 * head (and which buffer) msg describes, so it is parsed once */
	struct http_msg msg;
	const void *msg_of;
	const char *msg_buf;
	struct http_header hdrs[128];
};

/* The reassembly callbacks that feed struct dissect (ctx = dissect). */
extern const struct reasm_cb dissect_reasm_cb;

/* Set up d; rs, cb and ctx are borrowed. */
void dissect_init(struct dissect *d, struct records *rs,
		  const struct dissect_cb *cb, void *ctx, size_t keep_body);

/* Call before each frame is fed to the reassembly. */
static inline void
dissect_frame_start(struct dissect *d)
{
	d->frame_pdu = false;
	d->frame_msgs = 0;
	d->frame_app = 0;
}

#endif
