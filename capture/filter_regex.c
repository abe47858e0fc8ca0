/*
 * filter_regex.c - which "matches" patterns glibc's POSIX regex can take.
 *
 * A display filter is typed by a user, possibly live in the TUI, and
 * compiled by glibc's regcomp, which has blow-ups a user can trip over:
 *
 *   - a repeated part is copied once per repetition (x{1,n} is n copies,
 *     x+ is xx*) and memory grows with the square of the copies (about
 *     20 MB for 1000 in a UTF-8 locale, 100 MB for 2400):
 *     "a{1,32767}" takes 8 GB and 20 s, "(a++++++++++++++++++++)" as much;
 *   - a counted repetition of a part that can match the empty string
 *     takes time exponential in the count ("((a|b?)*?){1,50}" runs for
 *     minutes);
 *   - stacked quantifiers ("a**********") make matching slow (seconds);
 *     two in a row are allowed for PCRE habits such as ".*?";
 *   - the parser recurses once per parenthesis;
 *   - back-references make matching exponential.
 *
 * So walk the pattern first, the way regcomp will see it, estimating the
 * expanded size and which parts are nullable, and refuse those cases with
 * a reason.  The walk itself is linear and uses a fixed-size stack.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/filter_impl.h"

#define RE_MAX_SIZE 1000	/* expanded elements: at most ~20 MB in regcomp */
#define RE_MAX_DEPTH 32		/* nested parentheses */

/* One group being read (frame 0: the whole pattern). */
struct re_frame {
	long total;		/* expanded size so far */
	long last;		/* size of the last element (what a quantifier repeats) */
	bool seq_null;		/* the alternative before the last element is nullable */
	bool last_null;		/* the last element is nullable */
	bool alt_null;		/* an earlier alternative is nullable */
};

static const struct re_frame re_empty = { 0, 0, true, true, false };

/* "{m}", "{m,}", "{m,n}" at p[0] == '{': the largest count (clamped to
 * RE_MAX_SIZE + 1), *min and *skip set; 0 when it is not a bound. */
static long
re_bound(const char *p, long *min, size_t *skip)
{
	const char *q = p + 1;
	char *end = (char *)q;
	long m = 0, n;

	if (!isdigit((unsigned char)*q) && *q != ',')
		return 0;
	if (isdigit((unsigned char)*q))
		m = strtol(q, &end, 10);
	if (m > RE_MAX_SIZE)
		m = RE_MAX_SIZE + 1;	/* big enough to refuse, no overflow */
	n = m;
	if (*end == ',') {
		end++;
		n = isdigit((unsigned char)*end) ? strtol(end, &end, 10) : m + 1;
	}
	if (*end != '}')
		return 0;
	*skip = (size_t)(end - p);
	*min = m;
	n = n > m ? n : m;
	return n < 1 ? 1 : n > RE_MAX_SIZE ? RE_MAX_SIZE + 1 : n;
}

/* A bracket expression at p[0] == '[': the index of its last byte. */
static size_t
re_bracket(const char *p)
{
	size_t i = 1;

	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	for (; p[i] && p[i] != ']'; i++)
		if (p[i] == '[' && p[i + 1] && strchr(":.=", p[i + 1])) {
			const char *close = strchr(p + i + 2, ']');

			if (close == NULL)
				return strlen(p) - 1;
			i = (size_t)(close - p);
		}
	return p[i] ? i : i - 1;
}

static void
re_element(struct re_frame *f, long size, bool nullable)
{
	f->seq_null = f->seq_null && f->last_null;
	f->total += size;
	f->last = size;
	f->last_null = nullable;
}

static bool
re_nullable(const struct re_frame *f)
{
	return f->alt_null || (f->seq_null && f->last_null);
}

/* A quantifier at p[*i]: repeats the last element; NULL or why not. */
static const char *
re_quantifier(struct re_frame *f, const char *p, size_t *i)
{
	long k = 1, min = 0;
	size_t skip = 0;

	if (p[*i] == '+') {
		k = 2;
		min = 1;
	} else if (p[*i] == '{') {
		k = re_bound(p + *i, &min, &skip);
		*i += skip;
		if (k > 1 && f->last_null)
			return "{m,n} applied to a part that can match the "
			       "empty string";
	}
	f->total += f->last * (k - 1);
	f->last *= k;
	if (min == 0)
		f->last_null = true;
	return NULL;
}

static bool
re_is_quantifier(const char *p)
{
	long min;
	size_t skip;

	return *p == '*' || *p == '?' || *p == '+' ||
	       (*p == '{' && re_bound(p, &min, &skip) > 0);
}

const char *
filter_regex_refuse(const char *p)
{
	struct re_frame st[RE_MAX_DEPTH + 1] = { re_empty };
	const char *why;
	int d = 0, run = 0;	/* quantifiers in a row */

	for (size_t i = 0; p[i]; i++) {
		struct re_frame *f = &st[d];

		run = re_is_quantifier(p + i) ? run + 1 : 0;
		if (run > 2)
			return "more than two repetition operators in a row";
		if (p[i] == '\\' && p[i + 1] >= '1' && p[i + 1] <= '9')
			return "back-references are not supported";
		if (p[i] == '\\' && p[i + 1]) {
			i++;
			re_element(f, 1, strchr("bB<>`'", p[i]) != NULL);
		} else if (p[i] == '[') {
			i += re_bracket(p + i);
			re_element(f, 1, false);
		} else if (p[i] == '(') {
			if (d == RE_MAX_DEPTH)
				return "parentheses nested too deeply";
			st[++d] = re_empty;
		} else if (p[i] == ')' && d > 0) {
			d--;
			re_element(&st[d], f->total, re_nullable(f));
		} else if (p[i] == '|') {
			f->alt_null = re_nullable(f);
			f->seq_null = f->last_null = true;
			f->last = 0;
		} else if (re_is_quantifier(p + i)) {
			if ((why = re_quantifier(f, p, &i)) != NULL)
				return why;
		} else {
			re_element(f, 1, p[i] == '^' || p[i] == '$');
		}
		if (st[d].total > RE_MAX_SIZE)
			return "pattern too large once repetitions are expanded "
			       "(limit 1000)";
	}
	return NULL;
}
