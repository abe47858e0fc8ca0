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
#include <strings.h>

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

/*
 * A name that is no field of ours: a real Wireshark field is said to be
 * one, so that a learner is not told it is invalid; anything else gets
 * tshark's message (op: the operator it stands beside, or NULL).
 */
static int
unknown_field(struct checker *c, const struct operand *o, const char *op,
	      size_t oplen)
{
	const char *ws = o->kind == TK_WORD ? filter_ws_field(o->str) : NULL;
	char sh[80];

	show(c, o->off, o->len, sh, sizeof sh);
	if (ws)
		return filter_seterr(c->err, o->off, o->len, "\"%s\" is not a "
				     "field httptool knows (Wireshark has it: "
				     "%s).", o->str, ws);
	return filter_seterr(c->err, o->off, o->len, "Left side of \"%.*s\" "
			     "expression must be a field or function, not %s.",
			     (int)oplen, op ? op : "", sh);
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
	unsigned long long v, max = field < 0 ? 4294967295ULL
						      : filter_fmax(field);
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

/* "aa:bb:cc", "aa-bb-cc", "aabb.ccdd" or "aa" as bytes; count or -1. */
static int
parse_hexbytes(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (*s) {
		unsigned hi, lo;

		if (n && (*s == ':' || *s == '-' || *s == '.'))
			s++;
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || n == max)
			return -1;
		hi = (unsigned)(isdigit((unsigned char)s[0]) ? s[0] - '0' :
				(tolower((unsigned char)s[0]) - 'a' + 10));
		lo = (unsigned)(isdigit((unsigned char)s[1]) ? s[1] - '0' :
				(tolower((unsigned char)s[1]) - 'a' + 10));
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n ? (int)n : -1;
}

static int
conv_bool(struct checker *c, const struct operand *o, struct lit *l)
{
	char sh[80];

	unsigned long long u;
	bool neg;

	l->v.type = FV_INT;
	if (!strcasecmp(o->str, "true"))
		l->v.i = 1;
	else if (!strcasecmp(o->str, "false"))
		l->v.i = 0;
	else if (parse_int(o->str, &neg, &u) == 0)
		l->v.i = u != 0;	/* as tshark 4.0: any non-zero is true */
	else
		return filter_seterr(c->err, o->off, o->len, "\"%s\" is not a "
				     "valid boolean.", show(c, o->off, o->len,
							   sh, sizeof sh));
	return 0;
}

/* Bytes from a string, or from hex bytes written as a word; the word's
 * decoded bytes replace its text in o->str (it is not used again). */
static int
conv_bytes(struct checker *c, struct operand *o, struct lit *l)
{
	char sh[80];
	int n;

	l->v.type = FV_STR;
	if (o->kind == TK_WORD) {
		n = parse_hexbytes(o->str, (uint8_t *)o->str, o->slen);
		if (n < 0)
			return filter_seterr(c->err, o->off, o->len, "\"%s\" is "
					     "not a valid byte string.",
					     show(c, o->off, o->len, sh,
						  sizeof sh));
		o->slen = (size_t)n;
	}
	l->v.s = (struct span){ o->str, o->slen };
	return 0;
}

/* A literal of type t (for field, -1 when computed) from o, into l. */
static int
conv_literal(struct checker *c, int field, enum ftype t, struct operand *o,
	     struct lit *l)
{
	const char *fname = field >= 0 ? filter_fields(NULL)[field].name : "";
	char sh[80];
	bool neg;
	unsigned long long u;

	show(c, o->off, o->len, sh, sizeof sh);
	if (o->fn || o->sliced)
		return filter_seterr(c->err, o->off, o->len, "httptool takes a "
				     "function or slice on the left side "
				     "only: %s.", sh);
	if (o->kind == TK_STRING && t != FT_STR && t != FT_BYTES &&
	    t != FT_PROTO)
		return filter_seterr(c->err, o->off, o->len, "%s cannot be "
				     "converted from a string (%s).",
				     field >= 0 ? filter_ftype_name(field) :
				     "Unsigned integer (4 bytes)", sh);
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
	case FT_BOOL:
		return conv_bool(c, o, l);
	case FT_TIME:
		if (!parse_time(o->str, &l->v.d))
			return filter_seterr(c->err, o->off, o->len,
					     "\"%s\" is not a valid number.", sh);
		return 0;
	case FT_ADDR4:
	case FT_ADDR6:
		return conv_addr(c, field, o, l);
	case FT_ETHER:
		l->v.type = FV_ADDR;
		l->v.addr_len = 6;
		l->prefix = 48;
		if (parse_hexbytes(o->str, l->v.addr, 6) == 6)
			return 0;
		return filter_seterr(c->err, o->off, o->len, "\"%s\" is not a "
				     "valid hostname or Ethernet address.", sh);
	case FT_BYTES:
	case FT_PROTO:
		return conv_bytes(c, o, l);
	}
	return -1;
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

/* The lhs's type once its function or slice applies; -1 (err set). */
static int
lhs_type(struct checker *c, struct fnode *n)
{
	enum ftype t = filter_ftype(n->field);
	bool seq = t == FT_STR || t == FT_BYTES || t == FT_PROTO;
	const struct operand *o = &n->lhs;
	char sh[80];

	if (o->sliced && !seq)
		return filter_seterr(c->err, o->off, o->len, "\"%s\" is a %s "
				     "field; only strings, byte sequences and "
				     "protocols can be sliced.",
				     show(c, o->off, o->len, sh, sizeof sh),
				     filter_ftype_name(n->field));
	if (o->sliced)
		t = FT_BYTES;
	switch (o->fn) {
	case FN_NONE:
		return (int)t;
	case FN_COUNT:
		return FT_UINT;
	case FN_LEN:		/* of a number: its width in bytes */
		return FT_UINT;
	case FN_UPPER:
	case FN_LOWER:
		if (t == FT_STR)
			return FT_STR;
		break;
	}
	return filter_seterr(c->err, o->off, o->len, "Function %s takes "
			     "a %s, not %s (type=%s).", o->fn == FN_LEN ? "len" :
			     o->fn == FN_UPPER ? "upper" : "lower", o->fn ==
			     FN_LEN ? "string, bytes or protocol" : "string",
			     show(c, o->off, o->len, sh, sizeof sh),
			     filter_ftype_name(n->field));
}

/* The left side of a comparison or set test, resolved; -1 if no field. */
static int
check_lhs(struct checker *c, struct fnode *n, const char *optext,
	  size_t oplen)
{
	char sh[80], op[40];
	enum ftype t;
	int lt;

	show(c, n->lhs.off, n->lhs.len, sh, sizeof sh);
	n->field = operand_field(&n->lhs);
	if (n->field < 0)
		return unknown_field(c, &n->lhs, optext, oplen);
	if ((lt = lhs_type(c, n)) < 0)
		return -1;
	n->ltype = lt;
	t = (enum ftype)lt;
	if (n->op.op == OP_BITAND && t != FT_UINT && t != FT_BOOL) {
		snprintf(op, sizeof op, "%.*s", (int)oplen, optext);
		return filter_seterr(c->err, n->lhs.off, n->lhs.len, "%s (type="
				     "%s) cannot participate in %s comparison.",
				     sh, filter_ftype_name(n->field), op);
	}
	/* a protocol's bytes can be searched; a label's (FT_NONE) not */
	if ((t == FT_PROTO && ((n->op.op != OP_CONTAINS &&
				n->op.op != OP_MATCHES) ||
			       strchr(filter_fields(NULL)[n->field].name, '.'))) ||
	    ((n->op.op == OP_CONTAINS || n->op.op == OP_MATCHES) &&
	     t != FT_STR && t != FT_BYTES && t != FT_PROTO)) {
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
	n->rhs_field = n->rhs.fn || n->rhs.sliced ? -1
						  : operand_field(&n->rhs);
	if (n->rhs_field < 0)
		return conv_literal(c, n->lhs.fn || n->lhs.sliced ? -1 :
				    n->field, (enum ftype)n->ltype, &n->rhs,
				    &n->lit);
	if (filter_ftype(n->rhs_field) != (enum ftype)n->ltype)
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

		int f = n->lhs.fn || n->lhs.sliced ? -1 : n->field;

		if (conv_literal(c, f, (enum ftype)n->ltype, &it->lo,
				 &it->vlo) < 0)
			return -1;
		if (it->hi.kind == TK_EOF)
			continue;
		if (conv_literal(c, f, (enum ftype)n->ltype, &it->hi,
				 &it->vhi) < 0)
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
		if (n->lhs.kind == TK_WORD && filter_ws_field(n->lhs.str))
			return unknown_field(c, &n->lhs, NULL, 0);
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
