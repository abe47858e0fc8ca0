/*
 * fault.c - routes that misbehave on purpose, to see how a client copes
 * (none of curl's, httpbin's or nginx's test servers has them):
 *
 *   /fault/close-early    Content-Length: 100, 40 bytes, then FIN
 *   /fault/wrong-length   Content-Length: 64, 32 bytes, then silence
 *                         until the idle timeout closes the connection
 *   /fault/bad-chunk      chunked body whose second chunk size is "zz"
 *   /fault/slow-headers   one header line every ?ms= (default 500, max
 *                         10000), then a short body
 *   /fault/no-response    reads the request, never answers (closes at
 *                         the idle timeout)
 *   /fault/reset          answers nothing and resets the connection (RST)
 *   /fault/http10         "HTTP/1.0 200 OK" without Content-Length: the
 *                         body ends when the connection closes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

static void
fault_hang_up(struct conn *c)
{
	conn_kill(c);
}

void
fault_close_early(struct req *r)
{
	static const char part[] = "this body was promised as 100 bytes...\n";

	r->c->keep_alive = false;
	resp_start(r->c, 200);
	buf_printf(&r->c->out, "Content-Type: text/plain\r\n"
		   "Content-Length: 100\r\n\r\n");
	if (!r->c->is_head) {
		buf_append(&r->c->out, part, sizeof part - 1);
		r->c->resp_bytes = sizeof part - 1;
	}
}

void
fault_wrong_length(struct req *r)
{
	static const char part[] = "32 bytes of a promised 64......\n";

	resp_start(r->c, 200);
	buf_printf(&r->c->out, "Content-Type: text/plain\r\n"
		   "Content-Length: 64\r\n\r\n");
	if (!r->c->is_head) {
		buf_append(&r->c->out, part, sizeof part - 1);
		r->c->resp_bytes = sizeof part - 1;
	}
	conn_later(r->c, r->srv->cfg.idle_timeout_ms, fault_hang_up);
}

void
fault_bad_chunk(struct req *r)
{
	r->c->keep_alive = false;
	resp_start(r->c, 200);
	buf_puts(&r->c->out, "Content-Type: text/plain\r\n"
		 "Transfer-Encoding: chunked\r\n\r\n");
	if (!r->c->is_head)
		buf_puts(&r->c->out, "6\r\nhello\n\r\nzz\r\nworld\n\r\n"
			 "0\r\n\r\n");
}

static const char *const fault_slow_lines[] = {
	"Content-Type: text/plain\r\n",
	"X-Slow-1: one\r\n",
	"X-Slow-2: two\r\n",
	"X-Slow-3: three\r\n",
	"Content-Length: 5\r\n",
	"\r\nslow\n",
};

static void
fault_slow_tick(struct conn *c)
{
	size_t n = sizeof fault_slow_lines / sizeof *fault_slow_lines;
	const char *line = fault_slow_lines[c->a_i++];

	if ((size_t)c->a_i == n && c->is_head)
		buf_puts(&c->out, "\r\n");
	else
		buf_puts(&c->out, line);
	if ((size_t)c->a_i == n) {
		c->resp_bytes = c->is_head ? 0 : 5;
		conn_done(c);
		return;
	}
	conn_later(c, c->a_ms, fault_slow_tick);
	conn_settle(c);
}

void
fault_slow_headers(struct req *r)
{
	char v[32];
	long ms = 500;

	if (req_query(r, "ms", v, sizeof v))
		ms = atol(v);
	if (ms < 0 || ms > 10000)
		ms = ms < 0 ? 0 : 10000;
	resp_start(r->c, 200);
	r->c->a_i = 0;
	r->c->a_ms = ms;
	conn_later(r->c, ms, fault_slow_tick);
}

void
fault_no_response(struct req *r)
{
	conn_later(r->c, r->srv->cfg.idle_timeout_ms, fault_hang_up);
}

void
fault_reset(struct req *r)
{
	r->c->keep_alive = false;
	r->c->reset = true;
}

void
fault_http10(struct req *r)
{
	static const char body[] =
	    "An HTTP/1.0 response without Content-Length:\n"
	    "the body ends where the connection does.\n";

	r->c->keep_alive = false;
	r->c->status = 200;
	buf_printf(&r->c->out, "HTTP/1.0 200 OK\r\nServer: httptool\r\n"
		   "Content-Type: text/plain\r\n\r\n");
	if (!r->c->is_head) {
		buf_append(&r->c->out, body, sizeof body - 1);
		r->c->resp_bytes = sizeof body - 1;
	}
}
