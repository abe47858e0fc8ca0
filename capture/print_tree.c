/*
 * print_tree.c - the lower layers' nodes in the protocol tree of one
 * frame (ptree.h): Frame, the link layer, IPv4/IPv6, TCP (with [Stream
 * index]), each node pointing at its bytes in the frame, then the HTTP
 * nodes the dissector added.  Field names follow Wireshark's; layers not
 * being expanded (-O) are closed, so -V prints their title line only.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "ipfrag.h"
#include "print.h"
#include "ptree.h"

static void
mac(struct buf *out, const uint8_t *a, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf_printf(out, i ? ":%02x" : "%02x", a[i]);
}

/* A node whose label is built in a scratch buffer. */
static long
add_buf(struct ptree *t, int src, size_t off, size_t len, struct buf *l)
{
	long n = ptree_add_text(t, src, off, len, l->data ? l->data : "",
				l->len);

	buf_reset(l);
	return n;
}

/* Layer title at depth 0, closed unless expanded; children follow. */
static long
layer(struct ptree *t, long n, bool x)
{
	if (!x)
		ptree_close(t, n);
	t->depth = 1;
	return n;
}

/* The body layers after "http" in [Protocols in frame], as Wireshark
 * names their dissectors (the first message's) */
static void
media_protocols(struct buf *l, const struct ptree *h)
{
	size_t i, n;
	bool json = false;

	for (i = 0; h && i < h->n; i++) {
		const char *s = ptree_label(h, i, &n);

		if (h->v[i].depth != 0)
			continue;
		if (json) {	/* not a tree: its text lines follow */
			if (n >= 20 && !memcmp(s, "Line-based text data", 20))
				buf_puts(l, ":data-text-lines");
			return;
		}
		if (h->v[i].field == FF_JSON) {
			buf_puts(l, ":json");
			json = true;
			continue;
		}
		if (h->v[i].field == FF_URLENCODED_FORM)
			buf_puts(l, ":urlencoded-form");
		else if (h->v[i].field == FF_MIME_MULTIPART)
			buf_puts(l, ":mime_multipart");
		else if (n >= 20 && !memcmp(s, "Line-based text data", 20))
			buf_puts(l, ":data-text-lines");
		else if (n == 10 && !memcmp(s, "Media Type", 10))
			buf_puts(l, ":media");
		else
			continue;
		return;
	}
}

static void
tree_frame(struct ptree *t, const struct frame_view *fv, bool x)
{
	const struct frame_rec *fr = fv->fr;
	const struct pkt *pk = fv->pk;
	time_t when_s = fr->sec;
	struct buf l = BUF_INIT;
	struct tm tm;
	char when[64];
	long n;

	t->depth = 0;
	n = ptree_add(t, 0, 0, pk->caplen, "Frame %u: %u bytes on wire (%u "
		      "bits), %u bytes captured (%u bits)", fv->no, fr->len,
		      fr->len * 8, fr->caplen, fr->caplen * 8);
	ptree_proto(t, n, FF_FRAME);
	layer(t, n, x);
	gmtime_r(&when_s, &tm);
	strftime(when, sizeof(when), "%b %d, %Y %H:%M:%S", &tm);
	ptree_add(t, -1, 0, 0, "Arrival Time: %s.%09u UTC", when, fr->nsec);
	n = ptree_add(t, -1, 0, 0, "Epoch Time: %u.%09u seconds", fr->sec,
		      fr->nsec);
	ptree_time_ns(t, n, FF_FRAME_TIME_EPOCH,
		      (int64_t)fr->sec * 1000000000 + fr->nsec);
	buf_puts(&l, "[Time delta from previous captured frame: ");
	print_secs(&l, fv->delta_ns, 9);
	buf_puts(&l, " seconds]");
	n = add_buf(t, -1, 0, 0, &l);
	ptree_time_ns(t, n, FF_FRAME_TIME_DELTA, fv->delta_ns);
	buf_puts(&l, "[Time since reference or first frame: ");
	print_secs(&l, fv->rel_ns, 9);
	buf_puts(&l, " seconds]");
	n = add_buf(t, -1, 0, 0, &l);
	ptree_time_ns(t, n, FF_FRAME_TIME_RELATIVE, fv->rel_ns);
	n = ptree_add(t, -1, 0, 0, "Frame Number: %u", fv->no);
	ptree_int(t, n, FF_FRAME_NUMBER, fv->no);
	n = ptree_add(t, -1, 0, 0, "Frame Length: %u bytes (%u bits)", fr->len,
		      fr->len * 8);
	ptree_int(t, n, FF_FRAME_LEN, fr->len);
	n = ptree_add(t, -1, 0, 0, "Capture Length: %u bytes (%u bits)",
		      fr->caplen, fr->caplen * 8);
	ptree_int(t, n, FF_FRAME_CAP_LEN, fr->caplen);
	buf_printf(&l, "%s%s%s%s%s%s%s",
		   pk->link == LINK_ETHER ? "eth:ethertype" :
		   pk->link == LINK_SLL || pk->link == LINK_SLL2 ?
		   "sll:ethertype" : pk->link == LINK_RAW ? "raw" : "null",
		   pk->ipver == 4 ? ":ip" : pk->ipver == 6 ? ":ipv6" : "",
		   pk->tcp ? ":tcp" : pk->udp ? ":udp" : "",
		   !pk->udp ? "" : pk->sport == 53 || pk->dport == 53 ?
		   ":dns" : pk->payload_len ? ":data" : "",
		   fv->tls_proto ? ":tls" : "",
		   fv->http_info && (!fv->app_proto || fv->http_msgs) ?
		   ":http" : "",
		   !fv->app_proto ? "" : fv->app_proto[0] == 'W' ?
		   ":websocket" : ":http2");
	media_protocols(&l, fv->http);
	n = ptree_add(t, -1, 0, 0, "[Protocols in frame: %s]",
		      l.data ? l.data : "");
	ptree_str(t, n, FF_FRAME_PROTOCOLS, l.data, l.len);
	buf_free(&l);
}

static void
tree_ether(struct ptree *t, const struct pkt *pk, struct buf *l)
{
	long n;

	buf_puts(l, "Destination: ");
	mac(l, pk->l2_dst, 6);
	n = add_buf(t, 0, 0, 6, l);
	ptree_addr(t, n, FF_ETH_DST, pk->l2_dst, 6);
	buf_puts(l, "Source: ");
	mac(l, pk->l2_src, 6);
	n = add_buf(t, 0, 6, 6, l);
	ptree_addr(t, n, FF_ETH_SRC, pk->l2_src, 6);
	if (pk->vlan)
		ptree_add(t, 0, 12, 4, "802.1Q Virtual LAN, ID: %u",
			  pk->vlan_id);
}

static void
tree_sll(struct ptree *t, const struct pkt *pk, struct buf *l)
{
	bool v1 = pk->link == LINK_SLL;

	ptree_add(t, 0, v1 ? 0 : 10, v1 ? 2 : 1, "Packet type: %u",
		  pk->sll_pkttype);
	ptree_add(t, 0, v1 ? 2 : 8, 2, "Link-layer address type: %u",
		  pk->sll_hatype);
	if (!v1)
		ptree_add(t, 0, 4, 4, "Interface index: %u", pk->sll_ifindex);
	buf_puts(l, "Source: ");
	mac(l, pk->l2_src, pk->l2_src_len);
	add_buf(t, 0, v1 ? 6 : 12, pk->l2_src_len, l);
}

static void
tree_link(struct ptree *t, const struct pkt *pk, bool x)
{
	struct buf l = BUF_INIT;
	int lsrc = pk->link_len ? 0 : -1;
	long n;

	t->depth = 0;
	switch (pk->link) {
	case LINK_ETHER:
		buf_puts(&l, "Ethernet II, Src: ");
		mac(&l, pk->l2_src, 6);
		buf_puts(&l, ", Dst: ");
		mac(&l, pk->l2_dst, 6);
		n = add_buf(t, lsrc, 0, pk->link_len, &l);
		ptree_proto(t, n, FF_ETH);
		layer(t, n, x);
		tree_ether(t, pk, &l);
		break;
	case LINK_SLL:
	case LINK_SLL2:
		n = ptree_add(t, lsrc, 0, pk->link_len,
			      "Linux cooked capture v%d",
			      pk->link == LINK_SLL ? 1 : 2);
		layer(t, n, x);
		tree_sll(t, pk, &l);
		break;
	case LINK_NULL:
	case LINK_LOOP:
		n = ptree_add(t, lsrc, 0, pk->link_len, "%s/Loopback",
			      pk->link == LINK_NULL ? "Null" :
			      "OpenBSD loopback");
		layer(t, n, x);
		ptree_add(t, lsrc, 0, pk->link_len, "Family: %s (%u)",
			  pk->af == 2 ? "IP" : "IPv6", pk->af);
		buf_free(&l);
		return;
	case LINK_RAW:
		ptree_add(t, -1, 0, 0, "Raw packet data");
		buf_free(&l);
		return;
	default:
		ptree_add(t, -1, 0, 0, "Unknown link type %d", pk->dlt);
		buf_free(&l);
		return;
	}
	if (pk->ethertype) {
		n = ptree_add(t, 0, pk->link_len - 2, 2, "Type: %s (0x%04x)",
			      pk->ethertype == ETHERTYPE_IPV4 ? "IPv4" :
			      pk->ethertype == ETHERTYPE_IPV6 ? "IPv6" :
			      "Unknown", pk->ethertype);
		if (pk->link == LINK_ETHER)
			ptree_int(t, n, FF_ETH_TYPE, pk->ethertype);
	}
	buf_free(&l);
}

/* The pieces of the datagram this frame completed (Wireshark's list). */
static void
tree_pieces(struct ptree *t, const struct pkt *pk)
{
	const struct ipfrag_done *d = pk->frag_done;
	const char *v = pk->ipver == 6 ? "IPv6" : "IPv4";
	struct buf l = BUF_INIT;
	unsigned i;

	t->depth = 1;
	buf_printf(&l, "[%u %s Fragments (%u bytes):", d->npieces, v, d->len);
	for (i = 0; i < d->npieces; i++)
		buf_printf(&l, "%s #%u(%u)", i ? "," : "", d->pieces[i].frame,
			   d->pieces[i].len);
	buf_puts(&l, "]");
	add_buf(t, -1, 0, 0, &l);
	buf_free(&l);
	t->depth = 2;
	for (i = 0; i < d->npieces; i++)
		ptree_frame(t, ptree_add(t, -1, 0, 0, "[Frame: %u, payload: "
					 "%u-%u (%u bytes)]", d->pieces[i].frame,
					 d->pieces[i].off, d->pieces[i].off +
					 d->pieces[i].len - 1, d->pieces[i].len),
			    -1, d->pieces[i].frame);
	ptree_add(t, -1, 0, 0, "[Fragment count: %u]", d->npieces);
	if (d->overlap)
		ptree_add(t, -1, 0, 0, "[Overlapping fragments%s: first "
			  "received kept]", d->conflict ?
			  " with different data" : "");
	ptree_add(t, -1, 0, 0, "[Reassembled %s length: %u]", v, d->len);
}

/* Fragment header fields, and where the datagram was (or was not) whole. */
static void
tree_frag(struct ptree *t, const struct pkt *pk)
{
	const char *v = pk->ipver == 6 ? "IPv6" : "IPv4";

	if (!pk->ip_fragment && !pk->frag_done)
		return;
	t->depth = 1;
	if (pk->ipver == 6) {
		ptree_add(t, -1, 0, 0, "Fragment Header for IPv6");
		t->depth = 2;
		ptree_add(t, -1, 0, 0, "Offset: %u (%u bytes)",
			  pk->frag_off / 8, pk->frag_off);
		ptree_add(t, -1, 0, 0, "More Fragments: %s",
			  pk->frag_more ? "Yes" : "No");
		ptree_add(t, -1, 0, 0, "Identification: 0x%08x", pk->frag_id);
		t->depth = 1;
	}
	if (pk->frag_done)
		tree_pieces(t, pk);
	else if (pk->frag_in)
		ptree_frame(t, ptree_add(t, -1, 0, 0, "[Reassembled %s in "
					 "frame: %u]", v, pk->frag_in), -1,
			    pk->frag_in);
	else
		ptree_add(t, -1, 0, 0, "[Fragment: payload not decoded]");
}

static void
tree_ipv4(struct ptree *t, const struct pkt *pk)
{
	size_t o = pk->ip_off;
	long n;

	n = ptree_add(t, 0, o, 1, "0100 .... = Version: 4");
	ptree_int(t, n, FF_IP_VERSION, 4);
	n = ptree_add(t, 0, o, 1, ".... %d%d%d%d = Header Length: %u bytes "
		      "(%u)", (pk->ip_hlen >> 5) & 1, (pk->ip_hlen >> 4) & 1,
		      (pk->ip_hlen >> 3) & 1, (pk->ip_hlen >> 2) & 1,
		      /* the IHL nibble is ip_hlen / 4: bits 5..2 */
		      pk->ip_hlen, pk->ip_hlen / 4);
	ptree_int(t, n, FF_IP_HDR_LEN, pk->ip_hlen);
	n = ptree_add(t, 0, o + 1, 1, "Differentiated Services Field: 0x%02x",
		      pk->ip_tos);
	ptree_int(t, n, FF_IP_DSFIELD, pk->ip_tos);
	n = ptree_add(t, 0, o + 2, 2, "Total Length: %u", pk->ip_total);
	ptree_int(t, n, FF_IP_LEN, pk->ip_total);
	n = ptree_add(t, 0, o + 4, 2, "Identification: 0x%04x (%u)",
		      pk->ip_id, pk->ip_id);
	ptree_int(t, n, FF_IP_ID, pk->ip_id);
	ptree_add(t, 0, o + 6, 2, "Flags: 0x%x%s%s", pk->ip_frag >> 13,
		  (pk->ip_frag & 0x4000) ? ", Don't fragment" : "",
		  (pk->ip_frag & 0x2000) ? ", More fragments" : "");
	n = ptree_hidden(t, 0, o + 6, 1);
	ptree_int(t, n, FF_IP_FLAGS_DF, !!(pk->ip_frag & 0x4000));
	n = ptree_hidden(t, 0, o + 6, 1);
	ptree_int(t, n, FF_IP_FLAGS_MF, !!(pk->ip_frag & 0x2000));
	n = ptree_add(t, 0, o + 6, 2, "Fragment Offset: %u",
		      (pk->ip_frag & 0x1fff) * 8u);
	ptree_int(t, n, FF_IP_FRAG_OFFSET, (pk->ip_frag & 0x1fff) * 8u);
	n = ptree_add(t, 0, o + 8, 1, "Time to Live: %u", pk->ip_ttl);
	ptree_int(t, n, FF_IP_TTL, pk->ip_ttl);
	n = ptree_add(t, 0, o + 9, 1, "Protocol: %s (%u)",
		      pk->ip_proto == 6 ? "TCP" : pk->ip_proto == 17 ? "UDP" :
		      "Unknown", pk->ip_proto);
	ptree_int(t, n, FF_IP_PROTO, pk->ip_proto);
	n = ptree_add(t, 0, o + 10, 2, "Header Checksum: 0x%04x [validation "
		      "disabled]", pk->ip_sum);
	ptree_int(t, n, FF_IP_CHECKSUM, pk->ip_sum);
}

static void
tree_ipv6(struct ptree *t, const struct pkt *pk)
{
	size_t o = pk->ip_off;
	long n;

	ptree_add(t, 0, o, 1, "0110 .... = Version: 6");
	ptree_add(t, 0, o, 2, "Traffic Class: 0x%02x", pk->ip_tos);
	n = ptree_add(t, 0, o + 1, 3, "Flow Label: 0x%05x", pk->ip6_flow);
	ptree_int(t, n, FF_IPV6_FLOW, pk->ip6_flow);
	n = ptree_add(t, 0, o + 4, 2, "Payload Length: %u", pk->ip_total - 40);
	ptree_int(t, n, FF_IPV6_PLEN, pk->ip_total - 40);
	n = ptree_add(t, 0, o + 6, 1, "Next Header: %s (%u)",
		      pk->ip_proto == 6 ? "TCP" : pk->ip_proto == 17 ? "UDP" :
		      "Unknown", pk->ip_proto);
	ptree_int(t, n, FF_IPV6_NXT, pk->ip_proto);
	n = ptree_add(t, 0, o + 7, 1, "Hop Limit: %u", pk->ip_ttl);
	ptree_int(t, n, FF_IPV6_HLIM, pk->ip_ttl);
	if (pk->ip_hlen > 40)
		ptree_add(t, 0, o + 40, pk->ip_hlen - 40u,
			  "[Extension headers: %u bytes]", pk->ip_hlen - 40u);
}

static void
tree_ip(struct ptree *t, const struct pkt *pk, bool x)
{
	bool v6 = pk->ipver == 6;
	size_t o = pk->ip_off, alen = v6 ? 16 : 4;
	size_t sa = o + (v6 ? 8 : 12), hl = pk->ip_hlen;
	char s[64], d[64];
	long n;

	/* a header cut short: its nodes cover what was captured */
	if (o + hl > pk->caplen)
		hl = pk->caplen > o ? pk->caplen - o : 0;
	pkt_addr_str(pk, pk->src, s, sizeof(s));
	pkt_addr_str(pk, pk->dst, d, sizeof(d));
	t->depth = 0;
	n = ptree_add(t, 0, o, hl, "Internet Protocol Version %d, Src: %s, "
		      "Dst: %s", pk->ipver, s, d);
	ptree_proto(t, n, v6 ? FF_IPV6 : FF_IP);
	layer(t, n, x);
	if (v6)
		tree_ipv6(t, pk);
	else
		tree_ipv4(t, pk);
	n = ptree_add(t, 0, sa, alen, "Source Address: %s", s);
	ptree_addr(t, n, v6 ? FF_IPV6_SRC : FF_IP_SRC, pk->src, (int)alen);
	n = ptree_add(t, 0, sa + alen, alen, "Destination Address: %s", d);
	ptree_addr(t, n, v6 ? FF_IPV6_DST : FF_IP_DST, pk->dst, (int)alen);
	tree_frag(t, pk);
}

static void
tree_tcp(struct ptree *t, const struct frame_view *fv, bool x)
{
	const struct pkt *pk = fv->pk;
	const struct reasm_info *ri = fv->ri;
	size_t o = pk->tcp_off;
	struct buf l = BUF_INIT;
	long n;

	t->depth = 0;
	buf_printf(&l, "Transmission Control Protocol, Src Port: %u, Dst "
		   "Port: %u, Seq: %u", pk->sport, pk->dport, ri->rel_seq);
	if (pk->flags & TCP_ACK)
		buf_printf(&l, ", Ack: %u", ri->rel_ack);
	buf_printf(&l, ", Len: %u", pk->payload_wire);
	n = add_buf(t, 0, o, pk->tcp_hlen, &l);
	ptree_proto(t, n, FF_TCP);
	layer(t, n, x);
	buf_free(&l);
	print_tcp_tree(t, fv);
}

static void
tree_udp(struct ptree *t, const struct pkt *pk, bool x)
{
	size_t o = pk->tcp_off;
	long n;

	t->depth = 0;
	n = ptree_add(t, 0, o, 8, "User Datagram Protocol, Src Port: %u, Dst "
		      "Port: %u", pk->sport, pk->dport);
	ptree_proto(t, n, FF_UDP);
	layer(t, n, x);
	n = ptree_add(t, 0, o, 2, "Source Port: %u", pk->sport);
	ptree_int(t, n, FF_UDP_SRCPORT, pk->sport);
	n = ptree_add(t, 0, o + 2, 2, "Destination Port: %u", pk->dport);
	ptree_int(t, n, FF_UDP_DSTPORT, pk->dport);
	n = ptree_add(t, 0, o + 4, 2, "Length: %u", pk->payload_wire + 8);
	ptree_int(t, n, FF_UDP_LENGTH, pk->payload_wire + 8);
	if (pk->payload_len)
		ptree_add(t, 0, pk->payload_off, pk->payload_len,
			  "UDP payload (%u bytes)", pk->payload_len);
	if (pk->sport == DNS_PORT || pk->dport == DNS_PORT)
		dns_tree(t, pk->data + pk->payload_off, pk->payload_len,
			 pk->payload_off, x);
}

void
print_tree_add(struct ptree *t, const struct frame_view *fv, unsigned expand)
{
	const struct pkt *pk = fv->pk;

	ptree_reset(t, pk->data, pk->caplen);
	tree_frame(t, fv, expand & EXPAND_FRAME);
	tree_link(t, pk, expand & EXPAND_LINK);
	if (pk->ipver && !(pk->trunc == LAYER_IP && pk->ip_hlen == 0))
		tree_ip(t, pk, expand & EXPAND_IP);
	if (pk->tcp) {
		tree_tcp(t, fv, expand & EXPAND_TCP);
		print_tcp_pdus(t, fv, expand & EXPAND_TCP);
	}
	else if (pk->udp)
		tree_udp(t, pk, expand & EXPAND_TCP);
	t->depth = 0;
	if (pk->trunc)
		ptree_add(t, -1, 0, 0, "[Packet size limited during capture: "
			  "%s truncated]", pk->trunc == LAYER_TCP ? "TCP" :
			  pk->trunc == LAYER_IP ? "IP" : "link layer");
	if (pk->invalid)
		ptree_add(t, -1, 0, 0, "[Malformed packet: %s (invalid)]",
			  pk->invalid);
	if (fv->http)
		ptree_append(t, fv->http);
}

void
print_tree_fields(struct ptree *t, const struct frame_view *fv,
		  unsigned layers)
{
	const struct pkt *pk = fv->pk;

	ptree_reset(t, pk->data, pk->caplen);
	t->nolabels = true;
	if (layers & FILTER_L_FRAME)
		tree_frame(t, fv, true);
	if (layers & FILTER_L_LINK)
		tree_link(t, pk, true);
	if ((layers & FILTER_L_IP) && pk->ipver &&
	    !(pk->trunc == LAYER_IP && pk->ip_hlen == 0))
		tree_ip(t, pk, true);
	if (!(layers & FILTER_L_TRANSPORT))
		return;
	if (pk->tcp) {
		tree_tcp(t, fv, true);
		print_tcp_pdus(t, fv, true);
	} else if (pk->udp) {
		tree_udp(t, pk, true);
	}
}

void
print_tree(struct buf *out, const struct frame_view *fv, unsigned expand)
{
	struct ptree t;

	memset(&t, 0, sizeof(t));
	print_tree_add(&t, fv, expand);
	ptree_print(&t, out);
	buf_puts(out, "\n");
	ptree_free(&t);
}
