/*
 * client_offline.c - --offline prints the request that would be sent;
 * --curl prints the curl(1) command line that would send it.  Neither
 * touches libcurl or the network.
 *
 * --offline shows the head httptool would send (Host, User-Agent, Accept,
 * the user's headers, Content-Length) and the body exactly as built.
 * libcurl may order a few default headers differently; -v shows the real
 * thing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/base64.h"
#include "client.h"
#include "lib/out.h"
#include "lib/version.h"

/* Quote for a POSIX shell unless every byte is harmless. */
static void
shell_word(FILE *fp, const char *s, size_t len)
{
	bool plain = len > 0;

	for (size_t i = 0; i < len && plain; i++)
		plain = isalnum((unsigned char)s[i]) || strchr("_./:=@%+,-", s[i]);
	fputc(' ', fp);
	if (plain) {
		fwrite(s, 1, len, fp);
		return;
	}
	fputc('\'', fp);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			fputs("'\\''", fp);
		else
			fputc(s[i], fp);
	}
	fputc('\'', fp);
}

static void
arg(FILE *fp, const char *flag, const char *value)
{
	fprintf(fp, " %s", flag);
	if (value)
		shell_word(fp, value, strlen(value));
}

static void
curl_parts(const struct client_cfg *cfg, FILE *fp)
{
	for (size_t i = 0; i < cfg->nfields; i++) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s=%s", cfg->fields[i].name, cfg->fields[i].value);
		arg(fp, "-F", b.data);
		buf_free(&b);
	}
	for (size_t i = 0; i < cfg->nparts; i++) {
		const struct client_part *p = &cfg->parts[i];
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s=%s%s", p->name, p->path ? "@" : "",
			   p->path ? p->path : p->value);
		if (p->type)
			buf_printf(&b, ";type=%s", p->type);
		if (p->filename)
			buf_printf(&b, ";filename=%s", p->filename);
		arg(fp, "-F", b.data);
		buf_free(&b);
	}
}

static void
curl_flags(const struct client_cfg *c, FILE *fp)
{
	static const struct { size_t off; const char *flag; } strs[] = {
		{ offsetof(struct client_cfg, user), "-u" },
		{ offsetof(struct client_cfg, user_agent), "-A" },
		{ offsetof(struct client_cfg, referer), "-e" },
		{ offsetof(struct client_cfg, range), "-r" },
		{ offsetof(struct client_cfg, continue_at), "-C" },
		{ offsetof(struct client_cfg, cookie), "-b" },
		{ offsetof(struct client_cfg, cookie_jar), "-c" },
		{ offsetof(struct client_cfg, output_dir), "--output-dir" },
		{ offsetof(struct client_cfg, writeout), "-w" },
		{ offsetof(struct client_cfg, cacert), "--cacert" },
		{ offsetof(struct client_cfg, unix_socket), "--unix-socket" },
		{ offsetof(struct client_cfg, trace_ascii), "--trace-ascii" },
	};
	char num[32];

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		const char *v = *(const char *const *)((const char *)c + strs[i].off);
		if (v)
			arg(fp, strs[i].flag, v);
	}
	if (c->follow)
		arg(fp, "-L", NULL);
	if (c->max_redirs >= 0) {
		snprintf(num, sizeof num, "%ld", c->max_redirs);
		arg(fp, "--max-redirs", num);
	}
	if (c->include)
		arg(fp, "-i", NULL);
	if (c->verbose)
		arg(fp, "-v", NULL);
	if (c->silent)
		arg(fp, c->show_error ? "-sS" : "-s", NULL);
	if (c->insecure)
		arg(fp, "-k", NULL);
	if (c->compressed)
		arg(fp, "--compressed", NULL);
	if (c->fail)
		arg(fp, "--fail", NULL);
	if (c->fail_with_body)
		arg(fp, "--fail-with-body", NULL);
	if (c->path_as_is)
		arg(fp, "--path-as-is", NULL);
	if (c->http_version)
		arg(fp, c->http_version == 10 ? "--http1.0" :
		    c->http_version == 11 ? "--http1.1" :
		    c->http_version == 20 ? "--http2" : "--http2-prior-knowledge",
		    NULL);
	if (c->max_time_ms) {
		snprintf(num, sizeof num, "%g", c->max_time_ms / 1000.0);
		arg(fp, "-m", num);
	}
	if (c->connect_timeout_ms) {
		snprintf(num, sizeof num, "%g", c->connect_timeout_ms / 1000.0);
		arg(fp, "--connect-timeout", num);
	}
	if (c->retry) {
		snprintf(num, sizeof num, "%ld", c->retry);
		arg(fp, "--retry", num);
	}
	if (c->parallel)
		arg(fp, "-Z", NULL);
	for (size_t i = 0; i < c->resolve.n; i++)
		arg(fp, "--resolve", c->resolve.v[i]);
}

void
client_print_curl(const struct client_cfg *cfg, FILE *fp)
{
	const char *m = client_method(cfg);

	fputs("curl", fp);
	if (cfg->head_only)
		arg(fp, "-I", NULL);
	else if (cfg->has_body ? strcmp(m, "POST") != 0 : strcmp(m, "GET") != 0)
		arg(fp, "-X", m);
	for (size_t i = 0; i < cfg->headers.n; i++)
		if (!(cfg->nparts && (strncasecmp(cfg->headers.v[i], "Content-Type:", 13) == 0 ||
				      strncasecmp(cfg->headers.v[i], "Content-Length:", 15) == 0)))
			arg(fp, "-H", cfg->headers.v[i]);
	if (cfg->nparts) {
		curl_parts(cfg, fp);
	} else if (cfg->has_body) {
		fputs(" --data-binary", fp);
		shell_word(fp, cfg->body.data ? cfg->body.data : "", cfg->body.len);
	}
	curl_flags(cfg, fp);
	for (size_t i = 0; i < cfg->urls.n; i++) {
		char *url = client_url_with_query(cfg, i);
		if (i < cfg->nouts)
			arg(fp, cfg->outs[i].path ? "-o" : "-O", cfg->outs[i].path);
		if (url)
			shell_word(fp, url, strlen(url));
		free(url);
	}
	fputc('\n', fp);
}

static void
head_line(FILE *fp, bool color, const char *fmt, const char *a, const char *b)
{
	struct buf line = BUF_INIT;

	if (fp == NULL)		/* --print without H */
		return;
	buf_printf(&line, fmt, a, b);
	out_head_line(fp, line.data, line.len, "\n", color);
	buf_free(&line);
}

static void
offline_one(const struct client_cfg *cfg, const char *url, FILE *out,
	    bool color)
{
	/* --print H and B choose the parts, as HTTPie's --offline does */
	FILE *fp = !cfg->print || (cfg->print & PRINT_REQ_HEAD) ? out : NULL;
	bool show_body = !cfg->print || (cfg->print & PRINT_REQ_BODY);
	const char *auth = strstr(url, "://") + 3;
	size_t alen = strcspn(auth, "/?#");
	const char *at = memchr(auth, '@', alen);
	const char *path = auth + alen;
	char ua[64], len[32];
	struct buf target = BUF_INIT;

	if (at) {
		alen -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	buf_printf(&target, "%s%.*s", *path == '/' ? "" : "/",
		   (int)strcspn(path, "#"), path);
	head_line(fp, color, "%s %s HTTP/1.1", client_method(cfg), target.data);
	buf_reset(&target);
	buf_printf(&target, "%.*s", (int)alen, auth);
	if (!client_has_header(cfg, "Host", 4))
		head_line(fp, color, "%s%s", "Host: ", target.data);
	/* libcurl's order: Host, Authorization, User-Agent, Accept */
	if (cfg->copt[COPT_OAUTH2_BEARER] &&
	    !client_has_header(cfg, "Authorization", 13))
		head_line(fp, color, "Authorization: Bearer %s%s",
			  cfg->copt[COPT_OAUTH2_BEARER], "");
	/* digest and --anyauth answer a challenge: the first request has
	   no credentials (as curl sends it, and HTTPie's --offline shows) */
	else if (cfg->user && !cfg->copt[COPT_DIGEST] &&
		 !cfg->copt[COPT_ANYAUTH] &&
		 !client_has_header(cfg, "Authorization", 13)) {
		struct buf b64 = BUF_INIT;
		base64_encode(&b64, cfg->user, strlen(cfg->user));
		head_line(fp, color, "Authorization: Basic %s%s", b64.data, "");
		buf_free(&b64);
	}
	snprintf(ua, sizeof ua, "httptool/%s", HTTPTOOL_VERSION);
	if (!client_has_header(cfg, "User-Agent", 10))
		head_line(fp, color, "User-Agent: %s%s",
			  cfg->user_agent ? cfg->user_agent : ua, "");
	if (!client_has_header(cfg, "Accept", 6))
		head_line(fp, color, "%s%s", "Accept: */*", "");
	if (cfg->referer)
		head_line(fp, color, "Referer: %s%s", cfg->referer, "");
	if (cfg->range)
		head_line(fp, color, "Range: bytes=%s%s", cfg->range, "");
	if (cfg->cookie && strchr(cfg->cookie, '='))
		head_line(fp, color, "Cookie: %s%s", cfg->cookie, "");
	for (size_t i = 0; i < cfg->headers.n; i++) {
		const char *h = cfg->headers.v[i];
		size_t n = strlen(h);
		if (n && h[n - 1] == ';' && fp)	/* "Name;" is sent empty */
			fprintf(fp, "%.*s:\n", (int)n - 1, h);
		else if (strchr(h, ' '))	/* not "Name:" removals */
			head_line(fp, color, "%s%s", h, "");
	}
	if (cfg->has_body && !client_has_header(cfg, "Content-Length", 14) &&
	    !client_has_header(cfg, "Transfer-Encoding", 17)) {
		snprintf(len, sizeof len, "%zu", cfg->body.len);
		head_line(fp, color, "Content-Length: %s%s", len, "");
	}
	if (cfg->has_body && !client_has_header(cfg, "Content-Type", 12))
		head_line(fp, color, "Content-Type: %s%s",
			  "application/x-www-form-urlencoded", "");
	if (fp)
		fputc('\n', fp);
	if (cfg->has_body && show_body) {
		fwrite(cfg->body.data, 1, cfg->body.len, out);
		fputs("\n\n", out);
	}
	buf_free(&target);
}

void
client_print_offline(const struct client_cfg *cfg, FILE *fp)
{
	bool color = cfg->pretty == PRETTY_AUTO ? out_color_wanted(fileno(fp)) :
		     (cfg->pretty & PRETTY_COLORS) != 0;

	for (size_t i = 0; i < cfg->urls.n; i++) {
		char *url = client_url_with_query(cfg, i);
		if (url)
			offline_one(cfg, url, fp, color);
		free(url);
	}
}
