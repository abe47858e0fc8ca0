/*
 * client.c - `httptool ws` (see client.h): connection and opening
 * handshake (RFC 6455 §4.1).  The session after it is client_io.c.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "http/header.h"
#include "http/parse.h"
#include "http/url.h"
#include "lib/base64.h"
#include "lib/exitcode.h"
#include "ws/client_int.h"

void
ws_say(struct ws_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(s->cfg->err_fd, fmt, ap);
	va_end(ap);
}

/* Lines of a head, each with prefix, on stderr (-v). */
static void
ws_show_head(struct ws_session *s, const char *prefix, struct span head)
{
	while (head.len) {
		const char *nl = memchr(head.p, '\n', head.len);
		size_t n = nl ? (size_t)(nl - head.p) + 1 : head.len;
		size_t k = n;

		while (k && (head.p[k - 1] == '\n' || head.p[k - 1] == '\r'))
			k--;
		if (k)
			ws_say(s, "%s %.*s\n", prefix, (int)k, head.p);
		head.p += n;
		head.len -= n;
	}
}

/* Send all of p[0..n), waiting when the socket is full. */
int
ws_send_all(struct ws_session *s, const void *p, size_t n)
{
	const char *q = p;

	while (n) {
		ssize_t r = raw_conn_write(&s->conn, q, n);

		if (r == -EAGAIN) {
			struct pollfd pf = { s->conn.fd, POLLOUT, 0 };

			poll(&pf, 1, 1000);
			continue;
		}
		if (r < 0)
			return -1;
		q += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
ws_parse_url(struct ws_session *s)
{
	struct http_url u;
	const char *url = s->cfg->url;

	if (!http_url_split(span_from(url), &u) || u.host.len == 0 ||
	    u.host.len >= sizeof s->host) {
		ws_say(s, "httptool ws: not a URL '%s'\n", url);
		return EXIT_USAGE;
	}
	if (span_ieq(u.scheme, "wss") || span_ieq(u.scheme, "https"))
		s->tls = true;
	else if (!span_ieq(u.scheme, "ws") && !span_ieq(u.scheme, "http")) {
		ws_say(s, "httptool ws: only ws:// and wss:// URLs are known "
		       "'%s'\n", url);
		return EXIT_USAGE;
	}
	memcpy(s->host, u.host.p, u.host.len);
	s->host[u.host.len] = 0;
	if (s->host[0] == '[') {	/* [::1] */
		memmove(s->host, s->host + 1, u.host.len);
		s->host[strcspn(s->host, "]")] = 0;
	}
	snprintf(s->port, sizeof s->port, "%d", u.port.len ? u.port_num :
		 s->tls ? 443 : 80);
	snprintf(s->authority, sizeof s->authority, "%.*s%s%.*s",
		 (int)u.host.len, u.host.p, u.port.len ? ":" : "",
		 (int)u.port.len, u.port.p);
	snprintf(s->target, sizeof s->target, "%.*s%s%.*s",
		 u.path.len ? (int)u.path.len : 1, u.path.len ? u.path.p : "/",
		 u.query.p ? "?" : "", (int)u.query.len,
		 u.query.p ? u.query.p : "");
	return EXIT_OK;
}

static int
ws_connect(struct ws_session *s)
{
	char err[512];
	struct raw_tls_opts o = { .insecure = s->cfg->insecure,
				  .alpn = "http/1.1" };

	if (raw_conn_tcp(&s->conn, s->host, s->port,
			 s->cfg->connect_timeout_ms, err, sizeof err) < 0) {
		ws_say(s, "httptool ws: %s\n", err);
		return EXIT_CURL_CONNECT;
	}
	if (s->cfg->verbose)
		ws_say(s, "* Connected to %s (%s) port %d\n", s->host,
		       s->conn.addr, s->conn.port);
	if (s->tls) {
		if (raw_conn_tls(&s->conn, s->host, &o,
				 s->cfg->connect_timeout_ms, err,
				 sizeof err) < 0) {
			ws_say(s, "httptool ws: %s\n", err);
			return EXIT_CURL_SSL_CONNECT;
		}
		if (s->cfg->verbose) {
			raw_conn_tls_describe(&s->conn, err, sizeof err);
			ws_say(s, "* %s\n", err);
		}
	}
	return EXIT_OK;
}

static void
ws_request(struct ws_session *s, struct buf *b, const char *key)
{
	buf_printf(b, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
		   "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
		   "Sec-WebSocket-Version: 13\r\n", s->target, s->authority,
		   key);
	for (int i = 0; i < s->cfg->nheaders; i++)
		buf_printf(b, "%s\r\n", s->cfg->headers[i]);
	buf_puts(b, "\r\n");
}

/* Read until the response head is whole; its length, or -1. */
static int
ws_read_head(struct ws_session *s, struct http_msg *m)
{
	static const struct http_limits lim = HTTP_LIMITS_DEFAULT;

	for (;;) {
		struct span u = buf_unread(&s->in);
		struct http_error e;
		int r = http_parse_response(u.p, u.len, 0, HTTP_LENIENT, &lim,
					    SPAN_LIT("GET"), m, &e);

		if (r > 0)
			return r;
		if (r != HTTP_INCOMPLETE) {
			char line[300];

			http_error_format(&e, line, sizeof line);
			ws_say(s, "httptool ws: the handshake response is not "
			       "HTTP: %s\n", line);
			return -1;
		}
		if (buf_reserve(&s->in, 4096) < 0)
			return -1;
		ssize_t n = raw_conn_read(&s->conn, s->in.data + s->in.len,
					  4096);

		if (n == -EAGAIN) {
			struct pollfd pf = { s->conn.fd, POLLIN, 0 };

			if (poll(&pf, 1, 10000) == 0) {
				ws_say(s, "httptool ws: no handshake response "
				       "within 10 s\n");
				return -1;
			}
			continue;
		}
		if (n <= 0) {
			ws_say(s, "httptool ws: the server closed the "
			       "connection during the handshake\n");
			return -1;
		}
		s->in.len += (size_t)n;
		s->in.data[s->in.len] = 0;
	}
}

/* Is the 101 what §4.1 says the client must check? */
static int
ws_check_response(struct ws_session *s, const struct http_msg *m,
		  const char *key)
{
	char want[29];
	struct span acc = http_header_value(m, "sec-websocket-accept");
	struct span ext = http_header_value(m, "sec-websocket-extensions");

	if (m->status != 101) {
		ws_say(s, "httptool ws: the server refused the upgrade: %d "
		       "%.*s\n", m->status, (int)m->reason.len, m->reason.p);
		return -1;
	}
	ws_accept_key(span_from(key), want);
	if (!http_header_has_token(m, "upgrade", "websocket") ||
	    !http_header_has_token(m, "connection", "upgrade") ||
	    !span_eq(acc, want)) {
		ws_say(s, "httptool ws: the 101 response is not a WebSocket "
		       "handshake (Upgrade, Connection or "
		       "Sec-WebSocket-Accept wrong)\n");
		return -1;
	}
	if (ext.p && ext.len) {
		ws_say(s, "httptool ws: the server chose an extension that "
		       "was not offered: %.*s\n", (int)ext.len, ext.p);
		return -1;
	}
	return 0;
}

static int
ws_handshake(struct ws_session *s)
{
	unsigned char nonce[16];
	char key[32];
	struct buf req, k;
	struct http_header hdrs[64];
	struct http_msg m = { .headers = hdrs, .max_headers = 64 };
	int rc = EXIT_FAIL, hl;

	if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
		return EXIT_FAIL;
	buf_init(&k);
	base64_encode(&k, nonce, sizeof nonce);
	snprintf(key, sizeof key, "%s", k.data);
	buf_free(&k);
	buf_init(&req);
	ws_request(s, &req, key);
	if (s->cfg->verbose)
		ws_show_head(s, ">", buf_unread(&req));
	if (ws_send_all(s, req.data, req.len) < 0) {
		ws_say(s, "httptool ws: cannot send the handshake\n");
		goto out;
	}
	hl = ws_read_head(s, &m);
	if (hl < 0)
		goto out;
	if (s->cfg->verbose)
		ws_show_head(s, "<", (struct span){ s->in.data + s->in.off,
						    (size_t)hl });
	if (ws_check_response(s, &m, key) == 0) {
		buf_consume(&s->in, (size_t)hl);
		rc = EXIT_OK;
	}
out:
	buf_free(&req);
	return rc;
}

enum exit_code
ws_client_run(const struct ws_client_config *cfg)
{
	struct ws_session s = { .cfg = cfg, .conn = RAW_CONN_INIT };
	int rc;

	buf_init(&s.in);
	buf_init(&s.out);
	buf_init(&s.line);
	s.rd.expect_masked = false;
	s.rd.max_message = cfg->max_message;
	rc = ws_parse_url(&s);
	if (rc == EXIT_OK)
		rc = ws_connect(&s);
	if (rc == EXIT_OK)
		rc = ws_handshake(&s);
	if (rc == EXIT_OK)
		rc = ws_session_loop(&s);
	raw_conn_close(&s.conn);
	ws_reader_free(&s.rd);
	buf_free(&s.in);
	buf_free(&s.out);
	buf_free(&s.line);
	return rc;
}
