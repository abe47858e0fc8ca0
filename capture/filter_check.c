/*
 * filter_check.c - the semantic pass: names to fields, words and strings
 * to typed literals, regexes compiled, type errors reported.
 *
 * Walks the tree left to right and stops at the first error, so the error
 * a user sees is the leftmost one, as with tshark.  The messages are
 * tshark's (Wireshark 4.x dfilter semantics) wherever tshark has one.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/filter_impl.h"

struct checker {
	const char *text;
	struct filter_error *err;
};

static const char *
show(const struct checker *c, size_t off, size_t len, char *buf, size_t size)
{
	return filter_show(c->text, off, len, buf, size);
}

static int
operand_field(const struct operand *o)
{
	const struct filter_field_info *fi;

	if (o->kind != TK_WORD)
		return -1;
	fi = filter_field_find(o->str, o->slen);
	return fi ? fi->id : -1;
}

/* Integer in C's notations plus 0b: 0 and *v, or -1 (junk), -2 (too big). */
static int
parse_int(const char *s, bool *neg, unsigned long long *v)
{
	int base = 10;
	char *end;

	*neg = *s == '-';
	s += *neg;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && s[1])
		base = 8, s += 1;
	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (*end != '\0')
		return -1;
	return errno == ERANGE ? -2 : 0;
}

static bool
parse_time(const char *s, double *d)
{
	char *end;
	size_t digits = strspn(s + (*s == '-'), "0123456789.");

	if (digits == 0 || s[(*s == '-') + digits] != '\0')
		return false;
	*d = strtod(s, &end);
	return *end == '\0';
}

static int
conv_uint(struct checker *c, int field, const struct operand *o,
	  struct lit *l)
{
	char sh[80];
	unsigned long long v, max = filter_fmax(field);
	bool neg;
	int r = parse_int(o->str, &neg, &v);

	show(c, o->off, o->len, sh, sizeof sh);
	if (r == -1)
		return filter_seterr(c->err, o->off, o->len,
				     "\"%s\" is not a valid number.", sh);
	if (neg && (r == -2 || v > 0))
		return filter_seterr(c->err, o->off, o->len, "\"%s\" too small "
				     "for this field, minimum 0.", sh);
	if (r == -2 || v > max)
		return filter_seterr(c->err, o->off, o->len, "\"%s\" too big for "
				     "this field, maximum %llu.", sh, max);
	l->v.type = FV_INT;
	l->v.i = (long long)v;
	return 0;
}

static int
conv_addr(struct checker *c, int field, const struct operand *o,
	  struct lit *l)
{
	bool v6 = filter_ftype(field) == FT_ADDR6;
	int bits = v6 ? 128 : 32;
	char sh[80], *slash = strchr(o->str, '/'), *end;
	long prefix = bits;
	int ok;

	show(c, o->off, o->len, sh, sizeof sh);
	if (slash) {
		*slash = '\0';
		errno = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (!isdigit((unsigned char)slash[1]) || *end || errno)
			prefix = -1;
	}
	ok = inet_pton(v6 ? AF_INET6 : AF_INET, o->str, l->v.addr);
	if (slash)
		*slash = '/';
	if (ok != 1 || prefix < 0)
		return filter_seterr(c->err, o->off, o->len, "\"%s\" is not a "
				     "valid hostname or %s address.", sh,
				     v6 ? "IPv6" : "IPv4");
	if (prefix > bits)
		return filter_seterr(c->err, o->off, o->len, v6 ?
				     "Prefix in a IPv6 address should be <= "
				     "128, not %s" : "Netmask bits in a CIDR "
				     "IPv4 address should be <= 32, not %s",
				     slash + 1);
	l->v.type = FV_ADDR;
	l->v.addr_len = v6 ? 16 : 4;
	l->prefix = (int)prefix;
	return 0;
}

/* A literal for field from operand o, into l. */
static int
conv_literal(struct checker *c, int field, const struct operand *o,
	     struct lit *l)
{
	enum ftype t = filter_ftype(field);
	const char *fname = filter_fields(NULL)[field].name;
	char sh[80];
	bool neg;
	unsigned long long u;

	show(c, o->off, o->len, sh, sizeof sh);
	if (o->kind == TK_STRING && t != FT_STR)
		return filter_seterr(c->err, o->off, o->len, "%s cannot be "
				     "converted from a string (%s).",
				     filter_ftype_name(field), sh);
	switch (t) {
	case FT_STR:
		if (o->kind == TK_WORD && (parse_int(o->str, &neg, &u) != -1 ||
					   parse_time(o->str, &l->v.d)))
			return filter_seterr(c->err, o->off, o->len, "%s (type=%s)"
					     " cannot be compared with the number"
					     " %s; write \"%s\" to compare text.",
					     fname, filter_ftype_name(field), sh,
					     sh);
		l->v.type = FV_STR;
		l->v.s = (struct span){ o->str, o->slen };
		return 0;
	case FT_UINT:
		return conv_uint(c, field, o, l);
	case FT_TIME:
		if (!parse_time(o->str, &l->v.d))
			return filter_seterr(c->err, o->off, o->len,
					     "\"%s\" is not a valid number.", sh);
		return 0;
	case FT_ADDR4:
	case FT_ADDR6:
		return conv_addr(c, field, o, l);
	default:
		return -1;	/* protocols were refused before */
	}
}

static int
check_regex(struct checker *c, struct fnode *n)
{
	char why[100];
	const char *why0;
	int r;

	if (n->rhs.kind != TK_STRING)
		return filter_seterr(c->err, n->rhs.off, n->rhs.len, "Matches "
				     "requires a double quoted string on the "
				     "right side.");
	if (strlen(n->rhs.str) != n->rhs.slen)
		return filter_seterr(c->err, n->rhs.off, n->rhs.len, "Regex "
				     "compilation error: NUL byte in pattern.");
	if ((why0 = filter_regex_refuse(n->rhs.str)) != NULL)
		return filter_seterr(c->err, n->rhs.off, n->rhs.len, "Regex "
				     "compilation error: %s.", why0);
	if ((n->re = malloc(sizeof *n->re)) == NULL)
		return filter_seterr(c->err, 0, 0, "Out of memory.");
	r = regcomp(n->re, n->rhs.str, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (r != 0) {
		regerror(r, n->re, why, sizeof why);
		free(n->re);
		n->re = NULL;
		why[0] = (char)tolower((unsigned char)why[0]);
		return filter_seterr(c->err, n->rhs.off, n->rhs.len,
				     "Regex compilation error: %s.", why);
	}
	return 0;
}

/* The left side of a comparison or set test, resolved; -1 if no field. */
static int
check_lhs(struct checker *c, struct fnode *n, const char *optext,
	  size_t oplen)
{
	char sh[80], op[40];
	enum ftype t;

	show(c, n->lhs.off, n->lhs.len, sh, sizeof sh);
	n->field = operand_field(&n->lhs);
	if (n->field < 0)
		return filter_seterr(c->err, n->lhs.off, n->lhs.len, "Left side "
				     "of \"%.*s\" expression must be a field "
				     "or function, not %s.", (int)oplen, optext,
				     sh);
	t = filter_ftype(n->field);
	if (t == FT_PROTO || ((n->op.op == OP_CONTAINS ||
			       n->op.op == OP_MATCHES) && t != FT_STR)) {
		snprintf(op, sizeof op, "%.*s", (int)oplen, optext);
		return filter_seterr(c->err, n->lhs.off, n->lhs.len, "%s (type="
				     "%s) cannot participate in %s comparison.",
				     sh, filter_ftype_name(n->field), op);
	}
	return 0;
}

static int
check_cmp(struct checker *c, struct fnode *n)
{
	char a[80], b[80];

	if (check_lhs(c, n, c->text + n->op.off, n->op.len) < 0)
		return -1;
	if (n->op.op == OP_MATCHES)
		return check_regex(c, n);
	n->rhs_field = operand_field(&n->rhs);
	if (n->rhs_field < 0)
		return conv_literal(c, n->field, &n->rhs, &n->lit);
	if (filter_ftype(n->rhs_field) != filter_ftype(n->field))
		return filter_seterr(c->err, n->rhs.off, n->rhs.len,
				     "%s and %s are not of compatible types.",
				     show(c, n->lhs.off, n->lhs.len, a, sizeof a),
				     show(c, n->rhs.off, n->rhs.len, b, sizeof b));
	return 0;
}

static int
check_in(struct checker *c, struct fnode *n)
{
	n->op.op = OP_EQ;
	if (check_lhs(c, n, "in", 2) < 0)
		return -1;
	for (size_t i = 0; i < n->nitems; i++) {
		struct set_item *it = &n->items[i];

		if (conv_literal(c, n->field, &it->lo, &it->vlo) < 0)
			return -1;
		if (it->hi.kind == TK_EOF)
			continue;
		if (conv_literal(c, n->field, &it->hi, &it->vhi) < 0)
			return -1;
	}
	return 0;
}

static int
check_node(struct checker *c, struct fnode *n)
{
	char sh[80];
	const char *q = n->lhs.kind == TK_STRING ? "" : "\"";

	switch (n->kind) {
	case N_AND:
	case N_OR:
	case N_NOT:
		for (size_t i = 0; i < n->nkids; i++)
			if (check_node(c, n->kids[i]) < 0)
				return -1;
		return 0;
	case N_TEST:
		n->field = operand_field(&n->lhs);
		if (n->field >= 0)
			return 0;
		return filter_seterr(c->err, n->lhs.off, n->lhs.len, "%s%s%s is "
				     "neither a field nor a protocol name.", q,
				     show(c, n->lhs.off, n->lhs.len, sh,
					  sizeof sh), q);
	case N_CMP:
		return check_cmp(c, n);
	case N_IN:
		return check_in(c, n);
	}
	return -1;
}

int
filter_check(struct fnode *root, const char *text, struct filter_error *err)
{
	struct checker c = { text, err };

	return root ? check_node(&c, root) : 0;
}
