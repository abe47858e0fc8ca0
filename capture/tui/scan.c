/*
 * scan.c - apply a display filter to the index a slice at a time.
 *
 * A scan is the sniffer's decode pass again (fresh flow table, fresh
 * records, the frames read back by offset), with capture/filter.c asked
 * about every frame; matches are appended to the model as they are
 * found, so the list fills while the scan runs and a live capture keeps
 * being filtered as it grows.  The field lookup mirrors the one `sniff
 * -Y` uses (capture/sniff_frame.c, which keeps it private): a shared
 * "fields of this frame" API in capture/ would let both use one copy.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/print_body.h"
#include "http/header.h"
#include "scan.h"

static void
scan_add(struct tui_scan *sc, int slot, struct span v)
{
	struct scan_msg *m = &sc->msgs[sc->nmsgs - 1];

	if (!v.p || m->n[slot] >= SCAN_VALUES)
		return;
	m->off[slot][m->n[slot]] = (uint32_t)sc->arena.len;
	m->len[slot][m->n[slot]] = (uint32_t)v.len;
	m->n[slot]++;
	buf_append(&sc->arena, v.p, v.len);
}

static void
scan_on_message(void *ctx, const struct http_view *v)
{
	struct tui_scan *sc = ctx;
	const struct http_msg *m = v->msg;
	const struct http_header *h = NULL;
	struct scan_msg *sm;
	int64_t t;

	if (sc->nmsgs == SCAN_MSGS)
		return;
	sm = &sc->msgs[sc->nmsgs++];
	memset(sm, 0, sizeof(*sm));
	sm->request = m->is_request;
	sm->code = m->status;
	t = print_time_since_request(v, &sc->rs, &sc->ix->cap);
	sm->time = t >= 0 ? (double)t / 1e9 : -1;
	if (m->is_request) {
		scan_add(sc, SF_METHOD, m->method);
		scan_add(sc, SF_URI, m->target);
	}
	scan_add(sc, SF_HOST, http_header_value(m, "host"));
	scan_add(sc, SF_CT, http_header_value(m, "content-type"));
	scan_add(sc, SF_UA, http_header_value(m, "user-agent"));
	while ((h = http_header_next(m, "cookie", h)))
		scan_add(sc, SF_COOKIE, h->value);
	h = NULL;
	while ((h = http_header_next(m, "set-cookie", h)))
		scan_add(sc, SF_SETCOOKIE, h->value);
}

static const struct dissect_cb scan_cb = { .on_message = scan_on_message };

int
tui_scan_start(struct tui_scan *sc, struct tui_index *ix, struct filter *f)
{
	struct reasm_limits lim = { REASM_FLOW_MEM_DEFAULT,
				    REASM_TOTAL_MEM_DEFAULT };

	memset(sc, 0, sizeof(*sc));
	sc->ix = ix;
	sc->f = f;
	sc->next = 1;
	rec_init(&sc->rs, false);
	/* only recent requests matter here (http.time): memory stays flat */
	rec_set_ring(&sc->rs, 1u << 16);
	dissect_init(&sc->ds, &sc->rs, &scan_cb, sc, 0);
	sc->ra = reasm_new(&lim, &dissect_reasm_cb, &sc->ds);
	sc->active = sc->ra != NULL;
	return sc->ra ? 0 : -1;
}

void
tui_scan_free(struct tui_scan *sc)
{
	reasm_free(sc->ra);
	rec_free(&sc->rs);
	filter_free(sc->f);
	buf_free(&sc->arena);
	memset(sc, 0, sizeof(*sc));
}

static int
lookup_http(struct tui_scan *sc, int field, struct filter_value *out, int max)
{
	static const int slot_of[FF__COUNT] = {
		[FF_HTTP_REQUEST_METHOD] = SF_METHOD + 1,
		[FF_HTTP_REQUEST_URI] = SF_URI + 1,
		[FF_HTTP_HOST] = SF_HOST + 1,
		[FF_HTTP_CONTENT_TYPE] = SF_CT + 1,
		[FF_HTTP_USER_AGENT] = SF_UA + 1,
		[FF_HTTP_COOKIE] = SF_COOKIE + 1,
		[FF_HTTP_SET_COOKIE] = SF_SETCOOKIE + 1,
	};
	unsigned i;
	int n = 0, k, slot = field >= 0 && field < FF__COUNT ?
			     slot_of[field] - 1 : -1;

	for (i = 0; i < sc->nmsgs; i++) {
		const struct scan_msg *m = &sc->msgs[i];

		if (field == FF_HTTP ||
		    (field == FF_HTTP_REQUEST && m->request) ||
		    (field == FF_HTTP_RESPONSE && !m->request))
			n = filter_put_int(out, max, n, 1);
		else if (field == FF_HTTP_RESPONSE_CODE && !m->request)
			n = filter_put_int(out, max, n, m->code);
		else if (field == FF_HTTP_TIME && m->time >= 0)
			n = filter_put_time(out, max, n, m->time);
		else if (slot >= 0)
			for (k = 0; k < m->n[slot]; k++, n++) {
				if (n >= max)
					continue;
				out[n].type = FV_STR;
				out[n].s.p = sc->arena.data + m->off[slot][k];
				out[n].s.len = m->len[slot][k];
			}
	}
	return n;
}

static int
scan_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	struct tui_scan *sc = ctx;
	const struct pkt *pk = &sc->pk;
	int n = 0;

	switch (field) {
	case FF_FRAME_NUMBER:
		return filter_put_int(out, max, 0, sc->no);
	case FF_FRAME_LEN:
		return filter_put_int(out, max, 0, pk->len);
	case FF_IP: case FF_IPV6:
		return pk->ipver == (field == FF_IP ? 4 : 6) ?
		       filter_put_int(out, max, 0, 1) : 0;
	case FF_IP_ADDR: case FF_IP_SRC: case FF_IP_DST:
	case FF_IPV6_ADDR: case FF_IPV6_SRC: case FF_IPV6_DST: {
		bool v6 = field >= FF_IPV6;
		int base = v6 ? FF_IPV6_ADDR : FF_IP_ADDR;

		if (pk->ipver != (v6 ? 6 : 4))
			return 0;
		if (field != base + 2)
			n = filter_put_addr(out, max, n, pk->src, pkt_addr_len(pk));
		if (field != base + 1)
			n = filter_put_addr(out, max, n, pk->dst, pkt_addr_len(pk));
		return n;
	}
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
		return sc->ri.flow ? filter_put_int(out, max, 0,
						    sc->ri.flow->stream) : 0;
	}
	return lookup_http(sc, field, out, max);
}

size_t
tui_scan_step(struct tui_scan *sc, struct tui_model *m, size_t max)
{
	struct tui_index *ix = sc->ix;
	size_t n = 0;

	if (!sc->active)
		return 0;
	while (n < max && sc->next <= ix->nrows) {
		sc->no = sc->next++;
		n++;
		if (!tui_index_frame(ix, sc->no, &sc->pk))
			continue;
		sc->nmsgs = 0;
		buf_reset(&sc->arena);
		dissect_frame_start(&sc->ds);
		reasm_packet(sc->ra, &sc->pk, sc->no, &sc->ri);
		if (filter_match(sc->f, scan_lookup, sc))
			tui_filter_add(m, sc->no);
	}
	return n;
}

bool
tui_scan_finished(const struct tui_scan *sc)
{
	return !sc->active || (sc->ix->done && sc->next > sc->ix->nrows);
}
