/*
 * cmd_raw.c - `httptool raw`: the telnet-style sender.
 *
 * This file only reads the command line (the option table below is the
 * single source of truth for --help, the man page and the completions)
 * and fills a struct raw_config; raw/raw_session.c does the work, with
 * raw_conn.c (sockets, TLS), raw_track.c and raw_annot.c (HTTP, through
 * http/parse.h), raw_text.c (CRLF, escapes, hex) and raw_menu.c (^]).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "http/url.h"
#include "raw/raw_session.h"

enum {
	OPT_HELP = 'h',
	OPT_BINARY = 256, OPT_KEEP_OPEN, OPT_TLS, OPT_SNI, OPT_ALPN,
	OPT_STATS, OPT_KEYLOG, OPT_CRLF_BODY, OPT_CACERT, OPT_CAPATH, OPT_CERT,
	OPT_KEY,
};

static const struct opt_spec raw_opts[] = {
	{ 'w', 'w', "connect-timeout", "SECS", "give up connecting after SECS", OPTC_NONE, NULL },
	{ 'U', 'U', "unix", "PATH", "connect to a Unix socket instead of HOST PORT", OPTC_FILE, NULL },
	{ OPT_BINARY, 0, "binary", NULL, "send input bytes untouched (no LF to CRLF)", OPTC_NONE, NULL },
	{ OPT_CRLF_BODY, 0, "crlf-body", NULL, "turn LF into CRLF in request bodies too", OPTC_NONE, NULL },
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
	{ OPT_KEYLOG, 0, "keylog", "FILE", "append TLS session secrets to FILE for sniff/Wireshark (default $SSLKEYLOGFILE)", OPTC_FILE, NULL },
	{ OPT_CACERT, 0, "cacert", "FILE", "verify the server with the CA certificates in FILE (PEM)", OPTC_FILE, NULL },
	{ OPT_CAPATH, 0, "capath", "DIR", "verify the server with the CA certificates in DIR (hashed)", OPTC_DIR, NULL },
	{ OPT_CERT, 0, "cert", "FILE", "client certificate (PEM, may hold the key)", OPTC_FILE, NULL },
	{ OPT_KEY, 0, "key", "FILE", "private key of --cert (PEM)", OPTC_FILE, NULL },
	{ OPT_STATS, 0, "stats", NULL, "print timings and byte counts at the end", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static const char raw_description[] =
	"Connects to HOST PORT, HOST:PORT, the host and port of an http:// or\n"
	"https:// URL, or a Unix socket with -U (no port: 80, 443 with --tls)\n"
	"and sends what is typed or piped.  In request heads each LF not\n"
	"already after a CR is sent as CRLF; a body framed by Content-Length\n"
	"goes out byte for byte (--crlf-body converts it too), with a warning\n"
	"when the typed body does not match the length.  What comes back\n"
	"is written to stdout untouched; with -v (default on a terminal) each\n"
	"response is annotated on stderr: status, body framing, completion,\n"
	"anything malformed.  -x writes a hex dump of both directions to\n"
	"stdout instead of the raw bytes.\n"
	"\n"
	"When the input ends, the default is to wait until every request sent\n"
	"has been answered (or, if what was sent is not HTTP, until the server\n"
	"has been quiet for a second), then close; -q, -N and --keep-open\n"
	"change that.  Requests left unanswered when the server closes or -i\n"
	"expires are named, and the exit status is 52 or 28 (as curl's); a\n"
	"reply that is not valid HTTP exits 8.  On a terminal, ^] opens a\n"
	"prompt that stays until an empty line: send, status, close, quit,\n"
	"help.\n";

/* Seconds from the command line, as milliseconds; -1 when not valid. */
static int
raw_secs(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0) || v > 86400 * 365)
		return -1;
	return (int)ceil(v * 1000);
}

static int
raw_usage(const char *what, const char *arg)
{
	return cmd_usage("raw", what, arg);
}

/* Take host, port and TLS from an http:// or https:// URL. */
static int
raw_from_url(struct raw_config *c, const char *url, char *host, size_t hsize,
	     char *port, size_t psize)
{
	struct http_url u;

	if (!http_url_split(span_from(url), &u) || u.host.len == 0 ||
	    u.host.len >= hsize)
		return raw_usage("not a URL", url);
	if (span_ieq(u.scheme, "https"))
		c->tls = true;
	else if (!span_ieq(u.scheme, "http"))
		return raw_usage("only http:// and https:// URLs are known",
				 url);
	memcpy(host, u.host.p, u.host.len);
	host[u.host.len] = 0;
	c->port_defaulted = u.port_num == 0;
	snprintf(port, psize, "%d", u.port_num ? u.port_num
			       : c->tls ? 443 : 80);
	return EXIT_OK;
}

/* "HOST:PORT" or "[V6]:PORT" into host and port; false when arg is not
 * of that form (a bare name, or an IPv6 address without brackets). */
static bool
raw_split_colon(const char *arg, char *host, size_t hsize, char *port,
		size_t psize)
{
	const char *colon = strrchr(arg, ':');
	size_t hl;

	if (colon == NULL || colon[1] == 0 || strlen(colon + 1) >= psize)
		return false;
	if (arg[0] == '[') {
		if (colon[-1] != ']')
			return false;
		arg++;
		hl = (size_t)(colon - 1 - arg);
	} else {
		if (memchr(arg, ':', (size_t)(colon - arg)))
			return false;	/* ::1, fe80::1: an address */
		hl = (size_t)(colon - arg);
	}
	if (hl == 0 || hl >= hsize)
		return false;
	memcpy(host, arg, hl);
	host[hl] = 0;
	snprintf(port, psize, "%s", colon + 1);
	return true;
}

/* Positional arguments into host and port (or the URL's). */
static int
raw_target(struct raw_config *c, char **pos, int npos, char *host,
	   size_t hsize, char *port, size_t psize)
{
	const char *h = npos > 0 ? pos[0] : "";

	if (c->unix_path)
		return npos == 0 ? EXIT_OK
				 : raw_usage("-U takes no HOST or PORT", pos[0]);
	if (npos == 0)
		return raw_usage("missing HOST PORT, HOST:PORT or URL", NULL);
	if (npos > 2)
		return raw_usage("too many arguments at", pos[2]);
	if (npos == 1 && strstr(h, "://"))
		return raw_from_url(c, h, host, hsize, port, psize);
	if (npos == 1 && raw_split_colon(h, host, hsize, port, psize))
		return EXIT_OK;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {	/* [::1] PORT */
		h++;
		if (strlen(h) - 1 >= hsize)
			return raw_usage("host name too long", NULL);
		snprintf(host, hsize, "%.*s", (int)(strlen(h) - 1), h);
	} else if (strlen(h) >= hsize) {
		return raw_usage("host name too long", NULL);
	} else {
		snprintf(host, hsize, "%s", h);
	}
	c->port_defaulted = npos == 1;
	snprintf(port, psize, "%s", npos == 2 ? pos[1] : c->tls ? "443" : "80");
	return EXIT_OK;
}

/* One option into c; EXIT_OK or EXIT_USAGE. */
static int
raw_option(struct raw_config *c, int id, const char *arg, int *eof_rules)
{
	int ms = 0;

	if (id == 'w' || id == 'q' || id == 'i') {
		if ((ms = raw_secs(arg)) < 0)
			return raw_usage("not a number of seconds", arg);
	}
	switch (id) {
	case 'w': c->connect_timeout_ms = ms; break;
	case 'U': c->unix_path = arg; break;
	case OPT_BINARY: c->binary = true; break;
	case 'v': c->annotate = true; break;
	case 'x': c->hex = true; break;
	case 'q': c->eof_rule = RAW_EOF_LINGER; c->linger_ms = ms;
		(*eof_rules)++; break;
	case 'N': c->eof_rule = RAW_EOF_HALF_CLOSE; (*eof_rules)++; break;
	case OPT_KEEP_OPEN: c->eof_rule = RAW_EOF_KEEP_OPEN;
		(*eof_rules)++; break;
	case 'i': c->idle_ms = ms; break;
	case OPT_TLS: c->tls = true; break;
	case OPT_SNI: c->tls_opts.sni = arg; break;
	case OPT_ALPN: c->tls_opts.alpn = arg; break;
	case 'k': c->tls_opts.insecure = true; break;
	case OPT_KEYLOG: c->tls_opts.keylog = arg; break;
	case OPT_CACERT: c->tls_opts.cacert = arg; break;
	case OPT_CAPATH: c->tls_opts.capath = arg; break;
	case OPT_CERT: c->tls_opts.cert = arg; break;
	case OPT_KEY: c->tls_opts.key = arg; break;
	case OPT_CRLF_BODY: c->crlf_body = true; break;
	case OPT_STATS: c->stats = true; break;
	}
	return EXIT_OK;
}

static int
raw_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct raw_config cfg = { .in_fd = 0, .out_fd = 1, .err_fd = 2 };
	struct opt_state st;
	char *pos[3], host[256] = "", port[32] = "";
	const char *arg;
	int id, npos = 0, eof_rules = 0, rc, status;

	opt_init(&st, argc, argv, 1, "httptool raw");
	while ((id = cmd_next_opt(&st, self, &arg, &status)) != OPT_DONE) {
		if (id == CMD_OPT_EXIT)
			return status;
		if (id == OPT_POSITIONAL) {
			if (npos < 3)
				pos[npos] = (char *)arg;
			npos++;
			continue;
		}
		if (raw_option(&cfg, id, arg, &eof_rules) != EXIT_OK)
			return EXIT_USAGE;
	}
	if (eof_rules > 1)
		return raw_usage("choose one of -q, -N and --keep-open", NULL);
	rc = raw_target(&cfg, pos, npos > 3 ? 3 : npos, host, sizeof host,
			port, sizeof port);
	if (rc != EXIT_OK)
		return rc;
	if (!cfg.tls && (cfg.tls_opts.sni || cfg.tls_opts.alpn ||
			 cfg.tls_opts.insecure || cfg.tls_opts.cacert ||
			 cfg.tls_opts.capath || cfg.tls_opts.cert ||
			 cfg.tls_opts.key || cfg.tls_opts.keylog))
		return raw_usage("--sni, --alpn, -k, --cacert, --capath, "
				 "--cert, --key and --keylog need --tls "
				 "(or an https:// URL)", NULL);
	if (cfg.tls_opts.key && !cfg.tls_opts.cert)
		return raw_usage("--key needs --cert", NULL);
	if (cfg.binary && cfg.crlf_body)
		return raw_usage("--binary sends no CRLF at all; drop "
				 "--crlf-body", NULL);
	cfg.host = host;
	cfg.port = port;
	if (isatty(cfg.in_fd))
		cfg.annotate = true;
	return raw_session_run(&cfg);
}

const struct cmd_entry cmd_raw_entry = {
	.name = "raw",
	.summary = "type or pipe bytes at a server and see what comes back",
	.usage = "[OPTIONS] HOST [PORT] | HOST:PORT | URL | -U PATH",
	.description = raw_description,
	.opts = raw_opts,
	.exec = raw_exec,
};
