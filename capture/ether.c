/*
 * ether.c - Ethernet II (IEEE 802.3 framing as Linux lo and NICs deliver
 * it), with one 802.1Q VLAN tag skipped.
 *
 *   0        6        12     14
 *   +--------+--------+------+----------
 *   |  dst   |  src   | type | payload
 *   +--------+--------+------+----------
 */
#include "pkt.h"

int
ether_decode(struct pkt *pk, struct cursor *c)
{
	const uint8_t *start = c->p;
	uint16_t type;

	pk->link = LINK_ETHER;
	get_bytes(c, pk->l2_dst, 6);
	get_bytes(c, pk->l2_src, 6);
	type = get_be16(c);
	if (type == 0x8100 || type == 0x88a8) {
		pk->vlan = true;
		pk->vlan_id = get_be16(c) & 0x0fff;
		type = get_be16(c);
	}
	if (c->err) {
		pkt_trunc(pk, LAYER_LINK);
		return -1;
	}
	pk->link_len = (uint16_t)(c->p - start);
	return type;
}
