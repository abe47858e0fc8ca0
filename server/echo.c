/*
 * echo.c - the TCP echo server of `serve --echo` (see echo.h), plain or
 * over TLS (`--echo --tls`, like a TLS echo made with openssl s_server).
 *
 * Each connection keeps what it has not yet written back and the start
 * of the current line, so "exit" is recognised across any split of the
 * input ("exit\n" or "exit\r\n").  A line is held back while it may
 * still be "exit"; everything before the exit line is echoed, the exit
 * line itself is not, then the connection is closed; so is everything
 * before the client's end of input.
 *
 * Unless --quiet, the log (stderr or --log-file) gets a line when a
 * client connects, one per read with what it sent (as the seed's Python
 * echo server prints "('127.0.0.1', 8761) sent: b'hi\n'") and one at
 * the close.
 *
 * Under TLS the first byte is looked at first (tls_sniff): a plain-text
 * client (nc, telnet) gets one line saying the port wants TLS, then the
 * connection closes.  The handshake must finish within --header-timeout.
 * OpenSSL may hold decrypted bytes that epoll cannot see, so reading goes
 * on until it would block, and a connection that stopped early (output
 * backed up) asks to be called again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/echo.h"
#include "server/tls.h"

#define ECHO_MAX_PENDING 65536	/* stop reading while this much is unsent */
#define ECHO_ROUNDS 8		/* read/write rounds per event, for fairness */
#define ECHO_LOG_READS 32	/* reads logged per connection, then a note */
#define ECHO_LOG_BYTES 64	/* bytes shown per logged read */

struct echo_conn {
	struct srv_thread *th;
	struct echo_conn *prev, *next;
	int fd;
	void *ssl;		/* SSL * under --tls, else NULL */
	bool shaking;		/* TLS handshake not finished */
	bool sniffed;		/* the first byte said TLS */
	bool want_write;	/* OpenSSL waits for the socket to be writable */
	long long timer;	/* handshake deadline, 0 none */
	struct buf out;		/* to send back */
	char line[8];		/* the current line while held back */
	size_t line_len;	/* bytes of it held */
	bool passing;		/* the line cannot be "exit": echo at once */
	unsigned long long total;	/* bytes received, for the log */
	unsigned reads;		/* reads logged so far */
	char who[80];		/* "('127.0.0.1', 8761)" for the log */
	bool closing;		/* exit or end of input seen: close when sent */
};

static void echo_log(struct echo_conn *e, const char *what, const char *p,
		     size_t n);

static void
echo_close(struct echo_conn *e)
{
	struct srv_thread *th = e->th;

	echo_log(e, "closed", NULL, 0);
	loop_del_fd(th->loop, e->fd);
	if (e->timer)
		loop_del_timer(th->loop, e->timer);
	tls_free(e->ssl);	/* close_notify if the handshake was done */
	close(e->fd);
	buf_free(&e->out);
	if (e->prev)
		e->prev->next = e->next;
	else
		th->echo_conns = e->next;
	if (e->next)
		e->next->prev = e->prev;
	th->nconns--;
	atomic_fetch_sub(&th->srv->nconns, 1);
	free(e);
	if (th->draining && th->nconns == 0)
		loop_stop(th->loop);
}

/* Queue p[0..n) for echoing, stopping at an "exit" line, which is not
 * echoed: a line is held back in e->line while it may still be one. */
static void
echo_take(struct echo_conn *e, const char *p, size_t n)
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
			buf_append(&e->out, e->line, e->line_len);
			e->line_len = 0;
			e->passing = true;
		}
		buf_append(&e->out, &ch, 1);
		if (ch == '\n')
			e->passing = false;	/* a new line starts */
	}
}

/* The access log: who connected, what they sent, when they left. */
static void
echo_log(struct echo_conn *e, const char *what, const char *p, size_t n)
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

/* Bytes read (> 0), 0 at the end of input, -EAGAIN, or another -errno. */
static long
echo_recv(struct echo_conn *e, void *p, size_t n)
{
	if (e->ssl)
		return tls_read(e->ssl, p, n, &e->want_write);
	ssize_t r = read(e->fd, p, n);

	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
	return r;
}

/* Bytes sent (> 0), -EAGAIN, or another -errno. */
static long
echo_send(struct echo_conn *e, const void *p, size_t n)
{
	if (e->ssl)
		return tls_write(e->ssl, p, n, &e->want_write);
	ssize_t r = send(e->fd, p, n, MSG_NOSIGNAL);

	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
	return r;
}

/*
 * Read into e->out until the socket would block, the output backs up or
 * the exit line (or the end of input) came.  -1 the connection failed,
 * 0 would block or done reading, 1 stopped with more perhaps readable.
 */
static int
echo_fill(struct echo_conn *e)
{
	char tmp[16384];

	while (!e->closing && e->out.len - e->out.off < ECHO_MAX_PENDING) {
		long n = echo_recv(e, tmp, sizeof tmp);

		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		if (n == 0) {
			/* send back what came first, a held line too */
			if (!e->passing)
				buf_append(&e->out, e->line, e->line_len);
			e->closing = true;
			return 0;
		}
		echo_log(e, "sent", tmp, (size_t)n);
		echo_take(e, tmp, (size_t)n);
	}
	return e->closing ? 0 : 1;
}

/* Send what is queued: -1 failed, 0 blocked, 1 all sent. */
static int
echo_drain(struct echo_conn *e)
{
	while (e->out.len > e->out.off) {
		long n = echo_send(e, e->out.data + e->out.off,
				   e->out.len - e->out.off);

		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		buf_consume(&e->out, (size_t)n);
	}
	buf_reset(&e->out);
	return 1;
}

static void
echo_handshake_expired(struct loop *l, long long id, void *arg)
{
	struct echo_conn *e = arg;

	(void)l;
	(void)id;
	e->timer = 0;
	echo_close(e);
}

static void
echo_handshake_over(struct echo_conn *e)
{
	e->shaking = false;
	e->want_write = false;
	if (e->timer)
		loop_del_timer(e->th->loop, e->timer);
	e->timer = 0;
}

/*
 * Plain text on the TLS port: one line of advice, then close.  What the
 * client already sent is read and dropped first, so that our close does
 * not turn into a reset that loses the line.
 */
static void
echo_plain_on_tls(struct echo_conn *e)
{
	char tmp[4096];

	tls_free(e->ssl);	/* nothing was sent */
	e->ssl = NULL;
	echo_handshake_over(e);
	for (int i = 0; i < 16 && read(e->fd, tmp, sizeof tmp) > 0; i++)
		;
	buf_printf(&e->out, "this echo server speaks TLS; connect with TLS, "
		   "e.g. openssl s_client -quiet -connect %s\n",
		   e->th->srv->host);
	e->closing = true;
}

/* Sniff, then shake hands: 1 ready to echo, 0 waiting, -1 closed. */
static int
echo_handshake(struct echo_conn *e)
{
	switch (tls_accept_step(e->ssl, e->fd, &e->sniffed, &e->want_write)) {
	case TLS_STEP_WAIT:
		loop_mod_fd(e->th->loop, e->fd, e->want_write ? LOOP_WRITE :
			    LOOP_READ);
		return 0;
	case TLS_STEP_FAIL:
		echo_close(e);
		return -1;
	case TLS_STEP_PLAIN:
		echo_plain_on_tls(e);
		return 1;
	case TLS_STEP_READY:
		break;
	}
	echo_handshake_over(e);
	return 1;
}

static void
echo_event(struct loop *l, int fd, unsigned events, void *arg)
{
	struct echo_conn *e = arg;
	int rd, wr, rounds = 0;

	(void)l;
	(void)events;
	if (e->shaking && echo_handshake(e) <= 0)
		return;
	e->want_write = false;
	do {
		rd = echo_fill(e);
		wr = rd < 0 ? -1 : echo_drain(e);
		if (wr < 0 || (wr > 0 && e->closing)) {
			echo_close(e);
			return;
		}
	} while (rd > 0 && wr > 0 && ++rounds < ECHO_ROUNDS);

	unsigned mask = e->closing ? 0 : LOOP_READ;

	if (wr == 0)
		mask = LOOP_WRITE;	/* back-pressure: stop reading */
	if (e->want_write || (rd > 0 && wr > 0))
		mask |= LOOP_WRITE;	/* TLS wants it, or more to read soon */
	loop_mod_fd(e->th->loop, fd, mask);
}

void
echo_accept(struct srv_thread *th, int fd, const char *peer)
{
	struct echo_conn *e = calloc(1, sizeof *e);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int port = 0;

	if (!e) {
		close(fd);
		return;
	}
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ?
			     ((struct sockaddr_in6 *)&ss)->sin6_port :
			     ((struct sockaddr_in *)&ss)->sin_port);
	snprintf(e->who, sizeof e->who, "('%s', %d)", peer, port);
	e->th = th;
	e->fd = fd;
	echo_log(e, "connected", NULL, 0);
	buf_init(&e->out);
	e->next = th->echo_conns;
	if (e->next)
		e->next->prev = e;
	th->echo_conns = e;
	th->nconns++;
	atomic_fetch_add(&th->srv->nconns, 1);
	if (th->srv->ssl_ctx) {
		e->ssl = tls_new(th->srv->ssl_ctx, fd);
		e->shaking = true;
		e->timer = loop_add_timer(th->loop,
					  th->srv->cfg.header_timeout_ms,
					  echo_handshake_expired, e);
		if (!e->ssl || e->timer < 0) {
			e->timer = e->timer < 0 ? 0 : e->timer;
			echo_close(e);
			return;
		}
	}
	if (loop_add_fd(th->loop, fd, LOOP_READ, echo_event, e) < 0)
		echo_close(e);
}

void
echo_close_all(struct srv_thread *th)
{
	while (th->echo_conns)
		echo_close(th->echo_conns);
}
