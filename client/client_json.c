/*
 * client_json.c - HTTPie 3's nested JSON request items: "a[b]=c",
 * "a[d][]=1", "[0]=x", "a\[b\]=c", a later item for the same path
 * replacing the earlier one, and the body written as HTTPie writes it
 * (Python's json.dumps: ", " and ": " separators, non-ASCII as \uXXXX,
 * := values parsed and written again, floats in Python's repr).
 *
 * The tree lives only while client_json_build() runs; nothing here knows
 * about libcurl or the terminal.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "lib/json.h"

enum jt { JT_NULL, JT_SCALAR, JT_OBJ, JT_ARR };

struct jv {
	enum jt t;
	char *text;		/* JT_SCALAR: the value as written out */
	struct jv **kids;
	char **keys;		/* JT_OBJ: kids' keys (UTF-8, unescaped) */
	size_t n, cap;
};

enum step_kind { ST_KEY, ST_INDEX, ST_APPEND };

struct step {
	enum step_kind kind;
	char *key;
	size_t index;
};

#define PATH_MAX_STEPS 64
#define RAW_MAX_DEPTH 256

static void
jv_free(struct jv *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jv_free(v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->text);
	free(v);
}

static struct jv *
jv_new(enum jt t)
{
	struct jv *v = calloc(1, sizeof *v);

	if (v)
		v->t = t;
	return v;
}

/* A new slot at the end of a container; NULL on ENOMEM. */
static struct jv **
jv_push(struct jv *c, const char *key)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		struct jv **k = realloc(c->kids, cap * sizeof *k);
		char **keys;
		if (k == NULL)
			return NULL;
		c->kids = k;
		if (c->t == JT_OBJ) {
			if ((keys = realloc(c->keys, cap * sizeof *keys)) == NULL)
				return NULL;
			c->keys = keys;
		}
		c->cap = cap;
	}
	if (c->t == JT_OBJ && (c->keys[c->n] = strdup(key)) == NULL)
		return NULL;
	c->kids[c->n] = NULL;
	return &c->kids[c->n++];
}

/* ---- Python-style output ---------------------------------------------- */

/* json.dumps(s) with ensure_ascii (lib/json.c does the escaping) */
static int
py_string(struct buf *b, const char *s, size_t len)
{
	return json_escape_ascii(b, (struct span){ s, len });
}

/* Python's repr() of a float: shortest round trip, ".0" on integers,
 * exponent form below 1e-4 and from 1e16 */
static void
py_float(struct buf *b, double d)
{
	char digits[40], *e;
	int prec, exp;

	if (!isfinite(d)) {
		buf_puts(b, isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(digits, sizeof digits, "%.*e", prec - 1, d);
		if (strtod(digits, NULL) == d)
			break;
	}
	e = strchr(digits, 'e');
	exp = atoi(e + 1);
	*e = 0;
	if (exp >= -4 && exp < 16) {
		char fixed[64];
		int dec = prec - 1 - exp;
		snprintf(fixed, sizeof fixed, "%.*f", dec > 0 ? dec : 0, d);
		buf_puts(b, fixed);
		if (dec <= 0)
			buf_puts(b, ".0");
		return;
	}
	/* mantissa without a trailing ".": "1e+16", "1.5e-07" */
	buf_printf(b, "%se%c%02d", digits, exp < 0 ? '-' : '+', abs(exp));
}

static void
dump(struct buf *b, const struct jv *v)
{
	if (v == NULL || v->t == JT_NULL) {
		buf_puts(b, "null");
		return;
	}
	if (v->t == JT_SCALAR) {
		buf_puts(b, v->text);
		return;
	}
	buf_puts(b, v->t == JT_OBJ ? "{" : "[");
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			buf_puts(b, ", ");
		if (v->t == JT_OBJ) {
			py_string(b, v->keys[i], strlen(v->keys[i]));
			buf_puts(b, ": ");
		}
		dump(b, v->kids[i]);
	}
	buf_puts(b, v->t == JT_OBJ ? "}" : "]");
}

/* ---- := values: parse, to be written again as Python would ------------- */

struct rd {
	const char *p, *end;
	int depth;
};

static void
skip_ws(struct rd *r)
{
	while (r->p < r->end && strchr(" \t\r\n", *r->p))
		r->p++;
}

/* A JSON string at r->p (already validated) decoded to UTF-8 in out. */
static int
read_string(struct rd *r, struct buf *out)
{
	r->p++;
	while (r->p < r->end && *r->p != '"') {
		unsigned long c;
		char u[5];
		if (*r->p != '\\') {
			buf_append(out, r->p++, 1);
			continue;
		}
		r->p++;
		switch (*r->p) {
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'u':
			c = strtoul((snprintf(u, sizeof u, "%.4s", r->p + 1), u), NULL, 16);
			r->p += 4;
			if (c >= 0xd800 && c < 0xdc00 && r->end - r->p > 6 &&
			    r->p[1] == '\\' && r->p[2] == 'u') {
				unsigned long lo = strtoul((snprintf(u, sizeof u, "%.4s",
						r->p + 3), u), NULL, 16);
				if (lo >= 0xdc00 && lo < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
					r->p += 6;
				}
			}
			break;
		default: c = (unsigned char)*r->p; break;
		}
		r->p++;
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		if (c < 0x80) {
			char ch = (char)c;
			buf_append(out, &ch, 1);
		} else if (c < 0x800) {
			buf_printf(out, "%c%c", (char)(0xc0 | c >> 6), (char)(0x80 | (c & 0x3f)));
		} else if (c < 0x10000) {
			buf_printf(out, "%c%c%c", (char)(0xe0 | c >> 12),
				   (char)(0x80 | (c >> 6 & 0x3f)), (char)(0x80 | (c & 0x3f)));
		} else {
			buf_printf(out, "%c%c%c%c", (char)(0xf0 | c >> 18),
				   (char)(0x80 | (c >> 12 & 0x3f)),
				   (char)(0x80 | (c >> 6 & 0x3f)), (char)(0x80 | (c & 0x3f)));
		}
	}
	r->p++;
	return 0;
}

/* Write the value at r->p as Python would; 0 or -1 (too deep). */
static int
redump(struct rd *r, struct buf *b)
{
	skip_ws(r);
	if (r->p >= r->end)
		return -1;
	if (*r->p == '{' || *r->p == '[') {
		char close = *r->p == '{' ? '}' : ']';
		bool obj = close == '}', first = true;
		if (++r->depth > RAW_MAX_DEPTH)
			return -1;
		buf_append(b, r->p++, 1);
		for (;;) {
			skip_ws(r);
			if (r->p >= r->end)
				return -1;
			if (*r->p == close) {
				r->p++;
				break;
			}
			if (*r->p == ',')
				r->p++;
			if (!first)
				buf_puts(b, ", ");
			first = false;
			if (obj) {
				struct buf key = BUF_INIT;
				skip_ws(r);
				read_string(r, &key);
				py_string(b, key.data ? key.data : "", key.len);
				buf_free(&key);
				skip_ws(r);
				r->p++;		/* ':' */
				buf_puts(b, ": ");
			}
			if (redump(r, b) < 0)
				return -1;
		}
		buf_append(b, &close, 1);
		r->depth--;
		return 0;
	}
	if (*r->p == '"') {
		struct buf s = BUF_INIT;
		read_string(r, &s);
		py_string(b, s.data ? s.data : "", s.len);
		buf_free(&s);
		return 0;
	}
	/* a literal or a number */
	const char *start = r->p;
	while (r->p < r->end && !strchr(" \t\r\n,]}", *r->p))
		r->p++;
	size_t n = (size_t)(r->p - start);
	bool number = *start == '-' || isdigit((unsigned char)*start);
	if (number && (memchr(start, '.', n) || memchr(start, 'e', n) ||
		       memchr(start, 'E', n))) {
		char num[64];
		snprintf(num, sizeof num, "%.*s", (int)(n < 63 ? n : 63), start);
		py_float(b, strtod(num, NULL));
	} else if (number && n == 2 && strncmp(start, "-0", 2) == 0) {
		buf_puts(b, "0");
	} else {
		buf_append(b, start, n);
	}
	return 0;
}

/* ---- paths --------------------------------------------------------------- */

/* Split an item name ("a[b][]", "[0]", escapes kept) into steps. */
static int
parse_path(const char *name, struct step *st, size_t *n, char *err,
	   size_t errsize)
{
	const char *p = name;
	struct buf key = BUF_INIT;

	*n = 0;
	if (*p != '[') {		/* the leading key */
		for (; *p && *p != '['; p++) {
			if (*p == ']')
				goto want_open;
			if (*p == '\\' && p[1])
				p++;
			buf_append(&key, p, 1);
		}
		st[0] = (struct step){ ST_KEY, key.data ? key.data : strdup(""), 0 };
		key = (struct buf)BUF_INIT;
		*n = 1;
	}
	while (*p) {
		const char *q;
		if (*p != '[' || *n == PATH_MAX_STEPS)
			goto want_open;
		buf_init(&key);
		for (q = ++p; *q && *q != ']'; q++) {
			if (*q == '\\' && q[1])
				q++;
			buf_append(&key, q, 1);
		}
		if (*q != ']') {
			snprintf(err, errsize, "bad JSON path '%s': expecting ']'", name);
			goto fail;
		}
		if (q == p) {
			st[*n] = (struct step){ ST_APPEND, NULL, 0 };
		} else if (strspn(p, "0123456789") == (size_t)(q - p)) {
			st[*n] = (struct step){ ST_INDEX, NULL, strtoul(p, NULL, 10) };
		} else if (*p == '-' && strspn(p + 1, "0123456789") == (size_t)(q - p - 1)) {
			snprintf(err, errsize, "bad JSON path '%s': negative indexes "
				 "are not supported", name);
			goto fail;
		} else if (*n == 0) {
			snprintf(err, errsize, "bad JSON path '%s': expecting a "
				 "number or ']'", name);
			goto fail;
		} else {
			st[*n] = (struct step){ ST_KEY, key.data ? key.data : strdup(""), 0 };
			key = (struct buf)BUF_INIT;
		}
		buf_free(&key);
		(*n)++;
		p = q + 1;
	}
	return 0;
want_open:
	snprintf(err, errsize, "bad JSON path '%s': expecting '['", name);
fail:
	buf_free(&key);
	for (size_t k = 0; k < *n; k++)
		free(st[k].key);
	*n = 0;
	return -1;
}

static const char *
type_name(const struct jv *v)
{
	return v->t == JT_OBJ ? "an object" : v->t == JT_ARR ? "an array" :
	       "a value";
}

/* Put val at path under *root; the tree takes val.  0 or -1 (err). */
static int
set_path(struct jv **root, const struct step *st, size_t n, struct jv *val,
	 const char *name, char *err, size_t errsize)
{
	struct jv **cur = root;

	for (size_t i = 0; i < n; i++) {
		enum jt want = st[i].kind == ST_KEY ? JT_OBJ : JT_ARR;
		struct jv **slot = NULL;
		if (*cur == NULL || (*cur)->t == JT_NULL) {
			jv_free(*cur);
			if ((*cur = jv_new(want)) == NULL)
				goto nomem;
		} else if ((*cur)->t != want) {
			snprintf(err, errsize, "bad JSON path '%s': cannot use %s "
				 "on %s", name, want == JT_OBJ ? "a key" :
				 "an index", type_name(*cur));
			jv_free(val);
			return -1;
		}
		if (st[i].kind == ST_KEY) {
			for (size_t k = 0; k < (*cur)->n && !slot; k++)
				if (strcmp((*cur)->keys[k], st[i].key) == 0)
					slot = &(*cur)->kids[k];
			if (!slot)
				slot = jv_push(*cur, st[i].key);
		} else if (st[i].kind == ST_APPEND) {
			slot = jv_push(*cur, NULL);
		} else {
			while (slot == NULL && (*cur)->n <= st[i].index)
				if (jv_push(*cur, NULL) == NULL)
					goto nomem;
			slot = &(*cur)->kids[st[i].index];
		}
		if (slot == NULL)
			goto nomem;
		cur = slot;
	}
	jv_free(*cur);
	*cur = val;
	return 0;
nomem:
	jv_free(val);
	snprintf(err, errsize, "out of memory");
	return -1;
}

static struct jv *
scalar_of(const struct client_field *f)
{
	struct jv *v = jv_new(JT_SCALAR);
	struct buf b = BUF_INIT;
	int r;

	if (v == NULL)
		return NULL;
	if (f->raw_json) {
		struct rd rd = { f->value, f->value + f->len, 0 };
		r = redump(&rd, &b);
	} else {
		r = py_string(&b, f->value, f->len);
	}
	if (r < 0 || b.data == NULL) {
		buf_free(&b);
		jv_free(v);
		return NULL;
	}
	v->text = b.data;
	return v;
}

int
client_json_build(const struct client_cfg *cfg, struct buf *out, char *err,
		  size_t errsize)
{
	struct jv *root = NULL;
	struct step st[PATH_MAX_STEPS + 1];
	int r = 0;

	for (size_t i = 0; r == 0 && i < cfg->nfields; i++) {
		const struct client_field *f = &cfg->fields[i];
		struct jv *val;
		size_t n;
		if (parse_path(f->path ? f->path : f->name, st, &n, err, errsize) < 0) {
			r = -1;
			break;
		}
		if ((val = scalar_of(f)) == NULL) {
			snprintf(err, errsize, "cannot use JSON in item '%s'", f->name);
			r = -1;
		} else {
			r = set_path(&root, st, n, val, f->path ? f->path : f->name,
				     err, errsize);
		}
		for (size_t k = 0; k < n; k++)
			free(st[k].key);
	}
	if (r == 0)
		dump(out, root);
	jv_free(root);
	return r;
}
