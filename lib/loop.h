/*
 * loop.h - a small event loop (STYLE.md 7; after redis ae.h).
 *
 * One loop per thread, owned by that thread; nothing here is shared.
 * File descriptors are watched level-triggered for LOOP_READ and/or
 * LOOP_WRITE; timers fire once after a delay in milliseconds.  The
 * polling backend (epoll) lives in loop_epoll.c behind loop_backend.h so
 * the loop itself knows nothing about it.
 *
 * Callbacks may add and delete descriptors and timers (their own or
 * others') and call loop_stop() at any time.
 */
#ifndef HTTPTOOL_LOOP_H
#define HTTPTOOL_LOOP_H

#include <stdbool.h>

struct loop;

enum {
	LOOP_READ = 1u << 0,
	LOOP_WRITE = 1u << 1,
	LOOP_HUP = 1u << 2,	/* reported only: error or hang-up */
};

typedef void loop_fd_fn(struct loop *l, int fd, unsigned events, void *arg);
typedef void loop_timer_fn(struct loop *l, long long id, void *arg);
typedef void loop_hook_fn(struct loop *l, void *arg);

/* A new loop, or NULL (errno set).  Free with loop_free(). */
struct loop *loop_new(void);
/* Frees the loop; descriptors it watched are not closed. */
void loop_free(struct loop *l);

/*
 * Watch fd for mask (LOOP_READ|LOOP_WRITE), replacing any earlier
 * registration of fd; mask 0 keeps fd registered but quiet.
 * 0, or a negative errno.
 */
int loop_add_fd(struct loop *l, int fd, unsigned mask, loop_fd_fn *fn,
		void *arg);
/* Change the mask of a registered fd.  0 or a negative errno. */
int loop_mod_fd(struct loop *l, int fd, unsigned mask);
/* Stop watching fd (call before closing it).  Unknown fds are ignored. */
void loop_del_fd(struct loop *l, int fd);

/* Call fn once after ms milliseconds; returns an id (> 0) or -ENOMEM. */
long long loop_add_timer(struct loop *l, long ms, loop_timer_fn *fn,
			 void *arg);
/* Cancel a timer that has not fired; unknown ids are ignored. */
void loop_del_timer(struct loop *l, long long id);

/* Called once per iteration just before the loop sleeps (log flushing,
 * re-arming); a loop_stop() there ends loop_run() before it sleeps. */
void loop_set_before_sleep(struct loop *l, loop_hook_fn *fn, void *arg);

/* Monotonic milliseconds, refreshed once per iteration. */
long long loop_now(const struct loop *l);

/* Run until loop_stop(); 0, or a negative errno if polling failed. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
