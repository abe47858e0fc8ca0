/*
 * fcache.c - small-file cache (see fcache.h).  Direct-mapped by a hash of
 * the path: a collision simply replaces the older entry.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/fcache.h"

#define FCACHE_SLOTS 256

struct fcache_ent {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	char *data;
	struct stat st;		/* as of the last check */
	unsigned long wake;	/* th->wakes at that check, 0 none */
};

struct fcache {
	struct fcache_ent e[FCACHE_SLOTS];
};

static struct fcache_ent *
fcache_slot(struct srv_thread *th, const char *path)
{
	unsigned h = 2166136261u;	/* FNV-1a */

	if (!th->fcache)
		return NULL;
	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &((struct fcache *)th->fcache)->e[h % FCACHE_SLOTS];
}

static void
fcache_drop(struct fcache_ent *e)
{
	free(e->path);
	free(e->data);
	memset(e, 0, sizeof *e);
}

static int
fcache_same(const struct fcache_ent *e, const struct stat *st)
{
	return S_ISREG(st->st_mode) && e->dev == st->st_dev &&
	    e->ino == st->st_ino && e->size == st->st_size &&
	    e->mtim.tv_sec == st->st_mtim.tv_sec &&
	    e->mtim.tv_nsec == st->st_mtim.tv_nsec &&
	    e->ctim.tv_sec == st->st_ctim.tv_sec &&
	    e->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

const char *
fcache_get(struct srv_thread *th, const char *path, struct stat *st)
{
	struct fcache_ent *e = fcache_slot(th, path);
	const char *rel = path;

	if (!e || !e->path || strcmp(e->path, path) != 0)
		return NULL;
	if (e->wake && e->wake == th->wakes + 1) {
		*st = e->st;	/* already checked since this wake-up */
		return e->data;
	}
	while (*rel == '/')
		rel++;
	if (fstatat(th->srv->root_fd, *rel ? rel : ".", st, 0) < 0 ||
	    !fcache_same(e, st)) {
		fcache_drop(e);
		return NULL;
	}
	e->st = *st;
	e->wake = th->wakes + 1;
	return e->data;
}

const char *
fcache_put(struct srv_thread *th, const char *path, const struct stat *st,
	   int fd)
{
	if (!S_ISREG(st->st_mode) || st->st_size > FCACHE_MAX_FILE)
		return NULL;
	if (!th->fcache && !(th->fcache = calloc(1, sizeof(struct fcache))))
		return NULL;
	struct fcache_ent *e = fcache_slot(th, path);
	size_t n = (size_t)st->st_size;
	char *data = malloc(n + 1), *p = strdup(path);

	if (!data || !p || pread(fd, data, n, 0) != (ssize_t)n) {
		free(data);
		free(p);
		return NULL;
	}
	fcache_drop(e);
	e->path = p;
	e->data = data;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->size = st->st_size;
	e->mtim = st->st_mtim;
	e->ctim = st->st_ctim;
	return data;
}

void
fcache_free(struct srv_thread *th)
{
	struct fcache *fc = th->fcache;

	if (!fc)
		return;
	for (int i = 0; i < FCACHE_SLOTS; i++)
		fcache_drop(&fc->e[i]);
	free(fc);
	th->fcache = NULL;
}
