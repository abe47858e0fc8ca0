/*
 * ladder.h - the connection ladder (Wireshark's flow graph, made useful on
 * loopback): one column per endpoint, servers first and then each client
 * connection in order of appearance, time running down, one arrow per
 * SYN/FIN/RST and per HTTP message.  It shows at a glance whether requests
 * went over one reused connection or several parallel ones.
 *
 * A model first: the sniffer adds events as it decodes (ladder_add), the
 * text printer (`sniff --ladder`) and the TUI lay them out.  Endpoints are
 * named by the caller ("127.0.0.1:8000"); the ladder owns copies of the
 * names and labels and frees them in ladder_free().
 */
#ifndef HTTPTOOL_LADDER_H
#define HTTPTOOL_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct ladder_ep {
	char *name;
	bool server;		/* accepted a SYN or answered a request */
	uint32_t first;		/* order of appearance */
};

struct ladder_ev {
	uint32_t frame;
	double t;		/* seconds since the first frame */
	uint32_t from, to;	/* endpoint indices */
	char *tag;		/* short text inside the arrow: "SYN", "GET /" */
	char *label;		/* full text after the diagram */
};

struct ladder {
	struct ladder_ep *ep;
	size_t nep, capep;
	struct ladder_ev *ev;
	size_t nev, capev;
};

/* Which end of an event is the server, when the caller knows. */
enum ladder_side { LADDER_UNKNOWN = -1, LADDER_DST_SERVER = 0,
		   LADDER_SRC_SERVER = 1 };

void ladder_init(struct ladder *l);
void ladder_free(struct ladder *l);

/* Add an arrow from src to dst.  0, or -ENOMEM (the ladder is unchanged). */
int ladder_add(struct ladder *l, uint32_t frame, double t, const char *src,
	       const char *dst, enum ladder_side side, const char *tag,
	       const char *label);

/*
 * Column of each endpoint as laid out: servers first, then the others,
 * each group in order of appearance.  col must have room for l->nep.
 */
void ladder_columns(const struct ladder *l, uint32_t *col);

/*
 * Append the ladder as text: a header line naming the columns, then one
 * line per event.  Columns are at least width apart (wider when a name
 * needs it).  0, or -ENOMEM.
 */
int ladder_print(const struct ladder *l, struct buf *out, unsigned width);

#endif
