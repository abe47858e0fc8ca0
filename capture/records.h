/*
 * records.h - one compact record per HTTP message, the sniffer's model.
 *
 * The dissector creates a record when a message head has been parsed and
 * completes it on the frame that ends the message.  Pairing is by order
 * within a TCP stream: each response answers the oldest request of its
 * stream still waiting for a final (non-1xx) response, which is right for
 * pipelining and 100-continue.  Every printer (--json, summary, -V, stats,
 * HAR) and the TUI read these records.
 *
 * Two passes over a file: pass 1 creates the records; pass 2 decodes
 * again in replay mode, where rec_begin() hands back the records of pass 1
 * in the same order, so a request already knows its response frame.
 *
 * Indices are 0-based; link fields (pair, prev, next) hold index + 1 so
 * that 0 means none.  The store owns every record and head copy.
 */
#ifndef HTTPTOOL_RECORDS_H
#define HTTPTOOL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rec_type { REC_REQUEST = 0, REC_RESPONSE = 1 };

struct http_rec {
	uint32_t first_frame;	/* frame holding the start line */
	uint32_t frame;		/* frame completing the message, 0 if not */
	uint32_t stream;	/* tcp.stream */
	uint32_t pair;		/* request: final response; response: request */
	uint32_t prev, next;	/* requests of the same stream */
	uint32_t nth;		/* request n of the stream (1-based) */
	uint16_t code;		/* response status */
	uint8_t type;		/* enum rec_type */
	uint8_t dir;		/* DIR_CLIENT / DIR_SERVER */
	uint64_t body_len;	/* decoded body bytes */
	uint64_t content_length;	/* UINT64_MAX when absent */
	const char *malformed;	/* static reason, or NULL */
	struct rec_copy *copy;	/* head and body copies (keep_heads), or NULL */
	uint32_t h2_stream;	/* HTTP/2 stream id, 0 for HTTP/1.x */
};

/* What --har and --stats need besides the numbers. */
struct rec_copy {
	char *head;		/* the head bytes, NUL-terminated */
	uint32_t head_len;
	uint32_t body_kept;
	char *body;		/* first REC_BODY_MAX decoded body bytes */
};

#define REC_BODY_MAX (64u << 10)

struct records {
	struct http_rec *v;
	size_t n, cap;
	bool replay;		/* pass 2: hand back existing records */
	size_t cursor;
	bool keep_heads;	/* copy each head into its record */
	size_t ring;		/* 0: keep every record; else only the last
				   ring (a power of two), for one-pass text
				   output whose memory must stay flat */
	uint32_t *stream_nreq;	/* requests per stream */
	uint32_t *stream_last;	/* last request record (+1) per stream */
	size_t nstreams;
};

/* Zero-initialise a struct records, or call rec_init(). */
void rec_init(struct records *rs, bool keep_heads);
void rec_free(struct records *rs);

/* Keep only the last n records (a power of two; not with keep_heads). */
void rec_set_ring(struct records *rs, size_t n);

/* Start pass 2: later rec_begin() calls return the same indices again. */
void rec_replay(struct records *rs);

/*
 * A message head was parsed: returns its record index, or -1 on ENOMEM.
 * In replay mode returns the next existing index (its fields are kept).
 */
long rec_begin(struct records *rs, enum rec_type type, uint32_t stream,
	       int dir, uint32_t first_frame);

/* Pair response resp with request req (final: a non-1xx status). */
void rec_pair(struct records *rs, size_t resp, size_t req, bool final);

/* Copy the head bytes into the record (when keep_heads). */
void rec_set_head(struct records *rs, size_t i, const char *p, size_t n);

/* Copy up to REC_BODY_MAX body bytes into the record (keep_heads). */
void rec_set_body(struct records *rs, size_t i, const char *p, size_t n);

/* Total requests of a stream (for "[HTTP request n/m]"). */
uint32_t rec_stream_requests(const struct records *rs, uint32_t stream);

static inline struct http_rec *
rec_get(const struct records *rs, size_t i)
{
	if (i >= rs->n || (rs->ring && rs->n - i > rs->ring))
		return NULL;
	return &rs->v[rs->ring ? i & (rs->ring - 1) : i];
}

/* The record a link field points at, or NULL. */
/* Head bytes of a record (keep_heads), or NULL. */
static inline const char *
rec_head(const struct http_rec *r, uint32_t *len)
{
	*len = r->copy ? r->copy->head_len : 0;
	return r->copy ? r->copy->head : NULL;
}

static inline struct http_rec *
rec_link(const struct records *rs, uint32_t link)
{
	return link ? rec_get(rs, link - 1) : NULL;
}

#endif
