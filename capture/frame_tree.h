/*
 * frame_tree.h - the whole protocol tree of the frame being decoded,
 * collected from the capture session's hooks, and the one field lookup
 * over it: -Y, -T fields/json/ek, -V and the TUI's filter scan all read
 * a frame's fields from here (ptree.h has the design of the tree).
 *
 * Per frame: frame_tree_start(); from the hooks, frame_tree_message(),
 * frame_tree_tls(), frame_tree_ws(), frame_tree_h2() (each adds the
 * decoder's nodes while its spans are valid); then frame_tree_full()
 * puts the lower layers (print_tree.c) in front of them.  Filters match
 * the whole frame (frame_tree_match) or, for --json, --stats and --har,
 * the frame's lower layers with one HTTP message (frame_tree_match_msg).
 *
 * A decoder that adds nodes with filter fields (filter.c's table) makes
 * them filterable and printable by -T fields with no change here.
 */
#ifndef HTTPTOOL_FRAME_TREE_H
#define HTTPTOOL_FRAME_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "http_app.h"
#include "print.h"
#include "ptree.h"
#include "session.h"

struct frame_tree {
	struct ptree app;	/* HTTP, WebSocket, HTTP/2 nodes */
	struct ptree tls;	/* TLS records (shown before app's) */
	struct ptree full;	/* frame_tree_full(): the whole frame */
	struct ptree lower;	/* scratch: the layers below TLS/HTTP */
	size_t msg_lo, msg_hi;	/* the last message's nodes in app */
	uint32_t built;		/* frame number full holds, 0 none */
	unsigned built_expand;
	bool merged;		/* app appended to tls */
	bool nolabels;		/* set by the owner: app and tls only
				   serve a filter that reads no label
				   (frame_tree_labels_needed) */
};

/* A new frame (the trees keep their memory). */
void frame_tree_start(struct frame_tree *ft);

/*
 * An HTTP message completed in the frame: its nodes into app (open:
 * expanded).  ss: the session decoding it (for where its bytes are), or
 * NULL when the frame no longer holds them (end of capture).
 */
void frame_tree_message(struct frame_tree *ft, const struct cap_session *ss,
			const struct http_view *v, const struct records *rs,
			const struct capture *cap, bool open);

/* A TLS record ended in the frame (pp: the pipe decoding it). */
void frame_tree_tls(struct frame_tree *ft, const struct cap_pipe *pp,
		    const struct flow *f, const struct tls_record *r,
		    const struct tls_session *ts);

void frame_tree_ws(struct frame_tree *ft, const struct ws_frame *wf,
		   bool open);
void frame_tree_h2(struct frame_tree *ft, const struct h2_frame *hf,
		   bool open);

/*
 * The frame's whole tree for fv (fv->http is set to the frame's TLS and
 * app nodes), layers opened by expand; built once per frame number and
 * expand.  Valid until the next frame_tree_start().
 */
const struct ptree *frame_tree_full(struct frame_tree *ft,
				    struct frame_view *fv, unsigned expand);

/* Does f match the frame?  (NULL f: yes.)  Only the layers f names are
 * built (filter_layers), without labels, in ft->lower. */
bool frame_tree_match(struct frame_tree *ft, const struct filter *f,
		      struct frame_view *fv);

/* Does f match the frame's lower layers and TLS with the last message
 * added as its only HTTP? */
bool frame_tree_match_msg(struct frame_tree *ft, const struct filter *f,
			  const struct frame_view *fv);

/* Does f ask about TLS or application nodes (or frame.protocols, which
 * names the body's media)?  If not, a caller that only filters need not
 * add them (frame_tree_message, _tls, _ws, _h2). */
bool frame_tree_app_needed(const struct filter *f);

/* Does f read the labels of the app nodes (frame.protocols names the
 * body's media from them)?  If not, a caller that only filters may set
 * ft->nolabels. */
bool frame_tree_labels_needed(const struct filter *f);

/* The frame pp is decoding, as the printers see it (fv->http unset;
 * fv->http_info is "" when the frame completed messages). */
void frame_tree_view(struct frame_view *fv, const struct cap_session *s,
		     const struct cap_pipe *pp);

/* Does f ask about what only a kept body shows (http.file_data, forms,
 * multipart parts)?  Then the decoders must keep bodies. */
bool frame_tree_needs_bodies(const struct filter *f);
/* Is field one of those? */
bool frame_tree_body_field(int field);

void frame_tree_free(struct frame_tree *ft);

#endif
