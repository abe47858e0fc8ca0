/*
 * print_tcp.c - the TCP nodes of a frame's protocol tree (ptree.h), in
 * tshark 4.0's order and words: ports, [Stream index], [Conversation
 * completeness], numbers, flags (with the SYN/FIN/RST expert infos), the
 * window and its scaling, every option broken down, [Timestamps], the
 * [SEQ/ACK analysis] of tcp_analysis.c with its expert infos, and the
 * payload.  Field names are Wireshark's; a node gets its field id from
 * the filter table by name, so -Y can use it once the table knows it.
 */
#include <string.h>

#include "filter.h"
#include "print.h"
#include "ptree.h"

/* Field setters that take -1 for "no filter field (yet)". */
static void
set_int(struct ptree *t, long n, int id, int64_t v)
{
	if (id >= 0)
		ptree_int(t, n, id, v);
}

static void
set_time(struct ptree *t, long n, int id, int64_t ns)
{
	if (id >= 0)
		ptree_time(t, n, id, (double)ns / 1e9);
}

static void
set_proto(struct ptree *t, long n, int id)
{
	if (id >= 0)
		ptree_proto(t, n, id);
}

/* "[Expert Info (Note/Sequence): text]" and its three children. */
static void
expert(struct ptree *t, const char *sev, const char *text)
{
	uint16_t d = t->depth;
	long n = ptree_add(t, -1, 0, 0, "[Expert Info (%s/Sequence): %s]", sev,
			   text);

	set_proto(t, n, -1);
	t->depth = d + 1;
	ptree_add(t, -1, 0, 0, "[%s]", text);
	n = ptree_add(t, -1, 0, 0, "[Severity level: %s]", sev);
	ptree_add(t, -1, 0, 0, "[Group: Sequence]");
	t->depth = d;
}

/* "[Time ...: 0.000400000 seconds]" */
static long
secs_node(struct ptree *t, const char *what, int64_t ns, int field)
{
	struct buf l = BUF_INIT;
	long n;

	buf_printf(&l, "[%s: ", what);
	print_secs(&l, ns, 9);
	buf_puts(&l, " seconds]");
	n = ptree_add_text(t, -1, 0, 0, l.data, l.len);
	buf_free(&l);
	set_time(t, n, field, ns);
	return n;
}

/* "   .... ...1 .... = Acknowledgment: Set": bit of a 12-bit field */
static void
bit_line(struct ptree *t, size_t off, unsigned bit, unsigned set,
	 const char *name, int field)
{
	char line[96];
	int pos, w = 0;
	long n;

	for (pos = 11; pos >= 0; pos--) {
		line[w++] = (unsigned)pos == bit ? (set ? '1' : '0') : '.';
		if (pos && pos % 4 == 0)
			line[w++] = ' ';
	}
	n = ptree_add(t, 0, off, 2, "%.*s = %s: %s", w, line, name,
		      set ? "Set" : "Not set");
	set_int(t, n, field, set);
}

/* The SYN, FIN and RST bits carry tshark's Chat/Warning notes. */
static void
flag_expert(struct ptree *t, const struct pkt *pk, unsigned bit)
{
	char text[96];

	t->depth = 3;
	if (bit == 1 && (pk->flags & TCP_SYN)) {
		snprintf(text, sizeof(text), "Connection establish %s: server "
			 "port %u", pk->flags & TCP_ACK ?
			 "acknowledge (SYN+ACK)" : "request (SYN)",
			 pk->flags & TCP_ACK ? pk->sport : pk->dport);
		expert(t, "Chat", text);
	} else if (bit == 0 && (pk->flags & TCP_FIN)) {
		expert(t, "Chat", "Connection finish (FIN)");
	} else if (bit == 2 && (pk->flags & TCP_RST)) {
		expert(t, "Warning", "Connection reset (RST)");
	}
	t->depth = 2;
}

static void
tree_flags(struct ptree *t, const struct pkt *pk, const struct tcpa_info *a,
	   size_t off)
{
	static const char *names[] = { "Fin", "Syn", "Reset", "Push",
		"Acknowledgment", "Urgent", "ECN-Echo",
		"Congestion Window Reduced", "Accurate ECN" };
	static const int fields[] = { FF_TCP_FLAGS_FIN, FF_TCP_FLAGS_SYN,
		FF_TCP_FLAGS_RESET, FF_TCP_FLAGS_PUSH, FF_TCP_FLAGS_ACK,
		FF_TCP_FLAGS_URG, FF_TCP_FLAGS_ECE, FF_TCP_FLAGS_CWR,
		FF_TCP_FLAGS_AE };
	static const char *shorts[] = { "FIN", "SYN", "RST", "PSH", "ACK",
		"URG", "ECE", "CWR", "AE" };
	static const char letters[] = "FSRPAUECN";
	uint16_t f = pk->flags;
	struct buf l = BUF_INIT;
	int i, n = 0;
	long node;

	buf_printf(&l, "Flags: 0x%03x (", f);
	for (i = 0; i < 9; i++)
		if (f >> i & 1)
			buf_printf(&l, "%s%s", n++ ? ", " : "", shorts[i]);
	buf_puts(&l, n ? ")" : "<None>)");
	node = ptree_add_text(t, 0, off, 2, l.data, l.len);
	set_int(t, node, FF_TCP_FLAGS, f);
	buf_reset(&l);
	t->depth = 2;
	ptree_add(t, 0, off, 2, "000. .... .... = Reserved: Not set");
	for (i = 8; i >= 0; i--) {
		bit_line(t, off, (unsigned)i, f >> i & 1, names[i], fields[i]);
		flag_expert(t, pk, (unsigned)i);
	}
	buf_puts(&l, "[TCP Flags: ···");
	for (i = 8; i >= 0; i--) {
		if (f >> i & 1)
			buf_append(&l, &letters[i], 1);
		else
			buf_puts(&l, "·");
	}
	buf_puts(&l, "]");
	/* the value without the brackets, as tcp.flags.str has it */
	node = ptree_add_text(t, -1, 0, 0, l.data, l.len);
	ptree_str(t, node, FF_TCP_FLAGS_STR, l.data + 12, l.len - 13);
	buf_free(&l);
	if (a->closing) {
		t->depth = 3;
		expert(t, "Note", a->closing == 1 ?
		       "This frame initiates the connection closing" :
		       "This frame undergoes the connection closing");
	}
	t->depth = 1;
}

static void
tree_head(struct ptree *t, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;
	const struct reasm_info *ri = fv->ri;
	size_t o = pk->tcp_off;
	char c[64];
	long n;

	n = ptree_add(t, 0, o, 2, "Source Port: %u", pk->sport);
	ptree_int(t, n, FF_TCP_SRCPORT, pk->sport);
	n = ptree_add(t, 0, o + 2, 2, "Destination Port: %u", pk->dport);
	ptree_int(t, n, FF_TCP_DSTPORT, pk->dport);
	if (ri->flow) {
		n = ptree_add(t, -1, 0, 0, "[Stream index: %u]",
			      ri->flow->stream);
		ptree_int(t, n, FF_TCP_STREAM, ri->flow->stream);
		tcpa_completeness_str(fv->tcp_compl, c, sizeof(c));
		n = ptree_add(t, -1, 0, 0, "[Conversation completeness: %s]",
			      c);
		set_int(t, n, FF_TCP_COMPLETENESS, fv->tcp_compl);
	}
	n = ptree_add(t, -1, 0, 0, "[TCP Segment Len: %u]", pk->payload_wire);
	set_int(t, n, FF_TCP_LEN, pk->payload_wire);
	n = ptree_add(t, 0, o + 4, 4, "Sequence Number: %u    (relative "
		      "sequence number)", ri->rel_seq);
	set_int(t, n, FF_TCP_SEQ, ri->rel_seq);
	n = ptree_add(t, 0, o + 4, 4, "Sequence Number (raw): %u", pk->seq);
	set_int(t, n, FF_TCP_SEQ_RAW, pk->seq);
	n = ptree_add(t, -1, 0, 0, "[Next Sequence Number: %u    (relative "
		      "sequence number)]", ri->next_seq);
	set_int(t, n, FF_TCP_NXTSEQ, ri->next_seq);
	if (pk->flags & TCP_ACK) {
		n = ptree_add(t, 0, o + 8, 4, "Acknowledgment Number: %u    "
			      "(relative ack number)", ri->rel_ack);
		set_int(t, n, FF_TCP_ACK, ri->rel_ack);
	} else {	/* tshark's tcp.ack is 0 then, not absent */
		n = ptree_add(t, 0, o + 8, 4, "Acknowledgment Number: 0");
		set_int(t, n, FF_TCP_ACK, 0);
	}
	n = ptree_add(t, 0, o + 8, 4, "Acknowledgment number (raw): %u",
		      pk->ack);
	set_int(t, n, FF_TCP_ACK_RAW, pk->ack);
	n = ptree_add(t, 0, o + 12, 1, "%d%d%d%d .... = Header Length: %u "
		      "bytes (%u)", pk->tcp_hlen >> 5 & 1,
		      pk->tcp_hlen >> 4 & 1, pk->tcp_hlen >> 3 & 1,
		      pk->tcp_hlen >> 2 & 1, pk->tcp_hlen, pk->tcp_hlen / 4);
	set_int(t, n, FF_TCP_HDR_LEN, pk->tcp_hlen);
}

static void
tree_window(struct ptree *t, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;
	const struct reasm_info *ri = fv->ri;
	size_t o = pk->tcp_off;
	long n;

	n = ptree_add(t, 0, o + 14, 2, "Window: %u", pk->win);
	set_int(t, n, FF_TCP_WINDOW_SIZE_VALUE, pk->win);
	n = ptree_add(t, -1, 0, 0, "[Calculated window size: %u]", ri->win);
	set_int(t, n, FF_TCP_WINDOW_SIZE, ri->win);
	if (!(pk->flags & TCP_SYN) && ri->flow) {
		if (ri->win_scale > 0)
			n = ptree_add(t, -1, 0, 0, "[Window size scaling "
				      "factor: %d]", ri->win_scale);
		else
			n = ptree_add(t, -1, 0, 0, "[Window size scaling "
				      "factor: %d (%s)]", ri->win_scale,
				      ri->win_scale == -1 ? "unknown" :
				      "no window scaling used");
		set_int(t, n, -1, ri->win_scale);
	}
	n = ptree_add(t, 0, o + 16, 2, "Checksum: 0x%04x [unverified]",
		      pk->tcp_sum);
	set_int(t, n, FF_TCP_CHECKSUM, pk->tcp_sum);
	ptree_add(t, -1, 0, 0, "[Checksum Status: Unverified]");
	n = ptree_add(t, 0, o + 18, 2, "Urgent Pointer: %u", pk->urg);
	set_int(t, n, FF_TCP_URGENT_POINTER, pk->urg);
}

static void
tree_timestamps(struct ptree *t, const struct reasm_info *ri)
{
	long n = ptree_add(t, -1, 0, 0, "[Timestamps]");

	(void)n;
	t->depth = 2;
	secs_node(t, "Time since first frame in this TCP stream",
		  ri->since_first_ns, FF_TCP_TIME_RELATIVE);
	secs_node(t, "Time since previous frame in this TCP stream",
		  ri->since_prev_ns, FF_TCP_TIME_DELTA);
	t->depth = 1;
}

/* The filter field of each analysis flag (tcp_analysis.h's order). */
static const int flag_field[TCPA_FLAG_COUNT] = {
	FF_TCP_ANALYSIS_RETRANSMISSION, FF_TCP_ANALYSIS_LOST_SEGMENT,
	FF_TCP_ANALYSIS_ACK_LOST_SEGMENT, FF_TCP_ANALYSIS_KEEP_ALIVE,
	FF_TCP_ANALYSIS_WINDOW_UPDATE, FF_TCP_ANALYSIS_WINDOW_FULL,
	FF_TCP_ANALYSIS_KEEP_ALIVE_ACK, FF_TCP_ANALYSIS_DUPLICATE_ACK,
	FF_TCP_ANALYSIS_ZWP, FF_TCP_ANALYSIS_ZERO_WINDOW,
	FF_TCP_ANALYSIS_ZWP_ACK, FF_TCP_ANALYSIS_SPURIOUS,
	FF_TCP_ANALYSIS_FAST_RETRANSMISSION, FF_TCP_ANALYSIS_OUT_OF_ORDER,
};

/* The flags subtree: one expert info per flag, in tshark's order. */
static void
analysis_flags(struct ptree *t, const struct tcpa_info *a)
{
	char text[96];
	unsigned i;
	long n;

	t->depth = 2;
	n = ptree_add(t, -1, 0, 0, "[TCP Analysis Flags]");
	set_proto(t, n, FF_TCP_ANALYSIS_FLAGS);
	for (i = 0; i < TCPA_FLAG_COUNT; i++) {
		const struct tcpa_flag_info *fi = tcpa_flag_info(i);

		if (!(a->flags & fi->flag))
			continue;
		t->depth = 3;
		if (fi->flag == TCPA_DUP_ACK) {
			n = ptree_add(t, -1, 0, 0, "[This is a TCP duplicate "
				      "ack]");
			set_proto(t, n, flag_field[i]);
			t->depth = 2;
			n = ptree_add(t, -1, 0, 0, "[Duplicate ACK #: %u]",
				      a->dup_num);
			set_int(t, n, FF_TCP_ANALYSIS_DUPLICATE_ACK_NUM,
				a->dup_num);
			n = ptree_add(t, -1, 0, 0, "[Duplicate to the ACK in "
				      "frame: %u]", a->dup_frame);
			set_int(t, n, FF_TCP_ANALYSIS_DUPLICATE_ACK_FRAME,
				a->dup_frame);
			t->depth = 3;
			snprintf(text, sizeof(text), "Duplicate ACK (#%u)",
				 a->dup_num);
			/* Wireshark's expert item has the flag's name too:
			   the field occurs twice (-T fields prints 1,1) */
			n = t->n;
			expert(t, fi->severity, text);
			set_proto(t, n, flag_field[i]);
			continue;
		}
		n = t->n;
		expert(t, fi->severity, fi->text);
		set_proto(t, n, flag_field[i]);
		if (fi->flag & (TCPA_FAST | TCPA_SPURIOUS)) {
			n = t->n;
			expert(t, "Note", tcpa_flag_info(0)->text);
			set_proto(t, n, FF_TCP_ANALYSIS_RETRANSMISSION);
		}
		if (fi->flag == TCPA_RETRANS && a->rto_frame) {
			secs_node(t, "The RTO for this segment was",
				  a->rto_ns, FF_TCP_ANALYSIS_RTO);
			n = ptree_add(t, -1, 0, 0, "[RTO based on delta from "
				      "frame: %u]", a->rto_frame);
			set_int(t, n, FF_TCP_ANALYSIS_RTO_FRAME, a->rto_frame);
		}
	}
}

static void
tree_analysis(struct ptree *t, const struct frame_view *fv)
{
	const struct tcpa_info *a = &fv->ri->an;
	long n;

	if (!a->shown)
		return;
	n = ptree_add(t, -1, 0, 0, "[SEQ/ACK analysis]");
	set_proto(t, n, FF_TCP_ANALYSIS);
	t->depth = 2;
	if (a->acks_frame) {
		n = ptree_add(t, -1, 0, 0, "[This is an ACK to the segment in "
			      "frame: %u]", a->acks_frame);
		set_int(t, n, FF_TCP_ANALYSIS_ACKS_FRAME, a->acks_frame);
		secs_node(t, "The RTT to ACK the segment was", a->ack_rtt_ns,
			  FF_TCP_ANALYSIS_ACK_RTT);
	}
	if (fv->tcp_irtt_ns)
		secs_node(t, "iRTT", fv->tcp_irtt_ns,
			  FF_TCP_ANALYSIS_INITIAL_RTT);
	if (a->has_bif) {
		n = ptree_add(t, -1, 0, 0, "[Bytes in flight: %u]", a->bif);
		set_int(t, n, FF_TCP_ANALYSIS_BYTES_IN_FLIGHT, a->bif);
		n = ptree_add(t, -1, 0, 0, "[Bytes sent since last PSH flag: "
			      "%u]", a->push_bytes);
		set_int(t, n, -1, a->push_bytes);
	}
	if (a->flags)
		analysis_flags(t, a);
	t->depth = 1;
}

/* "[2 Reassembled TCP Segments (226 bytes): #6(185), #8(41)]" and its
 * children, at depth 0 after the TCP layer, for each such message. */
void
print_tcp_pdus(struct ptree *t, const struct frame_view *fv, bool x)
{
	const uint8_t *data = NULL;
	struct buf l = BUF_INIT;
	unsigned b, i;
	size_t have = 0;
	long n;

	for (i = 1; fv->http && i < fv->http->nsrc; i++)
		if (strcmp(fv->http->src[i].name, "Reassembled TCP") == 0) {
			data = ptree_bytes(fv->http, i, &have);
			break;
		}
	for (b = 0; b < fv->npdus; b++) {
		const struct pdu_block *pb = &fv->pdus[b];
		const struct seg_span *sg = fv->pdu_segs + pb->first;

		t->depth = 0;
		buf_printf(&l, "[%u Reassembled TCP Segments (%llu bytes):",
			   pb->n, (unsigned long long)pb->total);
		for (i = 0; i < pb->n; i++)
			buf_printf(&l, "%s #%u(%u)", i ? "," : "", sg[i].frame,
				   sg[i].len);
		buf_puts(&l, "]");
		n = ptree_add_text(t, -1, 0, 0, l.data, l.len);
		set_int(t, n, FF_TCP_SEGMENTS, 1);
		buf_reset(&l);
		if (!x)
			ptree_close(t, n);
		t->depth = 1;
		for (i = 0; i < pb->n; i++) {
			n = ptree_add(t, -1, 0, 0, "[Frame: %u, payload: %llu-%llu "
				      "(%u byte%s)]", sg[i].frame,
				      (unsigned long long)sg[i].off,
				      (unsigned long long)(sg[i].off + sg[i].len -
							   1), sg[i].len,
				      sg[i].len == 1 ? "" : "s");
			set_int(t, n, FF_TCP_SEGMENT, sg[i].frame);
			if (sg[i].dup) {
				t->depth = 2;
				n = ptree_add(t, -1, 0, 0,
					      "[Segment overlap: True]");
				set_int(t, n, FF_TCP_SEGMENT_OVERLAP, 1);
				t->depth = 1;
			}
		}
		n = ptree_add(t, -1, 0, 0, "[Segment count: %u]", pb->n);
		set_int(t, n, FF_TCP_SEGMENT_COUNT, pb->n);
		n = ptree_add(t, -1, 0, 0, "[Reassembled TCP length: %llu]",
			      (unsigned long long)pb->total);
		set_int(t, n, FF_TCP_REASSEMBLED_LENGTH, (int64_t)pb->total);
		if (b == 0 && data && have == pb->total) {
			buf_puts(&l, "[Reassembled TCP Data: ");
			for (i = 0; i < have && i < 36; i++)
				buf_printf(&l, "%02x", data[i]);
			buf_puts(&l, have > 36 ? "…]" : "]");
			ptree_add_text(t, -1, 0, 0, l.data, l.len);
			buf_reset(&l);
		}
	}
	buf_free(&l);
}

/* Did the frame complete a message of several segments? */
static bool
reassembled(const struct ptree *t)
{
	unsigned i;

	for (i = 1; t && i < t->nsrc; i++)
		if (strcmp(t->src[i].name, "Reassembled TCP") == 0)
			return true;
	return false;
}

void
print_tcp_tree(struct ptree *t, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;

	tree_head(t, fv);
	tree_flags(t, pk, &fv->ri->an, pk->tcp_off + 12u);
	tree_window(t, fv);
	print_tcp_options(t, fv);
	if (fv->ri->flow) {
		tree_timestamps(t, fv->ri);
		tree_analysis(t, fv);
	}
	if (!pk->payload_wire)
		return;
	ptree_bytesval(t, ptree_add(t, 0, pk->payload_off, pk->payload_len,
				    "TCP payload (%u byte%s)", pk->payload_len,
				    pk->payload_len == 1 ? "" : "s"),
		       FF_TCP_PAYLOAD);
	if (fv->pdu_in && fv->pdu_in != fv->no) {
		long n = ptree_add(t, -1, 0, 0, "[Reassembled PDU in frame: "
				   "%u]", fv->pdu_in);

		set_int(t, n, FF_TCP_REASSEMBLED_IN, fv->pdu_in);
	}
	/* resent bytes that went into a message are its data, as tshark
	   with tcp.reassemble_out_of_order says */
	if ((fv->ri->an.flags & TCPA_RETRANS) &&
	    !(fv->pdu_in && fv->pdu_in != fv->no) && !reassembled(fv->http))
		ptree_add(t, 0, pk->payload_off, pk->payload_len,
			  "Retransmitted TCP segment data (%u byte%s)",
			  pk->payload_len, pk->payload_len == 1 ? "" : "s");
	else if ((fv->pdu && !fv->http_info) || reassembled(fv->http))
		ptree_add(t, 0, pk->payload_off, pk->payload_len,
			  "TCP segment data (%u byte%s)", pk->payload_len,
			  pk->payload_len == 1 ? "" : "s");
}
