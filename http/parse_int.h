/*
 * parse_int.h - what parse.c (start lines, the driver) and parse_field.c
 * (field lines, framing) share.  Private to http/: nothing outside may
 * include it.
 */
#ifndef HTTPTOOL_PARSE_INT_H
#define HTTPTOOL_PARSE_INT_H

#include <stdbool.h>
#include <string.h>

#include "parse.h"

#define WHY_CRLF "HTTP/1.1 requires CRLF (RFC 9112 §2.2)"

/* token characters (RFC 9110 §5.6.2) */
static inline bool
is_tchar(unsigned char c)
{
	static const char tchar_extra[] = "!#$%&'*+-.^_`|~";

	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr(tchar_extra, c) != NULL;
}

static inline bool
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* the state of one parse */
struct pctx {
	const char *buf;
	size_t len;
	size_t pos;
	enum http_mode mode;
	const struct http_limits *lim;
	struct http_msg *msg;
	struct http_error *err;

	/* framing facts gathered while reading fields */
	int cl_count;
	bool cl_bad;
	unsigned long long cl;
	bool te_seen, te_chunked_last, te_chunked_twice, te_other, te_empty;
	int host_count;
	bool conn_close, conn_keep_alive, conn_upgrade, has_upgrade;
	size_t nfields;		/* field lines read (stored or not) */
	bool last_stored;	/* the previous field line was stored */
};

/* Fail the parse: fill *c->err, return HTTP_ERROR. */
int parse_fail(struct pctx *c, int status, size_t off, const char *what,
	       const char *why);

/*
 * Something RFC 9112 says to reject: fail when strict; when lenient,
 * record the first such thing in msg->warning, set warn in msg->warnings
 * and return 0.
 */
int parse_bad(struct pctx *c, unsigned warn, int status, size_t off,
	      const char *what, const char *why);

/* One field line [s, e) (not the empty line); 0 or HTTP_ERROR. */
int parse_field_line(struct pctx *c, size_t s, size_t e);

/* Decide msg->framing once every field is read; 0 or HTTP_ERROR. */
int parse_request_framing(struct pctx *c);
int parse_response_framing(struct pctx *c, struct span req_method);
void parse_set_persistence(struct pctx *c);

#endif
