/*
 * decode.c - the { decoder, DLT } table and the walk down the layers
 * (tcpdump's print.c in miniature).
 *
 * Adding a link type: write its decoder (returning the ethertype of what
 * it carries) and add a row below.  Nothing here allocates.
 */
#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "pkt.h"

static const struct {
	int dlt;
	int (*decode)(struct pkt *, struct cursor *);
} link_table[] = {
	{ DLT_EN10MB, ether_decode },
	{ DLT_LINUX_SLL, sll_decode },
	{ DLT_LINUX_SLL2, sll2_decode },
	{ DLT_NULL, null_decode },
	{ DLT_LOOP, loop_decode },
	{ DLT_RAW, raw_decode },
	{ 101, raw_decode },		/* LINKTYPE_RAW as stored in files */
	{ DLT_IPV4, raw_decode },
	{ DLT_IPV6, raw_decode },
};

static int (*link_find(int dlt))(struct pkt *, struct cursor *)
{
	size_t i;

	for (i = 0; i < sizeof(link_table) / sizeof(link_table[0]); i++)
		if (link_table[i].dlt == dlt)
			return link_table[i].decode;
	return NULL;
}

bool
pkt_dlt_supported(int dlt)
{
	return link_find(dlt) != NULL;
}

void
pkt_decode(struct pkt *pk, int dlt, const uint8_t *data, uint32_t caplen,
	   uint32_t len)
{
	int (*link)(struct pkt *, struct cursor *) = link_find(dlt);
	struct cursor c;
	int type;

	memset(pk, 0, sizeof(*pk));
	pk->data = data;
	pk->caplen = caplen;
	pk->len = len;
	pk->dlt = dlt;
	pk->wscale = -1;
	if (!link)
		return;
	cur_init(&c, data, caplen);
	type = link(pk, &c);
	if (type == ETHERTYPE_IPV4)
		ipv4_decode(pk, &c);
	else if (type == ETHERTYPE_IPV6)
		ipv6_decode(pk, &c);
	else
		return;
	pk->ethertype = (uint16_t)type;
	if (pk->trunc == LAYER_IP && cur_left(&c) == 0)
		return;
	if (pk->invalid || pk->ip_fragment || pk->ip_proto != 6) {
		if (pk->ip_short)
			pkt_trunc(pk, LAYER_IP);
		return;
	}
	c.err = 0;
	tcp_decode(pk, &c);
}

void
pkt_addr_str(const struct pkt *pk, const uint8_t *addr, char *out, int size)
{
	if (pk->ipver != 6 && size >= 16) {
		/* inet_ntop formats IPv4 with sprintf: slow on big files */
		int i, o = 0;

		for (i = 0; i < 4; i++) {
			unsigned v = addr[i];

			if (v >= 100)
				out[o++] = (char)('0' + v / 100);
			if (v >= 10)
				out[o++] = (char)('0' + v / 10 % 10);
			out[o++] = (char)('0' + v % 10);
			out[o++] = i < 3 ? '.' : '\0';
		}
		return;
	}
	if (!inet_ntop(pk->ipver == 6 ? AF_INET6 : AF_INET, addr, out,
		       (socklen_t)size))
		snprintf(out, (size_t)size, "?");
}
