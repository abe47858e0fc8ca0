/*
 * http_dissect.c - finds and delimits HTTP/1.x messages in reassembled
 * TCP streams (see http_dissect.h).
 *
 * Per direction: state IDLE looks for a message start, HEAD waits for a
 * whole head, BODY reads the body; the heads and bodies are read by the
 * shared HTTP/1.x stream reader (http/stream.h), leniently, one message at
 * a time: what is the sniffer's own is finding where a message may start
 * (and resynchronising the reader there), pairing, keeping bodies and
 * going on past holes.  The direction's buffer `in` holds [head of the
 * message in progress][bytes not decoded yet].  Body bytes are dropped
 * from `in` as they are decoded (a copy of up to keep_body decoded bytes
 * is kept for the printers), so memory per flow is one head plus what has
 * not arrived whole yet.
 *
 * Must not print; it only reports messages through on_message.
 */
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "http/stream.h"
#include "http_app.h"
#include "http_dissect.h"
#include "http_keep.h"
#include "http_pair.h"

enum { ST_IDLE, ST_HEAD, ST_BODY, ST_TUNNEL };
enum { ROLE_UNKNOWN, ROLE_REQ, ROLE_RESP };

#define GAP_REASON "bytes missing from the capture"

struct hdir {
	struct buf in;
	int state, role;	/* role: what this direction has carried */
	int try_role;		/* what the message in progress looks like */
	bool mid_line;		/* the next byte is not at a line start */
	size_t head_len;
	struct http_stream rd;	/* rd.body: the body in progress */
	struct http_keep k;	/* of the body in progress */
	uint64_t pos;		/* bytes of the direction delivered so far */
	uint64_t head_pos;	/* stream offset of the head in progress */
	long rec;
	uint32_t first_frame;
	uint32_t last_frame;	/* of the last bytes delivered */
	const char *malformed;
	bool cut_by_end;	/* malformed: the capture ended inside it */
	char method[16];
	struct req_uri uri;	/* response: its request's target and host */
	bool looked;		/* its first bytes were checked for HTTP/2 */
};

struct hflow {
	struct hdir d[2];
	struct pairq q;		/* requests waiting for their responses */
	bool tunnel;
	struct happ *app;	/* WebSocket or HTTP/2 after it, or NULL */
};

static const struct http_limits lim = HTTP_LIMITS_DEFAULT;

void
dissect_init(struct dissect *d, struct records *rs,
	     const struct dissect_cb *cb, void *ctx, size_t keep_body)
{
	memset(d, 0, sizeof(*d));
	d->rs = rs;
	d->cb = cb;
	d->ctx = ctx;
	d->keep_body = keep_body;
	d->held_max = 16u << 20;
}

/* Bytes f holds that count against held_max (kept bodies apart). */
static size_t
held_of(const struct flow *f)
{
	const struct hflow *hf = f->app;

	return hf ? hf->d[0].in.len + hf->d[1].in.len + hf->q.uri_bytes : 0;
}

/* the buffers of f's directions changed from before to now: account */
static void
held_account(struct dissect *d, size_t before, const struct flow *f)
{
	size_t now = held_of(f);

	d->held = d->held + now >= before ? d->held + now - before : 0;
}

static struct hflow *
hflow_get(struct dissect *d, struct flow *f)
{
	struct hflow *hf = f->app;
	int i;

	if (hf || !(hf = f->app = calloc(1, sizeof(struct hflow))))
		return hf;
	for (i = 0; i < 2; i++)	/* d->msg takes each head from rd.msg */
		http_stream_init(&hf->d[i].rd, true, HTTP_LENIENT, d->hdrs,
				 sizeof(d->hdrs) / sizeof(d->hdrs[0]));
	return hf;
}

/* Drop n bytes of `in` starting at offset at. */
static void
in_cut(struct buf *b, size_t at, size_t n)
{
	memmove(b->data + at, b->data + at + n, b->len - at - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

static int
parse_head(struct dissect *d, struct hdir *hd, size_t len, size_t last)
{
	struct http_error err;

	d->msg.headers = d->hdrs;
	d->msg.max_headers = sizeof(d->hdrs) / sizeof(d->hdrs[0]);
	if (hd->try_role == ROLE_REQ)
		return http_parse_request(hd->in.data, len, last, HTTP_LENIENT,
					  &lim, &d->msg, &err);
	return http_parse_response(hd->in.data, len, last, HTTP_LENIENT, &lim,
				   span_from(hd->method), &d->msg, &err);
}

static const char *
warning_reason(const struct http_msg *m)
{
	if (!(m->warnings & ~(unsigned)HTTP_WARN_HOST))
		return NULL;
	return m->warning.what;
}

/* The message in progress is over: report it, then forget its head. */
static void
complete(struct dissect *d, struct flow *f, int dir, uint32_t frame)
{
	struct hdir *hd = &((struct hflow *)f->app)->d[dir];
	struct http_rec *r = rec_get(d->rs, (size_t)hd->rec);
	struct http_view v;

	memset(&v, 0, sizeof(v));
	if ((d->msg_of != hd || d->msg_buf != hd->in.data) &&
	    parse_head(d, hd, hd->head_len, 0) <= 0)
		memset(&d->msg, 0, sizeof(d->msg));
	d->msg_of = NULL;
	if (!hd->malformed)
		hd->malformed = warning_reason(&d->msg);
	if (r) {
		r->frame = frame;
		r->body_len = hd->rd.body.total;
		r->malformed = hd->malformed;
		rec_set_head(d->rs, (size_t)hd->rec, hd->in.data, hd->head_len);
		if (hd->k.kept.len)
			rec_set_body(d->rs, (size_t)hd->rec, hd->k.kept.data,
				     hd->k.kept.len);
	}
	v.rec = (size_t)hd->rec;
	v.r = r;
	v.msg = &d->msg;
	v.head = (struct span){ hd->in.data, hd->head_len };
	v.body = (struct span){ hd->k.kept.data, hd->k.kept.len };
	v.body_total = hd->rd.body.total;
	v.body_wire = hd->rd.body.wire;
	v.body_cut = hd->k.kept_cut;
	if (!hd->k.wire_cut && hd->k.wire.len == hd->rd.body.wire)
		v.wire = (struct span){ hd->k.wire.data, hd->k.wire.len };
	v.stream_off = hd->head_pos;
	v.chunks = hd->rd.body.chunks;
	v.chunk_sizes = hd->k.chunk_sizes;
	v.nchunk_sizes = hd->k.nchunks;
	v.flow = f;
	v.dir = dir;
	v.frame = frame;
	v.malformed = hd->malformed;
	v.cut_by_end = hd->cut_by_end;
	memcpy(v.method, hd->method, sizeof(v.method));
	if (!d->msg.is_request && hd->uri.p) {
		v.req_target = (struct span){ hd->uri.p, hd->uri.target_len };
		if (hd->uri.has_host)
			v.req_host = (struct span){ hd->uri.p +
						    hd->uri.target_len,
						    hd->uri.host_len };
	}
	d->frame_msgs++;
	if (r && d->cb && d->cb->on_message)
		d->cb->on_message(d->ctx, &v);
	in_cut(&hd->in, 0, hd->head_len);
	hd->head_len = 0;
	keep_reset(d, &hd->k, false);
	hd->k.nchunks = 0;
	hd->state = ST_IDLE;
}

/* A head was parsed: make its record, pair it, set up the body. */
static void
head_done(struct dissect *d, struct flow *f, struct hflow *hf, int dir,
	  size_t head_len)
{
	struct hdir *hd = &hf->d[dir];
	struct http_msg *m = &d->msg;
	struct pend *p;

	hd->head_len = head_len;
	if (hd->role == ROLE_UNKNOWN) {
		/* one side asks, the other answers */
		hd->role = hd->try_role;
		if (hf->d[!dir].role == ROLE_UNKNOWN)
			hf->d[!dir].role = hd->role == ROLE_REQ ? ROLE_RESP :
								   ROLE_REQ;
	}
	hd->rec = rec_begin(d->rs, m->is_request ? REC_REQUEST : REC_RESPONSE,
			    f->stream, dir, hd->first_frame);
	if (m->is_request) {
		pair_copy_method(hd->method, m->method);
		if (hd->rec >= 0)
			pairq_push(&hf->q, (uint32_t)hd->rec, m,
				   d->held + d->kept_held, d->held_max);
	} else if ((p = pairq_front(&hf->q))) {
		bool final = m->status >= 200 || m->status == 101;

		if (hd->rec >= 0)
			rec_pair(d->rs, (size_t)hd->rec, p->rec, final);
		if (final)
			pairq_pop(&hf->q, &hd->uri);
		else
			req_uri_copy(&hf->q, &hd->uri, &p->uri);
	} else {
		req_uri_free(&hf->q, &hd->uri);	/* answers nothing we saw */
	}
	if (hd->rec >= 0) {
		struct http_rec *r = rec_get(d->rs, (size_t)hd->rec);

		r->code = (uint16_t)m->status;
		if (http_header_find(m, "content-length"))
			r->content_length = m->content_length;
	}
	hd->state = ST_BODY;	/* the reader set up rd.body */
}

/* IDLE: drop bytes up to a plausible message start; false when none. */
static bool
find_message(struct hflow *hf, struct hdir *hd, uint32_t frame)
{
	size_t start = 0, k, k2, len = hd->in.len;
	const char *p = hd->in.data;
	struct pend *pe;

	if (len == 0)
		return false;
	if (hd->mid_line) {
		const char *nl = memchr(p, '\n', len);

		if (!nl) {
			buf_reset(&hd->in);
			return false;
		}
		start = (size_t)(nl - p) + 1;
		hd->mid_line = false;
	}
	if (hd->role == ROLE_REQ)
		k = http_find_start(p + start, len - start, true);
	else if (hd->role == ROLE_RESP)
		k = http_find_start(p + start, len - start, false);
	else {
		k = http_find_start(p + start, len - start, true);
		k2 = http_find_start(p + start, len - start, false);
		if (k2 < k)
			k = k2;
	}
	if (start + k >= len) {
		hd->mid_line = p[len - 1] != '\n';
		buf_reset(&hd->in);
		return false;
	}
	in_cut(&hd->in, 0, start + k);
	hd->head_pos = hd->pos - hd->in.len;
	hd->try_role = hd->role;
	if (hd->role == ROLE_UNKNOWN) {
		if (hd->in.len < 5 &&
		    memcmp(hd->in.data, "HTTP/", hd->in.len) == 0)
			return false;	/* wait: could be either */
		hd->try_role = hd->in.len >= 5 &&
			       memcmp(hd->in.data, "HTTP/", 5) == 0 ?
			       ROLE_RESP : ROLE_REQ;
	}
	hd->state = ST_HEAD;
	http_stream_resync(&hd->rd, hd->try_role == ROLE_REQ);
	hd->first_frame = frame;
	hd->malformed = NULL;
	hd->rec = -1;
	if (hd->try_role == ROLE_RESP) {
		pe = pairq_front(&hf->q);
		pair_copy_method(hd->method, pe ? span_from(pe->method)
						: SPAN_NULL);
	}
	return true;
}

/*
 * BODY: read what is there; true when the message completed.  The body
 * as sent goes to keep_wire once a call, and not when it breaks off
 * malformed (the rest of `in` is dropped and the stream resynchronises).
 */
static bool
run_body(struct dissect *d, struct hdir *hd)
{
	size_t pos = hd->head_len;
	struct http_stream_event ev;
	enum http_stream_ev e;
	unsigned before;

	do {
		before = hd->rd.body.chunks;
		e = http_stream_next(&hd->rd, hd->in.data + pos,
				     hd->in.len - pos, SPAN_NULL, &ev);
		if (e == HTTP_EV_ERROR) {
			keep_chunk(&hd->k, &hd->rd.body, before, 0);
			hd->malformed = hd->rd.err.what;
			hd->mid_line = hd->in.data[hd->in.len - 1] != '\n';
			in_cut(&hd->in, hd->head_len, hd->in.len - hd->head_len);
			return true;
		}
		keep_body(d, &hd->k, ev.data);
		keep_chunk(&hd->k, &hd->rd.body, before, ev.data.len);
		pos += ev.consumed;
	} while (e == HTTP_EV_BODY);
	keep_wire(d, &hd->k, (struct span){ hd->in.data + hd->head_len,
					pos - hd->head_len });
	in_cut(&hd->in, hd->head_len, pos - hd->head_len);
	return e == HTTP_EV_END;
}

/*
 * Before any HTTP/1.x: a client that starts with the HTTP/2 preface
 * (prior knowledge, on any port) makes the flow HTTP/2.  True when the
 * bytes in hd->in went (or wait to go) there.
 */
static bool
preface_check(struct dissect *d, struct flow *f, struct hflow *hf, int dir,
	      uint32_t frame)
{
	struct hdir *hd = &hf->d[dir];
	int k;

	if (hf->app || hd->looked || hd->role != ROLE_UNKNOWN ||
	    hf->d[!dir].role != ROLE_UNKNOWN || hd->state != ST_IDLE ||
	    hd->mid_line)
		return false;
	k = h2_is_preface((const uint8_t *)hd->in.data, hd->in.len);
	if (k < 0)
		return true;		/* "PRI * HT": wait for the rest */
	if (k == 0) {
		/* a server that speaks first: its SETTINGS (no HTTP/1.x
		   message starts with a NUL byte) */
		k = h2_is_server_start((const uint8_t *)hd->in.data,
				       hd->in.len);
		if (k < 0)
			return true;
		hd->looked = true;
		if (k == 0)
			return false;
		dir = !dir;	/* the client is the other side */
	}
	if (!(hf->app = happ_h2_new(dir, -1, NULL, SPAN_NULL, SPAN_NULL,
				    d->keep_body)))
		return false;
	dir = hd == &hf->d[0] ? 0 : 1;
	hf->tunnel = true;
	happ_data(d, f, hf->app, dir, (const uint8_t *)hd->in.data,
		  hd->in.len, frame);
	buf_reset(&hd->in);
	buf_reset(&hf->d[!dir].in);	/* whatever it was, not HTTP/1.x */
	return true;
}

static void
run(struct dissect *d, struct flow *f, struct hflow *hf, int dir,
    uint32_t frame)
{
	struct hdir *hd = &hf->d[dir];
	struct http_stream_event ev;
	bool tunnel = false;
	enum http_stream_ev e;

	while (!hf->tunnel) {
		if (hd->state == ST_IDLE && !find_message(hf, hd, frame))
			return;
		if (hd->state == ST_HEAD) {
			d->frame_pdu = true;
			d->msg_of = NULL;
			e = http_stream_next(&hd->rd, hd->in.data, hd->in.len,
					     span_from(hd->method), &ev);
			if (e == HTTP_EV_NEED_MORE)
				return;
			if (e != HTTP_EV_HEAD) { /* not HTTP: look further */
				in_cut(&hd->in, 0, 1);
				hd->mid_line = true;
				hd->state = ST_IDLE;
				continue;
			}
			d->msg = hd->rd.msg;
			head_done(d, f, hf, dir, ev.consumed);
			d->msg_of = hd;
			d->msg_buf = hd->in.data;
			/* a 101 or a 2xx to CONNECT ends with its head: the
			   bytes after it belong to another protocol */
			tunnel = d->msg.framing == HTTP_FRAME_TUNNEL;
			if (tunnel && !hf->app)
				hf->app = happ_after_101(d, dir, hd->rec,
							 hd->method, &hd->uri);
		}
		d->frame_pdu = true;
		if (!run_body(d, hd))
			return;
		complete(d, f, dir, frame);
		if (tunnel) {
			hf->tunnel = true;
			if (hf->app && hd->in.len)	/* in the same segment */
				happ_data(d, f, hf->app, dir,
					  (const uint8_t *)hd->in.data,
					  hd->in.len, frame);
			buf_reset(&hd->in);
		}
	}
}

static void
cb_data(void *ctx, struct flow *f, int dir, const uint8_t *p, size_t n,
	uint32_t frame)
{
	struct dissect *d = ctx;
	struct hflow *hf = hflow_get(d, f);
	size_t before = held_of(f);
	struct hdir *hd;

	if (!hf)
		return;
	if (hf->tunnel) {
		if (hf->app)
			happ_data(d, f, hf->app, dir, p, n, frame);
		return;
	}
	hd = &hf->d[dir];
	hd->pos += n;
	hd->last_frame = frame;
	if (buf_append(&hd->in, p, n) < 0)
		return;
	if (!preface_check(d, f, hf, dir, frame))
		run(d, f, hf, dir, frame);
	held_account(d, before, f);
	if (d->held + d->kept_held > d->held_max && hd->state == ST_HEAD) {
		/* too many unfinished heads in all: this one is given up, as
		   reassembly gives up a hole, and the stream resynchronises */
		d->held -= hd->in.len < d->held ? hd->in.len : d->held;
		buf_free(&hd->in);
		hd->state = ST_IDLE;	/* find_message resyncs hd->rd */
		hd->mid_line = true;
		d->heads_dropped++;
	}
}

static void
gap_in(struct dissect *d, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	struct hflow *hf = hflow_get(d, f);
	struct hdir *hd;

	if (!hf)
		return;
	if (hf->tunnel) {
		/* WebSocket or HTTP/2 framing (and HPACK) cannot survive a
		   hole: the rest of the flow stays anonymous TCP */
		if (hf->app)
			happ_end(d, f, hf->app, frame);
		happ_free(hf->app);
		hf->app = NULL;
		return;
	}
	hd = &hf->d[dir];
	if (hd->state == ST_BODY && hd->in.len == hd->head_len &&
	    (hd->rd.body.framing == HTTP_FRAME_CLOSE ||
	     (hd->rd.body.framing == HTTP_FRAME_LENGTH &&
	      n <= hd->rd.body.remaining))) {
		/* a hole inside a body of known length: count it, go on */
		hd->malformed = GAP_REASON;
		hd->k.kept_cut = true;
		hd->rd.body.total += n;
		hd->rd.body.wire += n;
		if (hd->rd.body.framing == HTTP_FRAME_LENGTH) {
			hd->rd.body.remaining -= n;
			if (hd->rd.body.remaining == 0) {
				hd->rd.body.done = true;
				complete(d, f, dir, frame);
			}
		}
		return;
	}
	if (hd->state == ST_BODY) {
		hd->malformed = GAP_REASON;
		in_cut(&hd->in, hd->head_len, hd->in.len - hd->head_len);
		complete(d, f, dir, frame);
	}
	/* after a hole, a segment may well start a message: look at once */
	buf_reset(&hd->in);
	hd->state = ST_IDLE;
	hd->mid_line = false;
}

static void
cb_gap(void *ctx, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	struct dissect *d = ctx;
	size_t before = held_of(f);

	gap_in(d, f, dir, n, frame);
	held_account(d, before, f);
}

static void
eof_in(struct dissect *d, struct flow *f, int dir, uint32_t frame)
{
	struct hflow *hf = f->app;
	struct http_stream_event ev;
	struct hdir *hd;

	if (!hf)
		return;
	hd = &hf->d[dir];
	if (hd->state == ST_BODY && !hf->tunnel) {
		/* no FIN or RST: the capture, not the connection, ended; the
		   message is reported on the frame of its last bytes */
		bool cut = !f->d[dir].fin_seen && !f->rst;

		if (http_stream_eof(&hd->rd, &ev) == HTTP_EV_ERROR) {
			hd->malformed = !cut ? hd->rd.err.what :
				hd->rd.body.framing == HTTP_FRAME_CHUNKED ?
				"capture ended inside a chunked body" :
				"capture ended before the end of the body";
			hd->cut_by_end = cut;
		}
		complete(d, f, dir, cut && hd->last_frame ? hd->last_frame :
			 frame);
		hd->cut_by_end = false;
	}
	hd->state = ST_IDLE;
	buf_free(&hd->in);
	keep_reset(d, &hd->k, true);
	req_uri_free(&hf->q, &hd->uri);
	if (f->d[!dir].fin_done) {
		pairq_free(&hf->q);
		if (hf->app)
			happ_end(d, f, hf->app, frame);
	}
}

static void
cb_eof(void *ctx, struct flow *f, int dir, uint32_t frame)
{
	struct dissect *d = ctx;
	size_t before = held_of(f);

	eof_in(d, f, dir, frame);
	held_account(d, before, f);
}

static void
cb_release(void *ctx, struct flow *f)
{
	struct dissect *d = ctx;
	struct hflow *hf = f->app;
	int i;

	if (!hf)
		return;
	{
		size_t gone = held_of(f);
		d->held = d->held >= gone ? d->held - gone : 0;
	}
	for (i = 0; i < 2; i++) {
		buf_free(&hf->d[i].in);
		keep_reset(d, &hf->d[i].k, true);
		req_uri_free(&hf->q, &hf->d[i].uri);
	}
	pairq_free(&hf->q);
	happ_free(hf->app);
	free(hf);
	f->app = NULL;
}

const struct reasm_cb dissect_reasm_cb = {
	.data = cb_data,
	.gap = cb_gap,
	.eof = cb_eof,
	.release = cb_release,
};
