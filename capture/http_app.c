/*
 * http_app.c - WebSocket and HTTP/2 on a flow that left HTTP/1.x (see
 * http_app.h).  The decoders (websocket.c, http2.c) know nothing of
 * flows or records; this file feeds them and turns what they report
 * into the dissector's callbacks and records.
 */
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "http/status.h"
#include "http_app.h"
#include "http_dissect.h"

struct actx {
	struct dissect *d;
	struct flow *f;
	struct happ *a;
	int dir;		/* TCP direction being fed */
	uint32_t frame;
};

static const struct http_limits app_lim = HTTP_LIMITS_DEFAULT;

struct happ *
happ_ws_new(int server_dir, struct span ext, size_t keep)
{
	struct happ *a = calloc(1, sizeof(*a));
	bool nt[2];
	int wb[2];
	bool deflate;

	if (!a)
		return NULL;
	a->kind = HAPP_WS;
	a->client_dir = !server_dir;
	deflate = ws_parse_extensions(ext, nt, wb);
	/* [0] is what the client sends, [1] the server */
	ws_dir_init(&a->ws[!server_dir], deflate, nt[0], wb[0], keep);
	ws_dir_init(&a->ws[server_dir], deflate, nt[1], wb[1], keep);
	return a;
}

static void pend_add(struct happ *a, uint32_t stream, uint32_t rec,
		     struct span method, struct span target, struct span host);

struct happ *
happ_h2_new(int client_dir, long upgrade_rec, const char *upgrade_method,
	    struct span target, struct span host, size_t keep)
{
	struct happ *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->kind = HAPP_H2;
	a->client_dir = client_dir;
	h2_conn_init(&a->h2, keep);
	if (upgrade_rec >= 0) {
		h2_conn_upgraded(&a->h2);
		pend_add(a, 1, (uint32_t)upgrade_rec,
			 span_from(upgrade_method ? upgrade_method : "GET"),
			 target, host);
	}
	return a;
}

static void
pend_drop(struct happ *a, size_t i)
{
	free(a->pend[i].uri);
	memmove(a->pend + i, a->pend + i + 1,
		(a->npend - i - 1) * sizeof(*a->pend));
	a->npend--;
}

static void
pend_add(struct happ *a, uint32_t stream, uint32_t rec, struct span method,
	 struct span target, struct span host)
{
	struct happ_pend *p;
	size_t n = method.len < 15 ? method.len : 15;

	if (a->npend == H2_MAX_STREAMS)
		pend_drop(a, 0);
	if (a->npend == a->pcap) {
		size_t ncap = a->pcap ? a->pcap * 2 : 8;
		void *np = realloc(a->pend, ncap * sizeof(*a->pend));

		if (!np)
			return;
		a->pend = np;
		a->pcap = ncap;
	}
	p = &a->pend[a->npend++];
	memset(p, 0, sizeof(*p));
	p->stream = stream;
	p->rec = rec;
	memcpy(p->method, method.p ? method.p : "", n);
	if (target.p && (p->uri = malloc(target.len + host.len + 1))) {
		memcpy(p->uri, target.p, target.len);
		if (host.p)
			memcpy(p->uri + target.len, host.p, host.len);
		p->target_len = (uint32_t)target.len;
		p->host_len = host.p ? (uint32_t)host.len : 0;
	}
}

void
happ_free(struct happ *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < 2; i++)
		ws_dir_free(&a->ws[i]);
	if (a->kind == HAPP_H2)
		h2_conn_free(&a->h2);
	while (a->npend)
		pend_drop(a, a->npend - 1);
	free(a->pend);
	buf_free(&a->head);
	free(a);
}

/* ---- WebSocket -------------------------------------------------------- */

static void
ws_frame_cb(void *ctx, const struct ws_frame *wf)
{
	struct actx *x = ctx;

	x->d->frame_app++;
	if (x->d->cb && x->d->cb->on_ws_frame)
		x->d->cb->on_ws_frame(x->d->ctx, x->f, x->dir, wf);
}

static void
ws_msg_cb(void *ctx, const struct ws_message *m)
{
	struct actx *x = ctx;

	if (x->d->cb && x->d->cb->on_ws_message)
		x->d->cb->on_ws_message(x->d->ctx, x->f, x->dir, m);
}

static const struct ws_cb ws_cbs = { ws_frame_cb, ws_msg_cb };

/* ---- HTTP/2 ------------------------------------------------------------ */

static void
h2_frame_cb(void *ctx, const struct h2_frame *hf)
{
	struct actx *x = ctx;

	x->d->frame_app++;
	if (x->d->cb && x->d->cb->on_h2_frame)
		x->d->cb->on_h2_frame(x->d->ctx, x->f, x->dir, hf);
}

/* The HTTP/1.1 rendering of m's fields into a->head: start line from
 * the pseudo-headers, Host from :authority when there is no host. */
static void
render_head(struct happ *a, const struct h2_message *m)
{
	struct buf *b = &a->head;
	bool req = m->dir == 0, host = false;
	unsigned i;

	buf_reset(b);
	if (req)
		buf_printf(b, "%.*s %.*s HTTP/1.1\r\n",
			   (int)m->method.len, m->method.p ? m->method.p : "GET",
			   (int)(m->path.p ? m->path.len : m->authority.len),
			   m->path.p ? m->path.p :
			   m->authority.p ? m->authority.p : "*");
	else
		buf_printf(b, "HTTP/1.1 %d %s\r\n", m->status,
			   http_status_phrase(m->status));
	for (i = 0; i < m->nheaders; i++)
		if (span_ieq(m->headers[i].name, "host"))
			host = true;
	if (req && !host && m->authority.p)
		buf_printf(b, "Host: %.*s\r\n", (int)m->authority.len,
			   m->authority.p);
	for (i = 0; i < m->nheaders; i++) {
		struct span n = m->headers[i].name, v = m->headers[i].value;

		if (n.len && n.p[0] == ':')
			continue;
		buf_append(b, n.p, n.len);
		buf_puts(b, ": ");
		buf_append(b, v.p, v.len);
		buf_puts(b, "\r\n");
	}
	buf_puts(b, "\r\n");
}

static struct happ_pend *
pend_find(struct happ *a, uint32_t stream)
{
	size_t i;

	for (i = 0; i < a->npend; i++)
		if (a->pend[i].stream == stream)
			return &a->pend[i];
	return NULL;
}

/* The TCP direction m's bytes came in: a pushed request's came from the
   server, in its PUSH_PROMISE. */
static int
tcp_dir(const struct happ *a, const struct h2_message *m)
{
	return m->dir == 0 && !m->pushed ? a->client_dir : !a->client_dir;
}

/* Record and pair one HTTP/2 message; fills the view's request side. */
static long
h2_record(struct actx *x, const struct h2_message *m, struct http_view *v)
{
	struct dissect *d = x->d;
	struct happ *a = x->a;
	bool req = m->dir == 0;
	struct happ_pend *p = req ? NULL : pend_find(a, m->stream);
	long rec = rec_begin(d->rs, req ? REC_REQUEST : REC_RESPONSE,
			     x->f->stream, tcp_dir(a, m), m->first_frame);
	struct http_rec *r = rec >= 0 ? rec_get(d->rs, (size_t)rec) : NULL;

	if (r) {
		r->h2_stream = m->stream;
		r->frame = x->frame;
		r->code = (uint16_t)m->status;
		r->body_len = m->body_total;
		r->malformed = m->reset ? "stream reset (RST_STREAM)" :
			       !m->ended ? "stream did not end" : NULL;
		if (http_header_find(&d->msg, "content-length"))
			r->content_length = d->msg.content_length;
		rec_set_head(d->rs, (size_t)rec, a->head.data, a->head.len);
		if (m->body.len)
			rec_set_body(d->rs, (size_t)rec, m->body.p, m->body.len);
	}
	if (req && rec >= 0)
		pend_add(a, m->stream, (uint32_t)rec, m->method, m->path,
			 m->authority);
	if (p) {
		memcpy(v->method, p->method, sizeof(v->method));
		if (p->uri) {
			v->req_target = (struct span){ p->uri, p->target_len };
			if (p->host_len)
				v->req_host = (struct span){
					p->uri + p->target_len, p->host_len };
		}
		if (rec >= 0)
			rec_pair(d->rs, (size_t)rec, p->rec, m->status >= 200);
	} else if (req && m->method.p) {
		size_t n = m->method.len < 15 ? m->method.len : 15;

		memcpy(v->method, m->method.p, n);
	}
	return rec;
}

static void
h2_msg_cb(void *ctx, const struct h2_message *m)
{
	struct actx *x = ctx;
	struct dissect *d = x->d;
	struct happ_pend *p;
	struct http_error err;
	struct http_view v;
	long rec;
	int rc;

	memset(&v, 0, sizeof(v));
	render_head(x->a, m);
	d->msg.headers = d->hdrs;
	d->msg.max_headers = sizeof(d->hdrs) / sizeof(d->hdrs[0]);
	d->msg_of = NULL;
	p = m->dir ? pend_find(x->a, m->stream) : NULL;
	rc = m->dir == 0 ?
	     http_parse_request(x->a->head.data, x->a->head.len, 0,
				HTTP_LENIENT, &app_lim, &d->msg, &err) :
	     http_parse_response(x->a->head.data, x->a->head.len, 0,
				 HTTP_LENIENT, &app_lim,
				 span_from(p ? p->method : ""), &d->msg, &err);
	if (rc <= 0)
		memset(&d->msg, 0, sizeof(d->msg));
	d->msg.is_request = m->dir == 0;
	d->msg.major = 2;
	d->msg.minor = 0;
	rec = h2_record(x, m, &v);
	if (rec < 0)
		return;
	v.rec = (size_t)rec;
	v.r = rec_get(d->rs, (size_t)rec);
	v.msg = &d->msg;
	v.head = (struct span){ x->a->head.data, x->a->head.len };
	v.body = m->body;
	v.body_total = v.body_wire = m->body_total;
	v.body_cut = m->body_cut;
	v.flow = x->f;
	v.dir = tcp_dir(x->a, m);
	v.frame = x->frame;
	v.malformed = v.r ? v.r->malformed : NULL;
	if (v.r && d->cb && d->cb->on_message)
		d->cb->on_message(d->ctx, &v);
	/* answered: the request's URI copy (in the view until now) goes */
	if (m->dir && (p = pend_find(x->a, m->stream)) && m->status >= 200)
		pend_drop(x->a, (size_t)(p - x->a->pend));
}

static const struct h2_cb h2_cbs = { h2_frame_cb, h2_msg_cb };

#define WS_KEEP (64u << 10)	/* WebSocket bytes kept per frame */

struct happ *
happ_after_101(struct dissect *d, int dir, long rec, const char *method,
	       const struct req_uri *uri)
{
	struct span up = http_header_value(&d->msg, "upgrade");
	const struct http_rec *r;

	if (d->msg.status != 101 || !up.p)
		return NULL;
	up = span_trim(up);
	if (span_ieq(up, "websocket"))
		return happ_ws_new(dir, http_header_value(&d->msg,
				   "sec-websocket-extensions"), WS_KEEP);
	if (!span_ieq(up, "h2c"))
		return NULL;
	r = rec >= 0 ? rec_get(d->rs, (size_t)rec) : NULL;
	return happ_h2_new(!dir, r && r->pair ? (long)r->pair - 1 : -1,
			   method,
			   uri->p ? (struct span){ uri->p, uri->target_len }
				  : SPAN_NULL,
			   uri->has_host ? (struct span){
				   uri->p + uri->target_len,
				   uri->host_len } : SPAN_NULL,
			   d->keep_body);
}

void
happ_data(struct dissect *d, struct flow *f, struct happ *a, int dir,
	  const uint8_t *p, size_t n, uint32_t frame)
{
	struct actx x = { d, f, a, dir, frame };

	d->frame_pdu = true;
	if (a->kind == HAPP_WS)
		ws_feed(&a->ws[dir], p, n, &ws_cbs, &x);
	else
		h2_feed(&a->h2, dir == a->client_dir ? 0 : 1, p, n, frame,
			&h2_cbs, &x);
}

void
happ_end(struct dissect *d, struct flow *f, struct happ *a, uint32_t frame)
{
	struct actx x = { d, f, a, 0, frame };

	if (a->kind == HAPP_H2)
		h2_end(&a->h2, &h2_cbs, &x);
}
