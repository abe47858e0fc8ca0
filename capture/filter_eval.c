/*
 * filter_eval.c - matching a checked tree against one record.
 *
 * Values come from the caller's lookup callback, field by field, as they
 * are needed (&& and || short-circuit, so a filter on tcp.port never asks
 * for http.host).  Multi-valued fields follow Wireshark 4: "==", "<", ...,
 * "contains", "matches" and "in" hold when ANY value satisfies them; "!="
 * (all_ne) when the field is present and NO value equals; "===" (all_eq)
 * when it is present and every value equals; "!==" (any_ne) when some
 * value differs.  Note that "!=" on an absent field is false, exactly as
 * in tshark, whereas "!(a == b)" is true.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/filter_impl.h"

#define VALS_INLINE 16
#define VALS_MAX 65536		/* more values than this are not looked at */

struct vals {
	struct filter_value inl[VALS_INLINE];
	struct filter_value *v;
	int n;
	char *scratch;		/* upper()/lower() copies, owned */
};

static void
vals_fetch(struct vals *vs, filter_lookup_fn lookup, void *ctx, int field)
{
	int n = lookup(ctx, field, vs->inl, VALS_INLINE), m;
	struct filter_value *heap;

	vs->v = vs->inl;
	vs->scratch = NULL;
	vs->n = n < 0 ? 0 : n;
	if (n <= VALS_INLINE)
		return;
	if (n > VALS_MAX)
		n = VALS_MAX;
	vs->n = VALS_INLINE;	/* if we cannot get more, use what we have */
	if ((heap = calloc((size_t)n, sizeof *heap)) == NULL)
		return;
	m = lookup(ctx, field, heap, n);
	vs->v = heap;
	vs->n = m < 0 ? 0 : m < n ? m : n;
}

static void
vals_release(struct vals *vs)
{
	if (vs->v != vs->inl)
		free(vs->v);
	free(vs->scratch);
}

/* Wireshark's slice of s: [from, from + count), from < 0 from the end;
 * false when the value is too short for it. */
static bool
slice_of(const struct operand *o, struct span *s)
{
	long len = (long)s->len, from = o->from < 0 ? len + o->from : o->from;
	long n = o->count < 0 ? len - from : o->count;

	if (from < 0 || n < 0 || from + n > len || (o->count > 0 && n == 0))
		return false;
	s->p += from;
	s->len = (size_t)n;
	return true;
}

/* upper()/lower() of every string value, into one owned copy. */
static void
vals_case(struct vals *vs, bool up)
{
	size_t total = 0, at = 0;
	int i;

	for (i = 0; i < vs->n; i++)
		total += vs->v[i].s.len;
	if (!total || !(vs->scratch = malloc(total)))
		return;
	for (i = 0; i < vs->n; i++) {
		struct span *s = &vs->v[i].s;

		for (size_t k = 0; k < s->len; k++) {
			char ch = s->p[k];

			vs->scratch[at + k] = up && ch >= 'a' && ch <= 'z' ?
					      (char)(ch - 32) : !up && ch >= 'A' &&
					      ch <= 'Z' ? (char)(ch + 32) : ch;
		}
		s->p = vs->scratch + at;
		at += s->len;
	}
}

/* Apply the lhs's slice and function to the values fetched. */
static void
vals_apply(struct vals *vs, const struct operand *o, int field)
{
	int i, k = 0;

	if (o->fn == FN_COUNT) {
		int n = vs->n;

		vs->n = filter_put_int(vs->v, 1, 0, n);
		return;
	}
	for (i = 0; o->sliced && i < vs->n; i++)
		if (slice_of(o, &vs->v[i].s))
			vs->v[k++] = vs->v[i];
	if (o->sliced)
		vs->n = k;
	if (o->fn == FN_LEN)
		for (i = 0; i < vs->n; i++)
			filter_put_int(&vs->v[i], 1, 0, vs->v[i].type == FV_STR ||
				       o->sliced ? (long long)vs->v[i].s.len :
				       filter_fwidth(field));
	else if (o->fn == FN_UPPER || o->fn == FN_LOWER)
		vals_case(vs, o->fn == FN_UPPER);
}

static int
addr_bytes(enum ftype t)
{
	return t == FT_ADDR6 ? 16 : t == FT_ETHER ? 6 : 4;
}

/* a - b as -1, 0, 1 (strings: bytes, then length). */
static int
pair_order(enum ftype t, const struct filter_value *a,
	   const struct filter_value *b)
{
	int r = 0;

	switch (t) {
	case FT_STR:
	case FT_BYTES:
	case FT_PROTO: {
		size_t n = a->s.len < b->s.len ? a->s.len : b->s.len;

		r = n ? memcmp(a->s.p, b->s.p, n) : 0;
		if (r == 0)
			r = (a->s.len > b->s.len) - (a->s.len < b->s.len);
		break;
	}
	case FT_UINT:
	case FT_BOOL:
		r = (a->i > b->i) - (a->i < b->i);
		break;
	case FT_TIME:
		r = (a->d > b->d) - (a->d < b->d);
		break;
	case FT_ADDR4:
	case FT_ADDR6:
	case FT_ETHER:
		r = memcmp(a->addr, b->addr, (size_t)addr_bytes(t));
		break;
	}
	return (r > 0) - (r < 0);
}

/* Equal, for addresses within the first prefix bits. */
static bool
pair_eq(enum ftype t, const struct filter_value *a,
	const struct filter_value *b, int prefix)
{
	int whole, rest;

	if (t != FT_ADDR4 && t != FT_ADDR6)
		return pair_order(t, a, b) == 0;
	if (prefix > addr_bytes(t) * 8)
		prefix = addr_bytes(t) * 8;
	whole = prefix / 8;
	rest = prefix % 8;
	if (memcmp(a->addr, b->addr, (size_t)whole) != 0)
		return false;
	return rest == 0 ||
	       ((a->addr[whole] ^ b->addr[whole]) & (0xff00 >> rest) & 0xff) == 0;
}

static bool
span_contains(struct span hay, struct span needle)
{
	if (needle.len == 0)
		return true;
	if (hay.p == NULL || needle.len > hay.len)
		return false;
	return memmem(hay.p, hay.len, needle.p, needle.len) != NULL;
}

static bool
regex_match(const regex_t *re, struct span s)
{
#ifdef REG_STARTEND
	regmatch_t m[1] = { { 0, (regoff_t)s.len } };

	return regexec(re, s.p ? s.p : "", 1, m, REG_STARTEND) == 0;
#else
	char *z = strndup(s.p ? s.p : "", s.len);
	bool ok = z && regexec(re, z, 0, NULL, 0) == 0;

	free(z);
	return ok;
#endif
}

/* One pair for the operators that hold when any pair does. */
static bool
pair_op(const struct fnode *n, enum ftype t, const struct filter_value *a,
	const struct filter_value *b, int prefix)
{
	switch (n->op.op) {
	case OP_EQ:
	case OP_NE:
	case OP_ALL_EQ:
	case OP_ANY_NE:
		return pair_eq(t, a, b, prefix);
	case OP_LT:
		return pair_order(t, a, b) < 0;
	case OP_LE:
		return pair_order(t, a, b) <= 0;
	case OP_GT:
		return pair_order(t, a, b) > 0;
	case OP_GE:
		return pair_order(t, a, b) >= 0;
	case OP_CONTAINS:
		return span_contains(a->s, b->s);
	case OP_MATCHES:
		return regex_match(n->re, a->s);
	case OP_BITAND:
		return (a->i & b->i) != 0;
	}
	return false;
}

/* How many of the na * nb pairs satisfy the pair operator. */
static size_t
count_pairs(const struct fnode *n, const struct vals *a,
	    const struct filter_value *b, int nb, int prefix, bool stop)
{
	enum ftype t = (enum ftype)n->ltype;
	size_t hits = 0;

	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < nb; j++)
			if (pair_op(n, t, &a->v[i], &b[j], prefix) && ++hits &&
			    stop)
				return hits;
	return hits;
}

static bool
eval_cmp(const struct fnode *n, filter_lookup_fn lookup, void *ctx)
{
	struct vals a, b;
	const struct filter_value *bv = &n->lit.v;
	int nb = 1, prefix = n->lit.prefix;
	size_t pairs, hits;
	bool r;

	vals_fetch(&a, lookup, ctx, n->field);
	vals_apply(&a, &n->lhs, n->field);
	if (n->rhs_field >= 0) {
		vals_fetch(&b, lookup, ctx, n->rhs_field);
		bv = b.v;
		nb = b.n;
		prefix = addr_bytes((enum ftype)n->ltype) * 8;
	}
	pairs = (size_t)a.n * (size_t)nb;
	switch (n->op.op) {
	case OP_NE:
		r = pairs > 0 && count_pairs(n, &a, bv, nb, prefix, true) == 0;
		break;
	case OP_ALL_EQ:
		hits = count_pairs(n, &a, bv, nb, prefix, false);
		r = pairs > 0 && hits == pairs;
		break;
	case OP_ANY_NE:
		hits = count_pairs(n, &a, bv, nb, prefix, false);
		r = hits < pairs;
		break;
	default:
		r = count_pairs(n, &a, bv, nb, prefix, true) > 0;
		break;
	}
	vals_release(&a);
	if (n->rhs_field >= 0)
		vals_release(&b);
	return r;
}

static bool
in_item(enum ftype t, const struct set_item *it, const struct filter_value *v)
{
	if (it->hi.kind == TK_EOF)
		return pair_eq(t, v, &it->vlo.v, it->vlo.prefix);
	return pair_order(t, v, &it->vlo.v) >= 0 &&
	       pair_order(t, v, &it->vhi.v) <= 0;
}

static bool
eval_in(const struct fnode *n, filter_lookup_fn lookup, void *ctx)
{
	enum ftype t = (enum ftype)n->ltype;
	struct vals a;
	bool r = false;

	vals_fetch(&a, lookup, ctx, n->field);
	vals_apply(&a, &n->lhs, n->field);
	for (int i = 0; i < a.n && !r; i++)
		for (size_t j = 0; j < n->nitems && !r; j++)
			r = in_item(t, &n->items[j], &a.v[i]);
	vals_release(&a);
	return r;
}

bool
filter_eval(const struct fnode *n, filter_lookup_fn lookup, void *ctx)
{
	struct filter_value one;

	switch (n->kind) {
	case N_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!filter_eval(n->kids[i], lookup, ctx))
				return false;
		return true;
	case N_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (filter_eval(n->kids[i], lookup, ctx))
				return true;
		return false;
	case N_NOT:
		return !filter_eval(n->kids[0], lookup, ctx);
	case N_TEST:
		return lookup(ctx, n->field, &one, 1) > 0;
	case N_CMP:
		return eval_cmp(n, lookup, ctx);
	case N_IN:
		return eval_in(n, lookup, ctx);
	}
	return false;
}

int
filter_put_int(struct filter_value *out, int max, int n, long long v)
{
	if (n < max) {
		out[n].type = FV_INT;
		out[n].i = v;
		out[n].d = (double)v;
	}
	return n + 1;
}

int
filter_put_time(struct filter_value *out, int max, int n, double secs)
{
	if (n < max) {
		out[n].type = FV_INT;
		out[n].i = (long long)secs;
		out[n].d = secs;
	}
	return n + 1;
}

int
filter_put_addr(struct filter_value *out, int max, int n, const uint8_t *a,
		int len)
{
	if (n < max) {
		out[n].type = FV_ADDR;
		memcpy(out[n].addr, a, (size_t)len);
		out[n].addr_len = len;
	}
	return n + 1;
}

int
filter_put_str(struct filter_value *out, int max, int n, struct span s)
{
	if (n < max) {
		out[n].type = FV_STR;
		out[n].s = s;
	}
	return n + 1;
}
