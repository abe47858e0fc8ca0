/*
 * loop_epoll.c - the epoll backend of the event loop (level-triggered).
 *
 * epoll refuses regular files (EPERM), which poll() reports as always
 * ready: a raw session reading its input from `< file` needs that too.
 * Such descriptors are kept in a short list and reported ready on every
 * turn, with a zero wait, as poll() would.
 *
 * Depends on nothing but loop_backend.h and Linux.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop.h"
#include "loop_backend.h"

#define LOOP_EPOLL_BATCH 256
#define LOOP_EPOLL_READY 8	/* regular files watched at once */

struct loop_backend {
	int epfd;
	struct epoll_event ev[LOOP_EPOLL_BATCH];
	struct loop_fired ready[LOOP_EPOLL_READY];	/* not pollable */
	int nready;
};

/* The slot of a not-pollable fd in b->ready, or -1. */
static int
ready_find(const struct loop_backend *b, int fd)
{
	for (int i = 0; i < b->nready; i++)
		if (b->ready[i].fd == fd)
			return i;
	return -1;
}

/* Keep fd (epoll said EPERM: a regular file) as always ready for mask. */
static int
ready_set(struct loop_backend *b, int fd, unsigned mask)
{
	int i = ready_find(b, fd);

	if (i < 0) {
		if (b->nready == LOOP_EPOLL_READY)
			return -EMFILE;
		i = b->nready++;
	}
	b->ready[i] = (struct loop_fired){ fd, mask };
	return 0;
}

struct loop_backend *
loop_backend_new(void)
{
	struct loop_backend *b = calloc(1, sizeof *b);

	if (!b)
		return NULL;
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b->epfd < 0) {
		free(b);
		return NULL;
	}
	return b;
}

void
loop_backend_free(struct loop_backend *b)
{
	if (!b)
		return;
	close(b->epfd);
	free(b);
}

int
loop_backend_set(struct loop_backend *b, int fd, unsigned old, unsigned mask,
		 int registered)
{
	struct epoll_event e = { 0 };

	(void)old;
	if (mask & LOOP_READ)
		e.events |= EPOLLIN | EPOLLRDHUP;
	if (mask & LOOP_WRITE)
		e.events |= EPOLLOUT;
	e.data.fd = fd;
	if (ready_find(b, fd) >= 0)
		return ready_set(b, fd, mask);
	if (epoll_ctl(b->epfd, registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd,
		      &e) < 0)
		return errno == EPERM ? ready_set(b, fd, mask) : -errno;
	return 0;
}

void
loop_backend_del(struct loop_backend *b, int fd)
{
	int i = ready_find(b, fd);

	if (i >= 0)
		b->ready[i] = b->ready[--b->nready];
	else
		epoll_ctl(b->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int
loop_backend_poll(struct loop_backend *b, int timeout_ms,
		  struct loop_fired *out, int max)
{
	int nr = 0;

	for (int i = 0; i < b->nready && nr < max; i++)
		if (b->ready[i].events)
			out[nr++] = b->ready[i];
	if (nr > 0)
		timeout_ms = 0;
	max -= nr;
	if (max > LOOP_EPOLL_BATCH)
		max = LOOP_EPOLL_BATCH;
	int n = max > 0 ? epoll_wait(b->epfd, b->ev, max, timeout_ms) : 0;

	if (n < 0)
		return errno == EINTR ? nr : -errno;
	out += nr;
	for (int i = 0; i < n; i++) {
		unsigned m = 0, e = b->ev[i].events;

		if (e & (EPOLLIN | EPOLLRDHUP))
			m |= LOOP_READ;
		if (e & EPOLLOUT)
			m |= LOOP_WRITE;
		if (e & (EPOLLERR | EPOLLHUP))
			m |= LOOP_HUP | LOOP_READ;
		out[i].fd = b->ev[i].data.fd;
		out[i].events = m;
	}
	return nr + n;
}
