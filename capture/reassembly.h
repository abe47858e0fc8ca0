/*
 * reassembly.h - the TCP flow table and per-direction stream reassembly.
 *
 * Flows are keyed by the 4-tuple; each gets a tcp.stream number in order of
 * first sight (a SYN on a finished flow starts a new stream, as Wireshark
 * numbers them).  Each direction delivers its bytes in sequence order to
 * the callbacks exactly once: retransmitted and overlapping bytes are
 * dropped, out-of-order segments are copied and held until the hole fills.
 * Held bytes are bounded per flow and overall; past either limit the hole
 * is reported as a gap and the stream moves on.  Bytes a snaplen cut off
 * are reported as a gap too.  Memory never grows with the capture's size
 * beyond one small struct per open flow and the most recent
 * REASM_CLOSED_KEEP closed ones; a closed flow gives its dissector state
 * back at once.
 *
 * The flow table is the sniffer's one piece of mutable global state; it
 * lives in a struct reasm owned by the caller.
 */
#ifndef HTTPTOOL_REASSEMBLY_H
#define HTTPTOOL_REASSEMBLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "tcp_analysis.h"

enum { DIR_CLIENT = 0, DIR_SERVER = 1 };	/* who sent the bytes */

struct seg;

/* Bytes of a direction that one frame made deliverable (session.c keeps
 * them for "[N Reassembled TCP Segments ...]"). */
struct seg_span {
	uint64_t off;		/* among the direction's delivered bytes */
	uint32_t len, frame;
	uint32_t dup;		/* bytes at its start delivered before (a
				   resent segment: all of them) */
};

/* One message's segments: pdu_segs[first .. first + n) (off is then the
 * offset in the message), total bytes. */
struct pdu_block {
	uint32_t first, n;
	uint64_t total;
};

struct flow_dir {
	bool have_base, have_next;
	uint32_t base;		/* seq shown as relative 0 */
	uint32_t next;		/* next in-order sequence number */
	uint32_t hi;		/* end of the highest segment seen */
	bool fin_seen, fin_done;
	uint32_t fin_seq;
	struct seg *held;	/* out-of-order segments, by seq */
	size_t held_bytes;
	uint64_t bytes;		/* delivered payload */
	bool ws_set;		/* SYN carried a window scale option */
	uint8_t ws;
	uint32_t first_frame;	/* of the direction (for stream times) */
	struct tcpa_dir an;	/* sequence analysis (tcp_analysis.h) */
	uint32_t src_frame;	/* during a data callback for held bytes:
				   the frame that carried them, else 0 */
	uint32_t src_skip;	/* during a data callback: bytes of the
				   segment before p that were had already */
	struct seg_span *dlog;	/* owned by the session: deliveries since */
	uint32_t ndlog, dlog_cap;	/* the current message began */
};

struct flow {
	uint32_t stream;
	uint8_t ipver;
	uint8_t addr[2][16];	/* [DIR_CLIENT], [DIR_SERVER] */
	uint16_t port[2];
	struct flow_dir d[2];
	struct tcpa_flow an;	/* times, iRTT, completeness */
	bool rst, closed;	/* closed: both FINs done or RST */
	void *app;		/* the HTTP dissector's state */
	void *tls;		/* TLS state (tls_pipe.c), NULL: not looked */
	struct flow *hnext;
	struct flow *cnext;	/* closed flows, oldest first */
};

struct reasm_cb {
	/* in-order payload bytes of dir; frame is the one that made them
	 * deliverable */
	void (*data)(void *ctx, struct flow *f, int dir, const uint8_t *p,
		     size_t n, uint32_t frame);
	/* n bytes of dir that will never be seen */
	void (*gap)(void *ctx, struct flow *f, int dir, uint64_t n,
		    uint32_t frame);
	/* dir has ended (FIN reached, RST, or end of capture) */
	void (*eof)(void *ctx, struct flow *f, int dir, uint32_t frame);
	/* the flow is going away: free f->app */
	void (*release)(void *ctx, struct flow *f);
};

struct reasm_limits {
	size_t flow_mem;	/* held out-of-order bytes per flow */
	size_t total_mem;	/* ... in all flows */
};

/* Closed flows kept for late segments and stream numbering; older ones
   are forgotten so memory stays flat however many connections a capture
   holds (a segment of a forgotten flow starts a new stream). */
#define REASM_CLOSED_KEEP 4096

#define REASM_FLOW_MEM_DEFAULT (1u << 20)
#define REASM_TOTAL_MEM_DEFAULT (16u << 20)

/* What the printers show about one segment. */
struct reasm_info {
	struct flow *flow;	/* NULL when the frame is not TCP */
	int dir;
	uint32_t rel_seq, rel_ack, next_seq;
	bool retrans;		/* carried only bytes already delivered */
	bool ooo;		/* beyond every byte seen: a hole opens */
	bool gap;		/* a hole before it was given up on */
	bool filled;		/* inside a hole (out of order) */
	uint32_t win;		/* window, scaled when both SYNs said how */
	int win_scale;		/* its multiplier, -1 unknown, -2 none */
	struct tcpa_info an;	/* tshark's [SEQ/ACK analysis] */
	int64_t since_first_ns;	/* [Timestamps] of the stream */
	int64_t since_prev_ns;
};

struct reasm;

/* A new flow table; NULL on ENOMEM.  cb and ctx are borrowed. */
struct reasm *reasm_new(const struct reasm_limits *lim,
			const struct reasm_cb *cb, void *ctx);

/* Feed one decoded frame (ignored unless it is TCP); fills *info. */
void reasm_packet(struct reasm *r, const struct pkt *pk, uint32_t frame,
		  struct reasm_info *info);
/* The same for a frame captured at ns (ns since the epoch): the
 * sequence analysis's times (RTTs, iRTT, [Timestamps]) come from it. */
void reasm_packet_at(struct reasm *r, const struct pkt *pk, uint32_t frame,
		     int64_t ns, struct reasm_info *info);

/* End of capture: give up on every hole, end every direction. */
void reasm_finish(struct reasm *r, uint32_t frame);

/* Number of streams numbered so far. */
uint32_t reasm_streams(const struct reasm *r);

/* Flows held in the table now (open ones and the recent closed ones). */
size_t reasm_flow_count(const struct reasm *r);

/* Releases every flow (calling release) and the table. */
void reasm_free(struct reasm *r);

#endif
