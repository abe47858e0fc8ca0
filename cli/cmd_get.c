/*
 * cmd_get.c - the client: get, post, put, patch, delete, head, options and
 * request.  One option table and one exec serve every method; each method
 * is its own cmd_entry so `httptool help` lists them and completions see
 * them.
 *
 * The option letters and meanings are curl's; request items are HTTPie's.
 */
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "cmd.h"

enum {
	OPT_HELP = 'h',
	/* long-only options */
	OPT_DATA_BINARY = 256, OPT_DATA_URLENCODE, OPT_OUTPUT_DIR,
	OPT_MAX_REDIRS, OPT_COMPRESSED, OPT_CACERT, OPT_HTTP11, OPT_HTTP2,
	OPT_HTTP2_PK, OPT_CONNECT_TIMEOUT, OPT_RETRY, OPT_RETRY_DELAY,
	OPT_FAIL, OPT_FAIL_WITH_BODY, OPT_PARALLEL_MAX, OPT_RESOLVE,
	OPT_UNIX_SOCKET, OPT_TRACE_ASCII, OPT_PATH_AS_IS, OPT_JSON,
	OPT_PRETTY, OPT_PRINT, OPT_CURL, OPT_OFFLINE, OPT_SESSION,
	OPT_CHECK_STATUS,
};

static const struct opt_spec client_opts[] = {
	{ 'X', 'X', "request", "METHOD", "use METHOD instead of the command's", OPTC_NONE, NULL },
	{ 'H', 'H', "header", "LINE", "add a request header (\"Name: value\")", OPTC_NONE, NULL },
	{ 'd', 'd', "data", "DATA", "send DATA as the body (@file, @- for stdin)", OPTC_FILE, NULL },
	{ OPT_DATA_BINARY, 0, "data-binary", "DATA", "send DATA untouched (@file, @-)", OPTC_FILE, NULL },
	{ OPT_DATA_URLENCODE, 0, "data-urlencode", "DATA", "send DATA URL-encoded (name=value, name@file)", OPTC_NONE, NULL },
	{ 'F', 'F', "form", "NAME=VALUE", "add a multipart field (NAME=@file for a file)", OPTC_NONE, NULL },
	{ 'G', 'G', "get", NULL, "put -d data in the query string and use GET", OPTC_NONE, NULL },
	{ OPT_JSON, 'j', "json", NULL, "send items as JSON, ask for JSON", OPTC_NONE, NULL },
	{ 'i', 'i', "include", NULL, "print the status line and headers before the body", OPTC_NONE, NULL },
	{ 'I', 'I', "head", NULL, "send HEAD and print the headers", OPTC_NONE, NULL },
	{ 'v', 'v', "verbose", NULL, "show the request and response on stderr", OPTC_NONE, NULL },
	{ 's', 's', "silent", NULL, "no progress bar, no error text", OPTC_NONE, NULL },
	{ 'S', 'S', "show-error", NULL, "with -s, still show errors", OPTC_NONE, NULL },
	{ 'o', 'o', "output", "FILE", "write the body to FILE (pairs with the next URL)", OPTC_FILE, NULL },
	{ 'O', 'O', "remote-name", NULL, "write the body to a file named like the URL", OPTC_NONE, NULL },
	{ 'J', 'J', "remote-header-name", NULL, "with -O, use the Content-Disposition name", OPTC_NONE, NULL },
	{ OPT_OUTPUT_DIR, 0, "output-dir", "DIR", "directory for -o and -O files", OPTC_DIR, NULL },
	{ 'L', 'L', "location", NULL, "follow redirects", OPTC_NONE, NULL },
	{ OPT_MAX_REDIRS, 0, "max-redirs", "N", "follow at most N redirects", OPTC_NONE, NULL },
	{ 'b', 'b', "cookie", "DATA|FILE", "send cookies from a string or a jar", OPTC_FILE, NULL },
	{ 'c', 'c', "cookie-jar", "FILE", "write received cookies to FILE", OPTC_FILE, NULL },
	{ OPT_SESSION, 0, "session", "NAME", "keep cookies, auth and headers between runs", OPTC_NONE, NULL },
	{ 'u', 'u', "user", "USER:PASS", "basic authentication", OPTC_NONE, NULL },
	{ 'A', 'A', "user-agent", "NAME", "send User-Agent NAME", OPTC_NONE, NULL },
	{ 'e', 'e', "referer", "URL", "send Referer URL", OPTC_URL, NULL },
	{ 'r', 'r', "range", "RANGE", "ask for a byte range (0-99, 100-)", OPTC_NONE, NULL },
	{ 'C', 'C', "continue-at", "OFFSET", "resume at OFFSET (- to work it out)", OPTC_NONE, NULL },
	{ 'w', 'w', "write-out", "FORMAT", "print FORMAT after the transfer (%{http_code} ...)", OPTC_NONE, NULL },
	{ OPT_COMPRESSED, 0, "compressed", NULL, "ask for gzip/deflate and decompress", OPTC_NONE, NULL },
	{ 'k', 'k', "insecure", NULL, "do not verify the server's certificate", OPTC_NONE, NULL },
	{ OPT_CACERT, 0, "cacert", "FILE", "verify with the CA certificates in FILE", OPTC_FILE, NULL },
	{ '0', '0', "http1.0", NULL, "use HTTP/1.0", OPTC_NONE, NULL },
	{ OPT_HTTP11, 0, "http1.1", NULL, "use HTTP/1.1", OPTC_NONE, NULL },
	{ OPT_HTTP2, 0, "http2", NULL, "use HTTP/2 where the server offers it", OPTC_NONE, NULL },
	{ OPT_HTTP2_PK, 0, "http2-prior-knowledge", NULL, "use HTTP/2 without upgrade", OPTC_NONE, NULL },
	{ 'm', 'm', "max-time", "SECS", "give up after SECS in all", OPTC_NONE, NULL },
	{ OPT_CONNECT_TIMEOUT, 0, "connect-timeout", "SECS", "give up connecting after SECS", OPTC_NONE, NULL },
	{ OPT_RETRY, 0, "retry", "N", "retry transient failures N times", OPTC_NONE, NULL },
	{ OPT_RETRY_DELAY, 0, "retry-delay", "SECS", "wait SECS between retries", OPTC_NONE, NULL },
	{ OPT_FAIL, 'f', "fail", NULL, "exit 22 on HTTP errors, print no body", OPTC_NONE, NULL },
	{ OPT_FAIL_WITH_BODY, 0, "fail-with-body", NULL, "exit 22 on HTTP errors, print the body", OPTC_NONE, NULL },
	{ OPT_CHECK_STATUS, 0, "check-status", NULL, "exit 3/4/5 on a 3xx/4xx/5xx status", OPTC_NONE, NULL },
	{ 'Z', 'Z', "parallel", NULL, "transfer several URLs at once", OPTC_NONE, NULL },
	{ OPT_PARALLEL_MAX, 0, "parallel-max", "N", "at most N transfers at once", OPTC_NONE, NULL },
	{ OPT_RESOLVE, 0, "resolve", "HOST:PORT:ADDR", "use ADDR for HOST:PORT", OPTC_NONE, NULL },
	{ OPT_UNIX_SOCKET, 0, "unix-socket", "PATH", "connect through a Unix socket", OPTC_FILE, NULL },
	{ OPT_TRACE_ASCII, 0, "trace-ascii", "FILE", "write a full trace to FILE (- for stderr)", OPTC_FILE, NULL },
	{ OPT_PATH_AS_IS, 0, "path-as-is", NULL, "send /../ and /./ untouched", OPTC_NONE, NULL },
	{ OPT_PRETTY, 0, "pretty", "STYLE", "colour and format output", OPTC_CHOICE, "all|colors|format|none" },
	{ OPT_PRINT, 'p', "print", "WHAT", "print parts: H/B request headers/body, h/b response", OPTC_NONE, NULL },
	{ OPT_CURL, 0, "curl", NULL, "print the equivalent curl command, send nothing", OPTC_NONE, NULL },
	{ OPT_OFFLINE, 0, "offline", NULL, "print the request that would be sent, send nothing", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static const char client_description[] =
	"Request items (HTTPie syntax):\n"
	"  Header:value     add a header          name==value   query parameter\n"
	"  name=value       form (or JSON) field  name:=JSON    raw JSON value\n"
	"  field@path       multipart file        name=@path    value from a file\n"
	"A URL without a scheme gets http://; ':8000/x' means "
	"http://localhost:8000/x.\n";

/* The method a command stands for ("request" takes it from argv). */
static const char *
command_method(const char *name)
{
	static const char *const methods[][2] = {
		{ "get", "GET" }, { "post", "POST" }, { "put", "PUT" },
		{ "patch", "PATCH" }, { "delete", "DELETE" },
		{ "head", "HEAD" }, { "options", "OPTIONS" },
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(methods[i][0], name) == 0)
			return methods[i][1];
	return NULL;
}

static int
parse_secs(const char *arg, long *ms)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || v < 0 || v > 1e9)
		return -1;
	*ms = (long)(v * 1000 + 0.5);
	return 0;
}

static int
parse_count(const char *arg, long *n)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < -1)
		return -1;
	*n = v;
	return 0;
}

static int
parse_print(const char *arg, int *mask)
{
	*mask = 0;
	for (const char *p = arg; *p; p++) {
		const char *pos = strchr("HBhb", *p);
		if (pos == NULL)
			return -1;
		*mask |= 1 << (pos - "HBhb");
	}
	return *mask ? 0 : -1;
}

static int
parse_pretty(const char *arg, enum client_pretty *p)
{
	static const char *const names[] = { "none", "colors", "format", "all" };

	for (int i = 0; i < 4; i++)
		if (strcmp(arg, names[i]) == 0) {
			*p = (enum client_pretty)i;
			return 0;
		}
	return -1;
}

static int
add_output(struct client_cfg *cfg, const char *path)
{
	if (cfg->nouts == cfg->capouts) {
		size_t cap = cfg->capouts ? cfg->capouts * 2 : 4;
		struct client_output *o = realloc(cfg->outs, cap * sizeof *o);
		if (o == NULL)
			return -1;
		cfg->outs = o;
		cfg->capouts = cap;
	}
	cfg->outs[cfg->nouts].path = path ? strdup(path) : NULL;
	cfg->nouts++;
	return 0;
}

/* Options that only set a string or a flag; false when id is not one. */
static bool
simple_option(struct client_cfg *c, int id, const char *arg)
{
	switch (id) {
	case 'G': c->get_data = true; break;
	case OPT_JSON: c->as_json = true; break;
	case 'i': c->include = true; break;
	case 'v': c->verbose = true; break;
	case 's': c->silent = true; break;
	case 'S': c->show_error = true; break;
	case 'J': c->remote_header = true; break;
	case OPT_OUTPUT_DIR: c->output_dir = arg; break;
	case 'L': c->follow = true; break;
	case 'b': c->cookie = arg; break;
	case 'c': c->cookie_jar = arg; break;
	case OPT_SESSION: c->session = arg; break;
	case 'u': c->user = arg; break;
	case 'A': c->user_agent = arg; break;
	case 'e': c->referer = arg; break;
	case 'r': c->range = arg; break;
	case 'C': c->continue_at = arg; break;
	case 'w': c->writeout = arg; break;
	case OPT_COMPRESSED: c->compressed = true; break;
	case 'k': c->insecure = true; break;
	case OPT_CACERT: c->cacert = arg; break;
	case '0': c->http_version = 10; break;
	case OPT_HTTP11: c->http_version = 11; break;
	case OPT_HTTP2: c->http_version = 20; break;
	case OPT_HTTP2_PK: c->http_version = 2; break;
	case OPT_FAIL: c->fail = true; break;
	case OPT_FAIL_WITH_BODY: c->fail_with_body = true; break;
	case OPT_CHECK_STATUS: c->check_status = true; break;
	case 'Z': c->parallel = true; break;
	case OPT_UNIX_SOCKET: c->unix_socket = arg; break;
	case OPT_TRACE_ASCII: c->trace_ascii = arg; break;
	case OPT_PATH_AS_IS: c->path_as_is = true; break;
	case OPT_CURL: c->curl_cmd = true; break;
	case OPT_OFFLINE: c->offline = true; break;
	default: return false;
	}
	return true;
}

/* One option into cfg; 0, or -1 with err set (a usage error). */
static int
take_option(struct client_cfg *c, int id, const char *arg, char *err,
	    size_t errsize)
{
	int r = 0;

	if (simple_option(c, id, arg))
		return 0;
	switch (id) {
	case 'X': c->method = arg; c->method_forced = true; break;
	case 'I': c->head_only = true; c->method = "HEAD"; break;
	case 'H': r = client_strv_add(&c->headers, arg); break;
	case 'd': r = client_data_add(c, 'd', arg, err, errsize); break;
	case OPT_DATA_BINARY: r = client_data_add(c, 'b', arg, err, errsize); break;
	case OPT_DATA_URLENCODE: r = client_data_add(c, 'u', arg, err, errsize); break;
	case 'F': r = client_form_add(c, arg, err, errsize); break;
	case 'o': r = add_output(c, arg); break;
	case 'O': r = add_output(c, NULL); break;
	case OPT_RESOLVE: r = client_strv_add(&c->resolve, arg); break;
	case OPT_MAX_REDIRS:
	case OPT_RETRY:
	case OPT_PARALLEL_MAX: {
		long n;
		if (parse_count(arg, &n) < 0) {
			snprintf(err, errsize, "bad number '%s'", arg);
			return -1;
		}
		*(id == OPT_MAX_REDIRS ? &c->max_redirs :
		  id == OPT_RETRY ? &c->retry : &c->parallel_max) = n;
		break;
	}
	case 'm':
	case OPT_CONNECT_TIMEOUT:
	case OPT_RETRY_DELAY:
		if (parse_secs(arg, id == 'm' ? &c->max_time_ms :
			       id == OPT_CONNECT_TIMEOUT ? &c->connect_timeout_ms :
			       &c->retry_delay_ms) < 0) {
			snprintf(err, errsize, "bad number of seconds '%s'", arg);
			return -1;
		}
		break;
	case OPT_PRINT:
		if (parse_print(arg, &c->print) < 0) {
			snprintf(err, errsize, "bad --print '%s' (letters H, B, h, b)", arg);
			return -1;
		}
		break;
	case OPT_PRETTY:
		if (parse_pretty(arg, &c->pretty) < 0) {
			snprintf(err, errsize, "bad --pretty '%s' (all, colors, format, none)", arg);
			return -1;
		}
		break;
	default:
		snprintf(err, errsize, "unhandled option");
		return -1;
	}
	if (r < 0 && *err == 0)
		snprintf(err, errsize, "out of memory");
	return r < 0 ? -1 : 0;
}

/* Positional words: [METHOD] URL, then more URLs and request items. */
static int
take_positionals(struct client_cfg *c, bool want_method, char **pos,
		 int npos, char *err, size_t errsize)
{
	struct buf url = BUF_INIT;
	int i = 0, r = 0;

	if (want_method) {
		if (npos == 0) {
			snprintf(err, errsize, "no METHOD given");
			return -1;
		}
		if (!c->method_forced)
			c->method = pos[0];
		c->method_forced = true;
		i = 1;
	}
	if (i >= npos) {
		snprintf(err, errsize, "no URL given");
		return -1;
	}
	for (int first = i; r == 0 && i < npos; i++) {
		if (i == first || client_looks_like_url(pos[i])) {
			r = client_url_normalise(pos[i], &url, err, errsize);
			if (r == 0)
				r = client_strv_add(&c->urls, url.data);
		} else {
			r = client_item_add(c, pos[i], err, errsize);
		}
	}
	buf_free(&url);
	if (r < 0 && *err == 0)
		snprintf(err, errsize, "out of memory");
	return r < 0 ? -1 : 0;
}

static int
client_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct client_cfg cfg;
	struct opt_state st;
	const char *arg;
	char prog[64], err[512] = "";
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	int id, npos = 0, rc = EXIT_USAGE;

	cmd_prog(self, prog, sizeof prog);
	client_cfg_init(&cfg, prog, command_method(self->name));
	if (strcmp(self->name, "head") == 0)
		cfg.head_only = true;
	opt_init(&st, argc, argv, 1, prog);
	while (pos && (id = opt_next(&st, client_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			goto out;
		if (id == OPT_HELP) {
			cmd_print_help(self, stdout);
			rc = EXIT_OK;
			goto out;
		}
		if (id == OPT_POSITIONAL)
			pos[npos++] = (char *)arg;
		else if (take_option(&cfg, id, arg, err, sizeof err) < 0)
			goto usage;
	}
	if (take_positionals(&cfg, command_method(self->name) == NULL, pos,
			     npos, err, sizeof err) < 0 ||
	    client_session_load(&cfg, err, sizeof err) < 0 ||
	    client_body_build(&cfg, err, sizeof err) < 0)
		goto usage;
	if (!cfg.curl_cmd && !cfg.offline && client_ask_password(&cfg) < 0) {
		snprintf(err, sizeof err, "out of memory");
		goto usage;
	}
	if (cfg.curl_cmd)
		client_print_curl(&cfg, stdout);
	else if (cfg.offline)
		client_print_offline(&cfg, stdout);
	rc = cfg.curl_cmd || cfg.offline ? EXIT_OK : client_run(&cfg);
	goto out;
usage:
	fprintf(stderr, "%s: %s\n", prog, err);
out:
	client_cfg_free(&cfg);
	free(pos);
	return rc;
}

#define CLIENT_ENTRY(sym, nm, sum)					\
	const struct cmd_entry sym = {					\
		.name = nm,						\
		.summary = sum,						\
		.usage = "[OPTIONS] URL [URL...] [ITEM...]",		\
		.description = client_description,			\
		.opts = client_opts,					\
		.exec = client_exec,					\
	}

CLIENT_ENTRY(cmd_get_entry, "get", "send a GET request (curl-like, HTTPie items)");
CLIENT_ENTRY(cmd_post_entry, "post", "send a POST request with form, JSON or file items");
CLIENT_ENTRY(cmd_put_entry, "put", "send a PUT request");
CLIENT_ENTRY(cmd_patch_entry, "patch", "send a PATCH request");
CLIENT_ENTRY(cmd_delete_entry, "delete", "send a DELETE request");
CLIENT_ENTRY(cmd_head_entry, "head", "send a HEAD request and show the headers");
CLIENT_ENTRY(cmd_options_entry, "options", "send an OPTIONS request");

const struct cmd_entry cmd_request_entry = {
	.name = "request",
	.summary = "send a request with any METHOD",
	.usage = "[OPTIONS] METHOD URL [URL...] [ITEM...]",
	.description = client_description,
	.opts = client_opts,
	.exec = client_exec,
};
