/*
 * loop.c - the BSD/macOS loopback headers and raw IP.
 *
 * DLT_NULL: a 4-byte address family in the capturing host's byte order;
 * DLT_LOOP: the same in network order.  AF_INET is 2 everywhere, AF_INET6
 * differs by OS: 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS) and 10
 * (Linux); all are accepted.  Raw IP has no header: the version nibble
 * says which IP it is.
 */
#include "pkt.h"

static int
loop_family(struct pkt *pk, uint32_t af)
{
	pk->af = af;
	pk->link_len = 4;
	switch (af) {
	case 2:
		return ETHERTYPE_IPV4;
	case 10: case 24: case 28: case 30:
		return ETHERTYPE_IPV6;
	default:
		pkt_invalid(pk, LAYER_LINK, "unknown address family");
		return -1;
	}
}

int
null_decode(struct pkt *pk, struct cursor *c)
{
	uint32_t af;

	pk->link = LINK_NULL;
	af = get_le32(c);
	if (c->err) {
		pkt_trunc(pk, LAYER_LINK);
		return -1;
	}
	/* written by a big-endian host: the family sits in the top bytes */
	if (af & 0xffff0000u)
		af = (af >> 24) | ((af >> 8) & 0xff00u);
	return loop_family(pk, af);
}

int
loop_decode(struct pkt *pk, struct cursor *c)
{
	uint32_t af;

	pk->link = LINK_LOOP;
	af = get_be32(c);
	if (c->err) {
		pkt_trunc(pk, LAYER_LINK);
		return -1;
	}
	return loop_family(pk, af);
}

int
raw_decode(struct pkt *pk, struct cursor *c)
{
	pk->link = LINK_RAW;
	pk->link_len = 0;
	if (!cur_need(c, 1)) {
		pkt_trunc(pk, LAYER_LINK);
		return -1;
	}
	switch (c->p[0] >> 4) {
	case 4:
		return ETHERTYPE_IPV4;
	case 6:
		return ETHERTYPE_IPV6;
	default:
		pkt_invalid(pk, LAYER_LINK, "not an IP packet");
		return -1;
	}
}
