/*
 * client_copt.c - curl options that map straight onto one or two libcurl
 * settings (--interface, --proxy, --cert, --tls-max, --digest, ...).
 *
 * cmd_get.c hands each such option to client_copt_set(), which checks
 * its argument before anything is sent (a bad number is a usage error,
 * exit 2, as in curl) and stores it in cfg->copt[]; client_copt_apply()
 * turns the stored values into curl_easy_setopt() calls for every
 * handle.  The meanings are curl(1)'s, option by option.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client_xfer.h"

enum ckind {
	CK_STR,		/* setopt(opt, arg) */
	CK_FLAG,	/* setopt(opt, val) */
	CK_LONG,	/* setopt(opt, (long)number) */
	CK_SECS_MS,	/* seconds, may be fractional, as milliseconds */
	CK_SIZE,	/* curl's SIZE ("10k"), as curl_off_t */
	CK_SPECIAL,	/* handled in apply_special() */
};

struct copt {
	enum ckind kind;
	CURLoption opt;
	long val;
};

static const struct copt copts[COPT_N] = {
	[COPT_INTERFACE] = { CK_STR, CURLOPT_INTERFACE, 0 },
	[COPT_LOCAL_PORT] = { CK_SPECIAL, 0, 0 },
	[COPT_KEEPALIVE_TIME] = { CK_SPECIAL, 0, 0 },
	[COPT_TCP_NODELAY] = { CK_FLAG, CURLOPT_TCP_NODELAY, 1 },
	[COPT_TCP_FASTOPEN] = { CK_FLAG, CURLOPT_TCP_FASTOPEN, 1 },
	[COPT_REQUEST_TARGET] = { CK_STR, CURLOPT_REQUEST_TARGET, 0 },
	[COPT_EXPECT100_TIMEOUT] = { CK_SECS_MS, CURLOPT_EXPECT_100_TIMEOUT_MS, 0 },
	[COPT_HAPROXY] = { CK_FLAG, CURLOPT_HAPROXYPROTOCOL, 1 },
	[COPT_ABSTRACT_UNIX] = { CK_STR, CURLOPT_ABSTRACT_UNIX_SOCKET, 0 },
	[COPT_ALT_SVC] = { CK_SPECIAL, 0, 0 },
	[COPT_HSTS] = { CK_SPECIAL, 0, 0 },
	[COPT_PROXY] = { CK_STR, CURLOPT_PROXY, 0 },
	[COPT_PROXY_USER] = { CK_STR, CURLOPT_PROXYUSERPWD, 0 },
	[COPT_NOPROXY] = { CK_STR, CURLOPT_NOPROXY, 0 },
	[COPT_PROXY_INSECURE] = { CK_SPECIAL, 0, 0 },
	[COPT_IPV4] = { CK_FLAG, CURLOPT_IPRESOLVE, CURL_IPRESOLVE_V4 },
	[COPT_IPV6] = { CK_FLAG, CURLOPT_IPRESOLVE, CURL_IPRESOLVE_V6 },
	[COPT_HAPPY_EYEBALLS] = { CK_LONG, CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, 0 },
	[COPT_CERT] = { CK_SPECIAL, 0, 0 },
	[COPT_KEY] = { CK_STR, CURLOPT_SSLKEY, 0 },
	[COPT_CERT_TYPE] = { CK_STR, CURLOPT_SSLCERTTYPE, 0 },
	[COPT_KEY_TYPE] = { CK_STR, CURLOPT_SSLKEYTYPE, 0 },
	[COPT_PASS] = { CK_STR, CURLOPT_KEYPASSWD, 0 },
	[COPT_CAPATH] = { CK_STR, CURLOPT_CAPATH, 0 },
	[COPT_PINNEDPUBKEY] = { CK_STR, CURLOPT_PINNEDPUBLICKEY, 0 },
	[COPT_TLSV12] = { CK_SPECIAL, 0, 0 },
	[COPT_TLSV13] = { CK_SPECIAL, 0, 0 },
	[COPT_TLS_MAX] = { CK_SPECIAL, 0, 0 },
	[COPT_CIPHERS] = { CK_STR, CURLOPT_SSL_CIPHER_LIST, 0 },
	[COPT_TLS13_CIPHERS] = { CK_STR, CURLOPT_TLS13_CIPHERS, 0 },
	[COPT_CURVES] = { CK_STR, CURLOPT_SSL_EC_CURVES, 0 },
	[COPT_CERT_STATUS] = { CK_FLAG, CURLOPT_SSL_VERIFYSTATUS, 1 },
	[COPT_PROTO] = { CK_SPECIAL, 0, 0 },
	[COPT_PROTO_REDIR] = { CK_SPECIAL, 0, 0 },
	[COPT_POST301] = { CK_SPECIAL, 0, 0 },
	[COPT_POST302] = { CK_SPECIAL, 0, 0 },
	[COPT_POST303] = { CK_SPECIAL, 0, 0 },
	[COPT_RAW] = { CK_SPECIAL, 0, 0 },
	[COPT_IGNORE_CL] = { CK_FLAG, CURLOPT_IGNORE_CONTENT_LENGTH, 1 },
	[COPT_LOCATION_TRUSTED] = { CK_SPECIAL, 0, 0 },
	[COPT_DIGEST] = { CK_FLAG, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST },
	[COPT_ANYAUTH] = { CK_FLAG, CURLOPT_HTTPAUTH, CURLAUTH_ANY },
	[COPT_BASIC] = { CK_FLAG, CURLOPT_HTTPAUTH, CURLAUTH_BASIC },
	[COPT_OAUTH2_BEARER] = { CK_SPECIAL, 0, 0 },
	[COPT_AWS_SIGV4] = { CK_STR, CURLOPT_AWS_SIGV4, 0 },
	[COPT_NETRC] = { CK_FLAG, CURLOPT_NETRC, CURL_NETRC_REQUIRED },
	[COPT_NETRC_FILE] = { CK_SPECIAL, 0, 0 },
	[COPT_NETRC_OPTIONAL] = { CK_FLAG, CURLOPT_NETRC, CURL_NETRC_OPTIONAL },
	[COPT_MAX_FILESIZE] = { CK_SIZE, CURLOPT_MAXFILESIZE_LARGE, 0 },
	[COPT_LIMIT_RATE] = { CK_SPECIAL, 0, 0 },
	[COPT_JUNK_SESSION] = { CK_FLAG, CURLOPT_COOKIESESSION, 1 },
};

int
client_parse_size(const char *arg, long long *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || v < 0 || errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': v *= 1024; end++; break;
	case 'm': case 'M': v *= 1024.0 * 1024; end++; break;
	case 'g': case 'G': v *= 1024.0 * 1024 * 1024; end++; break;
	case 'b': case 'B': end++; break;
	default: break;
	}
	if (*end || v > 9.2e18)
		return -1;
	*out = (long long)v;
	return 0;
}

static bool
is_uint(const char *s)
{
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == 0;
}

static int
check_local_port(const char *arg)
{
	char *end;
	long lo = strtol(arg, &end, 10), hi = lo;

	if (end == arg || lo < 1 || lo > 65535)
		return -1;
	if (*end == '-')
		hi = strtol(end + 1, &end, 10);
	return *end || hi < lo || hi > 65535 ? -1 : 0;
}

/* The argument check for o; a message in err when it fails. */
static int
check_arg(enum client_copt o, const char *arg, char *err, size_t errsize)
{
	long long size;
	char *end;

	switch (o == COPT_LOCAL_PORT || o == COPT_TLS_MAX ||
		o == COPT_KEEPALIVE_TIME || o == COPT_LIMIT_RATE ? CK_SPECIAL :
		copts[o].kind) {
	case CK_LONG:
		if (!is_uint(arg))
			goto bad_number;
		return 0;
	case CK_SECS_MS:
		if (strtod(arg, &end) < 0 || end == arg || *end)
			goto bad_number;
		return 0;
	case CK_SIZE:
		if (client_parse_size(arg, &size) < 0)
			goto bad_number;
		return 0;
	default:
		break;
	}
	if (o == COPT_LOCAL_PORT && check_local_port(arg) < 0) {
		snprintf(err, errsize, "bad --local-port '%s' (want N or N-M)", arg);
		return -1;
	}
	if (o == COPT_KEEPALIVE_TIME && !is_uint(arg))
		goto bad_number;
	if (o == COPT_LIMIT_RATE && client_parse_size(arg, &size) < 0)
		goto bad_number;
	if (o == COPT_TLS_MAX && strcmp(arg, "1.0") && strcmp(arg, "1.1") &&
	    strcmp(arg, "1.2") && strcmp(arg, "1.3") && strcmp(arg, "default")) {
		snprintf(err, errsize, "bad --tls-max '%s' (1.0, 1.1, 1.2, 1.3 "
			 "or default)", arg);
		return -1;
	}
	return 0;
bad_number:
	snprintf(err, errsize, "bad number '%s'", arg);
	return -1;
}

int
client_copt_set(struct client_cfg *cfg, enum client_copt o, const char *arg,
		char *err, size_t errsize)
{
	static const enum client_copt auth[] = { COPT_DIGEST, COPT_ANYAUTH,
						 COPT_BASIC };

	if (arg == NULL)
		arg = "1";
	else if (check_arg(o, arg, err, errsize) < 0)
		return -1;
	for (size_t i = 0; i < 3; i++)	/* the last auth flag wins */
		if (o == auth[i])
			for (size_t k = 0; k < 3; k++)
				cfg->copt[auth[k]] = NULL;
	if (o == COPT_IPV4 || o == COPT_IPV6)
		cfg->copt[COPT_IPV4] = cfg->copt[COPT_IPV6] = NULL;
	if (o == COPT_TLSV12 || o == COPT_TLSV13)
		cfg->copt[COPT_TLSV12] = cfg->copt[COPT_TLSV13] = NULL;
	cfg->copt[o] = arg;
	return 0;
}

/*
 * curl's --proto syntax over the protocols httptool speaks: a comma list
 * of [+|-|=]NAME, "all" for every one, applied left to right to
 * "http,https".  out gets the PROTOCOLS_STR value.
 */
static void
proto_list(const char *spec, char *out, size_t size)
{
	bool http = true, https = true;
	const char *p = spec;

	while (*p) {
		size_t n = strcspn(p, ",");
		char mod = '+';
		bool on_http, on_https;
		if (*p == '+' || *p == '-' || *p == '=') {
			mod = *p++;
			n--;
		}
		on_http = (n == 4 && strncmp(p, "http", 4) == 0) ||
			  (n == 3 && strncmp(p, "all", 3) == 0);
		on_https = (n == 5 && strncmp(p, "https", 5) == 0) ||
			   (n == 3 && strncmp(p, "all", 3) == 0);
		if (mod == '=')
			http = on_http, https = on_https;
		else if (mod == '+')
			http |= on_http, https |= on_https;
		else
			http &= !on_http, https &= !on_https;
		p += n;
		if (*p == ',')
			p++;
	}
	snprintf(out, size, "%s%s%s", http ? "http" : "",
		 http && https ? "," : "", https ? "https" : "");
}

static void
apply_tls_version(CURL *h, const struct client_cfg *cfg)
{
	long min = CURL_SSLVERSION_DEFAULT, max = CURL_SSLVERSION_MAX_DEFAULT;
	const char *m = cfg->copt[COPT_TLS_MAX];

	if (cfg->copt[COPT_TLSV12])
		min = CURL_SSLVERSION_TLSv1_2;
	if (cfg->copt[COPT_TLSV13])
		min = CURL_SSLVERSION_TLSv1_3;
	if (m && strcmp(m, "default") != 0)
		max = m[2] == '0' ? CURL_SSLVERSION_MAX_TLSv1_0 :
		      m[2] == '1' ? CURL_SSLVERSION_MAX_TLSv1_1 :
		      m[2] == '2' ? CURL_SSLVERSION_MAX_TLSv1_2 :
		      CURL_SSLVERSION_MAX_TLSv1_3;
	if (min != CURL_SSLVERSION_DEFAULT || m)
		curl_easy_setopt(h, CURLOPT_SSLVERSION, min | max);
}

/* --cert FILE[:PASSWORD]; "\:" keeps a colon in the file name */
static void
apply_cert(CURL *h, const char *arg)
{
	char file[1024];
	size_t n = 0;
	const char *p = arg;

	for (; *p && *p != ':' && n + 1 < sizeof file; p++)
		file[n++] = (*p == '\\' && p[1] == ':') ? *++p : *p;
	file[n] = 0;
	curl_easy_setopt(h, CURLOPT_SSLCERT, file);
	if (*p == ':')
		curl_easy_setopt(h, CURLOPT_KEYPASSWD, p + 1);
}

static void
apply_special(CURL *h, const struct client_cfg *cfg)
{
	const char *const *c = cfg->copt;
	char list[32];
	long long n;

	if (c[COPT_LOCAL_PORT]) {
		char *end;
		long lo = strtol(c[COPT_LOCAL_PORT], &end, 10);
		curl_easy_setopt(h, CURLOPT_LOCALPORT, lo);
		if (*end == '-')
			curl_easy_setopt(h, CURLOPT_LOCALPORTRANGE,
					 strtol(end + 1, NULL, 10) - lo + 1);
	}
	if (c[COPT_KEEPALIVE_TIME]) {
		long s = strtol(c[COPT_KEEPALIVE_TIME], NULL, 10);
		curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, s);
		curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, s);
	}
	if (c[COPT_ALT_SVC])
		curl_easy_setopt(h, CURLOPT_ALTSVC, c[COPT_ALT_SVC]);
	if (c[COPT_HSTS]) {
		curl_easy_setopt(h, CURLOPT_HSTS_CTRL, (long)CURLHSTS_ENABLE);
		curl_easy_setopt(h, CURLOPT_HSTS, c[COPT_HSTS]);
	}
	if (c[COPT_PROXY_INSECURE]) {
		curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYHOST, 0L);
	}
	if (c[COPT_CERT])
		apply_cert(h, c[COPT_CERT]);
	apply_tls_version(h, cfg);
	if (c[COPT_PROTO]) {
		proto_list(c[COPT_PROTO], list, sizeof list);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, list);
	}
	if (c[COPT_PROTO_REDIR]) {
		proto_list(c[COPT_PROTO_REDIR], list, sizeof list);
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, list);
	}
	if (c[COPT_POST301] || c[COPT_POST302] || c[COPT_POST303])
		curl_easy_setopt(h, CURLOPT_POSTREDIR,
				 (c[COPT_POST301] ? CURL_REDIR_POST_301 : 0L) |
				 (c[COPT_POST302] ? CURL_REDIR_POST_302 : 0L) |
				 (c[COPT_POST303] ? CURL_REDIR_POST_303 : 0L));
	if (c[COPT_RAW]) {
		curl_easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
		curl_easy_setopt(h, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
	}
	if (c[COPT_LOCATION_TRUSTED]) {
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 1L);
	}
	if (c[COPT_OAUTH2_BEARER]) {
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, c[COPT_OAUTH2_BEARER]);
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
	}
	if (c[COPT_NETRC_FILE]) {
		curl_easy_setopt(h, CURLOPT_NETRC_FILE, c[COPT_NETRC_FILE]);
		if (!c[COPT_NETRC_OPTIONAL])
			curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_REQUIRED);
	}
	if (c[COPT_LIMIT_RATE] && client_parse_size(c[COPT_LIMIT_RATE], &n) == 0) {
		curl_easy_setopt(h, CURLOPT_MAX_RECV_SPEED_LARGE, (curl_off_t)n);
		curl_easy_setopt(h, CURLOPT_MAX_SEND_SPEED_LARGE, (curl_off_t)n);
	}
}

void
client_copt_apply(CURL *h, const struct client_cfg *cfg)
{
	for (size_t i = 0; i < COPT_N; i++) {
		const struct copt *o = &copts[i];
		const char *arg = cfg->copt[i];
		long long size;

		if (arg == NULL)
			continue;
		switch (o->kind) {
		case CK_STR:
			curl_easy_setopt(h, o->opt, arg);
			break;
		case CK_FLAG:
			curl_easy_setopt(h, o->opt, o->val);
			break;
		case CK_LONG:
			curl_easy_setopt(h, o->opt, strtol(arg, NULL, 10));
			break;
		case CK_SECS_MS:
			curl_easy_setopt(h, o->opt, (long)(strtod(arg, NULL) * 1000));
			break;
		case CK_SIZE:
			if (client_parse_size(arg, &size) == 0)
				curl_easy_setopt(h, o->opt, (curl_off_t)size);
			break;
		case CK_SPECIAL:
			break;
		}
	}
	apply_special(h, cfg);
}
