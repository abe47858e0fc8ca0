/*
 * session_pdu.c - which frames carried each HTTP/1.x message, for
 * tshark's "[2 Reassembled TCP Segments (226 bytes): #6(185), #8(41)]"
 * block on the frame completing a message and "[Reassembled PDU in frame:
 * 8]" on the frames before it (opts.pdus; see session.h).
 *
 * Each direction logs what every frame made deliverable (offset among
 * the direction's bytes, length, frame; the part of its segment that was
 * had already, and resent segments of the message in progress, as
 * overlapping spans, as tshark lists them), merged per frame and trimmed to
 * the message in progress, so the log holds one message's segments at
 * most; a message of more than PDU_LOG_MAX segments gets no block.  When a message
 * completes, the overlap of its bytes with the log gives its segments;
 * in the first pass each of them learns the completing frame.
 */
#include <stdlib.h>
#include <string.h>

#include "session.h"

#define PDU_LOG_MAX 4096u

static void
dlog_add(struct flow_dir *fd, uint64_t off, size_t n, uint32_t dup,
	 uint32_t frame)
{
	struct seg_span *last = fd->ndlog ? &fd->dlog[fd->ndlog - 1] : NULL;

	if (!n)
		return;
	if (!dup && last && last->frame == frame &&
	    last->off + last->len == off && last->len + n <= UINT32_MAX) {
		last->len += (uint32_t)n;
		return;
	}
	if (fd->ndlog == fd->dlog_cap) {
		uint32_t cap = fd->dlog_cap ? fd->dlog_cap * 2 : 16;
		struct seg_span *v;

		if (cap > PDU_LOG_MAX)
			return;		/* too many: no block for it */
		v = realloc(fd->dlog, cap * sizeof(*v));
		if (!v)
			return;
		fd->dlog = v;
		fd->dlog_cap = cap;
	}
	fd->dlog[fd->ndlog++] = (struct seg_span){ off, (uint32_t)n, frame,
						   dup };
}

void
cap_pdu_data(struct cap_pipe *pp, struct flow *f, int dir, size_t n,
	     uint32_t frame)
{
	struct flow_dir *fd = &f->d[dir];
	uint32_t skip = fd->src_skip;	/* bytes counted after this call */

	(void)pp;
	if (!n)
		return;
	if (skip > fd->bytes)
		skip = 0;
	dlog_add(fd, fd->bytes - skip, n + skip, skip, frame);
}

void
cap_pdu_resent(struct cap_pipe *pp, struct flow *f, int dir, uint32_t seq,
	       uint32_t n, uint32_t frame)
{
	struct flow_dir *fd = &f->d[dir];
	uint32_t back = fd->next - seq;

	(void)pp;
	/* only into a message in progress (the log holds its bytes) */
	if (!fd->ndlog || !n || back > fd->bytes || n > back)
		return;
	dlog_add(fd, fd->bytes - back, n, n, frame);
}

void
cap_pdu_release(struct flow *f)
{
	for (int d = 0; d < 2; d++) {
		free(f->d[d].dlog);
		f->d[d].dlog = NULL;
		f->d[d].ndlog = f->d[d].dlog_cap = 0;
	}
}

static bool
seg_push(struct cap_pipe *pp, uint64_t off, uint32_t len, uint32_t frame,
	 uint32_t dup)
{
	if (pp->npdu_segs == pp->pdu_segs_cap) {
		uint32_t cap = pp->pdu_segs_cap ? pp->pdu_segs_cap * 2 : 16;
		struct seg_span *v = realloc(pp->pdu_segs, cap * sizeof(*v));

		if (!v)
			return false;
		pp->pdu_segs = v;
		pp->pdu_segs_cap = cap;
	}
	pp->pdu_segs[pp->npdu_segs++] = (struct seg_span){ off, len, frame,
							   dup };
	return true;
}

/* By offset, arrival order kept among equals (tshark's order). */
static void
seg_sort(struct seg_span *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		struct seg_span x = v[i];
		uint32_t j = i;

		for (; j > 0 && v[j - 1].off > x.off; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* First pass: the frames before the completing one learn its number. */
static void
note_pdu_in(struct cap_session *s, const struct pdu_block *b, uint32_t no)
{
	const struct seg_span *sg = s->p.pdu_segs + b->first;
	uint32_t i, top = 0;

	for (i = 0; i < b->n; i++)
		if (sg[i].frame > top)
			top = sg[i].frame;
	if (top > s->npdu_in) {
		size_t n = s->npdu_in ? s->npdu_in : 4096;
		uint32_t *v;

		while (n < top)
			n *= 2;
		v = realloc(s->pdu_in, n * sizeof(*v));
		if (!v)
			return;
		memset(v + s->npdu_in, 0, (n - s->npdu_in) * sizeof(*v));
		s->pdu_in = v;
		s->npdu_in = n;
	}
	for (i = 0; i < b->n; i++)
		if (sg[i].frame != no && !s->pdu_in[sg[i].frame - 1])
			s->pdu_in[sg[i].frame - 1] = no;
}

void
cap_pdu_message(struct cap_pipe *pp, const struct http_view *v)
{
	struct flow_dir *fd;
	uint64_t m0 = v->stream_off, m1, got = 0;
	struct pdu_block b;
	uint32_t i, k = 0;

	if (!v->flow || (v->r && v->r->h2_stream) || pp->npdu == CAP_PDU_BLOCKS)
		return;
	fd = &((struct flow *)v->flow)->d[v->dir];
	m1 = m0 + v->head.len + v->body_wire;
	b.first = pp->npdu_segs;
	for (i = 0; i < fd->ndlog; i++) {
		const struct seg_span *e = &fd->dlog[i];
		uint64_t a = e->off > m0 ? e->off : m0;
		uint64_t z = e->off + e->len < m1 ? e->off + e->len : m1;
		uint64_t na = e->off + e->dup > a ? e->off + e->dup : a;

		/* dup of the clipped span: 1 marks an overlap */
		if (a < z && seg_push(pp, a - m0, (uint32_t)(z - a), e->frame,
				      e->off + e->dup > a))
			got += na < z ? z - na : 0;
		if (e->off + e->len > m1)	/* the next message's too */
			fd->dlog[k++] = *e;
	}
	seg_sort(pp->pdu_segs + b.first, pp->npdu_segs - b.first);
	fd->ndlog = k;
	b.n = pp->npdu_segs - b.first;
	b.total = m1 - m0;
	if (b.n < 2 || got != b.total) {	/* one segment, or unknown */
		pp->npdu_segs = b.first;
		return;
	}
	pp->pdu[pp->npdu++] = b;
	if (pp == &pp->s->p && !pp->s->rewound)
		note_pdu_in(pp->s, &b, pp->no);
}

uint32_t
cap_session_pdu_in(const struct cap_session *s, uint32_t no)
{
	return no && no <= s->npdu_in ? s->pdu_in[no - 1] : 0;
}
