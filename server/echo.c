/*
 * echo.c - the TCP echo server of `serve --echo` (see echo.h), plain or
 * over TLS (`--echo --tls`, like a TLS echo made with openssl s_server).
 * The socket side (accept, TLS handshake, reading into c->in, flushing
 * c->out with back-pressure, the close) is conn_io.c's, as for HTTP;
 * this file only turns input into output.
 *
 * Each connection keeps the start of the current line, so "exit" is
 * recognised across any split of the input ("exit\n" or "exit\r\n").  A
 * line is held back while it may still be "exit"; everything before the
 * exit line is echoed, the exit line itself is not, then the connection
 * is closed; so is everything before the client's end of input.
 *
 * Unless --quiet, the log (stderr or --log-file) gets a line when a
 * client connects, one per read with what it sent (as the seed's Python
 * echo server prints "('127.0.0.1', 8761) sent: b'hi\n'") and one at
 * the close.
 *
 * Under TLS a plain-text client (nc, telnet) gets one line saying the
 * port wants TLS, then the connection closes (conn_io.c sniffs the first
 * byte and lingers so the line is not lost to a reset).  The handshake
 * must finish within --header-timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "server/echo.h"

#define ECHO_LOG_READS 32	/* reads logged per connection, then a note */
#define ECHO_LOG_BYTES 64	/* bytes shown per logged read */

struct echo_state {
	struct srv_thread *th;	/* for the log */
	struct buf *out;	/* the connection's output */
	char line[8];		/* the current line while held back */
	size_t line_len;	/* bytes of it held */
	bool passing;		/* the line cannot be "exit": echo at once */
	bool closing;		/* exit or end of input seen */
	unsigned long long total;	/* bytes received, for the log */
	unsigned reads;		/* reads logged so far */
	char who[80];		/* "('127.0.0.1', 8761)" for the log */
};

static void echo_log(struct echo_state *e, const char *what, const char *p,
		     size_t n);

/* Queue p[0..n) for echoing, stopping at an "exit" line, which is not
 * echoed: a line is held back in e->line while it may still be one. */
static void
echo_take(struct echo_state *e, const char *p, size_t n)
{
	static const char word[] = "exit\r";

	for (size_t i = 0; i < n && !e->closing; i++) {
		char ch = p[i];

		if (ch == '\n' && !e->passing && e->line_len >= 4) {
			e->closing = true;	/* "exit" or "exit\r" */
			break;
		}
		if (!e->passing && ch != '\n' && e->line_len < 5 &&
		    ch == word[e->line_len]) {
			e->line[e->line_len++] = ch;
			continue;
		}
		if (!e->passing) {	/* not "exit" after all */
			buf_append(e->out, e->line, e->line_len);
			e->line_len = 0;
			e->passing = true;
		}
		buf_append(e->out, &ch, 1);
		if (ch == '\n')
			e->passing = false;	/* a new line starts */
	}
}

/* The access log: who connected, what they sent, when they left. */
static void
echo_log(struct echo_state *e, const char *what, const char *p, size_t n)
{
	struct buf *b = &e->th->log;
	size_t shown = n > ECHO_LOG_BYTES ? ECHO_LOG_BYTES : n;

	if (e->th->srv->cfg.quiet)
		return;
	if (p) {
		e->total += n;
		if (++e->reads > ECHO_LOG_READS) {
			if (e->reads == ECHO_LOG_READS + 1)
				what = "sent more (not logged)";
			else
				return;
			p = NULL;
		}
	} else if (!strcmp(what, "closed")) {
		buf_printf(b, "%s closed after %llu bytes\n", e->who,
			   e->total);
		return;
	}
	buf_puts(b, e->who);
	buf_puts(b, " ");
	buf_puts(b, what);
	if (p) {
		buf_puts(b, ": b'");
		for (size_t i = 0; i < shown; i++) {
			unsigned char ch = (unsigned char)p[i];

			if (ch == '\n')
				buf_puts(b, "\\n");
			else if (ch == '\r')
				buf_puts(b, "\\r");
			else if (ch == '\t')
				buf_puts(b, "\\t");
			else if (ch == '\\' || ch == '\'')
				buf_printf(b, "\\%c", ch);
			else if (ch < 0x20 || ch >= 0x7f)
				buf_printf(b, "\\x%02x", ch);
			else
				buf_append(b, &p[i], 1);
		}
		buf_puts(b, "'");
		if (shown < n)
			buf_printf(b, "... (%zu bytes)", n);
	}
	buf_puts(b, "\n");
}

/* Plain text on the TLS port: one line of advice, then close. */
static void
echo_plain_on_tls(struct conn *c)
{
	buf_reset(&c->in);
	buf_printf(&c->out, "this echo server speaks TLS; connect with TLS, "
		   "e.g. openssl s_client -quiet -connect %s\n",
		   c->th->srv->host);
	c->st = CS_CLOSE;
}

void
echo_process(struct conn *c)
{
	struct echo_state *e = c->echo;
	struct span u = buf_unread(&c->in);

	if (c->plain_on_tls) {
		echo_plain_on_tls(c);
	} else {
		if (u.len && !e->closing) {
			echo_log(e, "sent", u.p, u.len);
			echo_take(e, u.p, u.len);
		}
		buf_reset(&c->in);
		if (c->peer_eof && !e->closing) {
			/* send back what came first, a held line too */
			if (!e->passing)
				buf_append(&c->out, e->line, e->line_len);
			e->closing = true;
		}
		if (e->closing)
			c->st = CS_CLOSE;
	}
	conn_settle(c);
}

int
echo_begin(struct conn *c)
{
	struct echo_state *e = calloc(1, sizeof *e);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int port = 0;

	if (!e)
		return -1;
	if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ?
			     ((struct sockaddr_in6 *)&ss)->sin6_port :
			     ((struct sockaddr_in *)&ss)->sin_port);
	snprintf(e->who, sizeof e->who, "('%s', %d)", c->peer, port);
	e->th = c->th;
	e->out = &c->out;
	c->echo = e;
	echo_log(e, "connected", NULL, 0);
	return 0;
}

void
echo_free(struct conn *c)
{
	if (!c->echo)
		return;
	echo_log(c->echo, "closed", NULL, 0);
	free(c->echo);
	c->echo = NULL;
}
