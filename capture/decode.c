/*
 * decode.c - the { decoder, DLT } table and the walk down the layers
 * (tcpdump's print.c in miniature).
 *
 * Adding a link type: write its decoder (returning the ethertype of what
 * it carries) and add a row below.  Nothing here allocates.
 *
 * IP fragments go to the fragment table the caller passes
 * (pkt_decode_defrag: the capture session's, never a global); the
 * fragment that completes a datagram is decoded on as if the whole
 * datagram had come in it: pk->data then points at a copy of this
 * frame's headers followed by the reassembled payload, owned by the
 * table.
 */
#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "ipfrag.h"
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

/* Longest payload a fragment's header allows (RFC 791, RFC 8200 §4.5). */
static uint32_t
frag_max_len(const struct pkt *pk)
{
	if (pk->ipver == 4)
		return 65535u - pk->ip_hlen;
	/* the unfragmentable headers count against the 65535 too */
	return pk->ip_hlen >= 48 ? 65535u - (pk->ip_hlen - 48u) : 0;
}

/*
 * Give the fragment in pk (payload at c) to the table.  When it completes
 * its datagram, point pk and c at the whole one and return true.
 */
static bool
reassemble(struct ipfrag *defrag, struct pkt *pk, struct cursor *c,
	   uint32_t frame, int64_t ns)
{
	const struct ipfrag_done *d;
	struct ipfrag_frag f;

	memset(&f, 0, sizeof(f));
	f.key.ver = pk->ipver;
	f.key.proto = pk->ipver == 4 ? pk->ip_proto : 0;
	f.key.id = pk->frag_id;
	memcpy(f.key.src, pk->src, sizeof(f.key.src));
	memcpy(f.key.dst, pk->dst, sizeof(f.key.dst));
	f.off = pk->frag_off;
	f.len = (uint32_t)cur_left(c);
	f.more = pk->frag_more;
	f.proto = pk->ip_proto;
	f.max_len = frag_max_len(pk);
	f.p = c->p;
	f.hdr = pk->data;
	f.hdr_len = (uint32_t)(c->p - pk->data);
	if (ipfrag_add(defrag, &f, frame, ns, &d) != IPFRAG_DONE) {
		pk->frag_in = ipfrag_reassembled_in(defrag, frame);
		return false;
	}
	pk->frag_done = d;
	pk->frag_in = frame;
	pk->ip_fragment = false;
	pk->ip_proto = d->proto;
	pk->data = d->frame;
	pk->caplen = d->frame_len;
	cur_init(c, d->data, d->len);
	return true;
}

/* The upper layer of a reassembled datagram: TCP, after IPv6's
 * extension headers if the payload starts with some. */
static void
decode_reassembled(struct pkt *pk, struct cursor *c)
{
	uint32_t frag_total = pk->ip_total;
	size_t hlen;
	int next = pk->ip_proto;

	if (pk->ipver == 6) {
		next = ipv6_skip_exts(pk, c, next);
		if (next < 0 || pk->ip_fragment) {
			pkt_invalid(pk, LAYER_IP, "bad reassembled IPv6 header");
			return;
		}
		pk->ip_proto = (uint8_t)next;
	}
	hlen = (size_t)(c->p - pk->data) - pk->ip_off;
	if (pk->ip_proto != 6 && pk->ip_proto != 17)
		return;
	if (hlen + pk->ip_off > 65000) {
		pkt_invalid(pk, LAYER_IP, "reassembled headers too long");
		return;
	}
	/* TCP's length comes from the whole datagram, not this fragment */
	pk->ip_hlen = (uint16_t)hlen;
	pk->ip_total = (uint32_t)(hlen + cur_left(c));
	if (pk->ip_proto == 17)
		udp_decode(pk, c);
	else
		tcp_decode(pk, c);
	pk->ip_total = frag_total;
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
	pkt_decode_defrag(pk, NULL, 0, 0, dlt, data, caplen, len);
}

void
pkt_decode_defrag(struct pkt *pk, struct ipfrag *defrag, uint32_t frame,
		  int64_t ns, int dlt, const uint8_t *data, uint32_t caplen,
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
	if (defrag && pk->ip_fragment && !pk->invalid && !pk->ip_short &&
	    !pk->trunc) {
		c.err = 0;
		if (reassemble(defrag, pk, &c, frame, ns))
			decode_reassembled(pk, &c);
		return;
	}
	if (pk->invalid || pk->ip_fragment ||
	    (pk->ip_proto != 6 && pk->ip_proto != 17)) {
		if (pk->ip_short)
			pkt_trunc(pk, LAYER_IP);
		return;
	}
	c.err = 0;
	if (pk->ip_proto == 17)
		udp_decode(pk, &c);
	else
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
