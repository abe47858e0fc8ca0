/*
 * cmd_ws.c - `httptool ws URL`: the WebSocket client.
 *
 * This file only reads the command line (the option table below is the
 * single source of truth for --help, the man page and the completions)
 * and fills a struct ws_client_config; ws/client.c does the work.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ws/client.h"

enum {
	OPT_HELP = 'h',
	OPT_BINARY = 256, OPT_PING, OPT_CLOSE_TIMEOUT, OPT_MAX_MESSAGE,
};

static const struct opt_spec ws_opts[] = {
	{ 'v', 'v', "verbose", NULL, "show the handshake and every frame (opcode, FIN, length) on stderr", OPTC_NONE, NULL },
	{ OPT_BINARY, 0, "binary", NULL, "send stdin's bytes as binary messages, not lines as text", OPTC_NONE, NULL },
	{ OPT_PING, 0, "ping", "SECS", "send a ping every SECS seconds", OPTC_NONE, NULL },
	{ 'H', 'H', "header", "LINE", "add a header to the handshake request (repeatable)", OPTC_NONE, NULL },
	{ 'k', 'k', "insecure", NULL, "wss://: do not verify the server's certificate", OPTC_NONE, NULL },
	{ 'w', 'w', "connect-timeout", "SECS", "give up connecting after SECS", OPTC_NONE, NULL },
	{ OPT_CLOSE_TIMEOUT, 0, "close-timeout", "SECS", "wait SECS for the server's close frame (default 5)", OPTC_NONE, NULL },
	{ OPT_MAX_MESSAGE, 0, "max-message", "BYTES", "close with 1009 on a larger message (default 16777216)", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static const char ws_description[] =
	"Opens a WebSocket (RFC 6455) to a ws:// or wss:// URL and stays\n"
	"connected: each line typed or piped on stdin is sent as a text\n"
	"message (--binary: whatever stdin gives, as binary messages), and\n"
	"every message received is written to stdout, a text message followed\n"
	"by a newline.  Pings from the server are answered.  When stdin ends\n"
	"and as many messages came back as were sent (or a second passed\n"
	"without one), a close frame (1000) is sent and the server's close\n"
	"awaited.  The close code and reason the server sent are shown on\n"
	"stderr.\n"
	"\n"
	"Exit status: 0 when the closing handshake ends with 1000, 1001 or no\n"
	"code; 1 for any other end (a refused handshake, a bad frame, another\n"
	"close code, a connection dropped without a close frame); 2 usage;\n"
	"7 when the connection cannot be made; 35 when TLS fails.\n";

/* Seconds from the command line, as milliseconds; -1 when not valid. */
static int
ws_secs(const char *arg, bool zero_ok)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0) || v > 86400 * 365 ||
	    (!zero_ok && v == 0))
		return -1;
	return (int)ceil(v * 1000);
}

static int
ws_option(struct ws_client_config *c, int id, const char *arg)
{
	int ms = 0;
	char *end;

	if (id == OPT_PING || id == 'w' || id == OPT_CLOSE_TIMEOUT) {
		if ((ms = ws_secs(arg, id != OPT_PING)) < 0)
			return cmd_usage("ws", "not a number of seconds", arg);
	}
	switch (id) {
	case 'v': c->verbose = true; break;
	case OPT_BINARY: c->binary = true; break;
	case OPT_PING: c->ping_ms = ms; break;
	case 'k': c->insecure = true; break;
	case 'w': c->connect_timeout_ms = ms; break;
	case OPT_CLOSE_TIMEOUT: c->close_timeout_ms = ms; break;
	case OPT_MAX_MESSAGE:
		c->max_message = strtoull(arg, &end, 10);
		if (end == arg || *end || c->max_message == 0 ||
		    c->max_message > (1ull << 31))
			return cmd_usage("ws", "not a size in bytes", arg);
		break;
	case 'H':
		if (!strchr(arg, ':') || strpbrk(arg, "\r\n"))
			return cmd_usage("ws", "a header is 'Name: value'",
					 arg);
		if (c->nheaders == WS_CLIENT_MAX_HEADERS)
			return cmd_usage("ws", "too many -H", NULL);
		c->headers[c->nheaders++] = arg;
		break;
	}
	return EXIT_OK;
}

static int
ws_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct ws_client_config cfg = {
		.in_fd = 0, .out_fd = 1, .err_fd = 2,
		.close_timeout_ms = 5000, .max_message = 16u << 20,
	};
	struct opt_state st;
	const char *arg;
	int id, status;

	opt_init(&st, argc, argv, 1, "httptool ws");
	while ((id = cmd_next_opt(&st, self, &arg, &status)) != OPT_DONE) {
		if (id == CMD_OPT_EXIT)
			return status;
		if (id == OPT_POSITIONAL) {
			if (cfg.url)
				return cmd_usage("ws", "one URL only, not",
						 arg);
			cfg.url = arg;
			continue;
		}
		if (ws_option(&cfg, id, arg) != EXIT_OK)
			return EXIT_USAGE;
	}
	if (!cfg.url)
		return cmd_usage("ws", "missing URL", NULL);
	return ws_client_run(&cfg);
}

const struct cmd_entry cmd_ws_entry = {
	.name = "ws",
	.summary = "talk to a WebSocket server (websocat-like)",
	.usage = "[OPTIONS] URL",
	.description = ws_description,
	.opts = ws_opts,
	.exec = ws_exec,
};
