/*
 * json.c - JSON writer and validator (see json.h).  No allocation beyond
 * the caller's buf; nesting is bounded by JSON_MAX_DEPTH when writing and
 * by a depth limit when validating (hostile bodies cannot recurse deep).
 */
#include <stdio.h>
#include <string.h>

#include "lib/json.h"

void
json_init(struct json *j, struct buf *b, bool pretty)
{
	memset(j, 0, sizeof *j);
	j->b = b;
	j->pretty = pretty;
}

static void
json_newline(struct json *j)
{
	if (!j->pretty)
		return;
	buf_puts(j->b, "\n");
	for (int i = 0; i < j->depth; i++)
		buf_puts(j->b, "  ");
}

/* Comma and indentation before a value or key. */
static void
json_pre(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth - 1])
			buf_puts(j->b, j->pretty ? "," : ", ");
		j->first[j->depth - 1] = false;
		json_newline(j);
	}
}

static void
json_open(struct json *j, char open, char close)
{
	json_pre(j);
	buf_append(j->b, &open, 1);
	if (j->depth < JSON_MAX_DEPTH) {
		j->first[j->depth] = true;
		j->close[j->depth] = close;
		j->depth++;
	}
}

void
json_obj(struct json *j)
{
	json_open(j, '{', '}');
}

void
json_arr(struct json *j)
{
	json_open(j, '[', ']');
}

void
json_end(struct json *j)
{
	if (j->depth == 0)
		return;
	j->depth--;
	if (!j->first[j->depth])
		json_newline(j);
	buf_append(j->b, &j->close[j->depth], 1);
}

void
json_key_span(struct json *j, struct span k)
{
	json_pre(j);
	json_escape(j->b, k);
	buf_puts(j->b, ": ");
	j->after_key = true;
}

void
json_key(struct json *j, const char *k)
{
	json_key_span(j, span_from(k));
}

void
json_str(struct json *j, struct span s)
{
	json_pre(j);
	json_escape(j->b, s);
}

void
json_cstr(struct json *j, const char *s)
{
	if (!s)
		json_null(j);
	else
		json_str(j, span_from(s));
}

void
json_int(struct json *j, long long v)
{
	json_pre(j);
	buf_printf(j->b, "%lld", v);
}

void
json_bool(struct json *j, bool v)
{
	json_pre(j);
	buf_puts(j->b, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	json_pre(j);
	buf_puts(j->b, "null");
}

void
json_raw(struct json *j, struct span s)
{
	json_pre(j);
	buf_append(j->b, s.p, s.len);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t
json_utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned min, cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, min = 0x80, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, min = 0x800, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, min = 0x10000, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool
json_utf8_valid(struct span s)
{
	const unsigned char *p = (const unsigned char *)s.p;

	for (size_t i = 0, u; i < s.len; i += u)
		if ((u = json_utf8_len(p + i, s.len - i)) == 0)
			return false;
	return true;
}

/* \uXXXX for the valid UTF-8 sequence of u bytes at p (a surrogate
 * pair above U+FFFF), as Python's json.dumps writes it */
static int
escape_code_point(struct buf *b, const unsigned char *p, size_t u)
{
	unsigned long c = u == 2 ? p[0] & 0x1f : u == 3 ? p[0] & 0x0f : p[0] & 0x07;

	for (size_t k = 1; k < u; k++)
		c = c << 6 | (p[k] & 0x3f);
	if (c < 0x10000)
		return buf_printf(b, "\\u%04lx", c);
	c -= 0x10000;
	return buf_printf(b, "\\u%04lx\\u%04lx", 0xd800 + (c >> 10),
			  0xdc00 + (c & 0x3ff));
}

static int
escape(struct buf *b, struct span s, bool ascii)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, run = 0;
	int err;

	if (s.len == 0)		/* s.p may be null */
		return buf_puts(b, "\"\"") < 0 ? -1 : 0;
	err = buf_puts(b, "\"");
	while (i < s.len) {
		unsigned char ch = p[i];
		size_t u = json_utf8_len(p + i, s.len - i);

		if (ch >= 0x20 && ch != '"' && ch != '\\' && u > 0 &&
		    !(ascii && ch >= 0x7f)) {
			i += u;
			run += u;
			continue;
		}
		if (ascii && u > 1) {
			err |= buf_append(b, p + i - run, run);
			run = 0;
			err |= escape_code_point(b, p + i, u);
			i += u;
			continue;
		}
		if (ascii && ch == 0x7f) {	/* Python escapes DEL too */
			err |= buf_append(b, p + i - run, run);
			run = 0;
			err |= buf_puts(b, "\\u007f");
			i++;
			continue;
		}
		err |= buf_append(b, p + i - run, run);
		run = 0;
		switch (ch) {
		case '"': err |= buf_puts(b, "\\\""); break;
		case '\\': err |= buf_puts(b, "\\\\"); break;
		case '\n': err |= buf_puts(b, "\\n"); break;
		case '\r': err |= buf_puts(b, "\\r"); break;
		case '\t': err |= buf_puts(b, "\\t"); break;
		case '\b': err |= buf_puts(b, "\\b"); break;
		case '\f': err |= buf_puts(b, "\\f"); break;
		default:
			if (ch < 0x20)
				err |= buf_printf(b, "\\u%04x", ch);
			else
				err |= buf_puts(b, "\\ufffd");
		}
		i++;
	}
	err |= buf_append(b, p + i - run, run);
	err |= buf_puts(b, "\"");
	return err < 0 ? -1 : 0;
}

int
json_escape(struct buf *b, struct span s)
{
	return escape(b, s, false);
}

int
json_escape_ascii(struct buf *b, struct span s)
{
	return escape(b, s, true);
}

/* ---- validation: a recursive descent over a cursor ---- */

struct json_cur {
	const char *p, *end;
	int depth;
};

static void
json_ws(struct json_cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool
json_lit(struct json_cur *c, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool
json_digits(struct json_cur *c)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s;
}

static bool
json_number(struct json_cur *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!json_digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!json_digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!json_digits(c))
			return false;
	}
	return true;
}

static bool
json_string(struct json_cur *c)
{
	c->p++;			/* opening quote */
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p;

		if (ch == '"') {
			c->p++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			if (++c->p >= c->end)
				return false;
			if (*c->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (c->p + i >= c->end ||
					    !strchr("0123456789abcdefABCDEF",
						    c->p[i]) || !c->p[i])
						return false;
				c->p += 5;
			} else if (strchr("\"\\/bfnrt", *c->p) && *c->p) {
				c->p++;
			} else {
				return false;
			}
			continue;
		}
		size_t u = json_utf8_len((const unsigned char *)c->p,
					 (size_t)(c->end - c->p));
		if (u == 0)
			return false;
		c->p += u;
	}
	return false;
}

static bool json_value(struct json_cur *c);

static bool
json_container(struct json_cur *c, char close, bool object)
{
	if (++c->depth > JSON_VALID_MAX_DEPTH)
		return false;
	c->p++;
	json_ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return true;
	}
	for (;;) {
		if (object) {
			json_ws(c);
			if (c->p >= c->end || *c->p != '"' || !json_string(c))
				return false;
			json_ws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return false;
		}
		if (!json_value(c))
			return false;
		json_ws(c);
		if (c->p >= c->end)
			return false;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p++ != close)
			return false;
		c->depth--;
		return true;
	}
}

static bool
json_value(struct json_cur *c)
{
	json_ws(c);
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '{': return json_container(c, '}', true);
	case '[': return json_container(c, ']', false);
	case '"': return json_string(c);
	case 't': return json_lit(c, "true");
	case 'f': return json_lit(c, "false");
	case 'n': return json_lit(c, "null");
	default: return json_number(c);
	}
}

bool
json_valid(struct span s)
{
	struct json_cur c = { s.p, s.p + s.len, 0 };

	if (!s.p || !json_value(&c))
		return false;
	json_ws(&c);
	return c.p == c.end;
}
