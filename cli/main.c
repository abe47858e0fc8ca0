/*
 * main.c - httptool's entry point: global flags and dispatch.
 *
 * Dispatch is a lookup in cmd_table (cli/cmd.c, STYLE.md 2).  Only cli/
 * exits; every subcommand returns an enum exit_code from its exec.
 */
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "cmd.h"
#include "lib/version.h"

/* Dump every option table for the completion generator and its test. */
static int
dump_tables(void)
{
	for (const struct cmd_entry *const *c = cmd_table; *c; c++) {
		printf("%s\t\t\t\tcommand\t\t%s\n", (*c)->name, (*c)->summary);
		if ((*c)->opts)
			opt_dump(stdout, (*c)->name, (*c)->opts);
	}
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry *cmd;

	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		setlocale(LC_CTYPE, "");
		cmd_print_list(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("httptool %s\n", HTTPTOOL_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cmd_print_list(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "__complete") == 0)
		return dump_tables();
	if (argv[1][0] == '-') {
		static const char *const global[] = { "version", "help" };

		fprintf(stderr, "httptool: unknown option '%s'\n", argv[1]);
		if (argv[1][1] != '-' ||
		    !opt_suggest(stderr, "httptool", argv[1] + 2, global, 2,
				 "--"))
			fprintf(stderr, "httptool: try 'httptool help' for the "
				"commands\n");
		return EXIT_USAGE;
	}
	cmd = cmd_find(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "httptool: unknown command '%s'\n", argv[1]);
		if (!cmd_suggest(stderr, "httptool", argv[1]))
			fprintf(stderr, "httptool: try 'httptool help' for the "
				"commands\n");
		return EXIT_USAGE;
	}
	if (!cmd->own_locale)
		setlocale(LC_CTYPE, "");
	return cmd->exec(cmd, argc - 1, argv + 1);
}
