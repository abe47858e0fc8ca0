/*
 * tls_ptree.c - TLS records as protocol-tree nodes (see tls_ptree.h).
 */
#include <string.h>

#include "tls_ptree.h"
#include "tls_tree.h"

/* Where the bytes of one TLS record's nodes are in the tree. */
struct tls_at {
	struct ptree *t;
	int src[2];			/* record bytes, decrypted bytes */
	size_t base[2];			/* offset of each in its source */
	uint16_t depth;			/* of the "Transport Layer Security" */
};

/* One TLS node into the tree, with its field's typed value. */
static void
tls_node_add(void *ctx, const struct tls_node *n)
{
	struct tls_at *a = ctx;
	struct ptree *t = a->t;
	const struct filter_field_info *fi = n->field ?
		filter_field_find(n->field, strlen(n->field)) : NULL;
	long k;

	while (t->depth > a->depth + 1 + n->depth)
		ptree_pop(t);
	while (t->depth < a->depth + 1 + n->depth)
		ptree_push(t);
	k = ptree_add_text(t, a->src[n->src], a->base[n->src] + n->off,
			   n->len, n->label, strlen(n->label));
	if (!fi || k < 0)
		return;
	if (!strcmp(fi->type, "string") && n->str)
		ptree_str(t, k, fi->id, n->str, strlen(n->str));
	else if (!strcmp(fi->type, "protocol"))
		ptree_proto(t, k, fi->id);
	else if (!strcmp(fi->type, "bytes"))
		ptree_bytesval(t, k, fi->id);	/* -T fields: its hex */
	else if (n->has_num)
		ptree_int(t, k, fi->id, (int64_t)n->num);
}

static const struct tls_tree_cb tls_nodes = { tls_node_add };

/* The record's own bytes: in the frame, else a "Reassembled TCP" source. */
static void
tls_record_where(const struct cap_pipe *pp, const struct flow *f,
		 const struct tls_record *r, struct tls_at *a)
{
	size_t len = 5u + r->len;
	unsigned i;

	for (i = 0; i < pp->nsegs; i++) {
		const struct cap_seg *sg = &pp->segs[i];

		if (sg->f == f && sg->dir == r->dir && r->off >= sg->stream_off &&
		    r->off + len <= sg->stream_off + sg->len) {
			a->src[0] = PTREE_SRC_FRAME;
			a->base[0] = sg->frame_off + (size_t)(r->off - sg->stream_off);
			return;
		}
	}
	a->src[0] = ptree_source(a->t, "Reassembled TCP", r->rec, len);
	a->base[0] = 0;
}

void
tls_ptree_record(struct ptree *t, const struct cap_pipe *pp,
		 const struct flow *f, const struct tls_record *r,
		 const struct tls_session *s)
{
	struct tls_at a = { .t = t, .src = { -1, -1 } };

	while (t->depth > 0)
		ptree_pop(t);
	if (t->n == 0) {
		long k = ptree_add(t, -1, 0, 0, "Transport Layer Security");

		ptree_proto(t, k, FF_TLS);
	}
	tls_record_where(pp, f, r, &a);
	if (r->dec == TLS_DECRYPTED && r->plain_len)
		a.src[1] = ptree_source(t, "Decrypted TLS", r->plain,
					r->plain_len);
	tls_tree_record(r, s, &tls_nodes, &a);
	while (t->depth > 0)
		ptree_pop(t);
}
