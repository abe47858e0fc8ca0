/*
 * sll.c - Linux "cooked" capture headers, what `-i any` delivers.
 *
 * v1 (DLT_LINUX_SLL, 16 bytes):
 *   pkttype(2) hatype(2) halen(2) addr(8) protocol(2)
 * v2 (DLT_LINUX_SLL2, 20 bytes):
 *   protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8)
 */
#include "pkt.h"

static void
sll_addr(struct pkt *pk, struct cursor *c, unsigned halen)
{
	get_bytes(c, pk->l2_src, 8);
	pk->l2_src_len = (uint8_t)(halen > 8 ? 8 : halen);
}

int
sll_decode(struct pkt *pk, struct cursor *c)
{
	int proto;

	pk->link = LINK_SLL;
	pk->sll_pkttype = get_be16(c);
	pk->sll_hatype = get_be16(c);
	sll_addr(pk, c, get_be16(c));
	proto = get_be16(c);
	if (c->err) {
		pkt_trunc(pk, LAYER_LINK);
		return -1;
	}
	pk->link_len = 16;
	return proto;
}

int
sll2_decode(struct pkt *pk, struct cursor *c)
{
	int proto;

	pk->link = LINK_SLL2;
	proto = get_be16(c);
	cur_skip(c, 2);
	pk->sll_ifindex = get_be32(c);
	pk->sll_hatype = get_be16(c);
	pk->sll_pkttype = get_u8(c);
	sll_addr(pk, c, get_u8(c));
	if (c->err) {
		pkt_trunc(pk, LAYER_LINK);
		return -1;
	}
	pk->link_len = 20;
	return proto;
}
