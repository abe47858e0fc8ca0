/*
 * tcp_analysis.c - TCP sequence analysis as tshark does it (see
 * tcp_analysis.h).  Sequence numbers here are the relative ones the
 * printers show (0 means "not known yet", as in tshark), compared by
 * signed 32-bit difference so wrap-around works.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "reassembly.h"
#include "tcp_analysis.h"

#define GT(a, b) ((int32_t)((a) - (b)) > 0)
#define LT(a, b) ((int32_t)((a) - (b)) < 0)
#define LE(a, b) ((int32_t)((a) - (b)) <= 0)

/* Out-of-order threshold before the iRTT is known (tshark: 3 ms). */
#define OOO_THRESHOLD_NS 3000000
/* Fast retransmission: within 20 ms of the last duplicate ACK. */
#define FAST_RETRANS_NS 20000000

static const struct tcpa_flag_info flag_info[TCPA_FLAG_COUNT] = {
	{ TCPA_RETRANS, "tcp.analysis.retransmission",
	  "This frame is a (suspected) retransmission", "Note",
	  "TCP Retransmission" },
	{ TCPA_LOST, "tcp.analysis.lost_segment",
	  "Previous segment(s) not captured (common at capture start)",
	  "Warning", "TCP Previous segment not captured" },
	{ TCPA_ACK_LOST, "tcp.analysis.ack_lost_segment",
	  "ACKed segment that wasn't captured (common at capture start)",
	  "Warning", "TCP ACKed unseen segment" },
	{ TCPA_KEEP_ALIVE, "tcp.analysis.keep_alive",
	  "TCP keep-alive segment", "Note", "TCP Keep-Alive" },
	{ TCPA_WIN_UPDATE, "tcp.analysis.window_update",
	  "TCP window update", "Chat", "TCP Window Update" },
	{ TCPA_WIN_FULL, "tcp.analysis.window_full",
	  "TCP window specified by the receiver is now completely full",
	  "Warning", "TCP Window Full" },
	{ TCPA_KA_ACK, "tcp.analysis.keep_alive_ack",
	  "ACK to a TCP keep-alive segment", "Note", "TCP Keep-Alive ACK" },
	{ TCPA_DUP_ACK, "tcp.analysis.duplicate_ack",
	  "Duplicate ACK", "Note", "TCP Dup ACK" },
	{ TCPA_ZWP, "tcp.analysis.zero_window_probe",
	  "TCP Zero Window Probe", "Note", "TCP ZeroWindowProbe" },
	{ TCPA_ZERO_WIN, "tcp.analysis.zero_window",
	  "TCP Zero Window segment", "Warning", "TCP ZeroWindow" },
	{ TCPA_ZWP_ACK, "tcp.analysis.zero_window_probe_ack",
	  "ACK to a TCP Zero Window Probe", "Note", "TCP ZeroWindowProbeAck" },
	{ TCPA_SPURIOUS, "tcp.analysis.spurious_retransmission",
	  "This frame is a (suspected) spurious retransmission", "Note",
	  "TCP Spurious Retransmission" },
	{ TCPA_FAST, "tcp.analysis.fast_retransmission",
	  "This frame is a (suspected) fast retransmission", "Note",
	  "TCP Fast Retransmission" },
	{ TCPA_OOO, "tcp.analysis.out_of_order",
	  "This frame is a (suspected) out-of-order segment", "Warning",
	  "TCP Out-Of-Order" },
};

const struct tcpa_flag_info *
tcpa_flag_info(unsigned i)
{
	return i < TCPA_FLAG_COUNT ? &flag_info[i] : NULL;
}

void
tcpa_dir_init(struct tcpa_dir *d)
{
	memset(d, 0, sizeof(*d));
	d->window = UINT32_MAX;
	d->valid_bif = true;
}

void
tcpa_dir_free(struct tcpa_dir *d)
{
	free(d->segs);
	d->segs = NULL;
	d->nsegs = d->cap = 0;
}

static void
seg_add(struct tcpa_dir *d, uint32_t seq, uint32_t nextseq, uint32_t frame,
	int64_t ns)
{
	if (d->nsegs == d->cap) {
		uint32_t n = d->cap ? d->cap * 2 : 8;
		struct tcpa_seg *v = realloc(d->segs, n * sizeof(*v));

		if (!v)
			return;		/* analysis of later ACKs is poorer */
		d->segs = v;
		d->cap = n;
	}
	d->segs[d->nsegs++] = (struct tcpa_seg){ seq, nextseq, frame, ns };
}

/* The conversation's completeness bits and its initial RTT. */
static void
track_flow(struct tcpa_flow *tf, uint16_t flags, uint32_t seglen, int64_t ns)
{
	if (!tf->started) {
		tf->started = true;
		tf->first_ns = tf->prev_ns = ns;
	}
	if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		tf->completeness |= TCPA_C_SYN;
		tf->syn_ns = ns;
	} else if (flags & TCP_SYN) {
		tf->completeness |= TCPA_C_SYNACK;
		tf->synack_ns = ns;
	} else if (flags & TCP_ACK) {
		tf->completeness |= TCPA_C_ACK;
		if (!tf->irtt_ns && tf->syn_ns && tf->synack_ns)
			tf->irtt_ns = ns - tf->syn_ns;
	}
	if (seglen)
		tf->completeness |= TCPA_C_DATA;
	if (flags & TCP_FIN)
		tf->completeness |= TCPA_C_FIN;
	if (flags & TCP_RST)
		tf->completeness |= TCPA_C_RST;
}

/* Window, keep-alive and duplicate-ACK checks of a segment. */
static void
check_acks(struct tcpa_dir *fwd, const struct tcpa_dir *rev, uint32_t seq,
	   uint32_t ack, uint32_t win, uint32_t seglen, uint16_t flags,
	   uint32_t frame, struct tcpa_info *a)
{
	bool plain = !(flags & (TCP_SYN | TCP_FIN | TCP_RST));
	bool same = seglen == 0 && seq == fwd->nextseq &&
		    ack == fwd->lastack && plain;

	if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
		a->flags |= TCPA_ZWP;
		return;
	}
	if (win == 0 && plain)
		a->flags |= TCPA_ZERO_WIN;
	if (fwd->nextseq && GT(seq, fwd->nextseq) && !(flags & TCP_RST)) {
		a->flags |= TCPA_LOST;
		fwd->valid_bif = false;
	}
	if (seglen <= 1 && plain && seq == fwd->nextseq - 1)
		a->flags |= TCPA_KEEP_ALIVE;
	if (same && win && win != fwd->window)
		a->flags |= TCPA_WIN_UPDATE;
	if (seglen > 0 && plain && rev->syn_seen && rev->window != UINT32_MAX &&
	    seq + seglen == rev->lastack + rev->window)
		a->flags |= TCPA_WIN_FULL;
	if (same && win == fwd->window && (rev->lastflags & TCPA_KEEP_ALIVE)) {
		a->flags |= TCPA_KA_ACK;
		return;
	}
	if (same && win == 0 && win == fwd->window &&
	    (rev->lastflags & TCPA_ZWP)) {
		a->flags |= TCPA_ZWP_ACK;
		return;
	}
	if (same && win && win == fwd->window) {
		fwd->dupacknum++;
		a->flags |= TCPA_DUP_ACK;
		a->dup_num = fwd->dupacknum;
		a->dup_frame = fwd->lastnondupack;
	}
	(void)frame;
}

/* A segment that does not advance the sequence: which kind of resend. */
static void
check_resend(const struct tcpa_dir *fwd, const struct tcpa_dir *rev,
	     const struct tcpa_flow *tf, uint32_t seq, uint32_t seglen,
	     int64_t ns, struct tcpa_info *a)
{
	int64_t thres = tf->irtt_ns ? tf->irtt_ns : OOO_THRESHOLD_NS;

	if (rev->dupacknum >= 2 && rev->lastack == seq &&
	    ns - rev->lastack_ns < FAST_RETRANS_NS) {
		a->flags |= TCPA_FAST;
		return;
	}
	if (ns - fwd->nextseq_ns < thres && fwd->nextseq != seq + seglen) {
		a->flags |= TCPA_OOO;
		return;
	}
	if (seglen > 0 && rev->lastack && LE(seq + seglen, rev->lastack)) {
		a->flags |= TCPA_SPURIOUS;
		return;
	}
	a->flags |= TCPA_RETRANS;
	/* the RTO: from the oldest segment still unacknowledged, else from
	   the one that carried the highest sequence number */
	a->rto_frame = fwd->nsegs ? fwd->segs[0].frame : fwd->nextseq_frame;
	a->rto_ns = ns - (fwd->nsegs ? fwd->segs[0].ns : fwd->nextseq_ns);
}

/* Forget rev's segments that ack covers; note the one it matches. */
static void
take_ack(struct tcpa_dir *rev, uint32_t ack, int64_t ns, struct tcpa_info *a)
{
	uint32_t i, k = 0;

	for (i = 0; i < rev->nsegs; i++) {
		struct tcpa_seg *s = &rev->segs[i];

		if (ack == s->nextseq) {
			if (!a->acks_frame) {
				a->acks_frame = s->frame;
				a->ack_rtt_ns = ns - s->ns;
			}
			continue;
		}
		if (GT(ack, s->seq) && LE(ack, s->nextseq))
			s->seq = ack;
		else if (!GT(s->nextseq, ack))
			continue;	/* old: acknowledged */
		rev->segs[k++] = *s;
	}
	rev->nsegs = k;
}

/* Bytes in flight and since the last PSH, after a data segment. */
static void
in_flight(struct tcpa_dir *fwd, const struct tcpa_dir *rev, uint16_t flags,
	  uint32_t seglen, struct tcpa_info *a)
{
	uint32_t first, last, i;

	if (!seglen || !fwd->nsegs || !fwd->valid_bif)
		return;
	first = fwd->segs[0].seq;
	last = fwd->segs[0].nextseq;
	for (i = 1; i < fwd->nsegs; i++) {
		if (GT(fwd->segs[i].nextseq, last))
			last = fwd->segs[i].nextseq;
		if (LT(fwd->segs[i].seq, first))
			first = fwd->segs[i].seq;
	}
	if (last - first > 0 && last - first < 2000000000u) {
		uint32_t bif = last - first;

		/* what the peer's last ACK selectively acknowledged is not
		   in flight any more */
		for (i = 0; i < rev->nsack; i++) {
			uint32_t l = rev->sack[i][0], r = rev->sack[i][1];

			if (LT(l, first))
				l = first;
			if (GT(r, last))
				r = last;
			if (LT(l, r) && r - l <= bif)
				bif -= r - l;
		}
		a->has_bif = bif > 0;
		a->bif = bif;
	}
	if (flags & TCP_PSH) {
		fwd->push_bytes = fwd->push_set_last ? seglen :
			fwd->push_bytes + seglen;
		fwd->push_set_last = true;
	} else if (fwd->push_set_last) {
		fwd->push_bytes = seglen;
		fwd->push_set_last = false;
	} else {
		fwd->push_bytes += seglen;
	}
	a->push_bytes = fwd->push_bytes;
}

void
tcpa_packet(struct flow *f, int dir, const struct pkt *pk,
	    const struct reasm_info *ri, uint32_t frame, int64_t ns,
	    struct tcpa_info *a)
{
	struct tcpa_dir *fwd = &f->d[dir].an, *rev = &f->d[!dir].an;
	uint32_t seq = ri->rel_seq, ack = ri->rel_ack, win = ri->win;
	uint32_t seglen = pk->payload_wire, nextseq;
	uint16_t flags = pk->flags;

	memset(a, 0, sizeof(*a));
	track_flow(&f->an, flags, seglen, ns);
	if (flags & TCP_SYN)
		fwd->syn_seen = true;
	check_acks(fwd, rev, seq, ack, win, seglen, flags, frame, a);
	/* an ACK beyond what the peer was seen to send: its segments were
	   missed (once per new ACK number, as tshark 4.0 flags them) */
	if (rev->nextseq && GT(ack, rev->maxseqtobeacked) &&
	    (flags & TCP_ACK)) {
		/* tshark shows the analysis (empty) for a repeated one */
		a->shown = true;
		if (ack != fwd->lastack) {
			a->flags |= TCPA_ACK_LOST;
			rev->maxseqtobeacked = rev->nextseq;
		}
	}
	if (ack != fwd->lastack) {
		fwd->lastnondupack = frame;
		fwd->dupacknum = 0;
	}
	if ((seglen > 0 || (flags & (TCP_SYN | TCP_FIN))) && fwd->nextseq &&
	    LT(seq, fwd->nextseq) && !(a->flags & TCPA_KEEP_ALIVE))
		check_resend(fwd, rev, &f->an, seq, seglen, ns, a);
	nextseq = seq + seglen;
	if ((seglen || (flags & (TCP_SYN | TCP_FIN))) &&
	    fwd->nsegs < TCPA_MAX_UNACKED) {
		if (flags & (TCP_SYN | TCP_FIN))
			nextseq++;
		seg_add(fwd, seq, nextseq, frame, ns);
	}
	if ((GT(nextseq, fwd->nextseq) || !fwd->nextseq) &&
	    !(a->flags & TCPA_ZWP)) {
		fwd->nextseq = nextseq;
		fwd->nextseq_frame = frame;
		fwd->nextseq_ns = ns;
	}
	if ((seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) &&
	    !(a->flags & TCPA_ZWP))
		fwd->maxseqtobeacked = fwd->nextseq;
	fwd->window = win;
	fwd->lastack = ack;
	fwd->lastack_ns = ns;
	fwd->lastflags = a->flags;
	if (flags & TCP_ACK) {
		take_ack(rev, ack, ns, a);
		rev->valid_bif = true;
	}
	fwd->nsack = 0;
	for (unsigned i = 0; i < pk->nsack && (flags & TCP_ACK); i++) {
		fwd->sack[i][0] = pk->sack[i][0] - (pk->ack - ack);
		fwd->sack[i][1] = pk->sack[i][1] - (pk->ack - ack);
		fwd->nsack++;
	}
	in_flight(fwd, rev, flags, seglen, a);
	if (flags & TCP_FIN) {
		if (!f->an.fin_first)
			f->an.fin_first = (uint8_t)(1 + dir);
		a->closing = f->an.fin_first == 1 + dir ? 1 : 2;
	}
	a->shown |= a->flags || a->acks_frame || a->has_bif;
	f->an.prev_ns = ns;
}

void
tcpa_completeness_str(unsigned v, char *out, int size)
{
	const unsigned hs = TCPA_C_SYN | TCPA_C_SYNACK | TCPA_C_ACK;
	const char *s = "Incomplete";

	if (v == TCPA_C_SYN)
		s = "Incomplete, SYN_SENT";
	else if (v == (TCPA_C_SYN | TCPA_C_SYNACK))
		s = "Incomplete, CLIENT_ESTABLISHED";
	else if (v == hs)
		s = "Incomplete, ESTABLISHED";
	else if (v == (hs | TCPA_C_DATA))
		s = "Incomplete, DATA";
	else if ((v & (hs | TCPA_C_DATA)) == (hs | TCPA_C_DATA) &&
		 (v & (TCPA_C_FIN | TCPA_C_RST)))
		s = "Complete, WITH_DATA";
	else if ((v & ~(unsigned)(TCPA_C_FIN | TCPA_C_RST)) == hs &&
		 (v & (TCPA_C_FIN | TCPA_C_RST)))
		s = "Complete, NO_DATA";
	snprintf(out, (size_t)size, "%s (%u)", s, v);
}

void
tcpa_info_prefix(struct buf *out, const struct tcpa_info *a)
{
	int i;

	/* tshark prepends each one: the last in tree order comes first */
	for (i = TCPA_FLAG_COUNT - 1; i >= 0; i--) {
		if (!(a->flags & flag_info[i].flag))
			continue;
		if (flag_info[i].flag == TCPA_DUP_ACK)
			buf_printf(out, "[TCP Dup ACK %u#%u] ", a->dup_frame,
				   a->dup_num);
		else
			buf_printf(out, "[%s] ", flag_info[i].summary);
	}
}
