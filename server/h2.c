/*
 * h2.c - a connection speaking HTTP/2 (see h2.h): how it starts (ALPN h2,
 * the preface with prior knowledge, Upgrade: h2c), nghttp2's session and
 * callbacks, sending, idle timeout and shutdown.
 *
 * nghttp2 owns framing, HPACK, flow control and the protocol checks of
 * RFC 9113 (it answers a bad frame with RST_STREAM or GOAWAY and the
 * right error code); our loop owns the socket: bytes read into c->in go
 * to nghttp2_session_mem_recv, frames it wants sent are copied into c->out
 * and flushed by conn_io.c.  Nothing is sent from inside a callback: a
 * handler that answers at once only queues, and h2_kick sends afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "lib/base64.h"
#include "server/h2.h"
#include "server/h2_int.h"
#include "server/tls.h"

#define H2_MAX_STREAMS 128
#define H2_WINDOW (1 << 20)		/* per stream, for uploads */
#define H2_CONN_WINDOW (1 << 24)
#define H2_OUT_HIGH (256u << 10)	/* stop pulling frames past this */

static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

static struct h2_stream *
h2_stream_of(struct h2_conn *hc, int32_t id)
{
	return nghttp2_session_get_stream_user_data(hc->s, id);
}

/* RFC 9113 §5.1.1: a client's new stream ids only grow; a HEADERS for
 * a lower id that the client never opened is a connection error
 * PROTOCOL_ERROR.  nghttp2 ignores such a block (it cannot tell it from
 * trailers for a stream it forgot), so the ids opened among the last
 * H2_SEEN_IDS odd ones are kept in a bitmap: one that is not there was
 * skipped, and is refused.  Further back, nghttp2's leniency stands. */
#define H2_SEEN_IDS 512

static bool
h2_seen_bit(const struct h2_conn *hc, int32_t id)
{
	uint32_t i = ((uint32_t)id >> 1) % H2_SEEN_IDS;

	return hc->seen[i / 64] >> (i % 64) & 1;
}

static void
h2_mark_opened(struct h2_conn *hc, int32_t id)
{
	uint32_t i;

	if (id > hc->max_opened) {
		if ((id - hc->max_opened) / 2 >= H2_SEEN_IDS)
			memset(hc->seen, 0, sizeof hc->seen);
		else
			for (int32_t k = hc->max_opened + 2; k < id; k += 2) {
				i = ((uint32_t)k >> 1) % H2_SEEN_IDS;
				hc->seen[i / 64] &= ~((uint64_t)1 << (i % 64));
			}
		hc->max_opened = id;
	}
	i = ((uint32_t)id >> 1) % H2_SEEN_IDS;
	hc->seen[i / 64] |= (uint64_t)1 << (i % 64);
}

static int
h2_on_begin_frame(nghttp2_session *s, const nghttp2_frame_hd *hd, void *user)
{
	struct h2_conn *hc = user;
	int32_t id = hd->stream_id;

	if (hd->type == NGHTTP2_HEADERS && (id & 1) && id < hc->max_opened &&
	    (hc->max_opened - id) / 2 < H2_SEEN_IDS && !h2_seen_bit(hc, id))
		nghttp2_session_terminate_session(s, NGHTTP2_PROTOCOL_ERROR);
	return 0;
}

static int
h2_on_begin_headers(nghttp2_session *s, const nghttp2_frame *f, void *user)
{
	struct h2_conn *hc = user;
	struct h2_stream *st;

	if (f->hd.type != NGHTTP2_HEADERS ||
	    f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	h2_mark_opened(hc, f->hd.stream_id);
	st = h2_stream_new(hc, f->hd.stream_id);
	if (!st)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	nghttp2_session_set_stream_user_data(s, f->hd.stream_id, st);
	return 0;
}

static int
h2_on_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *name,
	     size_t nlen, const uint8_t *value, size_t vlen, uint8_t flags,
	     void *user)
{
	struct h2_stream *st = h2_stream_of(user, f->hd.stream_id);

	(void)s;
	(void)flags;
	/* trailers (HCAT_HEADERS) carry nothing the routes read */
	if (st && f->hd.type == NGHTTP2_HEADERS &&
	    f->headers.cat == NGHTTP2_HCAT_REQUEST)
		h2_stream_header(st, (const char *)name, nlen,
				 (const char *)value, vlen);
	return 0;
}

static int
h2_on_data(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *p,
	   size_t n, void *user)
{
	struct h2_conn *hc = user;
	struct h2_stream *st = h2_stream_of(hc, id);
	size_t lim = hc->c->th->srv->cfg.max_body, had;

	(void)flags;
	if (!st || st->started)
		return 0;
	/* many streams must not hold more than one request may: the
	 * stream that would pass the connection's budget is refused */
	if (st->body.len + n <= lim && hc->buffered + n > lim) {
		nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, id,
					  NGHTTP2_REFUSED_STREAM);
		st->started = true;	/* never dispatched */
		return 0;
	}
	had = st->body.len;
	h2_stream_data(st, p, n);
	hc->buffered += st->body.len - had;
	return 0;
}

static int
h2_on_frame(nghttp2_session *s, const nghttp2_frame *f, void *user)
{
	struct h2_stream *st;

	(void)s;
	if ((f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA) ||
	    !(f->hd.flags & NGHTTP2_FLAG_END_STREAM))
		return 0;
	st = h2_stream_of(user, f->hd.stream_id);
	if (st)
		st->ready = true;	/* dispatched after mem_recv */
	return 0;
}

static int
h2_on_close(nghttp2_session *s, int32_t id, uint32_t code, void *user)
{
	struct h2_stream *st = h2_stream_of(user, id);

	(void)code;
	if (st) {
		nghttp2_session_set_stream_user_data(s, id, NULL);
		h2_stream_free(st);
	}
	return 0;
}

static struct h2_conn *
h2_start(struct conn *c)
{
	const struct server_config *cfg = &c->th->srv->cfg;
	nghttp2_session_callbacks *cb;
	struct h2_conn *hc = calloc(1, sizeof *hc);
	nghttp2_settings_entry set[] = {
		{ NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, H2_MAX_STREAMS },
		{ NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, H2_WINDOW },
		{ NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
		  (uint32_t)cfg->max_header },
	};

	if (!hc)
		return NULL;
	hc->c = c;
	nghttp2_session_callbacks_new(&cb);
	nghttp2_session_callbacks_set_on_begin_frame_callback(
	    cb, h2_on_begin_frame);
	nghttp2_session_callbacks_set_on_begin_headers_callback(
	    cb, h2_on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(cb, h2_on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb,
								  h2_on_data);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, h2_on_frame);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb,
							       h2_on_close);
	int rv = nghttp2_session_server_new(&hc->s, cb, hc);

	nghttp2_session_callbacks_del(cb);
	if (rv != 0) {
		free(hc);
		return NULL;
	}
	nghttp2_submit_settings(hc->s, NGHTTP2_FLAG_NONE, set,
				sizeof set / sizeof *set);
	nghttp2_session_set_local_window_size(hc->s, NGHTTP2_FLAG_NONE, 0,
					      H2_CONN_WINDOW);
	c->h2 = hc;
	c->st = CS_HEAD;
	c->keep_alive = true;
	c->reqline[0] = 0;
	return hc;
}

int
h2_detect(struct conn *c)
{
	struct span u = buf_unread(&c->in);
	size_t n = sizeof h2_preface - 1;

	if (c->h2s || c->plain_on_tls || u.len == 0)
		return 0;
	if (memcmp(u.p, h2_preface, u.len < n ? u.len : n) != 0)
		return 0;
	if (u.len < n)
		return -1;
	if (!h2_start(c))
		return 0;
	return 1;
}

void
h2_after_tls(struct conn *c)
{
	if (tls_alpn_is_h2(c->ssl))
		h2_start(c);
}

/* Copy the HTTP/1.1 request of an h2c upgrade into stream 1. */
static void
h2_upgrade_request(struct conn *c, struct h2_stream *st)
{
	const struct http_msg *m = &c->rd.msg;

	buf_append(&st->method, m->method.p, m->method.len);
	buf_append(&st->path, m->target.p, m->target.len);
	for (size_t i = 0; i < m->nheaders; i++) {
		struct span nm = m->headers[i].name;
		char lower[256];

		if (nm.len >= sizeof lower || span_ieq(nm, "connection") ||
		    span_ieq(nm, "upgrade") || span_ieq(nm, "http2-settings") ||
		    span_ieq(nm, "transfer-encoding") ||
		    span_ieq(nm, "keep-alive"))
			continue;
		for (size_t k = 0; k < nm.len; k++)
			lower[k] = (char)(nm.p[k] | (nm.p[k] >= 'A' &&
						     nm.p[k] <= 'Z' ? 32 : 0));
		h2_stream_header(st, lower, nm.len, m->headers[i].value.p,
				 m->headers[i].value.len);
	}
	h2_stream_data(st, (const uint8_t *)c->body.data, c->body.len);
	st->hc->buffered += st->body.len;
	st->ready = true;
}

bool
h2_upgrade(struct conn *c)
{
	static const char sw[] = "HTTP/1.1 101 Switching Protocols\r\n"
	    "Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
	struct span set = http_header_value(&c->rd.msg, "http2-settings");
	unsigned char payload[1024];
	struct h2_conn *hc;
	struct h2_stream *st;
	long n;

	/* a body streamed to disk (/upload) stays an HTTP/1.1 request */
	if (c->ssl || c->h2s || c->h2 || !c->rd.msg.upgrade || !set.p ||
	    !http_header_has_token(&c->rd.msg, "upgrade", "h2c") ||
	    set.len > 1300 || c->upl)
		return false;
	n = base64_decode(set, payload);
	if (n < 0 || n % 6)
		return false;	/* not SETTINGS: answer in HTTP/1.1 */
	hc = h2_start(c);
	if (!hc)
		return false;
	if (nghttp2_session_upgrade2(hc->s, payload, (size_t)n,
				     c->is_head, NULL) != 0 ||
	    !(st = h2_stream_new(hc, 1))) {
		h2_free(c);
		return false;
	}
	nghttp2_session_set_stream_user_data(hc->s, 1, st);
	h2_mark_opened(hc, 1);
	h2_upgrade_request(c, st);
	buf_append(&c->out, sw, sizeof sw - 1);
	if (!c->head_moved)
		buf_consume(&c->in, c->rd.msg.head_len);
	c->head_moved = false;
	buf_reset(&c->body);
	h2_process(c);
	return true;
}

static void
h2_dispatch_ready(struct h2_conn *hc)
{
	struct h2_stream *st, *next;

	hc->busy++;
	for (st = hc->streams; st; st = next) {
		next = st->next;
		if (st->ready && !st->started)
			h2_stream_run(st);
	}
	hc->busy--;
}

void
h2_process(struct conn *c)
{
	struct h2_conn *hc = c->h2;
	struct span u = buf_unread(&c->in);

	if (u.len) {
		hc->busy++;
		ssize_t n = nghttp2_session_mem_recv(hc->s,
						     (const uint8_t *)u.p,
						     u.len);
		hc->busy--;
		if (n < 0) {
			/* a bad preface or worse: nghttp2 queued no GOAWAY */
			if (n == NGHTTP2_ERR_BAD_CLIENT_MAGIC)
				nghttp2_session_terminate_session(
				    hc->s, NGHTTP2_PROTOCOL_ERROR);
			n = (ssize_t)u.len;
			c->st = CS_CLOSE;
		}
		buf_consume(&c->in, (size_t)n);
		if (c->in.off == c->in.len)
			buf_reset(&c->in);
	}
	h2_dispatch_ready(hc);
	h2_kick(hc);
}

void
h2_kick(struct h2_conn *hc)
{
	struct conn *c = hc->c;

	if (hc->busy)
		return;
	/* pull frames, send them; again while the socket takes them all
	 * (no write event would come to ask for more) */
	for (bool more = true; more;) {
		while (c->out.len - c->out.off < H2_OUT_HIGH) {
			const uint8_t *p;
			ssize_t n = nghttp2_session_mem_send(hc->s, &p);

			if (n <= 0) {
				more = false;
				if (n < 0)
					c->st = CS_CLOSE;
				break;
			}
			buf_append(&c->out, p, (size_t)n);
		}
		if (!conn_flush(c))
			return;	/* closed, hc freed */
		if (c->out.len > c->out.off)
			break;
	}
	if ((!nghttp2_session_want_read(hc->s) &&
	     !nghttp2_session_want_write(hc->s)) ||
	    (hc->draining && hc->nstreams == 0 &&
	     !nghttp2_session_want_write(hc->s)) || c->peer_eof)
		c->st = CS_CLOSE;
	/* any activity restarts the idle clock (h2_timeout decides) */
	c->deadline = conn_now(c) + c->th->srv->cfg.idle_timeout_ms;
	conn_settle(c);
}

void
h2_timeout(struct conn *c)
{
	struct h2_conn *hc = c->h2;

	for (struct h2_stream *st = hc->streams; st; st = st->next) {
		if (st->sc.st == CS_WAIT) {	/* a handler is still at it */
			c->deadline = conn_now(c) +
			    c->th->srv->cfg.idle_timeout_ms;
			return;
		}
	}
	if (hc->timed_out) {	/* not even the GOAWAY went: drop it */
		conn_close(c);
		return;
	}
	/* idle, or a peer that stopped reading or opening its window */
	hc->timed_out = true;
	nghttp2_session_terminate_session(hc->s, NGHTTP2_NO_ERROR);
	h2_kick(hc);
}

void
h2_drain(struct conn *c)
{
	struct h2_conn *hc = c->h2;

	hc->draining = true;
	nghttp2_submit_goaway(hc->s, NGHTTP2_FLAG_NONE,
			      nghttp2_session_get_last_proc_stream_id(hc->s),
			      NGHTTP2_NO_ERROR, NULL, 0);
	h2_kick(hc);
}

void
h2_free(struct conn *c)
{
	struct h2_conn *hc = c->h2;

	if (!hc)
		return;
	while (hc->streams) {
		nghttp2_session_set_stream_user_data(hc->s, hc->streams->id,
						     NULL);
		h2_stream_free(hc->streams);
	}
	h2_stream_spares_free(hc);
	nghttp2_session_del(hc->s);
	free(hc);
	c->h2 = NULL;
}
