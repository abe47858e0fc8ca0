/*
 * httpbin_more.c - the go-httpbin routes that came last: /robots.txt,
 * /deny, /encoding/utf8, /hostname, /links/n/offset, /dump/request,
 * /unstable, /sse and /trailers.  Shapes follow go-httpbin where httpbin
 * has no such route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/form.h"

#include "server/httpbin.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

void
hb_robots(struct req *r)
{
	static const char txt[] = "User-agent: *\nDisallow: /deny\n";

	resp_send(r->c, 200, "text/plain", txt, sizeof txt - 1);
}

void
hb_deny(struct req *r)
{
	static const char txt[] =
	    "\n          .-''''''-.\n        .' _      _ '.\n"
	    "       /   O      O   \\\n      :                :\n"
	    "      |                |\n      :       __       :\n"
	    "       \\  .-\"`  `\"-.  /\n        '.          .'\n"
	    "          '-......-'\n     YOU SHOULDN'T BE HERE\n";

	resp_send(r->c, 200, "text/plain", txt, sizeof txt - 1);
}

void
hb_encoding_utf8(struct req *r)
{
	static const char page[] =
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
	    "<title>UTF-8 encoded sample</title></head>\n<body>\n"
	    "<h1>Unicode Demo</h1>\n<pre>\n"
	    "Latin-1:   café naïve façade Ærøskøbing Straße\n"
	    "Greek:     Σὲ γνωρίζω ἀπὸ τὴν κόψη\n"
	    "Cyrillic:  Зарегистрируйтесь сейчас\n"
	    "Hebrew:    שלום עולם\n"
	    "Arabic:    مرحبا بالعالم\n"
	    "Hindi:     नमस्ते दुनिया\n"
	    "Thai:      สวัสดีชาวโลก\n"
	    "Chinese:   你好，世界\n"
	    "Japanese:  こんにちは世界\n"
	    "Korean:    안녕하세요 세계\n"
	    "Math:      ∀x∈ℝ: ⌈x⌉ = −⌊−x⌋, ∑ᵢ 1/2ⁱ = 1\n"
	    "Arrows:    ← ↑ → ↓ ↔ ⇒ ⇔\n"
	    "Emoji:     😀 🚀 🌍 ✨ (four-byte sequences)\n"
	    "Box:       ┌─┬─┐ │ │ │ └─┴─┘\n"
	    "</pre>\n</body>\n</html>\n";

	resp_send(r->c, 200, "text/html; charset=utf-8", page, sizeof page - 1);
}

void
hb_hostname(struct req *r)
{
	char host[256] = "";
	struct buf b = BUF_INIT;
	struct json j;

	if (gethostname(host, sizeof host - 1) < 0)
		snprintf(host, sizeof host, "localhost");
	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "hostname");
	json_cstr(&j, host);
	json_end(&j);
	buf_puts(&b, "\n");
	hb_send(r, 200, &b);
	buf_free(&b);
}

/* /links/n/offset: a page of n links, offset the one not linked;
 * /links/n redirects to /links/n/0 as httpbin does. */
void
hb_links(struct req *r)
{
	const char *p = r->path + strlen("/links/");
	char *end;
	long n = strtol(p, &end, 10), off = 0;
	struct buf b = BUF_INIT;

	if (end == p || n < 0 || (*end && *end != '/'))
		goto bad;
	if (*end == 0) {
		char loc[64];

		snprintf(loc, sizeof loc, "/links/%ld/0", n);
		resp_start(r->c, 302);
		resp_header(r->c, "Location", loc);
		resp_body(r->c, "text/html; charset=utf-8", "", 0);
		return;
	}
	p = end + 1;
	off = strtol(p, &end, 10);
	if (end == p || *end || off < 0)
		goto bad;
	n = n > 200 ? 200 : n;
	buf_puts(&b, "<html><head><title>Links</title></head><body>");
	for (long i = 0; i < n; i++)
		if (i == off)
			buf_printf(&b, "%ld ", i);
		else
			buf_printf(&b, "<a href='/links/%ld/%ld'>%ld</a> ", n,
				   i, i);
	buf_puts(&b, "</body></html>");
	resp_start(r->c, 200);
	resp_body_buf(r->c, "text/html; charset=utf-8", &b);
	buf_free(&b);
	return;
bad:
	resp_error(r->c, 400, "expected /links/N or /links/N/OFFSET");
}

/* The request as it came: head bytes, then the decoded body. */
void
hb_dump_request(struct req *r)
{
	struct buf b = BUF_INIT;

	buf_append(&b, r->head.p, r->head.len);
	buf_append(&b, r->body.p, r->body.len);
	resp_start(r->c, 200);
	resp_body_buf(r->c, "text/plain; charset=utf-8", &b);
	buf_free(&b);
}

/* splitmix64: one step, for ?seed= */
static unsigned long long
hb_mix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* 500 with probability ?failure_rate= (default 0.5), else 200; ?seed=
 * makes the outcome the same every time, as in go-httpbin. */
void
hb_unstable(struct req *r)
{
	char v[32], *end;
	double rate = 0.5;
	unsigned long long x;

	if (req_query(r, "failure_rate", v, sizeof v)) {
		rate = strtod(v, &end);
		if (end == v || *end || !(rate >= 0 && rate <= 1)) {
			resp_error(r->c, 400, "expected ?failure_rate= from 0 "
				   "to 1");
			return;
		}
	}
	if (req_query(r, "seed", v, sizeof v))
		x = hb_mix(strtoull(v, NULL, 10));
	else
		req_random(&x, sizeof x);
	bool fail = (double)(x >> 11) / 9007199254740992.0 < rate;

	resp_send(r->c, fail ? 500 : 200, "text/plain", fail ? "500\n" :
		  "200\n", 4);
}

/* ---- /sse: server-sent events ---- */

/* c->a_i events sent of c->a_n, c->a_ms between them */
static void
hb_sse_tick(struct conn *c)
{
	char ev[160];
	int n = snprintf(ev, sizeof ev, "id: %lld\ndata: {\"id\":%lld,"
			 "\"timestamp\":%lld}\nevent: ping\n\n", c->a_i, c->a_i,
			 (long long)time(NULL) * 1000);

	resp_chunk(c, ev, (size_t)n);
	if (++c->a_i >= c->a_n) {
		resp_chunk_end(c);
		conn_done(c);
		return;
	}
	conn_later(c, c->a_ms, hb_sse_tick);
	conn_settle(c);
}

static void
hb_sse_start(struct conn *c)
{
	resp_chunked(c, 200, "text/event-stream");
	if (c->is_head) {
		conn_done(c);
		return;
	}
	hb_sse_tick(c);
}

static bool
hb_secs(struct req *r, const char *name, double *out)
{
	char v[32], *end;

	if (!req_query(r, name, v, sizeof v))
		return true;
	*out = strtod(v, &end);
	if (end == v || (*end && strcmp(end, "s") && strcmp(end, "ms")) ||
	    !(*out >= 0))
		return false;
	if (!strcmp(end, "ms"))
		*out /= 1000;
	*out = *out > 10 ? 10 : *out;
	return true;
}

/* ?count= events (default 10) over ?duration= (default 5 s) after
 * ?delay= (default 0); durations in seconds or with "ms"/"s". */
void
hb_sse(struct req *r)
{
	char v[32];
	double duration = 5, delay = 0;
	long long count = 10;

	if (req_query(r, "count", v, sizeof v))
		count = atoll(v);
	if (count < 1 || count > 1000 || !hb_secs(r, "duration", &duration) ||
	    !hb_secs(r, "delay", &delay)) {
		resp_error(r->c, 400, "expected ?count= (1 to 1000), "
			   "?duration= and ?delay= (seconds, at most 10)");
		return;
	}
	r->c->a_n = count;
	r->c->a_i = 0;
	r->c->a_ms = count > 1 ? (long)(duration * 1000 / (double)count) : 0;
	conn_later(r->c, (long)(delay * 1000), hb_sse_start);
}

/* ---- /trailers?name=value: a chunked body, the query as trailer
 * fields (RFC 9110 §6.5) announced in Trailer ---- */

void
hb_trailers(struct req *r)
{
	struct span rest = r->query, n, v;
	struct buf names = BUF_INIT, fields = BUF_INIT, k = BUF_INIT,
	    val = BUF_INIT, b = BUF_INIT;
	struct conn *c = r->c;

	while (rest.p && http_form_next(&rest, &n, &v)) {
		hb_decode(&k, n);
		hb_decode(&val, v);
		if (!k.len || strpbrk(k.data, " \t\r\n:") ||
		    (val.data && strpbrk(val.data, "\r\n")))
			continue;
		buf_printf(&names, "%s%s", names.len ? ", " : "", k.data);
		buf_printf(&fields, "%s: %s\r\n", k.data,
			   val.data ? val.data : "");
	}
	hb_doc(r, HB_ARGS, &b);
	if (c->http10) {	/* no chunked coding, so no trailers */
		hb_send(r, 200, &b);
	} else {
		resp_start(c, 200);
		resp_header(c, "Content-Type", "application/json");
		if (names.len)
			resp_header(c, "Trailer", names.data);
		buf_puts(&c->out, "Transfer-Encoding: chunked\r\n\r\n");
		resp_chunk(c, b.data, b.len);
		if (!c->is_head) {
			buf_puts(&c->out, "0\r\n");
			buf_append(&c->out, fields.data, fields.len);
			buf_puts(&c->out, "\r\n");
		}
	}
	buf_free(&names);
	buf_free(&fields);
	buf_free(&k);
	buf_free(&val);
	buf_free(&b);
}
