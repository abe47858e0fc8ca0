/*
 * h2_int.h - what h2.c (the connection and nghttp2's callbacks) and
 * h2_stream.c (a stream's pseudo connection) share.  Private to them.
 *
 * Ownership: a struct h2_conn belongs to its struct conn (c->h2) and is
 * freed by conn_close through h2_free.  A struct h2_stream is on its
 * h2_conn's list from HEADERS until nghttp2 closes the stream (or the
 * connection goes); its pseudo connection sc lives inside it.
 */
#ifndef HTTPTOOL_SERVER_H2_INT_H
#define HTTPTOOL_SERVER_H2_INT_H

#include <nghttp2/nghttp2.h>

#include "server/conn.h"

/* header fields of a response our own handlers write */
#define H2_MAX_RESP_HEADERS 128

struct h2_conn {
	struct conn *c;
	nghttp2_session *s;
	struct h2_stream *streams;
	int nstreams;
	int busy;		/* inside mem_recv or a dispatch: do not send */
	bool draining;		/* GOAWAY sent for shutdown */
	bool timed_out;		/* GOAWAY sent for the idle timeout */
	struct h2_stream *spare;	/* closed streams kept for reuse */
	int nspare;
	size_t buffered;	/* request bodies held for streams not yet
				 * dispatched; at most --max-body-size */
	/* the client's streams opened among the last H2_SEEN_IDS odd ids
	 * up to max_opened, one bit each (h2.c: a HEADERS for an id below
	 * max_opened that was never opened is a connection error) */
	int32_t max_opened;
	uint64_t seen[8];
};

struct h2_stream {
	struct h2_conn *hc;
	struct h2_stream *prev, *next;
	int32_t id;
	struct conn sc;		/* what the handlers answer into */

	/* the request as it arrives */
	struct buf method, path, host, cookie, hdrs;
	struct buf body;
	uint64_t body_total;	/* DATA bytes, also those over the limit */
	bool ready;		/* END_STREAM seen: dispatch */
	bool started;

	/* the response the handler writes */
	bool resp_sent;		/* HEADERS submitted */
	bool deferred;		/* the data callback said DEFERRED */
	struct http_msg rmsg;
	struct http_header *rh;	/* H2_MAX_RESP_HEADERS (malloc, kept
				 * when the stream is reused) */
	struct http_body rbd;
	uint64_t left;		/* HTTP_FRAME_LENGTH: body bytes to send */
};

/* h2_stream.c */
struct h2_stream *h2_stream_new(struct h2_conn *hc, int32_t id);
/* Unlink a closed stream; its memory is kept in hc->spare for the next
 * stream (up to a few) or freed. */
void h2_stream_free(struct h2_stream *st);
/* Free hc->spare (the connection goes). */
void h2_stream_spares_free(struct h2_conn *hc);
/* One request header field (pseudo-headers included). */
void h2_stream_header(struct h2_stream *st, const char *name, size_t nlen,
		      const char *value, size_t vlen);
void h2_stream_data(struct h2_stream *st, const uint8_t *p, size_t n);
/* The request is whole: hand it to conn.c and the route table. */
void h2_stream_run(struct h2_stream *st);

/* h2.c: send what nghttp2 has queued (unless busy) and settle the
 * connection.  May free hc and its connection. */
void h2_kick(struct h2_conn *hc);

#endif
