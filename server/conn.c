/*
 * conn.c - the per-connection HTTP state machine: requests are read by
 * the shared HTTP/1.x stream reader (http/stream.h: head, body, end, next
 * head; strict, or lenient with --lenient), then go to the route table;
 * pipelined requests are answered in order, one at a time.  This file
 * keeps only the server's reactions to the reader's events.
 *
 *   CS_HEAD --head--> CS_BODY --body done--> dispatch --> CS_HEAD
 *      |                 |                      |--> CS_WAIT (async) --> conn_done
 *      +--error----------+--> 4xx, CS_CLOSE --> CS_LINGER --> closed
 *
 * Plain HTTP sent to the TLS port (conn_io.c notices it) is read as far
 * as its head and answered with a 400 that names the https:// URL.
 *
 * A request without a body stays in c->in until its response is queued
 * (c->rd.msg's spans point into it).  A request with one has its head moved
 * to c->head first, so the body's bytes can be consumed from c->in as
 * they are decoded: into c->body (held once, up to --max-body-size), or
 * for POST /upload through an upload_stream to disk.  c->in thus stays
 * small whatever the body's size.  Socket work is conn_io.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "http/header.h"
#include "server/conn.h"
#include "server/echo.h"
#include "server/h2.h"
#include "server/ws.h"
#include "server/log.h"
#include "server/resp.h"
#include "server/routes.h"
#include "server/upload.h"

static bool
conn_pending(const struct conn *c)
{
	return c->out.len > c->out.off || c->tail.len > c->tail.off ||
	    c->file_left;
}

static enum http_mode
conn_mode(const struct conn *c)
{
	return c->th->srv->cfg.lenient ? HTTP_LENIENT : HTTP_STRICT;
}

/* Copy text into c->reqline for the log, escaping what a terminal or a
 * log parser would trip over. */
static void
conn_set_reqline(struct conn *c, const char *p, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < sizeof c->reqline; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
			o += (size_t)snprintf(c->reqline + o,
					      sizeof c->reqline - o,
					      "\\x%02x", ch);
		else
			c->reqline[o++] = (char)ch;
	}
	c->reqline[o] = 0;
}

static void
conn_reqline_raw(struct conn *c)
{
	struct span u = buf_unread(&c->in);
	size_t n = 0;

	while (n < u.len && u.p[n] != '\r' && u.p[n] != '\n')
		n++;
	conn_set_reqline(c, u.p, n);
	if (!c->reqline[0])
		snprintf(c->reqline, sizeof c->reqline, "-");
}

/* Answer status with detail, log, and close after sending. */
static void
conn_fail(struct conn *c, int status, const char *detail)
{
	conn_log_now(c);	/* an earlier response's line first */
	if (!c->reqline[0])
		conn_reqline_raw(c);
	c->keep_alive = false;
	c->is_head = false;
	c->resp_bytes = 0;
	resp_error(c, status, detail);
	log_request(c);
	c->st = CS_CLOSE;
}

/* Is h a host[:port] fit to print in a URL (letters, digits, ".-_:[]")? */
static bool
conn_host_ok(struct span h)
{
	if (!h.p || h.len == 0 || h.len > 255)
		return false;
	for (size_t i = 0; i < h.len; i++) {
		unsigned char ch = (unsigned char)h.p[i];

		if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
		    !(ch >= '0' && ch <= '9') && !strchr(".-_:[]", ch))
			return false;
	}
	return true;
}

/* Does host (valid per conn_host_ok) end in ":port"? */
static bool
conn_host_has_port(struct span h)
{
	for (size_t i = h.len; i-- > 0;) {
		if (h.p[i] == ':')
			return true;
		if (h.p[i] == ']')
			return false;
	}
	return false;
}

/*
 * The https:// URL a plain request to the TLS port should have used:
 * the Host the client named (with our port added if it named none) or
 * our own address, and the origin-form target when there is a short,
 * printable one.  parsed: c->rd.msg holds the request.
 */
static void
conn_https_url(const struct conn *c, bool parsed, char *url, size_t size)
{
	const struct server *srv = c->th->srv;
	struct span host = parsed ? http_header_value(&c->rd.msg, "host") :
	    (struct span){ NULL, 0 };
	struct span path = SPAN_LIT("/");
	char port[16] = "";

	if (!conn_host_ok(host))
		host = span_from(srv->host);
	else if (!conn_host_has_port(host))
		snprintf(port, sizeof port, ":%d", srv->port);
	if (parsed && c->rd.msg.target.len && c->rd.msg.target.len <= 400 &&
	    c->rd.msg.target.p[0] == '/') {
		path = c->rd.msg.target;
		for (size_t i = 0; i < path.len; i++) {
			unsigned char ch = (unsigned char)path.p[i];

			if (ch <= ' ' || ch >= 0x7f) {
				path = SPAN_LIT("/");
				break;
			}
		}
	}
	snprintf(url, size, "https://%.*s%s%.*s", (int)host.len, host.p, port,
		 (int)path.len, path.p);
}

/*
 * Plain HTTP came to the TLS port (c->plain_on_tls): whatever the head
 * was, answer 400 naming the https:// URL to use, log it like any other
 * 400 and close.  parsed: the head parsed (a HEAD gets no body).
 */
static void
conn_wrong_port(struct conn *c, bool parsed)
{
	char url[700], d[800];

	conn_log_now(c);
	conn_https_url(c, parsed, url, sizeof url);
	snprintf(d, sizeof d, "this port speaks HTTPS and the request came "
		 "as plain HTTP: use %s", url);
	c->reqline[0] = 0;
	conn_reqline_raw(c);
	c->keep_alive = false;
	c->is_head = parsed && span_eq(c->rd.msg.method, "HEAD");
	c->resp_bytes = 0;
	resp_error(c, 400, d);
	log_request(c);
	c->st = CS_CLOSE;
}

/* Would --lenient have taken the head strict mode just refused? */
static bool
conn_lenient_helps(struct conn *c)
{
	struct span u = buf_unread(&c->in);
	struct http_error e;

	c->rd.msg.headers = c->hdrs;
	c->rd.msg.max_headers = c->th->srv->cfg.max_headers;
	int r = http_parse_request(u.p, u.len, 0, HTTP_LENIENT,
				   &c->th->srv->lim, &c->rd.msg, &e);
	return r > 0 || r == HTTP_INCOMPLETE;
}

static void
conn_reject(struct conn *c, const struct http_error *err, bool in_head)
{
	char line[600];
	size_t n;

	if (in_head)
		c->have_msg = false;	/* msg is half-filled junk */
	http_error_format(err, line, sizeof line);
	n = strlen(line);
	if (err->status == 431 && strstr(line, "too many header fields"))
		snprintf(line + n, sizeof line - n, " (%zu, --max-headers)",
			 c->th->srv->cfg.max_headers);
	n = strlen(line);
	if (in_head && conn_mode(c) == HTTP_STRICT && err->status == 400 &&
	    !strstr(line, "--lenient") && conn_lenient_helps(c))
		snprintf(line + n, sizeof line - n,
			 " (httptool serve --lenient accepts this)");
	if (in_head)
		c->reqline[0] = 0;	/* else it names the request already */
	conn_fail(c, err->status ? err->status : 400, line);
}

/*
 * The head of a request with a body goes to c->head (c->rd.msg re-pointed
 * there) and leaves c->in, so the body can be consumed as it arrives.
 * 0, or -ENOMEM.
 */
static int
conn_move_head(struct conn *c)
{
	struct span u = buf_unread(&c->in);
	struct http_error err;

	buf_reset(&c->head);
	if (buf_append(&c->head, u.p, c->rd.msg.head_len) < 0)
		return -ENOMEM;
	c->rd.msg.headers = c->hdrs;
	c->rd.msg.max_headers = c->th->srv->cfg.max_headers;
	if (http_parse_request(c->head.data, c->head.len, 0, conn_mode(c),
			       &c->th->srv->lim, &c->rd.msg, &err) <= 0)
		return -ENOMEM;	/* cannot be: it parsed a moment ago */
	buf_consume(&c->in, c->rd.msg.head_len);
	c->head_moved = true;
	return 0;
}

/*
 * --lenient took obs-fold (a line break then SP/HTAB inside a value):
 * RFC 9112 §5.2 says replace it with SP before using the value.  Done
 * in place: the fold and the blanks around it become one SP, the value
 * shrinks, and the bytes it freed are blanked, so a second parse of the
 * head (conn_move_head) reads the same value.
 */
static void
conn_unfold(struct conn *c)
{
	for (size_t i = 0; i < c->rd.msg.nheaders; i++) {
		struct span *v = &c->rd.msg.headers[i].value;
		char *p = c->in.data + (v->p - c->in.data);
		size_t o = 0;

		if (!memchr(p, '\n', v->len))
			continue;
		for (size_t k = 0; k < v->len; k++) {
			bool blank = p[k] == ' ' || p[k] == '\t' ||
			    p[k] == '\r' || p[k] == '\n';

			if (blank && o && p[o - 1] == ' ')
				continue;
			p[o++] = blank ? ' ' : p[k];
		}
		memset(p + o, ' ', v->len - o);
		v->len = o;
	}
}

void
conn_reader_init(struct conn *c)
{
	const struct server *srv = c->th->srv;

	http_stream_init(&c->rd, true, conn_mode(c), c->hdrs,
			 srv->cfg.max_headers);
	c->rd.lim = &srv->lim;
}

static int
conn_step_head(struct conn *c)
{
	const struct server *srv = c->th->srv;
	struct span u = buf_unread(&c->in);
	struct http_stream_event ev;
	enum http_stream_ev e;

	if (u.len == 0)
		return 0;
	e = http_stream_next(&c->rd, u.p, u.len, SPAN_NULL, &ev);
	if (e == HTTP_EV_NEED_MORE)
		return 0;
	if (c->plain_on_tls) {
		conn_wrong_port(c, e == HTTP_EV_HEAD);
		return 0;
	}
	if (e != HTTP_EV_HEAD) {
		conn_reject(c, &c->rd.err, true);
		return 0;
	}
	c->have_msg = true;
	if (conn_mode(c) == HTTP_LENIENT)
		conn_unfold(c);
	conn_set_started(c);
	c->http10 = c->rd.msg.major == 1 && c->rd.msg.minor == 0;
	c->keep_alive = c->rd.msg.keep_alive && !c->th->draining;
	c->is_head = span_eq(c->rd.msg.method, "HEAD");
	c->status = 0;
	c->resp_bytes = 0;
	if (srv->cfg.quiet) {
		strcpy(c->reqline, "-");	/* nobody reads it */
	} else {
		char line[sizeof c->reqline];
		const struct http_msg *rm = &c->rd.msg;
		size_t m = rm->method.len > 40 ? 40 : rm->method.len;
		size_t t = rm->target.len > 180 ? 180 : rm->target.len;

		memcpy(line, c->rd.msg.method.p, m);
		line[m] = ' ';
		memcpy(line + m + 1, c->rd.msg.target.p, t);
		memcpy(line + m + 1 + t, " HTTP/1.1", 9);
		line[m + t + 7] = (char)('0' + c->rd.msg.major % 10);
		line[m + t + 9] = (char)('0' + c->rd.msg.minor % 10);
		if (c->h2s)	/* an HTTP/2 stream (h2_stream.c) */
			memcpy(line + m + t + 7, "2.0", 3);
		conn_set_reqline(c, line, m + t + 10);
	}
	buf_reset(&c->body);
	c->st = CS_BODY;
	c->deadline = conn_now(c) + srv->cfg.idle_timeout_ms;
	c->hd_running = false;
	if (c->rd.msg.framing == HTTP_FRAME_NONE)
		return 1;	/* the reader's next event is its end */
	if (c->rd.msg.framing == HTTP_FRAME_LENGTH &&
	    c->rd.msg.content_length > srv->cfg.max_body) {
		char d[200];

		snprintf(d, sizeof d, "request body of %llu bytes is larger "
			 "than the limit of %zu (--max-body-size)",
			 (unsigned long long)c->rd.msg.content_length,
			 srv->cfg.max_body);
		conn_fail(c, 413, d);
		return 0;
	}
	if (c->rd.msg.expect_continue && !c->http10 &&
	    u.len == c->rd.msg.head_len)
		resp_continue(c);
	if (conn_move_head(c) < 0) {
		conn_fail(c, 500, "out of memory");
		return 0;
	}
	c->upl = upload_stream_for(srv, &c->rd.msg);
	return 1;
}

/* Decoded body bytes: to /upload's stream or into c->body. */
static int
conn_body_data(struct conn *c, struct span data)
{
	if (c->rd.body.total > c->th->srv->cfg.max_body) {
		char d[160];

		snprintf(d, sizeof d, "request body is larger than the limit "
			 "of %zu bytes (--max-body-size)",
			 c->th->srv->cfg.max_body);
		conn_fail(c, 413, d);
		return -1;
	}
	if (c->upl)
		upload_stream_feed(c->upl, data.p, data.len);
	else if (buf_append(&c->body, data.p, data.len) < 0) {
		conn_fail(c, 500, "out of memory for the request body");
		return -1;
	}
	return 0;
}

/* Decode what c->in holds of the body, consuming it as it goes.  1 when
 * the request is complete, 0 when more is needed or the request failed. */
static int
conn_step_body(struct conn *c)
{
	struct http_stream_event ev;
	enum http_stream_ev e;

	do {
		struct span u = buf_unread(&c->in);

		e = http_stream_next(&c->rd, u.p, u.len, SPAN_NULL, &ev);
		if (e == HTTP_EV_ERROR) {
			conn_reject(c, &c->rd.err, false);
			return 0;
		}
		if (e == HTTP_EV_BODY && conn_body_data(c, ev.data) < 0)
			return 0;
		buf_consume(&c->in, ev.consumed);
	} while (e == HTTP_EV_BODY);
	if (c->in.off == c->in.len)
		buf_reset(&c->in);
	else if (c->in.off > 65536)
		buf_compact(&c->in);
	if (e != HTTP_EV_END) {
		c->deadline = conn_now(c) + c->th->srv->cfg.idle_timeout_ms;
		return 0;
	}
	return 1;
}

static void
conn_dispatch(struct conn *c)
{
	char path[8192];
	struct req r = { 0 };
	struct http_url url;

	r.c = c;
	r.srv = c->th->srv;
	r.msg = &c->rd.msg;
	r.method = c->rd.msg.method;
	r.target = c->rd.msg.target;
	r.body = (struct span){ c->body.data ? c->body.data : "",
				c->body.len };
	r.head = (struct span){ c->head_moved ? c->head.data :
				c->in.data + c->in.off, c->rd.msg.head_len };
	c->deadline = 0;
	if (span_eq(r.target, "*")) {
		r.rawpath = r.target;
	} else if (!http_url_split(r.target, &url)) {
		conn_fail(c, 400, "cannot read the request target");
		return;
	} else {
		r.rawpath = url.path.len ? url.path : SPAN_LIT("/");
		r.query = url.query;
	}
	if (r.rawpath.len >= sizeof path) {
		conn_fail(c, 414, "the path is too long");
		return;
	}
	long n = http_pct_decode(r.rawpath, path, false);

	if (n < 0) {
		conn_fail(c, 400, "malformed percent-encoding in the path "
			  "(RFC 3986 §2.1)");
		return;
	}
	path[n] = 0;
	r.path = path;
	r.path_len = (size_t)n;
	routes_dispatch(&r);
}

/* The current request is answered: forget its bytes, get ready for the
 * next one. */
static void
conn_finish(struct conn *c)
{
	const struct server_config *cfg = &c->th->srv->cfg;

	conn_log_when_sent(c);
	c->have_msg = false;
	if (!c->head_moved)
		buf_consume(&c->in, c->rd.msg.head_len);
	c->head_moved = false;
	if (c->head.cap > 65536)
		buf_free(&c->head);
	upload_stream_free(c->upl);
	c->upl = NULL;
	if (c->in.off == c->in.len) {
		if (c->in.cap > (1u << 20))
			buf_free(&c->in);	/* after a big upload */
		buf_reset(&c->in);
	}
	else if (c->in.off > 65536)
		buf_compact(&c->in);
	if (c->body.cap > (1u << 20))
		buf_free(&c->body);
	buf_reset(&c->body);
	c->cont = NULL;
	if (!c->keep_alive || c->th->draining) {
		c->st = CS_CLOSE;
		return;
	}
	c->st = CS_HEAD;
	c->hd_running = c->in.len > c->in.off;
	conn_set_started(c);
	c->deadline = conn_now(c) + (c->hd_running ? cfg->header_timeout_ms
				     : cfg->idle_timeout_ms);
}

void
conn_process(struct conn *c)
{
	if (c->echo) {
		echo_process(c);
		return;
	}
	if (c->ws) {
		ws_process(c);
		return;
	}
	if (c->h2 || (c->st == CS_HEAD && h2_detect(c) > 0)) {
		h2_process(c);
		return;
	}
	for (;;) {
		if (c->wait_flush) {
			/* a file body goes out before the next response */
			if (conn_pending(c) && !conn_flush(c))
				return;	/* closed */
			if (conn_pending(c))
				break;
			c->wait_flush = false;
		}
		if (c->st == CS_HEAD) {
			if (!c->hd_running && c->in.len > c->in.off) {
				c->hd_running = true;	/* pipelined */
				conn_set_started(c);	/* for a 4xx */
				c->deadline = conn_now(c) +
				    c->th->srv->cfg.header_timeout_ms;
			}
			if (h2_detect(c) < 0 || conn_step_head(c) <= 0)
				break;
		}
		if (c->st != CS_BODY || conn_step_body(c) <= 0)
			break;
		if (c->rd.msg.upgrade && h2_upgrade(c))
			return;
		conn_dispatch(c);
		if (c->ws) {	/* the handler answered 101 (server/ws.c) */
			ws_begin(c);
			return;
		}
		if (c->st == CS_WAIT || c->st == CS_CLOSE)
			break;
		conn_finish(c);
	}
	conn_settle(c);
}

void
conn_done(struct conn *c)
{
	c->st = CS_BODY;
	c->cont = NULL;
	conn_finish(c);
	conn_process(c);
}

void
conn_timeout(struct conn *c)
{
	char d[160];

	if (c->h2) {
		h2_timeout(c);
		return;
	}
	if (c->ws) {
		ws_timeout(c);
		return;
	}
	if ((c->st == CS_HEAD && c->in.len > c->in.off) || c->st == CS_BODY) {
		snprintf(d, sizeof d, "no byte of the request %s came for "
			 "%d ms (--%s-timeout)",
			 c->st == CS_HEAD ? "head" : "body",
			 c->st == CS_HEAD ? c->th->srv->cfg.header_timeout_ms :
			 c->th->srv->cfg.idle_timeout_ms,
			 c->st == CS_HEAD ? "header" : "idle");
		if (c->st == CS_HEAD)
			c->reqline[0] = 0;
		conn_fail(c, 408, d);
		conn_settle(c);
		return;
	}
	conn_close(c);
}
