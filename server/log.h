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
/* Write the thread's buffered lines to stderr. */
void log_flush(struct srv_thread *th);

#endif
