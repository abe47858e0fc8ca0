/*
 * upload.h - /upload's streaming multipart/form-data reader: a request
 * body fed in pieces as it arrives, each file part written to
 * --upload-dir (with its SHA-256) while it streams, so memory stays flat
 * whatever the upload's size.  Private to server/.
 */
#ifndef HTTPTOOL_SERVER_UPLOAD_H
#define HTTPTOOL_SERVER_UPLOAD_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "http/parse.h"

struct server;
struct upload_stream;

/* A reader saving into srv's upload_dir for a body with this boundary;
 * NULL when out of memory or the boundary is longer than RFC 2046's 70.
 * The caller frees it with upload_stream_free(). */
struct upload_stream *upload_stream_new(const struct server *srv,
					struct span boundary);
/* The next n body bytes (any split). */
void upload_stream_feed(struct upload_stream *u, const char *p, size_t n);
/*
 * After the last byte: 0 when the body was a whole multipart body and
 * every file was saved, then "files": [...] is written as a key of the
 * open object j; 400 when the body was malformed, 500 when a file could
 * not be written.
 */
int upload_stream_finish(struct upload_stream *u, struct json *j);
void upload_stream_free(struct upload_stream *u);

/* The stream for a request head, if the request is a POST to /upload
 * with a multipart Content-Type; else NULL. */
struct upload_stream *upload_stream_for(const struct server *srv,
					const struct http_msg *msg);

#endif
