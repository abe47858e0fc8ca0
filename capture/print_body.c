/*
 * print_body.c - what the outputs share about a body: content coding
 * (gzip, deflate through zlib), its size after decompression, which
 * media types are text, and how text bytes are escaped in a label.
 * The body's nodes in the protocol tree are in http_tree_body.c.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/form.h"
#include "http/header.h"
#include "http/url.h"
#include "print_body.h"

/*
 * zlib's inflate over in; gzip: a gzip (or zlib) stream, else deflate,
 * which servers send as zlib or as raw deflate (tried in that order).
 * The output goes to out, or is only counted in *got when out is NULL.
 */
static int
inflate_into(struct span in, bool gzip, struct buf *out, size_t limit,
	     bool *cut, size_t *got)
{
	unsigned char tmp[16384];
	z_stream z;
	int r, attempt;

	if (cut)
		*cut = false;
	for (attempt = 0; attempt < 2; attempt++) {
		memset(&z, 0, sizeof(z));
		if (inflateInit2(&z, gzip ? 15 + 32 : attempt ? -15 : 15) != Z_OK)
			return -1;
		z.next_in = (unsigned char *)in.p;
		z.avail_in = (uInt)in.len;
		*got = 0;
		if (out)
			buf_reset(out);
		do {
			size_t n;

			z.next_out = tmp;
			z.avail_out = sizeof(tmp);
			r = inflate(&z, Z_NO_FLUSH);
			n = sizeof(tmp) - z.avail_out;
			if (n > limit - *got)
				n = limit - *got;
			if (out && buf_append(out, tmp, n) < 0)
				r = Z_MEM_ERROR;
			*got += n;
		} while (r == Z_OK && *got < limit);
		inflateEnd(&z);
		if (r == Z_OK && cut)
			*cut = true;	/* stopped at limit, not at the end */
		if (r == Z_STREAM_END || r == Z_OK)
			return 0;
		if (gzip || *got > 0)
			return -1;
	}
	return -1;
}

int
body_inflate(struct span in, bool gzip, struct buf *out, size_t limit,
	     bool *cut)
{
	size_t got;

	return inflate_into(in, gzip, out, limit, cut, &got);
}

/*
 * What "File Data: n bytes" says: the decompressed size when the body is
 * gzip or deflate and was kept whole, else the de-chunked size.
 */
uint64_t
body_file_data_len(const struct http_view *v)
{
	struct span ce = http_header_value(v->msg, "content-encoding");
	int coding = body_coding(ce);
	size_t got = 0;

	if (v->body_total == 0 || coding < 0 || v->body_cut)
		return v->body_total;
	inflate_into(v->body, coding == 1, NULL, BODY_INFLATE_MAX, NULL, &got);
	return got;
}

/* The coding body_inflate() undoes for a Content-Encoding, or -1. */
int
body_coding(struct span ce)
{
	if (!ce.p)
		return -1;
	if (span_ieq(ce, "gzip") || span_ieq(ce, "x-gzip"))
		return 1;
	if (span_ieq(ce, "deflate"))
		return 0;
	return -1;
}

void
body_put_escaped(struct buf *out, const char *p, size_t n, bool backslash)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r')
			buf_puts(out, "\\r");
		else if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c == '\\' && backslash)
			buf_puts(out, "\\\\");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\x%02x", c);
		else
			buf_append(out, &p[i], 1);
	}
}

void
body_put_text(struct buf *out, const char *p, size_t n)
{
	body_put_escaped(out, p, n, false);
}

bool
body_is_text(struct span mt)
{
	return span_istarts(mt, "text/") || span_ieq(mt, "application/json") ||
	       span_ieq(mt, "application/javascript") ||
	       span_ieq(mt, "application/xml") ||
	       span_find(mt, "+xml", true) >= 0 ||
	       span_find(mt, "+json", true) >= 0;
}
