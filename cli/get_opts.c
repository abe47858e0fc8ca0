/*
 * get_opts.c - the client's options: the table (curl's letters and
 * meanings, HTTPie's features under names curl does not use) and what
 * each one sets in a struct client_cfg.  Arguments that could be read two
 * ways (curl's --json DATA or HTTPie's --json flag) are refused here,
 * before anything is sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "get_opts.h"
#include "lib/json.h"

const struct opt_spec get_opts[] = {
	{ 'X', 'X', "request", "METHOD", "use METHOD instead of the command's", OPTC_NONE, NULL },
	{ 'H', 'H', "header", "LINE", "add a request header (\"Name: value\", @file)", OPTC_NONE, NULL },
	{ 'd', 'd', "data", "DATA", "send DATA as the body (@file, @- for stdin)", OPTC_FILE, NULL },
	{ OPT_DATA_ASCII, 0, "data-ascii", "DATA", "the same as -d", OPTC_FILE, NULL },
	{ OPT_DATA_BINARY, 0, "data-binary", "DATA", "send DATA untouched (@file, @-)", OPTC_FILE, NULL },
	{ OPT_DATA_RAW, 0, "data-raw", "DATA", "as -d, but @ is an ordinary character", OPTC_NONE, NULL },
	{ OPT_DATA_URLENCODE, 0, "data-urlencode", "DATA", "send DATA URL-encoded (name=value, name@file)", OPTC_NONE, NULL },
	{ OPT_JSON, 0, "json", "DATA", "send DATA as JSON with JSON Content-Type and Accept (curl)", OPTC_FILE, NULL },
	{ OPT_JSON_ITEMS, 0, "json-items", NULL, "send the request items as a JSON object (HTTPie's --json)", OPTC_NONE, NULL },
	{ 'F', 'F', "form", "NAME=VALUE", "add a multipart field (NAME=@file, NAME=<file)", OPTC_NONE, NULL },
	{ OPT_FORM_STRING, 0, "form-string", "NAME=STRING", "add a multipart field taken literally", OPTC_NONE, NULL },
	{ 'G', 'G', "get", NULL, "put -d data in the query string and use GET", OPTC_NONE, NULL },
	{ OPT_URL_QUERY, 0, "url-query", "DATA", "add DATA to the query (name=value encoded, +raw)", OPTC_NONE, NULL },
	{ OPT_URL, 0, "url", "URL", "a URL to fetch (for config files)", OPTC_URL, NULL },
	{ 'g', 'g', "globoff", NULL, "no URL globbing: send {} and [] as they are", OPTC_NONE, NULL },
	{ 'T', 'T', "upload-file", "FILE", "PUT FILE (- for stdin) to the next URL", OPTC_FILE, NULL },
	{ 'i', 'i', "include", NULL, "print the status line and headers before the body", OPTC_NONE, NULL },
	{ 'I', 'I', "head", NULL, "send HEAD and print the headers", OPTC_NONE, NULL },
	{ 'D', 'D', "dump-header", "FILE", "write the response headers to FILE (- for stdout)", OPTC_FILE, NULL },
	{ 'v', 'v', "verbose", NULL, "show the request and response on stderr", OPTC_NONE, NULL },
	{ 's', 's', "silent", NULL, "no progress bar, no error text", OPTC_NONE, NULL },
	{ 'S', 'S', "show-error", NULL, "with -s, still show errors", OPTC_NONE, NULL },
	{ OPT_NO_PROGRESS_METER, 0, "no-progress-meter", NULL, "no progress bar, but error text", OPTC_NONE, NULL },
	{ OPT_PROGRESS_BAR, '#', "progress-bar", NULL, "show a progress bar for downloads to a file, even when stderr is not a terminal", OPTC_NONE, NULL },
	{ OPT_STDERR, 0, "stderr", "FILE", "write messages to FILE instead (- for stdout)", OPTC_FILE, NULL },
	{ 'o', 'o', "output", "FILE", "write the body to FILE (pairs with the next URL)", OPTC_FILE, NULL },
	{ 'O', 'O', "remote-name", NULL, "write the body to a file named like the URL", OPTC_NONE, NULL },
	{ OPT_REMOTE_NAME_ALL, 0, "remote-name-all", NULL, "-O for every URL without an -o", OPTC_NONE, NULL },
	{ 'J', 'J', "remote-header-name", NULL, "with -O, use the Content-Disposition name", OPTC_NONE, NULL },
	{ OPT_OUTPUT_DIR, 0, "output-dir", "DIR", "directory for -o and -O files", OPTC_DIR, NULL },
	{ OPT_CREATE_DIRS, 0, "create-dirs", NULL, "create the directories of -o files", OPTC_NONE, NULL },
	{ OPT_REMOVE_ON_ERROR, 0, "remove-on-error", NULL, "remove the output file when the transfer fails", OPTC_NONE, NULL },
	{ OPT_ETAG_SAVE, 0, "etag-save", "FILE", "write the response's ETag to FILE (- for stdout)", OPTC_FILE, NULL },
	{ OPT_ETAG_COMPARE, 0, "etag-compare", "FILE", "send If-None-Match with the ETag in FILE", OPTC_FILE, NULL },
	{ 'R', 'R', "remote-time", NULL, "give the output file the server's Last-Modified time", OPTC_NONE, NULL },
	{ 'N', 'N', "no-buffer", NULL, "write body bytes out as they arrive", OPTC_NONE, NULL },
	{ C(COPT_MAX_FILESIZE), 0, "max-filesize", "SIZE", "refuse bodies larger than SIZE (exit 63)", OPTC_NONE, NULL },
	{ C(COPT_LIMIT_RATE), 0, "limit-rate", "SPEED", "at most SPEED bytes/s (10k, 1M)", OPTC_NONE, NULL },
	{ 'L', 'L', "location", NULL, "follow redirects", OPTC_NONE, NULL },
	{ C(COPT_LOCATION_TRUSTED), 0, "location-trusted", NULL, "follow redirects, sending credentials to other hosts", OPTC_NONE, NULL },
	{ OPT_MAX_REDIRS, 0, "max-redirs", "N", "follow at most N redirects", OPTC_NONE, NULL },
	{ C(COPT_POST301), 0, "post301", NULL, "keep POST after a 301 redirect", OPTC_NONE, NULL },
	{ C(COPT_POST302), 0, "post302", NULL, "keep POST after a 302 redirect", OPTC_NONE, NULL },
	{ C(COPT_POST303), 0, "post303", NULL, "keep POST after a 303 redirect", OPTC_NONE, NULL },
	{ 'b', 'b', "cookie", "DATA|FILE", "send cookies from a string or a jar", OPTC_FILE, NULL },
	{ 'c', 'c', "cookie-jar", "FILE", "write received cookies to FILE", OPTC_FILE, NULL },
	{ C(COPT_JUNK_SESSION), 'j', "junk-session-cookies", NULL, "drop session cookies read from -b", OPTC_NONE, NULL },
	{ OPT_SESSION, 0, "session", "NAME", "keep cookies, auth and headers between runs", OPTC_NONE, NULL },
	{ 'u', 'u', "user", "USER:PASS", "server user and password (basic unless said otherwise)", OPTC_NONE, NULL },
	{ C(COPT_BASIC), 0, "basic", NULL, "use basic authentication", OPTC_NONE, NULL },
	{ C(COPT_DIGEST), 0, "digest", NULL, "use digest authentication", OPTC_NONE, NULL },
	{ C(COPT_ANYAUTH), 0, "anyauth", NULL, "use the safest method the server offers", OPTC_NONE, NULL },
	{ C(COPT_OAUTH2_BEARER), 0, "oauth2-bearer", "TOKEN", "send Authorization: Bearer TOKEN", OPTC_NONE, NULL },
	{ C(COPT_AWS_SIGV4), 0, "aws-sigv4", "PROVIDER", "sign with AWS V4 (aws:amz:REGION:SERVICE)", OPTC_NONE, NULL },
	{ C(COPT_NETRC), 'n', "netrc", NULL, "take credentials from ~/.netrc", OPTC_NONE, NULL },
	{ C(COPT_NETRC_FILE), 0, "netrc-file", "FILE", "take credentials from FILE", OPTC_FILE, NULL },
	{ C(COPT_NETRC_OPTIONAL), 0, "netrc-optional", NULL, "use ~/.netrc when it has the host", OPTC_NONE, NULL },
	{ 'A', 'A', "user-agent", "NAME", "send User-Agent NAME", OPTC_NONE, NULL },
	{ 'e', 'e', "referer", "URL", "send Referer URL", OPTC_URL, NULL },
	{ 'r', 'r', "range", "RANGE", "ask for a byte range (0-99, 100-)", OPTC_NONE, NULL },
	{ 'C', 'C', "continue-at", "OFFSET", "resume at OFFSET (- to work it out)", OPTC_NONE, NULL },
	{ 'w', 'w', "write-out", "FORMAT", "print FORMAT after the transfer (%{http_code}, @file)", OPTC_NONE, NULL },
	{ OPT_COMPRESSED, 0, "compressed", NULL, "ask for gzip/deflate and decompress", OPTC_NONE, NULL },
	{ C(COPT_RAW), 0, "raw", NULL, "do not decode content or transfer encodings", OPTC_NONE, NULL },
	{ C(COPT_IGNORE_CL), 0, "ignore-content-length", NULL, "ignore the Content-Length header", OPTC_NONE, NULL },
	{ '0', '0', "http1.0", NULL, "use HTTP/1.0", OPTC_NONE, NULL },
	{ OPT_HTTP11, 0, "http1.1", NULL, "use HTTP/1.1 (no h2 over TLS)", OPTC_NONE, NULL },
	{ OPT_HTTP2, 0, "http2", NULL, "use HTTP/2, upgrading from 1.1 in clear", OPTC_NONE, NULL },
	{ OPT_HTTP2_PK, 0, "http2-prior-knowledge", NULL, "use HTTP/2 without upgrade", OPTC_NONE, NULL },
	{ C(COPT_PROXY), 'x', "proxy", "URL", "use the proxy URL (http, https, socks4/4a/5/5h)", OPTC_URL, NULL },
	{ C(COPT_PROXY_USER), 'U', "proxy-user", "USER:PASS", "proxy user and password", OPTC_NONE, NULL },
	{ C(COPT_NOPROXY), 0, "noproxy", "HOSTS", "hosts reached without the proxy", OPTC_NONE, NULL },
	{ C(COPT_PROXY_INSECURE), 0, "proxy-insecure", NULL, "do not verify an HTTPS proxy", OPTC_NONE, NULL },
	{ C(COPT_IPV4), '4', "ipv4", NULL, "resolve names to IPv4 addresses only", OPTC_NONE, NULL },
	{ C(COPT_IPV6), '6', "ipv6", NULL, "resolve names to IPv6 addresses only", OPTC_NONE, NULL },
	{ C(COPT_INTERFACE), 0, "interface", "NAME", "connect from interface, address or host NAME", OPTC_IFACE, NULL },
	{ C(COPT_LOCAL_PORT), 0, "local-port", "N[-M]", "connect from local port N (or one of N-M)", OPTC_NONE, NULL },
	{ OPT_RESOLVE, 0, "resolve", "HOST:PORT:ADDR", "use ADDR for HOST:PORT", OPTC_NONE, NULL },
	{ OPT_CONNECT_TO, 0, "connect-to", "H1:P1:H2:P2", "connect to H2:P2 for requests to H1:P1", OPTC_NONE, NULL },
	{ OPT_UNIX_SOCKET, 0, "unix-socket", "PATH", "connect through a Unix socket", OPTC_FILE, NULL },
	{ C(COPT_ABSTRACT_UNIX), 0, "abstract-unix-socket", "NAME", "connect through an abstract Unix socket", OPTC_NONE, NULL },
	{ C(COPT_KEEPALIVE_TIME), 0, "keepalive-time", "SECS", "TCP keepalive probes after SECS idle", OPTC_NONE, NULL },
	{ C(COPT_TCP_NODELAY), 0, "tcp-nodelay", NULL, "set TCP_NODELAY (libcurl's default)", OPTC_NONE, NULL },
	{ C(COPT_TCP_FASTOPEN), 0, "tcp-fastopen", NULL, "use TCP Fast Open", OPTC_NONE, NULL },
	{ C(COPT_HAPPY_EYEBALLS), 0, "happy-eyeballs-timeout-ms", "MS", "give IPv6 MS before trying IPv4", OPTC_NONE, NULL },
	{ C(COPT_HAPROXY), 0, "haproxy-protocol", NULL, "send a PROXY protocol v1 header first", OPTC_NONE, NULL },
	{ C(COPT_REQUEST_TARGET), 0, "request-target", "PATH", "send PATH as the request target", OPTC_NONE, NULL },
	{ C(COPT_EXPECT100_TIMEOUT), 0, "expect100-timeout", "SECS", "wait SECS for 100 Continue", OPTC_NONE, NULL },
	{ C(COPT_ALT_SVC), 0, "alt-svc", "FILE", "read and write the Alt-Svc cache FILE", OPTC_FILE, NULL },
	{ C(COPT_HSTS), 0, "hsts", "FILE", "read and write the HSTS cache FILE", OPTC_FILE, NULL },
	{ 'k', 'k', "insecure", NULL, "do not verify the server's certificate", OPTC_NONE, NULL },
	{ OPT_CACERT, 0, "cacert", "FILE", "verify with the CA certificates in FILE", OPTC_FILE, NULL },
	{ C(COPT_CAPATH), 0, "capath", "DIR", "verify with the CA certificates in DIR", OPTC_DIR, NULL },
	{ C(COPT_CERT), 'E', "cert", "CERT[:PASS]", "client certificate (and its pass phrase)", OPTC_FILE, NULL },
	{ C(COPT_KEY), 0, "key", "KEY", "private key of the client certificate", OPTC_FILE, NULL },
	{ C(COPT_CERT_TYPE), 0, "cert-type", "TYPE", "PEM, DER or P12", OPTC_CHOICE, "PEM|DER|P12" },
	{ C(COPT_KEY_TYPE), 0, "key-type", "TYPE", "PEM, DER or ENG", OPTC_CHOICE, "PEM|DER|ENG" },
	{ C(COPT_PASS), 0, "pass", "PHRASE", "pass phrase of the private key", OPTC_NONE, NULL },
	{ C(COPT_PINNEDPUBKEY), 0, "pinnedpubkey", "HASHES", "accept only this public key (file or sha256//...)", OPTC_NONE, NULL },
	{ C(COPT_TLSV12), 0, "tlsv1.2", NULL, "TLS 1.2 or later", OPTC_NONE, NULL },
	{ C(COPT_TLSV13), 0, "tlsv1.3", NULL, "TLS 1.3 or later", OPTC_NONE, NULL },
	{ C(COPT_TLS_MAX), 0, "tls-max", "VERSION", "TLS VERSION at most", OPTC_CHOICE, "1.0|1.1|1.2|1.3|default" },
	{ C(COPT_CIPHERS), 0, "ciphers", "LIST", "TLS 1.2 cipher suites (OpenSSL names)", OPTC_NONE, NULL },
	{ C(COPT_TLS13_CIPHERS), 0, "tls13-ciphers", "LIST", "TLS 1.3 cipher suites", OPTC_NONE, NULL },
	{ C(COPT_CURVES), 0, "curves", "LIST", "key exchange groups (X25519:P-256)", OPTC_NONE, NULL },
	{ C(COPT_CERT_STATUS), 0, "cert-status", NULL, "require a good OCSP stapled status", OPTC_NONE, NULL },
	{ C(COPT_PROTO), 0, "proto", "PROTOCOLS", "allow only these protocols (=https, -all,+http)", OPTC_NONE, NULL },
	{ C(COPT_PROTO_REDIR), 0, "proto-redir", "PROTOCOLS", "protocols a redirect may use", OPTC_NONE, NULL },
	{ OPT_KEYLOG, 0, "keylog", "FILE", "append TLS session secrets to FILE for sniff/Wireshark (default $SSLKEYLOGFILE)", OPTC_FILE, NULL },
	{ 'm', 'm', "max-time", "SECS", "give up after SECS in all", OPTC_NONE, NULL },
	{ OPT_CONNECT_TIMEOUT, 0, "connect-timeout", "SECS", "give up connecting after SECS", OPTC_NONE, NULL },
	{ OPT_RETRY, 0, "retry", "N", "retry transient failures N times", OPTC_NONE, NULL },
	{ OPT_RETRY_DELAY, 0, "retry-delay", "SECS", "wait SECS between retries", OPTC_NONE, NULL },
	{ OPT_RETRY_MAX_TIME, 0, "retry-max-time", "SECS", "no retry after SECS in all", OPTC_NONE, NULL },
	{ OPT_RETRY_ALL_ERRORS, 0, "retry-all-errors", NULL, "retry on any error", OPTC_NONE, NULL },
	{ OPT_RETRY_CONNREFUSED, 0, "retry-connrefused", NULL, "retry a refused connection too", OPTC_NONE, NULL },
	{ OPT_FAIL, 'f', "fail", NULL, "exit 22 on HTTP errors, print no body", OPTC_NONE, NULL },
	{ OPT_FAIL_WITH_BODY, 0, "fail-with-body", NULL, "exit 22 on HTTP errors, print the body", OPTC_NONE, NULL },
	{ OPT_FAIL_EARLY, 0, "fail-early", NULL, "stop at the first failed transfer", OPTC_NONE, NULL },
	{ OPT_CHECK_STATUS, 0, "check-status", NULL, "exit 3/4/5 on a 3xx/4xx/5xx status", OPTC_NONE, NULL },
	{ 'Z', 'Z', "parallel", NULL, "transfer several URLs at once", OPTC_NONE, NULL },
	{ OPT_PARALLEL_MAX, 0, "parallel-max", "N", "at most N transfers at once", OPTC_NONE, NULL },
	{ OPT_PARALLEL_IMMEDIATE, 0, "parallel-immediate", NULL, "with -Z, open connections rather than wait to multiplex", OPTC_NONE, NULL },
	{ OPT_TRACE_ASCII, 0, "trace-ascii", "FILE", "write a full trace to FILE (- for stderr)", OPTC_FILE, NULL },
	{ OPT_PATH_AS_IS, 0, "path-as-is", NULL, "send /../ and /./ untouched", OPTC_NONE, NULL },
	{ OPT_NEXT, ':', "next", NULL, "start a new group of options and URLs (globals such as -s, -v, -Z stay)", OPTC_NONE, NULL },
	{ 'K', 'K', "config", "FILE", "read options from FILE (curl's config syntax)", OPTC_FILE, NULL },
	{ 'q', 'q', "disable", NULL, "first argument: do not read the default config file", OPTC_NONE, NULL },
	{ OPT_DOWNLOAD, 0, "download", NULL, "HTTPie's -d: save as the server or URL names it (stdout if redirected)", OPTC_NONE, NULL },
	{ OPT_CONTINUE, 0, "continue", NULL, "HTTPie's -c: resume the -o file (as -C -)", OPTC_NONE, NULL },
	{ OPT_AUTH, 0, "auth", "USER:PASS|TOKEN", "HTTPie's -a: credentials (as -u)", OPTC_NONE, NULL },
	{ OPT_AUTH_TYPE, 0, "auth-type", "TYPE", "HTTPie's -A: basic, digest or bearer", OPTC_CHOICE, "basic|digest|bearer" },
	{ OPT_VERIFY, 0, "verify", "no|yes|FILE", "HTTPie's: certificate checks off, on or with FILE's CAs", OPTC_FILE, NULL },
	{ OPT_FOLLOW, 0, "follow", NULL, "HTTPie's -F: follow redirects (as -L)", OPTC_NONE, NULL },
	{ OPT_TIMEOUT, 0, "timeout", "SECS", "HTTPie's: give up connecting or waiting for data after SECS", OPTC_NONE, NULL },
	{ OPT_QUIET, 0, "quiet", NULL, "HTTPie's -q: no output but errors (as -sS)", OPTC_NONE, NULL },
	{ OPT_IGNORE_STDIN, 0, "ignore-stdin", NULL, "HTTPie's -I: accepted; stdin is read only for @-", OPTC_NONE, NULL },
	{ OPT_CHUNKED, 0, "chunked", NULL, "HTTPie's: send the body with chunked transfer encoding", OPTC_NONE, NULL },
	{ OPT_MULTIPART, 0, "multipart", NULL, "HTTPie's: send the items as multipart even without files", OPTC_NONE, NULL },
	{ OPT_PRETTY, 0, "pretty", "STYLE", "colour and format output", OPTC_CHOICE, "all|colors|format|none" },
	{ OPT_PRINT, 'p', "print", "WHAT", "print parts: H/B request head/body, h/b response, m meta", OPTC_NONE, NULL },
	{ OPT_SORTED, 0, "sorted", NULL, "HTTPie's: formatted output sorts JSON keys and headers (the default)", OPTC_NONE, NULL },
	{ OPT_UNSORTED, 0, "unsorted", NULL, "HTTPie's: formatted output keeps the server's order", OPTC_NONE, NULL },
	{ OPT_ALL, 0, "all", NULL, "HTTPie's: every redirect hop with --print --follow", OPTC_NONE, NULL },
	{ OPT_META, 0, "meta", NULL, "HTTPie's: print only the elapsed time (as --print m)", OPTC_NONE, NULL },
	{ OPT_CURL, 0, "curl", NULL, "print the equivalent curl command, send nothing", OPTC_NONE, NULL },
	{ OPT_OFFLINE, 0, "offline", NULL, "print the request that would be sent, send nothing", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

const char get_description[] =
	"Request items (HTTPie syntax):\n"
	"  Header:value     add a header          name==value   query parameter\n"
	"  name=value       form (or JSON) field  name:=JSON    raw JSON value\n"
	"  field@path       multipart file        name=@path    value from a file\n"
	"A URL without a scheme gets http://; ':8000/x' means "
	"http://localhost:8000/x.\n";

/* The method a command stands for ("request" takes it from argv). */
const char *
get_command_method(const char *name)
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
		const char *pos = strchr("HBhbm", *p);
		if (pos == NULL || *p == 0)
			return -1;
		*mask |= 1 << (pos - "HBhbm");
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

/*
 * curl's --json takes DATA; HTTPie's --json is a flag that makes the
 * items JSON.  An argument that is not JSON but reads as a URL or an item
 * could be either: refuse it, naming both readings.
 */
static bool
json_ambiguous(const char *arg, char *err, size_t errsize)
{
	struct span s = span_from(arg);

	if (arg[0] == '@' || json_valid(s))
		return false;
	if (!client_looks_like_url(arg) && !strpbrk(arg, "=:"))
		return false;
	snprintf(err, errsize, "'--json %s' is ambiguous: curl's --json sends "
		 "'%s' as a JSON body; for HTTPie's --json (the items as JSON) "
		 "use --json-items", arg, arg);
	return true;
}

/* curl's --form takes NAME=VALUE; HTTPie's --form is a flag (a form body,
 * the default for items here). */
static bool
form_ambiguous(const char *arg, char *err, size_t errsize)
{
	if (strchr(arg, '=') && !client_looks_like_url(arg))
		return false;
	snprintf(err, errsize, "'--form %s' is ambiguous: curl's --form/-F adds "
		 "a multipart field NAME=VALUE; HTTPie's --form (items as a form) "
		 "is the default here, drop it", arg);
	return true;
}

/* Options that only set a string or a flag; false when id is not one. */
static bool
simple_option(struct client_cfg *c, int id, const char *arg)
{
	switch (id) {
	case 'G': c->get_data = true; break;
	case 'g': c->globoff = true; break;
	case OPT_JSON_ITEMS: c->as_json = true; break;
	case 'D': c->dump_header = arg; break;
	case OPT_ETAG_SAVE: c->etag_save = arg; break;
	case OPT_ETAG_COMPARE: c->etag_compare = arg; break;
	case OPT_NO_PROGRESS_METER: c->no_progress = true; break;
	case OPT_PROGRESS_BAR: c->progress_bar = true; break;
	case OPT_REMOTE_NAME_ALL: c->remote_name_all = true; break;
	case OPT_CREATE_DIRS: c->create_dirs = true; break;
	case OPT_REMOVE_ON_ERROR: c->remove_on_error = true; break;
	case 'R': c->remote_time = true; break;
	case 'N': c->no_buffer = true; break;
	case OPT_RETRY_ALL_ERRORS: c->retry_all = true; break;
	case OPT_RETRY_CONNREFUSED: c->retry_connrefused = true; break;
	case OPT_FAIL_EARLY: c->fail_early = true; break;
	case OPT_PARALLEL_IMMEDIATE: c->parallel_immediate = true; break;
	case OPT_DOWNLOAD: c->download = true; break;
	case OPT_CONTINUE: c->continue_at = "-"; break;
	case OPT_AUTH: c->user = arg; break;
	case OPT_FOLLOW: c->follow = true; break;
	case OPT_QUIET: c->silent = c->show_error = true; break;
	case OPT_IGNORE_STDIN: c->ignore_stdin = true; break;
	case OPT_MULTIPART: c->multipart = true; break;
	case OPT_ALL: c->all = true; break;
	case OPT_SORTED: c->unsorted = false; break;
	case OPT_UNSORTED: c->unsorted = true; break;
	case OPT_META: c->print = PRINT_META; break;
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
	case OPT_KEYLOG: c->keylog = arg; break;
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
int
get_take_option(struct client_cfg *c, int id, const char *arg, char *err,
	    size_t errsize)
{
	int r = 0;

	if (id >= OPT_COPT && id < OPT_COPT + COPT_N)
		return client_copt_set(c, (enum client_copt)(id - OPT_COPT), arg,
				       err, errsize);
	if (simple_option(c, id, arg))
		return 0;
	switch (id) {
	case 'X': c->method = arg; c->method_forced = true; break;
	case 'I': c->head_only = true; c->method = "HEAD"; break;
	case 'H':
		r = arg[0] == '@' ? client_headers_from_file(c, arg + 1, err, errsize)
				  : client_strv_add(&c->headers, arg);
		break;
	case 'd':
	case OPT_DATA_ASCII: r = client_data_add(c, 'd', arg, err, errsize); break;
	case OPT_DATA_BINARY: r = client_data_add(c, 'b', arg, err, errsize); break;
	case OPT_DATA_RAW: r = client_data_add(c, 'r', arg, err, errsize); break;
	case OPT_DATA_URLENCODE: r = client_data_add(c, 'u', arg, err, errsize); break;
	case OPT_JSON:
		if (json_ambiguous(arg, err, errsize))
			return -1;
		r = client_data_add(c, 'j', arg, err, errsize);
		break;
	case 'F':
		if (form_ambiguous(arg, err, errsize))
			return -1;
		r = client_form_add(c, arg, false, err, errsize);
		break;
	case OPT_FORM_STRING: r = client_form_add(c, arg, true, err, errsize); break;
	case OPT_URL_QUERY: r = client_url_query_add(c, arg, err, errsize); break;
	case 'o': r = add_output(c, arg); break;
	case 'O': r = add_output(c, NULL); break;
	case OPT_RESOLVE: r = client_strv_add(&c->resolve, arg); break;
	case OPT_CONNECT_TO: r = client_strv_add(&c->connect_to, arg); break;
	case 'T': r = client_strv_add(&c->uploads, arg); break;
	case OPT_STDERR:
		if (strcmp(arg, "-") == 0 ? dup2(1, 2) < 0 :
		    freopen(arg, "w", stderr) == NULL) {
			snprintf(err, errsize, "cannot write '%s': %s", arg,
				 client_strerror(errno));
			return -1;
		}
		break;
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
	case OPT_RETRY_MAX_TIME:
		if (parse_secs(arg, id == 'm' ? &c->max_time_ms :
			       id == OPT_CONNECT_TIMEOUT ? &c->connect_timeout_ms :
			       id == OPT_RETRY_MAX_TIME ? &c->retry_max_time_ms :
			       &c->retry_delay_ms) < 0) {
			snprintf(err, errsize, "bad number of seconds '%s'", arg);
			return -1;
		}
		break;
	case OPT_CHUNKED:
		r = client_strv_add(&c->headers, "Transfer-Encoding: chunked");
		break;
	case OPT_AUTH_TYPE:
		if (strcmp(arg, "bearer") == 0) {
			c->bearer = true;
		} else if (strcmp(arg, "basic") == 0 || strcmp(arg, "digest") == 0) {
			c->bearer = false;
			return client_copt_set(c, arg[0] == 'b' ? COPT_BASIC :
					       COPT_DIGEST, NULL, err, errsize);
		} else {
			snprintf(err, errsize, "bad --auth-type '%s' (basic, digest, bearer)", arg);
			return -1;
		}
		break;
	case OPT_VERIFY:
		if (strcmp(arg, "no") == 0 || strcmp(arg, "false") == 0)
			c->insecure = true;
		else if (strcmp(arg, "yes") == 0 || strcmp(arg, "true") == 0)
			c->insecure = false;
		else
			c->cacert = arg;
		break;
	case OPT_TIMEOUT:
		if (parse_secs(arg, &c->idle_timeout_ms) < 0) {
			snprintf(err, errsize, "bad number of seconds '%s'", arg);
			return -1;
		}
		c->connect_timeout_ms = c->idle_timeout_ms;
		break;
	case OPT_PRINT:
		if (parse_print(arg, &c->print) < 0) {
			snprintf(err, errsize, "bad --print '%s' (letters H, B, h, b, m)", arg);
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
