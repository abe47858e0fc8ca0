/*
 * client_retry.c - curl's --retry: which failures are tried again (a
 * timeout, a refused connection with --retry-connrefused, 408/429/500/
 * 502/503/504, anything with --retry-all-errors), the back-off (1 s
 * doubling, --retry-delay, the server's Retry-After, --retry-max-time)
 * and curl's warning, word for word and wrapped at 79 columns as curl's
 * warnf() wraps it.  Used by the serial loop (client_curl.c) and -Z
 * (client_multi.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "client_xfer.h"
#include "lib/clock.h"

/* Why a transfer may be tried again (curl's order and wording), or
 * RETRY_NO. */
enum retry_kind { RETRY_NO, RETRY_ALL, RETRY_TIMEOUT, RETRY_REFUSED,
		  RETRY_HTTP };

static enum retry_kind
retry_kind(const struct client_xfer *x, CURLcode code)
{
	const struct client_cfg *cfg = x->cfg;
	long s = x->status;
	long oserr = 0;

	if (code == CURLE_OPERATION_TIMEDOUT || code == CURLE_COULDNT_RESOLVE_HOST ||
	    code == CURLE_COULDNT_RESOLVE_PROXY)
		return RETRY_TIMEOUT;
	if (code == CURLE_COULDNT_CONNECT && cfg->retry_connrefused) {
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED)
			return RETRY_REFUSED;
	} else if ((code == CURLE_OK || code == CURLE_HTTP_RETURNED_ERROR) &&
		   (s == 408 || s == 429 || s == 500 ||
		    s == 502 || s == 503 || s == 504)) {
		return RETRY_HTTP;	/* with -f, libcurl says 22 */
	}
	/* curl: only a failed transfer; a 4xx is one only with -f */
	if (cfg->retry_all && (code != CURLE_OK ||
			       ((cfg->fail || cfg->fail_with_body) && s >= 400)))
		return RETRY_ALL;
	return RETRY_NO;
}

/* curl's warnf(): "Warning: " before each line, cut at a space so that
 * no line passes 79 columns. */
static void
warn_wrapped(const char *msg)
{
	const size_t width = 79 - 9;
	size_t len = strlen(msg);

	while (len > 0) {
		fputs("Warning: ", stderr);
		if (len <= width) {
			fputs(msg, stderr);
			break;
		}
		size_t cut = width - 1;
		while (cut && !isspace((unsigned char)msg[cut]))
			cut--;
		if (cut == 0)
			cut = width - 1;
		fwrite(msg, 1, cut + 1, stderr);
		fputc('\n', stderr);
		msg += cut + 1;
		len -= cut + 1;
	}
}

long
client_retry_wait(struct client_xfer *x, CURLcode code)
{
	static const char *const why[] = {
		NULL, "(retrying all errors)", ": timeout",
		": connection refused", ": HTTP error",
	};
	const struct client_cfg *cfg = x->cfg;
	long delay = cfg->retry_delay_ms;
	enum retry_kind k;
	char msg[160];

	if (!x->may_retry || (k = retry_kind(x, code)) == RETRY_NO)
		return -1;
	if (delay <= 0)		/* curl: 1 s, doubling up to 10 min */
		delay = x->attempt < 10 ? 1000L << x->attempt : 600000L;
	if (delay > 600000L && cfg->retry_delay_ms <= 0)
		delay = 600000L;
	if (k == RETRY_HTTP) {	/* the server's Retry-After wins */
		curl_off_t after = 0;
		curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &after);
		if (after > 0)
			delay = after > LONG_MAX / 1000 ? LONG_MAX : (long)after * 1000;
	}
	if (cfg->retry_max_time_ms > 0 &&
	    (clock_now() - x->started) * 1000 + (double)delay >
	    (double)cfg->retry_max_time_ms)
		return -1;
	client_cb_finish(x, code);
	if (code != CURLE_OK) {	/* curl tells each failed try */
		char emsg[CURL_ERROR_SIZE + 64];
		long os_errno = 0;
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &os_errno);
		client_errmsg(emsg, sizeof emsg, code, x->errbuf, os_errno);
		if (!cfg->silent || cfg->show_error)
			fprintf(stderr, "%s: (%d) %s\n", cfg->prog, (int)code, emsg);
	}
	if (!cfg->silent) {
		snprintf(msg, sizeof msg, "Problem %s. Will retry in %ld seconds. "
			 "%ld retries left.\n", why[k], delay / 1000,
			 cfg->retry - x->attempt);
		warn_wrapped(msg);
	}
	x->attempt++;
	x->may_retry = x->attempt < cfg->retry;
	x->status = 0;
	x->errbuf[0] = 0;
	return delay;
}

