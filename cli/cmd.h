/*
 * cmd.h - the subcommand table.
 *
 * Each subcommand lives in cli/cmd_<name>.c and exports exactly one
 * `const struct cmd_entry cmd_<name>_entry` (the client exports one per
 * method, all sharing one implementation).  Everything else in that file
 * is static.
 *
 * To add a subcommand:
 *   1. write cli/cmd_<name>.c with its option table, usage text and exec;
 *   2. declare the entry below and list it in cmd_table[] in cli/main.c;
 *   3. document it in man/ and let the completions pick it up
 *      (`httptool __complete` dumps every table).
 */
#ifndef HTTPTOOL_CMD_H
#define HTTPTOOL_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/exitcode.h"
#include "opt.h"

struct cmd_entry {
	const char *name;
	const char *summary;		/* one line for `httptool help` */
	const char *usage;		/* arguments after the name */
	const char *description;	/* paragraph for --help, or NULL */
	const struct opt_spec *opts;
	/* argv[0] is the subcommand name; returns an enum exit_code */
	int (*exec)(const struct cmd_entry *self, int argc, char **argv);
	/* exec sets LC_CTYPE itself when it needs it (main does it for the
	   others): the client, only for a non-ASCII host name */
	bool own_locale;
};

extern const struct cmd_entry cmd_get_entry, cmd_post_entry, cmd_put_entry,
    cmd_patch_entry, cmd_delete_entry, cmd_head_entry, cmd_options_entry,
    cmd_request_entry, cmd_raw_entry, cmd_ws_entry, cmd_sniff_entry,
    cmd_serve_entry,
    cmd_demo_entry, cmd_help_entry;

/* NULL-terminated, in the order `httptool help` lists them. */
extern const struct cmd_entry *const cmd_table[];

/* Look a subcommand up by name; NULL when there is none. */
const struct cmd_entry *cmd_find(const char *name);

/* "PROG: did you mean 'get'?" for a mistyped subcommand (opt_suggest's
 * rule) on fp; how many were suggested. */
size_t cmd_suggest(FILE *fp, const char *prog, const char *typed);

/* Print the --help text of a subcommand (usage, description, options). */
void cmd_print_help(const struct cmd_entry *cmd, FILE *fp);

/* cmd_next_opt(): the command is over, return *status. */
#define CMD_OPT_EXIT (-100)

/*
 * opt_next() over self->opts for a subcommand's option loop, answering
 * the two cases every command answers alike: --help (id 'h') prints the
 * help on stdout, *status = EXIT_OK; an option error (already printed)
 * gives *status = EXIT_USAGE.  Both return CMD_OPT_EXIT.  Otherwise the
 * option's id, OPT_POSITIONAL or OPT_DONE, as opt_next() returns them.
 */
int cmd_next_opt(struct opt_state *st, const struct cmd_entry *self,
		 const char **arg, int *status);

/*
 * How to read cmd's man page, into buf: "man ./man/httptool-get.1" (or
 * an absolute path) for a binary run from its clone, "man httptool-get"
 * once installed.  Returns buf.  (cli/manpage.c)
 */
const char *cmd_man_ref(const struct cmd_entry *cmd, char *buf, size_t size);

/* Show cmd's man page with man(1), as `git help` does: 0 when man ran,
 * -1 when there is no man or no page (then print the --help text). */
int cmd_man_show(const struct cmd_entry *cmd);

/* Print the list of subcommands with their summaries. */
void cmd_print_list(FILE *fp);

/*
 * For subcommands whose body has not been written yet: say so in one line
 * on stderr and return EXIT_FAIL.  Never pretend to work.
 */
int cmd_not_built(const struct cmd_entry *self, const char *what);

/*
 * A usage error of subcommand name: "httptool NAME: WHAT 'ARG'" (no
 * quoted part when arg is NULL) and where to find the options, on
 * stderr.  Returns EXIT_USAGE.
 */
int cmd_usage(const char *name, const char *what, const char *arg);

/* Fills "httptool <name>" into buf for messages; returns buf. */
const char *cmd_prog(const struct cmd_entry *self, char *buf, size_t size);

#endif
