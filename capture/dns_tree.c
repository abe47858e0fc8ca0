/*
 * dns_tree.c - the "Domain Name System" subtree of a DNS message (RFC
 * 1035 §4.1; layout in dns.c) with Wireshark's field names: dns.id,
 * dns.flags.response, dns.flags.rcode, dns.count.*, dns.qry.name,
 * dns.qry.type, dns.a, dns.aaaa.  Bounds-checked through extract.h; a
 * message cut short stops where it was cut.
 */
#include <arpa/inet.h>

#include "dns.h"
#include "ptree.h"

/* Offset of cursor position p in the message, as a frame offset. */
#define AT(p) (base + (size_t)((p) - msg))

static void
dns_questions(struct ptree *t, struct cursor *c, const uint8_t *msg,
	      size_t n, size_t base, unsigned qd)
{
	struct buf name = BUF_INIT;
	char tmp[32];
	long k;

	ptree_add(t, -1, 0, 0, "Queries");
	ptree_push(t);
	for (unsigned i = 0; i < qd; i++) {
		const uint8_t *at = c->p;
		uint16_t type;

		buf_reset(&name);
		if (dns_read_name(c, msg, n, &name) < 0)
			break;
		type = get_be16(c);
		(void)get_be16(c);
		if (c->err)
			break;
		ptree_add(t, 0, AT(at), (size_t)(c->p - at), "%s: type %s, "
			  "class IN", name.data, dns_type_name(type, tmp,
							      sizeof tmp));
		ptree_push(t);
		k = ptree_add(t, 0, AT(at), (size_t)(c->p - at - 4), "Name: %s",
			      name.data);
		ptree_str(t, k, FF_DNS_QRY_NAME, name.data, name.len);
		k = ptree_add(t, 0, AT(c->p - 4), 2, "Type: %s (%u)",
			      dns_type_name(type, tmp, sizeof tmp), type);
		ptree_int(t, k, FF_DNS_QRY_TYPE, type);
		ptree_pop(t);
	}
	ptree_pop(t);
	buf_free(&name);
}

static void
dns_answers(struct ptree *t, struct cursor *c, const uint8_t *msg,
	    size_t n, size_t base, unsigned an)
{
	struct buf name = BUF_INIT;
	char tmp[32], a[INET6_ADDRSTRLEN];
	long k;

	ptree_add(t, -1, 0, 0, "Answers");
	ptree_push(t);
	for (unsigned i = 0; i < an; i++) {
		const uint8_t *at = c->p;
		uint16_t type, rdlen;

		buf_reset(&name);
		if (dns_read_name(c, msg, n, &name) < 0)
			break;
		type = get_be16(c);
		(void)get_be16(c);
		(void)get_be32(c);
		rdlen = get_be16(c);
		if (c->err || !cur_need(c, rdlen))
			break;
		k = ptree_add(t, 0, AT(at), (size_t)(c->p - at) + rdlen,
			      "%s: type %s, class IN", name.data,
			      dns_type_name(type, tmp, sizeof tmp));
		if ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16)) {
			inet_ntop(type == 1 ? AF_INET : AF_INET6, c->p, a,
				  sizeof a);
			ptree_push(t);
			k = ptree_add(t, 0, AT(c->p), rdlen, "Address: %s", a);
			ptree_addr(t, k, type == 1 ? FF_DNS_A : FF_DNS_AAAA,
				   c->p, rdlen);
			ptree_pop(t);
		}
		c->p += rdlen;
	}
	ptree_pop(t);
	buf_free(&name);
}

void
dns_tree(struct ptree *t, const uint8_t *msg, size_t n, size_t base,
	 bool open)
{
	struct cursor c;
	uint16_t id, flags, qd, an;
	long k;

	cur_init(&c, msg, n);
	id = get_be16(&c);
	flags = get_be16(&c);
	qd = get_be16(&c);
	an = get_be16(&c);
	(void)get_be32(&c);
	if (c.err)
		return;
	t->depth = 0;
	k = ptree_add(t, 0, base, n, "Domain Name System (%s)",
		      flags & 0x8000 ? "response" : "query");
	ptree_proto(t, k, FF_DNS);
	if (!open)
		ptree_close(t, k);
	t->depth = 1;
	ptree_int(t, ptree_add(t, 0, base, 2, "Transaction ID: 0x%04x", id),
		  FF_DNS_ID, id);
	ptree_add(t, 0, base + 2, 2, "Flags: 0x%04x", flags);
	ptree_push(t);
	k = ptree_add(t, 0, base + 2, 2, "%d... .... .... .... = Response: "
		      "Message is a %s", flags >> 15, flags & 0x8000 ?
		      "response" : "query");
	ptree_int(t, k, FF_DNS_FLAGS_RESPONSE, flags >> 15);
	if (flags & 0x8000) {
		k = ptree_add(t, 0, base + 2, 2, ".... .... .... %d%d%d%d = "
			      "Reply code: %s (%u)", flags >> 3 & 1,
			      flags >> 2 & 1, flags >> 1 & 1, flags & 1,
			      dns_rcode_name(flags & 0xf) ?
			      dns_rcode_name(flags & 0xf) : "No error",
			      flags & 0xf);
		ptree_int(t, k, FF_DNS_FLAGS_RCODE, flags & 0xf);
	}
	ptree_pop(t);
	ptree_int(t, ptree_add(t, 0, base + 4, 2, "Questions: %u", qd),
		  FF_DNS_COUNT_QUERIES, qd);
	ptree_int(t, ptree_add(t, 0, base + 6, 2, "Answer RRs: %u", an),
		  FF_DNS_COUNT_ANSWERS, an);
	if (qd)
		dns_questions(t, &c, msg, n, base, qd);
	if (an && !c.err)
		dns_answers(t, &c, msg, n, base, an);
	t->depth = 0;
}
