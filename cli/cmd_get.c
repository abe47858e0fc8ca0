/*
 * cmd_get.c - the client: get, post, put, patch, delete, head, options and
 * request.  One option table and one exec serve every method; each method
 * is its own cmd_entry so `httptool help` lists them and completions see
 * them.
 *
 * The option letters and meanings are curl's; request items are HTTPie's.
 */
#include <string.h>

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

static int
client_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	const char *arg;
	char prog[64];
	int id;

	opt_init(&st, argc, argv, 1, cmd_prog(self, prog, sizeof prog));
	while ((id = opt_next(&st, client_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return EXIT_USAGE;
		if (id == OPT_HELP) {
			cmd_print_help(self, stdout);
			return EXIT_OK;
		}
	}
	return cmd_not_built(self, "the HTTP client");
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
