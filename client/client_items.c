/*
 * client_items.c - HTTPie request items and curl's -F / -d arguments,
 * parsed into a struct client_cfg.
 *
 * An item is split at its first separator (leftmost; the longest one when
 * several start at the same place): ":=@" "==" ":=" "=@" "=" "@" ":".  A
 * backslash before a character takes it literally in the name
 * ("a\=b=c" is field "a=b").  Files named by items are read here, so an
 * unreadable file or malformed JSON is reported before anything is sent.
 * Stdin is read only for an explicit "@-".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/url.h"
#include "lib/json.h"
#include "client.h"
#include "lib/out.h"

enum item_sep {
	SEP_NONE, SEP_JSON_FILE, SEP_QUERY, SEP_JSON, SEP_FIELD_FILE,
	SEP_FIELD, SEP_FILE, SEP_HEADER, SEP_HEADER_EMPTY,
};

static const struct {
	const char *text;
	enum item_sep sep;
} item_seps[] = {		/* longest first at any one position */
	{ ":=@", SEP_JSON_FILE },
	{ "==", SEP_QUERY },
	{ ":=", SEP_JSON },
	{ "=@", SEP_FIELD_FILE },
	{ "=", SEP_FIELD },
	{ "@", SEP_FILE },
	{ ":", SEP_HEADER },
};

/* Find the separator; the unescaped name goes to name, *value after it. */
static enum item_sep
item_split(const char *item, struct buf *name, const char **value)
{
	for (const char *p = item; *p; p++) {
		if (*p == '\\' && p[1]) {
			buf_append(name, ++p, 1);
			continue;
		}
		for (size_t k = 0; k < sizeof item_seps / sizeof item_seps[0]; k++) {
			size_t n = strlen(item_seps[k].text);
			if (strncmp(p, item_seps[k].text, n) == 0) {
				*value = p + n;
				return item_seps[k].sep;
			}
		}
		if (*p == ';' && p[1] == 0) {	/* "Name;" sends it empty */
			*value = p + 1;
			return SEP_HEADER_EMPTY;
		}
		buf_append(name, p, 1);
	}
	return SEP_NONE;
}

static int
read_named(const char *path, struct buf *b, char *err, size_t errsize)
{
	int r = client_read_file(path, b);

	if (r < 0) {
		snprintf(err, errsize, "cannot read '%s': %s", path, client_strerror(-r));
		return -1;
	}
	return 0;
}

static int
add_field(struct client_cfg *cfg, const char *name, const char *value,
	  size_t len, bool raw_json)
{
	struct client_field *f;

	if (cfg->nfields == cfg->capfields) {
		size_t cap = cfg->capfields ? cfg->capfields * 2 : 8;
		f = realloc(cfg->fields, cap * sizeof *f);
		if (f == NULL)
			return -1;
		cfg->fields = f;
		cfg->capfields = cap;
	}
	f = &cfg->fields[cfg->nfields];
	f->path = NULL;
	f->name = strdup(name);
	f->value = malloc(len + 1);
	if (f->name == NULL || f->value == NULL) {
		free(f->name);
		free(f->value);
		return -1;
	}
	memcpy(f->value, value, len);
	f->value[len] = 0;
	f->len = len;
	f->raw_json = raw_json;
	cfg->nfields++;
	return 0;
}

static struct client_part *
new_part(struct client_cfg *cfg, const char *name)
{
	struct client_part *p;

	if (cfg->nparts == cfg->capparts) {
		size_t cap = cfg->capparts ? cfg->capparts * 2 : 4;
		p = realloc(cfg->parts, cap * sizeof *p);
		if (p == NULL)
			return NULL;
		cfg->parts = p;
		cfg->capparts = cap;
	}
	p = &cfg->parts[cfg->nparts];
	memset(p, 0, sizeof *p);
	p->name = strdup(name);
	if (p->name == NULL)
		return NULL;
	cfg->nparts++;
	return p;
}

/* Cut ";type=..." and ";filename=..." off the end of a file spec. */
static void
part_params(struct client_part *p, char *spec)
{
	char *semi;

	while ((semi = strrchr(spec, ';')) != NULL) {
		if (strncmp(semi + 1, "type=", 5) == 0)
			p->type = strdup(semi + 6);
		else if (strncmp(semi + 1, "filename=", 9) == 0)
			p->filename = strdup(semi + 10);
		else
			break;
		*semi = 0;
	}
}

static int
add_file_part(struct client_cfg *cfg, const char *name, const char *spec,
	      char *err, size_t errsize)
{
	struct client_part *p = new_part(cfg, name);
	char *path = p ? strdup(spec) : NULL;

	if (path == NULL)
		return -1;
	part_params(p, path);
	p->path = path;
	if (strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
		snprintf(err, errsize, "cannot read '%s': %s", path,
			 client_strerror(errno));
		return -1;
	}
	return 0;
}

static int
add_header(struct client_cfg *cfg, const char *name, const char *value,
	   bool empty, char *err, size_t errsize)
{
	struct buf line = BUF_INIT;
	int r;

	if (*name == 0 || strpbrk(name, " \t\r\n")) {
		snprintf(err, errsize, "bad header name in item '%s'", name);
		return -1;
	}
	while (*value == ' ' || *value == '\t')
		value++;
	if (empty)
		buf_printf(&line, "%s;", name);
	else if (*value == 0)
		buf_printf(&line, "%s:", name);		/* unset it */
	else
		buf_printf(&line, "%s: %s", name, value);
	r = client_strv_add(&cfg->headers, line.data);
	buf_free(&line);
	return r;
}

static int
add_json_field(struct client_cfg *cfg, const char *name, const char *text,
	       size_t len, const char *item, char *err, size_t errsize)
{
	if (!json_valid((struct span){ text, len })) {
		snprintf(err, errsize, "malformed JSON in item '%s'", item);
		return -1;
	}
	cfg->as_json = true;
	return add_field(cfg, name, text, len, true);
}

static int
add_query(struct client_cfg *cfg, const char *name, const char *value)
{
	struct buf b = BUF_INIT;
	int r = http_pct_encode(&b, span_from(name), NULL, true);

	if (r == 0 && (r = buf_puts(&b, "=")) == 0)	/* HTTPie: ' ' is '+' */
		r = http_pct_encode(&b, span_from(value), NULL, true);
	if (r == 0)
		r = client_strv_add(&cfg->query, b.data);
	/* HTTPie groups a repeated name: a==1 b==2 a==3 is a=1&a=3&b=2 */
	size_t eq = b.data ? strcspn(b.data, "=") + 1 : 0, last = cfg->query.n;
	for (size_t i = 0; r == 0 && i + 1 < cfg->query.n; i++)
		if (strncmp(cfg->query.v[i], b.data, eq) == 0)
			last = i + 1;
	if (r == 0 && last < cfg->query.n - 1) {
		char *q = cfg->query.v[cfg->query.n - 1];
		memmove(&cfg->query.v[last + 1], &cfg->query.v[last],
			(cfg->query.n - 1 - last) * sizeof q);
		cfg->query.v[last] = q;
	}
	buf_free(&b);
	return r;
}

int
client_item_add(struct client_cfg *cfg, const char *item, char *err,
		size_t errsize)
{
	struct buf name = BUF_INIT, file = BUF_INIT;
	const char *value = NULL;
	enum item_sep sep = item_split(item, &name, &value);
	const char *nm = name.data ? name.data : "";
	int r = -1;

	switch (sep) {
	case SEP_NONE:
		snprintf(err, errsize, "bad request item '%s' (want Header:value,"
			 " name==value, name=value, name:=json or field@file)",
			 item);
		break;
	case SEP_HEADER:
	case SEP_HEADER_EMPTY:
		r = add_header(cfg, nm, value, sep == SEP_HEADER_EMPTY, err,
			       errsize);
		break;
	case SEP_QUERY:
		r = add_query(cfg, nm, value);
		break;
	case SEP_FIELD:
		r = add_field(cfg, nm, value, strlen(value), false);
		break;
	case SEP_FIELD_FILE:
		if ((r = read_named(value, &file, err, errsize)) == 0)
			r = add_field(cfg, nm, file.data ? file.data : "",
				      file.len, false);
		break;
	case SEP_JSON:
		r = add_json_field(cfg, nm, value, strlen(value), item, err,
				   errsize);
		break;
	case SEP_JSON_FILE:
		if ((r = read_named(value, &file, err, errsize)) == 0)
			r = add_json_field(cfg, nm, file.data ? file.data : "",
					   file.len, item, err, errsize);
		break;
	case SEP_FILE:
		r = add_file_part(cfg, nm, value, err, errsize);
		break;
	}
	/* the name as typed, escapes kept, for JSON paths */
	if (r == 0 && (sep == SEP_FIELD || sep == SEP_FIELD_FILE ||
		       sep == SEP_JSON || sep == SEP_JSON_FILE)) {
		size_t n = (size_t)(value - item) - (sep == SEP_FIELD ? 1 : 2);
		if (sep == SEP_JSON_FILE)
			n--;
		cfg->fields[cfg->nfields - 1].path = strndup(item, n);
	}
	if (r < 0 && *err == 0)
		snprintf(err, errsize, "out of memory");
	buf_free(&name);
	buf_free(&file);
	return r < 0 ? -1 : 0;
}

int
client_form_add(struct client_cfg *cfg, const char *spec, bool literal,
		char *err, size_t errsize)
{
	const char *eq = strchr(spec, '=');
	char *name;
	int r = -1;

	if (eq == NULL || eq == spec) {
		snprintf(err, errsize, "bad -F value '%s' (want name=value)", spec);
		return -1;
	}
	name = strndup(spec, (size_t)(eq - spec));
	cfg->curl_form = true;
	if (literal) {
		struct client_part *p = new_part(cfg, name);
		if (p && (p->value = strdup(eq + 1)) != NULL)
			r = 0;
	} else if (eq[1] == '@') {
		r = add_file_part(cfg, name, eq + 2, err, errsize);
	} else if (eq[1] == '<') {
		struct buf b = BUF_INIT;
		struct client_part *p;
		char *path = strdup(eq + 2);
		if ((p = new_part(cfg, name)) != NULL && path) {
			part_params(p, path);
			if ((r = read_named(path, &b, err, errsize)) == 0)
				p->value = strdup(b.data ? b.data : "");
		}
		free(path);
		buf_free(&b);
	} else {
		struct client_part *p = new_part(cfg, name);
		char *v = strdup(eq + 1);
		if (p && v) {
			part_params(p, v);
			p->value = v;
			r = 0;
		} else {
			free(v);
		}
	}
	free(name);
	return r;
}

/* --data-urlencode: "content", "=content", "name=content", "[name]@file" */
static int
data_urlencode(struct buf *out, const char *arg, char *err, size_t errsize)
{
	const char *eq = strchr(arg, '='), *at = strchr(arg, '@');
	struct buf file = BUF_INIT;
	int r;

	if (eq && (at == NULL || eq < at)) {
		if (eq > arg) {
			buf_append(out, arg, (size_t)(eq - arg));
			buf_puts(out, "=");
		}
		return http_pct_encode(out, span_from(eq + 1), NULL, true);
	}
	if (at) {
		if (at > arg) {
			buf_append(out, arg, (size_t)(at - arg));
			buf_puts(out, "=");
		}
		if (read_named(at + 1, &file, err, errsize) < 0)
			return -1;
		r = http_pct_encode(out, (struct span){ file.data, file.len },
				    NULL, true);
		buf_free(&file);
		return r;
	}
	return http_pct_encode(out, span_from(arg), NULL, true);
}

int
client_data_add(struct client_cfg *cfg, int kind, const char *arg,
		char *err, size_t errsize)
{
	struct buf b = BUF_INIT;
	int r = 0;

	if (kind == 'u') {
		r = data_urlencode(&b, arg, err, errsize);
	} else if (arg[0] == '@' && kind != 'r') {
		r = read_named(arg + 1, &b, err, errsize);
		if (r == 0 && kind == 'd') {	/* curl -d @file drops CR, LF */
			size_t j = 0;
			for (size_t i = 0; i < b.len; i++)
				if (b.data[i] != '\r' && b.data[i] != '\n')
					b.data[j++] = b.data[i];
			b.len = j;
		}
	} else {
		r = buf_puts(&b, arg);
	}
	if (kind == 'j')	/* curl: --json pieces are joined with nothing */
		cfg->curl_json = true;
	if (r == 0 && cfg->ndata++ > 0 && kind != 'j')
		r = buf_append(&cfg->data, "&", 1);
	if (r == 0)
		r = buf_append(&cfg->data, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r < 0 ? -1 : 0;
}

int
client_url_query_add(struct client_cfg *cfg, const char *arg, char *err,
		     size_t errsize)
{
	struct buf b = BUF_INIT;
	int r;

	if (arg[0] == '+')	/* taken as it is */
		r = buf_puts(&b, arg + 1);
	else
		r = data_urlencode(&b, arg, err, errsize);
	if (r == 0)
		r = client_strv_add(&cfg->query, b.data ? b.data : "");
	buf_free(&b);
	if (r < 0 && *err == 0)
		snprintf(err, errsize, "out of memory");
	return r < 0 ? -1 : 0;
}

int
client_headers_from_file(struct client_cfg *cfg, const char *path,
			 char *err, size_t errsize)
{
	struct buf text = BUF_INIT;
	int r = read_named(path, &text, err, errsize);

	for (char *line = text.data, *nl; r == 0 && line && *line; line = nl) {
		size_t n = strcspn(line, "\r\n");
		nl = line + n + strspn(line + n, "\r\n");
		if (n && (r = client_strv_addn(&cfg->headers, line, n)) < 0)
			snprintf(err, errsize, "out of memory");
	}
	buf_free(&text);
	return r < 0 ? -1 : 0;
}

/*
 * --etag-compare FILE: If-None-Match with FILE's lines joined (curl's
 * file2string), after the user's headers.  An empty file, or a missing
 * one when --etag-save is given too (the first run of a cache), sends
 * If-None-Match: "" as curl does.
 */
int
client_etag_compare(struct client_cfg *cfg, char *err, size_t errsize)
{
	struct buf text = BUF_INIT, h = BUF_INIT;
	int r;

	if (cfg->etag_compare == NULL)
		return 0;
	r = client_read_file(cfg->etag_compare, &text);
	if (r < 0 && !(r == -ENOENT && cfg->etag_save)) {
		snprintf(err, errsize, "cannot read '%s': %s", cfg->etag_compare,
			 client_strerror(-r));
		buf_free(&text);
		return -1;
	}
	buf_puts(&h, "If-None-Match: ");
	for (size_t i = 0; i < text.len; i++)
		if (text.data[i] != '\r' && text.data[i] != '\n')
			buf_append(&h, &text.data[i], 1);
	if (h.len == 15)
		buf_puts(&h, "\"\"");
	r = h.data ? client_strv_add(&cfg->headers, h.data) : -ENOMEM;
	if (r < 0)
		snprintf(err, errsize, "out of memory");
	buf_free(&text);
	buf_free(&h);
	return r < 0 ? -1 : 0;
}
