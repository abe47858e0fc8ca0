/*
 * routes.c - the route table and the order a request goes through it
 * (see routes.h).  Adding a route: one line here, a handler in the file
 * of its family, and a line in the README's route list.
 */
#include <stdio.h>
#include <string.h>

#include "server/resp.h"
#include "server/routes.h"
#include "server/ws.h"

#define R_ANY (ROUTE_ANY & ~ROUTE_TRACE)
#define R_BODY (ROUTE_POST | ROUTE_PUT | ROUTE_PATCH | ROUTE_DELETE)

const struct route routes[] = {
	/* the lab */
	{ "/test_get", false, ROUTE_READ, lab_test_get, "HTML form that submits to /get", NULL },
	{ "/test_post", false, ROUTE_READ, lab_test_post, "HTML form that submits to /post", NULL },
	{ "/login", false, ROUTE_READ | ROUTE_POST, lab_login, "session lab: log in, get a sessionid cookie", NULL },
	{ "/whoami", false, ROUTE_READ, lab_whoami, "session lab: who the sessionid cookie says you are", NULL },
	{ "/logout", false, ROUTE_READ | ROUTE_POST, lab_logout, "session lab: forget the session", NULL },
	/* WebSocket (server/ws.c) */
	{ "/websocket/echo", false, ROUTE_GET, ws_echo_route, "WebSocket echo: text, binary, ping; ?max_fragment_size=N", "/websocket/echo" },
	/* httpbin: the request echoed */
	{ "/get", false, ROUTE_READ, hb_get, "the request as JSON (args, headers, origin, url)", "/get?name=value" },
	{ "/post", false, ROUTE_POST, hb_anything, "POST body as JSON (data, form, files, json)", NULL },
	{ "/put", false, ROUTE_PUT, hb_anything, "PUT body as JSON", NULL },
	{ "/patch", false, ROUTE_PATCH, hb_anything, "PATCH body as JSON", NULL },
	{ "/delete", false, ROUTE_DELETE, hb_anything, "DELETE request as JSON", NULL },
	{ "/anything", true, R_ANY, hb_anything, "any method, any path below it, as JSON", "/anything/a/b?x=1" },
	{ "/headers", false, ROUTE_READ, hb_headers, "the request headers", NULL },
	{ "/ip", false, ROUTE_READ, hb_ip, "the client's address", NULL },
	{ "/user-agent", false, ROUTE_READ, hb_user_agent, "the User-Agent", NULL },
	{ "/status/", true, R_ANY, hb_status, "answer with this status (418 has a teapot)", "/status/418" },
	{ "/redirect/", true, ROUTE_READ, hb_redirect, "n relative redirects, then /get", "/redirect/3" },
	{ "/relative-redirect/", true, ROUTE_READ, hb_relative_redirect, "n relative redirects", "/relative-redirect/2" },
	{ "/absolute-redirect/", true, ROUTE_READ, hb_absolute_redirect, "n absolute redirects", "/absolute-redirect/2" },
	{ "/redirect-to", false, R_ANY, hb_redirect_to, "302 (or ?status_code=) to ?url=", "/redirect-to?url=/get" },
	{ "/cookies", false, ROUTE_READ, hb_cookies, "the cookies sent", NULL },
	{ "/cookies/set", false, ROUTE_READ, hb_cookies_set, "set cookies from the query, redirect to /cookies", "/cookies/set?flavour=oat" },
	{ "/cookies/delete", false, ROUTE_READ, hb_cookies_delete, "expire the named cookies", "/cookies/delete?flavour" },
	{ "/basic-auth/", true, ROUTE_READ, hb_basic_auth, "401 unless Basic credentials match", "/basic-auth/user/passwd" },
	{ "/hidden-basic-auth/", true, ROUTE_READ, hb_hidden_basic_auth, "404 unless Basic credentials match", "/hidden-basic-auth/user/passwd" },
	{ "/digest-auth/", true, ROUTE_READ, hb_digest_auth, "401 unless Digest credentials match (MD5, SHA-256)", "/digest-auth/auth/user/passwd" },
	{ "/bearer", false, ROUTE_READ, hb_bearer, "401 unless an Authorization: Bearer token is sent", NULL },
	{ "/response-headers", false, ROUTE_READ | ROUTE_POST, hb_response_headers, "query parameters become response headers", "/response-headers?X-Test=1" },
	{ "/forms/post", false, ROUTE_READ, hb_forms_post, "httpbin's pizza order form", NULL },
	{ "/upload", false, ROUTE_READ | ROUTE_POST, hb_upload, "multipart upload: saved, listed with size and sha256", NULL },
	/* httpbin: generated bodies */
	{ "/delay/", true, R_ANY, hb_delay, "answer after n seconds (at most 10)", "/delay/1" },
	{ "/stream/", true, ROUTE_READ, hb_stream, "n JSON lines, chunked", "/stream/5" },
	{ "/bytes/", true, ROUTE_READ, hb_bytes, "n random bytes (?seed=)", "/bytes/1024" },
	{ "/stream-bytes/", true, ROUTE_READ, hb_stream_bytes, "n random bytes, chunked (?chunk_size=)", "/stream-bytes/1024" },
	{ "/range/", true, ROUTE_READ, hb_range, "n bytes a-z that honour Range", "/range/26" },
	{ "/drip", false, ROUTE_READ, hb_drip, "bytes dripped over time (?numbytes=&duration=&delay=)", "/drip?numbytes=5&duration=1" },
	{ "/gzip", false, ROUTE_READ, hb_gzip, "gzip-encoded JSON", NULL },
	{ "/brotli", false, ROUTE_READ, hb_brotli, "brotli-encoded JSON", NULL },
	{ "/deflate", false, ROUTE_READ, hb_deflate, "deflate-encoded JSON", NULL },
	{ "/cache", true, ROUTE_READ, hb_cache, "304 on If-Modified-Since/If-None-Match; /cache/n sets max-age", NULL },
	{ "/etag/", true, ROUTE_READ, hb_etag, "ETag with If-None-Match/If-Match", "/etag/abc" },
	{ "/image", true, ROUTE_READ, hb_image, "an image by Accept; /image/png|jpeg|webp|svg", "/image/png" },
	{ "/html", false, ROUTE_READ, hb_html, "an HTML page", NULL },
	{ "/json", false, ROUTE_READ, hb_json, "a JSON document", NULL },
	{ "/xml", false, ROUTE_READ, hb_xml, "an XML document", NULL },
	{ "/uuid", false, ROUTE_READ, hb_uuid, "a version 4 UUID", NULL },
	{ "/base64/", true, ROUTE_READ, hb_base64, "decode base64url from the path", "/base64/aHR0cHRvb2w=" },
	{ "/robots.txt", false, ROUTE_READ, hb_robots, "a robots.txt that disallows /deny", NULL },
	{ "/deny", false, ROUTE_READ, hb_deny, "what robots.txt keeps robots away from", NULL },
	{ "/encoding/utf8", false, ROUTE_READ, hb_encoding_utf8, "an HTML page of UTF-8 text in many scripts", NULL },
	{ "/hostname", false, ROUTE_READ, hb_hostname, "the server's host name", NULL },
	{ "/links/", true, ROUTE_READ, hb_links, "a page of n links (/links/n/offset)", "/links/10/0" },
	{ "/dump/request", false, R_ANY, hb_dump_request, "the request as received, raw", NULL },
	{ "/unstable", false, R_ANY, hb_unstable, "200 or 500 at random (?failure_rate=&seed=)", "/unstable?failure_rate=0.5" },
	{ "/sse", false, ROUTE_READ, hb_sse, "server-sent events (?count=&duration=&delay=)", "/sse?count=3&duration=1" },
	{ "/trailers", false, ROUTE_READ, hb_trailers, "chunked, the query as trailer fields", "/trailers?X-Check=1" },
	/* faults, for exercising clients */
	{ "/fault/close-early", false, ROUTE_READ, fault_close_early, "closes half-way through the body", NULL },
	{ "/fault/wrong-length", false, ROUTE_READ, fault_wrong_length, "Content-Length larger than the body, then silence", NULL },
	{ "/fault/bad-chunk", false, ROUTE_READ, fault_bad_chunk, "a chunk size that is not hex", NULL },
	{ "/fault/slow-headers", false, ROUTE_READ, fault_slow_headers, "one header line every ?ms= (default 500)", "/fault/slow-headers?ms=200" },
	{ "/fault/no-response", false, R_ANY, fault_no_response, "reads the request, never answers", NULL },
	{ "/fault/reset", false, R_ANY, fault_reset, "resets the connection (RST)", NULL },
	{ "/fault/http10", false, ROUTE_READ, fault_http10, "HTTP/1.0 reply, body delimited by close", NULL },
	{ NULL, false, 0, NULL, NULL, NULL },
};

static const char *const method_names[] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
};

static unsigned
routes_method_bit(struct span m)
{
	for (unsigned i = 0; i < sizeof method_names / sizeof *method_names; i++)
		if (span_eq(m, method_names[i]))
			return 1u << i;
	return 0;
}

void
routes_allow(const struct server *srv, unsigned methods, char *out,
	     size_t size)
{
	size_t o = 0;

	out[0] = 0;
	methods |= ROUTE_OPTIONS;
	methods &= ~ROUTE_TRACE;
	if (srv->cfg.trace_method)
		methods |= ROUTE_TRACE;
	if (methods & ROUTE_GET)
		methods |= ROUTE_HEAD;
	for (unsigned i = 0; i < sizeof method_names / sizeof *method_names; i++)
		if ((methods & (1u << i)) && o < size)
			o += (size_t)snprintf(out + o, size - o, "%s%s",
					      o ? ", " : "", method_names[i]);
}

static bool
routes_match(const struct route *rt, const char *path)
{
	size_t n = strlen(rt->path);

	if (!rt->prefix)
		return strcmp(path, rt->path) == 0;
	if (rt->path[n - 1] == '/')
		return strncmp(path, rt->path, n) == 0;
	return strncmp(path, rt->path, n) == 0 &&
	    (path[n] == 0 || path[n] == '/');
}

static const struct route *
routes_find(const char *path)
{
	for (const struct route *rt = routes; rt->path; rt++)
		if (routes_match(rt, path))
			return rt;
	return NULL;
}

static void
routes_options(struct req *r, unsigned methods)
{
	char allow[128];

	routes_allow(r->srv, methods, allow, sizeof allow);
	resp_start(r->c, 204);
	resp_header(r->c, "Allow", allow);
	buf_puts(&r->c->out, "\r\n");
}

static void
routes_405(struct req *r, unsigned methods)
{
	char allow[128], d[200];

	routes_allow(r->srv, methods, allow, sizeof allow);
	snprintf(d, sizeof d, "%.*s is not allowed here; allowed: %s",
		 (int)r->method.len, r->method.p, allow);
	resp_start(r->c, 405);
	resp_header(r->c, "Allow", allow);
	resp_error_body(r->c, 405, d);
}

void
routes_dispatch(struct req *r)
{
	r->mbit = routes_method_bit(r->method);
	if (!r->mbit) {
		char d[200];

		snprintf(d, sizeof d, "method %.*s is not implemented by this "
			 "server", (int)(r->method.len > 40 ? 40 : r->method.len),
			 r->method.p);
		resp_error(r->c, 501, d);
		return;
	}
	if (r->mbit == ROUTE_TRACE) {
		/* it echoes Cookie and Authorization: off unless asked */
		if (r->srv->cfg.trace_method)
			lab_trace(r);
		else
			routes_405(r, ROUTE_ANY);
		return;
	}
	if (r->path[0] != '/') {	/* "*" */
		if (r->mbit == ROUTE_OPTIONS)
			routes_options(r, ROUTE_ANY);
		else
			resp_error(r->c, 400, "'*' is only for OPTIONS");
		return;
	}
	if ((r->mbit & ROUTE_READ) && static_serve(r))
		return;
	const struct route *rt = routes_find(r->path);

	if (rt) {
		if (r->mbit == ROUTE_OPTIONS)
			routes_options(r, rt->methods);
		else if (r->mbit & (rt->methods | (rt->methods & ROUTE_GET ?
						   ROUTE_HEAD : 0)))
			rt->fn(r);
		else
			routes_405(r, rt->methods);
		return;
	}
	if ((r->mbit & (ROUTE_PUT | ROUTE_PATCH | ROUTE_DELETE)) &&
	    static_exists(r->srv, r->path))
		routes_405(r, ROUTE_READ | ROUTE_POST);	/* files are read-only */
	else if (r->mbit == ROUTE_POST)
		lab_post_echo(r);
	else if (r->mbit == ROUTE_OPTIONS)
		routes_options(r, ROUTE_READ | ROUTE_POST);
	else if (!static_not_found(r))
		resp_error(r->c, 404, NULL);
}
