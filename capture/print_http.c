/*
 * print_http.c - HTTP in the summary's Info column and in the -V tree,
 * with the fields Wireshark generates ([Full request URI], [HTTP request
 * n/m], [Response in frame], [Time since request] ...).  Body layers
 * (chunks, content coding, forms, multipart, text) are in print_body.c.
 */
#include <stdio.h>
#include <string.h>

#include "http/header.h"
#include "http/status.h"
#include "print.h"
#include "print_body.h"

static void
put_span(struct buf *out, struct span s)
{
	if (s.len)
		buf_append(out, s.p, s.len);
}

void
print_http_info(struct buf *out, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	struct span ct = http_header_value(m, "content-type");

	if (m->is_request) {
		put_span(out, m->method);
		buf_puts(out, " ");
		put_span(out, m->target);
		buf_printf(out, " HTTP/%d.%d ", m->major, m->minor);
	} else {
		buf_printf(out, "HTTP/%d.%d %d ", m->major, m->minor, m->status);
		if (m->reason.len) {
			put_span(out, m->reason);
			buf_puts(out, " ");
		}
	}
	if (ct.p && v->body_total > 0) {	/* as tshark: only with a body */
		buf_puts(out, " (");
		put_span(out, http_media_type(ct));
		buf_puts(out, ")");
	}
	if (v->malformed)
		buf_printf(out, " [Malformed: %s]", v->malformed);
}

/* "http://host/uri" of a request into out. */
void
print_full_uri(struct buf *out, const struct http_msg *m,
	       const struct flow *f)
{
	struct span host = http_header_value(m, "host");
	char a[64];

	if (m->target.len && m->target.p[0] != '/' && m->target.p[0] != '*') {
		put_span(out, m->target);	/* absolute-form already */
		return;
	}
	buf_puts(out, "http://");
	if (host.p && host.len) {
		put_span(out, host);
	} else if (f) {
		struct pkt tmp = { .ipver = f->ipver };

		pkt_addr_str(&tmp, f->addr[DIR_SERVER], a, sizeof(a));
		buf_printf(out, f->ipver == 6 ? "[%s]:%u" : "%s:%u", a,
			   f->port[DIR_SERVER]);
	}
	put_span(out, m->target);
}

static bool
frame_ns(const struct capture *cap, uint32_t frame, int64_t *ns)
{
	const struct frame_rec *f = frame ? cap_frame(cap, frame - 1) : NULL;

	if (f)
		*ns = cap_frame_ns(f);
	return f != NULL;
}

/* Time between a response's request and it, -1 when unknown. */
int64_t
print_time_since_request(const struct http_view *v, const struct records *rs,
			 const struct capture *cap)
{
	const struct http_rec *req = rec_link(rs, v->r->pair);
	int64_t a, b;

	if (v->msg->is_request || !req || !req->frame ||
	    !frame_ns(cap, v->frame, &a) || !frame_ns(cap, req->frame, &b))
		return -1;
	return a - b;
}

/* One header line, with the sub-items Wireshark shows under some. */
static void
tree_header(struct buf *out, const struct http_header *h)
{
	buf_puts(out, "    ");
	put_span(out, h->name);
	buf_puts(out, ": ");
	put_span(out, h->value);
	buf_puts(out, "\\r\\n\n");
	if (span_ieq(h->name, "cookie")) {
		struct span rest = h->value, item;

		while (rest.len) {
			const char *semi = memchr(rest.p, ';', rest.len);
			size_t n = semi ? (size_t)(semi - rest.p) : rest.len;

			item = span_trim((struct span){ rest.p, n });
			if (item.len) {
				buf_puts(out, "        Cookie pair: ");
				put_span(out, item);
				buf_puts(out, "\n");
			}
			rest.p += semi ? n + 1 : n;
			rest.len -= semi ? n + 1 : n;
		}
	} else if (span_ieq(h->name, "content-length")) {
		buf_puts(out, "        [Content length: ");
		put_span(out, h->value);
		buf_puts(out, "]\n");
	}
}

/* Wireshark marks every start line as a "Chat" expert item. */
static void
expert(struct buf *out, const char *line, size_t n)
{
	buf_printf(out, "        [Expert Info (Chat/Sequence): %.*s\\r\\n]\n"
		   "            [%.*s\\r\\n]\n"
		   "            [Severity level: Chat]\n"
		   "            [Group: Sequence]\n", (int)n, line, (int)n, line);
}

static void
tree_start_line(struct buf *out, const struct http_msg *m)
{
	struct buf line = BUF_INIT;

	if (m->is_request) {
		put_span(&line, m->method);
		buf_puts(&line, " ");
		put_span(&line, m->target);
		buf_printf(&line, " HTTP/%d.%d", m->major, m->minor);
	} else {
		buf_printf(&line, "HTTP/%d.%d %d ", m->major, m->minor,
			   m->status);
		put_span(&line, m->reason);
	}
	buf_printf(out, "    %s\\r\\n\n", line.data);
	expert(out, line.data, line.len);
	buf_free(&line);
	if (m->is_request) {
		buf_puts(out, "        Request Method: ");
		put_span(out, m->method);
		buf_puts(out, "\n        Request URI: ");
		put_span(out, m->target);
		buf_printf(out, "\n        Request Version: HTTP/%d.%d\n",
			   m->major, m->minor);
		return;
	}
	buf_printf(out, "        Response Version: HTTP/%d.%d\n"
		   "        Status Code: %d\n"
		   "        [Status Code Description: %s]\n"
		   "        Response Phrase: ", m->major, m->minor, m->status,
		   http_status_phrase(m->status));
	put_span(out, m->reason);
	buf_puts(out, "\n");
}

/* "[Request URI: ...]" of a response, from its request's head copy. */
static void
request_uri(struct buf *out, const struct http_rec *req, const struct flow *f)
{
	static const struct http_limits lim = HTTP_LIMITS_DEFAULT;
	struct http_header hs[64];
	struct http_msg m = { .headers = hs, .max_headers = 64 };
	struct http_error err;
	uint32_t len;
	const char *head = rec_head(req, &len);

	if (!head || http_parse_request(head, len, 0, HTTP_LENIENT, &lim, &m,
					&err) <= 0)
		return;
	buf_puts(out, "    [Request URI: ");
	print_full_uri(out, &m, f);
	buf_puts(out, "]\n");
}

/* "[Prev request in frame: n]" and its response, for a response. */
static void
neighbour(struct buf *out, const struct records *rs, uint32_t link,
	  const char *which)
{
	const struct http_rec *req = rec_link(rs, link), *resp;

	if (!req)
		return;
	if (req->frame)
		buf_printf(out, "    [%s request in frame: %u]\n", which,
			   req->frame);
	resp = rec_link(rs, req->pair);
	if (resp && resp->frame)
		buf_printf(out, "    [%s response in frame: %u]\n", which,
			   resp->frame);
}

static void
tree_generated(struct buf *out, const struct http_view *v,
	       const struct records *rs, const struct capture *cap)
{
	const struct http_rec *r = v->r, *req, *pair = rec_link(rs, r->pair);
	int64_t t;

	if (v->msg->is_request) {
		buf_puts(out, "    [Full request URI: ");
		print_full_uri(out, v->msg, v->flow);
		buf_printf(out, "]\n    [HTTP request %u/%u]\n", r->nth,
			   rec_stream_requests(rs, r->stream));
		req = r;
		if (req->prev && rec_link(rs, req->prev)->frame)
			buf_printf(out, "    [Prev request in frame: %u]\n",
				   rec_link(rs, req->prev)->frame);
		if (pair && pair->frame)
			buf_printf(out, "    [Response in frame: %u]\n",
				   pair->frame);
		if (req->next && rec_link(rs, req->next)->frame)
			buf_printf(out, "    [Next request in frame: %u]\n",
				   rec_link(rs, req->next)->frame);
		return;
	}
	if (!pair)
		return;
	buf_printf(out, "    [HTTP response %u/%u]\n", pair->nth,
		   rec_stream_requests(rs, pair->stream));
	if ((t = print_time_since_request(v, rs, cap)) >= 0) {
		buf_puts(out, "    [Time since request: ");
		print_secs(out, t, 9);
		buf_puts(out, " seconds]\n");
	}
	neighbour(out, rs, pair->prev, "Prev");
	if (pair->frame)
		buf_printf(out, "    [Request in frame: %u]\n", pair->frame);
	neighbour(out, rs, pair->next, "Next");
	request_uri(out, pair, v->flow);
}

void
print_http_tree(struct buf *out, const struct http_view *v,
		const struct records *rs, const struct capture *cap,
		bool expand)
{
	const struct http_msg *m = v->msg;
	size_t i;

	buf_puts(out, "Hypertext Transfer Protocol");
	if (v->malformed)
		buf_printf(out, " [Malformed: %s]", v->malformed);
	buf_puts(out, "\n");
	if (!expand)
		return;
	tree_start_line(out, m);
	for (i = 0; i < m->nheaders; i++)
		tree_header(out, &m->headers[i]);
	buf_puts(out, "    \\r\\n\n");
	tree_generated(out, v, rs, cap);
	print_body_tree(out, v);
}
