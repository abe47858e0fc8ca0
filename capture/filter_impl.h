/*
 * filter_impl.h - internals shared by the display-filter files (not for
 * other parts; they use filter.h).
 *
 *   filter_lex.c    text -> tokens, string escapes, error helpers
 *   filter_parse.c  tokens -> syntax tree (syntax errors)
 *   filter_check.c  tree -> resolved fields and typed literals (type errors)
 *   filter_regex.c  refusing regexes that glibc would choke on
 *   filter_eval.c   matching a compiled tree against a record
 *   filter.c        field table, compile/free driver, error printing
 *
 * Compiling is two passes like dfilter: first the whole text is parsed,
 * then the tree is checked left to right, so a syntax error anywhere wins
 * over a type error, as in tshark.
 */
#ifndef HTTPTOOL_FILTER_IMPL_H
#define HTTPTOOL_FILTER_IMPL_H

#include <regex.h>

#include "capture/filter.h"

enum tok_kind {
	TK_EOF, TK_WORD, TK_STRING, TK_LPAREN, TK_RPAREN, TK_LBRACE,
	TK_RBRACE, TK_COMMA, TK_DOTDOT, TK_AND, TK_OR, TK_NOT, TK_CMP,
	TK_CONTAINS, TK_MATCHES, TK_IN, TK_LBRACKET, TK_RBRACKET, TK_BAD
};

/* Functions a field may be wrapped in, Wireshark's. */
enum filter_fn { FN_NONE, FN_LEN, FN_COUNT, FN_UPPER, FN_LOWER };

/* comparison operators; the first group compares one pair of values */
enum filter_op {
	OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_MATCHES,
	OP_NE,			/* all_ne: present and no value equals */
	OP_ALL_EQ,		/* present and every value equals */
	OP_ANY_NE,		/* some value differs */
	OP_BITAND		/* "&": some value has a bit of the mask */
};

struct tok {
	enum tok_kind kind;
	enum filter_op op;	/* TK_CMP, TK_CONTAINS, TK_MATCHES */
	size_t off, len;	/* in the filter text */
};

struct lexer {
	const char *text;
	size_t len, pos;
	struct filter_error *err;
};

/*
 * A word or string as written; str is a decoded, NUL-terminated copy.
 * A field may come wrapped: fn(field) and/or field[slice], where the
 * slice is Wireshark's [i:n], [i-j], [i], [i:] or [:n] (i < 0 counts
 * from the end); off/len then cover all of it, str the field's name.
 */
struct operand {
	enum tok_kind kind;	/* TK_WORD or TK_STRING; TK_EOF: none */
	size_t off, len;
	char *str;
	size_t slen;
	enum filter_fn fn;
	bool sliced;
	long from;		/* first byte; < 0 from the end */
	long count;		/* bytes; -1: to the end */
};

/* A typed literal after checking. */
struct lit {
	struct filter_value v;	/* v.s points into the operand's str */
	int prefix;		/* addresses: network bits */
};

struct set_item {
	struct operand lo, hi;	/* hi.kind == TK_EOF: a single value */
	struct lit vlo, vhi;
};

enum node_kind { N_AND, N_OR, N_NOT, N_TEST, N_CMP, N_IN };

struct fnode {
	enum node_kind kind;
	struct fnode **kids;	/* N_AND, N_OR; N_NOT uses kids[0] */
	size_t nkids;
	struct operand lhs, rhs;	/* N_TEST, N_CMP, N_IN (lhs only) */
	struct tok op;			/* N_CMP: the operator as written */
	struct set_item *items;		/* N_IN */
	size_t nitems;
	/* filled by filter_check */
	int field;		/* lhs field id */
	int ltype;		/* enum ftype of the lhs after fn/slice */
	int rhs_field;		/* N_CMP: field on the right, or -1 */
	struct lit lit;		/* N_CMP with a literal */
	regex_t *re;		/* OP_MATCHES */
};

struct filter {
	struct fnode *root;	/* NULL: match everything */
	unsigned layers;	/* FILTER_L_* of the fields it names */
};

/* field kinds, from the table's type string */
enum ftype { FT_PROTO, FT_STR, FT_UINT, FT_ADDR4, FT_ADDR6, FT_TIME, FT_BOOL,
	     FT_ETHER, FT_BYTES };

enum ftype filter_ftype(int field);
const char *filter_ftype_name(int field);	/* "Unsigned integer (2 bytes)" */
unsigned long long filter_fmax(int field);	/* FT_UINT maximum */
int filter_fwidth(int field);	/* bytes of a value, for len() */

/* filter_lex.c */
void lex_init(struct lexer *lx, const char *text, size_t len,
	      struct filter_error *err);
/* Next token; a TK_BAD token has already set err. */
struct tok lex_next(struct lexer *lx);
struct tok lex_peek(struct lexer *lx);
/* Decode a TK_STRING token into a malloc'd NUL-terminated copy (*out,
 * *outlen); 0, or -1 with err set (bad escape, out of memory). */
int lex_string(const struct lexer *lx, const struct tok *t, char **out,
	       size_t *outlen);
/* Set err: offset, len and a printf message.  Always returns -1. */
int filter_seterr(struct filter_error *err, size_t off, size_t len,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The token's text for a message: printable, at most ~60 bytes, into buf. */
const char *filter_show(const char *text, size_t off, size_t len, char *buf,
			size_t size);

/* filter_parse.c: NULL and err set on a syntax error (or empty text). */
int filter_parse(const char *text, size_t len, struct fnode **root,
		 struct filter_error *err);
void filter_node_free(struct fnode *n);

/* filter_check.c: resolve fields, type literals, compile regexes. */
int filter_check(struct fnode *root, const char *text,
		 struct filter_error *err);

/* filter_regex.c: NULL when glibc can compile and run pattern cheaply,
 * else why not (for "Regex compilation error: %s."). */
const char *filter_regex_refuse(const char *pattern);


/* filter_eval.c */
bool filter_eval(const struct fnode *n, filter_lookup_fn lookup, void *ctx);

#endif
