/*
 * filter_lex.c - the display-filter tokenizer (see filter_impl.h).
 *
 * Like Wireshark's scanner, an unquoted run of [A-Za-z0-9_.:/-] is one
 * "word" whatever it means (field name, number, address, CIDR, bare
 * string): what it is depends on the field it is compared with, which the
 * checker knows and the lexer does not.  ".." ends a word so that
 * {80..90} is three tokens.  Keywords are lower case, as in Wireshark.
 *
 * Every byte of the text is looked at through lx->pos < lx->len: the text
 * need not be NUL-terminated.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "capture/filter_impl.h"
#include "http/url.h"

int
filter_seterr(struct filter_error *err, size_t off, size_t len,
	      const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->offset = off;
	err->len = len;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
filter_show(const char *text, size_t off, size_t len, char *buf, size_t size)
{
	size_t o = 0, max = len > 60 ? 57 : len;

	for (size_t i = 0; i < max && o + 5 < size; i++) {
		unsigned char c = (unsigned char)text[off + i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (max < len && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

void
lex_init(struct lexer *lx, const char *text, size_t len,
	 struct filter_error *err)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
	lx->err = err;
}

static bool
is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
	       c == '/' || c == '-';
}

static bool
at(const struct lexer *lx, size_t i, char c)
{
	return lx->pos + i < lx->len && lx->text[lx->pos + i] == c;
}

/* Words that are operators, Wireshark's spellings. */
static const struct {
	const char *word;
	enum tok_kind kind;
	enum filter_op op;
} keywords[] = {
	{ "and", TK_AND, 0 }, { "or", TK_OR, 0 }, { "not", TK_NOT, 0 },
	{ "in", TK_IN, 0 },
	{ "eq", TK_CMP, OP_EQ }, { "any_eq", TK_CMP, OP_EQ },
	{ "ne", TK_CMP, OP_NE }, { "all_ne", TK_CMP, OP_NE },
	{ "all_eq", TK_CMP, OP_ALL_EQ }, { "any_ne", TK_CMP, OP_ANY_NE },
	{ "lt", TK_CMP, OP_LT }, { "le", TK_CMP, OP_LE },
	{ "gt", TK_CMP, OP_GT }, { "ge", TK_CMP, OP_GE },
	{ "contains", TK_CONTAINS, OP_CONTAINS },
	{ "bitwise_and", TK_CMP, OP_BITAND },
	{ "matches", TK_MATCHES, OP_MATCHES },
};

static void
lex_word(struct lexer *lx, struct tok *t)
{
	const char *w = lx->text + lx->pos;
	size_t n = 0;

	while (lx->pos + n < lx->len && is_word((unsigned char)w[n]) &&
	       !(w[n] == '.' && lx->pos + n + 1 < lx->len && w[n + 1] == '.'))
		n++;
	t->kind = TK_WORD;
	t->len = n;
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
		if (strlen(keywords[i].word) == n &&
		    memcmp(keywords[i].word, w, n) == 0) {
			t->kind = keywords[i].kind;
			t->op = keywords[i].op;
		}
	}
}

/* From an opening quote at pos + skip: the length through the closing
 * quote, or 0 when the text ends first. */
static size_t
lex_quoted(const struct lexer *lx, size_t skip)
{
	for (size_t i = lx->pos + skip + 1; i < lx->len; i++) {
		if (lx->text[i] == '\\')
			i++;
		else if (lx->text[i] == '"')
			return i + 1 - lx->pos;
	}
	return 0;
}

/* A byte nothing starts with: the whole UTF-8 sequence it begins. */
static void
lex_bad(struct lexer *lx, struct tok *t)
{
	unsigned char c = (unsigned char)lx->text[lx->pos];
	size_t n = 1;
	char show[80];

	if (c >= 0xc0)
		while (n < 4 && lx->pos + n < lx->len &&
		       ((unsigned char)lx->text[lx->pos + n] & 0xc0) == 0x80)
			n++;
	t->kind = TK_BAD;
	t->len = n;
	filter_seterr(lx->err, t->off, n, "\"%s\" was unexpected in this context.",
		      filter_show(lx->text, t->off, n, show, sizeof show));
}

/* Operators made of punctuation; false when c starts none. */
static bool
lex_punct(struct lexer *lx, struct tok *t)
{
	static const struct {
		const char *s;
		enum tok_kind kind;
		enum filter_op op;
	} ops[] = {	/* longest first */
		{ "===", TK_CMP, OP_ALL_EQ }, { "!==", TK_CMP, OP_ANY_NE },
		{ "==", TK_CMP, OP_EQ }, { "!=", TK_CMP, OP_NE },
		{ "<=", TK_CMP, OP_LE }, { ">=", TK_CMP, OP_GE },
		{ "&&", TK_AND, 0 }, { "||", TK_OR, 0 }, { "..", TK_DOTDOT, 0 },
		{ "&", TK_CMP, OP_BITAND },
		{ "<", TK_CMP, OP_LT }, { ">", TK_CMP, OP_GT },
		{ "!", TK_NOT, 0 }, { "~", TK_MATCHES, OP_MATCHES },
		{ "(", TK_LPAREN, 0 }, { ")", TK_RPAREN, 0 },
		{ "{", TK_LBRACE, 0 }, { "}", TK_RBRACE, 0 },
		{ ",", TK_COMMA, 0 }, { "[", TK_LBRACKET, 0 },
		{ "]", TK_RBRACKET, 0 },
	};

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].s);

		if (lx->len - lx->pos >= n &&
		    memcmp(lx->text + lx->pos, ops[i].s, n) == 0) {
			t->kind = ops[i].kind;
			t->op = ops[i].op;
			t->len = n;
			return true;
		}
	}
	return false;
}

static struct tok
lex_scan(struct lexer *lx)
{
	struct tok t = { TK_EOF, OP_EQ, 0, 0 };

	while (lx->pos < lx->len && strchr(" \t\n\r\f\v", lx->text[lx->pos]) &&
	       lx->text[lx->pos] != '\0')
		lx->pos++;
	t.off = lx->pos;
	if (lx->pos >= lx->len)
		return t;
	if (at(lx, 0, '"') || (at(lx, 0, 'r') && at(lx, 1, '"'))) {
		size_t skip = at(lx, 0, 'r') ? 1 : 0;

		t.kind = TK_STRING;
		t.len = lex_quoted(lx, skip);
		if (t.len == 0) {
			t.kind = TK_BAD;
			t.len = lx->len - lx->pos;
			filter_seterr(lx->err, lx->len, 1, "The final quote was "
				      "missing from a quoted string.");
		}
	} else if (lex_punct(lx, &t)) {
		;
	} else if (is_word((unsigned char)lx->text[lx->pos])) {
		lex_word(lx, &t);
	} else {
		lex_bad(lx, &t);
	}
	return t;
}

struct tok
lex_next(struct lexer *lx)
{
	struct tok t = lex_scan(lx);

	lx->pos = t.off + t.len;
	return t;
}

struct tok
lex_peek(struct lexer *lx)
{
	size_t pos = lx->pos;
	struct tok t = lex_scan(lx);

	lx->pos = pos;
	return t;
}

/* \uXXXX or \UXXXXXXXX at s[0..n): appends UTF-8 to out, or -1. */
static int
esc_unicode(const char *s, size_t n, size_t digits, char *out, size_t *o)
{
	unsigned long cp = 0;

	if (n < 2 + digits)
		return -1;
	for (size_t i = 0; i < digits; i++) {
		int h = http_hex_digit((unsigned char)s[2 + i]);

		if (h < 0)
			return -1;
		cp = cp << 4 | (unsigned long)h;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
	return (int)(2 + digits);
}

/* One escape at s[0] == '\\' with n bytes left (n >= 2): its length in
 * the text, or -1 (err set, off is s's offset in the text). */
static int
esc_one(const struct lexer *lx, size_t off, const char *s, size_t n,
	char *out, size_t *o)
{
	static const char simple[] = "\\\\\"\"''??a\ab\bf\fn\nr\rt\tv\v";
	char show[80];
	size_t i, v;

	for (i = 0; simple[i]; i += 2)
		if (s[1] == simple[i]) {
			out[(*o)++] = simple[i + 1];
			return 2;
		}
	if (s[1] == 'x' && n > 2 && http_hex_digit((unsigned char)s[2]) >= 0) {
		v = (size_t)http_hex_digit((unsigned char)s[2]);
		i = 3;
		if (n > 3 && http_hex_digit((unsigned char)s[3]) >= 0)
			v = v << 4 | (size_t)http_hex_digit((unsigned char)s[i++]);
		out[(*o)++] = (char)v;
		return (int)i;
	}
	if (s[1] >= '0' && s[1] <= '7') {
		for (v = 0, i = 1; i < 4 && i < n && s[i] >= '0' && s[i] <= '7'; i++)
			v = v * 8 + (size_t)(s[i] - '0');
		if (v <= 0xff) {
			out[(*o)++] = (char)v;
			return (int)i;
		}
	} else if (s[1] == 'u' || s[1] == 'U') {
		size_t digits = s[1] == 'u' ? 4 : 8;
		int r = esc_unicode(s, n, digits, out, o);

		if (r > 0)
			return r;
		i = 2;
		while (i < n && i < 2 + digits && http_hex_digit((unsigned char)s[i]) >= 0)
			i++;
		return filter_seterr(lx->err, off, i, "%s is not a valid "
				     "universal character name",
				     filter_show(s, 0, i, show, sizeof show));
	}
	i = 2;
	while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;	/* the whole UTF-8 character after the backslash */
	if (s[1] >= '0' && s[1] <= '7')
		i = 4;
	return filter_seterr(lx->err, off, i, "%s is not a valid character "
			     "escape sequence",
			     filter_show(s, 0, i, show, sizeof show));
}

int
lex_string(const struct lexer *lx, const struct tok *t, char **out,
	   size_t *outlen)
{
	bool raw = lx->text[t->off] == 'r';
	size_t start = t->off + (raw ? 2 : 1), end = t->off + t->len - 1;
	size_t o = 0;
	char *s = malloc(t->len + 1);

	if (s == NULL)
		return filter_seterr(lx->err, t->off, t->len, "Out of memory.");
	for (size_t i = start; i < end;) {
		int n;

		if (lx->text[i] != '\\' || raw) {
			if (raw && lx->text[i] == '\\')
				s[o++] = lx->text[i++];	/* keeps \" whole */
			s[o++] = lx->text[i++];
			continue;
		}
		n = esc_one(lx, i, lx->text + i, end - i, s, &o);
		if (n < 0) {
			free(s);
			return -1;
		}
		i += (size_t)n;
	}
	s[o] = '\0';
	*out = realloc(s, o + 1);	/* exact: sanitizers see over-reads */
	if (*out == NULL)
		*out = s;
	*outlen = o;
	return 0;
}
