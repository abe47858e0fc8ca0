/*
 * json_tree.c - a JSON body as Wireshark's "JavaScript Object Notation"
 * layer: Object, Array, "Member: key" with its value, "Key: key" and
 * "[Path: /a/[]/b]" after it; a scalar value comes with its
 * "[Path with value: …]" and "[Member with value: …]" lines.  Each line
 * is a json.* filter field under tshark's name.  The body is checked
 * whole first (lib/json's validator); as in tshark, only an object or
 * array at the top is shown as a tree, and a body that is not one, is
 * not JSON, or nests deeper than JT_MAX_DEPTH gets the layer's line only
 * (the caller then shows its text lines).
 */
#include <string.h>

#include "json_tree.h"
#include "lib/json.h"
#include "print_body.h"

#define JT_MAX_DEPTH 25	/* tshark shows 25 levels, not 26 */

struct jt {
	struct ptree *t;
	const char *p, *end, *start;
	int src;
	size_t base;
	struct buf path;	/* "/a/[]" of the value being read */
	uint16_t d;		/* tree depth of the next node */
};

static void value(struct jt *j, const char *key, size_t klen);

static void
ws(struct jt *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static size_t
at(const struct jt *j, const char *p)
{
	return j->base + (size_t)(p - j->start);
}

/* Node at depth j->d covering [from, j->p): label pre + escaped text. */
static long
node(struct jt *j, const char *from, const char *pre, const char *s,
     size_t n, const char *post)
{
	struct buf l = BUF_INIT;
	long r;

	buf_puts(&l, pre);
	body_put_text(&l, s, n);
	buf_puts(&l, post);
	j->t->depth = j->d;
	r = ptree_add_text(j->t, from ? j->src : -1, from ? at(j, from) : 0,
			   from ? (size_t)(j->p - from) : 0,
			   l.data ? l.data : "", l.len);
	buf_free(&l);
	return r;
}

static void
set_len(struct jt *j, long n, const char *from)
{
	if (n >= 0 && j->src >= 0)
		j->t->v[n].len = (uint32_t)(j->p - from);
}

static void
utf8(struct buf *b, unsigned long c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	buf_append(b, u, n);
}

/* Four hex digits at j->p (validated already); -1 if cut short. */
static long
hex4(struct jt *j)
{
	long v = 0;

	if (j->end - j->p < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		char c = *j->p++;

		v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static void
unicode(struct jt *j, struct buf *out)
{
	long c = hex4(j), lo;

	if (c >= 0xd800 && c < 0xdc00 && j->end - j->p >= 6 &&
	    j->p[0] == '\\' && j->p[1] == 'u') {
		j->p += 2;
		lo = hex4(j);
		if (lo >= 0xdc00 && lo < 0xe000)
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		else
			c = 0xfffd;
	} else if (c >= 0xd800 && c < 0xe000) {
		c = 0xfffd;
	}
	utf8(out, c < 0 ? 0xfffd : (unsigned long)c);
}

/* The string at j->p (its opening quote), unescaped into out. */
static void
string(struct jt *j, struct buf *out)
{
	static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";

	j->p++;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p != '\\' || j->p + 1 >= j->end) {
			buf_append(out, j->p++, 1);
			continue;
		}
		j->p += 2;
		if (j->p[-1] == 'u') {
			unicode(j, out);
		} else {
			const char *e = strchr(from, j->p[-1]);

			buf_append(out, e && *e ? &to[e - from] : &j->p[-1],
				   1);
		}
	}
	if (j->p < j->end)
		j->p++;
}

/* A member, "key": value, at j->p; path is its object's. */
static void
member(struct jt *j)
{
	const char *m = j->p;
	size_t plen = j->path.len;
	struct buf k = BUF_INIT;
	long n;

	string(j, &k);
	n = node(j, m, "Member: ", k.data, k.len, "");
	ptree_str(j->t, n, FF_JSON_MEMBER, k.data, k.len);
	ws(j);
	if (j->p < j->end && *j->p == ':')
		j->p++;
	ws(j);
	buf_puts(&j->path, "/");
	buf_append(&j->path, k.data, k.len);
	j->d++;
	value(j, k.data ? k.data : "", k.len);
	set_len(j, n, m);
	ptree_str(j->t, node(j, NULL, "Key: ", k.data, k.len, ""),
		  FF_JSON_KEY, k.data, k.len);
	ptree_str(j->t, node(j, NULL, "[Path: ", j->path.data, j->path.len,
			     "]"), FF_JSON_PATH, j->path.data, j->path.len);
	j->d--;
	j->path.len = plen;
	buf_free(&k);
}

static void
container(struct jt *j, bool obj)
{
	const char *from = j->p;
	long n = node(j, from, obj ? "Object" : "Array", "", 0, "");
	size_t plen = j->path.len;

	ptree_int(j->t, n, obj ? FF_JSON_OBJECT : FF_JSON_ARRAY, 1);
	j->p++;
	j->d++;
	if (!obj)
		buf_puts(&j->path, "/[]");
	for (ws(j); j->p < j->end && *j->p != (obj ? '}' : ']'); ws(j)) {
		if (*j->p == ',')
			j->p++;
		else if (obj)
			member(j);
		else
			value(j, NULL, 0);
	}
	if (j->p < j->end)
		j->p++;
	j->d--;
	j->path.len = plen;
	set_len(j, n, from);
}

/* "[Path with value: /a:1]", "[Member with value: a:1]" */
static void
with_value(struct jt *j, const char *key, size_t klen, struct span v)
{
	size_t plen = j->path.len;

	buf_puts(&j->path, ":");
	buf_append(&j->path, v.p, v.len);
	ptree_str(j->t, node(j, NULL, "[Path with value: ", j->path.data,
			     j->path.len, "]"), FF_JSON_PATH_WITH_VALUE,
		  j->path.data, j->path.len);
	j->path.len = plen;
	struct buf m = BUF_INIT;

	buf_append(&m, key ? key : "[]", key ? klen : 2);
	buf_puts(&m, ":");
	buf_append(&m, v.p, v.len);
	ptree_str(j->t, node(j, NULL, "[Member with value: ", m.data, m.len,
			     "]"), FF_JSON_MEMBER_WITH_VALUE, m.data, m.len);
	buf_free(&m);
}

/* One value at j->p: key is its member's (NULL: an array item). */
static void
value(struct jt *j, const char *key, size_t klen)
{
	static const char *const lit[] = { "true", "false", "null" };
	static const char *const label[] = { "True value", "False value",
					     "Null value" };
	static const int ff[] = { FF_JSON_VALUE_TRUE, FF_JSON_VALUE_FALSE,
				  FF_JSON_VALUE_NULL };
	const char *from = j->p;
	struct buf s = BUF_INIT;
	struct span v;
	int k;

	if (j->p >= j->end)
		return;
	if (*j->p == '{' || *j->p == '[') {
		container(j, *j->p == '{');
		return;
	}
	if (*j->p == '"') {
		string(j, &s);
		v = (struct span){ s.data ? s.data : "", s.len };
		with_value(j, key, klen, v);
		ptree_str(j->t, node(j, from, "String value: ", v.p, v.len, ""),
			  FF_JSON_VALUE_STRING, v.p, v.len);
		buf_free(&s);
		return;
	}
	for (k = 0; k < 3; k++)
		if ((size_t)(j->end - j->p) >= strlen(lit[k]) &&
		    !memcmp(j->p, lit[k], strlen(lit[k])))
			break;
	if (k < 3) {
		j->p += strlen(lit[k]);
		with_value(j, key, klen, (struct span){ lit[k],
							strlen(lit[k]) });
		ptree_int(j->t, node(j, from, label[k], "", 0, ""), ff[k], 1);
		return;
	}
	while (j->p < j->end && strchr("+-.0123456789eE", *j->p) && *j->p)
		j->p++;
	v = (struct span){ from, (size_t)(j->p - from) };
	with_value(j, key, klen, v);
	ptree_str(j->t, node(j, from, "Number value: ", v.p, v.len, ""),
		  FF_JSON_VALUE_NUMBER, v.p, v.len);
}

/* Deepest nesting of brackets outside strings. */
static unsigned
nesting(struct span b)
{
	unsigned d = 0, max = 0;
	bool in = false;

	for (size_t i = 0; i < b.len; i++) {
		char c = b.p[i];

		if (in) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in = false;
		} else if (c == '"') {
			in = true;
		} else if (c == '{' || c == '[') {
			if (++d > max)
				max = d;
		} else if ((c == '}' || c == ']') && d) {
			d--;
		}
	}
	return max;
}

bool
json_tree(struct ptree *t, struct span mt, struct span body, int src,
	  size_t base)
{
	struct jt j = { t, body.p, body.p + body.len, body.p, src, base,
			BUF_INIT, 1 };

	t->depth = 0;
	ptree_proto(t, ptree_add(t, src, base, body.len,
				 "JavaScript Object Notation: %.*s",
				 (int)mt.len, mt.p), FF_JSON);
	ws(&j);
	if (j.p == j.end || (*j.p != '{' && *j.p != '[') || !json_valid(body)
	    || nesting(body) > JT_MAX_DEPTH)
		return false;
	value(&j, NULL, 0);
	buf_free(&j.path);
	return true;
}
