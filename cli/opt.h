/*
 * opt.h - the option tables every subcommand declares, and their parser.
 *
 * One table per subcommand is the single source of truth for its options
 * (STYLE.md 15): opt_next() parses argv with it, opt_print_help() prints
 * --help from it, and the hidden `httptool __complete` dumps it so the man
 * pages and shell completions can be checked against (or generated from)
 * the same list.
 *
 * Parsing follows curl rather than POSIX getopt: options and positional
 * arguments may be interleaved, short options bundle (-sS, -ofile), long
 * options take "--name=value" or "--name value", and "--" ends options.
 */
#ifndef HTTPTOOL_OPT_H
#define HTTPTOOL_OPT_H

#include <stdio.h>

/* What a shell should complete for an option's argument. */
enum opt_complete {
	OPTC_NONE = 0,		/* free text */
	OPTC_FILE,		/* a path */
	OPTC_DIR,		/* a directory */
	OPTC_IFACE,		/* a capture interface (httptool sniff -D) */
	OPTC_FILTER,		/* a display filter (field names) */
	OPTC_CHOICE,		/* one of opt_spec.choices, '|'-separated */
	OPTC_URL,		/* a URL (route names after :PORT/) */
	OPTC_USER,		/* a user name */
};

struct opt_spec {
	int id;			/* returned by opt_next(); a char for options
				   with a short form, >= 256 otherwise */
	char short_name;	/* 0 when there is none */
	const char *long_name;	/* without the dashes; NULL when none */
	const char *arg;	/* metavariable, NULL for a flag */
	const char *help;	/* one line for --help; NULL hides the option */
	enum opt_complete complete;
	const char *choices;	/* for OPTC_CHOICE: "common|python|json" */
};

#define OPT_END_TABLE { 0, 0, NULL, NULL, NULL, OPTC_NONE, NULL }

/* Values opt_next() returns besides an opt_spec.id. */
enum {
	OPT_DONE = -1,		/* argv exhausted */
	OPT_POSITIONAL = -2,	/* *arg is a positional argument */
	OPT_ERROR = -3,		/* message already printed; exit EXIT_USAGE */
};

struct opt_state {
	int argc;
	char **argv;
	int ind;		/* next argv element to look at */
	const char *bundle;	/* rest of a short-option bundle, or NULL */
	int dashdash;		/* index after "--", or 0 if none seen */
	const char *prog;	/* "httptool get", for messages */
};

/* Prepare to parse argv[first..argc); prog names the command in errors. */
void opt_init(struct opt_state *st, int argc, char **argv, int first,
	      const char *prog);

/*
 * Return the next option's id with its argument in *arg (NULL for a flag),
 * OPT_POSITIONAL with *arg set, OPT_DONE, or OPT_ERROR after printing
 * "httptool get: unknown option '--x'" and a hint to stderr.  After "--",
 * everything is returned as OPT_POSITIONAL and st->dashdash is set.
 * *arg points into argv; it is never allocated.
 */
int opt_next(struct opt_state *st, const struct opt_spec *specs,
	     const char **arg);

/*
 * "Did you mean" with git's rule (help.c): each candidate scores its
 * weighted edit distance from what was typed plus one (swapping two
 * neighbours costs 0, a substitution 2, an insertion 1, a deletion 3),
 * or 0 when it starts with what was typed; the candidates sharing the
 * best score are suggested when it is below 7.  Prints
 * "PROG: did you mean 'X'?" (or "one of 'X', 'Y'?") with each name after
 * show_prefix ("--" for options) to fp; returns how many were suggested.
 * cands[0..n) may contain NULLs, which are skipped.
 */
size_t opt_suggest(FILE *fp, const char *prog, const char *typed,
		   const char *const *cands, size_t n, const char *show_prefix);

/* opt_suggest over the visible long options of a table ("--verbos"). */
size_t opt_suggest_long(FILE *fp, const char *prog, const char *typed,
			const struct opt_spec *specs);

/* Print "  -o, --output FILE   help" lines for every visible option. */
void opt_print_table(FILE *fp, const struct opt_spec *specs);

/* Print one line per option for `httptool __complete`:
 * "CMD<TAB>-s<TAB>--long<TAB>ARG<TAB>COMPLETE<TAB>CHOICES<TAB>HELP". */
void opt_dump(FILE *fp, const char *cmd, const struct opt_spec *specs);

/* Name of an opt_complete value, as used by opt_dump(). */
const char *opt_complete_name(enum opt_complete c);

#endif
