/*
 * echo.c - the TCP echo server of `serve --echo` (see echo.h).
 *
 * Each connection keeps what it has not yet written back and the start
 * of the current line, so "exit" is recognised across any split of the
 * input ("exit\n" or "exit\r\n").  Everything up to and including the
 * exit line is echoed, then the connection is closed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/echo.h"

struct echo_conn {
	struct srv_thread *th;
	struct echo_conn *prev, *next;
	int fd;
	struct buf out;		/* to send back */
	char line[8];		/* start of the current line */
	size_t line_len;	/* bytes of it seen (may exceed sizeof line) */
	bool closing;		/* exit seen: close when out is sent */
};

static void
echo_close(struct echo_conn *e)
{
	struct srv_thread *th = e->th;

	loop_del_fd(th->loop, e->fd);
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

/* Queue p[0..n) for echoing, stopping at an "exit" line. */
static void
echo_take(struct echo_conn *e, const char *p, size_t n)
{
	for (size_t i = 0; i < n && !e->closing; i++) {
		char ch = p[i];

		if (ch == '\n') {
			size_t l = e->line_len;

			if (l > 0 && l <= sizeof e->line && e->line[l - 1] == '\r')
				l--;
			if (l == 4 && memcmp(e->line, "exit", 4) == 0)
				e->closing = true;	/* after echoing it */
			e->line_len = 0;
		} else {
			if (e->line_len < sizeof e->line)
				e->line[e->line_len] = ch;
			e->line_len++;
		}
		buf_append(&e->out, &ch, 1);
	}
}

static void
echo_event(struct loop *l, int fd, unsigned events, void *arg)
{
	struct echo_conn *e = arg;
	char tmp[16384];

	(void)l;
	if (events & (LOOP_READ | LOOP_HUP)) {
		ssize_t n = read(fd, tmp, sizeof tmp);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			echo_close(e);
			return;
		}
		if (n > 0)
			echo_take(e, tmp, (size_t)n);
	}
	while (e->out.len > e->out.off) {
		ssize_t n = send(fd, e->out.data + e->out.off,
				 e->out.len - e->out.off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			echo_close(e);
			return;
		}
		buf_consume(&e->out, (size_t)n);
	}
	if (e->out.len == e->out.off) {
		buf_reset(&e->out);
		if (e->closing) {
			echo_close(e);
			return;
		}
	}
	unsigned mask = e->closing ? 0 : LOOP_READ;

	if (e->out.len > e->out.off)
		mask = LOOP_WRITE;	/* back-pressure: stop reading */
	loop_mod_fd(e->th->loop, fd, mask);
}

void
echo_accept(struct srv_thread *th, int fd, const char *peer)
{
	struct echo_conn *e = calloc(1, sizeof *e);

	(void)peer;
	if (!e) {
		close(fd);
		return;
	}
	e->th = th;
	e->fd = fd;
	buf_init(&e->out);
	e->next = th->echo_conns;
	if (e->next)
		e->next->prev = e;
	th->echo_conns = e;
	th->nconns++;
	atomic_fetch_add(&th->srv->nconns, 1);
	if (loop_add_fd(th->loop, fd, LOOP_READ, echo_event, e) < 0)
		echo_close(e);
}

void
echo_close_all(struct srv_thread *th)
{
	while (th->echo_conns)
		echo_close(th->echo_conns);
}
