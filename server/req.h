/*
 * req.h - small helpers handlers share for reading a request: query
 * parameters, cookies, the Host to build absolute URLs with.
 */
#ifndef HTTPTOOL_SERVER_REQ_H
#define HTTPTOOL_SERVER_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "server/conn.h"

/* Value of the first query parameter name, decoded (forms rules) into
 * out (NUL-terminated, truncated to size).  False when absent. */
bool req_query(const struct req *r, const char *name, char *out,
	       size_t size);

/* Next "name=value" of a Cookie header value; *rest is advanced. */
bool req_cookie_next(struct span *rest, struct span *name,
		     struct span *value);
/* Value of cookie name in the request's Cookie headers. */
bool req_cookie(const struct req *r, const char *name, struct span *value);

/* "host:port" the client used (Host header), or the server's own. */
struct span req_host(const struct req *r);

/* The path after prefix as a non-negative number; false when it is not
 * one (or above max). */
bool req_tail_num(const struct req *r, const char *prefix, long long max,
		  long long *out);

/* Fill p with n random bytes (getrandom). */
void req_random(void *p, size_t n);

#endif
