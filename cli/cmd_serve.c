/*
 * cmd_serve.c - `httptool serve`: the built-in test server.
 */
#include "cmd.h"

enum {
	OPT_HELP = 'h',
	OPT_TLS = 256, OPT_CERT, OPT_KEY, OPT_ECHO, OPT_LENIENT, OPT_QUIET,
	OPT_LOG_FORMAT, OPT_UPLOAD_DIR, OPT_THREADS, OPT_MAX_HEADER,
	OPT_MAX_BODY, OPT_HEADER_TIMEOUT, OPT_IDLE_TIMEOUT, OPT_MAX_CONNS,
};

static const struct opt_spec serve_opts[] = {
	{ 'b', 'b', "bind", "ADDR", "address to listen on (default 127.0.0.1)", OPTC_NONE, NULL },
	{ 'd', 'd', "directory", "DIR", "serve files from DIR (default .)", OPTC_DIR, NULL },
	{ OPT_TLS, 0, "tls", NULL, "serve HTTPS", OPTC_NONE, NULL },
	{ OPT_CERT, 0, "cert", "FILE", "TLS certificate (PEM)", OPTC_FILE, NULL },
	{ OPT_KEY, 0, "key", "FILE", "TLS private key (PEM)", OPTC_FILE, NULL },
	{ OPT_ECHO, 0, "echo", NULL, "be a TCP echo server instead", OPTC_NONE, NULL },
	{ OPT_LENIENT, 0, "lenient", NULL, "accept bare LF and obs-fold", OPTC_NONE, NULL },
	{ OPT_QUIET, 0, "quiet", NULL, "no access log", OPTC_NONE, NULL },
	{ OPT_LOG_FORMAT, 0, "log-format", "FORMAT", "access log format", OPTC_CHOICE, "python|common|json" },
	{ OPT_UPLOAD_DIR, 0, "upload-dir", "DIR", "where /upload saves files", OPTC_DIR, NULL },
	{ OPT_THREADS, 0, "threads", "N", "event loops (default: number of cores)", OPTC_NONE, NULL },
	{ OPT_MAX_HEADER, 0, "max-header-size", "BYTES", "largest request header block", OPTC_NONE, NULL },
	{ OPT_MAX_BODY, 0, "max-body-size", "BYTES", "largest request body", OPTC_NONE, NULL },
	{ OPT_HEADER_TIMEOUT, 0, "header-timeout", "SECS", "deadline for a whole request header", OPTC_NONE, NULL },
	{ OPT_IDLE_TIMEOUT, 0, "idle-timeout", "SECS", "close idle keep-alive connections after SECS", OPTC_NONE, NULL },
	{ OPT_MAX_CONNS, 0, "max-connections", "N", "most connections at once", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static int
serve_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	const char *arg;
	int id;

	opt_init(&st, argc, argv, 1, "httptool serve");
	while ((id = opt_next(&st, serve_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return EXIT_USAGE;
		if (id == OPT_HELP) {
			cmd_print_help(self, stdout);
			return EXIT_OK;
		}
	}
	return cmd_not_built(self, "the test server");
}

const struct cmd_entry cmd_serve_entry = {
	.name = "serve",
	.summary = "run a test server: files, forms, httpbin routes, TLS, echo",
	.usage = "[OPTIONS] [PORT]",
	.opts = serve_opts,
	.exec = serve_exec,
};
