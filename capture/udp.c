/*
 * udp.c - the UDP header (RFC 768), for the summary's ports and length.
 *
 *   +-------------------------------+-------------------------------+
 *   |          Source Port          |       Destination Port        |
 *   +-------------------------------+-------------------------------+
 *   |            Length             |           Checksum            |
 *   +-------------------------------+-------------------------------+
 *
 * The payload length is the header's, bounded by the captured bytes
 * (payload_len) and by the IP length (payload_wire).
 */
#include "pkt.h"

void
udp_decode(struct pkt *pk, struct cursor *c)
{
	uint16_t len;
	uint32_t ip_room;

	pk->tcp_off = (uint16_t)(c->p - pk->data);
	pk->sport = get_be16(c);
	pk->dport = get_be16(c);
	len = get_be16(c);
	(void)get_be16(c);	/* checksum */
	if (c->err) {
		pkt_trunc(pk, LAYER_UDP);
		return;
	}
	pk->udp = true;
	if (len < 8) {
		pkt_invalid(pk, LAYER_UDP, "bad UDP length");
		pk->udp = false;
		return;
	}
	ip_room = pk->ip_total >= pk->ip_hlen + 8u ?
		  pk->ip_total - pk->ip_hlen - 8u : 0;
	pk->payload_wire = len - 8u < ip_room ? len - 8u : ip_room;
	pk->payload_off = (uint16_t)(c->p - pk->data);
	pk->payload_len = (uint32_t)cur_left(c);
	if (pk->payload_len > pk->payload_wire)
		pk->payload_len = pk->payload_wire;
	if (pk->payload_len < pk->payload_wire)
		pkt_trunc(pk, LAYER_UDP);
}
