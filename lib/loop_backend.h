/*
 * loop_backend.h - what loop.c needs from a polling backend
 * (loop_epoll.c).  Private to lib/.
 */
#ifndef HTTPTOOL_LOOP_BACKEND_H
#define HTTPTOOL_LOOP_BACKEND_H

struct loop_backend;

struct loop_fired {
	int fd;
	unsigned events;	/* LOOP_READ|LOOP_WRITE|LOOP_HUP */
};

/* NULL with errno set on failure. */
struct loop_backend *loop_backend_new(void);
void loop_backend_free(struct loop_backend *b);
/* Set fd's interest from old to mask (old 0: not yet registered). */
int loop_backend_set(struct loop_backend *b, int fd, unsigned old,
		     unsigned mask, int registered);
void loop_backend_del(struct loop_backend *b, int fd);
/* Wait up to timeout_ms (-1: forever); fills at most max entries of out.
 * Returns the count, or a negative errno (EINTR is returned as 0). */
int loop_backend_poll(struct loop_backend *b, int timeout_ms,
		      struct loop_fired *out, int max);

#endif
