/*
 * client_body.c - turn the parsed items and -d/-F arguments into the bytes
 * of a request body and its default headers.
 *
 * Encodings: application/x-www-form-urlencoded for plain fields (the lab's
 * forms, like curl -d), a JSON object with --json or any := item, and
 * multipart/form-data (RFC 7578) as soon as a file item or -F is present.
 * The body is built in memory, so --offline and --curl show exactly what
 * would be sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/url.h"
#include "lib/json.h"
#include "client.h"
#include "http/mime.h"
#include "lib/out.h"

bool
client_has_header(const struct client_cfg *cfg, const char *name, size_t n)
{
	for (size_t i = 0; i < cfg->headers.n; i++) {
		const char *h = cfg->headers.v[i];
		if (strncasecmp(h, name, n) == 0 && (h[n] == ':' || h[n] == ';'))
			return true;
	}
	return false;
}

static int
default_header(struct client_cfg *cfg, const char *name, const char *value)
{
	struct buf line = BUF_INIT;
	int r;

	if (client_has_header(cfg, name, strlen(name)))
		return 0;
	r = buf_printf(&line, "%s: %s", name, value);
	if (r == 0)
		r = client_strv_add(&cfg->headers, line.data);
	buf_free(&line);
	return r;
}

/* name=value items as HTTPie's --form writes them: spaces as '+', and a
 * repeated name's values together where the name first appears */
static int
build_form(struct client_cfg *cfg, struct buf *b)
{
	bool *done = calloc(cfg->nfields + 1, sizeof *done);
	bool first = true;

	if (done == NULL)
		return -1;
	for (size_t i = 0; i < cfg->nfields; i++) {
		if (done[i])
			continue;
		for (size_t k = i; k < cfg->nfields; k++) {
			const struct client_field *f = &cfg->fields[k];
			if (done[k] || strcmp(f->name, cfg->fields[i].name) != 0)
				continue;
			done[k] = true;
			if ((!first && buf_puts(b, "&") < 0) ||
			    http_pct_encode(b, span_from(f->name), NULL, true) < 0 ||
			    buf_puts(b, "=") < 0 ||
			    http_pct_encode(b, (struct span){ f->value, f->len },
					    NULL, true) < 0) {
				free(done);
				return -1;
			}
			first = false;
		}
	}
	free(done);
	return 0;
}

static void
make_boundary(char *out, size_t size)
{
	unsigned char rnd[8];	/* curl's shape: 24 dashes, 16 hex digits */
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, rnd, sizeof rnd) != (ssize_t)sizeof rnd) {
		unsigned long x = (unsigned long)time(NULL) ^ (unsigned long)getpid();
		for (size_t i = 0; i < sizeof rnd; i++, x = x * 6364136223846793005UL + 1)
			rnd[i] = (unsigned char)(x >> 33);
	}
	if (fd >= 0)
		close(fd);
	snprintf(out, size, "------------------------");
	for (size_t i = 0; i < sizeof rnd && strlen(out) + 3 < size; i++)
		snprintf(out + strlen(out), 3, "%02x", rnd[i]);
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* curl's short list of known types; anything else is octet-stream */
static const char *
part_type(const char *fname)
{
	static const char *const types[][2] = {
		{ "gif", "image/gif" }, { "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" }, { "png", "image/png" },
		{ "svg", "image/svg+xml" }, { "txt", "text/plain" },
		{ "htm", "text/html" }, { "html", "text/html" },
		{ "pdf", "application/pdf" }, { "xml", "application/xml" },
	};
	const char *dot = fname ? strrchr(fname, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(dot + 1, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

static int
build_part(struct buf *b, const char *bnd, const char *name,
	   const struct client_part *p, char *err, size_t errsize)
{
	const char *fname = p->filename;

	if (fname == NULL && p->path)	/* curl: @- is filename="-" */
		fname = base_name(p->path);
	buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"",
		   bnd, name);
	if (fname)
		buf_printf(b, "; filename=\"%s\"", fname);
	if (p->type)
		buf_printf(b, "\r\nContent-Type: %s", p->type);
	else if (p->path && strcmp(p->path, "-") != 0)
		buf_printf(b, "\r\nContent-Type: %s", part_type(fname));
	buf_puts(b, "\r\n\r\n");
	if (p->path) {
		int r = client_read_file(p->path, b);
		if (r < 0) {
			snprintf(err, errsize, "cannot read '%s': %s", p->path,
				 client_strerror(-r));
			return -1;
		}
	} else {
		buf_puts(b, p->value ? p->value : "");
	}
	return buf_puts(b, "\r\n");
}

static int
build_multipart(struct client_cfg *cfg, struct buf *b, char *err,
		size_t errsize)
{
	char bnd[72], type[128];

	make_boundary(bnd, sizeof bnd);
	for (size_t i = 0; i < cfg->nfields; i++) {
		struct client_part text = { .value = cfg->fields[i].value };
		if (build_part(b, bnd, cfg->fields[i].name, &text, err, errsize) < 0)
			return -1;
	}
	for (size_t i = 0; i < cfg->nparts; i++)
		if (build_part(b, bnd, cfg->parts[i].name, &cfg->parts[i], err,
			       errsize) < 0)
			return -1;
	buf_printf(b, "--%s--\r\n", bnd);
	snprintf(type, sizeof type, "multipart/form-data; boundary=%s", bnd);
	cfg->content_type = strdup(type);
	return 0;
}

/* -G: form fields and -d data go to the query string instead */
static int
move_to_query(struct client_cfg *cfg)
{
	struct buf q = BUF_INIT;
	int r = build_form(cfg, &q);

	if (r == 0 && q.len)
		r = client_strv_add(&cfg->query, q.data);
	if (r == 0 && cfg->ndata)
		r = client_strv_addn(&cfg->query, cfg->data.data, cfg->data.len);
	buf_free(&q);
	return r;
}

static int
check_mix(const struct client_cfg *cfg, char *err, size_t errsize)
{
	if (cfg->ndata && !cfg->get_data && (cfg->nfields || cfg->nparts)) {
		snprintf(err, errsize, "cannot mix -d data with body items or -F");
		return -1;
	}
	if (cfg->as_json && cfg->nparts) {
		snprintf(err, errsize, "cannot send files as JSON (drop --json "
			 "or the := items)");
		return -1;
	}
	if (cfg->get_data && cfg->nparts) {
		snprintf(err, errsize, "cannot put files in the query (-G)");
		return -1;
	}
	return 0;
}

/*
 * Content-Type for the body, where curl puts it: libcurl adds its own
 * urlencoded one after Content-Length; for a multipart body we built, a
 * Content-Length of ours goes first so the order is curl's too.  --json's
 * Content-Type is a custom header before libcurl's Content-Length, as in
 * curl.
 */
static int
type_headers(struct client_cfg *cfg)
{
	char len[32];

	if (client_has_header(cfg, "Content-Type", 12))
		return 0;
	if (strcmp(cfg->content_type, "application/x-www-form-urlencoded") == 0)
		return 0;	/* libcurl's default for POSTFIELDS */
	if (strncmp(cfg->content_type, "multipart/", 10) == 0 &&
	    !client_has_header(cfg, "Content-Length", 14)) {
		snprintf(len, sizeof len, "%zu", cfg->body.len);
		if (default_header(cfg, "Content-Length", len) < 0)
			return -1;
	}
	return default_header(cfg, "Content-Type", cfg->content_type);
}

/*
 * A body without an explicit method (-X, `request METHOD`): `get` turns
 * into POST, as both curl (-d) and HTTPie (data items) do; -T makes PUT.
 * `head` cannot carry one.
 */
static int
choose_method(struct client_cfg *cfg, char *err, size_t errsize)
{
	bool body = cfg->has_body || cfg->uploads.n;

	if (body && cfg->head_only) {
		snprintf(err, errsize, "cannot send a body with HEAD (drop -I, "
			 "the data or the body items)");
		return -1;
	}
	if (body && cfg->has_body && cfg->uploads.n) {
		snprintf(err, errsize, "cannot mix -T with -d, -F or body items");
		return -1;
	}
	if (!body || cfg->method_forced || strcmp(cfg->method, "GET") != 0)
		return 0;
	cfg->method = cfg->uploads.n ? "PUT" : "POST";
	return 0;
}

int
client_body_build(struct client_cfg *cfg, char *err, size_t errsize)
{
	struct buf *b = &cfg->body;
	const char *type = NULL;
	int r = 0;

	*err = 0;
	if (check_mix(cfg, err, errsize) < 0)
		return -1;
	if (cfg->as_json)
		r = default_header(cfg, "Accept", "application/json, */*;q=0.5");
	if (r == 0 && cfg->get_data) {
		r = move_to_query(cfg);
	} else if (r == 0 && (cfg->nparts || (cfg->multipart && cfg->nfields))) {
		r = build_multipart(cfg, b, err, errsize);
		cfg->has_body = true;
	} else if (r == 0 && cfg->as_json && cfg->nfields) {
		r = client_json_build(cfg, b, err, errsize);
		type = "application/json";
		cfg->has_body = true;
	} else if (r == 0 && cfg->nfields) {
		r = build_form(cfg, b);
		type = "application/x-www-form-urlencoded";
		cfg->has_body = true;
	} else if (r == 0 && cfg->ndata) {
		r = buf_append(b, cfg->data.data, cfg->data.len);
		type = cfg->curl_json ? "application/json" :
		       "application/x-www-form-urlencoded";
		cfg->has_body = true;
	}
	if (r == 0 && type)
		cfg->content_type = strdup(type);
	if (r == 0 && cfg->content_type)
		r = type_headers(cfg);
	if (r == 0 && cfg->curl_json && !cfg->get_data)	/* curl's order */
		r = default_header(cfg, "Accept", "application/json");
	if (r == 0)
		r = choose_method(cfg, err, errsize);
	if (r < 0 && *err == 0)
		snprintf(err, errsize, "out of memory");
	return r < 0 ? -1 : 0;
}
