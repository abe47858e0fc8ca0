/*
 * log.h - the access log: one line per request on stderr, in Python's
 * http.server format (default), common log format, or JSON.  Lines are
 * buffered per thread and written once per loop iteration.
 */
#ifndef HTTPTOOL_SERVER_LOG_H
#define HTTPTOOL_SERVER_LOG_H

#include "server/conn.h"

/* Format c's current request (reqline, status, resp_bytes) into its
 * thread's log buffer, unless --quiet. */
void log_request(struct conn *c);
/* Write the thread's buffered lines to the log (stderr or --log-file). */
void log_flush(struct srv_thread *th);
/* Open --log-file (append) into srv->log_fd, or use stderr.  0, or -1
 * after printing why not. */
int log_open(struct server *srv);
/* SIGHUP: open --log-file anew (after it was rotated) in place of the
 * old one; the threads go on writing to the same descriptor number. */
void log_reopen(struct server *srv);
void log_close(struct server *srv);

#endif
