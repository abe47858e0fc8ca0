/*
 * sniff_frame.c - one frame through the sniffer: decode the layers, feed
 * the flow table (which calls the HTTP dissector, which calls back here
 * for each completed message), apply -Y, print.
 *
 * Messages are rendered while their spans are valid (inside the
 * callback) into per-frame buffers; the frame is printed afterwards, so
 * the summary shows what the frame completed, as Wireshark does.
 */
#include <string.h>

#include "filter.h"
#include "http/header.h"
#include "print_body.h"
#include "sniff_impl.h"

static void
mf_add(struct sniff *s, struct msg_fields *mf, int slot, struct span v)
{
	if (!v.p || mf->n[slot] >= MF_MAX_VALUES)
		return;
	mf->off[slot][mf->n[slot]] = (uint32_t)s->arena.len;
	mf->len[slot][mf->n[slot]] = (uint32_t)v.len;
	mf->n[slot]++;
	buf_append(&s->arena, v.p, v.len);
}

/* Keep what -Y may ask about this message. */
static void
collect_fields(struct sniff *s, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	struct msg_fields *mf;
	const struct http_header *h = NULL;
	int64_t t;

	if (s->nmf == FRAME_MSGS_MAX)
		return;
	mf = &s->mf[s->nmf++];
	memset(mf, 0, sizeof(*mf));
	mf->request = m->is_request;
	mf->code = m->status;
	t = print_time_since_request(v, &s->rs, &s->cap);
	mf->time = t >= 0 ? (double)t / 1e9 : -1;
	if (m->is_request) {
		mf_add(s, mf, MF_METHOD, m->method);
		mf_add(s, mf, MF_URI, m->target);
	}
	mf_add(s, mf, MF_HOST, http_header_value(m, "host"));
	mf_add(s, mf, MF_CT, http_header_value(m, "content-type"));
	mf_add(s, mf, MF_UA, http_header_value(m, "user-agent"));
	while ((h = http_header_next(m, "cookie", h)))
		mf_add(s, mf, MF_COOKIE, h->value);
	h = NULL;
	while ((h = http_header_next(m, "set-cookie", h)))
		mf_add(s, mf, MF_SETCOOKIE, h->value);
}

/* HTTP fields over the frame's messages (or just json_msg). */
static int
lookup_http(struct sniff *s, int field, struct filter_value *out, int max)
{
	static const int slot_of[FF__COUNT] = {
		[FF_HTTP_REQUEST_METHOD] = MF_METHOD + 1,
		[FF_HTTP_REQUEST_URI] = MF_URI + 1,
		[FF_HTTP_HOST] = MF_HOST + 1,
		[FF_HTTP_CONTENT_TYPE] = MF_CT + 1,
		[FF_HTTP_USER_AGENT] = MF_UA + 1,
		[FF_HTTP_COOKIE] = MF_COOKIE + 1,
		[FF_HTTP_SET_COOKIE] = MF_SETCOOKIE + 1,
	};
	unsigned i, lo = 0, hi = s->nmf;
	int n = 0, k, slot;

	if (s->json_msg >= 0) {
		lo = (unsigned)s->json_msg;
		hi = lo + 1;
	}
	for (i = lo; i < hi; i++) {
		const struct msg_fields *mf = &s->mf[i];

		switch (field) {
		case FF_HTTP:
			n = filter_put_int(out, max, n, 1);
			continue;
		case FF_HTTP_REQUEST:
			if (mf->request)
				n = filter_put_int(out, max, n, 1);
			continue;
		case FF_HTTP_RESPONSE:
			if (!mf->request)
				n = filter_put_int(out, max, n, 1);
			continue;
		case FF_HTTP_RESPONSE_CODE:
			if (!mf->request)
				n = filter_put_int(out, max, n, mf->code);
			continue;
		case FF_HTTP_TIME:
			if (mf->time >= 0)
				n = filter_put_time(out, max, n, mf->time);
			continue;
		}
		slot = slot_of[field] - 1;
		if (slot < 0)
			return 0;
		for (k = 0; k < mf->n[slot]; k++, n++) {
			if (n < max) {
				out[n].type = FV_STR;
				out[n].s.p = s->arena.data + mf->off[slot][k];
				out[n].s.len = mf->len[slot][k];
			}
		}
	}
	return n;
}

static int
lookup(void *ctx, int field, struct filter_value *out, int max)
{
	struct sniff *s = ctx;
	const struct pkt *pk = &s->pk;
	int n = 0;

	switch (field) {
	case FF_FRAME_NUMBER:
		return filter_put_int(out, max, 0, s->no);
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
		return s->ri.flow ? filter_put_int(out, max, 0,
						   s->ri.flow->stream) : 0;
	}
	return lookup_http(s, field, out, max);
}

static bool
frame_matches(struct sniff *s)
{
	return filter_match(s->o->filter, lookup, s);
}

/* -Y against the message just collected, for --stats and --har */
static bool
frame_matches_msg(struct sniff *s)
{
	bool m;

	s->json_msg = (int)s->nmf - 1;
	m = filter_match(s->o->filter, lookup, s);
	s->json_msg = -1;
	return m;
}

/* -x: what tshark adds after a frame that completes a reassembled PDU */
static void
hex_message(struct sniff *s, const struct http_view *v)
{
	struct buf pdu = BUF_INIT;

	if (v->body_cut || v->r->first_frame == v->frame)
		return;
	if (v->msg->framing == HTTP_FRAME_CHUNKED) {
		buf_printf(&s->hexmore, "De-chunked entity body (%zu bytes):\n",
			   v->body.len);
		print_hex(&s->hexmore, (const uint8_t *)v->body.p, v->body.len);
		return;
	}
	buf_append(&pdu, v->head.p, v->head.len);
	buf_append(&pdu, v->body.p, v->body.len);
	buf_printf(&s->hexmore, "Reassembled TCP (%zu bytes):\n", pdu.len);
	print_hex(&s->hexmore, (const uint8_t *)pdu.data, pdu.len);
	buf_free(&pdu);
}

static void
on_message(void *ctx, const struct http_view *v)
{
	struct sniff *s = ctx;
	const struct sniff_opts *o = s->o;

	if (!s->printing)
		return;
	if (o->filter)
		collect_fields(s, v);
	if (o->follow >= 0)
		follow_message(&s->fo, &s->out, v);
	if (o->stats || o->har) {
		if (o->filter && !frame_matches_msg(s))
			return;
		if (o->stats)
			stats_message(&s->st, v, &s->rs, &s->cap);
		har_message(&s->har, v, &s->rs, &s->cap);
	}
	if (s->quiet)
		return;
	if (o->json) {
		s->json_msg = o->filter ? (int)s->nmf - 1 : -1;
		if (!o->filter || frame_matches(s)) {
			print_json(&s->out, v, &s->rs, &s->cap);
			s->shown++;
		}
		s->json_msg = -1;
		return;
	}
	/* several messages in a frame: tshark runs their texts together */
	print_http_info(&s->info, v);
	if (o->hex)
		hex_message(s, v);
	if (o->verbose)
		print_http_tree(&s->tree, v, &s->rs, &s->cap,
				o->expand & EXPAND_HTTP);
}

const struct dissect_cb sniff_dissect_cb = { .on_message = on_message };

static void
tap_data(void *ctx, struct flow *f, int dir, const uint8_t *p, size_t n,
	 uint32_t frame)
{
	struct sniff *s = ctx;

	if (s->printing && s->o->follow >= 0)
		follow_data(&s->fo, &s->out, f, dir, p, n);
	dissect_reasm_cb.data(&s->ds, f, dir, p, n, frame);
}

static void
tap_gap(void *ctx, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	struct sniff *s = ctx;

	if (s->printing && s->o->follow >= 0 && !s->fo.http &&
	    (long)f->stream == s->fo.stream)
		buf_printf(&s->out, "%s[%llu bytes missing in capture]\n",
			   dir == DIR_SERVER ? "\t" : "", (unsigned long long)n);
	dissect_reasm_cb.gap(&s->ds, f, dir, n, frame);
}

static void
tap_eof(void *ctx, struct flow *f, int dir, uint32_t frame)
{
	dissect_reasm_cb.eof(&((struct sniff *)ctx)->ds, f, dir, frame);
}

static void
tap_release(void *ctx, struct flow *f)
{
	dissect_reasm_cb.release(&((struct sniff *)ctx)->ds, f);
}

const struct reasm_cb sniff_reasm_cb = {
	tap_data, tap_gap, tap_eof, tap_release,
};

static void
print_frame(struct sniff *s, const uint8_t *data)
{
	const struct sniff_opts *o = s->o;
	const struct frame_rec *fr = cap_frame(&s->cap, s->no - 1);
	int64_t ns = cap_frame_ns(fr);
	struct frame_view fv = {
		.no = s->no, .fr = fr, .pk = &s->pk, .ri = &s->ri,
		.rel_ns = ns - s->first_ns, .delta_ns = ns - s->prev_ns,
		.http_info = s->ds.frame_msgs && s->info.len ? s->info.data : NULL,
		.http_tree = s->tree.len ? s->tree.data : NULL,
		.pdu = s->ds.frame_pdu && !s->ds.frame_msgs,
	};

	s->prev_ns = ns;
	if (o->filter && !frame_matches(s))
		return;
	s->shown++;
	if (o->verbose)
		print_tree(&s->out, &fv, o->expand);
	else
		print_summary(&s->out, &fv);
	if (o->hex && s->hexmore.len) {
		buf_printf(&s->out, "Frame (%u bytes):\n", fr->caplen);
		print_hex(&s->out, data, fr->caplen);
		buf_append(&s->out, s->hexmore.data, s->hexmore.len);
		buf_puts(&s->out, "\n");
	} else if (o->hex) {
		print_hex(&s->out, data, fr->caplen);
		buf_puts(&s->out, "\n");
	}
}

void
sniff_frame(struct sniff *s, const struct pcap_pkthdr *h, const uint8_t *data)
{
	s->no++;
	pkt_decode(&s->pk, s->cap.dlt, data, h->caplen, h->len);
	dissect_frame_start(&s->ds);
	buf_reset(&s->info);
	buf_reset(&s->tree);
	buf_reset(&s->arena);
	buf_reset(&s->hexmore);
	s->nmf = 0;
	s->json_msg = -1;
	reasm_packet(s->ra, &s->pk, s->no, &s->ri);
	if (s->no == 1 && s->cap.nframes)
		s->first_ns = s->prev_ns = cap_frame_ns(cap_frame(&s->cap, 0));
	if (s->printing && !s->o->json && !s->quiet &&
	    s->no <= s->cap.nframes)
		print_frame(s, data);
	sniff_flush(s, false);
}
