/*
 * dns.c - the Info text tshark shows for a DNS message (RFC 1035 §4.1):
 * "Standard query 0x1234 A example.com", "Standard query response 0x1234
 * A example.com A 93.184.216.34".  Only what the summary needs; a message
 * cut short ends with "[Malformed Packet]" after what could be read.
 *
 *   +---------------+---------------+---------------+---------------+
 *   |              ID               |QR|Opcode|AA|TC|RD|RA|Z |RCODE |
 *   |            QDCOUNT            |            ANCOUNT            |
 *   |            NSCOUNT            |            ARCOUNT            |
 *   +---------------+---------------+---------------+---------------+
 *   question: NAME TYPE CLASS;  answer: NAME TYPE CLASS TTL RDLENGTH RDATA
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "dns.h"
#include "extract.h"

const char *
dns_type_name(uint16_t t, char *tmp, size_t size)
{
	static const struct { uint16_t t; const char *n; } names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" },
		{ 12, "PTR" }, { 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" },
		{ 28, "AAAA" }, { 33, "SRV" }, { 35, "NAPTR" }, { 41, "OPT" },
		{ 43, "DS" }, { 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" },
		{ 64, "SVCB" }, { 65, "HTTPS" }, { 255, "ANY" }, { 257, "CAA" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == t)
			return names[i].n;
	snprintf(tmp, size, "Unknown (%u)", t);
	return tmp;
}

/*
 * Read the name at c (labels, compression pointers into msg) into out as
 * "a.b.c" ("<Root>" for the root); c moves past it.  -1 when malformed.
 */
int
dns_read_name(struct cursor *c, const uint8_t *msg, size_t msglen,
	      struct buf *out)
{
	struct cursor at = *c;
	int jumps = 0, labels = 0;
	bool jumped = false;
	size_t start = out->len;

	for (;;) {
		uint8_t len = get_u8(&at);

		if (at.err)
			return -1;
		if ((len & 0xc0) == 0xc0) {
			uint16_t off = (uint16_t)((len & 0x3f) << 8 | get_u8(&at));

			if (at.err || off >= msglen || ++jumps > 16)
				return -1;
			if (!jumped)
				*c = at;
			jumped = true;
			cur_init(&at, msg + off, msglen - off);
			continue;
		}
		if (len & 0xc0)
			return -1;
		if (len == 0)
			break;
		if (!cur_need(&at, len) || ++labels > 127)
			return -1;
		if (out->len > start)
			buf_puts(out, ".");
		for (; len; len--, at.p++)	/* as tshark: \ooo escapes */
			if (*at.p < 0x20 || *at.p >= 0x7f)
				buf_printf(out, "\\%03o", *at.p);
			else
				buf_append(out, at.p, 1);
	}
	if (!jumped)
		*c = at;
	if (out->len == start)
		buf_puts(out, "<Root>");
	return 0;
}

const char *
dns_rcode_name(unsigned rc)
{
	static const char *const names[] = {
		NULL, "Format error", "Server failure", "No such name",
		"Not implemented", "Refused",
	};

	return rc < sizeof(names) / sizeof(names[0]) ? names[rc] : "Error";
}

/* " A 1.2.3.4", " CNAME name", " MX 10 name", or just " TYPE" */
static int
answer(struct buf *out, struct cursor *c, const uint8_t *msg, size_t n)
{
	struct buf skip = BUF_INIT;
	char tmp[32], a[INET6_ADDRSTRLEN];
	uint16_t type, rdlen;
	struct cursor rd;
	int r = dns_read_name(c, msg, n, &skip);

	buf_free(&skip);
	if (r < 0)
		return -1;
	type = get_be16(c);
	(void)get_be16(c);
	(void)get_be32(c);
	rdlen = get_be16(c);
	if (c->err || !cur_need(c, rdlen))
		return -1;
	cur_init(&rd, c->p, rdlen);
	c->p += rdlen;
	buf_printf(out, " %s", dns_type_name(type, tmp, sizeof(tmp)));
	if ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16)) {
		inet_ntop(type == 1 ? AF_INET : AF_INET6, rd.p, a, sizeof(a));
		buf_printf(out, " %s", a);
	} else if (type == 2 || type == 5 || type == 12 || type == 15) {
		if (type == 15)
			buf_printf(out, " %u", get_be16(&rd));
		buf_puts(out, " ");
		if (rd.err || dns_read_name(&rd, msg, n, out) < 0)
			return -1;
	}
	return 0;
}

void
dns_info(struct buf *out, const uint8_t *p, size_t n)
{
	struct cursor c;
	uint16_t id, flags, qd, an, i;
	char tmp[32];

	cur_init(&c, p, n);
	id = get_be16(&c);
	flags = get_be16(&c);
	qd = get_be16(&c);
	an = get_be16(&c);
	(void)get_be32(&c);
	if (c.err) {
		buf_puts(out, "[Malformed Packet]");
		return;
	}
	switch ((flags >> 11) & 0xf) {
	case 0: buf_puts(out, "Standard query"); break;
	case 4: buf_puts(out, "Zone change notification"); break;
	case 5: buf_puts(out, "Dynamic update"); break;
	default: buf_printf(out, "Unknown operation (%u)", (flags >> 11) & 0xf);
	}
	buf_printf(out, "%s 0x%04x", (flags & 0x8000) ? " response" : "", id);
	if ((flags & 0x8000) && dns_rcode_name(flags & 0xf))
		buf_printf(out, " %s", dns_rcode_name(flags & 0xf));
	for (i = 0; i < qd; i++) {
		struct buf name = BUF_INIT;
		uint16_t type;
		int r = dns_read_name(&c, p, n, &name);

		type = get_be16(&c);
		(void)get_be16(&c);
		if (r == 0 && !c.err)
			buf_printf(out, " %s %.*s", dns_type_name(type, tmp,
				   sizeof(tmp)), (int)name.len, name.data);
		buf_free(&name);
		if (r < 0 || c.err) {
			buf_puts(out, "[Malformed Packet]");
			return;
		}
	}
	for (i = 0; i < an; i++)
		if (answer(out, &c, p, n) < 0) {
			buf_puts(out, "[Malformed Packet]");
			return;
		}
}
