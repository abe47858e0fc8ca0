/*
 * har.c - HAR 1.2 writer (see har.h).  Requests are rebuilt from the head
 * and body copies their records keep; responses come from the dissector's
 * view, bodies decoded (de-chunked, gunzipped); text stays text, anything
 * else is base64.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/base64.h"
#include "lib/json.h"
#include "har.h"
#include "http/form.h"
#include "http/header.h"
#include "http/url.h"
#include "print.h"
#include "print_body.h"

int
har_open(struct har *h, const char *path)
{
	memset(h, 0, sizeof(*h));
	h->fp = fopen(path, "w");
	if (!h->fp)
		return -1;
	fputs("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"httptool "
	      "sniff\",\"version\":\"1.0\"},\"pages\":[],\"entries\":[", h->fp);
	return 0;
}

static void
iso_time(struct buf *out, const struct capture *cap, uint32_t frame)
{
	const struct frame_rec *f = frame ? cap_frame(cap, frame - 1) : NULL;
	time_t t = f ? f->sec : 0;
	struct tm tm;
	char s[32];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(out, "\"%s.%03uZ\"", s, f ? f->nsec / 1000000 : 0);
}

static double
ms_between(const struct capture *cap, uint32_t a, uint32_t b)
{
	const struct frame_rec *fa = a ? cap_frame(cap, a - 1) : NULL;
	const struct frame_rec *fb = b ? cap_frame(cap, b - 1) : NULL;

	if (!fa || !fb)
		return 0;
	return (double)(cap_frame_ns(fb) - cap_frame_ns(fa)) / 1e6;
}

static void
headers(struct buf *out, const struct http_msg *m)
{
	size_t i;

	buf_puts(out, "\"headers\":[");
	for (i = 0; i < m->nheaders; i++) {
		buf_puts(out, i ? ",{\"name\":" : "{\"name\":");
		json_escape(out, m->headers[i].name);
		buf_puts(out, ",\"value\":");
		json_escape(out, m->headers[i].value);
		buf_puts(out, "}");
	}
	buf_puts(out, "]");
}

/* "name=value" pairs separated by sep (';' for Cookie, '&' for a query);
 * decode: percent-decode as a form. */
static void
pairs(struct buf *out, const char *key, struct span s, char sep, bool decode,
      bool first_only)
{
	int n = 0;

	buf_printf(out, "\"%s\":[", key);
	while (s.len) {
		const char *e = memchr(s.p, sep, s.len);
		size_t k = e ? (size_t)(e - s.p) : s.len;
		struct span item = span_trim((struct span){ s.p, k });
		const char *eq = memchr(item.p, '=', item.len);
		struct span name = { item.p, eq ? (size_t)(eq - item.p) : item.len };
		struct span val = eq ? (struct span){ eq + 1, item.len - name.len - 1 }
				     : SPAN_LIT("");

		if (item.len) {
			char *dn = malloc(name.len + 1), *dv = malloc(val.len + 1);
			long a = dn && decode ? http_pct_decode(name, dn, true) : -1;
			long b = dv && decode ? http_pct_decode(val, dv, true) : -1;

			buf_puts(out, n++ ? ",{\"name\":" : "{\"name\":");
			json_escape(out, a >= 0 ? (struct span){ dn, (size_t)a } : name);
			buf_puts(out, ",\"value\":");
			json_escape(out, b >= 0 ? (struct span){ dv, (size_t)b } : val);
			buf_puts(out, "}");
			free(dn);
			free(dv);
		}
		if (first_only || !e)
			break;
		s.p += k + 1;
		s.len -= k + 1;
	}
	buf_puts(out, "]");
}

static void
request(struct buf *out, const struct http_rec *rq, const struct flow *f)
{
	static const struct http_limits lim = HTTP_LIMITS_DEFAULT;
	struct http_header hs[100];
	struct http_msg m = { .headers = hs, .max_headers = 100 };
	struct http_error err;
	struct span q = SPAN_NULL, ct;
	const char *qm;
	const struct rec_copy *c = rq->copy;

	if (!c || !c->head || http_parse_request(c->head, c->head_len, 0,
						 HTTP_LENIENT, &lim, &m, &err) <= 0) {
		buf_puts(out, "\"request\":{\"method\":\"\",\"url\":\"\","
			 "\"httpVersion\":\"\",\"cookies\":[],\"headers\":[],"
			 "\"queryString\":[],\"headersSize\":-1,\"bodySize\":-1}");
		return;
	}
	buf_puts(out, "\"request\":{\"method\":");
	json_escape(out, m.method);
	buf_puts(out, ",\"url\":");
	{
		struct buf u = BUF_INIT;

		print_full_uri(&u, &m, f);
		json_escape(out, (struct span){ u.data, u.len });
		buf_free(&u);
	}
	if (rq->h2_stream)
		buf_puts(out, ",\"httpVersion\":\"h2\",");
	else
		buf_printf(out, ",\"httpVersion\":\"HTTP/%d.%d\",", m.major,
			   m.minor);
	pairs(out, "cookies", http_header_value(&m, "cookie"), ';', false, false);
	buf_puts(out, ",");
	headers(out, &m);
	if ((qm = memchr(m.target.p, '?', m.target.len)))
		q = (struct span){ qm + 1, m.target.len - (size_t)(qm + 1 - m.target.p) };
	buf_puts(out, ",");
	pairs(out, "queryString", q, '&', true, false);
	ct = http_header_value(&m, "content-type");
	if (c->body_kept) {
		buf_puts(out, ",\"postData\":{\"mimeType\":");
		json_escape(out, ct.p ? ct : SPAN_LIT(""));
		buf_puts(out, ",\"text\":");
		json_escape(out, (struct span){ c->body, c->body_kept });
		buf_puts(out, "}");
	}
	buf_printf(out, ",\"headersSize\":%u,\"bodySize\":%llu}", c->head_len,
		   (unsigned long long)rq->body_len);
}

static void
content(struct buf *out, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	struct span ct = http_header_value(m, "content-type");
	struct span ce = http_header_value(m, "content-encoding");
	struct span body = v->body;
	struct buf dec = BUF_INIT;

	if (body_coding(ce) >= 0 && !v->body_cut &&
	    body_inflate(body, body_coding(ce) == 1, &dec, BODY_INFLATE_MAX,
			 NULL) == 0)
		body = (struct span){ dec.data, dec.len };
	buf_printf(out, "\"content\":{\"size\":%llu,\"mimeType\":",
		   (unsigned long long)(dec.data ? dec.len : v->body_total));
	json_escape(out, ct.p ? ct : SPAN_LIT(""));
	if (body.len && ct.p && body_is_text(http_media_type(ct))) {
		buf_puts(out, ",\"text\":");
		json_escape(out, body);
	} else if (body.len) {
		buf_puts(out, ",\"text\":");
		buf_puts(out, "\"");
		base64_encode(out, body.p, body.len);
		buf_puts(out, "\"");
		buf_puts(out, ",\"encoding\":\"base64\"");
	}
	if (v->body_cut)
		buf_puts(out, ",\"comment\":\"body longer than was kept\"");
	buf_puts(out, "}");
	buf_free(&dec);
}

static void
response(struct buf *out, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	const struct http_header *h = NULL;
	int n = 0;

	buf_printf(out, "\"response\":{\"status\":%d,\"statusText\":", m->status);
	json_escape(out, m->reason.p ? m->reason : SPAN_LIT(""));
	if (m->major == 2)
		buf_puts(out, ",\"httpVersion\":\"h2\",\"cookies\":[");
	else
		buf_printf(out, ",\"httpVersion\":\"HTTP/%d.%d\",\"cookies\":[",
			   m->major, m->minor);
	while ((h = http_header_next(m, "set-cookie", h))) {
		struct buf one = BUF_INIT;

		pairs(&one, "x", h->value, ';', false, true);
		/* "x":[{...}] -> {...} */
		if (one.len > 6) {
			if (n++)
				buf_puts(out, ",");
			buf_append(out, one.data + 5, one.len - 6);
		}
		buf_free(&one);
	}
	buf_puts(out, "],");
	headers(out, m);
	buf_puts(out, ",");
	content(out, v);
	buf_puts(out, ",\"redirectURL\":");
	json_escape(out, http_header_value(m, "location").p ?
	     http_header_value(m, "location") : SPAN_LIT(""));
	buf_printf(out, ",\"headersSize\":%zu,\"bodySize\":%llu}", v->head.len,
		   (unsigned long long)v->body_wire);
}

/*
 * Write one entry: request rq (from its record), and the response already
 * rendered as resp (NULL: none) completed in frame resp_frame.  f names
 * the server when the request had no Host (NULL: unknown).
 */
static void
entry(struct har *h, const struct http_rec *rq, const struct buf *resp,
      uint32_t resp_frame, const struct flow *f, const struct capture *cap)
{
	struct buf out = BUF_INIT;
	double wait = resp ? ms_between(cap, rq->frame ? rq->frame :
					rq->first_frame, resp_frame) : 0;
	double total = resp ? ms_between(cap, rq->first_frame, resp_frame) : 0;

	buf_puts(&out, h->entries++ ? ",\n{" : "\n{");
	buf_puts(&out, "\"startedDateTime\":");
	iso_time(&out, cap, rq->first_frame);
	buf_printf(&out, ",\"time\":%.3f,", total < 0 ? 0 : total);
	request(&out, rq, f);
	buf_puts(&out, ",");
	if (resp)
		buf_append(&out, resp->data, resp->len);
	else
		buf_puts(&out, "\"response\":{\"status\":0,\"statusText\":\"\","
			 "\"httpVersion\":\"\",\"cookies\":[],\"headers\":[],"
			 "\"content\":{\"size\":0,\"mimeType\":\"\"},"
			 "\"redirectURL\":\"\",\"headersSize\":-1,\"bodySize\":-1}");
	buf_printf(&out, ",\"cache\":{},\"timings\":{\"send\":%.3f,\"wait\":%.3f,"
		   "\"receive\":%.3f},\"connection\":\"%u\"}",
		   total - (wait < 0 ? 0 : wait) < 0 ? 0 : total - (wait < 0 ? 0 : wait),
		   wait < 0 ? 0 : wait, 0.0, rq->stream);
	if (fwrite(out.data, 1, out.len, h->fp) != out.len)
		h->failed = true;
	buf_free(&out);
}

/* A response waiting for its request to end (see har.h). */
struct har_wait {
	size_t rq;		/* request record index */
	uint32_t frame;		/* the response's completing frame */
	struct flow flow;	/* addresses and ports only */
	struct buf resp;	/* the rendered "response":{...} */
};

/* Most bytes of rendered responses kept waiting; past it, written now. */
#define HAR_WAIT_MAX (64u << 20)

static void
wait_write(struct har *h, struct har_wait *w, const struct records *rs,
	   const struct capture *cap)
{
	const struct http_rec *rq = rec_get(rs, w->rq);

	if (rq)
		entry(h, rq, &w->resp, w->frame, &w->flow, cap);
	h->wait_bytes -= w->resp.len;
	buf_free(&w->resp);
}

/* Write the waiting entries whose request ended by frame (all: 0). */
static void
wait_flush(struct har *h, uint32_t frame, const struct records *rs,
	   const struct capture *cap)
{
	size_t i, k = 0;

	for (i = 0; i < h->nwait; i++) {
		const struct http_rec *rq = rec_get(rs, h->wait[i].rq);

		if (!frame || !rq || (rq->frame && rq->frame <= frame))
			wait_write(h, &h->wait[i], rs, cap);
		else
			h->wait[k++] = h->wait[i];
	}
	h->nwait = k;
}

/* Keep the response of v until request rq ends; false when it cannot. */
static bool
wait_add(struct har *h, size_t rq, const struct http_view *v)
{
	struct har_wait *w;

	if (h->wait_bytes > HAR_WAIT_MAX)
		return false;
	if (h->nwait == h->capwait) {
		size_t ncap = h->capwait ? h->capwait * 2 : 8;

		w = realloc(h->wait, ncap * sizeof(*w));
		if (!w)
			return false;
		h->wait = w;
		h->capwait = ncap;
	}
	w = &h->wait[h->nwait];
	memset(w, 0, sizeof(*w));
	w->rq = rq;
	w->frame = v->frame;
	w->flow.stream = v->flow->stream;
	w->flow.ipver = v->flow->ipver;
	memcpy(w->flow.addr, v->flow->addr, sizeof(w->flow.addr));
	memcpy(w->flow.port, v->flow->port, sizeof(w->flow.port));
	response(&w->resp, v);
	h->wait_bytes += w->resp.len;
	h->nwait++;
	return true;
}

void
har_message(struct har *h, const struct http_view *v,
	    const struct records *rs, const struct capture *cap)
{
	const struct http_rec *rq;
	struct buf resp = BUF_INIT;

	if (!h->fp)
		return;
	if (h->nwait)
		wait_flush(h, v->frame, rs, cap);
	if (v->msg->is_request ||
	    (v->msg->status < 200 && v->msg->status != 101))
		return;
	rq = rec_link(rs, v->r->pair);
	if (!rq || rec_link(rs, rq->pair) != v->r)
		return;
	/* the request still has bytes to come: its body is not whole yet */
	if ((!rq->frame || rq->frame > v->frame) &&
	    wait_add(h, v->r->pair - 1, v))
		return;
	response(&resp, v);
	entry(h, rq, &resp, v->frame, v->flow, cap);
	buf_free(&resp);
}

int
har_close(struct har *h, const struct records *rs, const struct capture *cap)
{
	size_t i;
	int r;

	if (!h->fp)
		return 0;
	wait_flush(h, 0, rs, cap);
	free(h->wait);
	h->wait = NULL;
	h->capwait = 0;
	for (i = 0; i < rs->n; i++)
		if (rec_get(rs, i)->type == REC_REQUEST && !rec_get(rs, i)->pair)
			entry(h, rec_get(rs, i), NULL, 0, NULL, cap);
	fputs("\n]}}\n", h->fp);
	r = h->failed || ferror(h->fp) ? -1 : 0;
	if (fclose(h->fp) != 0)
		r = -1;
	h->fp = NULL;
	return r;
}
