/*
 * ws.c - /websocket/echo, go-httpbin's WebSocket echo (RFC 6455): the
 * upgrade handshake, then every text or binary message is sent back as
 * it came, pings are answered with pongs, a close is answered with the
 * peer's own code, and a malformed frame closes the connection with the
 * code ws/frame.c names (1002, 1007, 1009).  permessage-deflate is
 * accepted when offered; echoes are then compressed too.
 *
 *   ?max_fragment_size=N  echoes go out in frames of at most N bytes
 *   ?max_message_size=N   larger messages are refused with 1009
 *
 * The handler answers 101 and sets c->ws; from then on conn.c hands the
 * connection's input to ws_process and conn_io.c sends what it queues.
 * HTTP/2 has no Upgrade (RFC 8441 is not done): over h2 the route
 * answers 400.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "lib/base64.h"
#include "server/log.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"
#include "server/ws.h"
#include "ws/frame.h"

#define WS_MAX_MESSAGE_DEFAULT (256u << 10)
#define WS_MAX_MESSAGE_LIMIT (512u << 10)	/* a frame must fit in c->in */
#define WS_MAX_FRAGMENT_DEFAULT (128u << 10)

struct ws_conn {
	struct ws_reader rd;
	struct ws_deflate pmd;
	bool pmd_on;
	size_t max_fragment;
	bool close_sent;
	struct buf z;		/* a compressed echo */
};

static size_t
ws_query_size(const struct req *r, const char *name, size_t def, size_t max)
{
	char v[32];
	char *end;
	unsigned long long n;

	if (!req_query(r, name, v, sizeof v))
		return def;
	n = strtoull(v, &end, 10);
	if (*end || end == v || n == 0)
		return def;
	return n > max ? max : (size_t)n;
}

/* Refuse an upgrade that is not one; 0 when it is. */
static int
ws_check(struct req *r, struct span *key)
{
	const struct http_msg *m = r->msg;
	struct span ver = http_header_value(m, "sec-websocket-version");
	unsigned char raw[32];

	if (r->c->h2s) {
		resp_error(r->c, 400, "WebSocket over HTTP/2 (RFC 8441) is "
			   "not supported: use HTTP/1.1");
		return -1;
	}
	if (!m->upgrade || !http_header_has_token(m, "upgrade", "websocket")) {
		resp_error(r->c, 400, "not a WebSocket handshake: "
			   "Upgrade: websocket and Connection: Upgrade needed");
		return -1;
	}
	if (!span_eq(ver, "13")) {
		resp_start(r->c, 426);
		resp_header(r->c, "Sec-WebSocket-Version", "13");
		resp_error_body(r->c, 426, "Sec-WebSocket-Version must be 13");
		return -1;
	}
	*key = http_header_value(m, "sec-websocket-key");
	if (!key->p || key->len != 24 || base64_decode(*key, raw) != 16) {
		resp_error(r->c, 400, "Sec-WebSocket-Key must be the base64 "
			   "of 16 bytes (RFC 6455 §4.1)");
		return -1;
	}
	return 0;
}

void
ws_echo_route(struct req *r)
{
	struct conn *c = r->c;
	struct span key, ext;
	struct ws_conn *w;
	char accept[29], ext_resp[200];

	if (ws_check(r, &key) < 0)
		return;
	w = calloc(1, sizeof *w);
	if (!w) {
		resp_error(c, 503, "out of memory");
		return;
	}
	w->rd.expect_masked = true;
	w->rd.max_message = ws_query_size(r, "max_message_size",
					  WS_MAX_MESSAGE_DEFAULT,
					  WS_MAX_MESSAGE_LIMIT);
	w->max_fragment = ws_query_size(r, "max_fragment_size",
					WS_MAX_FRAGMENT_DEFAULT, 1u << 30);
	ext = http_header_value(r->msg, "sec-websocket-extensions");
	if (ext.p && ws_deflate_accept(ext, &w->pmd, ext_resp,
				       sizeof ext_resp) &&
	    ws_deflate_init(&w->pmd) == 0) {
		w->pmd_on = true;
		w->rd.pmd = &w->pmd;
	} else {
		ws_deflate_free(&w->pmd);
	}
	ws_accept_key(key, accept);
	c->status = 101;
	c->keep_alive = true;
	buf_puts(&c->out, "HTTP/1.1 101 Switching Protocols\r\n"
		 "Server: httptool\r\nUpgrade: websocket\r\n"
		 "Connection: Upgrade\r\nSec-WebSocket-Accept: ");
	buf_puts(&c->out, accept);
	if (w->pmd_on) {
		buf_puts(&c->out, "\r\nSec-WebSocket-Extensions: ");
		buf_puts(&c->out, ext_resp);
	}
	buf_puts(&c->out, "\r\n\r\n");
	c->ws = w;
}

static void
ws_send_close(struct conn *c, unsigned code, const char *why)
{
	struct ws_conn *w = c->ws;
	uint8_t p[125];
	size_t n;

	if (w->close_sent)
		return;
	n = ws_close_payload(p, code, why, sizeof p - 2);
	ws_frame_put(&c->out, true, 0, WS_CLOSE, p, n, NULL);
	w->close_sent = true;
	c->st = CS_CLOSE;
}

/* Echo a whole message, in frames of at most max_fragment bytes. */
static void
ws_echo(struct conn *c, const struct ws_event *ev)
{
	struct ws_conn *w = c->ws;
	struct span m = ev->data;
	unsigned rsv = 0, op = ev->opcode;

	if (w->pmd_on) {
		buf_reset(&w->z);
		if (ws_deflate_msg(&w->pmd, m.p, m.len, &w->z) == 0) {
			m = buf_unread(&w->z);
			rsv = WS_RSV1;
		}
	}
	do {
		size_t n = m.len < w->max_fragment ? m.len : w->max_fragment;

		ws_frame_put(&c->out, n == m.len, rsv, op, m.p, n, NULL);
		m.p += n;
		m.len -= n;
		rsv = 0;
		op = WS_CONT;
	} while (m.len);
}

static void
ws_event(struct conn *c, const struct ws_event *ev)
{
	switch (ev->kind) {
	case WS_EV_FRAGMENT:
		break;
	case WS_EV_MESSAGE:
		ws_echo(c, ev);
		break;
	case WS_EV_CONTROL:
		if (ev->opcode == WS_PING)
			ws_frame_put(&c->out, true, 0, WS_PONG, ev->data.p,
				     ev->data.len, NULL);
		else if (ev->opcode == WS_CLOSE)
			ws_send_close(c, ev->code, NULL);
		break;
	case WS_EV_ERROR:
		ws_send_close(c, ev->code, ev->why);
		break;
	}
}

void
ws_process(struct conn *c)
{
	struct ws_conn *w = c->ws;

	while (c->st != CS_CLOSE && c->st != CS_LINGER) {
		struct span u = buf_unread(&c->in);
		struct ws_event ev;
		size_t used;

		if (!ws_read(&w->rd, (const uint8_t *)u.p, u.len, &used, &ev))
			break;
		ws_event(c, &ev);
		buf_consume(&c->in, used);
	}
	if (c->in.off == c->in.len)
		buf_reset(&c->in);
	else if (c->in.off > 65536)
		buf_compact(&c->in);
	if (c->st != CS_CLOSE && c->st != CS_LINGER)
		c->deadline = conn_now(c) + c->th->srv->cfg.idle_timeout_ms;
	conn_settle(c);
}

void
ws_begin(struct conn *c)
{
	log_request(c);
	if (!c->head_moved)
		buf_consume(&c->in, c->rd.msg.head_len);
	c->head_moved = false;
	buf_reset(&c->body);
	c->st = CS_HEAD;
	c->cont = NULL;
	ws_process(c);
}

void
ws_timeout(struct conn *c)
{
	ws_send_close(c, WS_CLOSE_GOING_AWAY, "idle timeout");
	conn_settle(c);
}

void
ws_drain(struct conn *c)
{
	ws_send_close(c, WS_CLOSE_GOING_AWAY, "server shutting down");
	conn_settle(c);
}

void
ws_free(struct conn *c)
{
	struct ws_conn *w = c->ws;

	if (!w)
		return;
	ws_reader_free(&w->rd);
	ws_deflate_free(&w->pmd);
	buf_free(&w->z);
	free(w);
	c->ws = NULL;
}
