/*
 * follow.h - --follow N and --follow-http N: one TCP stream as text, in
 * tshark's "-z follow,tcp,ascii" layout (a length line per chunk, the
 * server's indented by a tab), client and server named on the Node lines.
 * --follow-http shows each HTTP message whole, its body de-chunked and
 * decompressed (gzip, deflate; see follow.c).
 */
#ifndef HTTPTOOL_FOLLOW_H
#define HTTPTOOL_FOLLOW_H

#include <stdbool.h>

#include "lib/buf.h"
#include "http_dissect.h"
#include "reassembly.h"

struct follow {
	long stream;
	bool http;
	bool started;
};

/* Raw bytes of a direction (--follow); ignored for other streams. */
void follow_data(struct follow *fo, struct buf *out, const struct flow *f,
		 int dir, const uint8_t *p, size_t n);

/* A whole message (--follow-http); ignored for other streams. */
void follow_message(struct follow *fo, struct buf *out,
		    const struct http_view *v);

/*
 * The body of v as --follow-http (and the TUI's follow view) shows it:
 * de-chunked, and decompressed into dec (the caller's, freed by it) when
 * it is gzip or deflate, else as kept.  Lines saying what is not shown
 * whole ("[Content-Encoding gzip: ...]\n") are appended to note.
 */
struct span follow_http_body(const struct http_view *v, struct buf *dec,
			     struct buf *note);

/* The closing rule; returns false when the stream was never seen. */
bool follow_end(struct follow *fo, struct buf *out);

#endif
