/*
 * frame_facts.c - the display-filter fields of one frame (see
 * frame_facts.h): the packet's from the decoded layers, the HTTP ones
 * from the messages the frame completes.  One copy for `sniff -Y` and
 * the TUI's scan, so that both answer every field alike.
 */
#include <stdlib.h>
#include <string.h>

#include "frame_facts.h"
#include "http/header.h"
#include "pkt.h"
#include "print_body.h"
#include "reassembly.h"
#include "tls_tree.h"

void
frame_facts_start(struct frame_facts *ff, uint32_t no, const struct pkt *pk,
		  const struct reasm_info *ri)
{
	ff->no = no;
	ff->pk = pk;
	ff->ri = ri;
	ff->nmsgs = 0;
	ff->only = -1;
	ff->ntls = 0;
	buf_reset(&ff->arena);
}

/* A TLS tree node: keep it when -Y has a field of its name. */
static void
tls_node(void *ctx, const struct tls_node *n)
{
	struct frame_facts *ff = ctx;
	const struct filter_field_info *fi;
	struct tls_fact *t;

	if (!n->field || !(fi = filter_field_find(n->field, strlen(n->field))))
		return;
	if (ff->ntls == ff->tls_cap) {
		unsigned cap = ff->tls_cap ? ff->tls_cap * 2 : 64;

		if (cap > 4096 || !(t = realloc(ff->tls, cap * sizeof(*t))))
			return;
		ff->tls = t;
		ff->tls_cap = cap;
	}
	t = &ff->tls[ff->ntls++];
	t->field = fi->id;
	t->num = (long long)n->num;
	t->off = (uint32_t)ff->arena.len;
	t->len = 0;
	if (n->str && buf_append(&ff->arena, n->str, strlen(n->str)) == 0)
		t->len = (uint32_t)strlen(n->str);
}

void
frame_facts_add_tls(struct frame_facts *ff, const struct tls_record *r,
		    const struct tls_session *s)
{
	static const struct tls_tree_cb cb = { tls_node };

	if (!r->bad && ff->ntls == 0)
		tls_node(ff, &(struct tls_node){ .field = "tls" });
	tls_tree_record(r, s, &cb, ff);
}

static int
lookup_tls(const struct frame_facts *ff, int field, struct filter_value *out,
	   int max)
{
	unsigned i;
	int n = 0;

	for (i = 0; i < ff->ntls; i++) {
		const struct tls_fact *t = &ff->tls[i];

		if (t->field != field)
			continue;
		if (t->len)
			n = filter_put_str(out, max, n, (struct span){
				ff->arena.data + t->off, t->len });
		else
			n = filter_put_int(out, max, n, t->num);
	}
	return n;
}

/* Copy one value of field slot of message mf (absent spans are not). */
static void
fact_add(struct frame_facts *ff, struct msg_facts *mf, int slot,
	 struct span v)
{
	uint32_t off = (uint32_t)ff->arena.len;

	if (!v.p || mf->n[slot] >= FACT_VALUES ||
	    buf_append(&ff->arena, v.p, v.len) < 0)
		return;
	mf->off[slot][mf->n[slot]] = off;
	mf->len[slot][mf->n[slot]] = (uint32_t)v.len;
	mf->n[slot]++;
}

void
frame_facts_add(struct frame_facts *ff, const struct http_view *v,
		const struct records *rs, const struct capture *cap)
{
	const struct http_msg *m = v->msg;
	const struct http_header *h = NULL;
	struct msg_facts *mf;
	int64_t t;

	if (ff->nmsgs == FACT_MSGS)
		return;
	mf = &ff->msgs[ff->nmsgs++];
	memset(mf, 0, sizeof(*mf));
	mf->request = m->is_request;
	mf->code = m->status;
	t = print_time_since_request(v, rs, cap);
	mf->time = t >= 0 ? (double)t / 1e9 : -1;
	if (m->is_request) {
		fact_add(ff, mf, FACT_METHOD, m->method);
		fact_add(ff, mf, FACT_URI, m->target);
	}
	fact_add(ff, mf, FACT_HOST, http_header_value(m, "host"));
	fact_add(ff, mf, FACT_CT, http_header_value(m, "content-type"));
	fact_add(ff, mf, FACT_UA, http_header_value(m, "user-agent"));
	while ((h = http_header_next(m, "cookie", h)))
		fact_add(ff, mf, FACT_COOKIE, h->value);
	h = NULL;
	while ((h = http_header_next(m, "set-cookie", h)))
		fact_add(ff, mf, FACT_SETCOOKIE, h->value);
}

/* The values of one HTTP field in message mf, appended after n of them. */
static int
msg_values(const struct frame_facts *ff, const struct msg_facts *mf,
	   int field, struct filter_value *out, int max, int n)
{
	static const int slot_of[FF__COUNT] = {
		[FF_HTTP_REQUEST_METHOD] = FACT_METHOD + 1,
		[FF_HTTP_REQUEST_URI] = FACT_URI + 1,
		[FF_HTTP_HOST] = FACT_HOST + 1,
		[FF_HTTP_CONTENT_TYPE] = FACT_CT + 1,
		[FF_HTTP_USER_AGENT] = FACT_UA + 1,
		[FF_HTTP_COOKIE] = FACT_COOKIE + 1,
		[FF_HTTP_SET_COOKIE] = FACT_SETCOOKIE + 1,
	};
	int k, slot;

	switch (field) {
	case FF_HTTP:
		return filter_put_int(out, max, n, 1);
	case FF_HTTP_REQUEST:
		return mf->request ? filter_put_int(out, max, n, 1) : n;
	case FF_HTTP_RESPONSE:
		return !mf->request ? filter_put_int(out, max, n, 1) : n;
	case FF_HTTP_RESPONSE_CODE:
		return !mf->request ? filter_put_int(out, max, n, mf->code) : n;
	case FF_HTTP_TIME:
		return mf->time >= 0 ? filter_put_time(out, max, n, mf->time) : n;
	}
	slot = field >= 0 && field < FF__COUNT ? slot_of[field] - 1 : -1;
	for (k = 0; slot >= 0 && k < mf->n[slot]; k++) {
		struct span s = { ff->arena.data + mf->off[slot][k],
				  mf->len[slot][k] };

		n = filter_put_str(out, max, n, s);
	}
	return n;
}

/* HTTP fields over the frame's messages (or just the one in ff->only). */
static int
lookup_http(const struct frame_facts *ff, int field, struct filter_value *out,
	    int max)
{
	unsigned i, lo = 0, hi = ff->nmsgs;
	int n = 0;

	if (ff->only >= 0) {
		lo = (unsigned)ff->only;
		hi = lo + 1;
	}
	for (i = lo; i < hi; i++)
		n = msg_values(ff, &ff->msgs[i], field, out, max, n);
	return n;
}

/* ip.* and ipv6.*: the address fields of the frame's own version. */
static int
lookup_addr(const struct pkt *pk, int field, struct filter_value *out,
	    int max)
{
	bool v6 = field >= FF_IPV6;
	int base = v6 ? FF_IPV6_ADDR : FF_IP_ADDR, n = 0;

	if (pk->ipver != (v6 ? 6 : 4))
		return 0;
	if (field != base + 2)
		n = filter_put_addr(out, max, n, pk->src, pkt_addr_len(pk));
	if (field != base + 1)
		n = filter_put_addr(out, max, n, pk->dst, pkt_addr_len(pk));
	return n;
}

int
frame_facts_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	const struct frame_facts *ff = ctx;
	const struct pkt *pk = ff->pk;
	int n = 0;

	switch (field) {
	case FF_FRAME_NUMBER:
		return filter_put_int(out, max, 0, ff->no);
	case FF_FRAME_LEN:
		return filter_put_int(out, max, 0, pk->len);
	case FF_IP: case FF_IPV6:
		return pk->ipver == (field == FF_IP ? 4 : 6) ?
		       filter_put_int(out, max, 0, 1) : 0;
	case FF_IP_ADDR: case FF_IP_SRC: case FF_IP_DST:
	case FF_IPV6_ADDR: case FF_IPV6_SRC: case FF_IPV6_DST:
		return lookup_addr(pk, field, out, max);
	case FF_TCP:
		return pk->tcp ? filter_put_int(out, max, 0, 1) : 0;
	case FF_TCP_PORT: case FF_TCP_SRCPORT: case FF_TCP_DSTPORT:
		if (!pk->tcp)
			return 0;
		if (field != FF_TCP_DSTPORT)
			n = filter_put_int(out, max, n, pk->sport);
		if (field != FF_TCP_SRCPORT)
			n = filter_put_int(out, max, n, pk->dport);
		return n;
	case FF_TCP_STREAM:
		return ff->ri->flow ? filter_put_int(out, max, 0,
						     ff->ri->flow->stream) : 0;
	}
	if (field >= FF_TLS && field <= FF_TLS_APP_DATA)
		return lookup_tls(ff, field, out, max);
	return lookup_http(ff, field, out, max);
}

bool
frame_facts_match_last(struct frame_facts *ff, const struct filter *f)
{
	bool m;

	ff->only = (int)ff->nmsgs - 1;
	m = filter_match(f, frame_facts_lookup, ff);
	ff->only = -1;
	return m;
}

void
frame_facts_free(struct frame_facts *ff)
{
	buf_free(&ff->arena);
	free(ff->tls);
	ff->tls = NULL;
	ff->ntls = ff->tls_cap = 0;
}
