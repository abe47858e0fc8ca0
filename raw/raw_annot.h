/*
 * raw_annot.h - reads what the server sends back as HTTP responses, with
 * the shared parser (http/parse.h, lenient), and says in words what
 * telnet cannot: where each response starts, its status, how its body is
 * framed, when it is complete, and what is malformed about it.
 *
 * The bytes themselves are printed by the session untouched; this module
 * only appends "* ..." note lines to a buffer the session flushes to
 * stderr.  It also counts answered requests (through raw_track) so the
 * session can close once every request sent has been answered.
 */
#ifndef HTTPTOOL_RAW_ANNOT_H
#define HTTPTOOL_RAW_ANNOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "http/parse.h"
#include "http/stream.h"
#include "raw_track.h"

#define RAW_ANNOT_MAX_HEADERS 100
#define RAW_ANNOT_MARKS 32

/* Notes notes[previous end..end) belong after stream byte `at`. */
struct raw_annot_mark {
	uint64_t at;		/* bytes received since the connection began */
	size_t end;		/* in notes */
};

enum raw_annot_state {
	RAW_ANNOT_HEAD = 0,	/* waiting for / inside a response head */
	RAW_ANNOT_BODY,		/* inside a body */
	RAW_ANNOT_LOST,		/* the reply is not HTTP */
	RAW_ANNOT_TUNNEL,	/* switched protocols */
};

struct raw_annot {
	struct buf in;		/* received bytes not yet parsed (owned) */
	struct buf notes;	/* note lines for stderr (owned); the caller
				   prints and empties it */
	struct raw_annot_mark marks[RAW_ANNOT_MARKS];
	size_t nmarks;
	uint64_t pos;		/* stream bytes the parser has consumed */
	uint64_t note_at;	/* where the next note belongs */
	bool quiet;		/* parse and count, but write no notes */
	enum raw_annot_state state;
	struct raw_track *track;	/* borrowed */
	struct http_header hdrs[RAW_ANNOT_MAX_HEADERS];
	struct http_stream rd;	/* the responses as a stream (lenient);
				   rd.msg's spans are stale once the body
				   starts, rd.body counts the body */
	bool keep_alive;	/* of the current response */
	unsigned long responses;	/* final responses started */
	unsigned long complete;		/* final responses completed */
	bool cut_short;		/* the server closed inside a response */
	bool malformed;		/* a reply to HTTP was not valid HTTP */
};

/* Start with nothing received; track is where requests are counted. */
void raw_annot_init(struct raw_annot *a, struct raw_track *track, bool quiet);
void raw_annot_free(struct raw_annot *a);

/* Account for received bytes (any split).  0, or -ENOMEM. */
int raw_annot_feed(struct raw_annot *a, const char *p, size_t n);

/*
 * Walk the notes in stream order: each call gives the next group (a span
 * into notes) and the stream offset it follows, so the caller can print
 * received bytes up to there first.  *iter starts at 0.  false at the end.
 */
bool raw_annot_next_notes(const struct raw_annot *a, size_t *iter,
			  uint64_t *at, struct span *text);

/* Forget the notes (after printing them). */
void raw_annot_clear_notes(struct raw_annot *a);

/* The server closed the connection: finish or flag the last response. */
void raw_annot_eof(struct raw_annot *a);

/*
 * httptool is closing the connection itself (-i, -q, the end of input):
 * flag a response still under way as incomplete.
 */
void raw_annot_abandon(struct raw_annot *a);

/* True once the reply stopped being HTTP/1.x (not HTTP, or a tunnel). */
bool raw_annot_stopped(const struct raw_annot *a);

#endif
