/*
 * cmd_raw.c - `httptool raw`: the telnet-style sender.
 */
#include "cmd.h"

enum {
	OPT_HELP = 'h',
	OPT_BINARY = 256, OPT_KEEP_OPEN, OPT_TLS, OPT_SNI, OPT_ALPN,
	OPT_STATS,
};

static const struct opt_spec raw_opts[] = {
	{ 'w', 'w', "connect-timeout", "SECS", "give up connecting after SECS", OPTC_NONE, NULL },
	{ 'U', 'U', "unix", "PATH", "connect to a Unix socket instead of HOST PORT", OPTC_FILE, NULL },
	{ OPT_BINARY, 0, "binary", NULL, "send input bytes untouched (no LF to CRLF)", OPTC_NONE, NULL },
	{ 'v', 'v', "verbose", NULL, "annotate replies on stderr (default on a TTY)", OPTC_NONE, NULL },
	{ 'x', 'x', "hex", NULL, "hex dump both directions", OPTC_NONE, NULL },
	{ 'q', 'q', "linger", "SECS", "after input ends, wait SECS then close", OPTC_NONE, NULL },
	{ 'N', 'N', "half-close", NULL, "shut down sending as soon as input ends", OPTC_NONE, NULL },
	{ OPT_KEEP_OPEN, 0, "keep-open", NULL, "after input ends, stay until the server closes", OPTC_NONE, NULL },
	{ 'i', 'i', "idle-timeout", "SECS", "close after SECS without traffic", OPTC_NONE, NULL },
	{ OPT_TLS, 0, "tls", NULL, "connect with TLS", OPTC_NONE, NULL },
	{ OPT_SNI, 0, "sni", "NAME", "TLS server name to send", OPTC_NONE, NULL },
	{ OPT_ALPN, 0, "alpn", "PROTOS", "TLS ALPN protocols, comma-separated", OPTC_NONE, NULL },
	{ 'k', 'k', "insecure", NULL, "do not verify the server's certificate", OPTC_NONE, NULL },
	{ OPT_STATS, 0, "stats", NULL, "print timings and byte counts at the end", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static int
raw_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	const char *arg;
	int id;

	opt_init(&st, argc, argv, 1, "httptool raw");
	while ((id = opt_next(&st, raw_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return EXIT_USAGE;
		if (id == OPT_HELP) {
			cmd_print_help(self, stdout);
			return EXIT_OK;
		}
	}
	return cmd_not_built(self, "the raw sender");
}

const struct cmd_entry cmd_raw_entry = {
	.name = "raw",
	.summary = "type or pipe bytes at a server and see what comes back",
	.usage = "[OPTIONS] HOST PORT | URL | -U PATH",
	.opts = raw_opts,
	.exec = raw_exec,
};
