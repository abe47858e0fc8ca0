/*
 * cmd.c - the command table, lookup and the help printers shared by every
 * subcommand.  Kept apart from main() so unit tests can link it.
 */
#include <string.h>

#include "cmd.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_get_entry,
	&cmd_post_entry,
	&cmd_put_entry,
	&cmd_patch_entry,
	&cmd_delete_entry,
	&cmd_head_entry,
	&cmd_options_entry,
	&cmd_request_entry,
	&cmd_raw_entry,
	&cmd_ws_entry,
	&cmd_sniff_entry,
	&cmd_serve_entry,
	&cmd_demo_entry,
	&cmd_help_entry,
	NULL,
};

const struct cmd_entry *
cmd_find(const char *name)
{
	for (const struct cmd_entry *const *c = cmd_table; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

size_t
cmd_suggest(FILE *fp, const char *prog, const char *typed)
{
	const char *names[sizeof cmd_table / sizeof cmd_table[0]];
	size_t n = 0;

	for (const struct cmd_entry *const *c = cmd_table; *c; c++)
		names[n++] = (*c)->name;
	return opt_suggest(fp, prog, typed, names, n, "");
}

const char *
cmd_prog(const struct cmd_entry *self, char *buf, size_t size)
{
	snprintf(buf, size, "httptool %s", self->name);
	return buf;
}

void
cmd_print_help(const struct cmd_entry *cmd, FILE *fp)
{
	char ref[4200];

	fprintf(fp, "usage: httptool %s %s\n\n%s\n", cmd->name, cmd->usage,
		cmd->summary);
	if (cmd->description)
		fprintf(fp, "\n%s", cmd->description);
	if (cmd->opts && cmd->opts[0].id != 0) {
		fprintf(fp, "\noptions:\n");
		opt_print_table(fp, cmd->opts);
	}
	fprintf(fp, "\nSee '%s' for details and examples.\n",
		cmd_man_ref(cmd, ref, sizeof ref));
}

void
cmd_print_list(FILE *fp)
{
	fprintf(fp, "usage: httptool COMMAND [ARGS...]\n"
		"       httptool help [COMMAND] | --version\n\n"
		"httptool sends, serves and sniffs HTTP for learning and "
		"debugging.\n\ncommands:\n");
	for (const struct cmd_entry *const *c = cmd_table; *c; c++)
		fprintf(fp, "  %-9s %s\n", (*c)->name, (*c)->summary);
	fprintf(fp, "\nRun 'httptool COMMAND --help' for a command's "
		"options.\n");
}

int
cmd_not_built(const struct cmd_entry *self, const char *what)
{
	fprintf(stderr, "httptool %s: %s is not built yet\n", self->name,
		what);
	return EXIT_FAIL;
}

int
cmd_next_opt(struct opt_state *st, const struct cmd_entry *self,
	     const char **arg, int *status)
{
	int id = opt_next(st, self->opts, arg);

	if (id == 'h') {
		cmd_print_help(self, stdout);
		*status = EXIT_OK;
		return CMD_OPT_EXIT;
	}
	if (id == OPT_ERROR) {
		*status = EXIT_USAGE;
		return CMD_OPT_EXIT;
	}
	return id;
}

int
cmd_usage(const char *name, const char *what, const char *arg)
{
	fprintf(stderr, "httptool %s: %s%s%s%s\n", name, what, arg ? " '" : "",
		arg ? arg : "", arg ? "'" : "");
	fprintf(stderr, "httptool %s: try 'httptool %s --help' for the "
		"options\n", name, name);
	return EXIT_USAGE;
}
