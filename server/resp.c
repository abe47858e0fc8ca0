/*
 * resp.c - writing responses into a connection's output buffer (see
 * resp.h).  Sending is conn.c's job; this file only formats.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/version.h"
#include "http/date.h"
#include "http/header.h"
#include "http/status.h"
#include "server/resp.h"

/* Appending without printf: this is on every response's path. */
static void
resp_put(struct buf *b, const char *s, size_t n)
{
	buf_append(b, s, n);
}

#define RESP_PUT_LIT(b, s) resp_put((b), (s), sizeof(s) - 1)

static void
resp_put_length(struct buf *b, const char *ctype, unsigned long long len)
{
	if (ctype) {
		RESP_PUT_LIT(b, "Content-Type: ");
		buf_puts(b, ctype);
		RESP_PUT_LIT(b, "\r\n");
	}
	RESP_PUT_LIT(b, "Content-Length: ");
	buf_put_u64(b, len);
	RESP_PUT_LIT(b, "\r\n\r\n");
}

const char *
resp_date(struct srv_thread *th)
{
	time_t now = time(NULL);

	if (now != th->date_sec) {
		http_date_format(now, th->date);
		th->date_sec = now;
	}
	return th->date;
}

/*
 * CORS as httpbin sends it on every response, so fetch() from a page of
 * another origin can read it: the request's Origin (or *), credentials
 * allowed, and for a preflight (OPTIONS) the methods, the headers asked
 * for and an hour's Max-Age.  Values from the request are field values
 * the parser checked (no CR or LF), safe to send back.
 */
static void
resp_cors(struct conn *c)
{
	struct span origin = http_header_value(&c->rd.msg, "origin");
	struct span ask = http_header_value(&c->rd.msg,
					    "access-control-request-headers");

	RESP_PUT_LIT(&c->out, "Access-Control-Allow-Origin: ");
	if (origin.p && origin.len)
		resp_put(&c->out, origin.p, origin.len);
	else
		RESP_PUT_LIT(&c->out, "*");
	RESP_PUT_LIT(&c->out, "\r\nAccess-Control-Allow-Credentials: true\r\n");
	if (!span_eq(c->rd.msg.method, "OPTIONS"))
		return;
	RESP_PUT_LIT(&c->out, "Access-Control-Allow-Methods: GET, POST, PUT, "
		     "DELETE, PATCH, OPTIONS\r\nAccess-Control-Max-Age: 3600"
		     "\r\n");
	if (ask.p) {
		RESP_PUT_LIT(&c->out, "Access-Control-Allow-Headers: ");
		resp_put(&c->out, ask.p, ask.len);
		RESP_PUT_LIT(&c->out, "\r\n");
	}
}

void
resp_start(struct conn *c, int status)
{
	const char *phrase = http_status_phrase(status);

	c->status = status;
	RESP_PUT_LIT(&c->out, "HTTP/1.1 ");
	buf_put_u64(&c->out, (unsigned)status);
	RESP_PUT_LIT(&c->out, " ");
	buf_puts(&c->out, phrase[0] ? phrase : "Unknown");
	RESP_PUT_LIT(&c->out, "\r\nServer: httptool/" HTTPTOOL_VERSION
		     "\r\nDate: ");
	resp_put(&c->out, resp_date(c->th), HTTP_DATE_LEN);
	RESP_PUT_LIT(&c->out, "\r\n");
	if (!c->keep_alive)
		RESP_PUT_LIT(&c->out, "Connection: close\r\n");
	else if (c->http10)
		RESP_PUT_LIT(&c->out, "Connection: keep-alive\r\n");
	if (c->have_msg && c->th->srv->cfg.cors)
		resp_cors(c);
}

void
resp_header(struct conn *c, const char *name, const char *value)
{
	buf_puts(&c->out, name);
	RESP_PUT_LIT(&c->out, ": ");
	buf_puts(&c->out, value);
	RESP_PUT_LIT(&c->out, "\r\n");
}

void
resp_headerf(struct conn *c, const char *name, const char *fmt, ...)
{
	va_list ap;

	buf_printf(&c->out, "%s: ", name);
	va_start(ap, fmt);
	buf_vprintf(&c->out, fmt, ap);
	va_end(ap);
	buf_puts(&c->out, "\r\n");
}

void
resp_body(struct conn *c, const char *ctype, const void *body, size_t len)
{
	resp_put_length(&c->out, ctype, len);
	if (c->is_head)		/* HEAD: the length is promised, not sent */
		return;
	if (len)
		buf_append(&c->out, body, len);
	c->resp_bytes += len;
}

void
resp_body_buf(struct conn *c, const char *ctype, struct buf *body)
{
	size_t len = body->len - body->off;

	if (c->is_head || len < 16384 || c->tail.len > c->tail.off) {
		resp_body(c, ctype, body->data + body->off, len);
		buf_free(body);
		return;
	}
	resp_put_length(&c->out, ctype, len);
	c->resp_bytes += len;
	buf_free(&c->tail);
	c->tail = *body;
	buf_init(body);
	c->wait_flush = true;	/* the next response goes after it */
}

void
resp_send(struct conn *c, int status, const char *ctype, const void *body,
	  size_t len)
{
	resp_start(c, status);
	resp_body(c, ctype, body, len);
}

void
resp_error_body(struct conn *c, int status, const char *detail)
{
	char text[1024];
	int n = snprintf(text, sizeof text, "%d %s\n%s%s", status,
			 http_status_phrase(status), detail ? detail : "",
			 detail ? "\n" : "");

	if (n < 0 || (size_t)n >= sizeof text)
		n = (int)strlen(text);
	resp_body(c, "text/plain; charset=utf-8", text, (size_t)n);
}

void
resp_error(struct conn *c, int status, const char *detail)
{
	resp_start(c, status);
	resp_error_body(c, status, detail);
}

void
resp_file(struct conn *c, const char *ctype, int fd, uint64_t off,
	  uint64_t len)
{
	resp_put_length(&c->out, ctype, len);
	if (c->is_head || len == 0) {
		close(fd);
		return;
	}
	c->resp_bytes += len;
	/* small files: one write of head and body beats write + sendfile */
	if (len <= 32768 && buf_reserve(&c->out, (size_t)len) == 0) {
		ssize_t n = pread(fd, c->out.data + c->out.len, (size_t)len,
				  (off_t)off);

		if (n == (ssize_t)len) {
			c->out.len += (size_t)n;
			c->out.data[c->out.len] = 0;
			close(fd);
			return;
		}
	}
	if (c->file_fd >= 0)
		close(c->file_fd);
	c->file_fd = fd;
	c->file_off = off;
	c->file_left = len;
	c->wait_flush = true;
}

void
resp_chunked(struct conn *c, int status, const char *ctype)
{
	/* HTTP/1.0 has no chunked coding: the body ends with the close */
	if (c->http10)
		c->keep_alive = false;
	resp_start(c, status);
	if (ctype) {
		RESP_PUT_LIT(&c->out, "Content-Type: ");
		buf_puts(&c->out, ctype);
		RESP_PUT_LIT(&c->out, "\r\n");
	}
	if (c->http10)
		RESP_PUT_LIT(&c->out, "\r\n");
	else
		RESP_PUT_LIT(&c->out, "Transfer-Encoding: chunked\r\n\r\n");
}

void
resp_chunk(struct conn *c, const void *p, size_t n)
{
	if (c->is_head || n == 0)
		return;
	c->resp_bytes += n;
	if (c->http10) {
		buf_append(&c->out, p, n);
		return;
	}
	buf_printf(&c->out, "%zx\r\n", n);
	buf_append(&c->out, p, n);
	RESP_PUT_LIT(&c->out, "\r\n");
}

void
resp_chunk_end(struct conn *c)
{
	if (!c->is_head && !c->http10)
		RESP_PUT_LIT(&c->out, "0\r\n\r\n");
}

void
resp_continue(struct conn *c)
{
	buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
}
