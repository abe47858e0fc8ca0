/*
 * raw_track.h - what `httptool raw` has sent, as HTTP: every byte that
 * goes to the server is fed here and parsed with the shared parser
 * (http/parse.h, lenient), so the session knows how many requests are
 * outstanding and the annotator knows which method each response answers
 * (a response to HEAD has no body, a 2xx to CONNECT starts a tunnel).
 *
 * When the bytes sent stop parsing as HTTP (a typo'd request line, an echo
 * lab, a tunnel) the tracker says so and stops counting; the session then
 * falls back to waiting for the server to go quiet.
 */
#ifndef HTTPTOOL_RAW_TRACK_H
#define HTTPTOOL_RAW_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "http/parse.h"
#include "http/stream.h"

#define RAW_TRACK_RING 256	/* methods remembered while unanswered */
#define RAW_TRACK_METHOD 16	/* longest method kept (longer: cut) */
#define RAW_TRACK_TARGET 48	/* longest target kept (longer: cut) */

enum raw_track_state {
	RAW_TRACK_HEAD = 0,	/* between requests or inside a head */
	RAW_TRACK_BODY,		/* inside a request body */
	RAW_TRACK_LOST,		/* what was sent is not HTTP */
	RAW_TRACK_TUNNEL,	/* CONNECT or upgrade: no longer HTTP */
};

#define RAW_TRACK_HEADERS 64

struct raw_track {
	struct buf in;			/* sent bytes not yet parsed (owned) */
	struct http_stream rd;		/* the requests as a stream (lenient) */
	struct http_header hdrs[RAW_TRACK_HEADERS];
	enum raw_track_state state;
	struct http_error err;		/* why it was lost */
	char ring[RAW_TRACK_RING][RAW_TRACK_METHOD];
	char target[RAW_TRACK_RING][RAW_TRACK_TARGET];
	unsigned first, count;		/* unanswered methods in ring */
	unsigned long sent;		/* complete request heads sent */
	unsigned long answered;		/* final responses seen */
};

/* Zero state; raw_track_free() releases it. */
void raw_track_init(struct raw_track *t);
void raw_track_free(struct raw_track *t);

/*
 * Account for bytes sent.  Returns the number of request heads completed
 * by them (>= 0), or -ENOMEM.
 */
int raw_track_feed(struct raw_track *t, const char *p, size_t n);

/* Method of the oldest unanswered request; empty span when none. */
struct span raw_track_method(const struct raw_track *t);

/*
 * The i-th unanswered request (0: the oldest), as "3 (GET /x)": its number
 * on the connection, method and target (cut when long).  Returns buf, or
 * NULL when i is past the requests remembered.
 */
const char *raw_track_unanswered(const struct raw_track *t, unsigned i,
				 char *buf, size_t size);

/* A final response arrived: the oldest request is answered. */
void raw_track_answered(struct raw_track *t);

/* The connection stopped being HTTP (101, 2xx to CONNECT). */
void raw_track_tunnel(struct raw_track *t);

/* Requests sent and not yet answered. */
unsigned long raw_track_pending(const struct raw_track *t);

/* True when part of a request head has been sent but not its end. */
bool raw_track_partial(const struct raw_track *t);

#endif
