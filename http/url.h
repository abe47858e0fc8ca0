/*
 * url.h - request-target and URL splitting, percent-decoding.
 */
#ifndef HTTPTOOL_URL_H
#define HTTPTOOL_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/*
 * A split URL or request-target.  Every part is a span into the input
 * (empty span with p NULL when absent).  Handles origin-form
 * ("/p?q#f"), absolute-form ("http://h:8000/p?q"), authority-form
 * ("host:443") and asterisk-form ("*").  host keeps IPv6 brackets off.
 */
struct http_url {
	struct span scheme, userinfo, host, port, path, query, fragment;
	int port_num;		/* from port, or the scheme's default, or 0 */
};

/* Value of a hex digit (0-9, a-f, A-F), or -1 for any other byte. */
int http_hex_digit(int c);

/* Split s; false when it is not a URL or target of any form. */
bool http_url_split(struct span s, struct http_url *u);

/*
 * Percent-decode in into out (at most in.len bytes are written; out may
 * be in.p).  plus_space turns '+' into ' ' (forms).  Returns the decoded
 * length, or -1 on a malformed escape ("%4", "%zz").  A decoded NUL is
 * allowed here; callers that build paths must check for it.
 */
long http_pct_decode(struct span in, char *out, bool plus_space);

/*
 * Percent-encode in into b, leaving unreserved characters (RFC 3986) and
 * those in keep as they are; space_plus writes ' ' as '+' (forms).
 * 0, or -ENOMEM.
 */
int http_pct_encode(struct buf *b, struct span in, const char *keep,
		    bool space_plus);

#endif
