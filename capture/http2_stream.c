/*
 * http2_stream.c - HTTP/2 streams into messages (see http2.h): per
 * stream and direction, the first header block and the DATA after it,
 * reported on END_STREAM, RST_STREAM or the end of the connection.
 * The table holds at most H2_MAX_STREAMS open streams; past that the
 * oldest is forgotten (a hostile capture cannot grow it).
 */
#include <stdlib.h>
#include <string.h>

#include "http2_impl.h"

static void
side_free(struct h2_sside *sd)
{
	h2_hdrs_free(&sd->h);
	buf_free(&sd->body);
	memset(sd, 0, sizeof(*sd));
}

static void
stream_drop(struct h2_conn *c, size_t i)
{
	side_free(&c->st[i].s[0]);
	side_free(&c->st[i].s[1]);
	memmove(c->st + i, c->st + i + 1, (c->nst - i - 1) * sizeof(*c->st));
	c->nst--;
}

/* The stream id, found or made (NULL on ENOMEM); make: may create. */
static struct h2_stream *
stream_get(struct h2_conn *c, uint32_t id, bool make)
{
	size_t i;

	for (i = c->nst; i-- > 0;)
		if (c->st[i].id == id)
			return &c->st[i];
	if (!make || id == 0)
		return NULL;
	if (c->nst == H2_MAX_STREAMS)
		stream_drop(c, 0);
	if (c->nst == c->stcap) {
		size_t ncap = c->stcap ? c->stcap * 2 : 8;
		void *np = realloc(c->st, ncap * sizeof(*c->st));

		if (!np)
			return NULL;
		c->st = np;
		c->stcap = ncap;
	}
	memset(&c->st[c->nst], 0, sizeof(*c->st));
	c->st[c->nst].id = id;
	return &c->st[c->nst++];
}

static int
status_of(struct span v)
{
	unsigned long long n;

	return span_to_u64(v, &n) && n < 1000 ? (int)n : 0;
}

/* Report one side's message; it is done afterwards. */
static void
emit(struct h2_conn *c, struct h2_stream *s, int dir, bool ended,
     bool reset, const struct h2_cb *cb, void *ctx)
{
	struct h2_sside *sd = &s->s[dir];
	struct h2_message m;
	unsigned i;

	memset(&m, 0, sizeof(m));
	m.dir = dir;
	m.stream = s->id;
	m.headers = h2_hdrs_view(c, &sd->h);
	m.nheaders = m.headers ? sd->h.n : 0;
	for (i = 0; i < m.nheaders; i++) {
		struct span n = m.headers[i].name, v = m.headers[i].value;

		if (span_eq(n, ":method"))
			m.method = v;
		else if (span_eq(n, ":path"))
			m.path = v;
		else if (span_eq(n, ":authority"))
			m.authority = v;
		else if (span_eq(n, ":scheme"))
			m.scheme = v;
		else if (span_eq(n, ":status"))
			m.status = status_of(v);
	}
	m.body = (struct span){ sd->body.data, sd->body.len };
	m.body_total = sd->total;
	m.body_cut = sd->cut;
	m.ended = ended;
	m.reset = reset;
	m.pushed = sd->pushed;
	m.first_frame = sd->first_frame;
	sd->done = true;
	if (cb->message && sd->started)
		cb->message(ctx, &m);
	h2_hdrs_free(&sd->h);
	buf_free(&sd->body);
}

/* Both sides over: forget the stream. */
static void
maybe_drop(struct h2_conn *c, struct h2_stream *s)
{
	if (s->s[0].done && s->s[1].done)
		stream_drop(c, (size_t)(s - c->st));
}

/* Copy a header block's fields into sd, started on this frame. */
static void
side_start(struct h2_conn *c, struct h2_sside *sd, const struct h2_frame *f)
{
	unsigned i;

	side_free(sd);
	sd->started = true;
	sd->first_frame = c->frame;
	for (i = 0; i < f->nheaders; i++)
		h2_hdrs_add(&sd->h, (const uint8_t *)f->headers[i].name.p,
			    f->headers[i].name.len,
			    (const uint8_t *)f->headers[i].value.p,
			    f->headers[i].value.len);
}

/*
 * A PUSH_PROMISE block ended (RFC 9113 §8.4): the request the server
 * promises is the promised stream's client side, complete at once (a
 * promised request has no body).  Only a server promises.
 */
static void
on_promise(struct h2_conn *c, int dir, const struct h2_frame *f,
	   const struct h2_cb *cb, void *ctx)
{
	uint32_t id = c->d[dir].block_promised;
	struct h2_stream *s;

	if (dir != 1 || !id || f->block_bad ||
	    !(s = stream_get(c, id, true)) || s->s[0].started)
		return;
	side_start(c, &s->s[0], f);
	s->s[0].pushed = true;
	emit(c, s, 0, true, false, cb, ctx);
	maybe_drop(c, s);
}

/* A header block ended on stream id from dir. */
static void
on_block(struct h2_conn *c, int dir, const struct h2_frame *f,
	 const struct h2_cb *cb, void *ctx)
{
	const struct h2_dir *d = &c->d[dir];
	struct h2_stream *s;
	struct h2_sside *sd;
	unsigned i;
	int status = 0;

	if (d->block_type == H2_PUSH_PROMISE) {
		on_promise(c, dir, f, cb, ctx);
		return;
	}
	if (d->block_type != H2_HEADERS || !(s = stream_get(c, f->stream, true)))
		return;
	sd = &s->s[dir];
	if (!sd->started || sd->done) {
		side_start(c, sd, f);
		for (i = 0; i < f->nheaders; i++)
			if (span_eq(f->headers[i].name, ":status"))
				status = status_of(f->headers[i].value);
		if (status >= 100 && status < 200 && !d->block_end) {
			emit(c, s, dir, true, false, cb, ctx);
			sd->started = sd->done = false;
			return;
		}
	}
	/* else trailers: the message ends with them */
	if (d->block_end) {
		emit(c, s, dir, true, false, cb, ctx);
		maybe_drop(c, s);
	}
}

void
h2s_data(struct h2_conn *c, int dir, uint32_t id, const char *p, size_t n)
{
	struct h2_stream *s = stream_get(c, id, false);
	struct h2_sside *sd;
	size_t room;

	if (!s || !(sd = &s->s[dir])->started || sd->done)
		return;
	sd->total += n;
	room = c->keep > sd->body.len ? c->keep - sd->body.len : 0;
	if (!p || n > room)
		sd->cut = true;
	if (p && room && buf_append(&sd->body, p, n < room ? n : room) < 0)
		sd->cut = true;
}

void
h2s_frame(struct h2_conn *c, int dir, const struct h2_frame *f,
	  const struct h2_cb *cb, void *ctx)
{
	struct h2_stream *s;

	if (f->block_done) {
		on_block(c, dir, f, cb, ctx);
		return;
	}
	if (f->type == H2_DATA && !f->cut)
		h2s_data(c, dir, f->stream, f->data.p, f->data.len);
	if (f->type == H2_DATA && (f->flags & H2_F_END_STREAM) &&
	    (s = stream_get(c, f->stream, false)) && s->s[dir].started &&
	    !s->s[dir].done) {
		emit(c, s, dir, true, false, cb, ctx);
		maybe_drop(c, s);
	}
	if (f->type == H2_RST_STREAM && (s = stream_get(c, f->stream, false))) {
		if (s->s[0].started && !s->s[0].done)
			emit(c, s, 0, false, true, cb, ctx);
		if (s->s[1].started && !s->s[1].done)
			emit(c, s, 1, false, true, cb, ctx);
		stream_drop(c, (size_t)(s - c->st));
	}
}

void
h2s_upgraded(struct h2_conn *c)
{
	struct h2_stream *s = stream_get(c, 1, true);

	if (s)
		s->s[0].started = s->s[0].done = true;
}

void
h2_end(struct h2_conn *c, const struct h2_cb *cb, void *ctx)
{
	size_t i;
	int k;

	for (i = 0; i < c->nst; i++)
		for (k = 0; k < 2; k++)
			if (c->st[i].s[k].started && !c->st[i].s[k].done)
				emit(c, &c->st[i], k, false, false, cb, ctx);
	h2s_free_all(c);
}

void
h2s_free_all(struct h2_conn *c)
{
	while (c->nst)
		stream_drop(c, c->nst - 1);
	free(c->st);
	c->st = NULL;
	c->stcap = 0;
}

struct span
h2s_content_type(struct h2_conn *c, int dir, uint32_t id)
{
	struct h2_stream *s = stream_get(c, id, false);
	const struct h2_hdrs *h;
	unsigned i;

	if (!s)
		return SPAN_NULL;
	h = &s->s[dir].h;
	for (i = 0; i < h->n; i++)
		if (h->pos[i][1] == 12 &&
		    memcmp(h->text.data + h->pos[i][0], "content-type", 12) == 0)
			return (struct span){ h->text.data + h->pos[i][2],
					      h->pos[i][3] };
	return SPAN_NULL;
}
