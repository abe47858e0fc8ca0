/*
 * http_tree.c - the HTTP dissector's nodes in the protocol tree (see
 * ptree.h): one "Hypertext Transfer Protocol" subtree per message, named
 * as Wireshark names each line, each node pointing at its bytes: in the
 * frame when the frame carried the whole message, else in a
 * "Reassembled TCP" source; body lines in the "De-chunked entity body"
 * and "Uncompressed entity body" sources the message makes.  The body
 * layers (chunks, forms, multipart, text) are in http_tree_body.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "http/status.h"
#include "http_tree.h"
#include "print.h"
#include "print_body.h"

/* Offset of span s (inside the head) in the message's source. */
static size_t
at(const struct http_where *w, const struct http_view *v, struct span s)
{
	return w->base + (size_t)(s.p - v->head.p);
}

static int
src_of(const struct http_where *w)
{
	return w->src;
}

/* Wireshark marks every start line as a "Chat" expert item. */
static void
expert(struct ptree *t, int src, size_t off, size_t len, const char *line,
       size_t n)
{
	ptree_add(t, src, off, len, "[Expert Info (Chat/Sequence): %.*s\\r\\n]",
		  (int)n, line);
	ptree_push(t);
	ptree_add(t, src, off, len, "[%.*s\\r\\n]", (int)n, line);
	ptree_add(t, -1, 0, 0, "[Severity level: Chat]");
	ptree_add(t, -1, 0, 0, "[Group: Sequence]");
	ptree_pop(t);
}

/* http.request.uri.path, .query and .query.parameter of a URI with a
 * query (as Wireshark 4.0 has them): fields only (hidden nodes) */
static void
uri_parts(struct ptree *t, int src, const struct http_where *w,
	  const struct http_view *v, struct span u)
{
	const char *q = u.p ? memchr(u.p, '?', u.len) : NULL;
	struct span path = { u.p, q ? (size_t)(q - u.p) : u.len }, rest;
	long n;

	if (!q)
		return;
	n = ptree_hidden(t, src, at(w, v, path), path.len);
	ptree_str(t, n, FF_HTTP_REQUEST_URI_PATH, path.p, path.len);
	rest = (struct span){ q + 1, u.len - path.len - 1 };
	n = ptree_hidden(t, src, at(w, v, rest), rest.len);
	ptree_str(t, n, FF_HTTP_REQUEST_URI_QUERY, rest.p, rest.len);
	while (rest.len) {
		const char *amp = memchr(rest.p, '&', rest.len);
		struct span one = { rest.p, amp ? (size_t)(amp - rest.p) :
					    rest.len };

		n = ptree_hidden(t, src, at(w, v, one), one.len);
		ptree_str(t, n, FF_HTTP_REQUEST_URI_QUERY_PARAMETER, one.p,
			  one.len);
		rest.p += one.len + (amp != NULL);
		rest.len -= one.len + (amp != NULL);
	}
}

/* "HTTP/1.1" as the version field's value. */
static void
version(struct ptree *t, long n, int field, const struct http_msg *m)
{
	char s[24];
	int k = snprintf(s, sizeof s, "HTTP/%d.%d", m->major, m->minor);

	ptree_str(t, n, field, s, (size_t)k);
}

static void
start_line(struct ptree *t, const struct http_view *v,
	   const struct http_where *w)
{
	const struct http_msg *m = v->msg;
	const char *nl = memchr(v->head.p, '\n', v->head.len);
	size_t llen = nl ? (size_t)(nl - v->head.p) + 1 : v->head.len;
	size_t vend = llen - (llen >= 2 && v->head.p[llen - 2] == '\r' ? 2 : 1);
	int src = src_of(w);
	struct buf line = BUF_INIT;
	long n;

	if (vend < 8)
		vend = 8;

	if (m->is_request)
		buf_printf(&line, "%.*s %.*s HTTP/%d.%d", (int)m->method.len,
			   m->method.p ? m->method.p : "", (int)m->target.len,
			   m->target.p ? m->target.p : "", m->major, m->minor);
	else
		buf_printf(&line, "HTTP/%d.%d %d %.*s", m->major, m->minor,
			   m->status, (int)m->reason.len,
			   m->reason.p ? m->reason.p : "");
	n = ptree_add(t, src, w->base, llen, "%s\\r\\n", line.data);
	ptree_int(t, n, m->is_request ? FF_HTTP_REQUEST : FF_HTTP_RESPONSE, 1);
	ptree_push(t);
	expert(t, src, w->base, llen, line.data, line.len);
	buf_free(&line);
	if (m->is_request) {
		n = ptree_add(t, src, at(w, v, m->method), m->method.len,
			      "Request Method: %.*s", (int)m->method.len,
			      m->method.p ? m->method.p : "");
		ptree_str(t, n, FF_HTTP_REQUEST_METHOD, m->method.p,
			  m->method.len);
		n = ptree_add(t, src, at(w, v, m->target), m->target.len,
			      "Request URI: %.*s", (int)m->target.len,
			      m->target.p ? m->target.p : "");
		ptree_str(t, n, FF_HTTP_REQUEST_URI, m->target.p,
			  m->target.len);
		uri_parts(t, src, w, v, m->target);
		n = ptree_add(t, src, w->base + vend - 8, 8,
			      "Request Version: HTTP/%d.%d", m->major, m->minor);
		version(t, n, FF_HTTP_REQUEST_VERSION, m);
		ptree_pop(t);
		return;
	}
	n = ptree_add(t, src, w->base, 8, "Response Version: HTTP/%d.%d",
		      m->major, m->minor);
	version(t, n, FF_HTTP_RESPONSE_VERSION, m);
	n = ptree_add(t, src, w->base + (llen > 12 ? 9 : 0), llen > 12 ? 3 : 0,
		      "Status Code: %d", m->status);
	ptree_int(t, n, FF_HTTP_RESPONSE_CODE, m->status);
	ptree_add(t, -1, 0, 0, "[Status Code Description: %s]",
		  http_status_phrase(m->status));
	n = ptree_add(t, src, m->reason.p ? at(w, v, m->reason) : w->base,
		      m->reason.len, "Response Phrase: %.*s",
		      (int)m->reason.len, m->reason.p ? m->reason.p : "");
	ptree_str(t, n, FF_HTTP_RESPONSE_PHRASE, m->reason.p, m->reason.len);
	ptree_pop(t);
}

/* The filter field a header's value is, or -1. */
static int
header_field(struct span name)
{
	static const struct { const char *name; int field; } tab[] = {
		{ "host", FF_HTTP_HOST }, { "content-type", FF_HTTP_CONTENT_TYPE },
		{ "user-agent", FF_HTTP_USER_AGENT }, { "cookie", FF_HTTP_COOKIE },
		{ "set-cookie", FF_HTTP_SET_COOKIE },
		{ "content-length", FF_HTTP_CONTENT_LENGTH_HEADER },
		{ "server", FF_HTTP_SERVER }, { "connection", FF_HTTP_CONNECTION },
		{ "location", FF_HTTP_LOCATION }, { "accept", FF_HTTP_ACCEPT },
		{ "accept-encoding", FF_HTTP_ACCEPT_ENCODING },
		{ "accept-language", FF_HTTP_ACCEPT_LANGUAGE },
		{ "referer", FF_HTTP_REFERER },
		{ "authorization", FF_HTTP_AUTHORIZATION },
		{ "content-encoding", FF_HTTP_CONTENT_ENCODING },
		{ "transfer-encoding", FF_HTTP_TRANSFER_ENCODING },
		{ "cache-control", FF_HTTP_CACHE_CONTROL },
		{ "date", FF_HTTP_DATE }, { "last-modified", FF_HTTP_LAST_MODIFIED },
		{ "upgrade", FF_HTTP_UPGRADE },
		{ "www-authenticate", FF_HTTP_WWW_AUTHENTICATE },
		{ "x-forwarded-for", FF_HTTP_X_FORWARDED_FOR },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (span_ieq(name, tab[i].name))
			return tab[i].field;
	return -1;
}

/* One header line, with the sub-items Wireshark shows under some. */
static void
header(struct ptree *t, const struct http_view *v, const struct http_where *w,
       const struct http_header *h)
{
	int src = src_of(w);
	size_t off = at(w, v, h->name), end;
	const char *nl;
	long n;

	end = (size_t)(h->value.p ? h->value.p + h->value.len - v->head.p :
		       h->name.p + h->name.len - v->head.p);
	nl = memchr(v->head.p + end, '\n', v->head.len - end);
	end = nl ? (size_t)(nl - v->head.p) + 1 : end;
	n = ptree_add(t, src, off, w->base + end - off, "%.*s: %.*s\\r\\n",
		      (int)h->name.len, h->name.p, (int)h->value.len,
		      h->value.p ? h->value.p : "");
	if (header_field(h->name) >= 0)
		ptree_str(t, n, header_field(h->name), h->value.p,
			  h->value.len);
	/* http.request.line / http.response.line: the line as sent */
	ptree_str(t, ptree_hidden(t, src, off, w->base + end - off),
		  v->msg->is_request ? FF_HTTP_REQUEST_LINE :
		  FF_HTTP_RESPONSE_LINE, v->head.p + (off - w->base),
		  w->base + end - off);
	if (span_ieq(h->name, "cookie")) {
		struct span rest = h->value, item;

		ptree_push(t);
		while (rest.len) {
			const char *semi = memchr(rest.p, ';', rest.len);
			size_t k = semi ? (size_t)(semi - rest.p) : rest.len;

			item = span_trim((struct span){ rest.p, k });
			if (item.len)
				ptree_add(t, src, at(w, v, item), item.len,
					  "Cookie pair: %.*s", (int)item.len,
					  item.p);
			rest.p += semi ? k + 1 : k;
			rest.len -= semi ? k + 1 : k;
		}
		ptree_pop(t);
	} else if (span_ieq(h->name, "content-length")) {
		ptree_push(t);
		n = ptree_add(t, src, at(w, v, h->value), h->value.len,
			      "[Content length: %.*s]", (int)h->value.len,
			      h->value.p);
		ptree_int(t, n, FF_HTTP_CONTENT_LENGTH,
			  (int64_t)strtoull(h->value.p ? h->value.p : "0",
					    NULL, 10));
		ptree_pop(t);
	}
}

/* "[Request URI: ...]" of a response, from its request's head copy. */
static void
request_uri(struct ptree *t, const struct http_rec *req, const struct flow *f)
{
	static const struct http_limits lim = HTTP_LIMITS_DEFAULT;
	struct http_header hs[64];
	struct http_msg m = { .headers = hs, .max_headers = 64 };
	struct http_error err;
	struct buf uri = BUF_INIT;
	uint32_t len;
	const char *head = rec_head(req, &len);

	if (!head || http_parse_request(head, len, 0, HTTP_LENIENT, &lim, &m,
					&err) <= 0)
		return;
	print_full_uri(&uri, &m, f);
	ptree_add(t, -1, 0, 0, "[Request URI: %.*s]", (int)uri.len,
		  uri.data ? uri.data : "");
	buf_free(&uri);
}

/* A "[... in frame: N]" line with its field (the TUI jumps there). */
static void
frame_link(struct ptree *t, int field, const char *fmt, const char *which,
	   uint32_t frame)
{
	long n = which ? ptree_add(t, -1, 0, 0, fmt, which, frame)
		       : ptree_add(t, -1, 0, 0, fmt, frame);

	ptree_frame(t, n, field, frame);
}

/* "[Prev request in frame: n]" and its response, for a response. */
static void
neighbour(struct ptree *t, const struct records *rs, uint32_t link,
	  const char *which)
{
	const struct http_rec *req = rec_link(rs, link), *resp;
	bool prev = which[0] == 'P';

	if (!req)
		return;
	if (req->frame)
		frame_link(t, prev ? FF_HTTP_PREV_REQUEST_IN :
			   FF_HTTP_NEXT_REQUEST_IN, "[%s request in frame: %u]",
			   which, req->frame);
	resp = rec_link(rs, req->pair);
	if (resp && resp->frame)
		frame_link(t, prev ? FF_HTTP_PREV_RESPONSE_IN :
			   FF_HTTP_NEXT_RESPONSE_IN, "[%s response in frame: "
			   "%u]", which, resp->frame);
}

static void
request_generated(struct ptree *t, const struct http_view *v,
		  const struct records *rs)
{
	const struct http_rec *r = v->r, *pair = rec_link(rs, r->pair);
	struct buf uri = BUF_INIT;

	long n;

	print_full_uri(&uri, v->msg, v->flow);
	n = ptree_add(t, -1, 0, 0, "[Full request URI: %.*s]", (int)uri.len,
		      uri.data ? uri.data : "");
	ptree_str(t, n, FF_HTTP_REQUEST_FULL_URI, uri.data, uri.len);
	buf_free(&uri);
	n = ptree_add(t, -1, 0, 0, "[HTTP request %u/%u]", r->nth,
		      rec_stream_requests(rs, r->stream));
	ptree_int(t, n, FF_HTTP_REQUEST_NUMBER, r->nth);
	if (r->prev && rec_link(rs, r->prev)->frame)
		frame_link(t, FF_HTTP_PREV_REQUEST_IN, "[Prev request in "
			   "frame: %u]", NULL, rec_link(rs, r->prev)->frame);
	if (pair && pair->frame)
		frame_link(t, FF_HTTP_RESPONSE_IN, "[Response in frame: %u]",
			   NULL, pair->frame);
	if (r->next && rec_link(rs, r->next)->frame)
		frame_link(t, FF_HTTP_NEXT_REQUEST_IN, "[Next request in "
			   "frame: %u]", NULL, rec_link(rs, r->next)->frame);
}

static void
generated(struct ptree *t, const struct http_view *v,
	  const struct records *rs, const struct capture *cap)
{
	const struct http_rec *pair = rec_link(rs, v->r->pair);
	struct buf secs = BUF_INIT;
	int64_t ns;
	long n;

	if (v->msg->is_request) {
		request_generated(t, v, rs);
		return;
	}
	if (!pair)
		return;
	n = ptree_add(t, -1, 0, 0, "[HTTP response %u/%u]", pair->nth,
		      rec_stream_requests(rs, pair->stream));
	ptree_int(t, n, FF_HTTP_RESPONSE_NUMBER, pair->nth);
	if ((ns = print_time_since_request(v, rs, cap)) >= 0) {
		print_secs(&secs, ns, 9);
		n = ptree_add(t, -1, 0, 0, "[Time since request: %s seconds]",
			      secs.data);
		ptree_time_ns(t, n, FF_HTTP_TIME, ns);
		buf_free(&secs);
	}
	neighbour(t, rs, pair->prev, "Prev");
	if (pair->frame)
		frame_link(t, FF_HTTP_REQUEST_IN, "[Request in frame: %u]",
			   NULL, pair->frame);
	neighbour(t, rs, pair->next, "Next");
	request_uri(t, pair, v->flow);
}

/* Did a message begun in frame no take held bytes of other frames (a
 * segments block of its length lists another frame)? */
static bool
held_pdu(const struct cap_session *ss, size_t whole, uint32_t no)
{
	const struct cap_pipe *pp = ss ? ss->cur : NULL;

	for (unsigned b = 0; pp && b < pp->npdu; b++) {
		const struct seg_span *sg = pp->pdu_segs + pp->pdu[b].first;

		if (pp->pdu[b].total != whole)
			continue;
		for (uint32_t i = 0; i < pp->pdu[b].n; i++)
			if (sg[i].frame != no)
				return true;
	}
	return false;
}

void
http_tree_where(const struct cap_session *ss, const struct http_view *v,
		struct ptree *t, struct http_where *w)
{
	size_t whole = v->head.len + (size_t)v->body_wire;
	uint32_t off;
	struct buf pdu = BUF_INIT;

	memset(w, 0, sizeof(*w));
	w->src = -1;
	if (ss && ss->cur && cap_session_in_frame(ss, v, whole, &off)) {
		w->src = PTREE_SRC_FRAME;
		w->base = off;
		w->wire = true;
		w->wire_p = (const char *)ss->cur->pk.data + off + v->head.len;
		return;
	}
	if (v->r->first_frame == v->frame && !held_pdu(ss, whole, v->frame))
		return;		/* the frame's bytes are not where we can say */
	/* tshark's "Reassembled TCP": the whole message as sent */
	buf_append(&pdu, v->head.p, v->head.len);
	if (v->wire.p) {
		buf_append(&pdu, v->wire.p, v->wire.len);
		w->wire = true;
	} else if (v->msg->framing != HTTP_FRAME_CHUNKED && !v->body_cut &&
		   v->body.len == v->body_wire) {
		buf_append(&pdu, v->body.p, v->body.len);
		w->wire = true;
	}
	/* only a message whole (no gap, kept in full) is a source */
	w->src = w->wire ? ptree_source(t, "Reassembled TCP", pdu.data,
					pdu.len) : -1;
	if (w->wire && w->src >= 0) {
		size_t n;
		const uint8_t *b = ptree_bytes(t, (unsigned)w->src, &n);

		w->wire_p = (const char *)b + v->head.len;
	}
	buf_free(&pdu);
}

void
http_tree_add(struct ptree *t, const struct http_view *v,
	      const struct records *rs, const struct capture *cap, bool expand,
	      const struct http_where *w)
{
	const struct http_msg *m = v->msg;
	size_t i, whole = v->head.len + (w->wire ? (size_t)v->body_wire : 0);
	long n;

	n = ptree_add(t, w->src, w->base, whole,
		      "Hypertext Transfer Protocol%s%s%s",
		      !v->malformed ? "" : v->cut_by_end ? " [Incomplete: " :
		      " [Malformed: ",
		      v->malformed ? v->malformed : "",
		      v->malformed ? "]" : "");
	ptree_proto(t, n, FF_HTTP);
	if (!expand)
		ptree_close(t, n);
	ptree_push(t);
	start_line(t, v, w);
	for (i = 0; i < m->nheaders; i++)
		header(t, v, w, &m->headers[i]);
	ptree_add(t, w->src, w->base + v->head.len - (v->head.len >= 2 &&
		  v->head.p[v->head.len - 2] == '\r' ? 2 : 1),
		  v->head.len >= 2 && v->head.p[v->head.len - 2] == '\r' ? 2 : 1,
		  "\\r\\n");
	generated(t, v, rs, cap);
	ptree_pop(t);
	if (expand)
		http_tree_body(t, v, w);
}
