/*
 * print_tree.c - the -V detail tree of one frame: Frame, the link layer,
 * IPv4/IPv6, TCP (with [Stream index]), then the HTTP lines the
 * dissector rendered.  Field names follow Wireshark's; layers not being
 * expanded (-O) print only their title line.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ipfrag.h"
#include "print.h"

static void
mac(struct buf *out, const uint8_t *a, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf_printf(out, i ? ":%02x" : "%02x", a[i]);
}

static void
tree_frame(struct buf *out, const struct frame_view *fv, bool x)
{
	const struct frame_rec *fr = fv->fr;
	time_t t = fr->sec;
	struct tm tm;
	char when[64];

	buf_printf(out, "Frame %u: %u bytes on wire (%u bits), %u bytes "
		   "captured (%u bits)\n", fv->no, fr->len, fr->len * 8,
		   fr->caplen, fr->caplen * 8);
	if (!x)
		return;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%b %d, %Y %H:%M:%S", &tm);
	buf_printf(out, "    Arrival Time: %s.%09u UTC\n", when, fr->nsec);
	buf_printf(out, "    Epoch Time: %u.%09u seconds\n", fr->sec, fr->nsec);
	buf_puts(out, "    [Time delta from previous captured frame: ");
	print_secs(out, fv->delta_ns, 9);
	buf_puts(out, " seconds]\n    [Time since reference or first frame: ");
	print_secs(out, fv->rel_ns, 9);
	buf_printf(out, " seconds]\n    Frame Number: %u\n"
		   "    Frame Length: %u bytes (%u bits)\n"
		   "    Capture Length: %u bytes (%u bits)\n", fv->no, fr->len,
		   fr->len * 8, fr->caplen, fr->caplen * 8);
	buf_printf(out, "    [Protocols in frame: %s%s%s%s%s%s]\n",
		   fv->pk->link == LINK_ETHER ? "eth:ethertype" :
		   fv->pk->link == LINK_SLL || fv->pk->link == LINK_SLL2 ?
		   "sll:ethertype" : fv->pk->link == LINK_RAW ? "raw" : "null",
		   fv->pk->ipver == 4 ? ":ip" : fv->pk->ipver == 6 ? ":ipv6" : "",
		   fv->pk->tcp ? ":tcp" : "", fv->tls_proto ? ":tls" : "",
		   fv->http_info && (!fv->app_proto || fv->http_msgs) ?
		   ":http" : "",
		   !fv->app_proto ? "" : fv->app_proto[0] == 'W' ?
		   ":websocket" : ":http2");
}

static void
tree_link(struct buf *out, const struct pkt *pk, bool x)
{
	switch (pk->link) {
	case LINK_ETHER:
		buf_puts(out, "Ethernet II, Src: ");
		mac(out, pk->l2_src, 6);
		buf_puts(out, ", Dst: ");
		mac(out, pk->l2_dst, 6);
		buf_puts(out, "\n");
		if (!x)
			return;
		buf_puts(out, "    Destination: ");
		mac(out, pk->l2_dst, 6);
		buf_puts(out, "\n    Source: ");
		mac(out, pk->l2_src, 6);
		buf_puts(out, "\n");
		if (pk->vlan)
			buf_printf(out, "    802.1Q Virtual LAN, ID: %u\n",
				   pk->vlan_id);
		break;
	case LINK_SLL:
	case LINK_SLL2:
		buf_printf(out, "Linux cooked capture v%d\n",
			   pk->link == LINK_SLL ? 1 : 2);
		if (!x)
			return;
		buf_printf(out, "    Packet type: %u\n    Link-layer address "
			   "type: %u\n", pk->sll_pkttype, pk->sll_hatype);
		if (pk->link == LINK_SLL2)
			buf_printf(out, "    Interface index: %u\n",
				   pk->sll_ifindex);
		buf_puts(out, "    Source: ");
		mac(out, pk->l2_src, pk->l2_src_len);
		buf_puts(out, "\n");
		break;
	case LINK_NULL:
	case LINK_LOOP:
		buf_printf(out, "%s/Loopback\n", pk->link == LINK_NULL ? "Null" :
			   "OpenBSD loopback");
		if (x)
			buf_printf(out, "    Family: %s (%u)\n", pk->af == 2 ?
				   "IP" : "IPv6", pk->af);
		return;
	case LINK_RAW:
		buf_puts(out, "Raw packet data\n");
		return;
	default:
		buf_printf(out, "Unknown link type %d\n", pk->dlt);
		return;
	}
	if (x && pk->ethertype)
		buf_printf(out, "    Type: %s (0x%04x)\n",
			   pk->ethertype == ETHERTYPE_IPV4 ? "IPv4" :
			   pk->ethertype == ETHERTYPE_IPV6 ? "IPv6" : "Unknown",
			   pk->ethertype);
}

/* The pieces of the datagram this frame completed (Wireshark's list). */
static void
tree_pieces(struct buf *out, const struct pkt *pk)
{
	const struct ipfrag_done *d = pk->frag_done;
	const char *v = pk->ipver == 6 ? "IPv6" : "IPv4";
	unsigned i;

	buf_printf(out, "    [%u %s Fragments (%u bytes):", d->npieces, v,
		   d->len);
	for (i = 0; i < d->npieces; i++)
		buf_printf(out, "%s #%u(%u)", i ? "," : "", d->pieces[i].frame,
			   d->pieces[i].len);
	buf_puts(out, "]\n");
	for (i = 0; i < d->npieces; i++)
		buf_printf(out, "        [Frame: %u, payload: %u-%u (%u bytes)]\n",
			   d->pieces[i].frame, d->pieces[i].off,
			   d->pieces[i].off + d->pieces[i].len - 1,
			   d->pieces[i].len);
	buf_printf(out, "        [Fragment count: %u]\n", d->npieces);
	if (d->overlap)
		buf_printf(out, "        [Overlapping fragments%s: first "
			   "received kept]\n", d->conflict ?
			   " with different data" : "");
	buf_printf(out, "        [Reassembled %s length: %u]\n", v, d->len);
}

/* Fragment header fields, and where the datagram was (or was not) whole. */
static void
tree_frag(struct buf *out, const struct pkt *pk)
{
	const char *v = pk->ipver == 6 ? "IPv6" : "IPv4";

	if (!pk->ip_fragment && !pk->frag_done)
		return;
	if (pk->ipver == 6)
		buf_printf(out, "    Fragment Header for IPv6\n"
			   "        Offset: %u (%u bytes)\n"
			   "        More Fragments: %s\n"
			   "        Identification: 0x%08x\n", pk->frag_off / 8,
			   pk->frag_off, pk->frag_more ? "Yes" : "No",
			   pk->frag_id);
	if (pk->frag_done)
		tree_pieces(out, pk);
	else if (pk->frag_in)
		buf_printf(out, "    [Reassembled %s in frame: %u]\n", v,
			   pk->frag_in);
	else
		buf_puts(out, "    [Fragment: payload not decoded]\n");
}

static void
tree_ip(struct buf *out, const struct pkt *pk, bool x)
{
	char s[64], d[64];

	pkt_addr_str(pk, pk->src, s, sizeof(s));
	pkt_addr_str(pk, pk->dst, d, sizeof(d));
	buf_printf(out, "Internet Protocol Version %d, Src: %s, Dst: %s\n",
		   pk->ipver, s, d);
	if (!x)
		return;
	if (pk->ipver == 4) {
		buf_printf(out, "    0100 .... = Version: 4\n"
			   "    .... %d%d%d%d = Header Length: %u bytes (%u)\n",
			   (pk->ip_hlen >> 5) & 1, (pk->ip_hlen >> 4) & 1,
			   (pk->ip_hlen >> 3) & 1, (pk->ip_hlen >> 2) & 1,
			   /* the IHL nibble is ip_hlen / 4: bits 5..2 */
			   pk->ip_hlen, pk->ip_hlen / 4);
		buf_printf(out, "    Differentiated Services Field: 0x%02x\n"
			   "    Total Length: %u\n"
			   "    Identification: 0x%04x (%u)\n"
			   "    Flags: 0x%x%s%s\n"
			   "    Fragment Offset: %u\n"
			   "    Time to Live: %u\n"
			   "    Protocol: %s (%u)\n"
			   "    Header Checksum: 0x%04x [validation disabled]\n",
			   pk->ip_tos, pk->ip_total, pk->ip_id, pk->ip_id,
			   pk->ip_frag >> 13,
			   (pk->ip_frag & 0x4000) ? ", Don't fragment" : "",
			   (pk->ip_frag & 0x2000) ? ", More fragments" : "",
			   (pk->ip_frag & 0x1fff) * 8u, pk->ip_ttl,
			   pk->ip_proto == 6 ? "TCP" : "Unknown", pk->ip_proto,
			   pk->ip_sum);
	} else {
		buf_printf(out, "    0110 .... = Version: 6\n"
			   "    Traffic Class: 0x%02x\n"
			   "    Flow Label: 0x%05x\n"
			   "    Payload Length: %u\n"
			   "    Next Header: %s (%u)\n"
			   "    Hop Limit: %u\n", pk->ip_tos, pk->ip6_flow,
			   pk->ip_total - 40, pk->ip_proto == 6 ? "TCP" :
			   "Unknown", pk->ip_proto, pk->ip_ttl);
		if (pk->ip_hlen > 40)
			buf_printf(out, "    [Extension headers: %u bytes]\n",
				   pk->ip_hlen - 40u);
	}
	buf_printf(out, "    Source Address: %s\n    Destination Address: %s\n",
		   s, d);
	tree_frag(out, pk);
}

/* "   .... ...1 .... = Acknowledgment: Set": bit of a 12-bit field */
static void
bit_line(struct buf *out, unsigned bit, unsigned set, const char *name)
{
	int pos;

	buf_puts(out, "        ");
	for (pos = 11; pos >= 0; pos--) {
		buf_puts(out, (unsigned)pos == bit ? (set ? "1" : "0") : ".");
		if (pos && pos % 4 == 0)
			buf_puts(out, " ");
	}
	buf_printf(out, " = %s: %s\n", name, set ? "Set" : "Not set");
}

static void
tree_tcp_flags(struct buf *out, uint16_t f)
{
	static const char *names[] = { "Fin", "Syn", "Reset", "Push",
		"Acknowledgment", "Urgent", "ECN-Echo",
		"Congestion Window Reduced", "Accurate ECN" };
	static const char *shorts[] = { "FIN", "SYN", "RST", "PSH", "ACK",
		"URG", "ECE", "CWR", "AE" };
	static const char letters[] = "FSRPAUECN";
	int i, n = 0;

	buf_printf(out, "    Flags: 0x%03x (", f);
	for (i = 0; i < 9; i++)
		if (f >> i & 1)
			buf_printf(out, "%s%s", n++ ? ", " : "", shorts[i]);
	buf_puts(out, n ? ")\n" : "<None>)\n");
	buf_printf(out, "        000. .... .... = Reserved: Not set\n");
	for (i = 8; i >= 0; i--)
		bit_line(out, (unsigned)i, f >> i & 1, names[i]);
	buf_puts(out, "        [TCP Flags: ···");
	for (i = 8; i >= 0; i--) {
		if (f >> i & 1)
			buf_append(out, &letters[i], 1);
		else
			buf_puts(out, "·");
	}
	buf_puts(out, "]\n");
}

static void
tree_tcp(struct buf *out, const struct frame_view *fv, bool x)
{
	const struct pkt *pk = fv->pk;
	const struct reasm_info *ri = fv->ri;

	buf_printf(out, "Transmission Control Protocol, Src Port: %u, Dst "
		   "Port: %u, Seq: %u", pk->sport, pk->dport, ri->rel_seq);
	if (pk->flags & TCP_ACK)
		buf_printf(out, ", Ack: %u", ri->rel_ack);
	buf_printf(out, ", Len: %u\n", pk->payload_wire);
	if (!x)
		return;
	buf_printf(out, "    Source Port: %u\n    Destination Port: %u\n",
		   pk->sport, pk->dport);
	if (ri->flow)
		buf_printf(out, "    [Stream index: %u]\n", ri->flow->stream);
	buf_printf(out, "    [TCP Segment Len: %u]\n"
		   "    Sequence Number: %u    (relative sequence number)\n"
		   "    Sequence Number (raw): %u\n"
		   "    [Next Sequence Number: %u    (relative sequence number)]\n",
		   pk->payload_wire, ri->rel_seq, pk->seq, ri->next_seq);
	if (pk->flags & TCP_ACK)
		buf_printf(out, "    Acknowledgment Number: %u    (relative ack "
			   "number)\n", ri->rel_ack);
	else
		buf_puts(out, "    Acknowledgment Number: 0\n");
	buf_printf(out, "    Acknowledgment number (raw): %u\n"
		   "    %d%d%d%d .... = Header Length: %u bytes (%u)\n", pk->ack,
		   pk->tcp_hlen >> 5 & 1, pk->tcp_hlen >> 4 & 1,
		   pk->tcp_hlen >> 3 & 1, pk->tcp_hlen >> 2 & 1, pk->tcp_hlen,
		   pk->tcp_hlen / 4);
	tree_tcp_flags(out, pk->flags);
	buf_printf(out, "    Window: %u\n    [Calculated window size: %u]\n"
		   "    Checksum: 0x%04x [unverified]\n    Urgent Pointer: %u\n",
		   pk->win, ri->win, pk->tcp_sum, pk->urg);
	if (pk->tcp_hlen > 20)
		buf_printf(out, "    Options: (%u bytes)\n", pk->tcp_hlen - 20u);
	if (pk->mss)
		buf_printf(out, "        Maximum segment size: %u bytes\n",
			   pk->mss);
	if (pk->sack_perm)
		buf_puts(out, "        SACK permitted\n");
	if (pk->has_ts)
		buf_printf(out, "        Timestamps: TSval %u, TSecr %u\n",
			   pk->tsval, pk->tsecr);
	if (pk->wscale >= 0)
		buf_printf(out, "        Window scale: %d (multiply by %u)\n",
			   pk->wscale, 1u << (pk->wscale > 14 ? 14 : pk->wscale));
	if (ri->retrans && pk->payload_wire)
		buf_puts(out, "    [This frame is a (suspected) retransmission]\n");
	if (ri->ooo)
		buf_puts(out, "    [Previous segment(s) not captured]\n");
	if (pk->payload_wire)
		buf_printf(out, "    TCP payload (%u bytes)\n", pk->payload_len);
	if (fv->pdu && !fv->http_info && pk->payload_wire)
		buf_puts(out, "    [TCP segment of a reassembled PDU]\n");
}

void
print_tree(struct buf *out, const struct frame_view *fv, unsigned expand)
{
	const struct pkt *pk = fv->pk;

	tree_frame(out, fv, expand & EXPAND_FRAME);
	tree_link(out, pk, expand & EXPAND_LINK);
	if (pk->ipver && !(pk->trunc == LAYER_IP && pk->ip_hlen == 0))
		tree_ip(out, pk, expand & EXPAND_IP);
	if (pk->tcp)
		tree_tcp(out, fv, expand & EXPAND_TCP);
	if (pk->trunc)
		buf_printf(out, "[Packet size limited during capture: %s "
			   "truncated]\n", pk->trunc == LAYER_TCP ? "TCP" :
			   pk->trunc == LAYER_IP ? "IP" : "link layer");
	if (pk->invalid)
		buf_printf(out, "[Malformed packet: %s (invalid)]\n",
			   pk->invalid);
	if (fv->http_tree)
		buf_puts(out, fv->http_tree);
	buf_puts(out, "\n");
}
