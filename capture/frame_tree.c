/*
 * frame_tree.c - the protocol tree of one frame from the session's hooks
 * (see frame_tree.h), and matching filters against it.
 */
#include <string.h>

#include "frame_tree.h"
#include "http_tree.h"
#include "print_app.h"
#include "tls_ptree.h"

void
frame_tree_start(struct frame_tree *ft)
{
	ptree_reset(&ft->app, NULL, 0);
	ptree_reset(&ft->tls, NULL, 0);
	ft->app.nolabels = ft->tls.nolabels = ft->nolabels;
	ft->msg_lo = ft->msg_hi = 0;
	ft->built = 0;
	ft->merged = false;
}

void
frame_tree_message(struct frame_tree *ft, const struct cap_session *ss,
		   const struct http_view *v, const struct records *rs,
		   const struct capture *cap, bool open)
{
	struct http_where w;

	ft->msg_lo = ft->app.n;
	if (ss && tls_flow_session(v->flow)) {
		/* decrypted: not the frame's bytes (tshark's "Decrypted
		   TLS" source is the record's, in the TLS part) */
		memset(&w, 0, sizeof(w));
		w.src = -1;
	} else {
		http_tree_where(ss, v, &ft->app, &w);
	}
	http_tree_add(&ft->app, v, rs, cap, open, &w);
	ft->msg_hi = ft->app.n;
	ft->built = 0;
}

void
frame_tree_tls(struct frame_tree *ft, const struct cap_pipe *pp,
	       const struct flow *f, const struct tls_record *r,
	       const struct tls_session *ts)
{
	tls_ptree_record(&ft->tls, pp, f, r, ts);
	ft->built = 0;
}

void
frame_tree_ws(struct frame_tree *ft, const struct ws_frame *wf, bool open)
{
	app_tree_ws(&ft->app, wf, open);
	ft->built = 0;
}

void
frame_tree_h2(struct frame_tree *ft, const struct h2_frame *hf, bool open)
{
	app_tree_h2(&ft->app, hf, open);
	ft->built = 0;
}

/* The frame's TLS and app nodes as one tree (TLS first, then what it
 * carried, as tshark shows them): what frame_tree_full appends */
static const struct ptree *
app_nodes(struct frame_tree *ft)
{
	if (!ft->tls.n)
		return &ft->app;
	if (!ft->merged)
		ptree_append(&ft->tls, &ft->app);
	ft->merged = true;
	return &ft->tls;
}

const struct ptree *
frame_tree_full(struct frame_tree *ft, struct frame_view *fv, unsigned expand)
{
	fv->http = app_nodes(ft);
	if (ft->built == fv->no && ft->built_expand == expand)
		return &ft->full;
	print_tree_add(&ft->full, fv, expand);
	ft->built = fv->no;
	ft->built_expand = expand;
	return &ft->full;
}

#define LOWER_LAYERS (FILTER_L_FRAME | FILTER_L_LINK | FILTER_L_IP | \
		      FILTER_L_TRANSPORT)

/*
 * The filter sees the frame's whole tree as frame_tree_full builds it,
 * in the same order, but only the layers it names are built, without
 * labels: a filter on HTTP fields builds no lower layer, one on TCP
 * fields only the TCP nodes.
 */
bool
frame_tree_match(struct frame_tree *ft, const struct filter *f,
		 struct frame_view *fv)
{
	unsigned need = filter_layers(f);
	struct ptree_view pv = { .n = 0 };
	const struct ptree *app;

	if (!f)
		return true;
	app = app_nodes(ft);
	fv->http = app;
	if (need & LOWER_LAYERS) {
		print_tree_fields(&ft->lower, fv, need);
		pv.part[pv.n++] = (struct ptree_part){ &ft->lower, 0,
						       ft->lower.n };
	}
	if (need & FILTER_L_APP)
		pv.part[pv.n++] = (struct ptree_part){ app, 0, app->n };
	pv.frame = fv->pk->data;
	pv.frame_len = fv->pk->caplen;
	return filter_match(f, ptree_view_lookup, &pv);
}

bool
frame_tree_match_msg(struct frame_tree *ft, const struct filter *f,
		     const struct frame_view *fv)
{
	unsigned need = filter_layers(f);
	struct frame_view lv = *fv;
	struct ptree_view pv = { .n = 0 };

	if (!f)
		return true;
	lv.http = NULL;
	if (need & LOWER_LAYERS) {
		print_tree_fields(&ft->lower, &lv, need);
		pv.part[pv.n++] = (struct ptree_part){ &ft->lower, 0,
						       ft->lower.n };
	}
	if (need & FILTER_L_APP) {
		if (ft->tls.n && !ft->merged)
			pv.part[pv.n++] = (struct ptree_part){ &ft->tls, 0,
							       ft->tls.n };
		pv.part[pv.n++] = (struct ptree_part){ &ft->app, ft->msg_lo,
						       ft->msg_hi };
	}
	pv.frame = fv->pk->data;
	pv.frame_len = fv->pk->caplen;
	return filter_match(f, ptree_view_lookup, &pv);
}

bool
frame_tree_app_needed(const struct filter *f)
{
	return filter_layers(f) & FILTER_L_APP;
}

bool
frame_tree_labels_needed(const struct filter *f)
{
	static const int fields[] = { FF_FRAME_PROTOCOLS };

	return filter_uses(f, fields, 1);
}

void
frame_tree_view(struct frame_view *fv, const struct cap_session *s,
		const struct cap_pipe *pp)
{
	memset(fv, 0, sizeof(*fv));
	fv->no = pp->no;
	fv->fr = cap_frame(&s->cap, pp->no - 1);
	fv->pk = &pp->pk;
	fv->ri = &pp->ri;
	fv->rel_ns = cap_session_rel_ns(s, pp->no);
	fv->delta_ns = pp->no > 1 ? fv->rel_ns -
		       cap_session_rel_ns(s, pp->no - 1) : 0;
	fv->http_info = pp->ds.frame_msgs || pp->ds.frame_app ? "" : NULL;
	/* pdu_in: held bytes of this frame went into a later message */
	fv->pdu = ((pp->ds.frame_pdu || cap_session_pdu_in(s, pp->no)) &&
		   !pp->ds.frame_msgs && !pp->ds.frame_app) ||
		  tls_pipe_frame_pdu(pp->tls, &pp->ds);
	fv->tls_proto = tls_pipe_frame_proto(pp->tls);
	fv->tls_info = tls_pipe_frame_info(pp->tls, &pp->ds);
	fv->app_proto = cap_app_proto(pp->app);
	fv->http_msgs = pp->ds.frame_msgs > 0;
}

static const int body_fields[] = {
	FF_HTTP_FILE_DATA, FF_URLENCODED_FORM, FF_URLENCODED_FORM_KEY,
	FF_URLENCODED_FORM_VALUE, FF_MIME_MULTIPART, FF_MIME_MULTIPART_PART,
	FF_MIME_MULTIPART_CT, FF_MIME_MULTIPART_CD, FF_HTTP_CHUNK_SIZE,
	FF_JSON, FF_JSON_OBJECT, FF_JSON_ARRAY, FF_JSON_MEMBER, FF_JSON_KEY,
	FF_JSON_PATH, FF_JSON_PATH_WITH_VALUE, FF_JSON_MEMBER_WITH_VALUE,
	FF_JSON_VALUE_STRING, FF_JSON_VALUE_NUMBER, FF_JSON_VALUE_TRUE,
	FF_JSON_VALUE_FALSE, FF_JSON_VALUE_NULL,
	FF_FRAME_PROTOCOLS,	/* its media layers */
};

bool
frame_tree_needs_bodies(const struct filter *f)
{
	return filter_uses(f, body_fields, sizeof body_fields /
			   sizeof body_fields[0]);
}

bool
frame_tree_body_field(int field)
{
	for (size_t i = 0; i < sizeof body_fields / sizeof body_fields[0]; i++)
		if (body_fields[i] == field)
			return true;
	return false;
}

void
frame_tree_free(struct frame_tree *ft)
{
	ptree_free(&ft->app);
	ptree_free(&ft->tls);
	ptree_free(&ft->full);
	ptree_free(&ft->lower);
	memset(ft, 0, sizeof(*ft));
}
