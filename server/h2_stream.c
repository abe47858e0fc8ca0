/*
 * h2_stream.c - one HTTP/2 stream's request and response (see h2.h).
 *
 * In: the request's header fields and DATA are collected, then written
 * into the pseudo connection's input as one HTTP/1.1 request (Host from
 * :authority, cookies joined with "; " as RFC 9113 §8.2.3 says, our own
 * Content-Length) and run through conn.c like any other.
 *
 * Out: what the handler wrote into sc.out (then sc.tail, then sc.file_fd)
 * is an HTTP/1.1 response; its head becomes a HEADERS frame without the
 * connection-specific fields (RFC 9113 §8.2.2), its body -- de-chunked
 * when chunked -- becomes DATA, pulled by nghttp2 as flow control allows.
 * A response cut short (a fault route, a reset) ends in RST_STREAM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/h2.h"
#include "server/h2_int.h"
#include "server/upload.h"

#define H2_SPARE 16		/* closed streams kept per connection */
#define H2_NBUFS 11

/* Every buffer a stream owns, in a fixed order. */
static void
h2_stream_bufs(struct h2_stream *st, struct buf *v[H2_NBUFS])
{
	struct buf *all[H2_NBUFS] = {
		&st->sc.in, &st->sc.out, &st->sc.tail, &st->sc.body,
		&st->sc.head, &st->method, &st->path, &st->host, &st->cookie,
		&st->hdrs, &st->body,
	};

	memcpy(v, all, sizeof all);
}

/* A zeroed stream, reusing a spare's buffers and header array. */
static struct h2_stream *
h2_stream_alloc(struct h2_conn *hc)
{
	struct h2_stream *st = hc->spare;
	struct buf *v[H2_NBUFS], keep[H2_NBUFS];
	struct http_header *hdrs, *rh;

	if (!st) {
		st = calloc(1, sizeof *st);
		if (st) {
			st->sc.hdrs = malloc(hc->c->th->srv->cfg.max_headers *
					     sizeof *st->sc.hdrs);
			st->rh = malloc(H2_MAX_RESP_HEADERS * sizeof *st->rh);
		}
		if (st && (!st->sc.hdrs || !st->rh)) {
			free(st->sc.hdrs);
			free(st->rh);
			free(st);
			st = NULL;
		}
		return st;
	}
	hc->spare = st->next;
	hc->nspare--;
	h2_stream_bufs(st, v);
	for (int i = 0; i < H2_NBUFS; i++)
		keep[i] = *v[i];
	hdrs = st->sc.hdrs;
	rh = st->rh;
	memset(st, 0, sizeof *st);
	for (int i = 0; i < H2_NBUFS; i++) {
		*v[i] = keep[i];
		buf_reset(v[i]);
	}
	st->sc.hdrs = hdrs;
	st->rh = rh;
	return st;
}

struct h2_stream *
h2_stream_new(struct h2_conn *hc, int32_t id)
{
	struct h2_stream *st = h2_stream_alloc(hc);
	struct conn *c = hc->c;

	if (!st)
		return NULL;
	st->hc = hc;
	st->id = id;
	st->sc.th = c->th;
	conn_reader_init(&st->sc);
	st->sc.fd = -1;
	st->sc.file_fd = -1;
	st->sc.ssl = c->ssl;	/* borrowed: only read as "is this TLS" */
	st->sc.h2s = st;
	memcpy(st->sc.peer, c->peer, sizeof c->peer);
	st->sc.st = CS_HEAD;
	st->sc.keep_alive = true;
	st->next = hc->streams;
	if (hc->streams)
		hc->streams->prev = st;
	hc->streams = st;
	hc->nstreams++;
	return st;
}

static void
h2_stream_release(struct h2_stream *st)
{
	struct buf *v[H2_NBUFS];

	h2_stream_bufs(st, v);
	for (int i = 0; i < H2_NBUFS; i++)
		buf_free(v[i]);
	free(st->sc.hdrs);
	free(st->rh);
	free(st);
}

void
h2_stream_free(struct h2_stream *st)
{
	struct h2_conn *hc = st->hc;
	struct conn *c = &st->sc;
	struct buf *v[H2_NBUFS];

	if (c->timer)
		loop_del_timer(c->th->loop, c->timer);
	if (c->file_fd >= 0)
		close(c->file_fd);
	upload_stream_free(c->upl);
	hc->buffered -= st->body.len;
	if (st->prev)
		st->prev->next = st->next;
	else
		hc->streams = st->next;
	if (st->next)
		st->next->prev = st->prev;
	hc->nstreams--;
	if (hc->nspare >= H2_SPARE) {
		h2_stream_release(st);
		return;
	}
	h2_stream_bufs(st, v);
	for (int i = 0; i < H2_NBUFS; i++)
		if (v[i]->cap > 65536)
			buf_free(v[i]);	/* do not keep a big body's room */
	st->next = hc->spare;
	hc->spare = st;
	hc->nspare++;
}

void
h2_stream_spares_free(struct h2_conn *hc)
{
	while (hc->spare) {
		struct h2_stream *st = hc->spare;

		hc->spare = st->next;
		h2_stream_release(st);
	}
	hc->nspare = 0;
}

static bool
h2_name_is(const char *name, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(name, lit, n) == 0;
}

void
h2_stream_header(struct h2_stream *st, const char *name, size_t nlen,
		 const char *value, size_t vlen)
{
	struct buf *to = NULL;

	if (h2_name_is(name, nlen, ":method"))
		to = &st->method;
	else if (h2_name_is(name, nlen, ":path"))
		to = &st->path;
	else if (h2_name_is(name, nlen, ":authority") ||
		 (h2_name_is(name, nlen, "host") && !st->host.len))
		to = &st->host;
	if (to) {
		buf_reset(to);
		buf_append(to, value, vlen);
		return;
	}
	if (nlen && name[0] == ':')
		return;		/* :scheme; nghttp2 refused unknown ones */
	if (h2_name_is(name, nlen, "cookie")) {
		if (st->cookie.len)
			buf_puts(&st->cookie, "; ");
		buf_append(&st->cookie, value, vlen);
		return;
	}
	/* ours to set, or meaningless once the request is whole */
	if (h2_name_is(name, nlen, "host") ||
	    h2_name_is(name, nlen, "content-length") ||
	    h2_name_is(name, nlen, "expect") || h2_name_is(name, nlen, "te"))
		return;
	buf_append(&st->hdrs, name, nlen);
	buf_puts(&st->hdrs, ": ");
	buf_append(&st->hdrs, value, vlen);
	buf_puts(&st->hdrs, "\r\n");
}

void
h2_stream_data(struct h2_stream *st, const uint8_t *p, size_t n)
{
	st->body_total += n;
	/* past the limit only the count matters: conn.c answers 413 */
	if (st->body_total <= st->sc.th->srv->cfg.max_body)
		buf_append(&st->body, p, n);
}

void
h2_stream_run(struct h2_stream *st)
{
	struct conn *c = &st->sc;
	struct span m = buf_unread(&st->method);
	bool with_length = st->body_total > 0 || span_eq(m, "POST") ||
	    span_eq(m, "PUT") || span_eq(m, "PATCH");

	st->started = true;
	buf_append(&c->in, m.p, m.len);
	buf_puts(&c->in, " ");
	if (st->path.len)
		buf_append(&c->in, st->path.data, st->path.len);
	else
		buf_append(&c->in, st->host.data, st->host.len); /* CONNECT */
	buf_puts(&c->in, " HTTP/1.1\r\nHost: ");
	if (st->host.len)
		buf_append(&c->in, st->host.data, st->host.len);
	else
		buf_puts(&c->in, c->th->srv->host);
	buf_puts(&c->in, "\r\n");
	if (st->cookie.len) {
		buf_puts(&c->in, "Cookie: ");
		buf_append(&c->in, st->cookie.data, st->cookie.len);
		buf_puts(&c->in, "\r\n");
	}
	buf_append(&c->in, st->hdrs.data, st->hdrs.len);
	if (with_length) {
		buf_puts(&c->in, "Content-Length: ");
		buf_put_u64(&c->in, st->body_total);
		buf_puts(&c->in, "\r\n");
	}
	buf_puts(&c->in, "\r\n");
	if (st->body_total == st->body.len)
		buf_append(&c->in, st->body.data, st->body.len);
	st->hc->buffered -= st->body.len;
	buf_free(&st->body);
	conn_process(c);
}

/* Is the handler finished with this response (nothing more will come)? */
static bool
h2_stream_handler_done(const struct h2_stream *st)
{
	return st->sc.st != CS_WAIT && st->sc.st != CS_BODY;
}

static bool
h2_stream_has_more(const struct h2_stream *st)
{
	const struct conn *c = &st->sc;

	return c->out.len > c->out.off || c->tail.len > c->tail.off ||
	    c->file_left > 0;
}

static void
h2_stream_reset(struct h2_stream *st, uint32_t code)
{
	nghttp2_submit_rst_stream(st->hc->s, NGHTTP2_FLAG_NONE, st->id, code);
}

/* Copy body bytes from one buffer into p; -1 on a bad chunk. */
static long
h2_take_buf(struct h2_stream *st, struct buf *b, uint8_t *p, size_t room)
{
	struct span u = buf_unread(b);
	size_t n = u.len < room ? u.len : room;

	if (st->rbd.framing == HTTP_FRAME_CHUNKED) {
		struct span d;
		struct http_error err;
		long k = http_body_decode(&st->rbd, u.p, n, &d, &err);

		if (k < 0)
			return -1;
		memcpy(p, d.p, d.len);
		buf_consume(b, (size_t)k);
		if (k == 0 && !st->rbd.done)
			return -2;	/* cannot go on with these bytes */
		return (long)d.len;
	}
	if (st->rbd.framing == HTTP_FRAME_LENGTH && n > st->left)
		n = (size_t)st->left;
	memcpy(p, u.p, n);
	buf_consume(b, n);
	st->left -= st->rbd.framing == HTTP_FRAME_LENGTH ? n : 0;
	return (long)n;
}

static bool
h2_body_complete(const struct h2_stream *st)
{
	switch (st->rbd.framing) {
	case HTTP_FRAME_LENGTH:
		return st->left == 0;
	case HTTP_FRAME_CHUNKED:
		return st->rbd.done;
	case HTTP_FRAME_CLOSE:
		return h2_stream_handler_done(st) && !h2_stream_has_more(st);
	default:
		return true;
	}
}

/* Up to room body bytes into p: their number, or -1 when broken. */
static long
h2_body_take(struct h2_stream *st, uint8_t *p, size_t room)
{
	struct conn *c = &st->sc;
	size_t got = 0;

	while (got < room && !h2_body_complete(st)) {
		struct buf *b = c->out.len > c->out.off ? &c->out :
		    c->tail.len > c->tail.off ? &c->tail : NULL;
		long k;

		if (b) {
			k = h2_take_buf(st, b, p + got, room - got);
			if (k == -2)
				break;
		} else if (c->file_left) {
			size_t n = room - got;

			if (n > c->file_left)
				n = (size_t)c->file_left;
			if (st->rbd.framing == HTTP_FRAME_LENGTH &&
			    n > st->left)
				n = (size_t)st->left;
			k = pread(c->file_fd, p + got, n, (off_t)c->file_off);
			if (k <= 0)
				return -1;	/* the file shrank */
			c->file_off += (uint64_t)k;
			c->file_left -= (uint64_t)k;
			if (st->rbd.framing == HTTP_FRAME_LENGTH)
				st->left -= (uint64_t)k;
		} else {
			break;
		}
		if (k < 0)
			return -1;
		got += (size_t)k;
	}
	return (long)got;
}

static ssize_t
h2_read_cb(nghttp2_session *s, int32_t id, uint8_t *p, size_t room,
	   uint32_t *flags, nghttp2_data_source *src, void *user)
{
	struct h2_stream *st = src->ptr;
	long n = h2_body_take(st, p, room);

	(void)s;
	(void)id;
	(void)user;
	if (n < 0 || st->sc.reset)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;	/* RST */
	if (h2_body_complete(st)) {
		*flags |= NGHTTP2_DATA_FLAG_EOF;
		return n;
	}
	if (n > 0)
		return n;
	if (h2_stream_handler_done(st))
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;	/* cut short */
	st->deferred = true;
	return NGHTTP2_ERR_DEFERRED;
}

static bool
h2_hop_by_hop(struct span name)
{
	static const char *const drop[] = {
		"connection", "keep-alive", "proxy-connection",
		"transfer-encoding", "upgrade",
	};

	for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
		if (span_ieq(name, drop[i]))
			return true;
	return false;
}

/* Submit the parsed head in st->rmsg as HEADERS (and DATA to come). */
static int
h2_submit_head(struct h2_stream *st)
{
	struct http_msg *m = &st->rmsg;
	nghttp2_nv nva[H2_MAX_RESP_HEADERS + 1];
	char status[8], lower[8192];
	size_t n = 0, used = 0;
	nghttp2_data_provider dp = { .source.ptr = st, .read_callback =
					     h2_read_cb };
	bool body = !st->sc.is_head && m->framing != HTTP_FRAME_NONE;

	status[0] = (char)('0' + m->status / 100 % 10);
	status[1] = (char)('0' + m->status / 10 % 10);
	status[2] = (char)('0' + m->status % 10);
	status[3] = 0;
	nva[n++] = (nghttp2_nv){ (uint8_t *)":status", (uint8_t *)status, 7,
				 3, NGHTTP2_NV_FLAG_NONE };
	for (size_t i = 0; i < m->nheaders; i++) {
		struct http_header *h = &m->headers[i];

		if (h2_hop_by_hop(h->name) || used + h->name.len > sizeof lower)
			continue;
		for (size_t k = 0; k < h->name.len; k++) {
			char ch = h->name.p[k];

			lower[used + k] = ch >= 'A' && ch <= 'Z' ?
			    (char)(ch + 32) : ch;
		}
		nva[n++] = (nghttp2_nv){ (uint8_t *)lower + used,
					 (uint8_t *)h->value.p, h->name.len,
					 h->value.len, NGHTTP2_NV_FLAG_NONE };
		used += h->name.len;
	}
	st->left = m->framing == HTTP_FRAME_LENGTH ? m->content_length : 0;
	http_body_init(&st->rbd, m, HTTP_LENIENT);
	st->resp_sent = true;
	return nghttp2_submit_response(st->hc->s, st->id, nva, n,
				       body ? &dp : NULL);
}

/* Look for the response head in sc.out: 1 sent, 0 not yet, -1 broken. */
static int
h2_stream_head(struct h2_stream *st)
{
	struct conn *c = &st->sc;
	static const struct http_limits lim = { 65536, 1 << 20 };

	for (;;) {
		struct span u = buf_unread(&c->out);
		struct http_error err;
		struct span meth = c->is_head ? SPAN_LIT("HEAD") :
		    SPAN_LIT("GET");

		st->rmsg.headers = st->rh;
		st->rmsg.max_headers = H2_MAX_RESP_HEADERS;
		int r = http_parse_response(u.p, u.len, 0, HTTP_LENIENT, &lim,
					    meth, &st->rmsg, &err);

		if (r == HTTP_INCOMPLETE)
			return h2_stream_handler_done(st) ? -1 : 0;
		if (r < 0 || st->rmsg.status == 101)
			return -1;
		if (st->rmsg.status >= 200) {
			int rv = h2_submit_head(st);

			buf_consume(&c->out, (size_t)r);
			return rv == 0 ? 1 : -1;
		}
		buf_consume(&c->out, (size_t)r);	/* 1xx: not forwarded */
	}
}

void
h2_stream_settle(struct conn *c)
{
	struct h2_stream *st = c->h2s;

	if (c->reset) {
		h2_stream_abort(c);
		return;
	}
	if (!st->resp_sent) {
		if (h2_stream_head(st) < 0)
			h2_stream_reset(st, NGHTTP2_INTERNAL_ERROR);
	} else if (st->deferred) {
		st->deferred = false;
		nghttp2_session_resume_data(st->hc->s, st->id);
	}
	h2_kick(st->hc);
}

void
h2_stream_abort(struct conn *c)
{
	struct h2_stream *st = c->h2s;

	if (c->timer) {
		loop_del_timer(c->th->loop, c->timer);
		c->timer = 0;
	}
	c->cont = NULL;
	c->st = CS_CLOSE;
	h2_stream_reset(st, NGHTTP2_INTERNAL_ERROR);
	h2_kick(st->hc);
}
