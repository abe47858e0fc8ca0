/*
 * parse.c - HTTP/1.x message heads (RFC 9112 §2-§6).
 *
 * One pass over the lines of a head fills struct http_msg with spans into
 * the caller's buffer; nothing is allocated or copied.  Both modes share
 * the same code: where RFC 9112 says a recipient must reject something,
 * bad() fails the parse in strict mode and records a warning and goes on
 * in lenient mode.  What can't be read even leniently (no start line at
 * all) is an error in both, and the sniffer resynchronises with
 * http_find_start().
 *
 * Restartable: the caller passes the length seen on the previous call and
 * the full parse is skipped while no new line (and no control byte) has
 * arrived; limits are still enforced on every call.
 *
 * Body framing (RFC 9112 §6.3) is decided here; body bytes are decoded by
 * body.c.  Depends only on http/buf.h and http/header.c's list reader.
 */
#include <stdio.h>
#include <string.h>

#include "header.h"
#include "parse.h"

#define WHY_CRLF "HTTP/1.1 requires CRLF (RFC 9112 §2.2)"
#define WHY_VALUE "field values must not contain CR, LF, NUL or other controls (RFC 9110 §5.5)"
#define WHY_CL "Content-Length is one decimal number (RFC 9110 §8.6)"
#define WHY_HOST "an HTTP/1.1 request needs exactly one Host (RFC 9112 §3.2)"
#define WHY_REQLINE "a request line is method SP target SP version (RFC 9112 §3)"
#define WHY_TARGET "targets are origin, absolute, authority or asterisk form (RFC 9112 §3.2)"

/* token characters (RFC 9110 §5.6.2) */
static const char tchar_extra[] = "!#$%&'*+-.^_`|~";

static bool
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr(tchar_extra, c) != NULL;
}

static bool
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool
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

static int
fail(struct pctx *c, int status, size_t off, const char *what,
     const char *why)
{
	c->err->status = status;
	c->err->offset = off;
	c->err->what = what;
	c->err->why = why;
	return HTTP_ERROR;
}

/* Something RFC 9112 says to reject: fail when strict, note when lenient. */
static int
bad(struct pctx *c, unsigned warn, int status, size_t off, const char *what,
    const char *why)
{
	if (c->mode == HTTP_STRICT)
		return fail(c, status, off, what, why);
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
		if (bad(c, HTTP_WARN_BARE_LF, 400, lf, "bare LF line ending",
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
		return fail(c, 400, s, "malformed HTTP version",
			    "HTTP-version is HTTP/DIGIT.DIGIT (RFC 9112 §2.3)");
	c->msg->major = p[5] - '0';
	c->msg->minor = p[7] - '0';
	if (c->msg->major != 1 && (request || c->mode == HTTP_STRICT))
		return fail(c, 505, s + 5, "unsupported HTTP version",
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
			if (bad(c, HTTP_WARN_BAD_START_LINE, 400, s + i,
				"invalid character in request target",
				WHY_TARGET) < 0)
				return HTTP_ERROR;
			break;
		}
	}
	if (span_eq(m->method, "CONNECT")) {
		if (memchr(t, ':', n) == NULL || t[0] == '/')
			return bad(c, HTTP_WARN_BAD_START_LINE, 400, s,
				   "invalid request target",
				   "CONNECT takes host:port (RFC 9110 §9.3.6)");
		return 0;
	}
	if (t[0] == '/')
		return 0;
	if (n == 1 && t[0] == '*') {
		if (span_eq(m->method, "OPTIONS"))
			return 0;
		return bad(c, HTTP_WARN_BAD_START_LINE, 400, s,
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
	return bad(c, HTTP_WARN_BAD_START_LINE, 400, s,
		   "invalid request target", WHY_TARGET);
}

/* skip the SP between request-line parts; extra SP only when lenient */
static int
skip_sp(struct pctx *c, size_t *i, size_t e)
{
	if (*i >= e || c->buf[*i] != ' ')
		return fail(c, 400, *i, "malformed request line", WHY_REQLINE);
	(*i)++;
	if (*i < e && (c->buf[*i] == ' ' || c->buf[*i] == '\t')) {
		if (bad(c, HTTP_WARN_BAD_START_LINE, 400, *i,
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
		return fail(c, 400, i, "invalid character in method",
			    "a method is a token (RFC 9110 §9.1)");
	m->method = (struct span){ c->buf + s, i - s };
	if (skip_sp(c, &i, e) < 0)
		return HTTP_ERROR;
	t = i;
	while (i < e && c->buf[i] != ' ')
		i++;
	if (i == t)
		return fail(c, 400, t, "missing request target", WHY_REQLINE);
	m->target = (struct span){ c->buf + t, i - t };
	if (check_target(c, t, i) < 0)
		return HTTP_ERROR;
	if (i == e)
		return fail(c, 400, i, "missing HTTP version", WHY_REQLINE);
	if (skip_sp(c, &i, e) < 0)
		return HTTP_ERROR;
	while (e > i && (c->buf[e - 1] == ' ' || c->buf[e - 1] == '\t')) {
		if (bad(c, HTTP_WARN_BAD_START_LINE, 400, e - 1,
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
		return fail(c, 400, s, "malformed status line",
			    "a status line is HTTP/1.1 SP code SP reason "
			    "(RFC 9112 §4)");
	if (parse_version(c, s, s + 8, false) < 0)
		return HTTP_ERROR;
	i = s + 8;
	if (p[8] != ' ')
		return fail(c, 400, i, "malformed status line",
			    "a status line is HTTP/1.1 SP code SP reason "
			    "(RFC 9112 §4)");
	i++;
	if (!is_digit(c->buf[i]) || !is_digit(c->buf[i + 1]) ||
	    !is_digit(c->buf[i + 2]) || c->buf[i] == '0')
		return fail(c, 400, i, "invalid status code",
			    "a status code is three digits (RFC 9110 §15)");
	m->status = (c->buf[i] - '0') * 100 + (c->buf[i + 1] - '0') * 10 +
		    (c->buf[i + 2] - '0');
	i += 3;
	if (i == e) {
		m->reason = (struct span){ c->buf + i, 0 };
		return 0;
	}
	if (c->buf[i] != ' ')
		return fail(c, 400, i, "invalid status code",
			    "a status code is three digits (RFC 9110 §15)");
	i++;
	for (size_t k = i; k < e; k++)
		if (is_ctl((unsigned char)c->buf[k]) && c->buf[k] != '\t' &&
		    bad(c, HTTP_WARN_BAD_START_LINE, 400, k,
			"control character in reason phrase",
			"RFC 9112 §4") < 0)
			return HTTP_ERROR;
	m->reason = (struct span){ c->buf + i, e - i };
	return 0;
}

/* ---- header fields -------------------------------------------------- */

static int
note_content_length(struct pctx *c, struct span v, size_t off)
{
	struct span rest = v, item;
	int items = 0;

	/* "42" or the list form "42, 42" (RFC 9110 §8.6) */
	while (http_list_next(&rest, &item)) {
		unsigned long long val;

		items++;
		if (!span_to_u64(item, &val) || val > (1ULL << 62)) {
			bool digits = true;
			for (size_t k = 0; k < item.len; k++)
				digits &= is_digit((unsigned char)item.p[k]);
			c->cl_bad = true;
			return bad(c, HTTP_WARN_BAD_LENGTH, 400, off,
				   digits ? "Content-Length too large"
					  : "invalid Content-Length", WHY_CL);
		}
		if (c->cl_count > 0 && val != c->cl) {
			c->cl_bad = true;
			return bad(c, HTTP_WARN_BAD_LENGTH, 400, off,
				   "conflicting Content-Length values", WHY_CL);
		}
		c->cl = val;
		c->cl_count++;
	}
	if (items == 0) {
		c->cl_bad = true;
		return bad(c, HTTP_WARN_BAD_LENGTH, 400, off,
			   "invalid Content-Length", WHY_CL);
	}
	return 0;
}

static void
note_transfer_encoding(struct pctx *c, struct span v)
{
	struct span rest = v, item;
	bool any = false;

	c->te_seen = true;
	while (http_list_next(&rest, &item)) {
		/* a coding may carry parameters: "gzip;q=1" */
		for (size_t k = 0; k < item.len; k++)
			if (item.p[k] == ';' || item.p[k] == ' ') {
				item.len = k;
				break;
			}
		any = true;
		if (span_ieq(item, "chunked")) {
			if (c->te_chunked_last)
				c->te_chunked_twice = true;
			c->te_chunked_last = true;
		} else {
			c->te_chunked_last = false;
			c->te_other = true;
		}
	}
	if (!any)
		c->te_empty = true;
}

static void
note_connection(struct pctx *c, struct span v)
{
	struct span item;

	while (http_list_next(&v, &item)) {
		if (span_ieq(item, "close"))
			c->conn_close = true;
		else if (span_ieq(item, "keep-alive"))
			c->conn_keep_alive = true;
		else if (span_ieq(item, "upgrade"))
			c->conn_upgrade = true;
	}
}

static int
note_field(struct pctx *c, struct span name, struct span value, size_t off)
{
	if (span_ieq(name, "content-length"))
		return note_content_length(c, value, off);
	if (span_ieq(name, "transfer-encoding"))
		note_transfer_encoding(c, value);
	else if (span_ieq(name, "host"))
		c->host_count++;
	else if (span_ieq(name, "connection"))
		note_connection(c, value);
	else if (span_ieq(name, "upgrade"))
		c->has_upgrade = true;
	else if (span_ieq(name, "expect") && span_ieq(value, "100-continue"))
		c->msg->expect_continue = true;
	return 0;
}

/* validate a field value's bytes; lenient mode records and goes on */
static int
check_value(struct pctx *c, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++) {
		unsigned char ch = (unsigned char)c->buf[i];
		if (!is_ctl(ch) || ch == '\t')
			continue;
		return bad(c, HTTP_WARN_BAD_VALUE_CHAR, 400, i,
			   ch == 0 ? "NUL in field value" :
			   ch == '\r' ? "bare CR in field value" :
			   "control character in field value", WHY_VALUE);
	}
	return 0;
}

/* an obs-fold continuation line [s, e) of the previous field */
static int
fold_line(struct pctx *c, size_t s, size_t e)
{
	struct http_msg *m = c->msg;

	if (c->nfields == 0)
		return bad(c, HTTP_WARN_OBS_FOLD, 400, s,
			   "whitespace before the first header field",
			   "RFC 9112 §2.2 forbids it");
	if (bad(c, HTTP_WARN_OBS_FOLD, 400, s, "obsolete line folding",
		"a field value must not continue on the next line "
		"(RFC 9112 §5.2); use --lenient to accept it") < 0)
		return HTTP_ERROR;
	if (check_value(c, s, e) < 0)
		return HTTP_ERROR;
	if (c->last_stored) {		/* extend the value over the fold */
		struct http_header *h = &m->headers[m->nheaders - 1];
		struct span t = span_trim((struct span){ c->buf + s, e - s });
		if (t.len)
			h->value.len = (size_t)(t.p + t.len - h->value.p);
	}
	return 0;
}

static int
field_line(struct pctx *c, size_t s, size_t e)
{
	struct http_msg *m = c->msg;
	size_t i = s, colon;
	struct span name, value;

	if (c->buf[s] == ' ' || c->buf[s] == '\t')
		return fold_line(c, s, e);
	c->nfields++;
	c->last_stored = false;
	while (i < e && is_tchar((unsigned char)c->buf[i]))
		i++;
	name = (struct span){ c->buf + s, i - s };
	if (i < e && (c->buf[i] == ' ' || c->buf[i] == '\t')) {
		size_t k = i;
		while (k < e && (c->buf[k] == ' ' || c->buf[k] == '\t'))
			k++;
		if (k < e && c->buf[k] == ':' && i > s) {
			if (bad(c, HTTP_WARN_SPACE_BEFORE_COLON, 400, i,
				"whitespace between field name and colon",
				"RFC 9112 §5.1 forbids it") < 0)
				return HTTP_ERROR;
			i = k;
		}
	}
	if (i == e || c->buf[i] != ':' || i == s) {
		bool nocolon = memchr(c->buf + s, ':', e - s) == NULL;
		if (bad(c, HTTP_WARN_BAD_NAME, 400, i,
			nocolon ? "missing colon in header field"
				: "invalid character in field name",
			nocolon ? "a field line is name: value (RFC 9112 §5)"
				: "field names are tokens (RFC 9110 §5.1)") < 0)
			return HTTP_ERROR;
		return 0;		/* lenient: skip the line */
	}
	colon = i;
	if (check_value(c, colon + 1, e) < 0)
		return HTTP_ERROR;
	value = span_trim((struct span){ c->buf + colon + 1, e - colon - 1 });
	if (note_field(c, name, value, s) < 0)
		return HTTP_ERROR;
	if (m->nheaders == m->max_headers)
		return bad(c, HTTP_WARN_TOO_MANY_HEADERS, 431, s,
			   "too many header fields",
			   "the server's limit was reached");
	m->headers[m->nheaders].name = name;
	m->headers[m->nheaders].value = value;
	m->nheaders++;
	c->last_stored = true;
	return 0;
}

/* ---- framing (RFC 9112 §6.3) ---------------------------------------- */

static int
request_framing(struct pctx *c)
{
	struct http_msg *m = c->msg;

	if (m->minor >= 1 && c->host_count != 1 &&
	    bad(c, HTTP_WARN_HOST, 400, m->start,
		c->host_count ? "duplicate Host header" : "missing Host header",
		WHY_HOST) < 0)
		return HTTP_ERROR;
	if (c->te_seen) {
		if (c->cl_count &&
		    bad(c, HTTP_WARN_CL_AND_TE, 400, m->start,
			"both Content-Length and Transfer-Encoding",
			"a request smuggling risk (RFC 9112 §6.3)") < 0)
			return HTTP_ERROR;
		if (m->minor == 0 &&
		    bad(c, HTTP_WARN_BAD_TE, 400, m->start,
			"Transfer-Encoding in an HTTP/1.0 request",
			"HTTP/1.0 has no transfer codings (RFC 9112 §6.1)") < 0)
			return HTTP_ERROR;
		if (!c->te_chunked_last || c->te_empty) {
			if (bad(c, HTTP_WARN_BAD_TE, 400, m->start,
				"Transfer-Encoding does not end with chunked",
				"the body length cannot be known "
				"(RFC 9112 §6.3)") < 0)
				return HTTP_ERROR;
			m->framing = HTTP_FRAME_CLOSE;
			return 0;
		}
		if (c->te_chunked_twice &&
		    bad(c, HTTP_WARN_BAD_TE, 400, m->start,
			"chunked applied more than once", "RFC 9112 §6.1") < 0)
			return HTTP_ERROR;
		if (c->te_other &&
		    bad(c, HTTP_WARN_BAD_TE, 501, m->start,
			"unsupported transfer coding",
			"only chunked is decoded here (RFC 9112 §6.1)") < 0)
			return HTTP_ERROR;
		m->framing = HTTP_FRAME_CHUNKED;
		return 0;
	}
	if (c->cl_count && !c->cl_bad && c->cl > 0) {
		m->framing = HTTP_FRAME_LENGTH;
		m->content_length = c->cl;
	}
	return 0;
}

static int
response_framing(struct pctx *c, struct span req_method)
{
	struct http_msg *m = c->msg;
	int st = m->status;

	if (st == 101 || (st / 100 == 2 && span_eq(req_method, "CONNECT"))) {
		m->framing = HTTP_FRAME_TUNNEL;
		return 0;
	}
	if (span_eq(req_method, "HEAD") || st / 100 == 1 || st == 204 ||
	    st == 304) {
		if (c->cl_count && !c->cl_bad)
			m->content_length = c->cl;	/* informative only */
		return 0;
	}
	if (c->te_seen) {
		if (c->cl_count &&
		    bad(c, HTTP_WARN_CL_AND_TE, 400, m->start,
			"both Content-Length and Transfer-Encoding",
			"a response splitting risk (RFC 9112 §6.3)") < 0)
			return HTTP_ERROR;
		m->framing = c->te_chunked_last ? HTTP_FRAME_CHUNKED
						: HTTP_FRAME_CLOSE;
		return 0;
	}
	if (c->cl_count && !c->cl_bad) {
		m->content_length = c->cl;
		m->framing = c->cl ? HTTP_FRAME_LENGTH : HTTP_FRAME_NONE;
		return 0;
	}
	m->framing = HTTP_FRAME_CLOSE;
	return 0;
}

static void
set_persistence(struct pctx *c)
{
	struct http_msg *m = c->msg;

	if (m->minor >= 1 || m->major > 1)
		m->keep_alive = !c->conn_close;
	else
		m->keep_alive = c->conn_keep_alive && !c->conn_close;
	if (m->framing == HTTP_FRAME_CLOSE || m->framing == HTTP_FRAME_TUNNEL)
		m->keep_alive = false;
	m->upgrade = c->conn_upgrade && c->has_upgrade;
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
			return fail(c, 400, i, "invalid character in method",
				    "a method is a token (RFC 9110 §9.1)");
		if (n > c->lim->max_start_line)
			return fail(c, 414, s + c->lim->max_start_line,
				    "request line too long",
				    "the server's limit was reached");
	} else {
		size_t k = n < 5 ? n : 5;
		if (memcmp(c->buf + s, "HTTP/", k) != 0)
			return fail(c, 400, s, "malformed status line",
				    "a status line starts with HTTP/ "
				    "(RFC 9112 §4)");
		if (n > c->lim->max_start_line)
			return fail(c, 400, s + c->lim->max_start_line,
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
			return fail(c, 400, c->pos, "too many empty lines "
				    "before the start line", "RFC 9112 §2.2 "
				    "allows a client to send one");
		if (c->buf[c->pos] == '\r') {
			if (c->pos + 1 == c->len)
				return HTTP_INCOMPLETE;
			if (c->buf[c->pos + 1] != '\n')
				return fail(c, 400, c->pos, "bare CR",
					    WHY_CRLF);
			c->pos += 2;
		} else {
			if (bad(c, HTTP_WARN_BARE_LF, 400, c->pos,
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
			return fail(c, 400, i, c->buf[i] ? "bare CR"
				    : "NUL in start line", WHY_CRLF);
	r = request ? parse_request_line(c, s, e) : parse_status_line(c, s, e);
	if (r < 0)
		return r;

	for (;;) {
		if (c->pos > c->lim->max_head)
			return fail(c, 431, c->lim->max_head,
				    "header block too large",
				    "the server's limit was reached");
		if ((r = next_line(c, &s, &e)) < 0)
			return r;
		if (r == 0)		/* judged once the line is whole */
			return HTTP_INCOMPLETE;
		if (s == e)
			break;
		if (field_line(c, s, e) < 0)
			return HTTP_ERROR;
	}
	m->head_len = c->pos;
	if (m->head_len > c->lim->max_head)
		return fail(c, 431, c->lim->max_head, "header block too large",
			    "the server's limit was reached");
	r = request ? request_framing(c) : response_framing(c, req_method);
	if (r < 0)
		return r;
	set_persistence(c);
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
		return fail(&c, 431, lim->max_head, "header block too large",
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
