/*
 * follow.c - text view of one stream (see follow.h).
 */
#include <string.h>

#include "follow.h"

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
		   fo->http ? "http,ascii (de-chunked)" : "tcp,ascii",
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

void
follow_message(struct follow *fo, struct buf *out, const struct http_view *v)
{
	struct buf m = BUF_INIT;

	if (!fo->http || (long)v->flow->stream != fo->stream)
		return;
	header(fo, out, v->flow);
	buf_append(&m, v->head.p, v->head.len);
	buf_append(&m, v->body.p, v->body.len);
	chunk(out, v->dir, m.data ? m.data : "", m.len);
	if (v->body_cut)
		buf_printf(out, "%s[%llu more body bytes not kept]\n",
			   v->dir == DIR_SERVER ? "\t" : "",
			   (unsigned long long)(v->body_total - v->body.len));
	buf_free(&m);
}

bool
follow_end(struct follow *fo, struct buf *out)
{
	if (!fo->started)
		return false;
	buf_puts(out, RULE "\n");
	return true;
}
