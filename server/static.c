/*
 * static.c - files and directory listings from DIR, as
 * `python -m http.server` serves them and then some: index.html, 301 to
 * the trailing slash, Content-Type by extension, Last-Modified /
 * If-Modified-Since and ETag / If-None-Match (304), Range (206, several
 * ranges as multipart/byteranges, 416), If-Match / If-Unmodified-Since
 * (412), HEAD, sendfile for bodies.  Only regular files and directories
 * are served or listed: a FIFO, socket or device is 403 (opened with
 * O_NONBLOCK, so a named pipe never stops a thread).
 *
 * Confinement is a security property and is enforced twice: lexically
 * (the decoded path may hold no ".." segment and no NUL: 403) and by the
 * kernel (openat2 RESOLVE_BENEATH from the DIR descriptor, so no symlink
 * can lead outside: 404).  An absolute symlink that stays inside DIR is
 * allowed through a realpath check; where openat2 is missing the
 * realpath check does all the work.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "http/date.h"
#include "http/header.h"
#include "http/mime.h"
#include "server/fcache.h"
#include "server/html.h"
#include "server/resp.h"
#include "server/routes.h"

#define STATIC_MAX_RANGES 16

/* realpath-based confinement (openat2 missing or refused a symlink) */
static int
static_open_checked(const struct server *srv, const char *rel, int flags)
{
	char full[CONN_PATH_MAX * 2], *real;
	size_t rootlen = strlen(srv->root);
	int fd;

	snprintf(full, sizeof full, "%s/%s", srv->root, rel);
	real = realpath(full, NULL);
	if (!real)
		return -errno;
	if (strncmp(real, srv->root, rootlen) != 0 ||
	    (real[rootlen] != '/' && real[rootlen] != 0 &&
	     strcmp(srv->root, "/") != 0)) {
		free(real);
		return -ENOENT;	/* outside DIR: as if it did not exist */
	}
	fd = open(real, flags | O_CLOEXEC);
	free(real);
	return fd < 0 ? -errno : fd;
}

int
static_open(const struct server *srv, const char *path, int flags)
{
	const char *rel = path;
	struct open_how how = { 0 };

	/* lexical checks on the decoded path */
	for (const char *s = path; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return -EACCES;
		s += n;
		while (*s == '/')
			s++;
	}
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	how.flags = (unsigned long long)(flags | O_CLOEXEC);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	long fd = syscall(SYS_openat2, srv->root_fd, rel, &how, sizeof how);

	if (fd >= 0)
		return (int)fd;
	if (errno == EXDEV || errno == ENOSYS || errno == EPERM)
		return static_open_checked(srv, rel, flags);
	return -errno;
}

int
static_ranges(struct span v, unsigned long long size,
		    struct static_range *out, int max)
{
	struct span rest, item;
	int n = 0;

	v = span_trim(v);
	if (!span_istarts(v, "bytes="))
		return -1;
	rest = (struct span){ v.p + 6, v.len - 6 };
	while (http_list_next(&rest, &item)) {
		long dash = span_find(item, "-", false);
		unsigned long long a, b;

		if (dash < 0)
			return -1;
		struct span sa = span_trim((struct span){ item.p, (size_t)dash });
		struct span sb = span_trim((struct span){ item.p + dash + 1,
					   item.len - (size_t)dash - 1 });

		if (sa.len == 0) {	/* suffix: last b bytes */
			if (!span_to_u64(sb, &b))
				return -1;
			if (b == 0 || size == 0)
				continue;
			a = b >= size ? 0 : size - b;
			b = size - 1;
		} else {
			if (!span_to_u64(sa, &a))
				return -1;
			if (sb.len == 0)
				b = size ? size - 1 : 0;
			else if (!span_to_u64(sb, &b) || b < a)
				return -1;
			if (a >= size)
				continue;
			if (b >= size)
				b = size - 1;
		}
		if (n == max)
			return -1;
		out[n].first = a;
		out[n].last = b;
		n++;
	}
	return n;
}

static bool
static_etag_matches(struct span list, const char *etag)
{
	struct span rest = list, item;
	const char *bare = etag;

	while (http_list_next(&rest, &item)) {
		if (span_eq(item, "*"))
			return true;
		if (span_istarts(item, "W/"))	/* weak comparison */
			item = (struct span){ item.p + 2, item.len - 2 };
		if (span_eq(item, bare))
			return true;
	}
	return false;
}

/* RFC 9110 §13.2.2 steps 1-2: If-Match, else If-Unmodified-Since;
 * true (412 queued) when the precondition fails. */
static bool
static_precondition_failed(struct req *r, const struct stat *st,
			   const char *etag)
{
	struct span im = http_header_value(r->msg, "if-match");
	struct span ius = http_header_value(r->msg, "if-unmodified-since");
	struct span rest, item;
	time_t t;
	bool ok = true;

	if (im.p) {
		ok = false;
		rest = im;
		while (!ok && http_list_next(&rest, &item))
			ok = span_eq(item, "*") || span_eq(item, etag);
	} else if (ius.p && http_date_parse(span_trim(ius), &t)) {
		ok = st->st_mtime <= t;
	}
	if (ok)
		return false;
	resp_start(r->c, 412);
	resp_header(r->c, "ETag", etag);
	resp_error_body(r->c, 412, im.p ? "If-Match names no current "
			"entity tag of this file (RFC 9110 §13.1.1)" :
			"the file was modified after If-Unmodified-Since "
			"(RFC 9110 §13.1.4)");
	return true;
}

/* 304 if the client's copy is current (RFC 9110 §13.1.2, §13.1.3). */
static bool
static_not_modified(struct req *r, const struct stat *st, const char *etag,
		    const char *lm)
{
	struct span inm = http_header_value(r->msg, "if-none-match");
	struct span ims = http_header_value(r->msg, "if-modified-since");
	time_t t;
	bool fresh;

	if (inm.p)
		fresh = static_etag_matches(inm, etag);
	else
		fresh = ims.p && http_date_parse(span_trim(ims), &t) &&
		    st->st_mtime <= t;
	if (!fresh)
		return false;
	resp_start(r->c, 304);
	resp_header(r->c, "ETag", etag);
	resp_header(r->c, "Last-Modified", lm);
	buf_puts(&r->c->out, "\r\n");
	return true;
}

/* A file body comes from the cache (data) or from fd (owned). */
struct static_src {
	int fd;
	const char *data;
};

static void
static_multirange(struct req *r, struct static_src src, const struct stat *st,
		  const char *ctype, const struct static_range *rg, int n)
{
	struct conn *c = r->c;
	struct buf body = BUF_INIT;
	char boundary[40];

	snprintf(boundary, sizeof boundary, "httptool-%08lx%08lx",
		 (unsigned long)st->st_ino, (unsigned long)st->st_mtime);
	for (int i = 0; i < n; i++) {
		size_t len = (size_t)(rg[i].last - rg[i].first + 1);

		buf_printf(&body, "--%s\r\nContent-Type: %s\r\nContent-Range: "
			   "bytes %llu-%llu/%llu\r\n\r\n", boundary, ctype,
			   rg[i].first, rg[i].last,
			   (unsigned long long)st->st_size);
		if (src.data)
			buf_append(&body, src.data + rg[i].first, len);
		else if (buf_reserve(&body, len) == 0 &&
			 pread(src.fd, body.data + body.len, len,
			       (off_t)rg[i].first) == (ssize_t)len)
			body.len += len;
		buf_puts(&body, "\r\n");
	}
	buf_printf(&body, "--%s--\r\n", boundary);
	resp_headerf(c, "Content-Type", "multipart/byteranges; boundary=%s",
		     boundary);
	resp_body_buf(c, NULL, &body);
	buf_free(&body);
	if (src.fd >= 0)
		close(src.fd);
}

static void
static_body(struct conn *c, const char *ctype, struct static_src src,
	    unsigned long long off, unsigned long long len)
{
	if (src.data)
		resp_body(c, ctype, src.data + off, (size_t)len);
	else
		resp_file(c, ctype, src.fd, off, len);
}

/* "\"<mtime hex>-<size hex>\"" (as nginx does) into out[40], no printf:
 * this is on every file response's path. */
static void
static_etag(char *out, unsigned long long mtime, unsigned long long size)
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	unsigned long long v[2] = { mtime, size };

	*p++ = '"';
	for (int k = 0; k < 2; k++) {
		char tmp[16];
		int n = 0;

		do {
			tmp[n++] = hex[v[k] & 15];
			v[k] >>= 4;
		} while (v[k]);
		while (n)
			*p++ = tmp[--n];
		*p++ = k ? '"' : '-';
	}
	*p = 0;
}

/* Send a regular file; name (r->path, or the directory's index.html)
   decides its Content-Type. */
static void
static_file(struct req *r, struct static_src src, const struct stat *st,
	    const char *name)
{
	struct conn *c = r->c;
	unsigned long long size = (unsigned long long)st->st_size;
	struct static_range rg[STATIC_MAX_RANGES];
	char etag[64], lm[HTTP_DATE_LEN + 1];
	const char *ctype = http_mime_type(name);
	int n = -1;

	static_etag(etag, (unsigned long long)st->st_mtime, size);
	http_date_format(st->st_mtime, lm);
	if (static_precondition_failed(r, st, etag) ||
	    static_not_modified(r, st, etag, lm)) {
		if (src.fd >= 0)
			close(src.fd);
		return;
	}
	struct span range = http_header_value(r->msg, "range");
	struct span ifr = http_header_value(r->msg, "if-range");

	if (range.p && (!ifr.p || span_eq(span_trim(ifr), etag) ||
			span_eq(span_trim(ifr), lm)))
		n = static_ranges(range, size, rg, STATIC_MAX_RANGES);
	if (n == 0) {
		resp_start(c, 416);
		resp_headerf(c, "Content-Range", "bytes */%llu", size);
		resp_body(c, "text/plain", "416 Range Not Satisfiable\n", 26);
		if (src.fd >= 0)
			close(src.fd);
		return;
	}
	resp_start(c, n > 0 ? 206 : 200);
	resp_header(c, "Last-Modified", lm);
	resp_header(c, "ETag", etag);
	resp_header(c, "Accept-Ranges", "bytes");
	if (n > 1) {
		static_multirange(r, src, st, ctype, rg, n);
	} else if (n == 1) {
		resp_headerf(c, "Content-Range", "bytes %llu-%llu/%llu",
			     rg[0].first, rg[0].last, size);
		static_body(c, ctype, src, rg[0].first,
			    rg[0].last - rg[0].first + 1);
	} else {
		static_body(c, ctype, src, 0, size);
	}
}

struct static_ent {
	char *name;
	bool dir;
};

static int
static_ent_cmp(const void *a, const void *b)
{
	const struct static_ent *x = a, *y = b;
	int d = strcasecmp(x->name, y->name);

	return d ? d : strcmp(x->name, y->name);
}

/* Is entry de of the listed directory one that would be served: a
 * regular file or a directory, and, for a symlink, one that stays under
 * DIR?  *st is what it leads to. */
static bool
static_listable(struct req *r, int dfd, const struct dirent *de,
		struct stat *st)
{
	char rel[CONN_PATH_MAX + 256];
	int fd;

	if (fstatat(dfd, de->d_name, st, 0) < 0 ||
	    !(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)))
		return false;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return true;
	snprintf(rel, sizeof rel, "%s%s%s", r->path,
		 r->path[r->path_len - 1] == '/' ? "" : "/", de->d_name);
	fd = static_open(r->srv, rel, O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

void
static_listing(struct req *r, int fd, bool with_routes)
{
	struct buf b = BUF_INIT;
	struct static_ent *ents = NULL;
	size_t n = 0, cap = 0;
	DIR *d = fdopendir(fd);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct static_ent *e = realloc(ents, cap * sizeof *e);

			if (!e)
				break;
			ents = e;
		}
		if (!static_listable(r, dirfd(d), de, &st))
			continue;
		ents[n].name = strdup(de->d_name);
		ents[n].dir = S_ISDIR(st.st_mode);
		if (ents[n].name)
			n++;
	}
	if (d)
		closedir(d);
	else
		close(fd);
	if (n > 1)	/* an empty folder has no array at all */
		qsort(ents, n, sizeof *ents, static_ent_cmp);
	buf_puts(&b, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<title>Directory listing for ");
	html_escape(&b, span_from(r->path));
	buf_puts(&b, "</title>\n</head>\n<body>\n<h1>Directory listing for ");
	html_escape(&b, span_from(r->path));
	buf_puts(&b, "</h1>\n<hr>\n<ul>\n");
	for (size_t i = 0; i < n; i++) {
		struct buf href = BUF_INIT;

		http_pct_encode(&href, span_from(ents[i].name), "", false);
		buf_printf(&b, "<li><a href=\"%s%s\">", href.data ? href.data :
			   "", ents[i].dir ? "/" : "");
		html_escape(&b, span_from(ents[i].name));
		buf_printf(&b, "%s</a></li>\n", ents[i].dir ? "/" : "");
		buf_free(&href);
		free(ents[i].name);
	}
	free(ents);
	buf_puts(&b, "</ul>\n<hr>\n");
	if (with_routes)
		lab_routes_html(&b);
	buf_puts(&b, "</body>\n</html>\n");
	resp_send(r->c, 200, "text/html; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

static void
static_dir(struct req *r, int fd)
{
	char index[CONN_PATH_MAX + 16];
	struct stat st;

	if (r->path[r->path_len - 1] != '/') {
		struct buf loc = BUF_INIT;

		close(fd);
		buf_append(&loc, r->rawpath.p, r->rawpath.len);
		buf_puts(&loc, "/");
		if (r->query.p) {
			buf_puts(&loc, "?");
			buf_append(&loc, r->query.p, r->query.len);
		}
		resp_start(r->c, 301);
		resp_header(r->c, "Location", loc.data);
		resp_body(r->c, "text/plain", "301 Moved Permanently\n", 22);
		buf_free(&loc);
		return;
	}
	snprintf(index, sizeof index, "%sindex.html", r->path);
	int ifd = static_open(r->srv, index, O_RDONLY | O_NONBLOCK);

	if (ifd >= 0 && fstat(ifd, &st) == 0 && S_ISREG(st.st_mode)) {
		close(fd);
		static_file(r, (struct static_src){ ifd, NULL }, &st, index);
		return;
	}
	if (ifd >= 0)
		close(ifd);
	static_listing(r, fd, strcmp(r->path, "/") == 0);
}

bool
static_serve(struct req *r)
{
	struct stat st;

	if (memchr(r->path, 0, r->path_len) || r->path_len >= CONN_PATH_MAX) {
		resp_error(r->c, 403, "the path holds a NUL byte or is too "
			   "long");
		return true;
	}
	const char *data = fcache_get(r->c->th, r->path, &st);

	if (data) {
		static_file(r, (struct static_src){ -1, data }, &st, r->path);
		return true;
	}
	/* O_NONBLOCK: a FIFO in DIR must not stop the thread in open(2) */
	int fd = static_open(r->srv, r->path, O_RDONLY | O_NONBLOCK);

	if (fd == -EACCES) {
		resp_error(r->c, 403, "the path leaves the served directory "
			   "or may not be read");
		return true;
	}
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		static_dir(r, fd);
	} else if (S_ISREG(st.st_mode)) {
		data = fcache_put(r->c->th, r->path, &st, fd);
		if (data)
			close(fd);
		static_file(r, (struct static_src){ data ? -1 : fd, data },
			    &st, r->path);
	} else {
		close(fd);
		resp_error(r->c, 403, "not a regular file or a directory");
	}
	return true;
}

bool
static_not_found(struct req *r)
{
	int fd = static_open(r->srv, "/404.html", O_RDONLY | O_NONBLOCK);
	struct stat st;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return false;
	}
	resp_start(r->c, 404);
	resp_file(r->c, "text/html; charset=utf-8", fd, 0,
		  (uint64_t)st.st_size);
	return true;
}

bool
static_exists(const struct server *srv, const char *path)
{
	int fd = static_open(srv, path, O_PATH);
	struct stat st;
	bool ok;

	if (fd < 0)
		return false;
	ok = fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) ||
				     S_ISDIR(st.st_mode));
	close(fd);
	return ok;
}
