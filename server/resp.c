/*
 * resp.c - writing responses into a connection's output buffer (see
 * resp.h).  Sending is conn.c's job; this file only formats.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/version.h"
#include "http/date.h"
#include "http/status.h"
#include "server/resp.h"

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

void
resp_start(struct conn *c, int status)
{
	const char *phrase = http_status_phrase(status);

	c->status = status;
	buf_printf(&c->out, "HTTP/1.1 %d %s\r\nServer: httptool/"
		   HTTPTOOL_VERSION "\r\nDate: %s\r\n", status,
		   phrase[0] ? phrase : "Unknown", resp_date(c->th));
	if (!c->keep_alive)
		buf_puts(&c->out, "Connection: close\r\n");
	else if (c->http10)
		buf_puts(&c->out, "Connection: keep-alive\r\n");
}

void
resp_header(struct conn *c, const char *name, const char *value)
{
	buf_printf(&c->out, "%s: %s\r\n", name, value);
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
	if (ctype)
		buf_printf(&c->out, "Content-Type: %s\r\n", ctype);
	buf_printf(&c->out, "Content-Length: %zu\r\n\r\n", len);
	if (!c->is_head && len)
		buf_append(&c->out, body, len);
	c->resp_bytes += len;
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
	if (ctype)
		buf_printf(&c->out, "Content-Type: %s\r\n", ctype);
	buf_printf(&c->out, "Content-Length: %llu\r\n\r\n",
		   (unsigned long long)len);
	c->resp_bytes += len;
	if (c->is_head || len == 0) {
		close(fd);
		return;
	}
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
resp_chunked(struct conn *c, const char *ctype)
{
	if (ctype)
		buf_printf(&c->out, "Content-Type: %s\r\n", ctype);
	buf_puts(&c->out, "Transfer-Encoding: chunked\r\n\r\n");
}

void
resp_chunk(struct conn *c, const void *p, size_t n)
{
	if (c->is_head || n == 0)
		return;
	buf_printf(&c->out, "%zx\r\n", n);
	buf_append(&c->out, p, n);
	buf_puts(&c->out, "\r\n");
	c->resp_bytes += n;
}

void
resp_chunk_end(struct conn *c)
{
	if (!c->is_head)
		buf_puts(&c->out, "0\r\n\r\n");
}

void
resp_continue(struct conn *c)
{
	buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
}
