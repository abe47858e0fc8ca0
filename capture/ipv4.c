/*
 * ipv4.c - the IPv4 header (RFC 791 §3.1).
 *
 *    0                   1                   2                   3
 *   +-------+-------+---------------+-------------------------------+
 *   |Version|  IHL  |      ToS      |          Total Length         |
 *   +-------+-------+---------------+-----+-------------------------+
 *   |         Identification        |Flags|     Fragment Offset     |
 *   +---------------+---------------+-----+-------------------------+
 *   |      TTL      |    Protocol   |        Header Checksum        |
 *   +---------------+---------------+-------------------------------+
 *   |                  Source, Destination Address                  |
 *   +---------------------------------------------------------------+
 *
 * The cursor is narrowed to Total Length, which also drops Ethernet
 * padding.  Fragments are marked (offset, MF, id) for decode.c, which
 * hands them to ipfrag.c when the sniffer reassembles.
 */
#include "pkt.h"

void
ipv4_decode(struct pkt *pk, struct cursor *c)
{
	const uint8_t *start = c->p;
	uint8_t vihl;
	unsigned ihl;

	pk->ipver = 4;
	pk->ip_off = (uint16_t)(c->p - pk->data);
	vihl = get_u8(c);
	pk->ip_tos = get_u8(c);
	pk->ip_total = get_be16(c);
	pk->ip_id = get_be16(c);
	pk->ip_frag = get_be16(c);
	pk->ip_ttl = get_u8(c);
	pk->ip_proto = get_u8(c);
	pk->ip_sum = get_be16(c);
	get_bytes(c, pk->src, 4);
	get_bytes(c, pk->dst, 4);
	if (c->err) {
		pkt_trunc(pk, LAYER_IP);
		return;
	}
	ihl = (vihl & 0x0f) * 4u;
	pk->ip_hlen = (uint16_t)ihl;
	if ((vihl >> 4) != 4 || ihl < 20 || pk->ip_total < ihl) {
		pkt_invalid(pk, LAYER_IP, "bad IPv4 header length");
		return;
	}
	cur_skip(c, ihl - 20);
	if (c->err) {
		pkt_trunc(pk, LAYER_IP);
		return;
	}
	/* narrow to the datagram; fewer captured bytes is a snaplen cut */
	c->p = start;
	if (!cur_narrow(c, pk->ip_total))
		pk->ip_short = true;
	c->p = start + ihl;
	if ((pk->ip_frag & 0x3fff) != 0) {
		pk->ip_fragment = true;
		pk->frag_off = (pk->ip_frag & 0x1fffu) * 8u;
		pk->frag_more = pk->ip_frag & 0x2000;
		pk->frag_id = pk->ip_id;
	}
}
