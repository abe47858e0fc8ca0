/*
 * resp.h - the response writer: status line and headers into the
 * connection's output buffer, bodies copied after them or sent from a
 * file with sendfile(2) (pread into the buffer under TLS).
 *
 * Every function appends to c->out; nothing is sent until the connection
 * flushes.  For a HEAD request the body functions write the headers
 * (Content-Length included) and drop the body.
 */
#ifndef HTTPTOOL_SERVER_RESP_H
#define HTTPTOOL_SERVER_RESP_H

#include <stddef.h>
#include <stdint.h>

#include "server/conn.h"

/* Status line plus Date, Server and Connection (close / keep-alive). */
void resp_start(struct conn *c, int status);
void resp_header(struct conn *c, const char *name, const char *value);
void resp_headerf(struct conn *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Content-Type (unless NULL), Content-Length, blank line, body. */
void resp_body(struct conn *c, const char *ctype, const void *body,
	       size_t len);
/* Like resp_body, but takes over *body (left empty) instead of copying
 * it: the head and the body then go out in one writev(2). */
void resp_body_buf(struct conn *c, const char *ctype, struct buf *body);
/* resp_start + resp_body. */
void resp_send(struct conn *c, int status, const char *ctype,
	       const void *body, size_t len);
/* A text/plain reply "<code> <phrase>\n" plus an optional detail line. */
void resp_error(struct conn *c, int status, const char *detail);
/* resp_error's body after the caller's own resp_start and headers. */
void resp_error_body(struct conn *c, int status, const char *detail);
/* Content-Type, Content-Length: len, then len bytes of fd from off.
 * Takes ownership of fd (closed when sent or when the connection dies). */
void resp_file(struct conn *c, const char *ctype, int fd, uint64_t off,
	       uint64_t len);
/* Chunked transfer coding (RFC 9112 §7.1): status line and headers,
 * chunks, last chunk.  To an HTTP/1.0 client the body is sent as it is
 * and delimited by closing the connection. */
void resp_chunked(struct conn *c, int status, const char *ctype);
void resp_chunk(struct conn *c, const void *p, size_t n);
void resp_chunk_end(struct conn *c);
/* Appends "HTTP/1.1 100 Continue" (RFC 9110 §15.2.1). */
void resp_continue(struct conn *c);
/* The current Date header value (cached per second per thread). */
const char *resp_date(struct srv_thread *th);

#endif
