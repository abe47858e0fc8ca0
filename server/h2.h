/*
 * h2.h - HTTP/2 for `serve` (RFC 9113) with nghttp2 doing the framing,
 * HPACK, flow control and protocol checks.  Private to server/.
 *
 * How a stream reaches the route table: each stream owns a pseudo
 * connection (a struct conn with no socket, c->h2s set).  Its request is
 * written into that connection's input as HTTP/1.1 bytes and run through
 * the same conn.c state machine, parser, limits and handlers as a request
 * on a socket; what the handler writes (resp.c's status line, headers,
 * body, chunks, a file) is parsed back by http/ and sent as HEADERS and
 * DATA frames.  The handlers never know which protocol they answer.
 *
 * Hook-ups: conn.c calls h2_detect/h2_upgrade, conn_io.c calls the rest
 * when c->h2 (a connection speaking HTTP/2) or c->h2s (a stream's pseudo
 * connection) is set.
 */
#ifndef HTTPTOOL_SERVER_H2_H
#define HTTPTOOL_SERVER_H2_H

#include <stdbool.h>

#include "server/conn.h"

/*
 * At the start of a connection's bytes: 1 when they are the HTTP/2
 * connection preface (prior knowledge, or ALPN said h2) and c now speaks
 * HTTP/2; 0 when they are not; -1 when they are a prefix of it (wait).
 */
int h2_detect(struct conn *c);
/* After TLS: start HTTP/2 at once when ALPN selected h2. */
void h2_after_tls(struct conn *c);
/*
 * A whole HTTP/1.1 request with "Upgrade: h2c" and HTTP2-Settings is in
 * c->msg/c->body (RFC 7540 §3.2): answer 101, speak HTTP/2 and answer the
 * request on stream 1.  False (nothing done) when it is not one.
 */
bool h2_upgrade(struct conn *c);

/* A connection speaking HTTP/2 (c->h2): feed what was read, send. */
void h2_process(struct conn *c);
void h2_timeout(struct conn *c);	/* idle: GOAWAY and close */
void h2_drain(struct conn *c);		/* server stops: GOAWAY */
void h2_free(struct conn *c);		/* from conn_close */

/* A stream's pseudo connection (c->h2s): the handler wrote output or
 * finished; turn it into frames.  May free c. */
void h2_stream_settle(struct conn *c);
/* The handler asked to drop the connection at once: reset the stream. */
void h2_stream_abort(struct conn *c);

#endif
