/*
 * opt.c - parse argv against a subcommand's option table.
 *
 * Depends on nothing but libc; cli/ is its only user.  See opt.h for the
 * accepted syntax.
 */
#include <string.h>

#include "opt.h"

void
opt_init(struct opt_state *st, int argc, char **argv, int first,
	 const char *prog)
{
	memset(st, 0, sizeof *st);
	st->argc = argc;
	st->argv = argv;
	st->ind = first;
	st->prog = prog;
}

static const struct opt_spec *
find_long(const struct opt_spec *specs, const char *name, size_t len)
{
	for (; specs->id != 0; specs++)
		if (specs->long_name && strlen(specs->long_name) == len &&
		    memcmp(specs->long_name, name, len) == 0)
			return specs;
	return NULL;
}

static const struct opt_spec *
find_short(const struct opt_spec *specs, char c)
{
	for (; specs->id != 0; specs++)
		if (specs->short_name == c)
			return specs;
	return NULL;
}

/* ---- did you mean ------------------------------------------------ */

#define SUGGEST_MAX_LEN 64	/* longer words get no suggestion */
#define SUGGEST_FLOOR 7		/* git's SIMILARITY_FLOOR */

/* Weighted optimal-string-alignment distance turning a into b. */
static int
suggest_distance(const char *a, const char *b)
{
	enum { SWAP = 0, SUBST = 2, INSERT = 1, DELETE = 3 };
	size_t la = strlen(a), lb = strlen(b);
	int d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SUGGEST_FLOOR * 100;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i * DELETE;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j * INSERT;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : SUBST);

			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && a[i - 1] != b[j - 1] &&
			    d[i - 2][j - 2] + SWAP < v)
				v = d[i - 2][j - 2] + SWAP;
			if (d[i - 1][j] + DELETE < v)
				v = d[i - 1][j] + DELETE;
			if (d[i][j - 1] + INSERT < v)
				v = d[i][j - 1] + INSERT;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

static int
suggest_score(const char *typed, const char *cand)
{
	size_t n = strlen(typed);

	if (n > 0 && strncmp(cand, typed, n) == 0)
		return 0;	/* a prefix: the best of all */
	return suggest_distance(typed, cand) + 1;
}

size_t
opt_suggest(FILE *fp, const char *prog, const char *typed,
	    const char *const *cands, size_t n, const char *show_prefix)
{
	int best = SUGGEST_FLOOR;
	size_t count = 0, shown = 0;

	if (typed[0] == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int sc = cands[i] ? suggest_score(typed, cands[i]) : best + 1;

		if (sc < best) {
			best = sc;
			count = 1;
		} else if (sc == best) {
			count++;
		}
	}
	if (count == 0)
		return 0;
	fprintf(fp, "%s: did you mean %s", prog, count > 1 ? "one of " : "");
	for (size_t i = 0; i < n; i++) {
		if (cands[i] == NULL || suggest_score(typed, cands[i]) != best)
			continue;
		fprintf(fp, "%s'%s%s'", shown++ ? ", " : "", show_prefix,
			cands[i]);
	}
	fprintf(fp, "?\n");
	return count;
}

size_t
opt_suggest_long(FILE *fp, const char *prog, const char *typed,
		 const struct opt_spec *specs)
{
	const char *names[256];
	size_t n = 0;

	for (; specs->id != 0 && n < 256; specs++)
		if (specs->help && specs->long_name)
			names[n++] = specs->long_name;
	return opt_suggest(fp, prog, typed, names, n, "--");
}

/* ---- parsing ------------------------------------------------------ */

static int
usage_error(const struct opt_state *st, const char *what, const char *opt)
{
	fprintf(stderr, "%s: %s '%s'\n", st->prog, what, opt);
	fprintf(stderr, "%s: try '%s --help' for the options\n", st->prog,
		st->prog);
	return OPT_ERROR;
}

static int
next_long(struct opt_state *st, const struct opt_spec *specs, char *word,
	  const char **arg)
{
	const char *name = word + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct opt_spec *o = find_long(specs, name, len);

	if (o == NULL) {
		char shown[128];

		snprintf(shown, sizeof shown, "--%.*s", (int)len, name);
		fprintf(stderr, "%s: unknown option '%s'\n", st->prog, shown);
		if (opt_suggest_long(stderr, st->prog, shown + 2, specs) == 0)
			fprintf(stderr, "%s: try '%s --help' for the "
				"options\n", st->prog, st->prog);
		return OPT_ERROR;
	}
	if (o->arg == NULL) {
		if (eq)
			return usage_error(st, "option takes no value", word);
		*arg = NULL;
		return o->id;
	}
	if (eq) {
		*arg = eq + 1;
		return o->id;
	}
	if (st->ind >= st->argc)
		return usage_error(st, "option needs a value", word);
	*arg = st->argv[st->ind++];
	return o->id;
}

static int
next_short(struct opt_state *st, const struct opt_spec *specs,
	   const char **arg)
{
	char c = *st->bundle++;
	const struct opt_spec *o = find_short(specs, c);

	if (o == NULL) {
		char shown[3] = { '-', c, 0 };
		st->bundle = NULL;
		return usage_error(st, "unknown option", shown);
	}
	if (o->arg == NULL) {
		if (*st->bundle == 0)
			st->bundle = NULL;
		*arg = NULL;
		return o->id;
	}
	if (*st->bundle != 0) {		/* -ofile */
		*arg = st->bundle;
		st->bundle = NULL;
		return o->id;
	}
	st->bundle = NULL;
	if (st->ind >= st->argc) {
		char shown[3] = { '-', c, 0 };
		return usage_error(st, "option needs a value", shown);
	}
	*arg = st->argv[st->ind++];
	return o->id;
}

int
opt_next(struct opt_state *st, const struct opt_spec *specs,
	 const char **arg)
{
	char *word;

	*arg = NULL;
	if (st->bundle)
		return next_short(st, specs, arg);
	if (st->ind >= st->argc)
		return OPT_DONE;
	word = st->argv[st->ind++];
	if (st->dashdash || word[0] != '-' || word[1] == 0) {
		*arg = word;
		return OPT_POSITIONAL;
	}
	if (strcmp(word, "--") == 0) {
		st->dashdash = st->ind;
		if (st->ind >= st->argc)
			return OPT_DONE;
		*arg = st->argv[st->ind++];
		return OPT_POSITIONAL;
	}
	if (word[1] == '-')
		return next_long(st, specs, word, arg);
	st->bundle = word + 1;
	return next_short(st, specs, arg);
}

void
opt_print_table(FILE *fp, const struct opt_spec *specs)
{
	for (; specs->id != 0; specs++) {
		char left[80];
		int n = 0;

		if (specs->help == NULL)
			continue;
		if (specs->short_name)
			n = snprintf(left, sizeof left, "-%c%s", specs->short_name,
				     specs->long_name ? ", " : "");
		else
			n = snprintf(left, sizeof left, "    ");
		if (specs->long_name)
			n += snprintf(left + n, sizeof left - n, "--%s",
				      specs->long_name);
		if (specs->arg)
			snprintf(left + n, sizeof left - n, " %s", specs->arg);
		if (strlen(left) > 26)
			fprintf(fp, "  %s\n  %-26s  %s\n", left, "", specs->help);
		else
			fprintf(fp, "  %-26s  %s\n", left, specs->help);
	}
}

const char *
opt_complete_name(enum opt_complete c)
{
	switch (c) {
	case OPTC_NONE:   return "none";
	case OPTC_FILE:   return "file";
	case OPTC_DIR:    return "dir";
	case OPTC_IFACE:  return "iface";
	case OPTC_FILTER: return "filter";
	case OPTC_CHOICE: return "choice";
	case OPTC_URL:    return "url";
	case OPTC_USER:   return "user";
	}
	return "none";
}

void
opt_dump(FILE *fp, const char *cmd, const struct opt_spec *specs)
{
	for (; specs->id != 0; specs++) {
		char sh[3] = { 0 };

		if (specs->help == NULL)
			continue;
		if (specs->short_name) {
			sh[0] = '-';
			sh[1] = specs->short_name;
		}
		fprintf(fp, "%s\t%s\t%s%s\t%s\t%s\t%s\t%s\n", cmd, sh,
			specs->long_name ? "--" : "",
			specs->long_name ? specs->long_name : "",
			specs->arg ? specs->arg : "",
			opt_complete_name(specs->complete),
			specs->choices ? specs->choices : "", specs->help);
	}
}
