/*
 * http_keep.h - what the HTTP/1.x dissector keeps of the body of the
 * message in progress in one direction, for the printers: the decoded
 * body (--json, -V's entity lines, follow), the body as sent (-x's
 * "Reassembled TCP" source) and the sizes of its chunks ("Data chunk (n
 * octets)"), each within the budgets of struct dissect (http_dissect.h):
 * keep_body bytes a message, half of held_max in all flows.
 *
 * Moved out of http_dissect.c, the logic as it was.
 */
#ifndef HTTPTOOL_CAPTURE_HTTP_KEEP_H
#define HTTPTOOL_CAPTURE_HTTP_KEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "http/parse.h"
#include "lib/buf.h"

struct dissect;

/* Owned by the direction; its buffers are freed by keep_reset(.., true). */
struct http_keep {
	struct buf kept;	/* decoded body, up to keep_body bytes */
	bool kept_cut;
	struct buf wire;	/* the body as sent, up to keep_body bytes */
	bool wire_cut;
	uint32_t chunk_sizes[64];
	unsigned nchunks;
};

/* Keep the next decoded body bytes; once a byte is not kept, none after
 * it is (the kept part is always the start of the body). */
void keep_body(struct dissect *d, struct http_keep *k, struct span data);

/* Keep body bytes as sent, only where a decoded body is kept, with a
 * budget of its own (the decoded bodies kept are the same without it). */
void keep_wire(struct dissect *d, struct http_keep *k, struct span data);

/* A decode of body b moved it from `before` chunks on, giving n bytes:
 * count them into the chunk sizes (chunked bodies only). */
void keep_chunk(struct http_keep *k, const struct http_body *b,
		unsigned before, size_t n);

/* The message is done with: give the bytes back to the budgets and
 * empty (free_it: free) the buffers; the chunk sizes are not touched. */
void keep_reset(struct dissect *d, struct http_keep *k, bool free_it);

#endif
