/*
 * detail.c - the selected frame on demand: its protocol tree (ptree.h:
 * every node with its data source and byte range, for the bytes pane)
 * and the follow-stream text.
 *
 * Both are the session's replay of one TCP stream (cap_session_replay:
 * the frames of stream S up to the one wanted, through fresh decoders).
 * The tree needs the pairing of the whole capture ("[Response in frame:
 * N]"), so the dissector runs in replay mode over a copy of stream S's
 * records (cap_session_stream_records); the HTTP nodes (http_tree.c) and
 * the lower layers' (print_tree.c) are the very ones `sniff -V` prints.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/follow.h"
#include "capture/http_tree.h"
#include "capture/tls_names.h"
#include "capture/tls_ptree.h"
#include "capture/print_app.h"
#include "index.h"

struct replay {
	struct tui_index *ix;
	struct records rs;		/* stream S's records, replay mode */
	uint32_t want;			/* frame whose messages are printed */
	uint32_t cur;
	uint32_t heads_from;		/* copy heads from this frame on */
	uint32_t heads_until;		/* ... up to the frame completing them */
	struct buf info, tree;
	struct ptree htree;		/* the frame's HTTP nodes */
	struct ptree tlstree;		/* ... and TLS records, before them */
	struct tui_text *follow;	/* de-chunked HTTP follow view */
	unsigned msgs, apps;		/* HTTP/1.x messages, app frames */
	/* frame want's TCP state as the replay left it (frame_done) */
	bool have_ri;
	struct reasm_info ri;
	struct pdu_block pdu[CAP_PDU_BLOCKS];
	unsigned npdu;
	struct seg_span *pdu_segs;
};

/* Text for the screen: no CR, other control and 8-bit bytes as dots;
 * the blank line that ends a head stays. */
static void
follow_clean(struct buf *out, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r')
			continue;
		buf_append(out, c == '\n' || (c >= 32 && c < 127) ? &p[i] :
			   c == '\t' ? " " : ".", 1);
	}
}

/* Follow, HTTP view: each message as --follow-http shows it (follow.c:
 * the head, the body de-chunked and decompressed, notes after it). */
static void
follow_msg(struct replay *rp, const struct http_view *v)
{
	int k = v->dir == DIR_CLIENT ? TUI_K_CLIENT : TUI_K_SERVER;
	struct buf dec = BUF_INIT, note = BUF_INIT;
	struct span body = follow_http_body(v, &dec, &note);

	buf_reset(&rp->info);
	follow_clean(&rp->info, v->head.p, v->head.len);
	follow_clean(&rp->info, body.p, body.len);
	tui_text_add(rp->follow, k, rp->info.data ? rp->info.data : "",
		     rp->info.len);
	if (v->body_cut)
		buf_printf(&note, "[%llu more body bytes not kept]\n",
			   (unsigned long long)(v->body_total - v->body.len));
	if (v->malformed)
		buf_printf(&note, "[%s]\n", v->malformed);
	if (note.len)
		tui_text_add(rp->follow, TUI_K_MALFORMED, note.data,
			     note.len - 1);
	buf_free(&dec);
	buf_free(&note);
}

static void
replay_on_message(void *ctx, const struct http_view *v)
{
	struct replay *rp = ctx;
	struct http_where w;

	if (rp->follow) {
		follow_msg(rp, v);
		return;
	}
	if (rp->cur != rp->want || (v->r && v->r->h2_stream))
		return;		/* HTTP/2: shown by its frames */
	rp->msgs++;
	print_http_info(&rp->info, v);
	http_tree_where(&rp->ix->ss, v, &rp->htree, &w);
	http_tree_add(&rp->htree, v, &rp->rs, &rp->ix->ss.cap, true, &w);
}

static void
replay_on_frame(void *ctx, uint32_t no)
{
	struct replay *rp = ctx;

	rp->cur = no;
	rp->rs.keep_heads = no >= rp->heads_from;
}

static void
replay_on_tls(void *ctx, const struct flow *f, const struct tls_record *r,
	      const struct tls_session *ts)
{
	struct replay *rp = ctx;

	if (!rp->follow && rp->cur == rp->want && rp->ix->ss.cur)
		tls_ptree_record(&rp->tlstree, rp->ix->ss.cur, f, r, ts);
}

/* WebSocket and HTTP/2 frames: Info and nodes, as sniff -V has them */
static bool
replay_app(struct replay *rp, const char *sep)
{
	if (rp->follow || rp->cur != rp->want)
		return false;
	if (rp->apps++ || rp->msgs)
		buf_puts(&rp->info, sep);
	return true;
}

static void
replay_on_ws(void *ctx, const struct flow *f, int dir,
	     const struct ws_frame *wf)
{
	struct replay *rp = ctx;

	(void)f;
	(void)dir;
	if (!replay_app(rp, " "))
		return;
	print_ws_info(&rp->info, wf);
	app_tree_ws(&rp->htree, wf, true);
}

static void
replay_on_h2(void *ctx, const struct flow *f, int dir,
	     const struct h2_frame *hf)
{
	struct replay *rp = ctx;

	(void)f;
	(void)dir;
	if (!replay_app(rp, ", "))
		return;
	print_h2_info(&rp->info, hf);
	app_tree_h2(&rp->htree, hf, true);
}

/* Frame want is decoded: keep its TCP analysis, timestamps and the
 * segments of the messages it completed (the flow goes with the replay) */
static void
replay_on_done(void *ctx, const struct cap_pipe *pp)
{
	struct replay *rp = ctx;
	size_t n = pp->npdu_segs * sizeof(*pp->pdu_segs);

	if (rp->follow || pp->no != rp->want || !pp->ri.flow)
		return;
	rp->ri = pp->ri;
	rp->have_ri = true;
	rp->npdu = pp->npdu;
	memcpy(rp->pdu, pp->pdu, pp->npdu * sizeof(pp->pdu[0]));
	free(rp->pdu_segs);
	rp->pdu_segs = n ? malloc(n) : NULL;
	if (rp->pdu_segs)
		memcpy(rp->pdu_segs, pp->pdu_segs, n);
	else
		rp->npdu = 0;
}

static const struct cap_session_hooks replay_hooks = {
	.frame = replay_on_frame, .message = replay_on_message,
	.frame_done = replay_on_done,
	.tls_record = replay_on_tls,
	.ws_frame = replay_on_ws, .h2_frame = replay_on_h2,
};

/* Copy stream st's records into rp->rs, and which heads to copy. */
static int
replay_records(struct replay *rp, uint32_t st)
{
	struct records *rs = &rp->rs;
	size_t i;

	if (cap_session_stream_records(&rp->ix->ss, st, rs) < 0)
		return -1;
	for (i = 0; i < rs->n; i++) {
		const struct http_rec *r = &rs->v[i], *req;

		/* a response shown needs its request's head ([Request URI]) */
		req = r->frame == rp->want && r->type == REC_RESPONSE ?
		      rec_link(rs, r->pair) : NULL;
		if (req && req->first_frame < rp->heads_from)
			rp->heads_from = req->first_frame;
		if (req && req->frame > rp->heads_until)
			rp->heads_until = req->frame;
	}
	return 0;
}

static void
replay_free(struct replay *rp)
{
	rec_free(&rp->rs);	/* the head copies the replay made, too */
	buf_free(&rp->info);
	buf_free(&rp->tree);
	ptree_free(&rp->htree);
	ptree_free(&rp->tlstree);
	free(rp->pdu_segs);
}

/* Replay stream st up to frame no, rendering no's HTTP info and tree. */
static int
detail_replay(struct replay *rp, uint32_t st, uint32_t no)
{
	struct cap_session *ss = &rp->ix->ss;

	if (replay_records(rp, st) < 0)
		return -1;
	if (rp->heads_until > no) {
		/* a 100 Continue shown before its request completes: a first
		 * run copies the request's head, as pass 1 of `sniff -V` does */
		rp->want = 0;
		cap_session_replay(ss, st, rp->heads_until, &rp->rs, 0,
				   &replay_hooks, rp);
		rec_replay(&rp->rs);
		rp->want = no;
	}
	return cap_session_replay(ss, st, no, &rp->rs, 1u << 20, &replay_hooks,
				  rp);
}

int
tui_index_detail(struct tui_index *ix, uint32_t no, struct tui_tree *tree,
		 struct buf *bytes)
{
	struct replay rp;
	struct pkt pk;
	struct reasm_info ri;
	struct ptree pt;
	const struct cap_row *r;
	const struct frame_rec *fr;
	struct frame_view fv;
	struct flow fl;
	int rc = -1;

	if (!(r = cap_session_row(&ix->ss, no)))
		return -1;
	memset(&rp, 0, sizeof(rp));
	memset(&ri, 0, sizeof(ri));
	memset(&pt, 0, sizeof(pt));
	rp.ix = ix;
	rp.want = no;
	rp.heads_from = UINT32_MAX;
	/* a TCP frame's tree needs its stream's state: replay it */
	if (r->stream != TUI_NO_STREAM && detail_replay(&rp, r->stream, no) < 0)
		goto done;
	/* the stream replay ends on frame no; read it again for its bytes */
	if (!tui_index_frame(ix, no, &pk))
		goto done;
	/* the replay's TCP state of the frame (its flow is gone by now: a
	 * stand-in with the stream number), else the row's */
	cap_session_ri(&ix->ss, no, &pk, &fl, &ri);
	if (rp.have_ri) {
		ri = rp.ri;
		ri.flow = &fl;
	}
	fr = cap_frame(&ix->ss.cap, no - 1);
	memset(&fv, 0, sizeof(fv));
	fv.no = no;
	fv.fr = fr;
	fv.pk = &pk;
	fv.ri = &ri;
	fv.rel_ns = cap_session_rel_ns(&ix->ss, no);
	fv.delta_ns = no > 1 ? fv.rel_ns - cap_session_rel_ns(&ix->ss, no - 1) :
		      0;
	fv.http_info = rp.info.len ? rp.info.data : NULL;
	if (r->flags & CAP_F_TLS) {
		fv.tls_proto = tls_version_proto(r->tls_ver);
		if (!fv.tls_proto)
			fv.tls_proto = "TLS";
		fv.tls_info = ix->ss.info.data + r->info_off;
	}
	fv.http = &rp.htree;
	if (rp.tlstree.n) {	/* TLS first, then HTTP, as sniff -V */
		ptree_append(&rp.tlstree, &rp.htree);
		fv.http = &rp.tlstree;
	}
	/* or its held bytes went into a message completed later */
	fv.pdu = (r->flags & CAP_F_PDU) ||
		 (cap_session_pdu_in(&ix->ss, no) && !rp.msgs && !r->app);
	fv.app_proto = cap_app_proto(r->app);
	fv.http_msgs = rp.msgs > 0;
	if (ri.flow) {
		struct cap_stream_info si = cap_session_stream(&ix->ss,
							       r->stream);

		fv.tcp_compl = si.completeness;
		fv.tcp_irtt_ns = si.irtt_ns;
		fv.pdu_in = cap_session_pdu_in(&ix->ss, no);
		fv.pdus = rp.pdu;
		fv.npdus = rp.npdu;
		fv.pdu_segs = rp.pdu_segs;
	}
	print_tree_add(&pt, &fv, EXPAND_ALL);
	if (tui_tree_load(tree, &pt) < 0)
		goto done;
	buf_reset(bytes);
	buf_append(bytes, pk.data, pk.caplen);
	rc = 0;
done:
	replay_free(&rp);
	ptree_free(&pt);
	return rc;
}

/* Follow, raw views: the bytes of each direction in order. */
struct tui_follow {
	struct tui_text *tv;
	bool hex;
	uint64_t off[2];
	char addr[2][80];
};

static void
follow_ascii(struct tui_follow *fw, int k, const uint8_t *p, size_t n)
{
	char line[256];
	size_t i = 0, w = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' || w == sizeof(line) - 1) {
			tui_text_add(fw->tv, k, line, w);
			w = 0;
			if (p[i] == '\n')
				continue;
		}
		line[w++] = p[i] == '\r' ? ' ' :
			    p[i] >= 32 && p[i] < 127 ? (char)p[i] :
			    p[i] == '\t' ? ' ' : '.';
	}
	if (w)
		tui_text_add(fw->tv, k, line, w);
}

static void
follow_hex(struct tui_follow *fw, int dir, int k, const uint8_t *p, size_t n)
{
	char line[128];
	size_t i, j, w;

	for (i = 0; i < n; i += 16) {
		w = (size_t)snprintf(line, sizeof(line), "%s%08llx  ",
				     dir ? "    " : "",
				     (unsigned long long)(fw->off[dir] + i));
		for (j = 0; j < 16; j++)
			w += (size_t)snprintf(line + w, sizeof(line) - w,
					      i + j < n ? "%02x " : "   ",
					      i + j < n ? p[i + j] : 0);
		line[w++] = ' ';
		for (j = 0; j < 16 && i + j < n; j++)
			line[w++] = p[i + j] >= 32 && p[i + j] < 127 ?
				    (char)p[i + j] : '.';
		tui_text_add(fw->tv, k, line, w);
	}
}

static void
follow_bytes(void *ctx, const struct flow *f, int dir, const uint8_t *p,
	    size_t n)
{
	struct tui_follow *fw = ctx;
	int k = dir == DIR_CLIENT ? TUI_K_CLIENT : TUI_K_SERVER;

	if (!fw->addr[0][0]) {
		int i;

		for (i = 0; i < 2; i++) {
			struct pkt tmp = { .ipver = f->ipver };
			char a[64];

			pkt_addr_str(&tmp, f->addr[i], a, sizeof(a));
			snprintf(fw->addr[i], sizeof(fw->addr[i]),
				 f->ipver == 6 ? "[%s]:%u" : "%s:%u", a,
				 f->port[i]);
		}
	}
	if (fw->hex)
		follow_hex(fw, dir, k, p, n);
	else
		follow_ascii(fw, k, p, n);
	fw->off[dir] += n;
}

static void
follow_gap(void *ctx, const struct flow *f, int dir, uint64_t n)
{
	struct tui_follow *fw = ctx;
	char s[64];

	(void)f;
	snprintf(s, sizeof(s), "[%llu bytes missing in capture]",
		 (unsigned long long)n);
	tui_text_add(fw->tv, TUI_K_MALFORMED, s, strlen(s));
	fw->off[dir] += n;
}

static const struct cap_session_hooks follow_hooks = {
	.data = follow_bytes, .gap = follow_gap,
};

int
tui_index_follow(struct tui_index *ix, uint32_t st, int mode,
		 struct tui_text *tv)
{
	static const char *names[] = { "ASCII", "hex",
				       "HTTP, de-chunked, decompressed" };
	struct replay rp;
	struct tui_follow fw;
	char title[96];
	int rc = 0;

	memset(&rp, 0, sizeof(rp));
	memset(&fw, 0, sizeof(fw));
	rp.ix = ix;
	rp.heads_from = UINT32_MAX;
	fw.tv = tv;
	fw.hex = mode == TUI_FOLLOW_HEX;
	snprintf(title, sizeof(title), "Follow TCP stream %u (%s)", st,
		 names[mode % 3]);
	tui_text_reset(tv, title);
	if (mode == TUI_FOLLOW_HTTP) {
		rp.follow = tv;
		if (replay_records(&rp, st) < 0)
			rc = -1;
		else
			rc = cap_session_replay(&ix->ss, st, UINT32_MAX, &rp.rs,
						1u << 20, &replay_hooks, &rp);
	} else {
		rc = cap_session_replay(&ix->ss, st, UINT32_MAX, NULL, 0,
					&follow_hooks, &fw);
	}
	replay_free(&rp);
	if (!tv->n)
		tui_text_add(tv, TUI_K_PLAIN, "(no data in this stream)", 24);
	return rc;
}
