/*
 * loop_epoll.c - the epoll backend of the event loop (level-triggered).
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

struct loop_backend {
	int epfd;
	struct epoll_event ev[LOOP_EPOLL_BATCH];
};

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
	if (epoll_ctl(b->epfd, registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd,
		      &e) < 0)
		return -errno;
	return 0;
}

void
loop_backend_del(struct loop_backend *b, int fd)
{
	epoll_ctl(b->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int
loop_backend_poll(struct loop_backend *b, int timeout_ms,
		  struct loop_fired *out, int max)
{
	if (max > LOOP_EPOLL_BATCH)
		max = LOOP_EPOLL_BATCH;
	int n = epoll_wait(b->epfd, b->ev, max, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
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
	return n;
}
