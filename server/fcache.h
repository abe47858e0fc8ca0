/*
 * fcache.h - a per-thread cache of small static files (<= 32 KiB), so
 * that serving one costs one fstatat(2) instead of open, fstat, pread and
 * close.
 *
 * An entry is used only while the path still names the very same file:
 * same device, inode, size, mtime and ctime (nanoseconds) as when it was
 * read through the confined open in static.c.  An edited, replaced or
 * re-pointed file therefore misses and is opened (and confined) afresh.
 * The check is made once per wake-up of the thread's loop: requests that
 * arrived together (one h2 connection's batch of streams, the pipelined
 * or concurrent requests read after one epoll_wait) share it, as nothing
 * orders them after a change made while they were in flight.
 * Owned by one srv_thread; nothing is shared.
 */
#ifndef HTTPTOOL_SERVER_FCACHE_H
#define HTTPTOOL_SERVER_FCACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "server/conn.h"

#define FCACHE_MAX_FILE 32768

/* The cached bytes of path (a decoded request path already checked by
 * static_open's lexical rules) with *st refreshed, or NULL on a miss.
 * Valid until the next fcache call on th. */
const char *fcache_get(struct srv_thread *th, const char *path,
		       struct stat *st);
/* Read the regular file fd (st from fstat) into the cache under path;
 * returns its bytes (as fcache_get) or NULL when it could not. */
const char *fcache_put(struct srv_thread *th, const char *path,
		       const struct stat *st, int fd);
void fcache_free(struct srv_thread *th);

#endif
