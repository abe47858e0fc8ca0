/*
 * detail.c - the selected frame on demand: its -V tree (with the byte
 * range of each node for the hex pane) and the follow-stream text.
 *
 * Both replay one TCP stream only: the frames of stream S up to the one
 * wanted are read back and fed to a fresh flow table.  The tree needs the
 * pairing of the whole capture ("[Response in frame: N]"), so the
 * dissector runs in replay mode over a copy of stream S's records, links
 * renumbered, and the sniffer's print_http_tree / print_tree do the rest.
 *
 * A cleaner shared API would be a sniffer call "decode frame N into a
 * frame_view" and a tree printer that emits nodes with byte offsets;
 * until then the tree is the -V text parsed back by indentation and the
 * byte ranges are found per layer (and per header line inside HTTP).
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"

struct replay {
	struct tui_index *ix;
	struct records rs;		/* stream S's records, replay mode */
	uint32_t want;			/* frame whose messages are printed */
	uint32_t cur;
	uint32_t heads_from;		/* copy heads from this frame on */
	uint32_t heads_until;		/* ... up to the frame completing them */
	struct buf info, tree;
	struct tui_text *follow;	/* de-chunked HTTP follow view */
};

/* Text for the screen: no CR, other control and 8-bit bytes as dots. */
static void
follow_clean(struct buf *out, const char *p, size_t n)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r')
			continue;
		buf_append(out, c == '\n' || (c >= 32 && c < 127) ? &p[i] : ".",
			   1);
	}
	if (out->len && out->data[out->len - 1] == '\n')
		out->len--;
}

/* Follow, HTTP view: each message's head and decoded body. */
static void
follow_message(struct replay *rp, const struct http_view *v)
{
	int k = v->dir == DIR_CLIENT ? TUI_K_CLIENT : TUI_K_SERVER;
	char note[96];

	follow_clean(&rp->info, v->head.p, v->head.len);
	tui_text_add(rp->follow, k, rp->info.data, rp->info.len);
	if (v->body.len) {
		follow_clean(&rp->info, v->body.p, v->body.len);
		tui_text_add(rp->follow, k, rp->info.data, rp->info.len);
	}
	if (v->body_cut || v->malformed) {
		snprintf(note, sizeof(note), "[%s]", v->malformed ? v->malformed :
			 "body cut: longer than kept");
		tui_text_add(rp->follow, TUI_K_MALFORMED, note, strlen(note));
	}
}

static void
replay_on_message(void *ctx, const struct http_view *v)
{
	struct replay *rp = ctx;

	if (rp->follow) {
		follow_message(rp, v);
		return;
	}
	if (rp->cur != rp->want)
		return;
	print_http_info(&rp->info, v);
	print_http_tree(&rp->tree, v, &rp->rs, &rp->ix->cap, true);
}

static const struct dissect_cb replay_cb = { .on_message = replay_on_message };

/* Global link (index + 1) -> local one; map[] is in increasing order. */
static uint32_t
remap(const uint32_t *map, size_t n, uint32_t link)
{
	size_t lo = 0, hi = n;

	if (!link)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map[mid] + 1 < link)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && map[lo] + 1 == link ? (uint32_t)lo + 1 : 0;
}

/* Copy stream st's records into rp->rs, links renumbered. */
static int
replay_records(struct replay *rp, uint32_t st)
{
	const struct records *all = &rp->ix->rs;
	struct records *rs = &rp->rs;
	uint32_t *map;
	size_t i, n = 0;

	memset(rs, 0, sizeof(*rs));
	map = malloc((all->n + 1) * sizeof(*map));
	rs->v = malloc((all->n + 1) * sizeof(*rs->v));
	rs->nstreams = (size_t)st + 1;
	rs->stream_nreq = calloc(rs->nstreams, sizeof(uint32_t));
	rs->stream_last = calloc(rs->nstreams, sizeof(uint32_t));
	if (!map || !rs->v || !rs->stream_nreq || !rs->stream_last) {
		free(map);
		return -1;
	}
	for (i = 0; i < all->n; i++)
		if (rec_get(all, i)->stream == st)
			map[n++] = (uint32_t)i;
	for (i = 0; i < n; i++) {
		struct http_rec *r = &rs->v[i];
		const struct http_rec *req;

		*r = *rec_get(all, map[i]);
		r->copy = NULL;
		/* a response shown needs its request's head ([Request URI]) */
		req = r->frame == rp->want && r->type == REC_RESPONSE ?
		      rec_link(all, r->pair) : NULL;
		if (req && req->first_frame < rp->heads_from)
			rp->heads_from = req->first_frame;
		if (req && req->frame > rp->heads_until)
			rp->heads_until = req->frame;
		r->pair = remap(map, n, r->pair);
		r->prev = remap(map, n, r->prev);
		r->next = remap(map, n, r->next);
	}
	rs->n = rs->cap = n;
	rs->stream_nreq[st] = rec_stream_requests(all, st);
	rs->replay = true;
	free(map);
	return 0;
}

static void
replay_free(struct replay *rp)
{
	rec_free(&rp->rs);	/* the head copies the replay made, too */
	buf_free(&rp->info);
	buf_free(&rp->tree);
}

/*
 * Feed stream st's frames up to frame last through a fresh flow table.
 * For last itself, *pk and *ri describe it afterwards.
 */
static int
replay_stream(struct replay *rp, uint32_t st, uint32_t last,
	      const struct reasm_cb *cb, void *cbctx, struct pkt *pk,
	      struct reasm_info *ri)
{
	struct tui_index *ix = rp->ix;
	struct reasm_limits lim = { REASM_FLOW_MEM_DEFAULT,
				    REASM_TOTAL_MEM_DEFAULT };
	struct reasm *ra = reasm_new(&lim, cb, cbctx);
	uint32_t no;

	if (!ra)
		return -1;
	for (no = 1; no <= last && no <= ix->nrows; no++) {
		if (ix->rows[no - 1].stream != st)
			continue;
		if (!tui_index_frame(ix, no, pk))
			continue;
		rp->cur = no;
		rp->rs.keep_heads = no >= rp->heads_from;
		if (cb == &dissect_reasm_cb)
			dissect_frame_start(cbctx);
		reasm_packet(ra, pk, no, ri);
		if (ri->flow)	/* numbered as in the whole capture */
			ri->flow->stream = st;
	}
	if (last == UINT32_MAX)
		reasm_finish(ra, (uint32_t)ix->nrows);
	reasm_free(ra);
	return 0;
}

/* Byte range of a node: its layer, or the exact header line in HTTP. */
static void
highlight(struct tui_tree *t, const struct pkt *pk)
{
	size_t i;
	int32_t lo = 0, hi = (int32_t)pk->caplen;

	for (i = 0; i < t->n; i++) {
		struct tui_node *nd = &t->v[i];
		const char *s = t->text.data + nd->off;
		size_t n = nd->len;

		if (nd->depth == 0) {
			lo = 0;
			hi = (int32_t)pk->caplen;
			if (!strncmp(s, "Frame ", 6)) {
			} else if (!strncmp(s, "Internet Protocol", 17)) {
				lo = pk->ip_off;
				hi = pk->ip_off + pk->ip_hlen;
			} else if (!strncmp(s, "Transmission Control", 20)) {
				lo = pk->tcp_off;
				hi = pk->tcp_off + pk->tcp_hlen;
			} else if (pk->tcp && i > 0 && pk->payload_len) {
				lo = pk->payload_off;
			} else if (pk->ipver) {
				hi = pk->ip_off;
			}
		} else if (pk->tcp && pk->payload_len && n > 4 &&
			   !memcmp(s + n - 4, "\\r\\n", 4) &&
			   lo == pk->payload_off) {
			/* an HTTP line: find it in this frame's payload */
			const uint8_t *p = pk->data + pk->payload_off;
			size_t m = pk->payload_len, k;

			for (k = 0; n - 4 > 0 && k + n - 4 <= m; k++) {
				if (!memcmp(p + k, s, n - 4)) {
					nd->hl_off = (int32_t)(pk->payload_off + k);
					nd->hl_len = (int32_t)(n - 4 + 2);
					break;
				}
			}
			if (nd->hl_off >= 0)
				continue;
		}
		nd->hl_off = lo;
		nd->hl_len = hi > lo ? hi - lo : 0;
	}
}

/* Replay stream st up to frame no, rendering no's HTTP info and tree. */
static int
detail_replay(struct replay *rp, uint32_t st, uint32_t no)
{
	struct dissect ds;
	struct pkt pk;
	struct reasm_info ri;

	if (replay_records(rp, st) < 0)
		return -1;
	if (rp->heads_until > no) {
		/* a 100 Continue shown before its request completes: a first
		 * run copies the request's head, as pass 1 of `sniff -V` does */
		rp->want = 0;
		dissect_init(&ds, &rp->rs, &replay_cb, rp, 0);
		replay_stream(rp, st, rp->heads_until, &dissect_reasm_cb, &ds,
			      &pk, &ri);
		rec_replay(&rp->rs);
		rp->want = no;
	}
	dissect_init(&ds, &rp->rs, &replay_cb, rp, 1u << 20);
	return replay_stream(rp, st, no, &dissect_reasm_cb, &ds, &pk, &ri);
}

int
tui_index_detail(struct tui_index *ix, uint32_t no, struct tui_tree *tree,
		 struct buf *bytes)
{
	struct replay rp;
	struct pkt pk;
	struct reasm_info ri;
	struct buf out;
	const struct tui_frow *r;
	const struct frame_rec *fr;
	struct frame_view fv;
	struct flow fl;
	int rc = -1;

	if (!no || no > ix->nrows)
		return -1;
	r = &ix->rows[no - 1];
	memset(&rp, 0, sizeof(rp));
	memset(&ri, 0, sizeof(ri));
	buf_init(&out);
	rp.ix = ix;
	rp.want = no;
	rp.heads_from = UINT32_MAX;
	/* only a frame that completes HTTP messages needs its stream again */
	if (r->stream != TUI_NO_STREAM && r->info_len &&
	    detail_replay(&rp, r->stream, no) < 0)
		goto done;
	/* the stream replay ends on frame no; read it again for its bytes */
	if (!tui_index_frame(ix, no, &pk))
		goto done;
	/* the row holds what the whole-capture pass computed (the replay's
	 * flow table is gone by now) */
	tui_index_ri(r, &pk, &fl, &ri);
	fr = cap_frame(&ix->cap, no - 1);
	memset(&fv, 0, sizeof(fv));
	fv.no = no;
	fv.fr = fr;
	fv.pk = &pk;
	fv.ri = &ri;
	fv.rel_ns = cap_frame_ns(fr) - ix->first_ns;
	fv.delta_ns = no > 1 ? cap_frame_ns(fr) -
			       cap_frame_ns(cap_frame(&ix->cap, no - 2)) : 0;
	fv.http_info = rp.info.len ? rp.info.data : NULL;
	fv.http_tree = rp.tree.len ? rp.tree.data : NULL;
	fv.pdu = r->flags & TUI_F_PDU;
	print_tree(&out, &fv, EXPAND_ALL);
	if (tui_tree_load(tree, out.data ? out.data : "", out.len) < 0)
		goto done;
	highlight(tree, &pk);
	buf_reset(bytes);
	buf_append(bytes, pk.data, pk.caplen);
	rc = 0;
done:
	replay_free(&rp);
	buf_free(&out);
	return rc;
}

/* Follow, raw views: the bytes of each direction in order. */
struct follow {
	struct tui_text *tv;
	bool hex;
	uint64_t off[2];
	char addr[2][80];
};

static void
follow_ascii(struct follow *fw, int k, const uint8_t *p, size_t n)
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
follow_hex(struct follow *fw, int dir, int k, const uint8_t *p, size_t n)
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
follow_data(void *ctx, struct flow *f, int dir, const uint8_t *p, size_t n,
	    uint32_t frame)
{
	struct follow *fw = ctx;
	int k = dir == DIR_CLIENT ? TUI_K_CLIENT : TUI_K_SERVER;

	(void)frame;
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
follow_gap(void *ctx, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	struct follow *fw = ctx;
	char s[64];

	(void)f;
	(void)frame;
	snprintf(s, sizeof(s), "[%llu bytes missing in capture]",
		 (unsigned long long)n);
	tui_text_add(fw->tv, TUI_K_MALFORMED, s, strlen(s));
	fw->off[dir] += n;
}

static void
follow_nop(void *ctx, struct flow *f, int dir, uint32_t frame)
{
	(void)ctx, (void)f, (void)dir, (void)frame;
}

static void
follow_release(void *ctx, struct flow *f)
{
	(void)ctx, (void)f;
}

static const struct reasm_cb follow_cb = {
	follow_data, follow_gap, follow_nop, follow_release,
};

int
tui_index_follow(struct tui_index *ix, uint32_t st, int mode,
		 struct tui_text *tv)
{
	static const char *names[] = { "ASCII", "hex", "HTTP, de-chunked" };
	struct replay rp;
	struct follow fw;
	struct dissect ds;
	struct pkt pk;
	struct reasm_info ri;
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
		else {
			dissect_init(&ds, &rp.rs, &replay_cb, &rp, 1u << 20);
			rc = replay_stream(&rp, st, UINT32_MAX, &dissect_reasm_cb,
					   &ds, &pk, &ri);
		}
	} else {
		rc = replay_stream(&rp, st, UINT32_MAX, &follow_cb, &fw, &pk,
				   &ri);
	}
	replay_free(&rp);
	if (!tv->n)
		tui_text_add(tv, TUI_K_PLAIN, "(no data in this stream)", 24);
	return rc;
}
