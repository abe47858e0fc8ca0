/*
 * ptree.c - the protocol tree (see ptree.h): nodes in one array in
 * display order, labels and values in one text arena, every data
 * source's bytes in one byte arena.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "ptree.h"

void
ptree_reset(struct ptree *t, const uint8_t *frame, size_t len)
{
	t->n = 0;
	t->depth = 0;
	buf_reset(&t->text);
	buf_reset(&t->bytes);
	memset(t->src, 0, sizeof(t->src));
	snprintf(t->src[0].name, sizeof(t->src[0].name), "Frame");
	t->nsrc = 1;
	if (frame && len && buf_append(&t->bytes, frame, len) == 0)
		t->src[0].len = (uint32_t)len;
}

void
ptree_free(struct ptree *t)
{
	free(t->v);
	buf_free(&t->text);
	buf_free(&t->bytes);
	memset(t, 0, sizeof(*t));
}

/* A zeroed tree has an empty frame source already. */
static void
frame_source(struct ptree *t)
{
	if (t->nsrc)
		return;
	memset(&t->src[0], 0, sizeof(t->src[0]));
	snprintf(t->src[0].name, sizeof(t->src[0].name), "Frame");
	t->nsrc = 1;
}

int
ptree_source(struct ptree *t, const char *name, const void *p, size_t n)
{
	struct ptree_source *s;

	frame_source(t);
	if (t->nsrc == PTREE_SOURCES || n > UINT32_MAX)
		return -1;
	s = &t->src[t->nsrc];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->off = (uint32_t)t->bytes.len;
	if (n && buf_append(&t->bytes, p, n) < 0)
		return -1;
	s->len = (uint32_t)n;
	return (int)t->nsrc++;
}

static struct ptree_node *
node_new(struct ptree *t, int src, size_t off, size_t len)
{
	struct ptree_node *nd;

	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 64;
		struct ptree_node *v = realloc(t->v, c * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = c;
	}
	nd = &t->v[t->n++];
	memset(nd, 0, sizeof(*nd));
	nd->depth = t->depth;
	nd->open = true;
	nd->field = -1;
	nd->label_off = (uint32_t)t->text.len;
	if (src >= 0 && (unsigned)src < PTREE_SOURCES) {
		nd->src = (uint8_t)src;
		nd->off = (uint32_t)off;
		nd->len = (uint32_t)len;
		nd->has_bytes = true;
	}
	return nd;
}

long
ptree_add_text(struct ptree *t, int src, size_t off, size_t len,
	       const char *label, size_t n)
{
	struct ptree_node *nd = node_new(t, src, off, len);

	if (!nd)
		return -1;
	if (!t->nolabels)
		buf_append(&t->text, label, n);
	nd->label_len = (uint32_t)(t->text.len - nd->label_off);
	return (long)(t->n - 1);
}

long
ptree_add(struct ptree *t, int src, size_t off, size_t len,
	  const char *fmt, ...)
{
	struct ptree_node *nd = node_new(t, src, off, len);
	va_list ap;

	if (!nd)
		return -1;
	if (t->nolabels)
		return (long)(t->n - 1);
	va_start(ap, fmt);
	buf_vprintf(&t->text, fmt, ap);
	va_end(ap);
	nd->label_len = (uint32_t)(t->text.len - nd->label_off);
	return (long)(t->n - 1);
}

long
ptree_hidden(struct ptree *t, int src, size_t off, size_t len)
{
	struct ptree_node *nd = node_new(t, src, off, len);

	if (!nd)
		return -1;
	nd->hidden = true;
	return (long)(t->n - 1);
}

void
ptree_push(struct ptree *t)
{
	t->depth++;
}

void
ptree_pop(struct ptree *t)
{
	if (t->depth)
		t->depth--;
}

static struct ptree_node *
valued(struct ptree *t, long n, int field, int type)
{
	if (n < 0 || (size_t)n >= t->n)
		return NULL;
	t->v[n].field = (int16_t)field;
	t->v[n].type = (uint8_t)type;
	return &t->v[n];
}

void
ptree_int(struct ptree *t, long n, int field, int64_t v)
{
	struct ptree_node *nd = valued(t, n, field, PT_INT);

	if (nd)
		nd->ival = v;
}

void
ptree_time(struct ptree *t, long n, int field, double secs)
{
	struct ptree_node *nd = valued(t, n, field, PT_TIME);

	if (nd) {
		nd->dval = secs;
		nd->ival = (int64_t)(secs * 1e9 + (secs < 0 ? -0.5 : 0.5));
	}
}

void
ptree_time_ns(struct ptree *t, long n, int field, int64_t ns)
{
	struct ptree_node *nd = valued(t, n, field, PT_TIME);

	if (nd) {
		nd->dval = (double)ns / 1e9;
		nd->ival = ns;
	}
}

void
ptree_proto(struct ptree *t, long n, int field)
{
	valued(t, n, field, PT_PROTO);
}

void
ptree_frame(struct ptree *t, long n, int field, uint32_t no)
{
	struct ptree_node *nd = valued(t, n, field, PT_FRAME);

	if (nd)
		nd->ival = no;
}

void
ptree_bytesval(struct ptree *t, long n, int field)
{
	valued(t, n, field, PT_BYTES);
}

static void
put_value(struct ptree *t, struct ptree_node *nd, const void *p, size_t len)
{
	nd->val_off = (uint32_t)t->text.len;
	if (len && buf_append(&t->text, p, len) < 0)
		len = 0;
	nd->val_len = (uint32_t)len;
}

void
ptree_str(struct ptree *t, long n, int field, const char *p, size_t len)
{
	struct ptree_node *nd = valued(t, n, field, PT_STR);

	if (nd)
		put_value(t, nd, p, p ? len : 0);
}

void
ptree_addr(struct ptree *t, long n, int field, const uint8_t *a, int len)
{
	struct ptree_node *nd = valued(t, n, field, PT_ADDR);

	if (nd)
		put_value(t, nd, a, len == 16 || len == 6 ? (size_t)len : 4);
}

int
ptree_append(struct ptree *t, const struct ptree *s)
{
	uint8_t map[PTREE_SOURCES];
	size_t text0 = t->text.len, i;
	unsigned k;

	frame_source(t);
	map[0] = PTREE_SRC_FRAME;
	for (k = 1; k < s->nsrc; k++) {
		size_t n;
		const uint8_t *p = ptree_bytes(s, k, &n);
		int id = ptree_source(t, s->src[k].name, p, n);

		map[k] = (uint8_t)(id < 0 ? 0xff : id);
	}
	if (buf_append(&t->text, s->text.data, s->text.len) < 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		struct ptree_node *nd = node_new(t, -1, 0, 0);

		if (!nd)
			return -1;
		*nd = s->v[i];
		nd->depth = (uint16_t)(s->v[i].depth + t->depth);
		nd->label_off += (uint32_t)text0;
		nd->val_off += (uint32_t)text0;
		if (nd->has_bytes && map[nd->src] == 0xff)
			nd->has_bytes = false;
		else if (nd->has_bytes)
			nd->src = map[nd->src];
	}
	return 0;
}

void
ptree_print(const struct ptree *t, struct buf *out)
{
	static const char spaces[] = "                                ";
	size_t i;
	unsigned hide = 0xffff;		/* depth below which to skip */

	for (i = 0; i < t->n; i++) {
		const struct ptree_node *nd = &t->v[i];
		unsigned d = nd->depth;

		if (nd->hidden || d > hide)
			continue;
		hide = nd->open ? 0xffff : d;
		while (d > 8) {
			buf_append(out, spaces, 32);
			d -= 8;
		}
		buf_append(out, spaces, 4 * d);
		buf_append(out, t->text.data + nd->label_off, nd->label_len);
		buf_append(out, "\n", 1);
	}
}

void
ptree_print_sources(const struct ptree *t, struct buf *out)
{
	unsigned k;

	for (k = 1; k < t->nsrc; k++) {
		size_t n;
		const uint8_t *p = ptree_bytes(t, k, &n);

		buf_printf(out, "%s (%zu bytes):\n", t->src[k].name, n);
		print_hex(out, p, n);
	}
}

/* The bytes of node nd, to the end of its source when to_end; frame
 * (may be NULL) stands for an empty frame source. */
static struct span
node_bytes(const struct ptree *t, const struct ptree_node *nd, bool to_end,
	   const struct span *frame)
{
	size_t n = 0;
	const uint8_t *p = nd->has_bytes ? ptree_bytes(t, nd->src, &n) : NULL;

	if (!p && nd->has_bytes && nd->src == PTREE_SRC_FRAME && frame) {
		p = (const uint8_t *)frame->p;
		n = frame->len;
	}
	if (!p || nd->off > n)
		return (struct span){ "", 0 };
	n -= nd->off;
	if (!to_end && nd->len < n)
		n = nd->len;
	return (struct span){ (const char *)p + nd->off, n };
}

static int
node_value(const struct ptree *t, size_t i, struct filter_value *out,
	   int max, int n, const struct span *frame)
{
	const struct ptree_node *nd = &t->v[i];

	switch (nd->type) {
	case PT_INT:
	case PT_FRAME:
		return filter_put_int(out, max, n, nd->ival);
	case PT_TIME:
		return filter_put_time(out, max, n, nd->dval);
	case PT_ADDR:
		return filter_put_addr(out, max, n, (const uint8_t *)
				       t->text.data + nd->val_off,
				       (int)nd->val_len);
	case PT_STR:
		return filter_put_str(out, max, n, (struct span){
			t->text.data + nd->val_off, nd->val_len });
	case PT_PROTO:
	case PT_BYTES:
		return filter_put_str(out, max, n, node_bytes(t, nd,
						nd->type == PT_PROTO, frame));
	}
	return filter_put_int(out, max, n, 1);
}

int
ptree_node_value(const struct ptree *t, size_t i, struct filter_value *out,
		 int max, int n)
{
	return node_value(t, i, out, max, n, NULL);
}

/* Wireshark's "either" fields (ip.addr, tcp.port, ...): a node of the
 * source or destination field is one of theirs too, in tree order. */
static int
either_of(int field)
{
	switch (field) {
	case FF_IP_SRC: case FF_IP_DST:
		return FF_IP_ADDR;
	case FF_IPV6_SRC: case FF_IPV6_DST:
		return FF_IPV6_ADDR;
	case FF_TCP_SRCPORT: case FF_TCP_DSTPORT:
		return FF_TCP_PORT;
	case FF_UDP_SRCPORT: case FF_UDP_DSTPORT:
		return FF_UDP_PORT;
	case FF_ETH_SRC: case FF_ETH_DST:
		return FF_ETH_ADDR;
	}
	return -1;
}

bool
ptree_node_is(const struct ptree *t, size_t i, int field)
{
	return t->v[i].field == field ||
	       (t->v[i].field >= 0 && either_of(t->v[i].field) == field);
}

static int
lookup_range(const struct ptree *t, size_t lo, size_t hi, int field,
	     struct filter_value *out, int max, int n,
	     const struct span *frame)
{
	for (size_t i = lo; i < hi && i < t->n; i++)
		if (ptree_node_is(t, i, field))
			n = node_value(t, i, out, max, n, frame);
	return n;
}

int
ptree_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	const struct ptree *t = ctx;

	return lookup_range(t, 0, t->n, field, out, max, 0, NULL);
}

int
ptree_view_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	const struct ptree_view *pv = ctx;
	struct span fr = { (const char *)pv->frame, pv->frame_len };
	int n = 0;

	for (unsigned k = 0; k < pv->n; k++)
		n = lookup_range(pv->part[k].t, pv->part[k].lo, pv->part[k].hi,
				 field, out, max, n, pv->frame ? &fr : NULL);
	return n;
}
