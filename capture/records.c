/*
 * records.c - the store of HTTP message records (see records.h).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/bigarr.h"
#include "records.h"

void
rec_init(struct records *rs, bool keep_heads)
{
	memset(rs, 0, sizeof(*rs));
	rs->keep_heads = keep_heads;
}

void
rec_free(struct records *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		struct http_rec *r = rec_get(rs, i);
		struct rec_copy *c = r ? r->copy : NULL;

		if (c) {
			free(c->head);
			free(c->body);
			free(c);
		}
	}
	bigarr_free(rs->v, rs->cap, sizeof(*rs->v));
	free(rs->stream_nreq);
	free(rs->stream_last);
	memset(rs, 0, sizeof(*rs));
}

void
rec_set_ring(struct records *rs, size_t n)
{
	if (!rs->keep_heads && rs->n == 0)
		rs->ring = n;
}

void
rec_replay(struct records *rs)
{
	rs->replay = true;
	rs->cursor = 0;
}

static int
rec_streams(struct records *rs, uint32_t stream)
{
	size_t n = rs->nstreams ? rs->nstreams : 64;
	uint32_t *a, *b;

	if (stream < rs->nstreams)
		return 0;
	while (n <= stream)
		n *= 2;
	a = realloc(rs->stream_nreq, n * sizeof(*a));
	if (!a)
		return -1;
	rs->stream_nreq = a;
	b = realloc(rs->stream_last, n * sizeof(*b));
	if (!b)
		return -1;
	rs->stream_last = b;
	memset(a + rs->nstreams, 0, (n - rs->nstreams) * sizeof(*a));
	memset(b + rs->nstreams, 0, (n - rs->nstreams) * sizeof(*b));
	rs->nstreams = n;
	return 0;
}

long
rec_begin(struct records *rs, enum rec_type type, uint32_t stream, int dir,
	  uint32_t first_frame)
{
	struct http_rec *r;
	size_t i;

	if (rs->replay)
		return rs->cursor < rs->n ? (long)rs->cursor++ : -1;
	if (rs->n == rs->cap && !(rs->ring && rs->cap == rs->ring)) {
		/* grows by mremap: no copy, untouched pages free */
		size_t ncap = rs->cap ? rs->cap * 2 : 256;

		if (rs->ring && ncap > rs->ring)
			ncap = rs->ring;
		if (bigarr_resize((void **)&rs->v, rs->cap, ncap,
				  sizeof(*rs->v)) < 0)
			return -1;
		rs->cap = ncap;
	}
	if (rec_streams(rs, stream) < 0)
		return -1;
	i = rs->n++;
	if (!(r = rec_get(rs, i)))
		return -1;
	memset(r, 0, sizeof(*r));
	r->type = (uint8_t)type;
	r->stream = stream;
	r->dir = (uint8_t)dir;
	r->first_frame = first_frame;
	r->content_length = UINT64_MAX;
	if (type == REC_REQUEST) {
		r->nth = ++rs->stream_nreq[stream];
		r->prev = rs->stream_last[stream];
		if (r->prev && rec_get(rs, r->prev - 1))
			rec_get(rs, r->prev - 1)->next = (uint32_t)i + 1;
		rs->stream_last[stream] = (uint32_t)i + 1;
	}
	return (long)i;
}

void
rec_pair(struct records *rs, size_t resp, size_t req, bool final)
{
	if (rs->replay || !rec_get(rs, resp) || !rec_get(rs, req))
		return;
	rec_get(rs, resp)->pair = (uint32_t)req + 1;
	if (final && !rec_get(rs, req)->pair)
		rec_get(rs, req)->pair = (uint32_t)resp + 1;
}

void
rec_set_head(struct records *rs, size_t i, const char *p, size_t n)
{
	struct http_rec *r = rec_get(rs, i);

	if (!r || !rs->keep_heads || (r->copy && r->copy->head))
		return;
	if (!r->copy && !(r->copy = calloc(1, sizeof(*r->copy))))
		return;
	r->copy->head = malloc(n + 1);
	if (!r->copy->head)
		return;
	memcpy(r->copy->head, p, n);
	r->copy->head[n] = '\0';
	r->copy->head_len = (uint32_t)n;
}

void
rec_set_body(struct records *rs, size_t i, const char *p, size_t n)
{
	struct http_rec *r = rec_get(rs, i);

	if (!r || !rs->keep_heads || !r->copy || r->copy->body || n == 0)
		return;
	if (n > REC_BODY_MAX)
		n = REC_BODY_MAX;
	r->copy->body = malloc(n);
	if (!r->copy->body)
		return;
	memcpy(r->copy->body, p, n);
	r->copy->body_kept = (uint32_t)n;
}

uint32_t
rec_stream_requests(const struct records *rs, uint32_t stream)
{
	return stream < rs->nstreams ? rs->stream_nreq[stream] : 0;
}
