/*
 * zstat.c - tshark's -z conv and endpoints tables (see zstat.h).  A
 * frame's conversation is looked for among the 64 newest first (where
 * nearly every frame of a capture belongs), then among the rest.  The
 * column widths are tshark 4.0's (ui/cli/tap-iousers.c), checked by
 * tests/e2e/test_sniff_z.py against tshark on the golden captures.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zstat.h"

#define RULE "================================================================================\n"

int
zstat_add(struct zstat *z, const char *arg, char *err, size_t errlen)
{
	static const struct { const char *name; enum zstat_kind k; } tab[] = {
		{ "conv,tcp", ZS_CONV_TCP }, { "conv,udp", ZS_CONV_UDP },
		{ "endpoints,ip", ZS_EP_IP }, { "endpoints,ipv6", ZS_EP_IPV6 },
		{ "http,tree", ZS_HTTP_TREE },
		{ "http_req,tree", ZS_HTTP_REQ_TREE },
		{ "http_srv,tree", ZS_HTTP_SRV_TREE },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(arg, tab[i].name) != 0)
			continue;
		if (z->n == ZSTAT_MAX) {
			snprintf(err, errlen, "at most %d -z statistics",
				 ZSTAT_MAX);
			return -1;
		}
		z->kind[z->n++] = tab[i].k;
		return 0;
	}
	snprintf(err, errlen, "unknown statistic for -z (want conv,tcp, "
		 "conv,udp, endpoints,ip, endpoints,ipv6, http,tree, "
		 "http_req,tree or http_srv,tree)");
	return -1;
}

static bool
wants(const struct zstat *z, enum zstat_kind k)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->kind[i] == k)
			return true;
	return false;
}

/* Room for one more element in a growing array; false: out of memory. */
static bool
grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *nv;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 64;
	nv = realloc(*v, c * size);
	if (!nv)
		return false;
	*v = nv;
	*cap = c;
	return true;
}

static int
conv_dir(const struct zconv *c, const struct pkt *pk, int alen,
	 uint32_t stream)
{
	/* a port reused after a close is a new conversation, as tshark */
	if (c->ipver != pk->ipver || c->udp != pk->udp || c->stream != stream)
		return -1;
	if (c->pa == pk->sport && c->pb == pk->dport &&
	    !memcmp(c->a, pk->src, alen) && !memcmp(c->b, pk->dst, alen))
		return 0;
	if (c->pb == pk->sport && c->pa == pk->dport &&
	    !memcmp(c->b, pk->src, alen) && !memcmp(c->a, pk->dst, alen))
		return 1;
	return -1;
}

/* The frame's conversation, made when new; dir: 0 a to b, 1 b to a. */
static struct zconv *
conv_find(struct zstat *z, const struct pkt *pk, uint32_t stream, int *dir)
{
	int alen = pkt_addr_len(pk);
	struct zconv *c;
	size_t i;

	for (i = z->nconv; i-- > 0 && z->nconv - i <= 64;)
		if ((*dir = conv_dir(&z->conv[i], pk, alen, stream)) >= 0)
			return &z->conv[i];
	for (i = z->nconv > 64 ? z->nconv - 64 : 0; i-- > 0;)
		if ((*dir = conv_dir(&z->conv[i], pk, alen, stream)) >= 0)
			return &z->conv[i];
	if (!grow((void **)&z->conv, &z->capconv, z->nconv, sizeof(*z->conv))) {
		z->oom = true;
		return NULL;
	}
	c = &z->conv[z->nconv];
	memset(c, 0, sizeof(*c));
	c->ipver = pk->ipver;
	c->udp = pk->udp;
	memcpy(c->a, pk->src, alen);
	memcpy(c->b, pk->dst, alen);
	c->pa = pk->sport;
	c->pb = pk->dport;
	c->stream = stream;
	c->order = z->nconv++;
	*dir = 0;
	return c;
}

static struct zep *
ep_find(struct zstat *z, const struct pkt *pk, const uint8_t *addr)
{
	int alen = pkt_addr_len(pk);
	struct zep *e;
	size_t i;

	for (i = 0; i < z->nep; i++)
		if (z->ep[i].ipver == pk->ipver &&
		    !memcmp(z->ep[i].addr, addr, alen))
			return &z->ep[i];
	if (!grow((void **)&z->ep, &z->capep, z->nep, sizeof(*z->ep))) {
		z->oom = true;
		return NULL;
	}
	e = &z->ep[z->nep];
	memset(e, 0, sizeof(*e));
	e->ipver = pk->ipver;
	memcpy(e->addr, addr, alen);
	e->order = z->nep++;
	return e;
}

void
zstat_frame(struct zstat *z, const struct pkt *pk, int64_t ns, uint32_t len,
	    uint32_t stream)
{
	struct zconv *c;
	struct zep *e;
	int dir;

	if (!z->started) {
		z->started = true;
		z->first_ns = ns;
	}
	if (pk->ipver != 4 && pk->ipver != 6)
		return;
	/* as tshark: an IPv6 fragment that completes nothing is not counted
	 * (its IPv6 tap runs only on the whole datagram; IPv4's runs on each) */
	if (pk->ipver == 6 && pk->ip_fragment)
		return;
	if (wants(z, pk->ipver == 4 ? ZS_EP_IP : ZS_EP_IPV6)) {
		if ((e = ep_find(z, pk, pk->src))) {
			e->frames[0]++;
			e->bytes[0] += len;
		}
		if ((e = ep_find(z, pk, pk->dst))) {
			e->frames[1]++;
			e->bytes[1] += len;
		}
	}
	if (!(pk->tcp && (z->conns || wants(z, ZS_CONV_TCP))) &&
	    !(pk->udp && wants(z, ZS_CONV_UDP)))
		return;
	if (!(c = conv_find(z, pk, pk->tcp ? stream : ZSTAT_NO_STREAM, &dir)))
		return;
	if (!c->frames[0] && !c->frames[1])
		c->first_ns = ns;
	c->last_ns = ns;
	c->frames[dir]++;
	c->bytes[dir] += len;
	if (!pk->tcp)
		return;
	c->data[dir] += pk->payload_wire;
	c->syn[dir] |= (pk->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	c->fin[dir] |= (pk->flags & TCP_FIN) != 0;
	c->rst[dir] |= (pk->flags & TCP_RST) != 0;
}

void
zstat_request(struct zstat *z, uint32_t stream)
{
	for (size_t i = z->nconv; i-- > 0;)
		if (!z->conv[i].udp && z->conv[i].stream == stream) {
			z->conv[i].requests++;
			return;
		}
}

/* tshark's format_size(): SI units once a figure reaches 10 of them. */
static void
size_str(char *out, size_t n, uint64_t v)
{
	static const char *unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	int u = 0;

	while (u < 4 && v / 1000 >= 10) {
		v /= 1000;
		u++;
	}
	snprintf(out, n, "%llu %s", (unsigned long long)v, unit[u]);
}

static void
addr_str(char *out, size_t n, int ipver, const uint8_t *addr)
{
	if (!inet_ntop(ipver == 6 ? AF_INET6 : AF_INET, addr, out, n))
		snprintf(out, n, "?");
}

/* Rows by total frames, most first; ties in order of appearance. */
static int
cmp_rows(uint64_t fa, size_t oa, uint64_t fb, size_t ob)
{
	if (fa != fb)
		return fa > fb ? -1 : 1;
	return oa < ob ? -1 : oa > ob;
}

static int
cmp_conv(const void *x, const void *y)
{
	const struct zconv *a = *(struct zconv *const *)x;
	const struct zconv *b = *(struct zconv *const *)y;

	return cmp_rows(a->frames[0] + a->frames[1], a->order,
			b->frames[0] + b->frames[1], b->order);
}

static int
cmp_ep(const void *x, const void *y)
{
	const struct zep *a = *(struct zep *const *)x;
	const struct zep *b = *(struct zep *const *)y;

	return cmp_rows(a->frames[0] + a->frames[1], a->order,
			b->frames[0] + b->frames[1], b->order);
}

/* Pointers to n elements of size bytes at v, sorted by cmp. */
static const void **
sorted(const void *v, size_t n, size_t size,
       int (*cmp)(const void *, const void *))
{
	const void **p = malloc((n ? n : 1) * sizeof(*p));

	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = (const char *)v + i * size;
	qsort(p, n, sizeof(*p), cmp);
	return p;
}

static void
conv_row(const struct zstat *z, const struct zconv *c, struct buf *out)
{
	char a[INET6_ADDRSTRLEN + 8], b[INET6_ADDRSTRLEN + 8], ip[INET6_ADDRSTRLEN];
	char s0[32], s1[32], st[32];
	/* tshark takes the duration between the relative times as doubles
	 * (0.02112 - 0.01207 shows as 0.0090, not 0.0091) */
	double start = (double)(c->first_ns - z->first_ns) / 1e9;
	double stop = (double)(c->last_ns - z->first_ns) / 1e9;

	addr_str(ip, sizeof(ip), c->ipver, c->a);
	snprintf(a, sizeof(a), "%s:%u", ip, c->pa);
	addr_str(ip, sizeof(ip), c->ipver, c->b);
	snprintf(b, sizeof(b), "%s:%u", ip, c->pb);
	size_str(s0, sizeof(s0), c->bytes[0]);
	size_str(s1, sizeof(s1), c->bytes[1]);
	size_str(st, sizeof(st), c->bytes[0] + c->bytes[1]);
	buf_printf(out, "%-26s <-> %-26s  %6llu %-9s  %6llu %-9s  %6llu %-9s  "
		   "%14.9f   %12.4f\n", a, b,
		   (unsigned long long)c->frames[1], s1,
		   (unsigned long long)c->frames[0], s0,
		   (unsigned long long)(c->frames[0] + c->frames[1]), st,
		   start, stop - start);
}

static int
print_conv(const struct zstat *z, bool udp, struct buf *out)
{
	const void **p = sorted(z->conv, z->nconv, sizeof(*z->conv), cmp_conv);

	if (!p)
		return -1;
	buf_printf(out, RULE "%s Conversations\nFilter:<No Filter>\n"
		   "%59s|       <-      | |       ->      | |     Total     |"
		   "    Relative    |   Duration   |\n"
		   "%59s| Frames  Bytes | | Frames  Bytes | | Frames  Bytes |"
		   "      Start     |              |\n", udp ? "UDP" : "TCP",
		   "", "");
	for (size_t i = 0; i < z->nconv; i++)
		if (((const struct zconv *)p[i])->udp == udp &&
		    (udp || wants(z, ZS_CONV_TCP)))
			conv_row(z, p[i], out);
	buf_puts(out, RULE);
	free(p);
	return 0;
}

static int
print_ep(const struct zstat *z, int ipver, struct buf *out)
{
	const void **p = sorted(z->ep, z->nep, sizeof(*z->ep), cmp_ep);
	char ip[INET6_ADDRSTRLEN];

	if (!p)
		return -1;
	buf_printf(out, RULE "%s Endpoints\nFilter:<No Filter>\n"
		   "                       |  Packets  | |  Bytes  | | Tx Packets |"
		   " | Tx Bytes | | Rx Packets | | Rx Bytes |\n",
		   ipver == 6 ? "IPv6" : "IPv4");
	for (size_t i = 0; i < z->nep; i++) {
		const struct zep *e = p[i];

		if (e->ipver != ipver)
			continue;
		addr_str(ip, sizeof(ip), e->ipver, e->addr);
		buf_printf(out, "%-20s%12llu%14llu%11llu%16llu%12llu%16llu   \n",
			   ip, (unsigned long long)(e->frames[0] + e->frames[1]),
			   (unsigned long long)(e->bytes[0] + e->bytes[1]),
			   (unsigned long long)e->frames[0],
			   (unsigned long long)e->bytes[0],
			   (unsigned long long)e->frames[1],
			   (unsigned long long)e->bytes[1]);
	}
	buf_puts(out, RULE);
	free(p);
	return 0;
}

/* An HTTP stats tree; a bare one when no message came */
static int
print_tree(const struct zstat *z, unsigned k, struct buf *out)
{
	struct zst e;
	int r;

	if (z->tree[k].root)
		return zst_print(&z->tree[k], out);
	r = zst_init(&e, (enum zst_kind)k);
	r |= zst_print(&e, out);
	zst_free(&e);
	return r;
}

int
zstat_print(const struct zstat *z, struct buf *out)
{
	int r = z->oom ? -1 : 0;

	/* tshark prints the last -z first */
	for (size_t i = z->n; i-- > 0;) {
		switch (z->kind[i]) {
		case ZS_CONV_TCP: r |= print_conv(z, false, out); break;
		case ZS_CONV_UDP: r |= print_conv(z, true, out); break;
		case ZS_EP_IP: r |= print_ep(z, 4, out); break;
		case ZS_EP_IPV6: r |= print_ep(z, 6, out); break;
		case ZS_HTTP_TREE:
		case ZS_HTTP_REQ_TREE:
		case ZS_HTTP_SRV_TREE:
			r |= print_tree(z, z->kind[i] - ZS_HTTP_TREE, out);
			break;
		}
	}
	return r;
}

void
zstat_http(struct zstat *z, const struct zst_msg *m)
{
	unsigned done = 0;	/* a tree asked for twice counts once */

	for (size_t i = 0; i < z->n; i++) {
		unsigned k = (unsigned)(z->kind[i] - ZS_HTTP_TREE);
		struct zst *t;

		if (z->kind[i] < ZS_HTTP_TREE || (done & (1u << k)))
			continue;
		done |= 1u << k;
		t = &z->tree[k];
		if (!t->root && zst_init(t, (enum zst_kind)k) < 0)
			z->oom = true;
		zst_message(t, m);
	}
}

void
zstat_free(struct zstat *z)
{
	for (size_t i = 0; i < 3; i++)
		zst_free(&z->tree[i]);
	free(z->conv);
	free(z->ep);
	z->conv = NULL;
	z->ep = NULL;
	z->nconv = z->nep = z->capconv = z->capep = 0;
}

/* How a connection ended, seen from its client (side c). */
static const char *
conn_end(const struct zconv *k, int c)
{
	if (k->rst[c] || k->rst[!c])
		return k->rst[c] ? "RST by client" : "RST by server";
	if (k->fin[c] && k->fin[!c])
		return "FIN";
	if (k->fin[c] || k->fin[!c])
		return k->fin[c] ? "FIN by client only" : "FIN by server only";
	return "open";
}

static void
conn_row(const struct zconv *k, struct buf *out)
{
	/* the client sent the SYN; with none seen, the first frame */
	int c = k->syn[1] && !k->syn[0];
	const uint8_t *ca = c ? k->b : k->a, *sa = c ? k->a : k->b;
	char ip[INET6_ADDRSTRLEN], cl[INET6_ADDRSTRLEN + 8], sv[INET6_ADDRSTRLEN + 8];
	int alen = k->ipver == 6 ? 16 : 4;

	addr_str(ip, sizeof(ip), k->ipver, sa);
	snprintf(sv, sizeof(sv), k->ipver == 6 ? "[%s]:%u" : "%s:%u", ip,
		 c ? k->pa : k->pb);
	addr_str(ip, sizeof(ip), k->ipver, ca);
	/* on one host (loopback) the client is its port */
	if (!memcmp(ca, sa, alen))
		snprintf(cl, sizeof(cl), ":%u", c ? k->pb : k->pa);
	else
		snprintf(cl, sizeof(cl), k->ipver == 6 ? "[%s]:%u" : "%s:%u",
			 ip, c ? k->pb : k->pa);
	buf_printf(out, "  %6u  %-22s %-22s %4u %11llu %11llu %10.6f  %s\n",
		   k->stream, cl, sv, k->requests,
		   (unsigned long long)k->data[c],
		   (unsigned long long)k->data[!c],
		   (double)(k->last_ns - k->first_ns) / 1e9, conn_end(k, c));
}

int
zstat_print_conns(const struct zstat *z, struct buf *out)
{
	size_t n = 0;

	buf_puts(out, "\nTCP connections (bytes: TCP payload; duration: s)\n");
	buf_printf(out, "  %6s  %-22s %-22s %4s %11s %11s %10s  %s\n", "Stream",
		   "Client", "Server", "Reqs", "Bytes C>S", "Bytes S>C",
		   "Duration", "Ended");
	for (size_t i = 0; i < z->nconv; i++)
		if (!z->conv[i].udp && z->conv[i].stream != ZSTAT_NO_STREAM) {
			conn_row(&z->conv[i], out);
			n++;
		}
	if (!n)
		buf_puts(out, "  (none)\n");
	buf_puts(out, "==================================================="
		 "================\n");
	return z->oom ? -1 : 0;
}
