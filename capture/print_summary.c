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

#include "print.h"

static void
fmt_secs(char *t, size_t size, int64_t ns, int decimals)
{
	int64_t div = 1;
	int i;

	for (i = decimals; i < 9; i++)
		div *= 10;
	snprintf(t, size, "%s%" PRId64 ".%0*" PRId64, ns < 0 ? "-" : "",
		 (ns < 0 ? -ns : ns) / 1000000000, decimals,
		 ((ns < 0 ? -ns : ns) % 1000000000) / div);
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

const char *
print_protocol(const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;

	if (fv->http_info)
		return "HTTP";
	if (pk->tcp)
		return "TCP";
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

	buf_puts(out, "[");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit)
			buf_printf(out, "%s%s", n++ ? ", " : "", names[i].name);
	if (!n)
		buf_puts(out, "<None>");
	buf_puts(out, "]");
}

static void
tcp_info(struct buf *out, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;
	const struct reasm_info *ri = fv->ri;

	if (ri->retrans && pk->payload_wire)
		buf_puts(out, "[TCP Retransmission] ");
	else if (ri->ooo)
		buf_puts(out, "[TCP Previous segment not captured] ");
	else if (ri->filled)
		buf_puts(out, "[TCP Out-Of-Order] ");
	buf_printf(out, "%u → %u ", pk->sport, pk->dport);
	tcp_flags(out, pk->flags);
	buf_printf(out, " Seq=%u", ri->rel_seq);
	if (pk->flags & TCP_ACK)
		buf_printf(out, " Ack=%u", ri->rel_ack);
	buf_printf(out, " Win=%u Len=%u", ri->win, pk->payload_wire);
	if (pk->mss)
		buf_printf(out, " MSS=%u", pk->mss);
	if (pk->sack_perm)
		buf_puts(out, " SACK_PERM");
	if (pk->has_ts)
		buf_printf(out, " TSval=%u TSecr=%u", pk->tsval, pk->tsecr);
	if (pk->wscale >= 0)
		buf_printf(out, " WS=%u", 1u << (pk->wscale > 14 ? 14 : pk->wscale));
	if (fv->pdu && pk->payload_wire)
		buf_puts(out, " [TCP segment of a reassembled PDU]");
}

void
print_info(struct buf *out, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;

	if (fv->http_info)
		buf_puts(out, fv->http_info);
	else if (pk->tcp && fv->ri->flow)
		tcp_info(out, fv);
	else if (pk->ipver && pk->ip_fragment)
		buf_puts(out, "Fragmented IP protocol");
	else if (pk->ipver)
		buf_printf(out, "IP protocol %u", pk->ip_proto);
	else if (pk->link == LINK_UNKNOWN)
		buf_printf(out, "Unsupported link type %d", pk->dlt);
	else
		buf_printf(out, "Ethertype 0x%04x", pk->ethertype);
	if (pk->trunc)
		buf_puts(out, pk->trunc == LAYER_TCP ? " [|tcp]" :
			      pk->trunc == LAYER_IP ? " [|ip]" : " [|link]");
	if (pk->invalid)
		buf_printf(out, " (invalid: %s)", pk->invalid);
}

void
print_summary(struct buf *out, const struct frame_view *fv)
{
	char src[64], dst[64], t[48];

	print_addrs(fv->pk, src, dst, sizeof(src));
	buf_printf(out, "%5u ", fv->no);
	fmt_secs(t, sizeof(t), fv->rel_ns, 6);
	buf_printf(out, "%10s %12s → %-12s %s %u ", t, src, dst,
		   print_protocol(fv), fv->fr->len);
	print_info(out, fv);
	buf_puts(out, "\n");
}
