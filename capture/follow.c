/*
 * follow.c - text view of one stream (see follow.h).
 *
 * --follow-http shows a message as Wireshark's Follow HTTP Stream does:
 * the head as it was on the wire, then the body de-chunked and, for a
 * gzip or deflate Content-Encoding, decompressed (at most
 * BODY_INFLATE_MAX bytes).  Whatever could not be shown whole is said on
 * a note line after the message.
 */
#include <string.h>

#include "follow.h"
#include "http/header.h"
#include "print_body.h"

#define RULE "==================================================================="

static void
header(struct follow *fo, struct buf *out, const struct flow *f)
{
	struct pkt tmp = { .ipver = f->ipver };
	char a[64], b[64];

	if (fo->started)
		return;
	fo->started = true;
	pkt_addr_str(&tmp, f->addr[DIR_CLIENT], a, sizeof(a));
	pkt_addr_str(&tmp, f->addr[DIR_SERVER], b, sizeof(b));
	buf_printf(out, "\n" RULE "\nFollow: %s\nFilter: tcp.stream eq %ld\n"
		   "Node 0: %s%s%s:%u (client)\nNode 1: %s%s%s:%u (server)\n",
		   fo->http ? "http,ascii (de-chunked, decompressed)" :
			   "tcp,ascii",
		   fo->stream, f->ipver == 6 ? "[" : "", a,
		   f->ipver == 6 ? "]" : "", f->port[DIR_CLIENT],
		   f->ipver == 6 ? "[" : "", b, f->ipver == 6 ? "]" : "",
		   f->port[DIR_SERVER]);
}

/* Printable ASCII, CR, LF and TAB as they are; other bytes as '.'. */
static void
ascii(struct buf *out, const char *p, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' ||
		    c == '\t')
			continue;
		buf_append(out, p + run, i - run);
		buf_puts(out, ".");
		run = i + 1;
	}
	buf_append(out, p + run, n - run);
}

static void
chunk(struct buf *out, int dir, const char *p, size_t n)
{
	buf_printf(out, "%s%zu\n", dir == DIR_SERVER ? "\t" : "", n);
	ascii(out, p, n);
	buf_puts(out, "\n");
}

void
follow_data(struct follow *fo, struct buf *out, const struct flow *f,
	    int dir, const uint8_t *p, size_t n)
{
	if (fo->http || (long)f->stream != fo->stream || n == 0)
		return;
	header(fo, out, f);
	chunk(out, dir, (const char *)p, n);
}

struct span
follow_http_body(const struct http_view *v, struct buf *dec, struct buf *note)
{
	struct span ce = http_header_value(v->msg, "content-encoding");
	int coding = body_coding(ce);
	bool cut;
	int r;

	if (coding < 0 || v->body.len == 0)
		return v->body;
	r = body_inflate(v->body, coding == 1, dec, BODY_INFLATE_MAX, &cut);
	if (cut)
		buf_printf(note, "[Content-Encoding %.*s: cut at %u decompressed "
			   "bytes]\n", (int)ce.len, ce.p, BODY_INFLATE_MAX);
	if (r == 0 || (v->body_cut && dec->len > 0)) {
		/* a body not kept whole stops early: that is not an error */
		return (struct span){ dec->data ? dec->data : "", dec->len };
	}
	if (dec->len == 0) {
		buf_printf(note, "[Content-Encoding %.*s: body does not "
			   "decompress, shown as received]\n", (int)ce.len,
			   ce.p);
		return v->body;
	}
	buf_printf(note, "[Content-Encoding %.*s: body corrupt, shown as far "
		   "as it decompressed (%zu bytes from %zu received)]\n",
		   (int)ce.len, ce.p, dec->len, v->body.len);
	return (struct span){ dec->data, dec->len };
}

void
follow_message(struct follow *fo, struct buf *out, const struct http_view *v)
{
	struct buf m = BUF_INIT, dec = BUF_INIT, note = BUF_INIT;
	const char *ind = v->dir == DIR_SERVER ? "\t" : "";
	struct span body;

	if (!fo->http || (long)v->flow->stream != fo->stream)
		return;
	header(fo, out, v->flow);
	body = follow_http_body(v, &dec, &note);
	buf_append(&m, v->head.p, v->head.len);
	buf_append(&m, body.p, body.len);
	chunk(out, v->dir, m.data ? m.data : "", m.len);
	if (v->body_cut)
		buf_printf(out, "%s[%llu more body bytes not kept]\n", ind,
			   (unsigned long long)(v->body_total - v->body.len));
	if (note.len)
		buf_printf(out, "%s%s", ind, note.data);
	buf_free(&m);
	buf_free(&dec);
	buf_free(&note);
}

bool
follow_end(struct follow *fo, struct buf *out)
{
	if (!fo->started)
		return false;
	buf_puts(out, RULE "\n");
	return true;
}
