/*
 * lab.c - the classic lab pages: the "Test routes" section of the root
 * listing, POST echo, the /test_get and /test_post forms, the session lab
 * (/login, /whoami, /logout) and TRACE.
 *
 * Sessions are the one piece of state shared by all loops; they live
 * here, behind a mutex, in a small fixed table (oldest entry reused).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http/form.h"
#include "http/url.h"
#include "server/html.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

#define LAB_SESSIONS 256

struct lab_session {
	char id[33];
	char user[64];
	unsigned long long seq;
};

static struct lab_session lab_sessions[LAB_SESSIONS];
static unsigned long long lab_seq;
static pthread_mutex_t lab_lock = PTHREAD_MUTEX_INITIALIZER;

static const char lab_head[] =
	"<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>%s</title>\n</head>\n<body>\n<h1>%s</h1>\n";
static const char lab_tail[] = "<p><a href=\"/\">all test routes</a></p>\n"
	"</body>\n</html>\n";

void
lab_routes_html(struct buf *b)
{
	buf_puts(b, "<h2>Test routes</h2>\n<p>Built-in routes answer where "
		 "no file of that name exists. POST to any other path echoes "
		 "the body.</p>\n<ul>\n");
	for (const struct route *rt = routes; rt->path; rt++) {
		const char *ex = rt->example ? rt->example : rt->path;

		if (!rt->doc)
			continue;
		buf_puts(b, "<li><a href=\"");
		html_escape(b, span_from(ex));
		buf_puts(b, "\">");
		html_escape(b, span_from(ex));
		buf_puts(b, "</a> &mdash; ");
		html_escape(b, span_from(rt->doc));
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n<hr>\n");
}

static void
lab_page(struct req *r, int status, const char *title, const char *body)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, lab_head, title, title);
	buf_puts(&b, body);
	buf_puts(&b, lab_tail);
	resp_send(r->c, status, "text/html; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

void
lab_post_echo(struct req *r)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "received post request:<br>");
	html_escape(&b, r->body);	/* never reflect markup */
	resp_send(r->c, 200, "text/html; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

void
lab_test_get(struct req *r)
{
	lab_page(r, 200, "GET form",
		 "<form action=\"/get\" method=\"get\">\n"
		 "<label>test <input name=\"test\" value=\"hello\"></label>\n"
		 "<label>name <input name=\"name\" value=\"httptool\"></label>\n"
		 "<label>message <input name=\"message\" value=\"hello\"></label>\n"
		 "<button type=\"submit\">Send GET</button>\n</form>\n");
}

void
lab_test_post(struct req *r)
{
	lab_page(r, 200, "POST form",
		 "<form id=\"f\" action=\"/post\" method=\"post\">\n"
		 "<label>name <input name=\"name\" value=\"httptool\"></label>\n"
		 "<label>message <textarea name=\"message\">hello</textarea></label>\n"
		 "<button type=\"submit\">Send POST</button>\n</form>\n"
		 "<h2>multipart</h2>\n"
		 "<form action=\"/upload\" method=\"post\" "
		 "enctype=\"multipart/form-data\">\n"
		 "<input type=\"file\" name=\"file\" multiple>\n"
		 "<button type=\"submit\">Upload</button>\n</form>\n");
}

/* The user= field of an urlencoded body, decoded into out. */
static bool
lab_form_user(struct span body, char *out, size_t size)
{
	struct span rest = body, n, v;

	while (http_form_next(&rest, &n, &v)) {
		if (!span_eq(n, "user") && !span_eq(n, "username"))
			continue;
		if (v.len >= size)
			v.len = size - 1;
		long l = v.p ? http_pct_decode(v, out, true) : 0;

		out[l < 0 ? 0 : l] = 0;
		return out[0] != 0;
	}
	return false;
}

void
lab_login(struct req *r)
{
	char user[64], page[512];
	unsigned char rnd[16];
	struct lab_session *s;

	if (r->mbit != ROUTE_POST || !lab_form_user(r->body, user, sizeof user)) {
		lab_page(r, r->mbit == ROUTE_POST ? 400 : 200, "Log in",
			 "<form action=\"/login\" method=\"post\">\n"
			 "<label>user <input name=\"user\" value=\"alice\"></label>\n"
			 "<label>password <input type=\"password\" name=\"password\"></label>\n"
			 "<button type=\"submit\">Log in</button>\n</form>\n"
			 "<p>Any password works: this is about the cookie.</p>\n");
		return;
	}
	pthread_mutex_lock(&lab_lock);
	s = &lab_sessions[0];
	for (int i = 1; i < LAB_SESSIONS; i++)
		if (lab_sessions[i].seq < s->seq)
			s = &lab_sessions[i];
	req_random(rnd, sizeof rnd);
	for (int i = 0; i < 16; i++)
		snprintf(s->id + 2 * i, 3, "%02x", rnd[i]);
	snprintf(s->user, sizeof s->user, "%s", user);
	s->seq = ++lab_seq;
	resp_start(r->c, 200);
	resp_headerf(r->c, "Set-Cookie", "sessionid=%s; Path=/; HttpOnly; "
		     "SameSite=Lax", s->id);
	pthread_mutex_unlock(&lab_lock);
	struct buf u = BUF_INIT;

	html_escape(&u, span_from(user));
	snprintf(page, sizeof page, "<p>Logged in as %s. Now visit "
		 "<a href=\"/whoami\">/whoami</a>.</p>\n", u.data);
	buf_free(&u);
	struct buf b = BUF_INIT;

	buf_printf(&b, lab_head, "Logged in", "Logged in");
	buf_puts(&b, page);
	buf_puts(&b, lab_tail);
	resp_body(r->c, "text/html; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

/* The user of the request's sessionid cookie into out; false if none. */
static bool
lab_session_user(struct req *r, char *out, size_t size, bool forget)
{
	struct span id;
	bool found = false;

	if (!req_cookie(r, "sessionid", &id) || id.len != 32)
		return false;
	pthread_mutex_lock(&lab_lock);
	for (int i = 0; i < LAB_SESSIONS && !found; i++) {
		struct lab_session *s = &lab_sessions[i];

		if (s->seq && memcmp(s->id, id.p, 32) == 0) {
			snprintf(out, size, "%s", s->user);
			if (forget)
				memset(s, 0, sizeof *s);
			found = true;
		}
	}
	pthread_mutex_unlock(&lab_lock);
	return found;
}

void
lab_whoami(struct req *r)
{
	char user[64], text[128];

	if (!lab_session_user(r, user, sizeof user, false)) {
		static const char no[] = "not logged in (no valid sessionid "
		    "cookie; POST user=NAME to /login)\n";

		resp_send(r->c, 401, "text/plain; charset=utf-8", no,
			  sizeof no - 1);
		return;
	}
	int n = snprintf(text, sizeof text, "logged in as %s\n", user);

	resp_send(r->c, 200, "text/plain; charset=utf-8", text, (size_t)n);
}

void
lab_logout(struct req *r)
{
	char user[64];
	bool was = lab_session_user(r, user, sizeof user, true);

	resp_start(r->c, 200);
	resp_header(r->c, "Set-Cookie", "sessionid=; Path=/; Max-Age=0");
	resp_body(r->c, "text/plain; charset=utf-8", was ? "logged out\n" :
		  "was not logged in\n", was ? 11 : 18);
}

void
lab_trace(struct req *r)
{
	/* RFC 9110 §9.3.8: the request as received, as message/http */
	resp_send(r->c, 200, "message/http", r->head.p, r->head.len);
}
