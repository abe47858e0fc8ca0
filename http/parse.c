/*
 * parse.c - HTTP/1.x message heads (RFC 9112 §2-§6).
 *
 * One pass over the lines of a head fills struct http_msg with spans into
 * the caller's buffer; nothing is allocated or copied.  Both modes share
 * the same code: where RFC 9112 says a recipient must reject something,
 * parse_bad() fails the parse in strict mode and records a warning and
 * goes on in lenient mode.  What can't be read even leniently (no start line at
 * all) is an error in both, and the sniffer resynchronises with
 * http_find_start().
 *
 * Restartable: the caller passes the length seen on the previous call and
 * the full parse is skipped while no new line (and no control byte) has
 * arrived; limits are still enforced on every call.
 *
 * This file reads start lines and drives the parse; parse_field.c reads
 * field lines and decides the body framing (RFC 9112 §6.3); body.c
 * decodes body bytes.  Depends on nothing outside http/.
 */
#include <stdio.h>
#include <string.h>

#include "parse_int.h"

#define WHY_REQLINE "a request line is method SP target SP version (RFC 9112 §3)"
#define WHY_TARGET "targets are origin, absolute, authority or asterisk form (RFC 9112 §3.2)"

int
parse_fail(struct pctx *c, int status, size_t off, const char *what,
	   const char *why)
{
	c->err->status = status;
	c->err->offset = off;
	c->err->what = what;
	c->err->why = why;
	return HTTP_ERROR;
}

/* Something RFC 9112 says to reject: fail when strict, note when lenient. */
int
parse_bad(struct pctx *c, unsigned warn, int status, size_t off,
	  const char *what, const char *why)
{
	if (c->mode == HTTP_STRICT)
		return parse_fail(c, status, off, what, why);
	if (c->msg->warnings == 0) {
		c->msg->warning.status = status;
		c->msg->warning.offset = off;
		c->msg->warning.what = what;
		c->msg->warning.why = why;
	}
	c->msg->warnings |= warn;
	return 0;
}

void
http_error_format(const struct http_error *e, char *out, size_t size)
{
	if (e->why && *e->why)
		snprintf(out, size, "%s at byte %zu; %s", e->what, e->offset,
			 e->why);
	else
		snprintf(out, size, "%s at byte %zu", e->what, e->offset);
}

const char *
http_framing_name(enum http_framing f)
{
	switch (f) {
	case HTTP_FRAME_NONE:    return "no body";
	case HTTP_FRAME_LENGTH:  return "Content-Length";
	case HTTP_FRAME_CHUNKED: return "chunked";
	case HTTP_FRAME_CLOSE:   return "until close";
	case HTTP_FRAME_TUNNEL:  return "tunnel";
	}
	return "?";
}

/*
 * The next line from c->pos: [*s, *e) without its line ending.  Returns 1,
 * 0 when no LF has arrived yet, or HTTP_ERROR (bare LF in strict mode).
 */
static int
next_line(struct pctx *c, size_t *s, size_t *e)
{
	const char *nl = memchr(c->buf + c->pos, '\n', c->len - c->pos);
	size_t lf;

	if (nl == NULL)
		return 0;
	lf = (size_t)(nl - c->buf);
	*s = c->pos;
	if (lf > c->pos && c->buf[lf - 1] == '\r') {
		*e = lf - 1;
	} else {
		if (parse_bad(c, HTTP_WARN_BARE_LF, 400, lf, "bare LF line ending",
			WHY_CRLF) < 0)
			return HTTP_ERROR;
		*e = lf;
	}
	c->pos = lf + 1;
	return 1;
}

/* ---- start lines ---------------------------------------------------- */

static int
parse_version(struct pctx *c, size_t s, size_t e, bool request)
{
	const char *p = c->buf + s;

	if (e - s != 8 || memcmp(p, "HTTP/", 5) != 0 || !is_digit(p[5]) ||
	    p[6] != '.' || !is_digit(p[7]))
		return parse_fail(c, 400, s, "malformed HTTP version",
			    "HTTP-version is HTTP/DIGIT.DIGIT (RFC 9112 §2.3)");
	c->msg->major = p[5] - '0';
	c->msg->minor = p[7] - '0';
	if (c->msg->major != 1 && (request || c->mode == HTTP_STRICT))
		return parse_fail(c, 505, s + 5, "unsupported HTTP version",
			    "only HTTP/1.x is spoken here");
	return 0;
}

static int
check_target(struct pctx *c, size_t s, size_t e)
{
	struct http_msg *m = c->msg;
	const char *t = c->buf + s;
	size_t n = e - s;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t[i];
		if (is_ctl(ch) || ch >= 0x80 || ch == '#') {
			if (parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, s + i,
				"invalid character in request target",
				WHY_TARGET) < 0)
				return HTTP_ERROR;
			break;
		}
	}
	if (span_eq(m->method, "CONNECT")) {
		if (memchr(t, ':', n) == NULL || t[0] == '/')
			return parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, s,
				   "invalid request target",
				   "CONNECT takes host:port (RFC 9110 §9.3.6)");
		return 0;
	}
	if (t[0] == '/')
		return 0;
	if (n == 1 && t[0] == '*') {
		if (span_eq(m->method, "OPTIONS"))
			return 0;
		return parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, s,
			   "invalid request target",
			   "* is only for OPTIONS (RFC 9112 §3.2.4)");
	}
	for (size_t i = 0; i + 2 < n; i++) {		/* absolute-form */
		if (t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/' && i > 0)
			return 0;
		if (!(t[i] >= 'a' && t[i] <= 'z') &&
		    !(t[i] >= 'A' && t[i] <= 'Z') && !is_digit(t[i]) &&
		    t[i] != '+' && t[i] != '-' && t[i] != '.')
			break;
	}
	return parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, s,
		   "invalid request target", WHY_TARGET);
}

/* skip the SP between request-line parts; extra SP only when lenient */
static int
skip_sp(struct pctx *c, size_t *i, size_t e)
{
	if (*i >= e || c->buf[*i] != ' ')
		return parse_fail(c, 400, *i, "malformed request line", WHY_REQLINE);
	(*i)++;
	if (*i < e && (c->buf[*i] == ' ' || c->buf[*i] == '\t')) {
		if (parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, *i,
			"extra whitespace in request line", WHY_REQLINE) < 0)
			return HTTP_ERROR;
		while (*i < e && (c->buf[*i] == ' ' || c->buf[*i] == '\t'))
			(*i)++;
	}
	return 0;
}

static int
parse_request_line(struct pctx *c, size_t s, size_t e)
{
	struct http_msg *m = c->msg;
	size_t i = s, t;

	while (i < e && is_tchar((unsigned char)c->buf[i]))
		i++;
	if (i == s || (i < e && c->buf[i] != ' ' &&
		       !(c->mode == HTTP_LENIENT && c->buf[i] == '\t')))
		return parse_fail(c, 400, i, "invalid character in method",
			    "a method is a token (RFC 9110 §9.1)");
	m->method = (struct span){ c->buf + s, i - s };
	if (skip_sp(c, &i, e) < 0)
		return HTTP_ERROR;
	t = i;
	while (i < e && c->buf[i] != ' ')
		i++;
	if (i == t)
		return parse_fail(c, 400, t, "missing request target", WHY_REQLINE);
	m->target = (struct span){ c->buf + t, i - t };
	if (check_target(c, t, i) < 0)
		return HTTP_ERROR;
	if (i == e)
		return parse_fail(c, 400, i, "missing HTTP version", WHY_REQLINE);
	if (skip_sp(c, &i, e) < 0)
		return HTTP_ERROR;
	while (e > i && (c->buf[e - 1] == ' ' || c->buf[e - 1] == '\t')) {
		if (parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, e - 1,
			"whitespace after HTTP version", WHY_REQLINE) < 0)
			return HTTP_ERROR;
		e--;
	}
	return parse_version(c, i, e, true);
}

static int
parse_status_line(struct pctx *c, size_t s, size_t e)
{
	struct http_msg *m = c->msg;
	const char *p = c->buf + s;
	size_t i;

	if (e - s < 12 || memcmp(p, "HTTP/", 5) != 0)
		return parse_fail(c, 400, s, "malformed status line",
			    "a status line is HTTP/1.1 SP code SP reason "
			    "(RFC 9112 §4)");
	if (parse_version(c, s, s + 8, false) < 0)
		return HTTP_ERROR;
	i = s + 8;
	if (p[8] != ' ')
		return parse_fail(c, 400, i, "malformed status line",
			    "a status line is HTTP/1.1 SP code SP reason "
			    "(RFC 9112 §4)");
	i++;
	if (!is_digit(c->buf[i]) || !is_digit(c->buf[i + 1]) ||
	    !is_digit(c->buf[i + 2]) || c->buf[i] == '0')
		return parse_fail(c, 400, i, "invalid status code",
			    "a status code is three digits (RFC 9110 §15)");
	m->status = (c->buf[i] - '0') * 100 + (c->buf[i + 1] - '0') * 10 +
		    (c->buf[i + 2] - '0');
	i += 3;
	if (i == e) {
		m->reason = (struct span){ c->buf + i, 0 };
		return 0;
	}
	if (c->buf[i] != ' ')
		return parse_fail(c, 400, i, "invalid status code",
			    "a status code is three digits (RFC 9110 §15)");
	i++;
	for (size_t k = i; k < e; k++)
		if (is_ctl((unsigned char)c->buf[k]) && c->buf[k] != '\t' &&
		    parse_bad(c, HTTP_WARN_BAD_START_LINE, 400, k,
			"control character in reason phrase",
			"RFC 9112 §4") < 0)
			return HTTP_ERROR;
	m->reason = (struct span){ c->buf + i, e - i };
	return 0;
}

/* ---- driver --------------------------------------------------------- */

/*
 * Checks that hold for any prefix of a start line [s, end), so garbage
 * fails as early as it can and the same way however the bytes arrive:
 * the method's characters (or the "HTTP/" of a status line), then the
 * length limit.
 */
static int
start_line_prefix(struct pctx *c, size_t s, size_t end, bool request)
{
	size_t n = end - s;

	if (request) {
		size_t i = s;
		while (i < end && is_tchar((unsigned char)c->buf[i]))
			i++;
		if (i < end && c->buf[i] != ' ' &&
		    !(c->mode == HTTP_LENIENT && c->buf[i] == '\t') &&
		    !(c->buf[i] == '\r' && i + 1 == c->len))
			return parse_fail(c, 400, i, "invalid character in method",
				    "a method is a token (RFC 9110 §9.1)");
		if (n > c->lim->max_start_line)
			return parse_fail(c, 414, s + c->lim->max_start_line,
				    "request line too long",
				    "the server's limit was reached");
	} else {
		size_t k = n < 5 ? n : 5;
		if (memcmp(c->buf + s, "HTTP/", k) != 0)
			return parse_fail(c, 400, s, "malformed status line",
				    "a status line starts with HTTP/ "
				    "(RFC 9112 §4)");
		if (n > c->lim->max_start_line)
			return parse_fail(c, 400, s + c->lim->max_start_line,
				    "status line too long",
				    "the parser's limit was reached");
	}
	return 0;
}

static int
parse_head(struct pctx *c, bool request, struct span req_method)
{
	struct http_msg *m = c->msg;
	size_t s, e;
	int r;

	/* empty lines before a request line are ignored (RFC 9112 §2.2),
	   a few of them: a flood of them is an attack on the restart cost */
	for (int empty = 0; c->pos < c->len && (c->buf[c->pos] == '\r' ||
						c->buf[c->pos] == '\n');
	     empty++) {
		if (empty == 8)
			return parse_fail(c, 400, c->pos, "too many empty lines "
				    "before the start line", "RFC 9112 §2.2 "
				    "allows a client to send one");
		if (c->buf[c->pos] == '\r') {
			if (c->pos + 1 == c->len)
				return HTTP_INCOMPLETE;
			if (c->buf[c->pos + 1] != '\n')
				return parse_fail(c, 400, c->pos, "bare CR",
					    WHY_CRLF);
			c->pos += 2;
		} else {
			if (parse_bad(c, HTTP_WARN_BARE_LF, 400, c->pos,
				"bare LF line ending", WHY_CRLF) < 0)
				return HTTP_ERROR;
			c->pos++;
		}
	}
	m->start = c->pos;
	{
		const char *nl = memchr(c->buf + c->pos, '\n',
					c->len - c->pos);
		size_t end = nl ? (size_t)(nl - c->buf) : c->len;
		if (start_line_prefix(c, c->pos, end, request) < 0)
			return HTTP_ERROR;
	}
	if ((r = next_line(c, &s, &e)) <= 0)
		return r < 0 ? r : HTTP_INCOMPLETE;
	for (size_t i = s; i < e; i++)
		if (c->buf[i] == '\r' || c->buf[i] == 0)
			return parse_fail(c, 400, i, c->buf[i] ? "bare CR"
				    : "NUL in start line", WHY_CRLF);
	r = request ? parse_request_line(c, s, e) : parse_status_line(c, s, e);
	if (r < 0)
		return r;

	for (;;) {
		if (c->pos > c->lim->max_head)
			return parse_fail(c, 431, c->lim->max_head,
				    "header block too large",
				    "the server's limit was reached");
		if ((r = next_line(c, &s, &e)) < 0)
			return r;
		if (r == 0)		/* judged once the line is whole */
			return HTTP_INCOMPLETE;
		if (s == e)
			break;
		if (parse_field_line(c, s, e) < 0)
			return HTTP_ERROR;
	}
	m->head_len = c->pos;
	if (m->head_len > c->lim->max_head)
		return parse_fail(c, 431, c->lim->max_head, "header block too large",
			    "the server's limit was reached");
	r = request ? parse_request_framing(c) : parse_response_framing(c, req_method);
	if (r < 0)
		return r;
	parse_set_persistence(c);
	return (int)m->head_len;
}

/*
 * Can the bytes that arrived since last_len change the outcome?  Only a
 * new line, a control byte, or a byte that can't continue a method still
 * being read can; otherwise the previous INCOMPLETE stands (limits
 * aside), which keeps byte-at-a-time feeding linear.
 */
static bool
worth_parsing(const char *buf, size_t len, size_t last_len, bool request)
{
	size_t s = 0;

	if (last_len < 8 || last_len >= len || buf[last_len - 1] == '\r')
		return true;		/* (a CR at the end was not judged) */
	for (size_t i = last_len; i < len; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if (ch == '\n' || (is_ctl(ch) && ch != '\t' &&
				   !(ch == '\r' && i + 1 == len)))
			return true;
	}
	while (s < last_len && (buf[s] == '\r' || buf[s] == '\n'))
		s++;
	if (memchr(buf + s, '\n', last_len - s))
		return false;		/* the start line is behind us */
	if (!request)
		return last_len - s < 5;	/* "HTTP/" not yet judged */
	if (memchr(buf + s, ' ', last_len - s) ||
	    memchr(buf + s, '\t', last_len - s))
		return false;		/* the method is behind us */
	for (size_t i = last_len; i < len; i++)
		if (!is_tchar((unsigned char)buf[i]))
			return true;
	return false;
}

/* has the start line (after any empty lines) ended in buf[0..n)? */
static bool
start_line_done(const char *buf, size_t n)
{
	size_t s = 0;

	while (s < n && (buf[s] == '\r' || buf[s] == '\n'))
		s++;
	return memchr(buf + s, '\n', n - s) != NULL;
}

static int
parse_common(const char *buf, size_t len, size_t last_len,
	     enum http_mode mode, const struct http_limits *lim, bool request,
	     struct span req_method, struct http_msg *msg,
	     struct http_error *err)
{
	static const struct http_limits deflim = HTTP_LIMITS_DEFAULT;
	struct http_header *h = msg->headers;
	size_t max = msg->max_headers;
	struct pctx c;

	if (lim == NULL)
		lim = &deflim;
	memset(err, 0, sizeof *err);
	/* nothing new to judge: the last INCOMPLETE stands unless a limit
	   may have been crossed (then the full parse says which) */
	if (!worth_parsing(buf, len, last_len, request) &&
	    (len <= lim->max_start_line ||
	     (len <= lim->max_head && start_line_done(buf, last_len))))
		return HTTP_INCOMPLETE;
	memset(msg, 0, sizeof *msg);
	msg->headers = h;
	msg->max_headers = max;
	msg->is_request = request;
	memset(&c, 0, sizeof c);
	c.buf = buf;
	c.len = len;
	c.mode = mode;
	c.lim = lim;
	c.msg = msg;
	c.err = err;
	int r = parse_head(&c, request, req_method);
	if (r == HTTP_INCOMPLETE && len > lim->max_head)
		return parse_fail(&c, 431, lim->max_head, "header block too large",
			    "the server's limit was reached");
	return r;
}

int
http_parse_request(const char *buf, size_t len, size_t last_len,
		   enum http_mode mode, const struct http_limits *lim,
		   struct http_msg *msg, struct http_error *err)
{
	return parse_common(buf, len, last_len, mode, lim, true, SPAN_NULL,
			    msg, err);
}

int
http_parse_response(const char *buf, size_t len, size_t last_len,
		    enum http_mode mode, const struct http_limits *lim,
		    struct span req_method, struct http_msg *msg,
		    struct http_error *err)
{
	return parse_common(buf, len, last_len, mode, lim, false, req_method,
			    msg, err);
}

/* ---- resynchronisation ---------------------------------------------- */

static const char *const methods[] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
	"TRACE", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE",
	"LOCK", "UNLOCK", "SEARCH", "REPORT", "PURGE", "QUERY", NULL,
};

bool
http_method_known(struct span method)
{
	for (const char *const *m = methods; *m; m++)
		if (span_eq(method, *m))
			return true;
	return false;
}

/* does buf[0..n) start a message, or a prefix of one that runs out? */
static bool
could_start(const char *p, size_t n, bool want_request)
{
	if (!want_request) {
		size_t k = n < 7 ? n : 7;
		return memcmp(p, "HTTP/1.", k) == 0;
	}
	for (const char *const *m = methods; *m; m++) {
		size_t ml = strlen(*m);
		if (n <= ml) {
			if (memcmp(p, *m, n) == 0)
				return true;
			continue;
		}
		if (memcmp(p, *m, ml) == 0 && p[ml] == ' ' &&
		    (n == ml + 1 || p[ml + 1] == '/' || p[ml + 1] == '*' ||
		     (p[ml + 1] >= 'a' && p[ml + 1] <= 'z') ||
		     (p[ml + 1] >= 'A' && p[ml + 1] <= 'Z') ||
		     (p[ml + 1] >= '0' && p[ml + 1] <= '9') || p[ml + 1] == '['))
			return true;
	}
	return false;
}

size_t
http_find_start(const char *buf, size_t len, bool want_request)
{
	size_t i = 0;

	while (i < len) {
		if (could_start(buf + i, len - i, want_request))
			return i;
		const char *nl = memchr(buf + i, '\n', len - i);
		if (nl == NULL)
			break;
		i = (size_t)(nl - buf) + 1;
	}
	return len;
}
