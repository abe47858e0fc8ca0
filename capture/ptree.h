/*
 * ptree.h - the protocol tree of one frame, in the spirit of Wireshark's
 * proto_tree_add_*(): decoders add nodes, every output reads them.
 *
 * DESIGN.  A node is (depth, data source, byte offset, byte length,
 * expanded by default?, filter field, typed value, label).  Data source 0
 * is always the frame; a decoder that makes bytes of its own (the
 * reassembled TCP of a message, the de-chunked body, the decompressed
 * body; later decrypted TLS, HTTP/2 frames) adds a source with
 * ptree_source() and points its nodes into it, as Wireshark's tvbs do.
 * The readers:
 *   -V            ptree_print(): labels, four spaces a level, the
 *                 children of a closed node left out (-O)
 *   -x            ptree_print_sources(): each extra source as tshark
 *                 prints it ("Reassembled TCP (N bytes):" ...)
 *   -Y, the TUI   ptree_lookup(): the values of a field (enum
 *                 filter_field, named once in filter.c's table)
 *   TUI           the nodes themselves: the detail pane, and the bytes
 *                 pane highlighting [off, off + len) of the node's source
 * Who owns what: the tree owns its nodes, labels, values and the bytes
 * of every source (copied: a span of a decoder dies with its callback).
 * The capture session (session.h) decodes; printers/http_tree.c and
 * print_tree.c add nodes; nobody formats text for one output alone.
 *
 * How a decoder plugs in (the HTTP dissector is the example,
 * http_tree.c): when a message completes, add its bytes as a source if
 * they are not all in the frame, then one node per line or field:
 *     long n = ptree_add(t, src, off, len, "Host: %.*s\\r\\n", ...);
 *     ptree_str(t, n, FF_HTTP_HOST, value);
 * with ptree_push()/ptree_pop() around children.  A field added so is
 * shown by -V and the TUI, highlighted in the bytes pane, and
 * filterable with -Y once filter.c's table names it.
 */
#ifndef HTTPTOOL_PTREE_H
#define HTTPTOOL_PTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"
#include "lib/buf.h"

/* PT_PROTO: its value is its bytes to the end of its source (so that
 * "tcp contains" sees the payload, as Wireshark's protocol fields do);
 * PT_BYTES: its value is its own bytes; PT_ADDR: 4, 6 (MAC) or 16. */
enum ptree_type { PT_NONE, PT_INT, PT_STR, PT_ADDR, PT_TIME, PT_PROTO,
		  PT_BYTES, PT_FRAME };

struct ptree_node {
	uint32_t label_off, label_len;	/* in t->text */
	uint32_t off, len;		/* bytes covered in source src */
	uint32_t val_off, val_len;	/* PT_STR, PT_ADDR: in t->text */
	int64_t ival;			/* PT_INT; PT_TIME: nanoseconds */
	double dval;			/* PT_TIME: seconds */
	int16_t field;			/* enum filter_field, -1 none */
	uint8_t type;			/* enum ptree_type */
	uint8_t src;			/* data source, 0 the frame */
	uint16_t depth;
	bool open;			/* children shown by default */
	bool has_bytes;			/* off/len mean something */
	bool hidden;			/* a field only: -V and the TUI skip
					   it (Wireshark's hidden items) */
};

#define PTREE_SOURCES 16
#define PTREE_SRC_FRAME 0

struct ptree_source {
	char name[40];			/* "Reassembled TCP" */
	uint32_t off, len;		/* in t->bytes */
};

struct ptree {
	struct ptree_node *v;
	size_t n, cap;
	struct buf text;		/* labels, string and address values */
	struct buf bytes;		/* every source's bytes */
	struct ptree_source src[PTREE_SOURCES];
	unsigned nsrc;			/* src[0] is the frame */
	uint16_t depth;			/* of the next node added */
	bool closed_from;		/* internal */
	bool nolabels;			/* set by the owner: ptree_add and
					   ptree_add_text keep no label (a
					   tree for field lookups only) */
};

/* Empty t (keeps its memory); the frame's bytes become source 0. */
void ptree_reset(struct ptree *t, const uint8_t *frame, size_t len);
void ptree_free(struct ptree *t);

/*
 * A new data source holding a copy of p[0..n): its number, or -1 (too
 * many sources, or ENOMEM), which nodes may still use (no bytes then).
 */
int ptree_source(struct ptree *t, const char *name, const void *p, size_t n);

/*
 * Add a node at the current depth: label from fmt, bytes [off, off+len)
 * of source src (src < 0: none).  Returns its index, or -1 on ENOMEM.
 * Nodes start open; ptree_close() closes one.
 */
long ptree_add(struct ptree *t, int src, size_t off, size_t len,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with the label given as bytes. */
long ptree_add_text(struct ptree *t, int src, size_t off, size_t len,
		    const char *label, size_t n);

/* A hidden node (no label, no children): a field value for -Y and -T
 * fields that Wireshark keeps out of its tree (ip.flags.df beside the
 * Flags line).  Returns its index, or -1; give it a value as below. */
long ptree_hidden(struct ptree *t, int src, size_t off, size_t len);

/* Following nodes are children of the last one added, until the pop. */
void ptree_push(struct ptree *t);
void ptree_pop(struct ptree *t);

/* Give node n (from ptree_add) a filter field and a typed value. */
void ptree_int(struct ptree *t, long n, int field, int64_t v);
void ptree_str(struct ptree *t, long n, int field, const char *p, size_t len);
void ptree_addr(struct ptree *t, long n, int field, const uint8_t *a,
		int len);
void ptree_time(struct ptree *t, long n, int field, double secs);
/* The same, exact to the nanosecond (ival holds ns for PT_TIME). */
void ptree_time_ns(struct ptree *t, long n, int field, int64_t ns);
void ptree_proto(struct ptree *t, long n, int field);
void ptree_bytesval(struct ptree *t, long n, int field);
/* Node n names frame no ("[Response in frame: 6]", Wireshark's
 * FT_FRAMENUM; an integer to -Y): the TUI jumps there on Enter; field
 * may be -1. */
void ptree_frame(struct ptree *t, long n, int field, uint32_t no);
static inline void
ptree_close(struct ptree *t, long n)
{
	if (n >= 0 && (size_t)n < t->n)
		t->v[n].open = false;
}

/* Append src's nodes (and sources, renumbered) under t's current depth. */
int ptree_append(struct ptree *t, const struct ptree *src);

/* -V: every node whose ancestors are all open, four spaces a level. */
void ptree_print(const struct ptree *t, struct buf *out);

/* -x: the sources after the frame, "NAME (N bytes):" and a hex dump. */
void ptree_print_sources(const struct ptree *t, struct buf *out);

/* The label of node i (not NUL-terminated). */
static inline const char *
ptree_label(const struct ptree *t, size_t i, size_t *len)
{
	*len = t->v[i].label_len;
	return t->text.data + t->v[i].label_off;
}

/* The bytes of source s (NULL when empty). */
static inline const uint8_t *
ptree_bytes(const struct ptree *t, unsigned s, size_t *len)
{
	*len = s < t->nsrc ? t->src[s].len : 0;
	return *len ? (const uint8_t *)t->bytes.data + t->src[s].off : NULL;
}

/* filter_lookup_fn over the nodes (ctx = struct ptree). */
int ptree_lookup(void *ctx, int field, struct filter_value *out, int max);

/* Parts of trees looked up as one: nodes [lo, hi) of each. */
struct ptree_part {
	const struct ptree *t;
	size_t lo, hi;
};
struct ptree_view {
	struct ptree_part part[4];
	unsigned n;
	/* the frame's bytes, for nodes of a part whose own frame source
	 * is empty (the HTTP nodes are built apart from the frame and
	 * join its tree only in frame_tree_full); NULL: none */
	const uint8_t *frame;
	size_t frame_len;
};
/* filter_lookup_fn over the parts (ctx = struct ptree_view). */
int ptree_view_lookup(void *ctx, int field, struct filter_value *out,
		      int max);

/* Is node i a value of field (its own, or an either-field's such as
 * ip.addr for ip.src)? */
bool ptree_node_is(const struct ptree *t, size_t i, int field);

/* The values of node i (it has a field) after n of them, as above. */
int ptree_node_value(const struct ptree *t, size_t i,
		     struct filter_value *out, int max, int n);

#endif
