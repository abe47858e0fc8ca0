/*
 * upload.c - /upload: GET shows a multipart form; POST saves every file
 * part under --upload-dir and lists name, size and SHA-256.
 *
 * Names are sanitised before they touch the file system: only the last
 * path component is kept (both / and \ count), characters outside
 * [A-Za-z0-9._-] become '_', leading dots are dropped, and an existing
 * file is never overwritten (O_EXCL, then "-1", "-2", ... before the
 * extension).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "http/form.h"
#include "http/header.h"
#include "server/httpbin.h"
#include "server/resp.h"
#include "server/routes.h"

#define UPLOAD_NAME_MAX 128

void
upload_sanitise(struct span filename, char *out)
{
	size_t start = 0, o = 0;

	for (size_t i = 0; i < filename.len; i++)
		if (filename.p[i] == '/' || filename.p[i] == '\\')
			start = i + 1;
	for (size_t i = start; i < filename.len && o + 1 < UPLOAD_NAME_MAX; i++) {
		char ch = filename.p[i];

		if (o == 0 && ch == '.')
			continue;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
		      ch == '_'))
			ch = '_';
		out[o++] = ch;
	}
	out[o] = 0;
	if (!o)
		snprintf(out, UPLOAD_NAME_MAX, "upload");
}

/* Create a new file for name in dir; the name used goes into out. */
static int
upload_create(const char *dir, const char *name, char *out, size_t size)
{
	const char *dot = strrchr(name, '.');
	int base = dot ? (int)(dot - name) : (int)strlen(name);

	for (int i = 0; i < 1000; i++) {
		char path[4096 + UPLOAD_NAME_MAX + 16];
		int fd;

		if (i == 0)
			snprintf(out, size, "%s", name);
		else
			snprintf(out, size, "%.*s-%d%s", base, name, i,
				 dot ? dot : "");
		snprintf(path, sizeof path, "%s/%s", dir, out);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
			  O_NOFOLLOW, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

static void
upload_form(struct req *r)
{
	static const char page[] =
	    "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
	    "<title>Upload</title></head>\n<body>\n<h1>Upload</h1>\n"
	    "<form action=\"/upload\" method=\"post\" "
	    "enctype=\"multipart/form-data\">\n"
	    "<input type=\"file\" name=\"file\" multiple>\n"
	    "<input name=\"note\" value=\"from the upload form\">\n"
	    "<button type=\"submit\">Upload</button>\n</form>\n"
	    "</body>\n</html>\n";

	resp_send(r->c, 200, "text/html; charset=utf-8", page, sizeof page - 1);
}

static bool
upload_save(struct req *r, struct json *j, const struct http_part *part)
{
	char name[UPLOAD_NAME_MAX], saved[UPLOAD_NAME_MAX + 16], hex[65];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int fd;

	upload_sanitise(part->filename, name);
	fd = upload_create(r->srv->upload_dir, name, saved, sizeof saved);
	if (fd < 0)
		return false;
	size_t off = 0;

	while (off < part->body.len) {
		ssize_t n = write(fd, part->body.p + off, part->body.len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	if (off < part->body.len)
		return false;
	EVP_Digest(part->body.p, part->body.len, md, &mdlen, EVP_sha256(),
		   NULL);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	json_obj(j);
	json_key(j, "field");
	json_str(j, part->name);
	json_key(j, "filename");
	json_str(j, part->filename);
	json_key(j, "name");
	json_cstr(j, saved);
	json_key(j, "size");
	json_int(j, (long long)part->body.len);
	json_key(j, "sha256");
	json_cstr(j, hex);
	json_end(j);
	return true;
}

void
hb_upload(struct req *r)
{
	struct span ct = http_header_value(r->msg, "content-type"), boundary;
	struct http_multipart m;
	struct http_part part;
	struct buf b = BUF_INIT;
	struct json j;
	bool ok = true;

	if (r->mbit != ROUTE_POST) {
		upload_form(r);
		return;
	}
	if (!http_multipart_boundary(ct, &boundary)) {
		resp_error(r->c, 400, "expected Content-Type: "
			   "multipart/form-data with a boundary");
		return;
	}
	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "files");
	json_arr(&j);
	http_multipart_init(&m, r->body, boundary);
	while (ok && http_multipart_next(&m, &part))
		if (part.filename.p)
			ok = upload_save(r, &j, &part);
	json_end(&j);
	json_key(&j, "upload_dir");
	json_cstr(&j, r->srv->upload_dir);
	json_end(&j);
	buf_puts(&b, "\n");
	if (!ok)
		resp_error(r->c, 500, "could not save an uploaded file");
	else if (m.malformed)
		resp_error(r->c, 400, "malformed multipart body");
	else
		hb_send(r, 200, &b);
	buf_free(&b);
}
