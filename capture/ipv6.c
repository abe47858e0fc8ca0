/*
 * ipv6.c - the IPv6 header (RFC 8200 §3) and its extension headers.
 *
 *   +-------+---------------+---------------------------------------+
 *   |Version| Traffic Class |              Flow Label               |
 *   +-------+---------------+-------+---------------+---------------+
 *   |        Payload Length         |  Next Header  |   Hop Limit   |
 *   +-------------------------------+---------------+---------------+
 *   |           Source Address (16), Destination Address (16)       |
 *   +---------------------------------------------------------------+
 *
 * Hop-by-hop, routing, destination options and AH headers are skipped to
 * reach the upper layer; a fragment header (RFC 8200 §4.5) marks the
 * packet a fragment (offset, M, id) unless it is an atomic one (offset 0,
 * no more: RFC 6946, decoded as a whole packet).
 *
 *   +---------------+---------------+-------------------------+---+-+
 *   |  Next Header  |   Reserved    |     Fragment Offset     |Res|M|
 *   +---------------+---------------+-------------------------+---+-+
 *   |                        Identification                         |
 *   +---------------------------------------------------------------+
 */
#include "pkt.h"

/* Skip one extension header; returns its Next Header, or -1. */
static int
ipv6_skip_ext(struct pkt *pk, struct cursor *c, int type)
{
	uint8_t next = get_u8(c);
	uint8_t len = get_u8(c);
	uint16_t frag;
	uint32_t id;

	switch (type) {
	case 44:		/* fragment: fixed 8 bytes */
		frag = get_be16(c);
		id = get_be32(c);
		if ((frag & 0xfff9) != 0 && !c->err) {
			pk->ip_fragment = true;
			pk->frag_off = frag & 0xfff8u;
			pk->frag_more = frag & 1;
			pk->frag_id = id;
		}
		break;
	case 51:		/* AH: length in 4-byte units, minus 2 */
		cur_skip(c, (len + 2u) * 4u - 2u);
		break;
	default:		/* length in 8-byte units, not counting the first */
		cur_skip(c, (len + 1u) * 8u - 2u);
		break;
	}
	return c->err ? -1 : next;
}

void
ipv6_decode(struct pkt *pk, struct cursor *c)
{
	const uint8_t *start = c->p;
	uint32_t vtf;
	uint16_t plen;
	int next;

	pk->ipver = 6;
	pk->ip_off = (uint16_t)(c->p - pk->data);
	vtf = get_be32(c);
	plen = get_be16(c);
	next = get_u8(c);
	pk->ip_ttl = get_u8(c);
	get_bytes(c, pk->src, 16);
	get_bytes(c, pk->dst, 16);
	if (c->err) {
		pkt_trunc(pk, LAYER_IP);
		return;
	}
	if ((vtf >> 28) != 6) {
		pkt_invalid(pk, LAYER_IP, "bad IPv6 version");
		return;
	}
	pk->ip_tos = (uint8_t)(vtf >> 20);
	pk->ip6_flow = vtf & 0xfffff;
	pk->ip_total = 40u + plen;
	if (!cur_narrow(c, plen))
		pk->ip_short = true;
	next = ipv6_skip_exts(pk, c, next);
	if (next < 0) {
		pkt_trunc(pk, LAYER_IP);
		return;
	}
	pk->ip_proto = (uint8_t)next;
	pk->ip_hlen = (uint16_t)(c->p - start);
}

int
ipv6_skip_exts(struct pkt *pk, struct cursor *c, int next)
{
	while (next == 0 || next == 43 || next == 44 || next == 51 ||
	       next == 60) {
		next = ipv6_skip_ext(pk, c, next);
		if (next < 0 || pk->ip_fragment)
			break;
	}
	return next;
}
