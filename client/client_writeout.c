/*
 * client_writeout.c - curl's -w/--write-out: "%{http_code}\n" and friends
 * after each transfer, with curl's variable names, "%{json}" for all of
 * them as one JSON object, "%{stderr}"/"%{stdout}" to switch streams,
 * "%header{name}" for a response header, "%{header_json}", "%{onerror}",
 * "%{certs}" (the server's chain, CURLOPT_CERTINFO asked for by
 * client_curl.c when the format names it), "\n" "\r" "\t" escapes and
 * "@file" to read the format from a file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/json.h"
#include "client_xfer.h"
#include "lib/out.h"

enum wtype { W_LONG, W_CODE, W_TIME, W_OFF, W_STR, W_SPECIAL };

struct wvar {
	const char *name;
	enum wtype type;
	CURLINFO info;
};

/* alphabetical, as curl's %{json} lists them */
static const struct wvar wvars[] = {
	{ "certs", W_SPECIAL, 0 },
	{ "content_type", W_STR, CURLINFO_CONTENT_TYPE },
	{ "errormsg", W_SPECIAL, 0 },
	{ "exitcode", W_SPECIAL, 0 },
	{ "filename_effective", W_SPECIAL, 0 },
	{ "ftp_entry_path", W_STR, CURLINFO_FTP_ENTRY_PATH },
	{ "http_code", W_CODE, CURLINFO_RESPONSE_CODE },
	{ "http_connect", W_CODE, CURLINFO_HTTP_CONNECTCODE },
	{ "http_version", W_SPECIAL, 0 },
	{ "local_ip", W_STR, CURLINFO_LOCAL_IP },
	{ "local_port", W_LONG, CURLINFO_LOCAL_PORT },
	{ "method", W_STR, CURLINFO_EFFECTIVE_METHOD },
	{ "num_certs", W_SPECIAL, 0 },
	{ "num_connects", W_LONG, CURLINFO_NUM_CONNECTS },
	{ "num_headers", W_SPECIAL, 0 },
	{ "num_redirects", W_LONG, CURLINFO_REDIRECT_COUNT },
	{ "proxy_ssl_verify_result", W_LONG, CURLINFO_PROXY_SSL_VERIFYRESULT },
	{ "redirect_url", W_STR, CURLINFO_REDIRECT_URL },
	{ "referer", W_STR, CURLINFO_REFERER },
	{ "remote_ip", W_STR, CURLINFO_PRIMARY_IP },
	{ "remote_port", W_LONG, CURLINFO_PRIMARY_PORT },
	{ "response_code", W_CODE, CURLINFO_RESPONSE_CODE },
	{ "scheme", W_STR, CURLINFO_SCHEME },
	{ "size_download", W_OFF, CURLINFO_SIZE_DOWNLOAD_T },
	{ "size_header", W_LONG, CURLINFO_HEADER_SIZE },
	{ "size_request", W_LONG, CURLINFO_REQUEST_SIZE },
	{ "size_upload", W_OFF, CURLINFO_SIZE_UPLOAD_T },
	{ "speed_download", W_OFF, CURLINFO_SPEED_DOWNLOAD_T },
	{ "speed_upload", W_OFF, CURLINFO_SPEED_UPLOAD_T },
	{ "ssl_verify_result", W_LONG, CURLINFO_SSL_VERIFYRESULT },
	{ "time_appconnect", W_TIME, CURLINFO_APPCONNECT_TIME_T },
	{ "time_connect", W_TIME, CURLINFO_CONNECT_TIME_T },
	{ "time_namelookup", W_TIME, CURLINFO_NAMELOOKUP_TIME_T },
	{ "time_pretransfer", W_TIME, CURLINFO_PRETRANSFER_TIME_T },
	{ "time_redirect", W_TIME, CURLINFO_REDIRECT_TIME_T },
	{ "time_starttransfer", W_TIME, CURLINFO_STARTTRANSFER_TIME_T },
	{ "time_total", W_TIME, CURLINFO_TOTAL_TIME_T },
	{ "url", W_SPECIAL, 0 },
	{ "url_effective", W_STR, CURLINFO_EFFECTIVE_URL },
	{ "urlnum", W_SPECIAL, 0 },
};

static const struct wvar *
find_var(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof wvars / sizeof wvars[0]; i++)
		if (strlen(wvars[i].name) == len &&
		    memcmp(wvars[i].name, name, len) == 0)
			return &wvars[i];
	return NULL;
}

/* %{certs}: each certificate's fields as "Name:value" lines, the
 * "cert:" prefix of the PEM dropped, as curl writes them; empty without
 * TLS.  %{num_certs}: how many. */
static void
certs(struct buf *b, const struct client_xfer *x, bool count)
{
	struct curl_certinfo *ci = NULL;

	if (curl_easy_getinfo(x->h, CURLINFO_CERTINFO, &ci) != CURLE_OK ||
	    ci == NULL) {
		if (count)
			buf_puts(b, "0");
		return;
	}
	if (count) {
		buf_printf(b, "%d", ci->num_of_certs);
		return;
	}
	for (int i = 0; i < ci->num_of_certs; i++)
		for (struct curl_slist *l = ci->certinfo[i]; l; l = l->next) {
			if (strncasecmp(l->data, "cert:", 5) == 0) {
				buf_puts(b, l->data + 5);	/* ends in \n */
			} else {
				buf_puts(b, l->data);
				buf_puts(b, "\n");
			}
		}
}

/* A special variable's text; NULL when it has none (JSON null). */
static const char *
special(const struct client_xfer *x, const char *name, int exitcode,
	char *tmp, size_t size)
{
	if (strcmp(name, "exitcode") == 0 || strcmp(name, "urlnum") == 0) {
		snprintf(tmp, size, "%d", name[0] == 'e' ? exitcode :
			 (int)(x->cfg->urlnum ? x->cfg->urlnum[x->index] : x->index));
		return tmp;
	}
	if (strcmp(name, "num_headers") == 0) {
		struct curl_header *h = NULL;
		int n = 0;
		while ((h = curl_easy_nextheader(x->h, CURLH_HEADER, -1, h)) != NULL)
			n++;
		snprintf(tmp, size, "%d", n);
		return tmp;
	}
	if (strcmp(name, "errormsg") == 0) {
		if (exitcode == 0)
			return NULL;
		snprintf(tmp, size, "%s", x->werr[0] ? x->werr : x->errbuf);
		return tmp;
	}
	if (strcmp(name, "filename_effective") == 0)
		return x->out_path;
	if (strcmp(name, "url") == 0)
		return x->url;
	/* http_version */
	long v = 0;
	curl_easy_getinfo(x->h, CURLINFO_HTTP_VERSION, &v);
	snprintf(tmp, size, "%s", v == CURL_HTTP_VERSION_1_0 ? "1.0" :
		 v == CURL_HTTP_VERSION_1_1 ? "1.1" :
		 v == CURL_HTTP_VERSION_2_0 ? "2" :
		 v == CURL_HTTP_VERSION_3 ? "3" : "0");
	return tmp;
}

/* Render one variable into b; json quotes strings and writes null. */
static void
render(struct buf *b, const struct client_xfer *x, const struct wvar *w,
       int exitcode, bool json)
{
	char tmp[CURL_ERROR_SIZE + 64];
	const char *s = NULL;
	long l = 0;
	curl_off_t o = 0;

	switch (w->type) {
	case W_LONG:
	case W_CODE:
		curl_easy_getinfo(x->h, w->info, &l);
		buf_printf(b, w->type == W_CODE && !json ? "%03ld" : "%ld", l);
		return;
	case W_TIME:
		curl_easy_getinfo(x->h, w->info, &o);
		buf_printf(b, "%ld.%06ld", (long)(o / 1000000), (long)(o % 1000000));
		return;
	case W_OFF:
		curl_easy_getinfo(x->h, w->info, &o);
		buf_printf(b, "%" CURL_FORMAT_CURL_OFF_T, o);
		return;
	case W_STR:
		curl_easy_getinfo(x->h, w->info, &s);
		break;
	case W_SPECIAL:
		if (strcmp(w->name, "certs") == 0 ||
		    strcmp(w->name, "num_certs") == 0) {
			struct buf c = BUF_INIT;
			certs(&c, x, w->name[0] == 'n');
			if (json && w->name[0] == 'c')
				json_escape(b, span_from(c.data ? c.data : ""));
			else if (c.data)
				buf_puts(b, c.data);
			buf_free(&c);
			return;
		}
		s = special(x, w->name, exitcode, tmp, sizeof tmp);
		if (json && s && (strcmp(w->name, "exitcode") == 0 ||
				  strcmp(w->name, "urlnum") == 0 ||
				  strcmp(w->name, "num_headers") == 0)) {
			buf_puts(b, s);
			return;
		}
		break;
	}
	if (json && s == NULL)
		buf_puts(b, "null");
	else if (json)
		json_escape(b, span_from(s));
	else if (s)
		buf_puts(b, s);
}

static void
render_json(struct buf *b, const struct client_xfer *x, int exitcode)
{
	buf_puts(b, "{");
	for (size_t i = 0; i < sizeof wvars / sizeof wvars[0]; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", wvars[i].name);
		render(b, x, &wvars[i], exitcode, true);
	}
	buf_printf(b, ",\"curl_version\":");
	json_escape(b, span_from(curl_version()));
	buf_puts(b, "}");
}

/* %{header{name}}: the value(s) of a response header, ", "-joined */
static void
header_value(struct buf *b, const struct client_xfer *x, const char *name,
	     size_t len)
{
	char hname[128];
	struct curl_header *h;
	size_t i = 0;

	snprintf(hname, sizeof hname, "%.*s", (int)len, name);
	while (curl_easy_header(x->h, hname, i, CURLH_HEADER, -1, &h) ==
	       CURLHE_OK) {
		buf_printf(b, "%s%s", i ? ", " : "", h->value);
		if (++i >= h->amount)
			break;
	}
}

/* %{header_json}: every header of the last response, names lower case,
 * each with the list of its values */
static void
header_json(struct buf *b, const struct client_xfer *x)
{
	struct curl_header *h = NULL;
	bool first = true;

	buf_puts(b, "{");
	while ((h = curl_easy_nextheader(x->h, CURLH_HEADER, -1, h)) != NULL) {
		struct curl_header *v;
		char name[256];
		size_t n = 0;
		if (h->index != 0)	/* listed with its first occurrence */
			continue;
		for (; h->name[n] && n + 1 < sizeof name; n++)
			name[n] = (char)(h->name[n] | (h->name[n] >= 'A' && h->name[n] <= 'Z' ? 0x20 : 0));
		name[n] = 0;
		buf_puts(b, first ? "" : ",\n");	/* curl's layout */
		json_escape(b, span_from(name));
		buf_puts(b, ":[");
		for (size_t i = 0; i < h->amount; i++)
			if (curl_easy_header(x->h, h->name, i, CURLH_HEADER, -1, &v) ==
			    CURLHE_OK) {
				buf_puts(b, i ? "," : "");
				json_escape(b, span_from(v->value));
			}
		buf_puts(b, "]");
		first = false;
	}
	buf_puts(b, "\n}");
}

static void
flush_to(struct buf *b, FILE *fp)
{
	if (b->len)
		fwrite(b->data, 1, b->len, fp);
	buf_reset(b);
}

static const char *
escape(char c)
{
	switch (c) {
	case 'n': return "\n";
	case 'r': return "\r";
	case 't': return "\t";
	case '\\': return "\\";
	default: return NULL;
	}
}

void
client_writeout(struct client_xfer *x, const char *format, int exitcode)
{
	struct buf b = BUF_INIT, file = BUF_INIT;
	FILE *fp = stdout;

	if (format[0] == '@') {
		if (client_read_file(format + 1, &file) < 0) {
			fprintf(stderr, "%s: cannot read '%s'\n", x->cfg->prog, format + 1);
			return;
		}
		/* curl joins the file's lines, each cut at its CR or LF */
		size_t j = 0;
		for (size_t i = 0; i < file.len; i++) {
			if (file.data[i] == '\r' || file.data[i] == '\n') {
				while (i < file.len && file.data[i] != '\n')
					i++;
				continue;
			}
			file.data[j++] = file.data[i];
		}
		if (file.data)
			file.data[j] = 0;
		format = file.data ? file.data : "";
	}
	for (const char *p = format; *p; p++) {
		const char *end;
		if (*p == '\\' && p[1] && escape(p[1])) {
			buf_puts(&b, escape(*++p));
		} else if (p[0] == '%' && p[1] == '%') {
			buf_puts(&b, "%");
			p++;
		} else if (strncmp(p, "%header{", 8) == 0 &&
			   (end = strchr(p + 8, '}')) != NULL) {
			header_value(&b, x, p + 8, (size_t)(end - p - 8));
			p = end;
		} else if (p[0] == '%' && p[1] == '{' && (end = strchr(p, '}'))) {
			const char *name = p + 2;
			size_t len = (size_t)(end - name);
			const struct wvar *w = find_var(name, len);
			if (len > 8 && memcmp(name, "header{", 7) == 0 &&
			    (end = strchr(p + 9, '}')) != NULL && end[1] == '}') {
				header_value(&b, x, p + 9, (size_t)(end - p - 9));
				end++;
			} else if (len == 11 && memcmp(name, "header_json", 11) == 0) {
				header_json(&b, x);
			} else if (len == 7 && memcmp(name, "onerror", 7) == 0) {
				if (exitcode == 0)
					break;	/* the rest only on an error */
			} else if (len == 4 && memcmp(name, "json", 4) == 0) {
				render_json(&b, x, exitcode);
			} else if (len == 6 && memcmp(name, "stderr", 6) == 0) {
				flush_to(&b, fp);
				fp = stderr;
			} else if (len == 6 && memcmp(name, "stdout", 6) == 0) {
				flush_to(&b, fp);
				fp = stdout;
			} else if (w) {
				render(&b, x, w, exitcode, false);
			} else {
				fprintf(stderr, "%s: warning: unknown --write-out "
					"variable '%.*s'\n", x->cfg->prog, (int)len, name);
			}
			p = end;
		} else {
			buf_append(&b, p, 1);
		}
	}
	flush_to(&b, fp);
	fflush(fp);
	buf_free(&b);
	buf_free(&file);
}
