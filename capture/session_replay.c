/*
 * session_replay.c - the session's on-demand work (see session.h): one
 * frame decoded again, one TCP stream run again through fresh decoders
 * with a renumbered copy of its records, so that the tree of a frame
 * knows the pairing of the whole capture.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/bigarr.h"
#include "session.h"

/* Read frame no into s->rbuf; its caplen, or -1. */
static long
read_back(struct cap_session *s, uint32_t no)
{
	if (!no || no > s->cap.nframes || !cap_frame(&s->cap, no - 1))
		return -1;
	return cap_read_frame(&s->cap, no - 1, s->rbuf, s->rbuf_size);
}

static int64_t
frame_ns(const struct cap_session *s, uint32_t no)
{
	return cap_frame_ns(cap_frame(&s->cap, no - 1));
}

/* Feed the fragments frame no completed to a fresh s->refrag. */
static void
refragment(struct cap_session *s, uint32_t no)
{
	int64_t from = frame_ns(s, no) - IPFRAG_TIMEOUT_NS;
	uint32_t first = no, f;
	struct pkt pk;
	long n;

	ipfrag_free(s->refrag);
	s->refrag = ipfrag_new(cap_session_frag_mem(s), false);
	if (!s->refrag)
		return;
	/* the datagram's pieces are at most IPFRAG_TIMEOUT_NS older */
	while (first > 1 && frame_ns(s, first - 1) >= from)
		first--;
	for (f = first; f < no; f++) {
		if (s->rows[f - 1].frag_in != no || (n = read_back(s, f)) < 0)
			continue;
		pkt_decode_defrag(&pk, s->refrag, f, frame_ns(s, f),
				  cap_frame_dlt(&s->cap, f - 1), s->rbuf,
				  (uint32_t)n, cap_frame(&s->cap, f - 1)->len);
	}
}

const uint8_t *
cap_session_frame(struct cap_session *s, uint32_t no, struct pkt *pk)
{
	const struct cap_row *r = cap_session_row(s, no);
	struct ipfrag *t = NULL;
	long n;

	if (r && (r->flags & CAP_F_DEFRAG)) {
		refragment(s, no);
		t = s->refrag;
	}
	if ((n = read_back(s, no)) < 0)
		return NULL;
	pkt_decode_defrag(pk, t, no, frame_ns(s, no),
			  cap_frame_dlt(&s->cap, no - 1), s->rbuf,
			  (uint32_t)n, cap_frame(&s->cap, no - 1)->len);
	if (r && r->frag_in && pk->ip_fragment)
		pk->frag_in = r->frag_in;
	return s->rbuf;
}

void
cap_session_marks(const struct cap_session *s, uint32_t no,
		  struct tcpa_info *a)
{
	size_t lo = 0, hi = s->nmarks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->marks[mid].frame < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nmarks && s->marks[lo].frame == no) {
		a->flags = s->marks[lo].flags;
		a->dup_frame = s->marks[lo].dup_frame;
		a->dup_num = s->marks[lo].dup_num;
	}
}

void
cap_session_ri(const struct cap_session *s, uint32_t no, const struct pkt *pk,
	       struct flow *fl, struct reasm_info *ri)
{
	const struct cap_row *r = cap_session_row(s, no);

	memset(fl, 0, sizeof(*fl));
	memset(ri, 0, sizeof(*ri));
	if (!r)
		return;
	fl->stream = r->stream;
	ri->flow = r->flags & CAP_F_FLOW ? fl : NULL;
	ri->rel_seq = r->rel_seq;
	ri->rel_ack = r->rel_ack;
	ri->win = r->win;
	ri->retrans = r->flags & CAP_F_RETRANS;
	ri->ooo = r->flags & CAP_F_OOO;
	ri->filled = r->flags & CAP_F_FILLED;
	ri->gap = r->flags & CAP_F_GAP;
	cap_session_marks(s, no, &ri->an);
	/* as reassembly.c computes it */
	ri->next_seq = ri->rel_seq + pk->payload_wire +
		       ((pk->flags & TCP_SYN) ? 1 : 0) +
		       ((pk->flags & TCP_FIN) ? 1 : 0);
}

/* Is frame no (a row) part of stream st, or a fragment of one that is? */
static bool
in_stream(const struct cap_session *s, const struct cap_row *r, uint32_t st)
{
	if (r->stream == st)
		return true;
	return r->frag_in && r->frag_in <= s->nrows &&
	       s->rows[r->frag_in - 1].stream == st;
}

struct cap_pipe *
cap_pipe_new(struct cap_session *s, struct records *rs, size_t keep_body,
	     const struct cap_session_hooks *hooks, void *ctx,
	     uint32_t stream_as)
{
	struct cap_pipe *pp = calloc(1, sizeof(*pp));

	if (!pp)
		return NULL;
	pp->s = s;
	pp->hooks = hooks;
	pp->ctx = ctx;
	pp->stream_as = stream_as;
	pp->frag = ipfrag_new(cap_session_frag_mem(s), false);
	if (!pp->frag || cap_pipe_start(pp, rs, keep_body) < 0) {
		cap_pipe_free(pp);
		return NULL;
	}
	return pp;
}

int
cap_pipe_feed(struct cap_pipe *pp, uint32_t no)
{
	struct cap_session *s = pp->s;
	long n = read_back(s, no);

	if (n < 0)
		return -1;
	cap_pipe_decode(pp, no, frame_ns(s, no), s->rbuf, (uint32_t)n,
			cap_frame(&s->cap, no - 1)->len);
	return 0;
}

void
cap_pipe_finish(struct cap_pipe *pp)
{
	reasm_finish(pp->ra, (uint32_t)pp->s->cap.nframes);
}

void
cap_pipe_free(struct cap_pipe *pp)
{
	if (!pp)
		return;
	reasm_free(pp->ra);
	tls_pipe_free(pp->tls);
	ipfrag_free(pp->frag);
	free(pp->pdu_segs);
	free(pp);
}

int
cap_session_replay(struct cap_session *s, uint32_t st, uint32_t last,
		   struct records *rs, size_t keep_body,
		   const struct cap_session_hooks *hooks, void *ctx)
{
	struct cap_pipe *pp;
	struct records scratch;
	uint32_t no;

	rec_init(&scratch, false);
	pp = cap_pipe_new(s, rs ? rs : &scratch, keep_body, hooks, ctx, st);
	if (!pp) {
		rec_free(&scratch);
		return -1;
	}
	for (no = 1; no <= last && no <= s->nrows; no++)
		if (in_stream(s, &s->rows[no - 1], st))
			cap_pipe_feed(pp, no);
	if (last == UINT32_MAX)
		cap_pipe_finish(pp);
	cap_pipe_free(pp);
	rec_free(&scratch);
	return 0;
}

/* Global link (index + 1) -> local one; map[] is in increasing order. */
static uint32_t
remap(const uint32_t *map, size_t n, uint32_t link)
{
	size_t lo = 0, hi = n;

	if (!link)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map[mid] + 1 < link)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && map[lo] + 1 == link ? (uint32_t)lo + 1 : 0;
}

int
cap_session_stream_records(const struct cap_session *s, uint32_t st,
			   struct records *rs)
{
	const struct records *all = &s->rs;
	uint32_t *map;
	size_t i, n = 0;

	memset(rs, 0, sizeof(*rs));
	map = malloc((all->n + 1) * sizeof(*map));
	if (bigarr_resize((void **)&rs->v, 0, all->n + 1, sizeof(*rs->v)) < 0)
		rs->v = NULL;
	rs->nstreams = (size_t)st + 1;
	rs->stream_nreq = calloc(rs->nstreams, sizeof(uint32_t));
	rs->stream_last = calloc(rs->nstreams, sizeof(uint32_t));
	if (!map || !rs->v || !rs->stream_nreq || !rs->stream_last) {
		free(map);
		return -1;
	}
	for (i = 0; i < all->n; i++)
		if (rec_get(all, i) && rec_get(all, i)->stream == st)
			map[n++] = (uint32_t)i;
	for (i = 0; i < n; i++) {
		struct http_rec *r = &rs->v[i];

		*r = *rec_get(all, map[i]);
		r->copy = NULL;
		r->pair = remap(map, n, r->pair);
		r->prev = remap(map, n, r->prev);
		r->next = remap(map, n, r->next);
	}
	/* rec_free gives back rs->cap elements: the size it is left with */
	rs->cap = bigarr_resize((void **)&rs->v, all->n + 1, n,
				sizeof(*rs->v)) == 0 ? n : all->n + 1;
	rs->n = n;
	rs->stream_nreq[st] = rec_stream_requests(all, st);
	rs->replay = true;
	free(map);
	return 0;
}
