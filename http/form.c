/*
 * form.c - request body formats into spans (see form.h).
 *
 * application/x-www-form-urlencoded: "a=1&b=x+y&&c" is split on '&' into
 * still-encoded name/value spans; empty pairs are skipped.
 *
 * multipart/form-data (RFC 7578 over RFC 2046 §5.1.1):
 *
 *   preamble CRLF
 *   --boundary [LWSP] CRLF  part-headers CRLF  part-body
 *   CRLF --boundary [LWSP] CRLF  part-headers CRLF  part-body
 *   CRLF --boundary-- epilogue
 *
 * A delimiter is "--boundary" at the start of the body or right after a
 * line break, followed by optional whitespace and a line break, or by
 * "--" for the closing one; "--boundaryX" is body text.  Bare LF is
 * accepted wherever CRLF is expected (lenient).  Nothing is copied: part
 * spans point into the body.
 *
 * Depends on buf.h and header.h (parameter lookup).
 */
#include <string.h>

#include "form.h"
#include "header.h"

bool
http_form_next(struct span *rest, struct span *name, struct span *value)
{
	while (rest->len > 0) {
		const char *amp = memchr(rest->p, '&', rest->len);
		size_t n = amp ? (size_t)(amp - rest->p) : rest->len;
		struct span pair = { rest->p, n };
		const char *eq;

		rest->p += amp ? n + 1 : n;
		rest->len -= amp ? n + 1 : n;
		if (n == 0)
			continue;
		eq = memchr(pair.p, '=', pair.len);
		if (eq) {
			*name = (struct span){ pair.p, (size_t)(eq - pair.p) };
			*value = (struct span){ eq + 1,
						pair.len - name->len - 1 };
		} else {
			*name = pair;
			*value = SPAN_NULL;
		}
		return true;
	}
	return false;
}

bool
http_multipart_boundary(struct span content_type, struct span *boundary)
{
	struct span b;

	if (!span_istarts(http_media_type(content_type), "multipart/") ||
	    !http_param_find(content_type, "boundary", &b))
		return false;
	/* RFC 2046 §5.1.1: 1 to 70 characters, none of them controls */
	if (b.len == 0 || b.len > 70)
		return false;
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
			return false;
	*boundary = b;
	return true;
}

void
http_multipart_init(struct http_multipart *m, struct span body,
		    struct span boundary)
{
	memset(m, 0, sizeof *m);
	m->body = body;
	m->boundary = boundary;
	if (!body.p || !boundary.p || boundary.len == 0)
		m->malformed = true;
}

/*
 * Is there a delimiter at body offset i (a line start)?  Returns the
 * offset just past its line break (or past "--" for the closing one,
 * setting *close), or 0 when there is none.
 */
static size_t
form_delim_at(const struct http_multipart *m, size_t i, bool *close)
{
	struct span s = m->body, b = m->boundary;

	*close = false;
	if (s.len - i < b.len + 2 || s.p[i] != '-' || s.p[i + 1] != '-' ||
	    memcmp(s.p + i + 2, b.p, b.len) != 0)
		return 0;
	i += b.len + 2;
	if (s.len - i >= 2 && s.p[i] == '-' && s.p[i + 1] == '-') {
		*close = true;
		return i + 2;
	}
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	if (i < s.len && s.p[i] == '\r')
		i++;
	if (i < s.len && s.p[i] == '\n')
		return i + 1;
	return 0;
}

/*
 * Find the next delimiter at or after line start from (0 or just past a
 * LF).  Sets *at to where the delimiter line starts and returns what
 * form_delim_at returned, or 0 when there is none.
 */
static size_t
form_find_delim(const struct http_multipart *m, size_t from, size_t *at,
		bool *close)
{
	struct span s = m->body;
	size_t i = from;

	*close = false;
	while (i < s.len) {
		size_t end = form_delim_at(m, i, close);
		const char *lf;

		if (end) {
			*at = i;
			return end;
		}
		lf = memchr(s.p + i, '\n', s.len - i);
		if (!lf)
			break;
		i = (size_t)(lf - s.p) + 1;
	}
	return 0;
}

/* One part header line: pick out what struct http_part names. */
static bool
form_part_header(struct span line, struct http_part *part)
{
	const char *colon = memchr(line.p, ':', line.len);
	struct span name, value;

	if (!colon || colon == line.p)
		return false;
	name = span_trim((struct span){ line.p, (size_t)(colon - line.p) });
	value = span_trim((struct span){ colon + 1, (size_t)(line.p +
						line.len - colon - 1) });
	if (span_ieq(name, "content-disposition")) {
		http_param_find(value, "name", &part->name);
		http_param_find(value, "filename", &part->filename);
	} else if (span_ieq(name, "content-type")) {
		part->content_type = value;
	}
	return true;
}

/*
 * Read the part header block at m->pos up to its blank line.  Returns the
 * offset of the body, or 0 when the block is malformed or never ends.
 */
static size_t
form_part_headers(struct http_multipart *m, struct http_part *part)
{
	struct span s = m->body;
	size_t i = m->pos;

	while (i < s.len) {
		const char *lf = memchr(s.p + i, '\n', s.len - i);
		size_t end, len;

		if (!lf)
			return 0;
		end = (size_t)(lf - s.p);
		len = end - i;
		if (len > 0 && s.p[end - 1] == '\r')
			len--;
		if (len == 0) {
			part->headers = (struct span){ s.p + m->pos,
						       i - m->pos };
			return end + 1;
		}
		if (!form_part_header((struct span){ s.p + i, len }, part))
			return 0;
		i = end + 1;
	}
	return 0;
}

bool
http_multipart_next(struct http_multipart *m, struct http_part *part)
{
	size_t at, next, body, end;
	bool close;

	memset(part, 0, sizeof *part);
	if (m->done || m->malformed)
		return false;
	if (m->pos == 0) {			/* skip the preamble */
		next = form_find_delim(m, 0, &at, &close);
		if (!next || close) {
			m->malformed = !next;
			m->done = close;	/* "--b--": no parts */
			return false;
		}
		m->pos = next;
	}
	body = form_part_headers(m, part);
	next = body ? form_find_delim(m, body, &at, &close) : 0;
	if (!next) {
		memset(part, 0, sizeof *part);
		m->malformed = true;
		return false;
	}
	/* the line break before the delimiter belongs to the delimiter */
	end = at;
	if (end > body && m->body.p[end - 1] == '\n')
		end--;
	if (end > body && m->body.p[end - 1] == '\r')
		end--;
	part->body = (struct span){ m->body.p + body, end - body };
	m->pos = next;
	m->done = close;
	return true;
}
