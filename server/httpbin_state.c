/*
 * httpbin_state.c - httpbin routes about the exchange rather than the
 * body: /status/:code, the redirect family, cookies, Basic and Bearer
 * auth.  Nothing a client sends reaches a response header unchecked
 * (cookie names and values, redirect targets).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "http/header.h"
#include "server/httpbin.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

void
hb_status(struct req *r)
{
	const char *list = r->path + strlen("/status/");
	long codes[16];
	double weights[16], total = 0, pick;
	int n = 0;
	unsigned rnd = 0;
	const char *p = list;

	/* "/status/200,404" picks one at random, "/status/200:0.9,500:0.1"
	 * by weight, as httpbin does */
	while (*p && n < 16) {
		char *end;
		long v = strtol(p, &end, 10);
		double w = 1;

		if (end == p || v < 100 || v > 599)
			break;
		if (*end == ':') {
			const char *ws = end + 1;

			w = strtod(ws, &end);
			if (end == ws || !(w >= 0))
				break;
		}
		if (*end && *end != ',')
			break;
		codes[n] = v;
		weights[n++] = w;
		total += w;
		p = *end ? end + 1 : end;
	}
	if (n == 0 || *p || !(total > 0)) {
		resp_error(r->c, 400, "expected /status/CODE with CODE from "
			   "100 to 599, or a list CODE[:WEIGHT],...");
		return;
	}
	req_random(&rnd, sizeof rnd);
	pick = (double)rnd / 4294967296.0 * total;
	int code = (int)codes[n - 1];

	for (int i = 0; i < n; i++) {
		if (pick < weights[i]) {
			code = (int)codes[i];
			break;
		}
		pick -= weights[i];
	}

	if (code < 200) {	/* a 1xx cannot end an exchange */
		resp_error(r->c, 400, "1xx codes are interim, not answers");
		return;
	}
	resp_start(r->c, code);
	if (code == 301 || code == 302 || code == 303 || code == 305 ||
	    code == 307 || code == 308)
		resp_header(r->c, "Location", "/redirect/1");
	if (code == 401)
		resp_header(r->c, "WWW-Authenticate",
			    "Basic realm=\"Fake Realm\"");
	if (code == 418) {
		static const char tea[] = "\n    -=[ teapot ]=-\n\n"
		    "       _...._\n     .'  _ _ `.\n    | .\"` ^ `\". _,\n"
		    "    \\_;`\"---\"`|//\n      |       ;/\n"
		    "      \\_     _/\n        `\"\"\"`\n";
		resp_header(r->c, "X-More-Info",
			    "http://tools.ietf.org/html/rfc2324");
		resp_body(r->c, "text/plain", tea, sizeof tea - 1);
		return;
	}
	if (code == 204 || code == 304)
		buf_puts(&r->c->out, "\r\n");
	else
		resp_body(r->c, "text/html; charset=utf-8", "", 0);
}

static void
hb_redirect_reply(struct req *r, int status, const char *location)
{
	resp_start(r->c, status);
	resp_header(r->c, "Location", location);
	resp_body(r->c, "text/html; charset=utf-8", "", 0);
}

static void
hb_redirect_n(struct req *r, const char *prefix, const char *next,
	      bool absolute)
{
	long long n;
	char loc[512];
	struct span host = req_host(r);
	char base[300] = "";

	if (!req_tail_num(r, prefix, 1000, &n) || n < 1) {
		resp_error(r->c, 404, "expected a count of 1 to 1000 after "
			   "the route");
		return;
	}
	if (absolute)
		snprintf(base, sizeof base, "%s://%.*s",
			 r->c->ssl ? "https" : "http", (int)host.len, host.p);
	if (n == 1)
		snprintf(loc, sizeof loc, "%s/get", base);
	else
		snprintf(loc, sizeof loc, "%s%s%lld", base, next, n - 1);
	hb_redirect_reply(r, 302, loc);
}

void
hb_redirect(struct req *r)
{
	char v[16];
	bool abs = req_query(r, "absolute", v, sizeof v) && !strcmp(v, "true");

	hb_redirect_n(r, "/redirect/", abs ? "/absolute-redirect/" :
		      "/relative-redirect/", abs);
}

void
hb_relative_redirect(struct req *r)
{
	hb_redirect_n(r, "/relative-redirect/", "/relative-redirect/", false);
}

void
hb_absolute_redirect(struct req *r)
{
	hb_redirect_n(r, "/absolute-redirect/", "/absolute-redirect/", true);
}

void
hb_redirect_to(struct req *r)
{
	char url[2048], sc[16];
	int status = 302;

	if (!req_query(r, "url", url, sizeof url) || !url[0] ||
	    strpbrk(url, "\r\n")) {
		resp_error(r->c, 400, "expected ?url=WHERE");
		return;
	}
	if (req_query(r, "status_code", sc, sizeof sc)) {
		status = atoi(sc);
		if (status < 300 || status > 399)
			status = 302;
	}
	hb_redirect_reply(r, status, url);
}

void
hb_cookies(struct req *r)
{
	struct buf b = BUF_INIT;
	struct json j;
	const struct http_header *h = NULL;

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "cookies");
	json_obj(&j);
	while ((h = http_header_next(r->msg, "cookie", h))) {
		struct span rest = h->value, n, v;

		while (req_cookie_next(&rest, &n, &v)) {
			json_key_span(&j, n);
			json_str(&j, v);
		}
	}
	json_end(&j);
	json_end(&j);
	buf_puts(&b, "\n");
	hb_send(r, 200, &b);
	buf_free(&b);
}

/* Is s fit to go into a Set-Cookie header as it is? */
static bool
hb_cookie_safe(struct span s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.p[i];

		if (ch <= 0x20 || ch >= 0x7f || ch == ';' || ch == ',' ||
		    ch == '"' || ch == '\\')
			return false;
	}
	return true;
}

static void
hb_cookies_change(struct req *r, bool set)
{
	struct span rest = r->query, n, v;
	struct buf kb = BUF_INIT, vb = BUF_INIT;

	resp_start(r->c, 302);
	resp_header(r->c, "Location", "/cookies");
	while (rest.p && http_form_next(&rest, &n, &v)) {
		hb_decode(&kb, n);
		hb_decode(&vb, v);
		if (!kb.len || !hb_cookie_safe(buf_unread(&kb)) ||
		    !hb_cookie_safe(buf_unread(&vb)))
			continue;
		if (set)
			resp_headerf(r->c, "Set-Cookie", "%s=%s; Path=/",
				     kb.data, vb.data ? vb.data : "");
		else
			resp_headerf(r->c, "Set-Cookie", "%s=; Expires=Thu, "
				     "01 Jan 1970 00:00:00 GMT; Max-Age=0; "
				     "Path=/", kb.data);
	}
	resp_body(r->c, "text/html; charset=utf-8", "", 0);
	buf_free(&kb);
	buf_free(&vb);
}

void
hb_cookies_set(struct req *r)
{
	hb_cookies_change(r, true);
}

void
hb_cookies_delete(struct req *r)
{
	hb_cookies_change(r, false);
}

static void
hb_auth_reply(struct req *r, bool ok, const char *key, struct span val,
	      const char *challenge)
{
	struct buf b = BUF_INIT;
	struct json j;

	if (!ok) {
		resp_start(r->c, 401);
		resp_header(r->c, "WWW-Authenticate", challenge);
		resp_body(r->c, NULL, "", 0);
		return;
	}
	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "authenticated");
	json_bool(&j, true);
	json_key(&j, key);
	json_str(&j, val);
	json_end(&j);
	buf_puts(&b, "\n");
	hb_send(r, 200, &b);
	buf_free(&b);
}

/* The path after prefix is USER/PASSWORD: do the Basic credentials
 * match?  404 queued (and false) when the path is not of that form. */
static bool
hb_basic_check(struct req *r, const char *prefix, bool *ok,
	       struct span *user)
{
	const char *up = r->path + strlen(prefix);
	const char *slash = strchr(up, '/');
	struct span auth = span_trim(http_header_value(r->msg,
						       "authorization"));
	unsigned char dec[512];
	long n = -1;

	if (!slash || strchr(slash + 1, '/')) {
		char d[80];

		snprintf(d, sizeof d, "expected %sUSER/PASSWORD", prefix);
		resp_error(r->c, 404, d);
		return false;
	}
	if (span_istarts(auth, "Basic ") && auth.len - 6 < sizeof dec)
		n = base64_decode(span_trim((struct span){ auth.p + 6,
					    auth.len - 6 }), dec);
	size_t ul = (size_t)(slash - up);
	*ok = n >= 0 && (size_t)n == strlen(up) &&
	    memcmp(dec, up, ul) == 0 && dec[ul] == ':' &&
	    memcmp(dec + ul + 1, slash + 1, strlen(slash + 1)) == 0;
	*user = (struct span){ up, ul };
	return true;
}

void
hb_basic_auth(struct req *r)
{
	struct span user;
	bool ok;

	if (hb_basic_check(r, "/basic-auth/", &ok, &user))
		hb_auth_reply(r, ok, "user", user,
			      "Basic realm=\"Fake Realm\"");
}

/* As /basic-auth, but a failure is a plain 404 (no challenge). */
void
hb_hidden_basic_auth(struct req *r)
{
	struct span user;
	bool ok;

	if (!hb_basic_check(r, "/hidden-basic-auth/", &ok, &user))
		return;
	if (ok)
		hb_auth_reply(r, true, "user", user, NULL);
	else
		resp_error(r->c, 404, NULL);
}

void
hb_bearer(struct req *r)
{
	struct span auth = span_trim(http_header_value(r->msg,
						       "authorization"));
	bool ok = span_istarts(auth, "Bearer ") && auth.len > 7;
	struct span tok = ok ? span_trim((struct span){ auth.p + 7,
					 auth.len - 7 }) : SPAN_NULL;

	hb_auth_reply(r, ok && tok.len, "token", tok, "Bearer");
}
