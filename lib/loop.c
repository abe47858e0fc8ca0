/*
 * loop.c - the event loop: descriptor table, timers, dispatch
 * (STYLE.md 7; after redis ae.c).
 *
 * Descriptors are kept in an array indexed by fd.  Timers are few (the
 * server sweeps connection deadlines with one periodic timer and uses
 * timers only for /delay, /drip and the fault routes), so they live in an
 * unsorted array and the next deadline is found by a scan.  A deleted
 * timer is marked and removed after dispatch so callbacks can delete
 * timers freely.  Knows nothing about sockets or HTTP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "loop.h"
#include "loop_backend.h"

struct loop_file {
	unsigned mask;
	int registered;
	loop_fd_fn *fn;
	void *arg;
};

struct loop_timer {
	long long id;
	long long when;		/* loop_now() ms */
	loop_timer_fn *fn;	/* NULL once deleted or fired */
	void *arg;
};

struct loop {
	struct loop_backend *be;
	struct loop_file *files;
	int nfiles;
	struct loop_timer *timers;
	size_t ntimers, captimers;
	long long next_id;
	long long now;
	int stop;
	loop_hook_fn *before_sleep;
	void *before_sleep_arg;
	struct loop_fired fired[256];
};

struct loop *
loop_new(void)
{
	struct loop *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	l->be = loop_backend_new();
	if (!l->be) {
		free(l);
		return NULL;
	}
	l->now = clock_ms();
	return l;
}

void
loop_free(struct loop *l)
{
	if (!l)
		return;
	loop_backend_free(l->be);
	free(l->files);
	free(l->timers);
	free(l);
}

static int
loop_grow_files(struct loop *l, int fd)
{
	int n = l->nfiles ? l->nfiles : 64;

	while (n <= fd)
		n *= 2;
	struct loop_file *f = realloc(l->files, (size_t)n * sizeof *f);

	if (!f)
		return -ENOMEM;
	memset(f + l->nfiles, 0, (size_t)(n - l->nfiles) * sizeof *f);
	l->files = f;
	l->nfiles = n;
	return 0;
}

int
loop_add_fd(struct loop *l, int fd, unsigned mask, loop_fd_fn *fn, void *arg)
{
	if (fd < 0)
		return -EBADF;
	if (fd >= l->nfiles && loop_grow_files(l, fd) < 0)
		return -ENOMEM;
	struct loop_file *f = &l->files[fd];
	int r = loop_backend_set(l->be, fd, f->mask, mask, f->registered);

	if (r < 0)
		return r;
	f->registered = 1;
	f->mask = mask;
	f->fn = fn;
	f->arg = arg;
	return 0;
}

int
loop_mod_fd(struct loop *l, int fd, unsigned mask)
{
	if (fd < 0 || fd >= l->nfiles || !l->files[fd].registered)
		return -EBADF;
	struct loop_file *f = &l->files[fd];

	if (f->mask == mask)
		return 0;
	int r = loop_backend_set(l->be, fd, f->mask, mask, 1);

	if (r == 0)
		f->mask = mask;
	return r;
}

void
loop_del_fd(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfiles || !l->files[fd].registered)
		return;
	loop_backend_del(l->be, fd);
	memset(&l->files[fd], 0, sizeof l->files[fd]);
}

long long
loop_add_timer(struct loop *l, long ms, loop_timer_fn *fn, void *arg)
{
	if (l->ntimers == l->captimers) {
		size_t n = l->captimers ? l->captimers * 2 : 16;
		struct loop_timer *t = realloc(l->timers, n * sizeof *t);

		if (!t)
			return -ENOMEM;
		l->timers = t;
		l->captimers = n;
	}
	struct loop_timer *t = &l->timers[l->ntimers++];

	t->id = ++l->next_id;
	t->when = clock_ms() + (ms > 0 ? ms : 0);
	t->fn = fn;
	t->arg = arg;
	return t->id;
}

void
loop_del_timer(struct loop *l, long long id)
{
	for (size_t i = 0; i < l->ntimers; i++)
		if (l->timers[i].id == id)
			l->timers[i].fn = NULL;
}

void
loop_set_before_sleep(struct loop *l, loop_hook_fn *fn, void *arg)
{
	l->before_sleep = fn;
	l->before_sleep_arg = arg;
}

long long
loop_now(const struct loop *l)
{
	return l->now;
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}

/* Milliseconds until the next live timer, -1 when there is none. */
static int
loop_timeout(struct loop *l)
{
	long long best = -1;

	for (size_t i = 0; i < l->ntimers; i++) {
		if (!l->timers[i].fn)
			continue;
		if (best < 0 || l->timers[i].when < best)
			best = l->timers[i].when;
	}
	if (best < 0)
		return -1;
	long long d = best - clock_ms();

	return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

static void
loop_fire_timers(struct loop *l)
{
	size_t n = l->ntimers;	/* timers added by callbacks wait a turn */

	for (size_t i = 0; i < n && !l->stop; i++) {
		struct loop_timer *t = &l->timers[i];

		if (!t->fn || t->when > l->now)
			continue;
		loop_timer_fn *fn = t->fn;
		long long id = t->id;
		void *arg = t->arg;

		t->fn = NULL;
		fn(l, id, arg);	/* may realloc l->timers */
	}
	size_t j = 0;

	for (size_t i = 0; i < l->ntimers; i++)
		if (l->timers[i].fn)
			l->timers[j++] = l->timers[i];
	l->ntimers = j;
}

int
loop_run(struct loop *l)
{
	l->stop = 0;
	while (!l->stop) {
		if (l->before_sleep)
			l->before_sleep(l, l->before_sleep_arg);
		if (l->stop)
			break;
		int n = loop_backend_poll(l->be, loop_timeout(l), l->fired,
					  (int)(sizeof l->fired /
						sizeof l->fired[0]));

		if (n < 0)
			return n;
		l->now = clock_ms();
		for (int i = 0; i < n && !l->stop; i++) {
			int fd = l->fired[i].fd;

			if (fd >= l->nfiles)
				continue;
			struct loop_file *f = &l->files[fd];
			unsigned ev = l->fired[i].events;

			if (!(ev & LOOP_HUP))
				ev &= f->mask;
			if (f->fn && ev)
				f->fn(l, fd, ev, f->arg);
		}
		loop_fire_timers(l);
	}
	return 0;
}
