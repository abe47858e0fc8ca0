/*
 * print_body.h - the body layers of the -V tree (chunks, content coding,
 * forms, multipart, text), shared with the HTTP tree printer.
 */
#ifndef HTTPTOOL_PRINT_BODY_H
#define HTTPTOOL_PRINT_BODY_H

#include "lib/buf.h"
#include "http_dissect.h"
#include "records.h"
#include "source.h"

/* Most bytes one body is decompressed to (zip bombs stop there). */
#define BODY_INFLATE_MAX (16u << 20)

/*
 * Decode a gzip or deflate body into out (owned by the caller).  Returns 0,
 * or -1 when it does not inflate (out then holds what did: a corrupt or
 * cut-short stream).  At most limit bytes are produced; *cut (when not
 * NULL) tells that the output stopped at limit before the stream ended.
 */
int body_inflate(struct span in, bool gzip, struct buf *out, size_t limit,
		 bool *cut);

/*
 * The body size "File Data: n bytes" shows: after de-chunking and, for a
 * gzip or deflate body kept whole, after decompression (counted without
 * keeping the output).
 */
uint64_t body_file_data_len(const struct http_view *v);

/* 1 for a gzip Content-Encoding, 0 for deflate, -1 for none or another. */
int body_coding(struct span content_encoding);

/* Bytes as Wireshark shows them in text lines (\r \n \t \xNN). */
void body_put_text(struct buf *out, const char *p, size_t n);

/* The same, and with backslash a backslash as \\ (tshark -T fields). */
void body_put_escaped(struct buf *out, const char *p, size_t n,
		      bool backslash);

/* True for media types shown as text (text/..., JSON, XML, JavaScript). */
bool body_is_text(struct span media_type);

/* "http://host/uri" of a request. */
void print_full_uri(struct buf *out, const struct http_msg *m,
		    const struct flow *f);

/* Time between a response's request and it, -1 when unknown. */
int64_t print_time_since_request(const struct http_view *v,
				 const struct records *rs,
				 const struct capture *cap);

#endif
