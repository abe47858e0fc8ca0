/*
 * conn_io.c - a connection's life on the socket: accept, read, flush
 * (write or sendfile; TLS through tls.c), deadlines, close.  What the
 * bytes mean is conn.c's (HTTP/1.x, handing over to h2.c and ws.c) or,
 * under --echo, echo.c's: both run on this transport.
 *
 * A connection is freed only by conn_close(); every path that may close
 * returns false (or nothing) and the caller stops touching it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "server/conn.h"
#include "server/echo.h"
#include "server/h2.h"
#include "server/ws.h"
#include "server/log.h"
#include "server/tls.h"
#include "server/upload.h"

#define CONN_READ_CHUNK 16384
#define CONN_MAX_BUFFERED (1u << 20)	/* stop reading past this */
#define CONN_SCARCE_HEAD_MS 10000	/* whole-head deadline when scarce */

long long
conn_now(const struct conn *c)
{
	return loop_now(c->th->loop);
}

void
conn_set_started(struct conn *c)
{
	struct srv_thread *th = c->th;

	c->started = conn_now(c);
	if (c->h2s || th->conns == c || !c->prev)
		return;		/* a pseudo connection, or already first */
	c->prev->next = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		th->conns_tail = c->prev;
	c->prev = NULL;
	c->next = th->conns;
	th->conns->prev = c;
	th->conns = c;
}

static void conn_event(struct loop *l, int fd, unsigned events, void *arg);

void
conn_accept(struct srv_thread *th, int fd, const char *peer)
{
	struct conn *c = calloc(1, sizeof *c);

	if (!c) {
		close(fd);
		return;
	}
	c->hdrs = malloc(th->srv->cfg.max_headers * sizeof *c->hdrs);
	if (!c->hdrs) {
		free(c);
		close(fd);
		return;
	}
	c->th = th;
	c->fd = fd;
	c->file_fd = -1;
	conn_reader_init(c);
	snprintf(c->peer, sizeof c->peer, "%s", peer);
	buf_init(&c->in);
	buf_init(&c->out);
	buf_init(&c->tail);
	buf_init(&c->body);
	buf_init(&c->head);
	c->st = CS_HEAD;
	if (th->srv->ssl_ctx) {
		c->ssl = tls_new(th->srv->ssl_ctx, fd);
		if (!c->ssl) {
			close(fd);
			free(c->hdrs);
			free(c);
			return;
		}
		c->st = CS_TLS;
	}
	c->keep_alive = true;
	c->started = loop_now(th->loop);
	c->deadline = c->started + th->srv->cfg.idle_timeout_ms;
	if (th->srv->cfg.echo) {	/* no deadline but the handshake's */
		c->deadline = c->ssl ? c->started +
		    th->srv->cfg.header_timeout_ms : 0;
		if (!c->ssl)
			c->st = CS_ECHO;
	}
	c->next = th->conns;
	if (th->conns)
		th->conns->prev = c;
	else
		th->conns_tail = c;
	th->conns = c;
	th->nconns++;
	atomic_fetch_add(&th->srv->nconns, 1);
	if (th->srv->nthreads > 1)	/* it waits for its first request */
		atomic_fetch_add(&th->waiting, 1);
	if ((th->srv->cfg.echo && echo_begin(c) < 0) ||
	    loop_add_fd(th->loop, fd, LOOP_READ, conn_event, c) < 0)
		conn_close(c);
}

void
conn_log_now(struct conn *c)
{
	if (!c->log_wait)
		return;
	c->log_wait = false;
	if (c->sent < c->log_end) {	/* cut short: count what went */
		uint64_t missing = c->log_end - c->sent;

		c->resp_bytes = c->resp_bytes > missing ?
		    c->resp_bytes - missing : 0;
	}
	log_request(c);
}

void
conn_log_when_sent(struct conn *c)
{
	uint64_t pending = (c->out.len - c->out.off) +
	    (c->tail.len - c->tail.off) + c->file_left;

	/* an HTTP/2 stream's output is pulled by h2_stream.c: log now */
	if (!pending || c->h2s) {
		log_request(c);
		return;
	}
	c->log_end = c->sent + pending;
	c->log_ms = conn_now(c) - c->started;
	c->log_wait = true;
	c->wait_flush = true;	/* the next request waits for these bytes */
}

void
conn_close(struct conn *c)
{
	struct srv_thread *th = c->th;

	if (c->h2s) {		/* a stream: reset it, not the connection */
		h2_stream_abort(c);
		return;
	}
	conn_log_now(c);
	h2_free(c);
	ws_free(c);
	echo_free(c);
	loop_del_fd(th->loop, c->fd);
	if (c->timer)
		loop_del_timer(th->loop, c->timer);
	if (c->ssl)
		tls_free(c->ssl);
	if (c->reset) {
		struct linger lg = { 1, 0 };

		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	close(c->fd);
	if (c->file_fd >= 0)
		close(c->file_fd);
	buf_free(&c->in);
	buf_free(&c->out);
	buf_free(&c->tail);
	buf_free(&c->body);
	buf_free(&c->head);
	upload_stream_free(c->upl);
	if (c->prev)
		c->prev->next = c->next;
	else
		th->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		th->conns_tail = c->prev;
	th->nconns--;
	atomic_fetch_sub(&th->srv->nconns, 1);
	free(c->hdrs);
	free(c);
	if (th->draining && th->nconns == 0)
		loop_stop(th->loop);
}

static bool
conn_out_pending(const struct conn *c)
{
	return c->out.len > c->out.off || c->tail.len > c->tail.off ||
	    c->file_left > 0;
}

void
conn_update(struct conn *c)
{
	unsigned mask = 0;
	size_t buffered = c->in.len - c->in.off;

	if (c->h2s)
		return;
	/* CS_WAIT reads nothing: the request's spans must stay put */
	if (c->st != CS_CLOSE && c->st != CS_WAIT &&
	    buffered < CONN_MAX_BUFFERED &&
	    !c->peer_eof && c->out.len - c->out.off < CONN_MAX_BUFFERED)
		mask |= LOOP_READ;
	if (conn_out_pending(c) || c->tls_want_write)
		mask |= LOOP_WRITE;
	loop_mod_fd(c->th->loop, c->fd, mask);
}

static long
conn_write(struct conn *c, const char *p, size_t n)
{
	if (c->ssl)
		return tls_write(c->ssl, p, n, &c->tls_want_write);
	/* the head of a file response waits for the file's first bytes */
	ssize_t r = send(c->fd, p, n, MSG_NOSIGNAL |
			 (c->file_left ? MSG_MORE : 0));

	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
	return r;
}

/* Head and handed-over body in one writev(2); consumes what went. */
static long
conn_writev(struct conn *c)
{
	struct iovec iov[2] = {
		{ c->out.data + c->out.off, c->out.len - c->out.off },
		{ c->tail.data + c->tail.off, c->tail.len - c->tail.off },
	};
	ssize_t r = writev(c->fd, iov, 2);

	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
	size_t a = (size_t)r < iov[0].iov_len ? (size_t)r : iov[0].iov_len;

	buf_consume(&c->out, a);
	buf_consume(&c->tail, (size_t)r - a);
	return r;
}

/* Move the next piece of the file into out (TLS) or sendfile it. */
static long
conn_send_file(struct conn *c)
{
	size_t n = c->file_left > (1u << 20) ? (1u << 20) : c->file_left;

	if (c->ssl) {
		if (n > 65536)
			n = 65536;
		if (buf_reserve(&c->out, n) < 0)
			return -ENOMEM;
		ssize_t r = pread(c->file_fd, c->out.data + c->out.len, n,
				  (off_t)c->file_off);

		if (r <= 0)
			return -EIO;	/* file shrank: cannot keep the promise */
		c->out.len += (size_t)r;
		c->file_off += (uint64_t)r;
		c->file_left -= (uint64_t)r;
		return r;
	}
	off_t off = (off_t)c->file_off;
	ssize_t r = sendfile(c->fd, c->file_fd, &off, n);

	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? -EAGAIN : -errno;
	if (r == 0)
		return -EIO;
	c->file_off = (uint64_t)off;
	c->file_left -= (uint64_t)r;
	return r;
}

bool
conn_flush(struct conn *c)
{
	bool progress = false;

	if (c->h2s)
		return true;	/* h2_stream.c pulls the output */
	for (;;) {
		long r;

		if (c->out.len > c->out.off && c->tail.len > c->tail.off &&
		    !c->ssl) {
			r = conn_writev(c);
		} else if (c->out.len > c->out.off) {
			r = conn_write(c, c->out.data + c->out.off,
				       c->out.len - c->out.off);
			if (r > 0)
				buf_consume(&c->out, (size_t)r);
		} else if (c->tail.len > c->tail.off) {
			r = conn_write(c, c->tail.data + c->tail.off,
				       c->tail.len - c->tail.off);
			if (r > 0)
				buf_consume(&c->tail, (size_t)r);
		} else if (c->file_left > 0) {
			r = conn_send_file(c);
		} else {
			break;
		}
		if (r == -EAGAIN)
			break;
		if (r < 0) {	/* EPIPE, ECONNRESET: the client left */
			conn_close(c);
			return false;
		}
		c->sent += (uint64_t)r;
		progress = true;
	}
	if (c->log_wait && c->sent >= c->log_end)
		conn_log_now(c);
	if (!conn_out_pending(c)) {
		if (c->out.cap > CONN_MAX_BUFFERED)
			buf_free(&c->out);	/* do not keep a big reply's room */
		buf_reset(&c->out);
		buf_free(&c->tail);
		if (c->file_fd >= 0) {
			close(c->file_fd);
			c->file_fd = -1;
		}
	} else if (progress) {
		/* a client that stops reading is dropped after idle time */
		c->deadline = conn_now(c) + c->th->srv->cfg.idle_timeout_ms;
	}
	return true;
}

/* After the last response of a connection: FIN, then eat what the
 * client still sends so our close does not RST the response away. */
static void
conn_linger(struct conn *c)
{
	if (c->reset || c->peer_eof) {
		conn_close(c);
		return;
	}
	if (c->ssl)
		tls_free(c->ssl);	/* sends close_notify */
	c->ssl = NULL;
	shutdown(c->fd, SHUT_WR);
	c->st = CS_LINGER;
	c->deadline = conn_now(c) + 2000;
	loop_mod_fd(c->th->loop, c->fd, LOOP_READ);
}

static bool
conn_read(struct conn *c)
{
	for (;;) {
		if (buf_reserve(&c->in, CONN_READ_CHUNK) < 0) {
			conn_close(c);
			return false;
		}
		char *p = c->in.data + c->in.len;
		long r;

		if (c->ssl) {
			r = tls_read(c->ssl, p, CONN_READ_CHUNK,
				     &c->tls_want_write);
		} else {
			r = read(c->fd, p, CONN_READ_CHUNK);
			if (r < 0)
				r = errno == EAGAIN || errno == EINTR ?
				    -EAGAIN : -errno;
		}
		if (r == -EAGAIN)
			return true;
		if (r < 0) {
			conn_close(c);
			return false;
		}
		if (r == 0) {
			c->peer_eof = true;
			return true;
		}
		if (c->st == CS_LINGER)
			continue;	/* discard */
		c->in.len += (size_t)r;
		c->in.data[c->in.len] = 0;
		if (c->st == CS_HEAD) {
			/* --header-timeout is the time allowed between bytes
			 * of a head: someone typing may think */
			if (!c->hd_running)
				conn_set_started(c);
			c->hd_running = true;
			c->deadline = conn_now(c) +
			    c->th->srv->cfg.header_timeout_ms;
		}
		/* TLS may hold decrypted bytes epoll cannot see: drain it */
		if (!c->ssl && (size_t)r < CONN_READ_CHUNK)
			return true;
		if (c->in.len - c->in.off >= CONN_MAX_BUFFERED)
			return true;
	}
}

/*
 * CS_TLS: look at the first byte, then shake hands.  Plain text (an HTTP
 * request sent to the HTTPS port) drops TLS and goes on as plain HTTP
 * with c->plain_on_tls set, so conn.c reads the head (under the header
 * deadline and size limit like any other) and answers it with a 400.
 * True when the connection is ready for HTTP; false when it waits or
 * was closed.
 */
static bool
conn_tls_step(struct conn *c)
{
	switch (tls_accept_step(c->ssl, c->fd, &c->tls_sniffed,
				&c->tls_want_write)) {
	case TLS_STEP_WAIT:
		loop_mod_fd(c->th->loop, c->fd, c->tls_want_write ?
			    LOOP_WRITE : LOOP_READ);
		return false;
	case TLS_STEP_FAIL:
		conn_close(c);
		return false;
	case TLS_STEP_PLAIN:
		tls_free(c->ssl);	/* nothing sent yet */
		c->ssl = NULL;
		c->plain_on_tls = true;
		c->st = c->echo ? CS_ECHO : CS_HEAD;
		return true;
	case TLS_STEP_READY:
		break;
	}
	c->tls_want_write = false;
	if (c->echo) {
		c->st = CS_ECHO;
		c->deadline = 0;	/* an echo session may sit idle */
		return true;
	}
	c->st = CS_HEAD;
	h2_after_tls(c);
	return true;
}

static void
conn_event(struct loop *l, int fd, unsigned events, void *arg)
{
	struct conn *c = arg;

	(void)l;
	(void)fd;
	if (c->st == CS_TLS) {
		if (!conn_tls_step(c))
			return;
		events |= LOOP_READ;
	}
	if ((events & LOOP_WRITE) || c->tls_want_write) {
		c->tls_want_write = false;
		if (!conn_flush(c))
			return;
	}
	if (c->st == CS_WAIT) {
		if (events & LOOP_HUP)
			conn_close(c);	/* the client is gone */
		return;
	}
	if (events & (LOOP_READ | LOOP_HUP)) {
		if (!conn_read(c))
			return;
		if (c->st == CS_LINGER) {
			if (c->peer_eof)
				conn_close(c);
			return;
		}
	}
	conn_process(c);
}


void
conn_settle(struct conn *c)
{
	if (c->h2s) {
		h2_stream_settle(c);
		return;
	}
	if (!conn_flush(c))
		return;
	if (c->st == CS_CLOSE && !conn_out_pending(c)) {
		conn_linger(c);
		return;
	}
	if (c->peer_eof && c->st != CS_WAIT && c->st != CS_CLOSE &&
	    !conn_out_pending(c)) {
		conn_close(c);	/* client gone and nothing left to answer */
		return;
	}
	conn_update(c);
}

/* Waiting for a request (idle keep-alive, a head not complete, a TLS
 * handshake) with nothing to send: a connection that may be shed. */
static bool
conn_waiting(const struct conn *c)
{
	return (c->st == CS_HEAD || c->st == CS_TLS) && !conn_out_pending(c);
}

bool
conn_shed(struct srv_thread *th)
{
	struct conn *c, *victim = NULL;

	/* the list is ordered by started, newest first: the first waiting
	 * one from the tail has waited longest (usually the tail itself;
	 * connections busy with a request are stepped over) */
	for (c = th->conns_tail; c; c = c->prev)
		if (conn_waiting(c)) {
			victim = c;
			break;
		}
	if (!victim)
		return false;
	conn_close(victim);
	if (atomic_load(&th->waiting) > 0)
		atomic_fetch_sub(&th->waiting, 1);
	return true;
}

bool
conn_shed_elsewhere(struct srv_thread *th)
{
	struct server *srv = th->srv;
	struct srv_thread *best = NULL;
	int most = 0;
	uint64_t one = 1;

	/* the thread with the most connections waiting for a request */
	for (int i = 0; i < srv->nthreads; i++) {
		struct srv_thread *t = &srv->threads[i];
		int w = atomic_load(&t->waiting);

		if (t != th && t->shed_fd >= 0 && w > most) {
			best = t;
			most = w;
		}
	}
	if (!best || !atomic_compare_exchange_strong(&best->waiting, &most,
						     most - 1))
		return false;
	atomic_fetch_add(&best->shed_asked, 1);
	if (write(best->shed_fd, &one, sizeof one) < 0)
		(void)0;	/* the counter is full: it is awake anyway */
	return true;
}

void
conn_shed_asked(struct srv_thread *th)
{
	int n = atomic_exchange(&th->shed_asked, 0);

	while (n-- > 0 && conn_shed(th))
		;
}

void
conn_sweep(struct srv_thread *th)
{
	long long now = loop_now(th->loop);
	struct conn *c = th->conns, *next;
	const struct server *srv = th->srv;
	/* connections running short: a head gets CONN_SCARCE_HEAD_MS in all */
	bool scarce = atomic_load(&srv->nconns) >= srv->cfg.max_conns -
	    srv->cfg.max_conns / 4;
	int waiting = 0;	/* published for conn_shed_elsewhere */

	for (; c; c = next) {
		next = c->next;
		if (scarce && conn_waiting(c) && c->hd_running &&
		    now - c->started >= CONN_SCARCE_HEAD_MS) {
			conn_close(c);
			continue;
		}
		waiting += conn_waiting(c);
		if (c->deadline && now >= c->deadline) {
			c->deadline = 0;
			if (c->st == CS_LINGER || c->st == CS_TLS)
				conn_close(c);
			else
				conn_timeout(c);
		}
	}
	atomic_store(&th->waiting, th->draining ? 0 : waiting);
	if (th->draining && (th->nconns == 0 || now >= th->drain_deadline)) {
		conn_close_all(th);
		loop_stop(th->loop);
	}
}

void
conn_drain(struct srv_thread *th)
{
	struct conn *c = th->conns, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->echo)
			conn_close(c);
		else if (c->h2)
			h2_drain(c);
		else if (c->ws)
			ws_drain(c);
		else if ((c->st == CS_HEAD && c->in.len == c->in.off &&
		     !conn_out_pending(c)) || c->st == CS_TLS)
			conn_close(c);
		else
			c->keep_alive = false;
	}
}

void
conn_close_all(struct srv_thread *th)
{
	while (th->conns)
		conn_close(th->conns);
}

static void
conn_later_fire(struct loop *l, long long id, void *arg)
{
	struct conn *c = arg;

	(void)l;
	(void)id;
	c->timer = 0;
	if (c->cont)
		c->cont(c);
}

void
conn_later(struct conn *c, long ms, void (*cont)(struct conn *c))
{
	c->st = CS_WAIT;
	c->deadline = 0;
	c->cont = cont;
	c->timer = loop_add_timer(c->th->loop, ms, conn_later_fire, c);
	if (c->timer < 0)
		c->timer = 0;
}

void
conn_kill(struct conn *c)
{
	c->keep_alive = false;
	c->st = CS_CLOSE;
	log_request(c);
	if (c->reset) {
		conn_close(c);
		return;
	}
	conn_settle(c);
}
