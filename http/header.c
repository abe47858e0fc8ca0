/*
 * header.c - looking things up in a parsed head (see header.h).
 *
 * Works on the spans the parser left in struct http_msg; never copies,
 * never allocates.  List and parameter syntax follow RFC 9110 §5.6:
 * comma-separated lists with optional whitespace and empty elements,
 * "; name=value" parameters whose value is a token or a quoted-string.
 * Quoted-strings are skipped as a unit so a comma or semicolon inside one
 * never splits an element.
 *
 * Depends only on buf.h and parse.h (for the struct).
 */
#include <string.h>

#include "header.h"

static bool
header_is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Index just past the quoted-string starting at s.p[i] (a '"'), or
 * s.len when it is unterminated; *closed says which.
 */
static size_t
header_skip_quoted(struct span s, size_t i, bool *closed)
{
	for (i++; i < s.len; i++) {
		if (s.p[i] == '\\' && i + 1 < s.len) {
			i++;
			continue;
		}
		if (s.p[i] == '"') {
			*closed = true;
			return i + 1;
		}
	}
	*closed = false;
	return s.len;
}

/* Offset of the first sep outside quoted-strings, or s.len. */
static size_t
header_find_sep(struct span s, char sep)
{
	size_t i = 0;
	bool closed;

	while (i < s.len) {
		if (s.p[i] == '"')
			i = header_skip_quoted(s, i, &closed);
		else if (s.p[i] == sep)
			return i;
		else
			i++;
	}
	return s.len;
}

const struct http_header *
http_header_next(const struct http_msg *msg, const char *name,
		 const struct http_header *prev)
{
	size_t i = 0;

	if (!msg || !msg->headers || !name)
		return NULL;
	if (prev) {
		if (prev < msg->headers || prev >= msg->headers + msg->nheaders)
			return NULL;
		i = (size_t)(prev - msg->headers) + 1;
	}
	for (; i < msg->nheaders; i++)
		if (span_ieq(msg->headers[i].name, name))
			return &msg->headers[i];
	return NULL;
}

const struct http_header *
http_header_find(const struct http_msg *msg, const char *name)
{
	return http_header_next(msg, name, NULL);
}

struct span
http_header_value(const struct http_msg *msg, const char *name)
{
	const struct http_header *h = http_header_find(msg, name);

	return h ? h->value : SPAN_NULL;
}

bool
http_list_next(struct span *rest, struct span *item)
{
	while (rest->len > 0) {
		size_t n = header_find_sep(*rest, ',');
		struct span el = span_trim((struct span){ rest->p, n });

		if (n < rest->len) {
			rest->p += n + 1;
			rest->len -= n + 1;
		} else {
			rest->p += n;
			rest->len = 0;
		}
		if (el.len > 0) {
			*item = el;
			return true;
		}
	}
	*item = SPAN_NULL;
	return false;
}

bool
http_header_has_token(const struct http_msg *msg, const char *name,
		      const char *token)
{
	const struct http_header *h = NULL;

	while ((h = http_header_next(msg, name, h)) != NULL) {
		struct span rest = h->value, item;

		while (http_list_next(&rest, &item)) {
			/* "gzip;q=1" names gzip: compare the part before
			 * any parameters */
			item.len = header_find_sep(item, ';');
			if (span_ieq(span_trim(item), token))
				return true;
		}
	}
	return false;
}

/*
 * Read one "; name=value" parameter from v (positioned at the ';').
 * Sets *name and *val (quotes excluded) and returns bytes used, or 0 when
 * the rest is malformed (unterminated quoted-string).
 */
static size_t
header_read_param(struct span v, struct span *name, struct span *val)
{
	size_t i = 1, start, eq;
	bool closed;

	while (i < v.len && header_is_ows(v.p[i]))
		i++;
	start = i;
	while (i < v.len && v.p[i] != '=' && v.p[i] != ';')
		i++;
	*name = span_trim((struct span){ v.p + start, i - start });
	*val = SPAN_NULL;
	if (i == v.len || v.p[i] == ';')
		return i;
	eq = ++i;
	while (i < v.len && header_is_ows(v.p[i]))
		i++;
	if (i < v.len && v.p[i] == '"') {
		size_t end = header_skip_quoted(v, i, &closed);
		if (!closed)
			return 0;
		*val = (struct span){ v.p + i + 1, end - i - 2 };
		i = end;
		while (i < v.len && v.p[i] != ';')
			i++;
		return i;
	}
	while (i < v.len && v.p[i] != ';')
		i++;
	*val = span_trim((struct span){ v.p + eq, i - eq });
	return i;
}

bool
http_param_find(struct span value, const char *param, struct span *out)
{
	size_t i;

	if (!value.p || !param)
		return false;
	i = header_find_sep(value, ';');
	while (i < value.len) {
		struct span rest = { value.p + i, value.len - i }, name, val;
		size_t used = header_read_param(rest, &name, &val);

		if (used == 0)
			return false;
		if (val.p && span_ieq(name, param)) {
			*out = val;
			return true;
		}
		i += used;
	}
	return false;
}

struct span
http_media_type(struct span content_type)
{
	size_t i = 0;

	if (!content_type.p)
		return SPAN_NULL;
	while (i < content_type.len && content_type.p[i] != ';')
		i++;
	return span_trim((struct span){ content_type.p, i });
}
