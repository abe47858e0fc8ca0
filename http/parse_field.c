/*
 * parse_field.c - field lines (RFC 9112 §5) and message framing (RFC 9112
 * §6.3) for parse.c: what each field line may hold, what Content-Length,
 * Transfer-Encoding, Host and Connection say, and how the body is
 * delimited as a result.  Strict and lenient modes differ only through
 * parse_bad().
 */
#include <ctype.h>

#include "header.h"
#include "parse_int.h"

#define WHY_VALUE "field values must not contain CR, LF, NUL or other controls (RFC 9110 §5.5)"
#define WHY_CL "Content-Length is one decimal number (RFC 9110 §8.6)"
#define WHY_HOST "an HTTP/1.1 request needs exactly one Host (RFC 9112 §3.2)"

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
			return parse_bad(c, HTTP_WARN_BAD_LENGTH, 400, off,
				   digits ? "Content-Length too large"
					  : "invalid Content-Length", WHY_CL);
		}
		if (c->cl_count > 0 && val != c->cl) {
			c->cl_bad = true;
			return parse_bad(c, HTTP_WARN_BAD_LENGTH, 400, off,
				   "conflicting Content-Length values", WHY_CL);
		}
		c->cl = val;
		c->cl_count++;
	}
	if (items == 0) {
		c->cl_bad = true;
		return parse_bad(c, HTTP_WARN_BAD_LENGTH, 400, off,
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

/*
 * Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2): a
 * reg-name of unreserved, pct-encoded and sub-delims characters, or an
 * [IP-literal]; empty is allowed.
 */
static bool
host_value_ok(struct span v)
{
	size_t i = 0;

	if (v.len && v.p[0] == '[') {
		while (++i < v.len && v.p[i] != ']')
			if (!isxdigit((unsigned char)v.p[i]) &&
			    !strchr(":.vV%-_~!$&'()*+,;=", v.p[i]))
				return false;
		if (i == v.len)
			return false;
		i++;
	} else {
		for (; i < v.len && v.p[i] != ':'; i++)
			if (!isalnum((unsigned char)v.p[i]) &&
			    !strchr("-._~%!$&'()*+,;=", v.p[i]))
				return false;
	}
	if (i == v.len)
		return true;
	if (v.p[i++] != ':')
		return false;
	for (; i < v.len; i++)
		if (!is_digit((unsigned char)v.p[i]))
			return false;
	return true;
}

static int
note_field(struct pctx *c, struct span name, struct span value, size_t off)
{
	if (span_ieq(name, "content-length"))
		return note_content_length(c, value, off);
	if (span_ieq(name, "host") && c->msg->is_request) {
		c->host_count++;
		if (!host_value_ok(value))
			return parse_bad(c, HTTP_WARN_HOST, 400, off,
					 "invalid Host header",
					 "Host is host[:port] (RFC 9112 §3.2)");
	} else if (span_ieq(name, "transfer-encoding")) {
		note_transfer_encoding(c, value);
	} else if (span_ieq(name, "connection")) {
		note_connection(c, value);
	} else if (span_ieq(name, "upgrade")) {
		c->has_upgrade = true;
	} else if (span_ieq(name, "expect") &&
		   span_ieq(value, "100-continue")) {
		c->msg->expect_continue = true;
	}
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
		return parse_bad(c, HTTP_WARN_BAD_VALUE_CHAR, 400, i,
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
		return parse_bad(c, HTTP_WARN_OBS_FOLD, 400, s,
			   "whitespace before the first header field",
			   "RFC 9112 §2.2 forbids it");
	if (parse_bad(c, HTTP_WARN_OBS_FOLD, 400, s, "obsolete line folding",
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

int
parse_field_line(struct pctx *c, size_t s, size_t e)
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
			if (parse_bad(c, HTTP_WARN_SPACE_BEFORE_COLON, 400, i,
				"whitespace between field name and colon",
				"RFC 9112 §5.1 forbids it") < 0)
				return HTTP_ERROR;
			i = k;
		}
	}
	if (i == e || c->buf[i] != ':' || i == s) {
		bool nocolon = memchr(c->buf + s, ':', e - s) == NULL;
		if (parse_bad(c, HTTP_WARN_BAD_NAME, 400, i,
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
		return parse_bad(c, HTTP_WARN_TOO_MANY_HEADERS, 431, s,
			   "too many header fields",
			   "the server's limit was reached");
	m->headers[m->nheaders].name = name;
	m->headers[m->nheaders].value = value;
	m->nheaders++;
	c->last_stored = true;
	return 0;
}

/* ---- framing (RFC 9112 §6.3) ---------------------------------------- */

int
parse_request_framing(struct pctx *c)
{
	struct http_msg *m = c->msg;

	if (m->minor >= 1 && c->host_count != 1 &&
	    parse_bad(c, HTTP_WARN_HOST, 400, m->start,
		c->host_count ? "duplicate Host header" : "missing Host header",
		WHY_HOST) < 0)
		return HTTP_ERROR;
	if (c->te_seen) {
		if (c->cl_count &&
		    parse_bad(c, HTTP_WARN_CL_AND_TE, 400, m->start,
			"both Content-Length and Transfer-Encoding",
			"a request smuggling risk (RFC 9112 §6.3)") < 0)
			return HTTP_ERROR;
		if (m->minor == 0 &&
		    parse_bad(c, HTTP_WARN_BAD_TE, 400, m->start,
			"Transfer-Encoding in an HTTP/1.0 request",
			"HTTP/1.0 has no transfer codings (RFC 9112 §6.1)") < 0)
			return HTTP_ERROR;
		if (!c->te_chunked_last || c->te_empty) {
			if (parse_bad(c, HTTP_WARN_BAD_TE, 400, m->start,
				"Transfer-Encoding does not end with chunked",
				"the body length cannot be known "
				"(RFC 9112 §6.3)") < 0)
				return HTTP_ERROR;
			m->framing = HTTP_FRAME_CLOSE;
			return 0;
		}
		if (c->te_chunked_twice &&
		    parse_bad(c, HTTP_WARN_BAD_TE, 400, m->start,
			"chunked applied more than once", "RFC 9112 §6.1") < 0)
			return HTTP_ERROR;
		if (c->te_other &&
		    parse_bad(c, HTTP_WARN_BAD_TE, 501, m->start,
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

int
parse_response_framing(struct pctx *c, struct span req_method)
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
		    parse_bad(c, HTTP_WARN_CL_AND_TE, 400, m->start,
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

void
parse_set_persistence(struct pctx *c)
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
