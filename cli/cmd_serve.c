/*
 * cmd_serve.c - `httptool serve`: the built-in test server.  Parses the
 * options (this table is the single source of truth for --help, the man
 * page and the completions) into a struct server_config and runs
 * server/.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "server/server.h"

enum {
	OPT_HELP = 'h',
	OPT_TLS = 256, OPT_CERT, OPT_KEY, OPT_ECHO, OPT_LENIENT, OPT_QUIET,
	OPT_LOG_FORMAT, OPT_UPLOAD_DIR, OPT_THREADS, OPT_MAX_HEADER,
	OPT_MAX_BODY, OPT_HEADER_TIMEOUT, OPT_IDLE_TIMEOUT, OPT_MAX_CONNS,
	OPT_TRACE_METHOD, OPT_KEYLOG,
	OPT_MAX_HEADERS, OPT_LOG_FILE, OPT_NO_CORS,
};

static const struct opt_spec serve_opts[] = {
	{ 'b', 'b', "bind", "ADDR", "address to listen on (default 127.0.0.1; -b 0.0.0.0 or -b :: to expose)", OPTC_NONE, NULL },
	{ 'd', 'd', "directory", "DIR", "serve files from DIR (default .)", OPTC_DIR, NULL },
	{ OPT_TLS, 0, "tls", NULL, "serve HTTPS (self-signed certificate unless --cert/--key)", OPTC_NONE, NULL },
	{ OPT_CERT, 0, "cert", "FILE", "TLS certificate chain (PEM)", OPTC_FILE, NULL },
	{ OPT_KEY, 0, "key", "FILE", "TLS private key (PEM)", OPTC_FILE, NULL },
	{ OPT_KEYLOG, 0, "keylog", "FILE", "append TLS session secrets to FILE for sniff/Wireshark (default $SSLKEYLOGFILE)", OPTC_FILE, NULL },
	{ OPT_ECHO, 0, "echo", NULL, "be a TCP echo server instead (a line 'exit' closes; with --tls over TLS)", OPTC_NONE, NULL },
	{ OPT_LENIENT, 0, "lenient", NULL, "accept bare LF and obs-fold (telnet, nc)", OPTC_NONE, NULL },
	{ OPT_QUIET, 0, "quiet", NULL, "no access log", OPTC_NONE, NULL },
	{ OPT_LOG_FORMAT, 0, "log-format", "FORMAT", "access log format (default python)", OPTC_CHOICE, "python|common|json" },
	{ OPT_LOG_FILE, 0, "log-file", "FILE", "access log to FILE, appended (SIGHUP reopens it)", OPTC_FILE, NULL },
	{ OPT_UPLOAD_DIR, 0, "upload-dir", "DIR", "where /upload saves files (default: a new temp dir)", OPTC_DIR, NULL },
	{ OPT_THREADS, 0, "threads", "N", "event loops (default: number of cores)", OPTC_NONE, NULL },
	{ OPT_MAX_HEADER, 0, "max-header-size", "BYTES", "largest request head (default 65536; 431)", OPTC_NONE, NULL },
	{ OPT_MAX_HEADERS, 0, "max-headers", "N", "most header fields in a request (default 128; 431)", OPTC_NONE, NULL },
	{ OPT_MAX_BODY, 0, "max-body-size", "BYTES", "largest request body (default 64 MiB; 413)", OPTC_NONE, NULL },
	{ OPT_HEADER_TIMEOUT, 0, "header-timeout", "SECS", "most time between bytes of a request head (default 60)", OPTC_NONE, NULL },
	{ OPT_IDLE_TIMEOUT, 0, "idle-timeout", "SECS", "close idle keep-alive connections after SECS (default 60)", OPTC_NONE, NULL },
	{ OPT_MAX_CONNS, 0, "max-connections", "N", "most connections at once (default 1024; then idle ones are shed)", OPTC_NONE, NULL },
	{ OPT_NO_CORS, 0, "no-cors", NULL, "send no CORS headers (default: as httpbin, any origin)", OPTC_NONE, NULL },
	{ OPT_TRACE_METHOD, 0, "trace-method", NULL, "answer TRACE by echoing the request (off: 405; it echoes Cookie:)", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

/* A whole number in [min, max], or -1 after printing why not. */
static long long
serve_number(const char *opt, const char *arg, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		if (strcmp(opt, "PORT") == 0)	/* the argument, not an option */
			fprintf(stderr, "httptool serve: bad port '%s' (a "
				"number from %lld to %lld)\n", arg, min, max);
		else
			fprintf(stderr, "httptool serve: bad value '%s' for "
				"--%s (a number from %lld to %lld)\n", arg,
				opt, min, max);
		return -1;
	}
	return v;
}

/* Seconds, fractions allowed ("0.5"), as milliseconds; -1 if bad. */
static long long
serve_seconds(const char *opt, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v > 0) || v > 86400) {
		fprintf(stderr, "httptool serve: bad value '%s' for --%s "
			"(seconds, more than 0)\n", arg, opt);
		return -1;
	}
	return (long long)(v * 1000 + 0.5) ? (long long)(v * 1000 + 0.5) : 1;
}

/* The PORT argument; a folder's name there was meant for -d. */
static long long
serve_port(const char *arg)
{
	struct stat st;

	if (arg[0] && strspn(arg, "0123456789") != strlen(arg) &&
	    stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "httptool serve: '%s' is not a port number; "
			"did you mean -d %s?\n", arg, arg);
		return -1;
	}
	return serve_number("PORT", arg, 0, 65535);
}

static int
serve_option(struct server_config *cfg, int id, const char *arg)
{
	long long v = 0;

	switch (id) {
	case 'b': cfg->bind = arg; break;
	case 'd': cfg->dir = arg; break;
	case OPT_TLS: cfg->tls = true; break;
	case OPT_CERT: cfg->cert = arg; cfg->tls = true; break;
	case OPT_KEY: cfg->key = arg; cfg->tls = true; break;
	case OPT_KEYLOG: cfg->keylog = arg; break;
	case OPT_ECHO: cfg->echo = true; break;
	case OPT_LENIENT: cfg->lenient = true; break;
	case OPT_QUIET: cfg->quiet = true; break;
	case OPT_TRACE_METHOD: cfg->trace_method = true; break;
	case OPT_NO_CORS: cfg->cors = false; break;
	case OPT_LOG_FILE: cfg->log_file = arg; break;
	case OPT_MAX_HEADERS:
		v = serve_number("max-headers", arg, 1, 10000);
		cfg->max_headers = (size_t)v;
		break;
	case OPT_UPLOAD_DIR: cfg->upload_dir = arg; break;
	case OPT_LOG_FORMAT:
		if (!strcmp(arg, "python"))
			cfg->log_format = LOG_PYTHON;
		else if (!strcmp(arg, "common"))
			cfg->log_format = LOG_COMMON;
		else if (!strcmp(arg, "json"))
			cfg->log_format = LOG_JSON;
		else {
			fprintf(stderr, "httptool serve: unknown log format "
				"'%s' (python, common or json)\n", arg);
			return -1;
		}
		break;
	case OPT_THREADS:
		v = serve_number("threads", arg, 1, 64);
		cfg->threads = (int)v;
		break;
	case OPT_MAX_HEADER:
		v = serve_number("max-header-size", arg, 256, 1 << 24);
		cfg->max_header = (size_t)v;
		break;
	case OPT_MAX_BODY:
		v = serve_number("max-body-size", arg, 0, 1LL << 40);
		cfg->max_body = (size_t)v;
		break;
	case OPT_MAX_CONNS:
		v = serve_number("max-connections", arg, 1, 1 << 20);
		cfg->max_conns = (int)v;
		break;
	case OPT_HEADER_TIMEOUT:
		v = serve_seconds("header-timeout", arg);
		cfg->header_timeout_ms = (int)v;
		break;
	case OPT_IDLE_TIMEOUT:
		v = serve_seconds("idle-timeout", arg);
		cfg->idle_timeout_ms = (int)v;
		break;
	}
	return v < 0 ? -1 : 0;
}

static int
serve_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct server_config cfg;
	struct opt_state st;
	const char *arg;
	int id, nport = 0, status;

	server_config_default(&cfg);
	opt_init(&st, argc, argv, 1, "httptool serve");
	while ((id = cmd_next_opt(&st, self, &arg, &status)) != OPT_DONE) {
		if (id == CMD_OPT_EXIT)
			return status;
		if (id == OPT_POSITIONAL) {
			long long p = nport++ ? -1 : serve_port(arg);

			if (p < 0) {
				if (nport > 1)
					fprintf(stderr, "httptool serve: "
						"unexpected argument '%s'\n", arg);
				return EXIT_USAGE;
			}
			cfg.port = (int)p;
			continue;
		}
		if (serve_option(&cfg, id, arg) < 0)
			return EXIT_USAGE;
	}
	if ((cfg.cert != NULL) != (cfg.key != NULL)) {
		fprintf(stderr, "httptool serve: --cert and --key go together\n");
		return EXIT_USAGE;
	}
	if (cfg.keylog && !cfg.tls) {
		fprintf(stderr, "httptool serve: --keylog needs --tls\n");
		return EXIT_USAGE;
	}
	return server_run(&cfg);
}

const struct cmd_entry cmd_serve_entry = {
	.name = "serve",
	.summary = "run a test server: files, forms, httpbin routes, TLS, echo",
	.usage = "[OPTIONS] [PORT]",
	.description = "Serves DIR like python -m http.server, plus the lab "
	    "pages, httpbin-compatible JSON routes and fault routes (listed "
	    "on / and in the man page).  Strict HTTP/1.1 parsing: malformed "
	    "requests get a 4xx that explains the error.  PORT defaults to "
	    "8000 (0 picks a free one).",
	.opts = serve_opts,
	.exec = serve_exec,
};
