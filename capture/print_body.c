/*
 * print_body.c - body layers of the detail tree, named as Wireshark
 * names them: "HTTP chunked response", "Content-encoded entity body",
 * "File Data", "HTML Form URL Encoded", "MIME Multipart Media
 * Encapsulation", "Line-based text data".  Works on the decoded body the
 * dissector kept; a body longer than that is only counted.
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

/* Show bytes as Wireshark does in text lines: controls escaped. */
static void
put_text(struct buf *out, const char *p, size_t n)
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
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\x%02x", c);
		else
			buf_append(out, &p[i], 1);
	}
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

static void
text_lines(struct buf *out, struct span mt, struct span body, const char *ind)
{
	size_t i = 0, lines = 0;

	for (i = 0; i < body.len; i++)
		if (body.p[i] == '\n')
			lines++;
	if (body.len && body.p[body.len - 1] != '\n')
		lines++;
	buf_printf(out, "%sLine-based text data: %.*s (%zu lines)\n", ind,
		   (int)mt.len, mt.p, lines);
	for (i = 0; i < body.len;) {
		const char *nl = memchr(body.p + i, '\n', body.len - i);
		size_t n = nl ? (size_t)(nl - (body.p + i)) + 1 : body.len - i;

		buf_printf(out, "%s    ", ind);
		put_text(out, body.p + i, n);
		buf_puts(out, "\n");
		i += n;
	}
}

static void
form_items(struct buf *out, struct span body)
{
	struct span rest = body, name, value;
	char *dn, *dv;

	buf_puts(out, "HTML Form URL Encoded: application/x-www-form-urlencoded\n");
	while (http_form_next(&rest, &name, &value)) {
		dn = malloc(name.len + 1);
		dv = malloc(value.len + 1);
		if (dn && dv) {
			long a = http_pct_decode(name, dn, true);
			long b = http_pct_decode(value, dv, true);

			if (a < 0)
				a = 0;
			if (b < 0)
				b = 0;
			buf_puts(out, "    Form item: \"");
			put_text(out, dn, (size_t)a);
			buf_puts(out, "\" = \"");
			put_text(out, dv, (size_t)b);
			buf_puts(out, "\"\n        Key: ");
			put_text(out, dn, (size_t)a);
			buf_puts(out, "\n        Value: ");
			put_text(out, dv, (size_t)b);
			buf_puts(out, "\n");
		}
		free(dn);
		free(dv);
	}
}

static void
multipart(struct buf *out, struct span ct, struct span body)
{
	struct span mt = http_media_type(ct), boundary;
	struct http_multipart m;
	struct http_part part;
	int n = 0;

	if (!http_multipart_boundary(ct, &boundary))
		boundary = SPAN_LIT("");
	buf_printf(out, "MIME Multipart Media Encapsulation, Type: %.*s, "
		   "Boundary: \"%.*s\"\n    [Type: %.*s]\n", (int)mt.len, mt.p,
		   (int)boundary.len, boundary.p, (int)mt.len, mt.p);
	buf_printf(out, "    First boundary: --%.*s\\r\\n\n", (int)boundary.len,
		   boundary.p);
	http_multipart_init(&m, body, boundary);
	while (http_multipart_next(&m, &part)) {
		struct span pmt = part.content_type.p ?
				  http_media_type(part.content_type) : SPAN_NULL;

		if (n++)
			buf_printf(out, "    Boundary: \\r\\n--%.*s\\r\\n\n",
				   (int)boundary.len, boundary.p);
		if (pmt.p)
			buf_printf(out, "    Encapsulated multipart part:  (%.*s)\n",
				   (int)pmt.len, pmt.p);
		else
			buf_puts(out, "    Encapsulated multipart part:\n");
		{
			struct span h = part.headers;

			while (h.len) {
				const char *nl = memchr(h.p, '\n', h.len);
				size_t k = nl ? (size_t)(nl - h.p) + 1 : h.len;
				struct span line = { h.p, k };

				while (line.len && (line.p[line.len - 1] == '\n' ||
						    line.p[line.len - 1] == '\r'))
					line.len--;
				if (line.len) {
					buf_puts(out, "        ");
					put_text(out, line.p, line.len);
					buf_puts(out, "\\r\\n\n");
				}
				h.p += k;
				h.len -= k;
			}
		}
		if (pmt.p && body_is_text(pmt))
			text_lines(out, pmt, part.body, "        ");
		else
			buf_printf(out, "        Data (%zu bytes)\n", part.body.len);
	}
	if (m.malformed)
		buf_puts(out, "    [Malformed multipart body]\n");
	else if (m.done)
		buf_printf(out, "    Last boundary: \\r\\n--%.*s--\\r\\n\n",
			   (int)boundary.len, boundary.p);
}

/* Wireshark's chunk lines; chunk data shown as up to 36 bytes of hex. */
static void
chunks(struct buf *out, const struct http_view *v)
{
	static const char hex[] = "0123456789abcdef";
	size_t off = 0, k;
	unsigned i;

	buf_printf(out, "    HTTP chunked %s\n",
		   v->msg->is_request ? "request" : "response");
	for (i = 0; i < v->nchunk_sizes; i++) {
		uint32_t n = v->chunk_sizes[i];

		buf_printf(out, "        Data chunk (%u octets)\n"
			   "            Chunk size: %u octet%s\n", n, n,
			   n == 1 ? "" : "s");
		if (off + n <= v->body.len) {
			buf_puts(out, "            Chunk data: ");
			for (k = 0; k < n && k < 36; k++) {
				unsigned char c = (unsigned char)v->body.p[off + k];
				char h[2] = { hex[c >> 4], hex[c & 15] };

				buf_append(out, h, 2);
			}
			buf_puts(out, n > 36 ? "…\n" : "\n");
		}
		buf_puts(out, "            Chunk boundary: 0d0a\n");
		off += n;
	}
	if (v->chunks > v->nchunk_sizes)
		buf_printf(out, "        [%u more data chunks]\n",
			   v->chunks - v->nchunk_sizes);
	if (!v->malformed)
		buf_puts(out, "        End of chunked encoding\n"
			 "            Chunk size: 0 octets\n"
			 "        \\r\\n\n");
}

void
print_body_tree(struct buf *out, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	struct span ct = http_header_value(m, "content-type");
	struct span ce = http_header_value(m, "content-encoding");
	struct span mt = ct.p ? http_media_type(ct) : SPAN_NULL;
	struct span body = v->body;
	struct buf dec = BUF_INIT;

	if (m->framing == HTTP_FRAME_CHUNKED)
		chunks(out, v);
	if (v->body_total == 0)
		return;
	if (body_coding(ce) >= 0 && !v->body_cut) {
		bool ok = body_inflate(body, body_coding(ce) == 1, &dec,
				       BODY_INFLATE_MAX, NULL) == 0;

		buf_printf(out, "    Content-encoded entity body (%.*s): %zu "
			   "bytes -> %zu bytes%s\n", (int)ce.len, ce.p, body.len,
			   dec.len, ok ? "" : " [Error: Decompression failed]");
		body = (struct span){ dec.data, dec.len };
	}
	buf_printf(out, "    File Data: %llu bytes\n",
		   (unsigned long long)(dec.data ? dec.len : v->body_total));
	if (!v->body_cut && mt.p) {
		if (span_ieq(mt, "application/x-www-form-urlencoded"))
			form_items(out, body);
		else if (span_istarts(mt, "multipart/"))
			multipart(out, ct, body);
		else if (body_is_text(mt))
			text_lines(out, mt, body, "");
		else
			buf_printf(out, "Media Type\n    Media type: %.*s (%zu "
				   "bytes)\n", (int)mt.len, mt.p, body.len);
	} else if (v->body_cut) {
		buf_printf(out, "    [Body not kept whole: %zu of %llu bytes]\n",
			   v->body.len, (unsigned long long)v->body_total);
	}
	buf_free(&dec);
}
