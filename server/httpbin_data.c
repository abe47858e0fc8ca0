/*
 * httpbin_data.c - httpbin routes that generate bodies: /delay, /stream,
 * /bytes, /stream-bytes, /range, /drip, /gzip, /deflate, /cache, /etag,
 * /html, /json, /xml, /uuid, /base64.  /delay and /drip answer later
 * through conn_later(); the rest answer at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


#include "http/date.h"
#include "http/header.h"
#include "server/codec_dl.h"
#include "server/httpbin.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

#define HB_MAX_BYTES (10u << 20)

/* ---- /delay/:n ---- */

static void
hb_delay_fire(struct conn *c)
{
	/* the reply was built at dispatch time and parked in c->body */
	resp_send(c, 200, "application/json", c->body.data ? c->body.data : "",
		  c->body.len);
	conn_done(c);
}

void
hb_delay(struct req *r)
{
	const char *s = r->path + strlen("/delay/");
	char *end;
	double secs = strtod(s, &end);
	struct buf b = BUF_INIT;

	if (end == s || *end || !(secs >= 0)) {
		resp_error(r->c, 400, "expected /delay/SECONDS");
		return;
	}
	if (secs > 10)
		secs = 10;
	hb_doc(r, HB_GET | HB_BODY, &b);
	buf_free(&r->c->body);
	r->c->body = b;		/* the request body is no longer needed */
	conn_later(r->c, (long)(secs * 1000), hb_delay_fire);
}

/* ---- /stream/:n, /bytes/:n, /stream-bytes/:n, /range/:n ---- */

void
hb_stream(struct req *r)
{
	long long n;
	struct buf b = BUF_INIT;

	if (!req_tail_num(r, "/stream/", 1000000, &n)) {
		resp_error(r->c, 400, "expected /stream/N");
		return;
	}
	if (n > 100)
		n = 100;
	resp_chunked(r->c, 200, "application/json");
	for (long long i = 0; i < n; i++) {
		struct json j;

		buf_reset(&b);
		json_init(&j, &b, false);
		json_obj(&j);
		hb_fields(r, &j, HB_GET);
		json_key(&j, "id");
		json_int(&j, i);
		json_end(&j);
		buf_puts(&b, "\n");
		resp_chunk(r->c, b.data, b.len);
	}
	resp_chunk_end(r->c);
	buf_free(&b);
}

/* xorshift64*: reproducible bytes for ?seed= */
static void
hb_fill(unsigned char *p, size_t n, unsigned long long *state)
{
	for (size_t i = 0; i < n; i++) {
		unsigned long long x = *state;

		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		*state = x;
		p[i] = (unsigned char)((x * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

static bool
hb_size_seed(struct req *r, const char *prefix, long long *n,
	     unsigned long long *seed)
{
	char v[32];

	if (!req_tail_num(r, prefix, 1LL << 40, n)) {
		resp_error(r->c, 400, "expected a byte count after the route");
		return false;
	}
	if (*n > HB_MAX_BYTES) {
		char d[160];

		snprintf(d, sizeof d, "%lld bytes is more than this route's "
			 "limit of %u (10 MiB)", *n, HB_MAX_BYTES);
		resp_error(r->c, 400, d);
		return false;
	}
	if (req_query(r, "seed", v, sizeof v))
		*seed = strtoull(v, NULL, 10) * 2654435761u + 1;
	else
		req_random(seed, sizeof *seed);
	if (!*seed)
		*seed = 1;
	return true;
}

void
hb_bytes(struct req *r)
{
	long long n;
	unsigned long long seed;
	struct conn *c = r->c;

	if (!hb_size_seed(r, "/bytes/", &n, &seed))
		return;
	struct buf b = BUF_INIT;

	if (buf_reserve(&b, (size_t)n) < 0) {
		resp_error(c, 500, NULL);
		return;
	}
	hb_fill((unsigned char *)b.data, (size_t)n, &seed);
	b.len = (size_t)n;
	resp_start(c, 200);
	resp_body_buf(c, "application/octet-stream", &b);
	buf_free(&b);
}

void
hb_stream_bytes(struct req *r)
{
	long long n, chunk = 10240;
	unsigned long long seed;
	unsigned char tmp[65536];
	char v[32];

	if (!hb_size_seed(r, "/stream-bytes/", &n, &seed))
		return;
	if (req_query(r, "chunk_size", v, sizeof v))
		chunk = atoll(v);
	if (chunk < 1 || chunk > (long long)sizeof tmp)
		chunk = chunk < 1 ? 1 : (long long)sizeof tmp;
	resp_chunked(r->c, 200, "application/octet-stream");
	while (n > 0) {
		size_t k = (size_t)(n < chunk ? n : chunk);

		hb_fill(tmp, k, &seed);
		resp_chunk(r->c, tmp, k);
		n -= (long long)k;
	}
	resp_chunk_end(r->c);
}

void
hb_range(struct req *r)
{
	long long n;
	struct static_range rg[1];
	struct conn *c = r->c;

	if (!req_tail_num(r, "/range/", HB_MAX_BYTES, &n)) {
		resp_error(c, 400, "expected /range/N with N at most 10 MiB");
		return;
	}
	struct span range = http_header_value(r->msg, "range");
	int k = range.p ? static_ranges(range, (unsigned long long)n, rg, 1) : -1;

	if (k == 0) {
		resp_start(c, 416);
		resp_headerf(c, "Content-Range", "bytes */%lld", n);
		resp_body(c, "text/plain", "", 0);
		return;
	}
	unsigned long long first = k > 0 ? rg[0].first : 0;
	unsigned long long last = k > 0 ? rg[0].last : (unsigned long long)n - 1;
	size_t len = n ? (size_t)(last - first + 1) : 0;
	char *body = malloc(len + 1);

	if (!body) {
		resp_error(c, 500, NULL);
		return;
	}
	for (size_t i = 0; i < len; i++)
		body[i] = (char)('a' + (first + i) % 26);
	resp_start(c, k > 0 ? 206 : 200);
	resp_headerf(c, "ETag", "range%lld", n);
	resp_header(c, "Accept-Ranges", "bytes");
	if (k > 0)
		resp_headerf(c, "Content-Range", "bytes %llu-%llu/%lld", first,
			     last, n);
	resp_body(c, "application/octet-stream", body, len);
	free(body);
}

/* ---- /drip ---- */

/* c->a_n bytes left, c->a_i ticks left, c->a_ms between ticks */
static void
hb_drip_tick(struct conn *c)
{
	long long share = c->a_i > 0 ? c->a_n / c->a_i : c->a_n;
	char stars[4096];

	memset(stars, '*', sizeof stars);
	for (long long left = share; left > 0;) {
		size_t k = left > (long long)sizeof stars ? sizeof stars :
		    (size_t)left;

		buf_append(&c->out, stars, k);
		left -= (long long)k;
	}
	c->resp_bytes += (uint64_t)share;
	c->a_n -= share;
	c->a_i--;
	if (c->a_n <= 0 || c->a_i <= 0) {
		conn_done(c);
		return;
	}
	conn_later(c, c->a_ms, hb_drip_tick);
	conn_settle(c);
}

static void
hb_drip_start(struct conn *c)
{
	int code = (int)c->a_buf[0] ? atoi(c->a_buf) : 200;

	resp_start(c, code);
	buf_printf(&c->out, "Content-Type: application/octet-stream\r\n"
		   "Content-Length: %lld\r\n\r\n", c->a_n);
	if (c->is_head || c->a_n == 0) {
		conn_done(c);
		return;
	}
	hb_drip_tick(c);
}

void
hb_drip(struct req *r)
{
	char v[32];
	double duration = 2, delay = 2;
	long long numbytes = 10;
	int code = 200;

	if (req_query(r, "numbytes", v, sizeof v))
		numbytes = atoll(v);
	if (req_query(r, "duration", v, sizeof v))
		duration = atof(v);
	if (req_query(r, "delay", v, sizeof v))
		delay = atof(v);
	if (req_query(r, "code", v, sizeof v))
		code = atoi(v);
	if (numbytes < 0 || numbytes > HB_MAX_BYTES || !(duration >= 0) ||
	    !(delay >= 0) || code < 200 || code > 599) {
		resp_error(r->c, 400, "expected ?numbytes= (up to 10 MiB), "
			   "?duration= and ?delay= (seconds), ?code=");
		return;
	}
	duration = duration > 10 ? 10 : duration;
	delay = delay > 10 ? 10 : delay;
	struct conn *c = r->c;

	c->a_n = numbytes;
	c->a_i = numbytes < 50 ? numbytes : 50;
	if (c->a_i < 1)
		c->a_i = 1;
	c->a_ms = (long)(duration * 1000 / (double)c->a_i);
	snprintf(c->a_buf, sizeof c->a_buf, "%d", code);
	conn_later(c, (long)(delay * 1000), hb_drip_start);
}

/* ---- /gzip, /deflate ---- */

static void
hb_compressed(struct req *r, bool gzip)
{
	struct buf b = BUF_INIT, z = BUF_INIT;
	struct json j;
	z_stream zs = { 0 };

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, gzip ? "gzipped" : "deflated");
	json_bool(&j, true);
	hb_fields(r, &j, HB_HEADERS | HB_METHOD | HB_ORIGIN);
	json_end(&j);
	buf_puts(&b, "\n");
	if (deflateInit2(&zs, 6, Z_DEFLATED, gzip ? 31 : 15, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK ||
	    buf_reserve(&z, deflateBound(&zs, b.len)) < 0) {
		resp_error(r->c, 500, "zlib failed");
		goto out;
	}
	zs.next_in = (unsigned char *)b.data;
	zs.avail_in = (unsigned)b.len;
	zs.next_out = (unsigned char *)z.data;
	zs.avail_out = (unsigned)(z.cap);
	deflate(&zs, Z_FINISH);
	z.len = zs.total_out;
	resp_start(r->c, 200);
	resp_header(r->c, "Content-Encoding", gzip ? "gzip" : "deflate");
	resp_body(r->c, "application/json", z.data, z.len);
out:
	deflateEnd(&zs);
	buf_free(&b);
	buf_free(&z);
}

/* /brotli: the same JSON, Content-Encoding: br (RFC 7932, libbrotli) */
void
hb_brotli(struct req *r)
{
	struct buf b = BUF_INIT, z = BUF_INIT;
	struct json j;
	size_t zlen;

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "brotli");
	json_bool(&j, true);
	hb_fields(r, &j, HB_HEADERS | HB_METHOD | HB_ORIGIN);
	json_end(&j);
	buf_puts(&b, "\n");
	zlen = brotli_dl_load() < 0 ? 0 :
	       BrotliEncoderMaxCompressedSize(b.len);
	if (!zlen || buf_reserve(&z, zlen) < 0 ||
	    !BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW,
				   BROTLI_MODE_TEXT, b.len,
				   (const uint8_t *)b.data, &zlen,
				   (uint8_t *)z.data)) {
		resp_error(r->c, 500, "brotli failed");
	} else {
		resp_start(r->c, 200);
		resp_header(r->c, "Content-Encoding", "br");
		resp_body(r->c, "application/json", z.data, zlen);
	}
	buf_free(&b);
	buf_free(&z);
}

void
hb_gzip(struct req *r)
{
	hb_compressed(r, true);
}

void
hb_deflate(struct req *r)
{
	hb_compressed(r, false);
}

/* ---- /cache, /etag ---- */

void
hb_cache(struct req *r)
{
	long long n = -1;
	char lm[HTTP_DATE_LEN + 1];
	unsigned char rnd[16];

	if (strcmp(r->path, "/cache") != 0 &&
	    !req_tail_num(r, "/cache/", 1LL << 31, &n)) {
		resp_error(r->c, 404, "expected /cache or /cache/SECONDS");
		return;
	}
	if (n < 0 && (http_header_find(r->msg, "if-modified-since") ||
		      http_header_find(r->msg, "if-none-match"))) {
		resp_start(r->c, 304);
		buf_puts(&r->c->out, "\r\n");
		return;
	}
	struct buf b = BUF_INIT;

	hb_doc(r, HB_GET, &b);
	resp_start(r->c, 200);
	if (n >= 0) {
		resp_headerf(r->c, "Cache-Control", "public, max-age=%lld", n);
	} else {
		req_random(rnd, sizeof rnd);
		resp_header(r->c, "Last-Modified",
			    http_date_format(time(NULL), lm));
		buf_puts(&r->c->out, "ETag: \"");
		for (int i = 0; i < 16; i++)
			buf_printf(&r->c->out, "%02x", rnd[i]);
		buf_puts(&r->c->out, "\"\r\n");
	}
	resp_body(r->c, "application/json", b.data, b.len);
	buf_free(&b);
}

static bool
hb_etag_in(struct span list, struct span tag)
{
	struct span rest = list, item;

	while (http_list_next(&rest, &item)) {
		if (span_eq(item, "*"))
			return true;
		if (span_istarts(item, "W/"))
			item = (struct span){ item.p + 2, item.len - 2 };
		if (item.len == tag.len + 2 && item.p[0] == '"' &&
		    memcmp(item.p + 1, tag.p, tag.len) == 0)
			return true;
	}
	return false;
}

void
hb_etag(struct req *r)
{
	struct span tag = span_from(r->path + strlen("/etag/"));
	struct span inm = http_header_value(r->msg, "if-none-match");
	struct span im = http_header_value(r->msg, "if-match");
	char quoted[300];

	if (!tag.len || tag.len > 256 || memchr(tag.p, '"', tag.len) ||
	    strpbrk(tag.p, "\r\n")) {
		resp_error(r->c, 400, "expected /etag/TAG");
		return;
	}
	snprintf(quoted, sizeof quoted, "\"%s\"", tag.p);
	if (inm.p && hb_etag_in(inm, tag)) {
		resp_start(r->c, 304);
		resp_header(r->c, "ETag", quoted);
		buf_puts(&r->c->out, "\r\n");
		return;
	}
	if (im.p && !hb_etag_in(im, tag)) {
		resp_error(r->c, 412, "If-Match did not match");
		return;
	}
	struct buf b = BUF_INIT;

	hb_doc(r, HB_GET, &b);
	resp_start(r->c, 200);
	resp_header(r->c, "ETag", quoted);
	resp_body(r->c, "application/json", b.data, b.len);
	buf_free(&b);
}

/* ---- fixed documents ---- */

void
hb_html(struct req *r)
{
	static const char page[] =
	    "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\">"
	    "<title>httptool</title></head>\n<body>\n"
	    "<h1>Hypertext, sent over the wire</h1>\n"
	    "<p>This page is served by <code>httptool serve</code> at /html. "
	    "Watch it travel with <code>httptool sniff -i lo</code>, fetch it "
	    "with <code>httptool get</code>, or type the request yourself with "
	    "<code>httptool raw</code>.</p>\n"
	    "<p>A request line, some headers, an empty line, and this body: "
	    "that is all HTTP/1.1 is.</p>\n</body>\n</html>\n";

	resp_send(r->c, 200, "text/html; charset=utf-8", page, sizeof page - 1);
}

void
hb_json(struct req *r)
{
	static const char doc[] =
	    "{\n  \"slideshow\": {\n    \"author\": \"httptool\",\n"
	    "    \"date\": \"2026-11-22\",\n    \"slides\": [\n"
	    "      {\n        \"title\": \"A request\",\n        \"type\": \"all\"\n"
	    "      },\n      {\n        \"items\": [\n"
	    "          \"a start line\",\n          \"header fields\",\n"
	    "          \"an optional body\"\n        ],\n"
	    "        \"title\": \"What is in a message\",\n"
	    "        \"type\": \"all\"\n      }\n    ],\n"
	    "    \"title\": \"HTTP/1.1 in two slides\"\n  }\n}\n";

	resp_send(r->c, 200, "application/json", doc, sizeof doc - 1);
}

void
hb_xml(struct req *r)
{
	static const char doc[] =
	    "<?xml version='1.0' encoding='us-ascii'?>\n"
	    "<slideshow title=\"HTTP/1.1 in two slides\" date=\"2026-11-22\" "
	    "author=\"httptool\">\n"
	    "  <slide type=\"all\">\n    <title>A request</title>\n  </slide>\n"
	    "  <slide type=\"all\">\n    <title>What is in a message</title>\n"
	    "    <item>a start line</item>\n    <item>header fields</item>\n"
	    "    <item>an optional body</item>\n  </slide>\n</slideshow>\n";

	resp_send(r->c, 200, "application/xml", doc, sizeof doc - 1);
}

void
hb_uuid(struct req *r)
{
	unsigned char u[16];
	char text[128];

	req_random(u, sizeof u);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);	/* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	int n = snprintf(text, sizeof text, "{\n  \"uuid\": \"%02x%02x%02x%02x-"
			 "%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x"
			 "\"\n}\n", u[0], u[1], u[2], u[3], u[4], u[5], u[6],
			 u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
			 u[15]);

	resp_send(r->c, 200, "application/json", text, (size_t)n);
}

void
hb_base64(struct req *r)
{
	struct span v = span_from(r->path + strlen("/base64/"));
	unsigned char *out = malloc(v.len + 1);
	long n = out ? base64_decode(v, out) : -1;

	if (n < 0)
		resp_error(r->c, 400, "that is not base64 (try /base64/"
			   "aHR0cHRvb2w=)");
	else
		resp_send(r->c, 200, "text/html; charset=utf-8", out, (size_t)n);
	free(out);
}
