/*
 * tcp.c - the TCP header and the options the summary shows
 * (RFC 9293 §3.1, RFC 7323).
 *
 *   +-------------------------------+-------------------------------+
 *   |          Source Port          |       Destination Port        |
 *   +-------------------------------+-------------------------------+
 *   |                        Sequence Number                        |
 *   |                    Acknowledgment Number                      |
 *   +-------+-------+---------------+-------------------------------+
 *   | Offset|  Rsvd |     Flags     |            Window             |
 *   +-------+-------+---------------+-------------------------------+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-------------------------------+-------------------------------+
 *   |                    Options (Offset*4 - 20)                    |
 *   +---------------------------------------------------------------+
 */
#include "pkt.h"

static void
tcp_options(struct pkt *pk, struct cursor *c)
{
	while (cur_left(c) > 0) {
		uint8_t kind = get_u8(c), len;
		struct cursor o;

		if (kind == 0)
			break;
		if (kind == 1)
			continue;
		len = get_u8(c);
		if (c->err || len < 2 || !cur_need(c, len - 2u)) {
			pkt_invalid(pk, LAYER_TCP, "bad TCP option length");
			return;
		}
		cur_init(&o, c->p, len - 2u);
		c->p += len - 2u;
		switch (kind) {
		case 2:
			pk->mss = get_be16(&o);
			break;
		case 3:
			pk->wscale = (int8_t)get_u8(&o);
			break;
		case 4:
			pk->sack_perm = true;
			break;
		case 5:
			while (cur_left(&o) >= 8 && pk->nsack < 4) {
				pk->sack[pk->nsack][0] = get_be32(&o);
				pk->sack[pk->nsack][1] = get_be32(&o);
				pk->nsack++;
			}
			break;
		case 8:
			pk->tsval = get_be32(&o);
			pk->tsecr = get_be32(&o);
			pk->has_ts = !o.err;
			break;
		}
	}
}

void
tcp_decode(struct pkt *pk, struct cursor *c)
{
	uint16_t offflags;
	struct cursor opt;
	unsigned hlen;

	pk->tcp_off = (uint16_t)(c->p - pk->data);
	pk->sport = get_be16(c);
	pk->dport = get_be16(c);
	pk->seq = get_be32(c);
	pk->ack = get_be32(c);
	offflags = get_be16(c);
	pk->win = get_be16(c);
	pk->tcp_sum = get_be16(c);
	pk->urg = get_be16(c);
	if (c->err) {
		pkt_trunc(pk, LAYER_TCP);
		return;
	}
	pk->tcp = true;
	pk->flags = offflags & 0x1ff;
	hlen = (offflags >> 12) * 4u;
	pk->tcp_hlen = (uint16_t)hlen;
	if (hlen < 20) {
		pkt_invalid(pk, LAYER_TCP, "bad TCP header length");
		pk->tcp = false;
		return;
	}
	if (!cur_need(c, hlen - 20)) {
		pkt_trunc(pk, LAYER_TCP);
		c->err = 0;
		cur_init(&opt, c->p, cur_left(c));
		c->p = c->end;
	} else {
		cur_init(&opt, c->p, hlen - 20);
		c->p += hlen - 20;
	}
	tcp_options(pk, &opt);
	pk->payload_off = (uint16_t)(c->p - pk->data);
	pk->payload_len = (uint32_t)cur_left(c);
	if (pk->ip_total >= pk->ip_hlen + hlen)
		pk->payload_wire = pk->ip_total - pk->ip_hlen - hlen;
	if (pk->payload_wire < pk->payload_len)
		pk->payload_len = pk->payload_wire;
	if (pk->payload_len < pk->payload_wire) {
		pk->payload_cut = !pk->trunc;
		pkt_trunc(pk, LAYER_TCP);
	}
}
