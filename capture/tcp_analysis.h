/*
 * tcp_analysis.h - Wireshark's TCP sequence analysis: per direction the
 * highest sequence number sent, the last ACK and window, and the
 * segments not yet acknowledged; per segment the expert flags tshark
 * raises (retransmission, out-of-order, duplicate ACK, zero window...),
 * the frame an ACK acknowledges with its RTT, the bytes in flight.
 *
 * DESIGN.  The flow table (reassembly.c) owns the state: one struct
 * tcpa_dir in each struct flow_dir and one struct tcpa_flow in each
 * struct flow, fed by tcpa_packet() for every TCP segment in capture
 * order.  The result depends only on the frames before (as tshark's first
 * pass), so a second pass computes the same again; the one value that
 * looks ahead, the conversation completeness, the capture session keeps
 * per stream from pass 1 (session.h).  The rules, thresholds and texts are
 * tshark 4.0's (packet-tcp.c: tcp_analyze_sequence_number), re-derived
 * from its documented behaviour and checked against it on crafted
 * captures (tests/e2e/test_sniff_tcp_analysis.py).
 *
 * Memory: at most TCPA_MAX_UNACKED segments per direction are remembered
 * (24 bytes each), freed with the flow.
 */
#ifndef HTTPTOOL_TCP_ANALYSIS_H
#define HTTPTOOL_TCP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

/* Expert flags of one segment (tcp.analysis.*), in tshark's tree order. */
enum tcpa_flag {
	TCPA_RETRANS = 1 << 0,		/* tcp.analysis.retransmission */
	TCPA_LOST = 1 << 1,		/* tcp.analysis.lost_segment */
	TCPA_ACK_LOST = 1 << 2,		/* tcp.analysis.ack_lost_segment */
	TCPA_KEEP_ALIVE = 1 << 3,	/* tcp.analysis.keep_alive */
	TCPA_WIN_UPDATE = 1 << 4,	/* tcp.analysis.window_update */
	TCPA_WIN_FULL = 1 << 5,		/* tcp.analysis.window_full */
	TCPA_KA_ACK = 1 << 6,		/* tcp.analysis.keep_alive_ack */
	TCPA_DUP_ACK = 1 << 7,		/* tcp.analysis.duplicate_ack */
	TCPA_ZWP = 1 << 8,		/* tcp.analysis.zero_window_probe */
	TCPA_ZERO_WIN = 1 << 9,		/* tcp.analysis.zero_window */
	TCPA_ZWP_ACK = 1 << 10,		/* ...zero_window_probe_ack */
	TCPA_SPURIOUS = 1 << 11,	/* ...spurious_retransmission */
	TCPA_FAST = 1 << 12,		/* ...fast_retransmission */
	TCPA_OOO = 1 << 13,		/* tcp.analysis.out_of_order */
};
#define TCPA_FLAG_COUNT 14

/* What the analysis says about one segment. */
struct tcpa_info {
	uint32_t flags;			/* enum tcpa_flag */
	bool shown;			/* tshark shows [SEQ/ACK analysis] */
	uint32_t acks_frame;		/* tcp.analysis.acks_frame, 0 none */
	int64_t ack_rtt_ns;		/* tcp.analysis.ack_rtt */
	bool has_bif;
	uint32_t bif;			/* tcp.analysis.bytes_in_flight */
	uint32_t push_bytes;		/* ...push_bytes_sent (with bif) */
	uint32_t dup_num, dup_frame;	/* Dup ACK dup_frame#dup_num */
	uint32_t rto_frame;		/* retransmission: the original */
	int64_t rto_ns;
	uint8_t closing;		/* FIN: 1 initiates, 2 undergoes */
};

struct tcpa_seg {
	uint32_t seq, nextseq, frame;
	int64_t ns;
};

#define TCPA_MAX_UNACKED 4096

/* One direction (the sender's side). */
struct tcpa_dir {
	uint32_t nextseq;		/* highest seq + len sent, 0 unknown */
	uint32_t nextseq_frame;
	int64_t nextseq_ns;
	uint32_t maxseqtobeacked;
	uint32_t lastack;		/* the last ACK it sent */
	int64_t lastack_ns;
	uint32_t lastnondupack;		/* frame of its last new ACK */
	uint32_t dupacknum;
	uint32_t window;		/* calculated, UINT32_MAX unknown */
	uint32_t lastflags;		/* of its last segment */
	uint32_t push_bytes;
	bool push_set_last, valid_bif, syn_seen;
	uint8_t nsack;			/* SACK blocks of its last ACK */
	uint32_t sack[4][2];		/* (relative to the peer) */
	struct tcpa_seg *segs;		/* unacknowledged, oldest first */
	uint32_t nsegs, cap;
};

/* Conversation completeness bits (tcp.completeness). */
enum {
	TCPA_C_SYN = 1, TCPA_C_SYNACK = 2, TCPA_C_ACK = 4, TCPA_C_DATA = 8,
	TCPA_C_FIN = 16, TCPA_C_RST = 32,
};

struct tcpa_flow {
	int64_t first_ns, prev_ns;	/* [Timestamps] */
	int64_t syn_ns, synack_ns;
	int64_t irtt_ns;		/* tcp.analysis.initial_rtt, 0 none */
	uint8_t completeness;
	uint8_t fin_first;		/* 1 + direction of the first FIN */
	bool started;
};

struct flow;
struct pkt;
struct reasm_info;

/* Initialise a direction's state (a zeroed one is not enough). */
void tcpa_dir_init(struct tcpa_dir *d);
void tcpa_dir_free(struct tcpa_dir *d);

/*
 * Analyse segment pk of frame (captured at ns) sent in direction dir of
 * f; ri holds its relative numbers and calculated window.  Fills *out and
 * moves the state on.  Returns the time since the stream's previous frame
 * (for [Timestamps]); *since_first the time since its first.
 */
void tcpa_packet(struct flow *f, int dir, const struct pkt *pk,
		 const struct reasm_info *ri, uint32_t frame, int64_t ns,
		 struct tcpa_info *out);

/* "Complete, WITH_DATA (31)": tshark 4.0's text of completeness bits. */
void tcpa_completeness_str(unsigned bits, char *out, int size);

/* Summary prefixes ("[TCP Dup ACK 20#1] ...") in tshark's order. */
struct buf;
void tcpa_info_prefix(struct buf *out, const struct tcpa_info *a);

/* Field names and texts of the flags, for the tree and -z expert. */
struct tcpa_flag_info {
	uint32_t flag;
	const char *field;		/* "tcp.analysis.retransmission" */
	const char *text;		/* expert text */
	const char *severity;		/* "Note", "Warning", "Chat" */
	const char *summary;		/* "TCP Retransmission" */
};
const struct tcpa_flag_info *tcpa_flag_info(unsigned i);	/* < COUNT */

#endif
