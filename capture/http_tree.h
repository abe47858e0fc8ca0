/*
 * http_tree.h - the HTTP dissector's nodes in the protocol tree (see
 * ptree.h for the design and session.h for how a decoder plugs in).
 *
 * Called from a message hook, while the view's spans are valid:
 *     struct http_where w;
 *     http_tree_where(session, v, t, &w);   where the bytes are
 *     http_tree_add(t, v, rs, cap, expand, &w);
 * The subtree goes in at t's depth 0 (the "Hypertext Transfer Protocol"
 * node and, as in Wireshark, the body's media layers beside it).
 */
#ifndef HTTPTOOL_HTTP_TREE_H
#define HTTPTOOL_HTTP_TREE_H

#include <stdbool.h>

#include "http_dissect.h"
#include "ptree.h"
#include "records.h"
#include "session.h"
#include "source.h"

/* Where a message's bytes are: the frame, or a source made for it. */
struct http_where {
	int src;		/* source of the head, -1 unknown */
	size_t base;		/* offset of the head's first byte in it */
	bool wire;		/* the body as sent follows the head there */
	const char *wire_p;	/* those body bytes (borrowed), or NULL */
};

/*
 * Find v's bytes: in the frame being decoded (ss may be NULL), else a
 * "Reassembled TCP" source added to t when the message spans frames.
 */
void http_tree_where(const struct cap_session *ss, const struct http_view *v,
		     struct ptree *t, struct http_where *w);

/* Add v's nodes; expand false: the title node only, closed. */
void http_tree_add(struct ptree *t, const struct http_view *v,
		   const struct records *rs, const struct capture *cap,
		   bool expand, const struct http_where *w);

/* The body layers (http_tree_body.c), after the HTTP node. */
void http_tree_body(struct ptree *t, const struct http_view *v,
		    const struct http_where *w);

#endif
