/*
 * reassembly.c - TCP flow table and in-order delivery (see reassembly.h).
 *
 * Sequence numbers are compared by signed 32-bit difference so wrap-around
 * works.  A direction's `next` is the first byte not yet delivered; a
 * segment either starts at or before it (deliver what is new), or after it
 * (hold a copy).  Holding past the limits gives up on the oldest hole: the
 * missing bytes become a gap and the held data flows on.
 */
#include <stdlib.h>
#include <string.h>

#include "reassembly.h"

struct seg {
	uint32_t seq;
	uint32_t n;		/* bytes held */
	uint32_t w;		/* bytes on the wire (n plus a snaplen cut) */
	uint32_t frame;
	struct seg *next;
	uint8_t data[];
};

struct reasm {
	struct reasm_limits lim;
	const struct reasm_cb *cb;
	void *ctx;
	struct flow **tab;
	size_t tab_size, nflows;
	size_t held_total;
	uint32_t streams;
	struct flow *closed_head, *closed_tail;	/* oldest first */
	size_t nclosed;
};

struct reasm *
reasm_new(const struct reasm_limits *lim, const struct reasm_cb *cb,
	  void *ctx)
{
	struct reasm *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->lim = *lim;
	r->cb = cb;
	r->ctx = ctx;
	r->tab_size = 1024;
	r->tab = calloc(r->tab_size, sizeof(*r->tab));
	if (!r->tab) {
		free(r);
		return NULL;
	}
	return r;
}

uint32_t
reasm_streams(const struct reasm *r)
{
	return r->streams;
}

size_t
reasm_flow_count(const struct reasm *r)
{
	return r->nflows;
}

static uint32_t
endpoint_hash(const uint8_t *a, int alen, uint16_t port)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	return h;
}

/* Same value for both directions of a flow. */
static size_t
flow_hash(const struct reasm *r, const struct pkt *pk)
{
	int alen = pkt_addr_len(pk);

	return (endpoint_hash(pk->src, alen, pk->sport) ^
		endpoint_hash(pk->dst, alen, pk->dport)) & (r->tab_size - 1);
}

static bool
flow_is(const struct flow *f, int alen, const uint8_t *a, uint16_t pa,
	const uint8_t *b, uint16_t pb, int d)
{
	return f->port[d] == pa && f->port[!d] == pb &&
	       memcmp(f->addr[d], a, (size_t)alen) == 0 &&
	       memcmp(f->addr[!d], b, (size_t)alen) == 0;
}

static struct flow *
flow_find(struct reasm *r, const struct pkt *pk, int *dir)
{
	struct flow *f;
	int alen = pkt_addr_len(pk), d;

	for (f = r->tab[flow_hash(r, pk)]; f; f = f->hnext) {
		if (f->ipver != pk->ipver)
			continue;
		for (d = 0; d < 2; d++) {
			if (flow_is(f, alen, pk->src, pk->sport, pk->dst,
				    pk->dport, d)) {
				*dir = d;
				return f;
			}
		}
	}
	return NULL;
}

static void
flow_grow(struct reasm *r)
{
	size_t nsize = r->tab_size * 2, i;
	struct flow **ntab = calloc(nsize, sizeof(*ntab));

	if (!ntab)
		return;		/* longer chains, still correct */
	for (i = 0; i < r->tab_size; i++) {
		struct flow *f = r->tab[i], *nx;

		for (; f; f = nx) {
			int alen = f->ipver == 6 ? 16 : 4;
			size_t h = (endpoint_hash(f->addr[0], alen, f->port[0]) ^
				    endpoint_hash(f->addr[1], alen, f->port[1])) &
				   (nsize - 1);

			nx = f->hnext;
			f->hnext = ntab[h];
			ntab[h] = f;
		}
	}
	free(r->tab);
	r->tab = ntab;
	r->tab_size = nsize;
}

static void
free_held(struct flow *f)
{
	for (int d = 0; d < 2; d++) {
		struct seg *s = f->d[d].held, *sn;

		for (; s; s = sn) {
			sn = s->next;
			free(s);
		}
		f->d[d].held = NULL;
	}
}

/* Forget the oldest closed flows past REASM_CLOSED_KEEP. */
static void
forget_closed(struct reasm *r)
{
	while (r->nclosed > REASM_CLOSED_KEEP) {
		struct flow *f = r->closed_head, **pp;
		int alen = f->ipver == 6 ? 16 : 4;
		size_t h = (endpoint_hash(f->addr[0], alen, f->port[0]) ^
			    endpoint_hash(f->addr[1], alen, f->port[1])) &
			   (r->tab_size - 1);

		r->closed_head = f->cnext;
		if (r->closed_head == NULL)
			r->closed_tail = NULL;
		r->nclosed--;
		for (pp = &r->tab[h]; *pp; pp = &(*pp)->hnext)
			if (*pp == f) {
				*pp = f->hnext;
				break;
			}
		r->nflows--;
		free_held(f);	/* (none: a flow closes with none held) */
		tcpa_dir_free(&f->d[0].an);
		tcpa_dir_free(&f->d[1].an);
		free(f->d[0].dlog);
		free(f->d[1].dlog);
		free(f);
	}
}

/* The client is who sent a SYN, who got a SYN-ACK, else the higher port. */
static struct flow *
flow_new(struct reasm *r, const struct pkt *pk, int *dir)
{
	struct flow *f = calloc(1, sizeof(*f));
	int alen = pkt_addr_len(pk), c;
	size_t h;

	if (!f)
		return NULL;
	if (pk->flags & TCP_SYN)
		c = (pk->flags & TCP_ACK) ? 1 : 0;
	else
		c = pk->sport >= pk->dport ? 0 : 1;
	/* c == 0: the sender is the client */
	memcpy(f->addr[c], pk->src, (size_t)alen);
	memcpy(f->addr[!c], pk->dst, (size_t)alen);
	f->port[c] = pk->sport;
	f->port[!c] = pk->dport;
	f->ipver = pk->ipver;
	f->stream = r->streams++;
	tcpa_dir_init(&f->d[0].an);
	tcpa_dir_init(&f->d[1].an);
	*dir = c;
	forget_closed(r);
	if (r->nflows + 1 > r->tab_size)
		flow_grow(r);
	h = flow_hash(r, pk);
	f->hnext = r->tab[h];
	r->tab[h] = f;
	r->nflows++;
	return f;
}

static void
deliver(struct reasm *r, struct flow *f, int d, const uint8_t *p, uint32_t n,
	uint32_t w, uint32_t frame)
{
	struct flow_dir *fd = &f->d[d];

	if (n > 0 && r->cb->data)
		r->cb->data(r->ctx, f, d, p, n, frame);
	fd->next += n;
	fd->bytes += n;
	if (w > n) {
		if (r->cb->gap)
			r->cb->gap(r->ctx, f, d, w - n, frame);
		fd->next += w - n;
	}
}

/* Deliver the part of [seq, seq+w) at or after next; false if none. */
static bool
deliver_from(struct reasm *r, struct flow *f, int d, uint32_t seq,
	     const uint8_t *p, uint32_t n, uint32_t w, uint32_t frame)
{
	int32_t off = (int32_t)(f->d[d].next - seq);	/* bytes already had */
	uint32_t skip;

	if (off < 0)
		return false;
	if ((uint32_t)off >= w)
		return false;
	skip = (uint32_t)off;
	f->d[d].src_skip = skip;
	deliver(r, f, d, p + (skip < n ? skip : n), skip < n ? n - skip : 0,
		w - skip, frame);
	f->d[d].src_skip = 0;
	return true;
}

/* Deliver held segments that have become in order. */
static void
drain(struct reasm *r, struct flow *f, int d, uint32_t frame)
{
	struct flow_dir *fd = &f->d[d];
	struct seg *s;

	while ((s = fd->held) && (int32_t)(s->seq - fd->next) <= 0) {
		fd->held = s->next;
		fd->held_bytes -= s->n;
		r->held_total -= s->n;
		fd->src_frame = s->frame;
		deliver_from(r, f, d, s->seq, s->data, s->n, s->w, frame);
		fd->src_frame = 0;
		free(s);
	}
}

/* Give up on the hole before the first held segment. */
static void
skip_hole(struct reasm *r, struct flow *f, int d, uint32_t frame)
{
	struct flow_dir *fd = &f->d[d];
	uint32_t missing;

	if (!fd->held)
		return;
	missing = fd->held->seq - fd->next;
	if ((int32_t)missing > 0) {
		if (r->cb->gap)
			r->cb->gap(r->ctx, f, d, missing, frame);
		fd->next += missing;
	}
	drain(r, f, d, frame);
}

static void
hold(struct reasm *r, struct flow *f, int d, uint32_t seq, const uint8_t *p,
     uint32_t n, uint32_t w, uint32_t frame)
{
	struct flow_dir *fd = &f->d[d];
	struct seg *s = malloc(sizeof(*s) + n), **pp;

	if (!s) {
		skip_hole(r, f, d, frame);
		return;
	}
	s->seq = seq;
	s->n = n;
	s->w = w;
	s->frame = frame;
	memcpy(s->data, p, n);
	for (pp = &fd->held; *pp && (int32_t)((*pp)->seq - seq) <= 0;
	     pp = &(*pp)->next)
		;
	s->next = *pp;
	*pp = s;
	fd->held_bytes += n;
	r->held_total += n;
	while (fd->held && (fd->held_bytes > r->lim.flow_mem ||
			    r->held_total > r->lim.total_mem))
		skip_hole(r, f, d, frame);
}

static void
segment(struct reasm *r, struct flow *f, int d, uint32_t seq,
	const struct pkt *pk, uint32_t frame, struct reasm_info *info)
{
	const uint8_t *p = pk->data + pk->payload_off;
	uint32_t n = pk->payload_len, w = pk->payload_wire;
	struct flow_dir *fd = &f->d[d];
	/* a hole opens only past the highest byte seen: the segments after
	   the one that opened it are in sequence (tshark's lost_segment) */
	bool beyond = (int32_t)(seq - fd->hi) > 0;
	bool inside = (int32_t)(seq - fd->hi) < 0;

	if ((int32_t)(seq + w - fd->hi) > 0)
		fd->hi = seq + w;
	if ((int32_t)(seq - fd->next) <= 0) {
		if (fd->held)
			info->filled = true;
		if (!deliver_from(r, f, d, seq, p, n, w, frame))
			info->retrans = true;
		drain(r, f, d, frame);
		return;
	}
	if (beyond)
		info->ooo = true;
	else if (inside)
		info->filled = true;
	hold(r, f, d, seq, p, n, w, frame);
	if (!fd->held)
		info->gap = true;
}

static void
dir_end(struct reasm *r, struct flow *f, int d, uint32_t frame)
{
	struct flow_dir *fd = &f->d[d];

	while (fd->held)
		skip_hole(r, f, d, frame);
	if (!fd->fin_done) {
		fd->fin_done = true;
		if (r->cb->eof)
			r->cb->eof(r->ctx, f, d, frame);
	}
}

/* Both directions are over: the dissector's state can go now (only the
   small struct flow stays, for late ACKs and stream numbering). */
static void
flow_close(struct reasm *r, struct flow *f)
{
	if (f->closed)
		return;
	f->closed = true;
	if (r->cb->release)
		r->cb->release(r->ctx, f);
	if (r->closed_tail)
		r->closed_tail->cnext = f;
	else
		r->closed_head = f;
	r->closed_tail = f;
	r->nclosed++;
}

static void
check_fin(struct reasm *r, struct flow *f, int d, uint32_t frame)
{
	struct flow_dir *fd = &f->d[d];

	if (fd->fin_seen && !fd->fin_done &&
	    (int32_t)(fd->next - fd->fin_seq) >= 0)
		dir_end(r, f, d, frame);
	if (f->d[0].fin_done && f->d[1].fin_done)
		flow_close(r, f);
}

/* Relative numbers as Wireshark shows them. */
static void
relative(struct flow *f, int d, const struct pkt *pk, struct reasm_info *info)
{
	struct flow_dir *fd = &f->d[d], *od = &f->d[!d];

	if (pk->flags & TCP_SYN) {
		fd->base = pk->seq;
		fd->have_base = true;
	} else if (!fd->have_base) {
		fd->base = pk->seq - 1;
		fd->have_base = true;
	}
	if ((pk->flags & TCP_ACK) && !od->have_base) {
		od->base = pk->ack - 1;
		od->have_base = true;
	}
	if ((pk->flags & TCP_SYN) && pk->wscale >= 0) {
		fd->ws_set = true;
		fd->ws = (uint8_t)(pk->wscale > 14 ? 14 : pk->wscale);
	}
	info->win = pk->win;
	info->win_scale = -1;
	if (fd->an.syn_seen || (pk->flags & TCP_SYN))
		info->win_scale = -2;
	if (!(pk->flags & TCP_SYN) && fd->ws_set && od->ws_set) {
		info->win = (uint32_t)pk->win << fd->ws;
		info->win_scale = 1 << fd->ws;
	}
	info->rel_seq = pk->seq - fd->base;
	info->rel_ack = (pk->flags & TCP_ACK) ? pk->ack - od->base : 0;
	info->next_seq = info->rel_seq + pk->payload_wire +
			 ((pk->flags & TCP_SYN) ? 1 : 0) +
			 ((pk->flags & TCP_FIN) ? 1 : 0);
}

void
reasm_packet(struct reasm *r, const struct pkt *pk, uint32_t frame,
	     struct reasm_info *info)
{
	reasm_packet_at(r, pk, frame, 0, info);
}

void
reasm_packet_at(struct reasm *r, const struct pkt *pk, uint32_t frame,
		int64_t ns, struct reasm_info *info)
{
	struct flow *f;
	struct flow_dir *fd;
	uint32_t start;
	int d;

	memset(info, 0, sizeof(*info));
	if (!pk->tcp)
		return;
	f = flow_find(r, pk, &d);
	if (f && f->closed && (pk->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		f = NULL;	/* port reuse: a new conversation */
	if (!f && !(f = flow_new(r, pk, &d)))
		return;
	info->flow = f;
	info->dir = d;
	relative(f, d, pk, info);
	info->since_first_ns = f->an.started ? ns - f->an.first_ns : 0;
	info->since_prev_ns = f->an.started ? ns - f->an.prev_ns : 0;
	tcpa_packet(f, d, pk, info, frame, ns, &info->an);
	fd = &f->d[d];
	/* the peer acknowledges bytes never captured: they will not come */
	if ((pk->flags & TCP_ACK) && f->d[!d].held)
		while (f->d[!d].held && (int32_t)(pk->ack - f->d[!d].next) > 0)
			skip_hole(r, f, !d, frame);
	start = pk->seq + ((pk->flags & TCP_SYN) ? 1 : 0);
	if (!fd->have_next || ((pk->flags & TCP_SYN) && fd->bytes == 0 &&
			       !fd->held)) {
		fd->next = start;
		fd->hi = start;
		fd->have_next = true;
	}
	if (pk->payload_wire > 0 && !fd->fin_done && !f->rst)
		segment(r, f, d, start, pk, frame, info);
	if ((pk->flags & TCP_FIN) && !fd->fin_seen) {
		fd->fin_seen = true;
		fd->fin_seq = start + pk->payload_wire;
	}
	if ((pk->flags & TCP_RST) && !f->rst) {
		f->rst = true;
		dir_end(r, f, d, frame);
		dir_end(r, f, !d, frame);
		flow_close(r, f);
		return;
	}
	check_fin(r, f, d, frame);
	/* a closed flow keeps no analysis memory once all is acknowledged */
	for (int k = 0; f->closed && k < 2; k++)
		if (!f->d[k].an.nsegs && f->d[k].an.segs)
			tcpa_dir_free(&f->d[k].an);
}

void
reasm_finish(struct reasm *r, uint32_t frame)
{
	size_t i;
	struct flow *f;

	for (i = 0; i < r->tab_size; i++)
		for (f = r->tab[i]; f; f = f->hnext)
			if (!f->closed) {
				dir_end(r, f, 0, frame);
				dir_end(r, f, 1, frame);
				flow_close(r, f);
			}
}

void
reasm_free(struct reasm *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->tab_size; i++) {
		struct flow *f = r->tab[i], *nx;

		for (; f; f = nx) {
			nx = f->hnext;
			/* first: the release may free what the flow holds */
			if (!f->closed && r->cb->release)   /* else done */
				r->cb->release(r->ctx, f);
			free_held(f);
			tcpa_dir_free(&f->d[0].an);
			tcpa_dir_free(&f->d[1].an);
			free(f->d[0].dlog);
			free(f->d[1].dlog);
			free(f);
		}
	}
	free(r->tab);
	free(r);
}
