/*
 * httpbin.c - httpbin-compatible routes that describe the request: /get,
 * /post, /anything, /headers, /ip, /user-agent, /response-headers and
 * /forms/post, and the JSON fields they share.  Field names and shapes
 * follow httpbin so client tests written against it port.  Status codes,
 * redirects, cookies and auth are httpbin_state.c; generated bodies
 * (/bytes, /stream, /gzip, ...) httpbin_data.c; /upload upload.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "http/form.h"
#include "http/header.h"
#include "http/url.h"
#include "server/httpbin.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

static bool
span_eq_span(struct span a, struct span b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

void
hb_decode(struct buf *b, struct span s)
{
	buf_reset(b);
	if (!s.p || buf_reserve(b, s.len) < 0)
		return;
	long n = http_pct_decode(s, b->data, true);

	if (n < 0) {		/* keep malformed escapes as sent */
		memcpy(b->data, s.p, s.len);
		n = (long)s.len;
	}
	b->len = (size_t)n;
	b->data[n] = 0;
}

/* A urlencoded list as {"name": "v"} or {"name": ["v1", "v2"]}. */
static void
hb_pairs(struct json *j, struct span list)
{
	struct span rest = list, n, v, r2, n2, v2;
	struct buf kb = BUF_INIT, vb = BUF_INIT, tb = BUF_INIT;
	size_t pos = 0;

	json_obj(j);
	while (list.p && http_form_next(&rest, &n, &v)) {
		bool seen = false;
		int count = 0;

		/* first occurrence decides; later ones are folded into it */
		r2 = (struct span){ list.p, pos };
		pos = (size_t)(rest.p - list.p);
		while (http_form_next(&r2, &n2, &v2))
			if (span_eq_span(n2, n))
				seen = true;
		if (seen)
			continue;
		r2 = rest;
		while (http_form_next(&r2, &n2, &v2))
			if (span_eq_span(n2, n))
				count++;
		hb_decode(&kb, n);
		json_key_span(j, (struct span){ kb.data ? kb.data : "", kb.len });
		if (count)
			json_arr(j);
		hb_decode(&vb, v);
		json_str(j, (struct span){ vb.data ? vb.data : "", vb.len });
		r2 = rest;
		while (count && http_form_next(&r2, &n2, &v2)) {
			if (!span_eq_span(n2, n))
				continue;
			hb_decode(&tb, v2);
			json_str(j, (struct span){ tb.data ? tb.data : "",
						   tb.len });
		}
		if (count)
			json_end(j);
	}
	json_end(j);
	buf_free(&kb);
	buf_free(&vb);
	buf_free(&tb);
}

static void
hb_headers_obj(struct req *r, struct json *j)
{
	struct buf name = BUF_INIT, val = BUF_INIT;

	json_obj(j);
	for (size_t i = 0; i < r->msg->nheaders; i++) {
		const struct http_header *h = &r->msg->headers[i], *o;
		bool dup = false;

		for (size_t k = 0; k < i && !dup; k++)
			dup = span_ieq_span(r->msg->headers[k].name, h->name);
		if (dup)
			continue;
		buf_reset(&name);
		buf_append(&name, h->name.p, h->name.len);
		for (size_t k = 0; k < name.len; k++) {	/* Title-Case */
			char *ch = &name.data[k];
			bool up = k == 0 || name.data[k - 1] == '-';

			if (up && *ch >= 'a' && *ch <= 'z')
				*ch = (char)(*ch - 32);
			else if (!up && *ch >= 'A' && *ch <= 'Z')
				*ch = (char)(*ch + 32);
		}
		buf_reset(&val);
		buf_append(&val, h->value.p, h->value.len);
		for (size_t k = i + 1; k < r->msg->nheaders; k++) {
			o = &r->msg->headers[k];
			if (!span_ieq_span(o->name, h->name))
				continue;
			buf_puts(&val, ",");
			buf_append(&val, o->value.p, o->value.len);
		}
		json_key_span(j, buf_unread(&name));
		json_str(j, buf_unread(&val));
	}
	json_end(j);
	buf_free(&name);
	buf_free(&val);
}

/* "data", "files", "form", "json" as httpbin fills them. */
static void
hb_body(struct req *r, struct json *j)
{
	struct span ct = http_header_value(r->msg, "content-type");
	struct span mt = http_media_type(ct), boundary;
	bool form = span_ieq(mt, "application/x-www-form-urlencoded");
	bool multi = http_multipart_boundary(ct, &boundary);
	struct buf tmp = BUF_INIT;

	json_key(j, "data");
	if (form || multi) {
		json_cstr(j, "");
	} else if (json_utf8_valid(r->body)) {
		json_str(j, r->body);
	} else {
		buf_printf(&tmp, "data:application/octet-stream;base64,");
		base64_encode(&tmp, (const unsigned char *)r->body.p,
			      r->body.len);
		json_str(j, buf_unread(&tmp));
	}
	json_key(j, "files");
	json_obj(j);
	struct http_multipart m;
	struct http_part part;

	if (multi) {
		http_multipart_init(&m, r->body, boundary);
		while (http_multipart_next(&m, &part))
			if (part.filename.p) {
				json_key_span(j, part.name);
				json_str(j, part.body);
			}
	}
	json_end(j);
	json_key(j, "form");
	if (form) {
		hb_pairs(j, r->body);
	} else {
		json_obj(j);
		if (multi) {
			http_multipart_init(&m, r->body, boundary);
			while (http_multipart_next(&m, &part))
				if (!part.filename.p) {
					json_key_span(j, part.name);
					json_str(j, part.body);
				}
		}
		json_end(j);
	}
	json_key(j, "json");
	if (!form && !multi && json_valid(r->body))
		json_raw(j, span_trim(r->body));
	else
		json_null(j);
	buf_free(&tmp);
}

void
hb_fields(struct req *r, struct json *j, unsigned what)
{
	if (what & HB_ARGS) {
		json_key(j, "args");
		hb_pairs(j, r->query);
	}
	if (what & HB_BODY)
		hb_body(r, j);
	if (what & HB_HEADERS) {
		json_key(j, "headers");
		hb_headers_obj(r, j);
	}
	if (what & HB_METHOD) {
		json_key(j, "method");
		json_str(j, r->method);
	}
	if (what & HB_ORIGIN) {
		json_key(j, "origin");
		json_cstr(j, r->c->peer);
	}
	if (what & HB_URL) {
		struct buf u = BUF_INIT;
		struct span host = req_host(r);

		if (span_istarts(r->target, "http://") ||
		    span_istarts(r->target, "https://"))
			buf_append(&u, r->target.p, r->target.len);
		else
			buf_printf(&u, "%s://%.*s%.*s",
				   r->c->ssl ? "https" : "http",
				   (int)host.len, host.p, (int)r->target.len,
				   r->target.p);
		json_key(j, "url");
		json_str(j, buf_unread(&u));
		buf_free(&u);
	}
}

void
hb_send(struct req *r, int status, struct buf *b)
{
	resp_start(r->c, status);
	resp_body_buf(r->c, "application/json", b);
}

void
hb_doc(struct req *r, unsigned what, struct buf *b)
{
	struct json j;

	json_init(&j, b, true);
	json_obj(&j);
	hb_fields(r, &j, what);
	json_end(&j);
	buf_puts(b, "\n");
}

void
hb_reply(struct req *r, int status, unsigned what)
{
	struct buf b = BUF_INIT;

	hb_doc(r, what, &b);
	hb_send(r, status, &b);
	buf_free(&b);
}

void
hb_get(struct req *r)
{
	hb_reply(r, 200, HB_GET);
}

void
hb_anything(struct req *r)
{
	bool any = strncmp(r->path, "/anything", 9) == 0;

	hb_reply(r, 200, HB_GET | HB_BODY | (any ? HB_METHOD : 0));
}

void
hb_headers(struct req *r)
{
	hb_reply(r, 200, HB_HEADERS);
}

void
hb_ip(struct req *r)
{
	hb_reply(r, 200, HB_ORIGIN);
}

void
hb_user_agent(struct req *r)
{
	struct buf b = BUF_INIT;
	struct json j;
	struct span ua = http_header_value(r->msg, "user-agent");

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "user-agent");
	if (ua.p)
		json_str(&j, ua);
	else
		json_null(&j);
	json_end(&j);
	buf_puts(&b, "\n");
	hb_send(r, 200, &b);
	buf_free(&b);
}

/* A query parameter of /response-headers fit to be a header: a token
 * name, a one-line value (no header injection). */
static bool
hb_header_ok(const struct buf *k, const struct buf *v)
{
	return k->len && !strpbrk(k->data, " \t\r\n:") &&
	    !(v->data && strpbrk(v->data, "\r\n"));
}

/* The values of query parameter name (decoded) as JSON: a string, or an
 * array when it repeats, as httpbin prints them. */
static void
hb_header_values(struct json *j, struct span query, struct span name)
{
	struct span rest = query, n, v;
	struct buf vb = BUF_INIT;
	int count = 0;

	while (http_form_next(&rest, &n, &v))
		count += span_eq_span(n, name);
	if (count > 1)
		json_arr(j);
	rest = query;
	while (http_form_next(&rest, &n, &v)) {
		if (!span_eq_span(n, name))
			continue;
		hb_decode(&vb, v);
		json_str(j, buf_unread(&vb));
	}
	if (count > 1)
		json_end(j);
	buf_free(&vb);
}

void
hb_response_headers(struct req *r)
{
	struct span rest = r->query, n, v, seen, sn, sv;
	struct buf kb = BUF_INIT, vb = BUF_INIT, b = BUF_INIT;
	struct json j;

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "Content-Type");
	json_cstr(&j, "application/json");
	resp_start(r->c, 200);
	while (rest.p && http_form_next(&rest, &n, &v)) {
		bool again = false;

		hb_decode(&kb, n);
		hb_decode(&vb, v);
		if (!hb_header_ok(&kb, &vb))
			continue;
		resp_header(r->c, kb.data, vb.data ? vb.data : "");
		/* one JSON key per name: the first time it is seen */
		seen = (struct span){ r->query.p, (size_t)(n.p - r->query.p) };
		while (!again && http_form_next(&seen, &sn, &sv))
			again = span_eq_span(sn, n);
		if (again)
			continue;
		json_key_span(&j, buf_unread(&kb));
		hb_header_values(&j, r->query, n);
	}
	json_end(&j);
	buf_puts(&b, "\n");
	resp_body(r->c, "application/json", b.data, b.len);
	buf_free(&kb);
	buf_free(&vb);
	buf_free(&b);
}

void
hb_forms_post(struct req *r)
{
	static const char page[] =
	    "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\">"
	    "<title>Pizza order</title></head>\n<body>\n"
	    "<form method=\"post\" action=\"/post\">\n"
	    "<p><label>Customer name: <input name=\"custname\"></label></p>\n"
	    "<p><label>Telephone: <input type=tel name=\"custtel\"></label></p>\n"
	    "<p><label>E-mail address: <input type=email name=\"custemail\"></label></p>\n"
	    "<fieldset><legend> Pizza Size </legend>\n"
	    "<p><label><input type=radio name=size value=\"small\"> Small </label></p>\n"
	    "<p><label><input type=radio name=size value=\"medium\"> Medium </label></p>\n"
	    "<p><label><input type=radio name=size value=\"large\"> Large </label></p>\n"
	    "</fieldset>\n<fieldset><legend> Pizza Toppings </legend>\n"
	    "<p><label><input type=checkbox name=\"topping\" value=\"bacon\"> Bacon </label></p>\n"
	    "<p><label><input type=checkbox name=\"topping\" value=\"cheese\"> Extra Cheese </label></p>\n"
	    "<p><label><input type=checkbox name=\"topping\" value=\"onion\"> Onion </label></p>\n"
	    "</fieldset>\n"
	    "<p><label>Preferred delivery time: <input type=time name=\"delivery\"></label></p>\n"
	    "<p><label>Delivery instructions: <textarea name=\"comments\"></textarea></label></p>\n"
	    "<p><button>Submit order</button></p>\n</form>\n</body>\n</html>\n";

	resp_send(r->c, 200, "text/html; charset=utf-8", page, sizeof page - 1);
}

