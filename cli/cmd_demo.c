/*
 * cmd_demo.c - `httptool demo`: the classic first lab in one command.
 */
#include "cmd.h"

enum { OPT_HELP = 'h', OPT_STEP = 256, OPT_TUI };

static const struct opt_spec demo_opts[] = {
	{ OPT_STEP, 0, "step", NULL, "pause between steps", OPTC_NONE, NULL },
	{ OPT_TUI, 0, "tui", NULL, "end in the terminal interface on the capture", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static int
demo_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	const char *arg;
	int id;

	opt_init(&st, argc, argv, 1, "httptool demo");
	while ((id = opt_next(&st, demo_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return EXIT_USAGE;
		if (id == OPT_HELP) {
			cmd_print_help(self, stdout);
			return EXIT_OK;
		}
		if (id == OPT_POSITIONAL) {
			fprintf(stderr, "httptool demo: unexpected argument "
				"'%s'\n", arg);
			return EXIT_USAGE;
		}
	}
	return cmd_not_built(self, "the demo");
}

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.summary = "run the whole first lab: serve, send, sniff, explain",
	.usage = "[--step] [--tui]",
	.opts = demo_opts,
	.exec = demo_exec,
};
