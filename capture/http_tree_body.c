/*
 * http_tree_body.c - the body layers of an HTTP message in the protocol
 * tree, named as Wireshark names them: "HTTP chunked response",
 * "Content-encoded entity body", "File Data", "HTML Form URL Encoded",
 * "MIME Multipart Media Encapsulation", "JavaScript Object Notation"
 * (json_tree.c), "Line-based text data".  Each
 * node points at its bytes: chunk framing in the message as sent, the
 * rest in the "De-chunked entity body" or "Uncompressed entity body"
 * source it adds (tshark's -x shows the same sources).
 */
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "http/header.h"
#include "http/url.h"
#include "http_tree.h"
#include "json_tree.h"
#include "print_body.h"

/* Where the body being shown is: a source and the offset of byte 0. */
struct body_at {
	int src;
	size_t base;
	const char *p;		/* the body's first byte, for offsets */
};

static size_t
boff(const struct body_at *b, const char *p)
{
	return b->base + (size_t)(p - b->p);
}

/* Add a node with a label of plain text then escaped bytes. */
static long
text_node(struct ptree *t, int src, size_t off, size_t len, const char *pre,
	  const char *p, size_t n, const char *post)
{
	struct buf l = BUF_INIT;
	long r;

	buf_puts(&l, pre);
	body_put_text(&l, p, n);
	buf_puts(&l, post);
	r = ptree_add_text(t, src, off, len, l.data ? l.data : "", l.len);
	buf_free(&l);
	return r;
}

static void
text_lines(struct ptree *t, struct span mt, struct span body,
	   const struct body_at *b, unsigned depth)
{
	size_t i, lines = 0;

	for (i = 0; i < body.len; i++)
		if (body.p[i] == '\n')
			lines++;
	if (body.len && body.p[body.len - 1] != '\n')
		lines++;
	t->depth = (uint16_t)depth;
	ptree_add(t, b->src, boff(b, body.p), body.len,
		  "Line-based text data: %.*s (%zu lines)", (int)mt.len, mt.p,
		  lines);
	t->depth = (uint16_t)(depth + 1);
	for (i = 0; i < body.len;) {
		const char *nl = memchr(body.p + i, '\n', body.len - i);
		size_t n = nl ? (size_t)(nl - (body.p + i)) + 1 : body.len - i;

		text_node(t, b->src, boff(b, body.p + i), n, "", body.p + i, n,
			  "");
		i += n;
	}
}

static void
form_item(struct ptree *t, const struct body_at *b, struct span name,
	  struct span value, char *dn, char *dv)
{
	long a = http_pct_decode(name, dn, true);
	long v = http_pct_decode(value, dv, true);
	const char *end = value.p ? value.p + value.len : name.p + name.len;
	struct buf l = BUF_INIT;

	if (a < 0)
		a = 0;
	if (v < 0)
		v = 0;
	t->depth = 1;
	buf_puts(&l, "Form item: \"");
	body_put_text(&l, dn, (size_t)a);
	buf_puts(&l, "\" = \"");
	body_put_text(&l, dv, (size_t)v);
	buf_puts(&l, "\"");
	ptree_add_text(t, b->src, boff(b, name.p), (size_t)(end - name.p),
		       l.data, l.len);
	buf_free(&l);
	t->depth = 2;
	ptree_str(t, text_node(t, b->src, boff(b, name.p), name.len, "Key: ",
			       dn, (size_t)a, ""),
		  FF_URLENCODED_FORM_KEY, dn, (size_t)a);
	ptree_str(t, text_node(t, b->src, value.p ? boff(b, value.p) :
			       boff(b, end), value.len, "Value: ", dv,
			       (size_t)v, ""),
		  FF_URLENCODED_FORM_VALUE, dv, (size_t)v);
}

static void
form_items(struct ptree *t, struct span body, const struct body_at *b)
{
	struct span rest = body, name, value;

	t->depth = 0;
	ptree_proto(t, ptree_add(t, b->src, boff(b, body.p), body.len,
				 "HTML Form URL Encoded: application/"
				 "x-www-form-urlencoded"), FF_URLENCODED_FORM);
	while (http_form_next(&rest, &name, &value)) {
		char *dn = malloc(name.len + 1), *dv = malloc(value.len + 1);

		if (dn && dv)
			form_item(t, b, name, value, dn, dv);
		free(dn);
		free(dv);
	}
}

/* A part's Content-Type or Content-Disposition: its field. */
static void
part_header(struct ptree *t, long n, struct span line)
{
	const char *colon = memchr(line.p, ':', line.len);
	struct span name, value;

	if (!colon)
		return;
	name = (struct span){ line.p, (size_t)(colon - line.p) };
	value = span_trim((struct span){ colon + 1,
					 line.len - name.len - 1 });
	if (span_ieq(name, "content-type"))
		ptree_str(t, n, FF_MIME_MULTIPART_CT, value.p, value.len);
	else if (span_ieq(name, "content-disposition"))
		ptree_str(t, n, FF_MIME_MULTIPART_CD, value.p, value.len);
}

/* The part's header lines, each without its line end. */
static void
part_headers(struct ptree *t, struct span h, const struct body_at *b)
{
	t->depth = 2;
	while (h.len) {
		const char *nl = memchr(h.p, '\n', h.len);
		size_t k = nl ? (size_t)(nl - h.p) + 1 : h.len;
		struct span line = { h.p, k };

		while (line.len && (line.p[line.len - 1] == '\n' ||
				    line.p[line.len - 1] == '\r'))
			line.len--;
		if (line.len)
			part_header(t, text_node(t, b->src, boff(b, h.p), k, "",
						 line.p, line.len, "\\r\\n"),
				    line);
		h.p += k;
		h.len -= k;
	}
}

static void
multipart(struct ptree *t, struct span ct, struct span body,
	  const struct body_at *b)
{
	struct span mt = http_media_type(ct), boundary;
	struct http_multipart m;
	struct http_part part;
	int n = 0;
	long k;

	if (!http_multipart_boundary(ct, &boundary))
		boundary = SPAN_LIT("");
	t->depth = 0;
	ptree_proto(t, ptree_add(t, b->src, boff(b, body.p), body.len,
				 "MIME Multipart Media Encapsulation, Type: "
				 "%.*s, Boundary: \"%.*s\"", (int)mt.len, mt.p,
				 (int)boundary.len, boundary.p),
		    FF_MIME_MULTIPART);
	t->depth = 1;
	ptree_add(t, -1, 0, 0, "[Type: %.*s]", (int)mt.len, mt.p);
	ptree_add(t, b->src, boff(b, body.p), boundary.len + 4,
		  "First boundary: --%.*s\\r\\n", (int)boundary.len,
		  boundary.p);
	http_multipart_init(&m, body, boundary);
	while (http_multipart_next(&m, &part)) {
		struct span pmt = part.content_type.p ?
				  http_media_type(part.content_type) : SPAN_NULL;
		const char *pend = part.body.p + part.body.len;

		t->depth = 1;
		if (n++)
			ptree_add(t, b->src, boff(b, pend), 0,
				  "Boundary: \\r\\n--%.*s\\r\\n",
				  (int)boundary.len, boundary.p);
		if (pmt.p)
			k = ptree_add(t, b->src, boff(b, part.headers.p),
				      (size_t)(pend - part.headers.p),
				      "Encapsulated multipart part:  (%.*s)",
				      (int)pmt.len, pmt.p);
		else
			k = ptree_add(t, b->src, boff(b, part.headers.p),
				      (size_t)(pend - part.headers.p),
				      "Encapsulated multipart part:");
		ptree_str(t, k, FF_MIME_MULTIPART_PART, "", 0);
		part_headers(t, part.headers, b);
		if (pmt.p && body_is_text(pmt)) {
			text_lines(t, pmt, part.body, b, 2);
		} else {
			t->depth = 2;
			ptree_add(t, b->src, boff(b, part.body.p), part.body.len,
				  "Data (%zu bytes)", part.body.len);
		}
	}
	t->depth = 1;
	if (m.malformed)
		ptree_add(t, -1, 0, 0, "[Malformed multipart body]");
	else if (m.done)
		ptree_add(t, -1, 0, 0, "Last boundary: \\r\\n--%.*s--\\r\\n",
			  (int)boundary.len, boundary.p);
}

/*
 * One chunk's framing in the body as sent (w): the size line, the data,
 * the CRLF after it.  False when the bytes do not say (then no bytes).
 */
struct chunk_at {
	size_t line, data, crlf;	/* offsets in the wire body */
	size_t line_len, crlf_len;
};

static bool
chunk_find(const char *p, size_t len, size_t pos, uint32_t n,
	   struct chunk_at *c)
{
	const char *nl;

	if (!p || pos >= len || !(nl = memchr(p + pos, '\n', len - pos)))
		return false;
	c->line = pos;
	c->line_len = (size_t)(nl - (p + pos)) + 1;
	c->data = pos + c->line_len;
	if (c->data + n > len)
		return false;
	c->crlf = c->data + n;
	c->crlf_len = c->crlf + 1 < len && p[c->crlf] == '\r' ? 2 :
		      c->crlf < len && p[c->crlf] == '\n' ? 1 : 0;
	return true;
}

static void
chunk(struct ptree *t, const struct http_view *v, const struct http_where *w,
      size_t *wpos, size_t off, uint32_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t wb = w->base + v->head.len, k;
	struct chunk_at c;
	bool at = w->wire && chunk_find(w->wire_p, v->body_wire, *wpos, n, &c);
	int src = at ? w->src : -1;
	char data[80];

	t->depth = 2;
	ptree_add(t, src, at ? wb + c.line : 0, at ? c.crlf + c.crlf_len - c.line
		  : 0, "Data chunk (%u octets)", n);
	t->depth = 3;
	ptree_int(t, ptree_add(t, src, at ? wb + c.line : 0, at ? c.line_len : 0,
			       "Chunk size: %u octet%s", n, n == 1 ? "" : "s"),
		  FF_HTTP_CHUNK_SIZE, n);
	if (off + n <= v->body.len) {
		for (k = 0; k < n && k < 36; k++) {
			unsigned char ch = (unsigned char)v->body.p[off + k];

			data[2 * k] = hex[ch >> 4];
			data[2 * k + 1] = hex[ch & 15];
		}
		ptree_add(t, src, at ? wb + c.data : 0, at ? n : 0,
			  "Chunk data: %.*s%s", (int)(2 * k), data,
			  n > 36 ? "…" : "");
	}
	ptree_add(t, src, at ? wb + c.crlf : 0, at ? c.crlf_len : 0,
		  "Chunk boundary: 0d0a");
	if (at)
		*wpos = c.crlf + c.crlf_len;
}

/* Wireshark's chunk lines; chunk data shown as up to 36 bytes of hex. */
static void
chunks(struct ptree *t, const struct http_view *v, const struct http_where *w)
{
	size_t off = 0, wpos = 0, wb = w->base + v->head.len;
	unsigned i;
	const char *end;
	int src;

	t->depth = 1;
	ptree_add(t, w->wire ? w->src : -1, wb, v->body_wire,
		  "HTTP chunked %s", v->msg->is_request ? "request" :
		  "response");
	for (i = 0; i < v->nchunk_sizes; i++) {
		chunk(t, v, w, &wpos, off, v->chunk_sizes[i]);
		off += v->chunk_sizes[i];
	}
	t->depth = 2;
	if (v->chunks > v->nchunk_sizes) {
		ptree_add(t, -1, 0, 0, "[%u more data chunks]",
			  v->chunks - v->nchunk_sizes);
		wpos = SIZE_MAX;	/* the last chunk's place is unknown */
	}
	if (v->malformed)
		return;
	/* the last-chunk line, then the CRLF that ends the trailers */
	end = w->wire && wpos < v->body_wire ?
	      memchr(w->wire_p + wpos, '\n', v->body_wire - wpos) : NULL;
	src = end ? w->src : -1;
	ptree_add(t, src, wb + wpos, end ? (size_t)(end - w->wire_p) + 1 - wpos
		  : 0, "End of chunked encoding");
	t->depth = 3;
	ptree_int(t, ptree_add(t, src, wb + wpos, end ? (size_t)(end -
			       w->wire_p) + 1 - wpos : 0, "Chunk size: 0 "
			       "octets"), FF_HTTP_CHUNK_SIZE, 0);
	t->depth = 2;
	ptree_add(t, src, wb + v->body_wire - 2, end ? 2 : 0, "\\r\\n");
}

/* The media layer of the body shown (after decompression). */
static void
media(struct ptree *t, const struct http_view *v, struct span body,
      const struct body_at *b)
{
	struct span ct = http_header_value(v->msg, "content-type");
	struct span mt = ct.p ? http_media_type(ct) : SPAN_NULL;

	if (v->body_cut) {
		t->depth = 1;
		ptree_add(t, -1, 0, 0, "[Body not kept whole: %zu of %llu bytes]",
			  v->body.len, (unsigned long long)v->body_total);
		return;
	}
	if (!mt.p)
		return;
	if (span_ieq(mt, "application/x-www-form-urlencoded")) {
		form_items(t, body, b);
	} else if (span_istarts(mt, "multipart/")) {
		multipart(t, ct, body, b);
	} else if (span_ieq(mt, "application/json")) {
		if (!json_tree(t, mt, body, b->src, boff(b, body.p)))
			text_lines(t, mt, body, b, 0);
	} else if (body_is_text(mt)) {
		text_lines(t, mt, body, b, 0);
	} else {
		t->depth = 0;
		ptree_add(t, b->src, boff(b, body.p), body.len, "Media Type");
		t->depth = 1;
		ptree_add(t, b->src, boff(b, body.p), body.len,
			  "Media type: %.*s (%zu bytes)", (int)mt.len, mt.p,
			  body.len);
	}
}

/* http.file_data: the body's bytes in its source, else a copy */
static void
file_data(struct ptree *t, long n, int src, struct span body)
{
	if (src >= 0)
		ptree_bytesval(t, n, FF_HTTP_FILE_DATA);
	else
		ptree_str(t, n, FF_HTTP_FILE_DATA, body.p, body.len);
}

void
http_tree_body(struct ptree *t, const struct http_view *v,
	       const struct http_where *w)
{
	const struct http_msg *m = v->msg;
	struct span ce = http_header_value(m, "content-encoding");
	struct span body = v->body;
	struct body_at b = { -1, 0, v->body.p };
	struct buf dec = BUF_INIT;
	uint16_t d0 = t->depth;

	if (m->framing == HTTP_FRAME_CHUNKED)
		chunks(t, v, w);
	t->depth = d0;
	if (v->body_total == 0)
		return;
	if (m->framing == HTTP_FRAME_CHUNKED && !v->body_cut)
		b.src = ptree_source(t, "De-chunked entity body", body.p,
				     body.len);
	else if (m->framing != HTTP_FRAME_CHUNKED && w->wire) {
		b.src = w->src;
		b.base = w->base + v->head.len;
	}
	t->depth = 1;
	if (body_coding(ce) >= 0 && !v->body_cut) {
		bool ok = body_inflate(body, body_coding(ce) == 1, &dec,
				       BODY_INFLATE_MAX, NULL) == 0;

		ptree_add(t, b.src, b.base, body.len, "Content-encoded entity "
			  "body (%.*s): %zu bytes -> %zu bytes%s", (int)ce.len,
			  ce.p, body.len, dec.len, ok ? "" :
			  " [Error: Decompression failed]");
		b.src = ok ? ptree_source(t, "Uncompressed entity body",
					  dec.data, dec.len) : -1;
		b.base = 0;
		b.p = dec.data;
		body = (struct span){ dec.data, dec.len };
	}
	file_data(t, ptree_add(t, b.src, b.base, body.len, "File Data: %llu "
			       "bytes", (unsigned long long)(dec.data ? dec.len :
							     v->body_total)),
		  b.src, body);
	media(t, v, body, &b);
	t->depth = d0;
	buf_free(&dec);
}
