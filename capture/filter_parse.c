/*
 * filter_parse.c - recursive descent from tokens to a syntax tree.
 *
 *   expr     := and { ("||" | "or") and }
 *   and      := unary { ("&&" | "and") unary }
 *   unary    := ("!" | "not") unary | "(" expr ")" | relation
 *   relation := operand [ cmp operand | ["not"] "in" set ]
 *   set      := "{" item { "," item } "}"      item := operand [".." operand]
 *   operand  := value [ "[" slice "]" ]
 *   value    := word | string | fn "(" word ")"     fn: len count upper lower
 *
 * Chains of && and || become one node with many children, so only ( and !
 * nest; their depth is capped (FILTER_MAX_DEPTH) so no input can exhaust
 * the stack here, in the checker or in the evaluator.  Words are not
 * resolved here: that is filter_check's job, after the whole text parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/filter_impl.h"

struct parser {
	struct lexer lx;
	int depth;
};

static struct fnode *parse_or(struct parser *p);

static int
unexpected(struct parser *p, struct tok t)
{
	char show[80];
	const char *q = t.kind == TK_STRING ? "" : "\"";

	if (t.kind == TK_BAD)
		return -1;	/* the lexer said what */
	if (t.kind == TK_EOF)
		return filter_seterr(p->lx.err, p->lx.len, 0,
				     "Unexpected end of filter expression.");
	return filter_seterr(p->lx.err, t.off, t.len,
			     "%s%s%s was unexpected in this context.", q,
			     filter_show(p->lx.text, t.off, t.len, show,
					 sizeof show), q);
}

static void
operand_free(struct operand *o)
{
	free(o->str);
	o->str = NULL;
}

void
filter_node_free(struct fnode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		filter_node_free(n->kids[i]);
	free(n->kids);
	operand_free(&n->lhs);
	operand_free(&n->rhs);
	for (size_t i = 0; i < n->nitems; i++) {
		operand_free(&n->items[i].lo);
		operand_free(&n->items[i].hi);
	}
	free(n->items);
	if (n->re) {
		regfree(n->re);
		free(n->re);
	}
	free(n);
}

static struct fnode *
node_new(struct parser *p, enum node_kind kind, size_t off)
{
	struct fnode *n = calloc(1, sizeof *n);

	if (n == NULL) {
		filter_seterr(p->lx.err, off, 0, "Out of memory.");
		return NULL;
	}
	n->kind = kind;
	n->rhs_field = -1;
	return n;
}

static int
node_add(struct parser *p, struct fnode *n, struct fnode *kid)
{
	struct fnode **k;

	if ((n->nkids & (n->nkids - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		k = realloc(n->kids, (n->nkids ? 2 * n->nkids : 1) * sizeof *k);
		if (k == NULL) {
			filter_node_free(kid);
			return filter_seterr(p->lx.err, 0, 0, "Out of memory.");
		}
		n->kids = k;
	}
	n->kids[n->nkids++] = kid;
	return 0;
}

/* The next token as an operand (word or string), or -1 with err set. */
static int
operand_take(struct parser *p, struct operand *o)
{
	struct tok t = lex_next(&p->lx);

	if (t.kind != TK_WORD && t.kind != TK_STRING)
		return unexpected(p, t);
	o->kind = t.kind;
	o->off = t.off;
	o->len = t.len;
	if (t.kind == TK_STRING)
		return lex_string(&p->lx, &t, &o->str, &o->slen);
	o->str = strndup(p->lx.text + t.off, t.len);
	o->slen = t.len;
	if (o->str == NULL)
		return filter_seterr(p->lx.err, t.off, t.len, "Out of memory.");
	return 0;
}

static enum filter_fn
fn_named(const char *s, size_t n)
{
	static const struct { const char *name; enum filter_fn fn; } fns[] = {
		{ "len", FN_LEN }, { "count", FN_COUNT },
		{ "upper", FN_UPPER }, { "lower", FN_LOWER },
	};

	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (strlen(fns[i].name) == n && memcmp(fns[i].name, s, n) == 0)
			return fns[i].fn;
	return FN_NONE;
}

/* "2", "-3", "" as a slice bound; false when it is not a number. */
static bool
slice_num(const char *s, size_t n, long *v)
{
	char buf[24], *end;

	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtol(buf, &end, 10);
	return *end == '\0' && *v > -1000000 && *v < 1000000;
}

/* The inside of [ ]: i:n, i-j, i, i:, :n (i may be negative). */
static bool
slice_parse(struct operand *o, const char *s, size_t n)
{
	size_t k = 1;
	long a = 0, b;

	while (k < n && s[k] != ':' && s[k] != '-')
		k++;
	if (k == n && s[0] != ':')
		return slice_num(s, n, &o->from) && (o->count = 1);
	if (s[0] == ':')
		k = 0;
	if (k && !slice_num(s, k, &a))
		return false;
	o->from = a;
	if (k + 1 == n && s[k] == ':') {
		o->count = -1;
		return true;
	}
	if (!slice_num(s + k + 1, n - k - 1, &b) || b < 0)
		return false;
	if (s[k] == '-') {
		if (a < 0 || b < a)
			return false;
		b = b - a + 1;
	}
	o->count = b;
	return true;
}

/* After a field: "[" slice "]", when there is one; 0 or -1. */
static int
operand_slice(struct parser *p, struct operand *o)
{
	struct tok t, in;
	size_t start;

	if (lex_peek(&p->lx).kind != TK_LBRACKET)
		return 0;
	lex_next(&p->lx);
	start = p->lx.pos;
	in = lex_next(&p->lx);
	if (in.kind == TK_CMP && in.op == OP_LT)
		return unexpected(p, in);
	if (in.kind != TK_WORD || !slice_parse(o, p->lx.text + in.off,
					       in.len)) {
		char sh[80];

		return filter_seterr(p->lx.err, start, in.len ? in.len : 1,
				     "Invalid slice \"%s\".",
				     filter_show(p->lx.text, in.off, in.len, sh,
						 sizeof sh));
	}
	t = lex_next(&p->lx);
	if (t.kind != TK_RBRACKET)
		return unexpected(p, t);
	o->sliced = true;
	o->len = t.off + t.len - o->off;
	return 0;
}

/* An operand with its function call or slice, if any; 0 or -1. */
static int
operand_full(struct parser *p, struct operand *o)
{
	size_t off;
	enum filter_fn fn;

	if (operand_take(p, o) < 0)
		return -1;
	if (o->kind == TK_WORD && lex_peek(&p->lx).kind == TK_LPAREN &&
	    (fn = fn_named(o->str, o->slen)) != FN_NONE) {
		struct tok t;

		off = o->off;
		operand_free(o);
		lex_next(&p->lx);
		if (operand_take(p, o) < 0)
			return -1;
		if (o->kind != TK_WORD)
			return unexpected(p, (struct tok){ o->kind, OP_EQ,
							   o->off, o->len });
		if (operand_slice(p, o) < 0)
			return -1;
		t = lex_next(&p->lx);
		if (t.kind != TK_RPAREN)
			return unexpected(p, t);
		o->fn = fn;
		o->off = off;
		o->len = t.off + t.len - off;
	}
	if (o->kind == TK_WORD && o->fn == FN_NONE)
		return operand_slice(p, o);
	return 0;
}

static int
parse_set(struct parser *p, struct fnode *n)
{
	struct tok t = lex_next(&p->lx);
	size_t cap = 0;

	if (t.kind != TK_LBRACE)
		return unexpected(p, t);
	for (;;) {
		struct set_item *it;

		if (n->nitems == cap) {	/* doubling: long sets stay linear */
			cap = cap ? cap * 2 : 8;
			it = realloc(n->items, cap * sizeof *it);
			if (it == NULL)
				return filter_seterr(p->lx.err, t.off, 0,
						     "Out of memory.");
			n->items = it;
		}
		it = &n->items[n->nitems++];
		memset(it, 0, sizeof *it);
		if (operand_take(p, &it->lo) < 0)
			return -1;
		if (lex_peek(&p->lx).kind == TK_DOTDOT) {
			lex_next(&p->lx);
			if (operand_take(p, &it->hi) < 0)
				return -1;
		}
		t = lex_next(&p->lx);
		if (t.kind == TK_RBRACE)
			return 0;
		if (t.kind != TK_COMMA)
			return unexpected(p, t);
	}
}

static bool
is_cmp(enum tok_kind k)
{
	return k == TK_CMP || k == TK_CONTAINS || k == TK_MATCHES;
}

/* After "a == b": another operator means b was used as a left side. */
static int
chained(struct parser *p, const struct operand *rhs)
{
	struct tok t = lex_peek(&p->lx);
	char op[80], side[80];

	if (!is_cmp(t.kind))
		return 0;
	return filter_seterr(p->lx.err, rhs->off, rhs->len,
			     "Left side of \"%s\" expression must be a field "
			     "or function, not %s.",
			     filter_show(p->lx.text, t.off, t.len, op, sizeof op),
			     filter_show(p->lx.text, rhs->off, rhs->len, side,
					 sizeof side));
}

/* "not in": true (both consumed) when the next two tokens are that. */
static bool
not_in(struct parser *p)
{
	size_t pos = p->lx.pos;

	if (lex_peek(&p->lx).kind != TK_NOT)
		return false;
	lex_next(&p->lx);
	if (lex_peek(&p->lx).kind == TK_IN) {
		lex_next(&p->lx);
		return true;
	}
	p->lx.pos = pos;
	return false;
}

static struct fnode *
parse_relation(struct parser *p)
{
	struct fnode *n = node_new(p, N_TEST, p->lx.pos), *neg;
	struct tok t;

	if (n == NULL || operand_full(p, &n->lhs) < 0)
		goto fail;
	t = lex_peek(&p->lx);
	if (is_cmp(t.kind)) {
		n->kind = N_CMP;
		n->op = lex_next(&p->lx);
		if (operand_full(p, &n->rhs) < 0 || chained(p, &n->rhs) < 0)
			goto fail;
	} else if (t.kind == TK_IN || not_in(p)) {
		bool negate = t.kind != TK_IN;

		if (!negate)
			lex_next(&p->lx);
		n->kind = N_IN;
		if (parse_set(p, n) < 0)
			goto fail;
		if (negate) {
			if ((neg = node_new(p, N_NOT, t.off)) == NULL)
				goto fail;
			if (node_add(p, neg, n) < 0) {
				free(neg);	/* node_add freed n */
				return NULL;
			}
			return neg;
		}
	}
	return n;
fail:
	filter_node_free(n);
	return NULL;
}

static int
deeper(struct parser *p, struct tok t)
{
	if (++p->depth <= FILTER_MAX_DEPTH)
		return 0;
	return filter_seterr(p->lx.err, t.off, t.len, "Filter is nested too "
			     "deeply (the limit is %d levels).",
			     FILTER_MAX_DEPTH);
}

static struct fnode *
parse_unary(struct parser *p)
{
	struct tok t = lex_peek(&p->lx);
	struct fnode *n = NULL, *kid;

	if (t.kind == TK_NOT || t.kind == TK_LPAREN) {
		if (deeper(p, t) < 0)
			return NULL;
		lex_next(&p->lx);
		if (t.kind == TK_NOT) {
			kid = parse_unary(p);
			if (kid && (n = node_new(p, N_NOT, t.off)) != NULL &&
			    node_add(p, n, kid) < 0) {
				free(n);
				n = NULL;
			} else if (n == NULL) {
				filter_node_free(kid);
			}
		} else if ((n = parse_or(p)) != NULL) {
			t = lex_next(&p->lx);
			if (t.kind != TK_RPAREN) {
				unexpected(p, t);
				filter_node_free(n);
				n = NULL;
			}
		}
		p->depth--;
		return n;
	}
	if (t.kind == TK_WORD || t.kind == TK_STRING)
		return parse_relation(p);
	unexpected(p, lex_next(&p->lx));
	return NULL;
}

/* One level of the grammar: operands of kind joined by tk. */
static struct fnode *
parse_chain(struct parser *p, enum node_kind kind, enum tok_kind tk,
	    struct fnode *(*sub)(struct parser *))
{
	struct fnode *first = sub(p), *n, *kid;

	if (first == NULL || lex_peek(&p->lx).kind != tk)
		return first;
	if ((n = node_new(p, kind, p->lx.pos)) == NULL) {
		filter_node_free(first);
		return NULL;
	}
	if (node_add(p, n, first) < 0) {	/* it freed first */
		free(n);
		return NULL;
	}
	while (lex_peek(&p->lx).kind == tk) {
		lex_next(&p->lx);
		if ((kid = sub(p)) == NULL || node_add(p, n, kid) < 0) {
			filter_node_free(n);
			return NULL;
		}
	}
	return n;
}

static struct fnode *
parse_and(struct parser *p)
{
	return parse_chain(p, N_AND, TK_AND, parse_unary);
}

static struct fnode *
parse_or(struct parser *p)
{
	return parse_chain(p, N_OR, TK_OR, parse_and);
}

int
filter_parse(const char *text, size_t len, struct fnode **root,
	     struct filter_error *err)
{
	struct parser p = { .depth = 0 };
	struct tok t;

	lex_init(&p.lx, text, len, err);
	*root = NULL;
	if (lex_peek(&p.lx).kind == TK_EOF)
		return 0;	/* blank: everything matches */
	if ((*root = parse_or(&p)) == NULL)
		return -1;
	t = lex_next(&p.lx);
	if (t.kind != TK_EOF) {
		filter_node_free(*root);
		*root = NULL;
		return unexpected(&p, t);
	}
	return 0;
}
