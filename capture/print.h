/*
 * print.h - the text printers: summary line, detail tree, hex dump, JSON.
 *
 * Printers append to a struct buf (the caller writes it out in large
 * pieces) and read only what the decoders and records already hold; they
 * never decode anything themselves.  The same functions serve the text
 * output and, later, the TUI's panes.
 */
#ifndef HTTPTOOL_PRINT_H
#define HTTPTOOL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"
#include "http_dissect.h"
#include "pkt.h"
#include "reassembly.h"
#include "records.h"
#include "source.h"

/* Which layers -V expands (-O limits it). */
enum {
	EXPAND_FRAME = 1, EXPAND_LINK = 2, EXPAND_IP = 4, EXPAND_TCP = 8,
	EXPAND_HTTP = 16, EXPAND_TLS = 32, EXPAND_WS = 64, EXPAND_H2 = 128, EXPAND_ALL = 255,
};

/* sniff -t: tshark's time formats of the summary line. */
enum { TFMT_REL = 0, TFMT_ABS, TFMT_ABS_DATE, TFMT_DELTA, TFMT_DELTA_DISP,
       TFMT_EPOCH, TFMT_UTC, TFMT_UTC_DATE, TFMT_REL_EXPLICIT };

/* One frame as the printers see it. */
struct frame_view {
	uint32_t no;			/* 1-based frame number */
	const struct frame_rec *fr;
	int64_t rel_ns;			/* since the first frame */
	int64_t delta_ns;		/* since the previous frame */
	/* sniff -t: the summary's time column (TFMT_REL is the default);
	 * delta_disp_ns: since the previous frame shown (-t dd); tdec: its
	 * decimals, the capture's precision (6 or 9) */
	uint8_t tfmt, tdec;
	int64_t delta_disp_ns;
	const struct pkt *pk;
	const struct reasm_info *ri;
	const char *http_info;		/* HTTP summary, NULL if none done */
	const struct ptree *http;	/* the HTTP nodes (ptree.h), or NULL */
	const char *tls_proto;		/* "TLSv1.3" when TLS records ended
					   in the frame, else NULL */
	const char *tls_info;		/* their Info text */
	bool pdu;			/* payload is part of a later message */
	/* "WebSocket" or "HTTP2" when the frame completed frames of theirs
	 * (http_info is then their Info text), else NULL */
	const char *app_proto;
	bool http_msgs;			/* HTTP/1.x messages completed too */
	/* the TCP stream's completeness bits and iRTT (tcp_analysis.h):
	 * over the whole capture when read in two passes */
	uint8_t tcp_compl;
	int64_t tcp_irtt_ns;
	/* the frame completing the message its payload went into (0 none),
	 * the messages of several segments it completes itself */
	uint32_t pdu_in;
	const struct pdu_block *pdus;
	unsigned npdus;
	const struct seg_span *pdu_segs;
};

/* "    1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 ..." and "\n". */
void print_summary(struct buf *out, const struct frame_view *fv);

/* The Info column alone (no newline). */
void print_info(struct buf *out, const struct frame_view *fv);

/* Protocol column of the frame. */
const char *print_protocol(const struct frame_view *fv);

/* Source and destination columns. */
void print_addrs(const struct pkt *pk, char *src, char *dst, int size);

/*
 * The protocol tree of one frame into t (reset first; ptree.h): the
 * lower layers' nodes, open for the layers in expand, then fv->http's.
 */
struct ptree;
void print_tree_add(struct ptree *t, const struct frame_view *fv,
		    unsigned expand);

/*
 * For a display filter: only the nodes of the lower layers in layers
 * (FILTER_L_FRAME, _LINK, _IP, _TRANSPORT of filter.h) into t (reset
 * first), without labels (t->nolabels); their fields and values are
 * print_tree_add's.  fv->http is read (frame.protocols), not added.
 */
void print_tree_fields(struct ptree *t, const struct frame_view *fv,
		       unsigned layers);

/* The TCP nodes (print_tcp.c) and its options (print_tcp_opt.c), at
 * depth 1 under the layer's title. */
void print_tcp_tree(struct ptree *t, const struct frame_view *fv);
void print_tcp_options(struct ptree *t, const struct frame_view *fv);
/* The "[N Reassembled TCP Segments ...]" blocks, open when x. */
void print_tcp_pdus(struct ptree *t, const struct frame_view *fv, bool x);

/* The -V text of one frame (print_tree_add, ptree_print, a blank line). */
void print_tree(struct buf *out, const struct frame_view *fv, unsigned expand);

/* tshark's -x dump: "0000  47 45 54 20 ...   GET ..." lines. */
void print_hex(struct buf *out, const uint8_t *p, size_t n);

/* Append the Info text of one HTTP message ("GET / HTTP/1.1 "). */
void print_http_info(struct buf *out, const struct http_view *v);

/* Append one JSON object (and "\n") describing the message. */
void print_json(struct buf *out, const struct http_view *v,
		const struct records *rs, const struct capture *cap);

/* Seconds with 9 decimals of a duration in ns ("0.000123000"). */
void print_secs(struct buf *out, int64_t ns, int decimals);

#endif
