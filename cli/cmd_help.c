/*
 * cmd_help.c - `httptool help [COMMAND]`: the command list, or one
 * command's man page (like `git help`), or its --help text when man or
 * the page is missing.
 */
#include "cmd.h"

enum { OPT_HELP = 'h' };

static const struct opt_spec help_opts[] = {
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static int
help_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	const char *arg, *topic = NULL;
	int id;

	opt_init(&st, argc, argv, 1, "httptool help");
	while ((id = opt_next(&st, help_opts, &arg)) != OPT_DONE) {
		switch (id) {
		case OPT_ERROR:
			return EXIT_USAGE;
		case OPT_HELP:
			cmd_print_help(self, stdout);
			return EXIT_OK;
		case OPT_POSITIONAL:
			if (topic) {
				fprintf(stderr, "httptool help: one command "
					"at a time\n");
				return EXIT_USAGE;
			}
			topic = arg;
			break;
		}
	}
	if (topic == NULL) {
		cmd_print_list(stdout);
		return EXIT_OK;
	}
	const struct cmd_entry *cmd = cmd_find(topic);
	if (cmd == NULL) {
		fprintf(stderr, "httptool help: unknown command '%s'\n", topic);
		if (!cmd_suggest(stderr, "httptool help", topic))
			fprintf(stderr, "httptool help: try 'httptool help' "
				"for the commands\n");
		return EXIT_USAGE;
	}
	if (cmd_man_show(cmd) != 0)
		cmd_print_help(cmd, stdout);
	return EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.summary = "show the commands, or one command's man page",
	.usage = "[COMMAND]",
	.opts = help_opts,
	.exec = help_exec,
};
