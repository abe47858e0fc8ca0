/*
 * print_summary.c - one line per frame in tshark's default layout:
 *
 *     4   0.000077    127.0.0.1 → 127.0.0.1    HTTP 145 GET / HTTP/1.1
 *
 * No. (width 5), Time since the first frame (width 10, 6 decimals),
 * Source (right, 12) → Destination (left, 12), Protocol, Length, Info.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "print.h"

/* Formatting without printf: the summary is the hot path on big files. */
static void
put_lit(struct buf *out, const char *s, size_t n)
{
	buf_append(out, s, n);
}
#define PUT(out, lit) put_lit((out), (lit), sizeof(lit) - 1)

static void
put_u(struct buf *out, uint32_t v)
{
	char t[12];
	int i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_append(out, t + i, sizeof(t) - (size_t)i);
}

static void put_pad(struct buf *out, size_t have, size_t width);

/* v right-aligned in width columns */
static void
put_u_width(struct buf *out, uint32_t v, size_t width)
{
	char t[12];
	int i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_pad(out, sizeof(t) - (size_t)i, width);
	buf_append(out, t + i, sizeof(t) - (size_t)i);
}

static void
put_pad(struct buf *out, size_t have, size_t width)
{
	static const char sp[] = "                                ";

	while (have < width) {
		size_t n = width - have < 32 ? width - have : 32;

		buf_append(out, sp, n);
		have += n;
	}
}

static void
fmt_secs(char *t, size_t size, int64_t ns, int decimals)
{
	uint64_t a = ns < 0 ? (uint64_t)-ns : (uint64_t)ns, sec, frac;
	uint64_t div = 1;
	char d[24];
	int i, n = 0, o = 0;

	(void)size;	/* callers pass >= 48 bytes */
	for (i = decimals; i < 9; i++)
		div *= 10;
	sec = a / 1000000000u;
	frac = (a % 1000000000u) / div;
	if (ns < 0)
		t[o++] = '-';
	do {
		d[n++] = (char)('0' + sec % 10);
		sec /= 10;
	} while (sec);
	while (n)
		t[o++] = d[--n];
	t[o++] = '.';
	for (i = decimals - 1; i >= 0; i--) {
		t[o + i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	t[o + decimals] = '\0';
}

void
print_secs(struct buf *out, int64_t ns, int decimals)
{
	char t[48];

	fmt_secs(t, sizeof(t), ns, decimals);
	buf_puts(out, t);
}

static void
mac_str(const uint8_t *a, int n, char *out, int size)
{
	int i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 4 < size; i++)
		o += snprintf(out + o, (size_t)(size - o), i ? ":%02x" : "%02x",
			      a[i]);
}

void
print_addrs(const struct pkt *pk, char *src, char *dst, int size)
{
	if (pk->ipver) {
		pkt_addr_str(pk, pk->src, src, size);
		pkt_addr_str(pk, pk->dst, dst, size);
	} else if (pk->link == LINK_ETHER && !pk->trunc) {
		mac_str(pk->l2_src, 6, src, size);
		mac_str(pk->l2_dst, 6, dst, size);
	} else {
		snprintf(src, (size_t)size, "?");
		snprintf(dst, (size_t)size, "?");
	}
}

static bool
is_dns(const struct pkt *pk)
{
	return pk->sport == DNS_PORT || pk->dport == DNS_PORT;
}

/* "53047 → 20777 Len=3", or DNS's text as tshark shows it */
static void
udp_info(struct buf *out, const struct pkt *pk)
{
	if (is_dns(pk)) {
		dns_info(out, pk->data + pk->payload_off, pk->payload_len);
		return;
	}
	put_u(out, pk->sport);
	PUT(out, " → ");
	put_u(out, pk->dport);
	PUT(out, " Len=");
	put_u(out, pk->payload_wire);
}

/*
 * The HTTP start line at the front of a payload the snaplen cut (what
 * tshark shows for such a frame), or a NULL span: "GET /a HTTP/1.1" or
 * "HTTP/1.1 200 OK", up to the line end or the cut.
 */
static struct span
cut_start_line(const struct pkt *pk)
{
	const char *p = (const char *)pk->data + pk->payload_off;
	size_t n = pk->payload_len, i = 0;

	if (!pk->payload_cut || n < 5)
		return SPAN_NULL;
	if (memcmp(p, "HTTP/", 5) != 0) {
		while (i < n && i < 20 && p[i] >= 'A' && p[i] <= 'Z')
			i++;
		if (i == 0 || i == n || p[i] != ' ')
			return SPAN_NULL;
	}
	for (i = 0; i < n && p[i] != '\r' && p[i] != '\n'; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return SPAN_NULL;
	return (struct span){ p, i };
}

const char *
print_protocol(const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;

	if (fv->app_proto && fv->http_info)
		return fv->app_proto;
	if (fv->http_info || cut_start_line(pk).p)
		return "HTTP";
	if (fv->tls_proto)
		return fv->tls_proto;
	if (pk->tcp)
		return "TCP";
	if (pk->udp)
		return is_dns(pk) ? "DNS" : "UDP";
	if (pk->ipver) {
		if (pk->ip_fragment)
			return pk->ipver == 6 ? "IPv6" : "IPv4";
		switch (pk->ip_proto) {
		case 6: return "TCP";
		case 17: return "UDP";
		case 1: return "ICMP";
		case 58: return "ICMPv6";
		}
		return pk->ipver == 6 ? "IPv6" : "IPv4";
	}
	if (pk->link == LINK_ETHER && pk->ethertype == 0x0806)
		return "ARP";
	return pk->link == LINK_UNKNOWN ? "?" : "ETH";
}

static void
tcp_flags(struct buf *out, uint16_t f)
{
	static const struct { uint16_t bit; const char *name; } names[] = {
		{ TCP_FIN, "FIN" }, { TCP_SYN, "SYN" }, { TCP_RST, "RST" },
		{ TCP_PSH, "PSH" }, { TCP_ACK, "ACK" }, { TCP_URG, "URG" },
		{ TCP_ECE, "ECE" }, { TCP_CWR, "CWR" }, { TCP_AE, "AE" },
	};
	size_t i;
	int n = 0;

	PUT(out, "[");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(f & names[i].bit))
			continue;
		if (n++)
			PUT(out, ", ");
		buf_puts(out, names[i].name);
	}
	if (!n)
		PUT(out, "<None>");
	PUT(out, "]");
}

static void
tcp_info(struct buf *out, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;
	const struct reasm_info *ri = fv->ri;

	put_u(out, pk->sport);
	PUT(out, " → ");
	put_u(out, pk->dport);
	PUT(out, " ");
	tcp_flags(out, pk->flags);
	PUT(out, " Seq=");
	put_u(out, ri->rel_seq);
	if (pk->flags & TCP_ACK) {
		PUT(out, " Ack=");
		put_u(out, ri->rel_ack);
	}
	PUT(out, " Win=");
	put_u(out, ri->win);
	PUT(out, " Len=");
	put_u(out, pk->payload_wire);
	if (pk->mss) {
		PUT(out, " MSS=");
		put_u(out, pk->mss);
	}
	if (pk->sack_perm)
		PUT(out, " SACK_PERM");
	if (pk->has_ts) {
		PUT(out, " TSval=");
		put_u(out, pk->tsval);
		PUT(out, " TSecr=");
		put_u(out, pk->tsecr);
	}
	for (unsigned i = 0; i < pk->nsack; i++) {
		/* relative to the peer's first sequence number, as Ack */
		uint32_t base = pk->ack - ri->rel_ack;

		PUT(out, " SLE=");
		put_u(out, pk->sack[i][0] - base);
		PUT(out, " SRE=");
		put_u(out, pk->sack[i][1] - base);
	}
	if (pk->wscale >= 0) {
		PUT(out, " WS=");
		put_u(out, 1u << (pk->wscale > 14 ? 14 : pk->wscale));
	}
	if (fv->pdu && pk->payload_wire && !pk->payload_cut)
		PUT(out, " [TCP segment of a reassembled PDU]");
}

/* tshark's Info of a fragment that does not complete its datagram */
static void
frag_info(struct buf *out, const struct pkt *pk)
{
	const char *name = pk->ip_proto == 6 ? "TCP" : pk->ip_proto == 17 ?
			   "UDP" : pk->ip_proto == 1 ? "ICMP" : "Unknown";

	if (pk->ipver == 6) {
		buf_printf(out, "IPv6 fragment (off=%u more=%c ident=0x%08x "
			   "nxt=%u)", pk->frag_off, pk->frag_more ? 'y' : 'n',
			   pk->frag_id, pk->ip_proto);
		return;
	}
	buf_printf(out, "Fragmented IP protocol (proto=%s %u, off=%u, "
		   "ID=%04x)", name, pk->ip_proto, pk->frag_off, pk->frag_id);
	if (pk->frag_in)
		buf_printf(out, " [Reassembled in #%u]", pk->frag_in);
}

void
print_info(struct buf *out, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;
	struct span line = fv->http_info ? SPAN_NULL : cut_start_line(pk);

	/* tshark's expert marks come first, whatever the Info says next */
	if (pk->tcp && fv->ri->flow && fv->ri->an.flags)
		tcpa_info_prefix(out, &fv->ri->an);
	if (fv->http_info)
		buf_puts(out, fv->http_info);
	else if (fv->tls_proto && fv->tls_info)
		buf_puts(out, fv->tls_info);
	else if (line.p)
		buf_append(out, line.p, line.len);
	else if (pk->tcp && fv->ri->flow)
		tcp_info(out, fv);
	else if (pk->udp)
		udp_info(out, pk);
	else if (pk->ipver && pk->ip_fragment)
		frag_info(out, pk);
	else if (pk->ipver)
		buf_printf(out, "IP protocol %u", pk->ip_proto);
	else if (pk->link == LINK_UNKNOWN)
		buf_printf(out, "Unsupported link type %d", pk->dlt);
	else
		buf_printf(out, "Ethertype 0x%04x", pk->ethertype);
	if (pk->payload_cut)	/* as tshark; [|tcp] is for cut headers */
		buf_puts(out, " [Packet size limited during capture]");
	else if (pk->trunc)
		buf_puts(out, pk->trunc == LAYER_TCP ? " [|tcp]" :
			      pk->trunc == LAYER_UDP ? " [|udp]" :
			      pk->trunc == LAYER_IP ? " [|ip]" : " [|link]");
	if (pk->invalid)
		buf_printf(out, " (invalid: %s)", pk->invalid);
}

/* -t: the time column as tshark prints it with that -t. */
static void
fmt_time(char *t, size_t size, const struct frame_view *fv)
{
	int64_t ns = fv->tfmt == TFMT_DELTA ? fv->delta_ns :
		     fv->tfmt == TFMT_DELTA_DISP ? fv->delta_disp_ns :
		     fv->tfmt == TFMT_REL_EXPLICIT ? fv->rel_ns :
		     cap_frame_ns(fv->fr);
	time_t sec = (time_t)fv->fr->sec;
	struct tm tm;
	char frac[48];
	size_t n = 0;

	if (fv->tfmt != TFMT_ABS && fv->tfmt != TFMT_ABS_DATE &&
	    fv->tfmt != TFMT_UTC && fv->tfmt != TFMT_UTC_DATE) {
		fmt_secs(t, size, ns, fv->tdec);
		return;
	}
	if (fv->tfmt == TFMT_ABS || fv->tfmt == TFMT_ABS_DATE)
		localtime_r(&sec, &tm);
	else
		gmtime_r(&sec, &tm);
	if (fv->tfmt == TFMT_ABS_DATE || fv->tfmt == TFMT_UTC_DATE)
		n = strftime(t, size, "%Y-%m-%d ", &tm);
	n += strftime(t + n, size - n, "%H:%M:%S", &tm);
	fmt_secs(frac, sizeof(frac), (int64_t)fv->fr->nsec, fv->tdec);
	snprintf(t + n, size - n, "%s", strchr(frac, '.'));
}

void
print_summary(struct buf *out, const struct frame_view *fv)
{
	char src[64], dst[64], t[48];

	size_t n;

	print_addrs(fv->pk, src, dst, sizeof(src));
	put_u_width(out, fv->no, 5);
	PUT(out, " ");
	if (fv->tfmt == TFMT_REL)
		fmt_secs(t, sizeof(t), fv->rel_ns, 6);
	else
		fmt_time(t, sizeof(t), fv);
	n = strlen(t);
	put_pad(out, n, 10);
	buf_append(out, t, n);
	PUT(out, " ");
	n = strlen(src);
	put_pad(out, n, 12);
	buf_append(out, src, n);
	PUT(out, " → ");
	n = strlen(dst);
	buf_append(out, dst, n);
	put_pad(out, n, 12);
	PUT(out, " ");
	buf_puts(out, print_protocol(fv));
	PUT(out, " ");
	put_u(out, fv->fr->len);
	PUT(out, " ");
	print_info(out, fv);
	PUT(out, "\n");
}
