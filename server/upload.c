/*
 * upload.c - /upload: GET shows a multipart form; POST saves every file
 * part under --upload-dir and lists name, size and SHA-256 (the saving
 * is upload_stream.c, which reads the body while it arrives).
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
#include "server/upload.h"

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

/*
 * POST: the body normally streamed through an upload_stream while it
 * arrived (conn.c made it from the head); a body that came in one piece
 * (or none) goes through a fresh one here.
 */
void
hb_upload(struct req *r)
{
	struct span ct = http_header_value(r->msg, "content-type"), boundary;
	struct upload_stream *u = r->c->upl;
	struct buf b = BUF_INIT;
	struct json j;
	int st;

	if (r->mbit != ROUTE_POST) {
		upload_form(r);
		return;
	}
	if (!http_multipart_boundary(ct, &boundary)) {
		resp_error(r->c, 400, "expected Content-Type: "
			   "multipart/form-data with a boundary");
		return;
	}
	if (!u) {
		u = upload_stream_new(r->srv, boundary);
		if (!u) {
			resp_error(r->c, 400, "the multipart boundary is "
				   "longer than 70 characters (RFC 2046 §5.1.1)");
			return;
		}
		upload_stream_feed(u, r->body.p, r->body.len);
	}
	json_init(&j, &b, true);
	json_obj(&j);
	st = upload_stream_finish(u, &j);
	if (u != r->c->upl)
		upload_stream_free(u);
	json_key(&j, "upload_dir");
	json_cstr(&j, r->srv->upload_dir);
	json_end(&j);
	buf_puts(&b, "\n");
	if (st == 500)
		resp_error(r->c, 500, "could not save an uploaded file");
	else if (st)
		resp_error(r->c, 400, "malformed multipart body");
	else
		hb_send(r, 200, &b);
	buf_free(&b);
}
