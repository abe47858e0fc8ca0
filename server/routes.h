/*
 * routes.h - the route table and the handler families behind it.
 *
 * A request goes: TRACE/OPTIONS/unknown method -> a file or directory
 * under DIR (static.c) -> a built-in route (lab.c, httpbin*.c, fault.c)
 * -> POST anywhere else echoes (lab) -> 404.
 */
#ifndef HTTPTOOL_SERVER_ROUTES_H
#define HTTPTOOL_SERVER_ROUTES_H

#include <stdbool.h>

#include "server/conn.h"

enum {
	ROUTE_GET = 1u << 0,
	ROUTE_HEAD = 1u << 1,
	ROUTE_POST = 1u << 2,
	ROUTE_PUT = 1u << 3,
	ROUTE_PATCH = 1u << 4,
	ROUTE_DELETE = 1u << 5,
	ROUTE_OPTIONS = 1u << 6,
	ROUTE_TRACE = 1u << 7,
	ROUTE_ANY = 0xff,
	ROUTE_READ = ROUTE_GET | ROUTE_HEAD,
};

typedef void route_fn(struct req *r);

struct route {
	const char *path;	/* "/get", or "/status/" with prefix set */
	bool prefix;		/* match path and everything below it */
	unsigned methods;	/* ROUTE_* bits; OPTIONS is always allowed */
	route_fn *fn;
	const char *doc;	/* one line for the lab page; NULL: unlisted */
	const char *example;	/* link for the lab page; NULL: path */
};

/* Every built-in route, NULL-terminated by a zeroed entry. */
extern const struct route routes[];

/* Answer one request (always queues exactly one response or goes
 * async with conn_later). */
void routes_dispatch(struct req *r);

/* "GET, HEAD, OPTIONS" for a method mask into out (TRACE only with
 * --trace-method). */
void routes_allow(const struct server *srv, unsigned methods, char *out,
		  size_t size);

/* static.c: serve r->path from DIR; false when no such file/dir exists
 * (nothing queued then). */
bool static_serve(struct req *r);
/* static.c: a 404 with DIR/404.html as its body, if there is one
 * (false, nothing queued, if not). */
bool static_not_found(struct req *r);
/* static.c: is there a regular file or directory at path under DIR? */
bool static_exists(const struct server *srv, const char *path);
/* static.c: open r->path under DIR confined (O_PATH-free, read-only);
 * the descriptor or a negative errno (-EACCES: escape attempt). */
int static_open(const struct server *srv, const char *path, int flags);

struct static_range {
	unsigned long long first, last;
};

/*
 * static.c: parse a Range value (RFC 9110 §14.1.2) against size.  Returns
 * the number of satisfiable ranges put in out, 0 when none is (416), -1
 * when the header is to be ignored (not bytes, bad syntax, more than max).
 */
int static_ranges(struct span v, unsigned long long size,
		  struct static_range *out, int max);

/* static.c: the listing page of directory fd (taken over), followed by
 * the lab's "Test routes" section when with_routes. */
void static_listing(struct req *r, int fd, bool with_routes);

/* lab.c */
void lab_routes_html(struct buf *b);	/* the "Test routes" section */
void lab_post_echo(struct req *r);
void lab_test_get(struct req *r);
void lab_test_post(struct req *r);
void lab_login(struct req *r);
void lab_logout(struct req *r);
void lab_whoami(struct req *r);
void lab_trace(struct req *r);

/* httpbin.c: request echo and friends */
void hb_get(struct req *r);
void hb_anything(struct req *r);
void hb_headers(struct req *r);
void hb_ip(struct req *r);
void hb_user_agent(struct req *r);
void hb_status(struct req *r);
void hb_redirect(struct req *r);
void hb_relative_redirect(struct req *r);
void hb_absolute_redirect(struct req *r);
void hb_redirect_to(struct req *r);
void hb_cookies(struct req *r);
void hb_cookies_set(struct req *r);
void hb_cookies_delete(struct req *r);
void hb_basic_auth(struct req *r);
void hb_bearer(struct req *r);
void hb_forms_post(struct req *r);
void hb_upload(struct req *r);
void hb_response_headers(struct req *r);
void hb_hidden_basic_auth(struct req *r);

/* httpbin_image.c */
void hb_image(struct req *r);

/* httpbin_digest.c */
void hb_digest_auth(struct req *r);

/* httpbin_more.c */
void hb_robots(struct req *r);
void hb_deny(struct req *r);
void hb_encoding_utf8(struct req *r);
void hb_hostname(struct req *r);
void hb_links(struct req *r);
void hb_dump_request(struct req *r);
void hb_unstable(struct req *r);
void hb_sse(struct req *r);
void hb_trailers(struct req *r);

/* httpbin_data.c: generated bodies */
void hb_delay(struct req *r);
void hb_stream(struct req *r);
void hb_bytes(struct req *r);
void hb_stream_bytes(struct req *r);
void hb_range(struct req *r);
void hb_drip(struct req *r);
void hb_gzip(struct req *r);
void hb_deflate(struct req *r);
void hb_brotli(struct req *r);
void hb_cache(struct req *r);
void hb_etag(struct req *r);
void hb_html(struct req *r);
void hb_json(struct req *r);
void hb_xml(struct req *r);
void hb_uuid(struct req *r);
void hb_base64(struct req *r);

/* upload.c: a part's filename made safe to create in --upload-dir:
 * last path component, [A-Za-z0-9._-] only, no leading dot, never
 * empty.  out has room for 128 bytes. */
void upload_sanitise(struct span filename, char *out);

/* fault.c */
void fault_close_early(struct req *r);
void fault_wrong_length(struct req *r);
void fault_bad_chunk(struct req *r);
void fault_slow_headers(struct req *r);
void fault_no_response(struct req *r);
void fault_reset(struct req *r);
void fault_http10(struct req *r);

#endif
