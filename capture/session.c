/*
 * session.c - the capture session (see session.h): one pipeline of
 * decoders, set up here only, fed a frame at a time; frames decoded
 * again on demand; one stream replayed through fresh decoders.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/bigarr.h"
#include "print.h"
#include "print_app.h"
#include "session.h"

/* ---- the pipeline: flow table taps, then the dissector ---- */

static void
tap_data(void *ctx, struct flow *f, int dir, const uint8_t *p, size_t n,
	 uint32_t frame)
{
	struct cap_pipe *pp = ctx;
	const uint8_t *fd = pp->pk.data;

	/* bytes of the frame itself (not held ones): where they are */
	if (fd && p >= fd && p + n <= fd + pp->pk.caplen &&
	    pp->nsegs < CAP_SEGS) {
		struct cap_seg *sg = &pp->segs[pp->nsegs++];

		sg->f = f;
		sg->dir = dir;
		sg->stream_off = f->d[dir].bytes;
		sg->frame_off = (uint32_t)(p - fd);
		sg->len = (uint32_t)n;
	}
	if (pp->hooks && pp->hooks->data)
		pp->hooks->data(pp->ctx, f, dir, p, n);
	/* TLS takes its flows' bytes and hands the plaintext on */
	if (pp->tls && tls_pipe_data(pp->tls, f, dir, p, n))
		return;
	if (pp->s->o.pdus)
		cap_pdu_data(pp, f, dir, n, f->d[dir].src_frame ?
			     f->d[dir].src_frame : frame);
	dissect_reasm_cb.data(&pp->ds, f, dir, p, n, frame);
}

static void
tap_gap(void *ctx, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	struct cap_pipe *pp = ctx;

	if (pp->hooks && pp->hooks->gap)
		pp->hooks->gap(pp->ctx, f, dir, n);
	if (pp->tls)
		tls_pipe_gap(pp->tls, f, dir);
	dissect_reasm_cb.gap(&pp->ds, f, dir, n, frame);
}

static void
tap_eof(void *ctx, struct flow *f, int dir, uint32_t frame)
{
	dissect_reasm_cb.eof(&((struct cap_pipe *)ctx)->ds, f, dir, frame);
}

static void
tap_release(void *ctx, struct flow *f)
{
	struct cap_pipe *pp = ctx;

	if (pp->tls)
		tls_pipe_release(pp->tls, f);
	dissect_reasm_cb.release(&pp->ds, f);
	cap_pdu_release(f);
}

static const struct reasm_cb pipe_reasm_cb = {
	tap_data, tap_gap, tap_eof, tap_release,
};

static int
kind_of(const struct http_view *v)
{
	if (v->malformed)
		return CAP_K_MALFORMED;
	if (v->msg->is_request)
		return CAP_K_REQUEST;
	switch (v->msg->status / 100) {
	case 1: return CAP_K_1XX;
	case 2: return CAP_K_2XX;
	case 3: return CAP_K_3XX;
	case 4: return CAP_K_4XX;
	default: return CAP_K_5XX;
	}
}

static void
on_message(void *ctx, const struct http_view *v)
{
	struct cap_pipe *pp = ctx;
	struct cap_session *s = pp->s;

	if (pp == &s->p && s->o.rows && s->p.no > s->nrows &&
	    !(v->r && v->r->h2_stream)) {	/* HTTP/2: its frames say it */
		int k = kind_of(v);

		/* several messages in a frame: tshark runs their texts
		 * together */
		print_http_info(&s->info, v);
		if (pp->kind != CAP_K_MALFORMED)
			pp->kind = (uint8_t)k;
	}
	if (s->o.pdus)
		cap_pdu_message(pp, v);
	if (pp->hooks && pp->hooks->message)
		pp->hooks->message(pp->ctx, v);
}

/* WebSocket and HTTP/2 frames: the row's Info, then the caller's hooks */
static bool
app_row(struct cap_pipe *pp)
{
	struct cap_session *s = pp->s;

	return pp == &s->p && s->o.rows && s->p.no > s->nrows;
}

static void
on_ws_frame(void *ctx, const struct flow *f, int dir,
	    const struct ws_frame *wf)
{
	struct cap_pipe *pp = ctx;

	pp->app = CAP_APP_WS;
	if (app_row(pp)) {
		if (pp->ds.frame_app > 1 || pp->ds.frame_msgs)
			buf_puts(&pp->s->info, " ");
		print_ws_info(&pp->s->info, wf);
	}
	if (pp->hooks && pp->hooks->ws_frame)
		pp->hooks->ws_frame(pp->ctx, f, dir, wf);
}

static void
on_ws_message(void *ctx, const struct flow *f, int dir,
	      const struct ws_message *m)
{
	struct cap_pipe *pp = ctx;

	if (pp->hooks && pp->hooks->ws_message)
		pp->hooks->ws_message(pp->ctx, f, dir, m);
}

static void
on_h2_frame(void *ctx, const struct flow *f, int dir,
	    const struct h2_frame *hf)
{
	struct cap_pipe *pp = ctx;

	pp->app = CAP_APP_H2;
	if (app_row(pp)) {
		if (pp->ds.frame_app > 1 || pp->ds.frame_msgs)
			buf_puts(&pp->s->info, ", ");
		print_h2_info(&pp->s->info, hf);
	}
	if (pp->hooks && pp->hooks->h2_frame)
		pp->hooks->h2_frame(pp->ctx, f, dir, hf);
}

static const struct dissect_cb pipe_dissect_cb = {
	.on_message = on_message, .on_ws_frame = on_ws_frame,
	.on_ws_message = on_ws_message, .on_h2_frame = on_h2_frame,
};

static void
limits(const struct cap_session *s, struct reasm_limits *lim)
{
	lim->flow_mem = s->o.flow_mem ? s->o.flow_mem : REASM_FLOW_MEM_DEFAULT;
	lim->total_mem = s->o.total_mem ? s->o.total_mem :
			 REASM_TOTAL_MEM_DEFAULT;
}

/* Fresh flow table and dissector for pp; 0 or -1 on ENOMEM. */
int
cap_pipe_start(struct cap_pipe *pp, struct records *rs, size_t keep_body)
{
	struct reasm_limits lim;

	limits(pp->s, &lim);
	reasm_free(pp->ra);
	dissect_init(&pp->ds, rs, &pipe_dissect_cb, pp, keep_body);
	pp->ds.held_max = lim.total_mem;	/* unfinished heads count too */
	pp->ra = reasm_new(&lim, &pipe_reasm_cb, pp);
	pp->no = 0;
	if (!pp->tls)
		pp->tls = tls_pipe_new(pp->s->o.keylog ? &pp->s->kl : NULL,
				       pp->s->o.keylog_live, &pp->ds);
	if (pp->tls) {
		pp->tls->ds = &pp->ds;
		pp->tls->env.held_max = lim.total_mem;	/* held TLS records */
		pp->tls->hook = pp->hooks ? pp->hooks->tls_record : NULL;
		pp->tls->hook_ctx = pp->ctx;
	}
	return pp->ra && pp->tls ? 0 : -1;
}

/* The fragment table's memory: its default, or less with --total-mem. */
size_t
cap_session_frag_mem(const struct cap_session *s)
{
	return s->o.total_mem && s->o.total_mem < IPFRAG_MEM_DEFAULT ?
	       s->o.total_mem : IPFRAG_MEM_DEFAULT;
}

/* Keep what the first pass learns of a stream for the second. */
static void
stream_note(struct cap_session *s, const struct flow *f)
{
	if (f->stream >= s->streams_cap) {
		size_t n = s->streams_cap ? s->streams_cap * 2 : 1024;
		struct cap_stream_info *v;

		while (n <= f->stream)
			n *= 2;
		v = realloc(s->streams, n * sizeof(*v));
		if (!v)
			return;
		memset(v + s->streams_cap, 0,
		       (n - s->streams_cap) * sizeof(*v));
		s->streams = v;
		s->streams_cap = n;
	}
	s->streams[f->stream].irtt_ns = f->an.irtt_ns;
	s->streams[f->stream].completeness = f->an.completeness;
	if (f->stream >= s->nstreams)
		s->nstreams = f->stream + 1;
}

struct cap_stream_info
cap_session_stream(const struct cap_session *s, uint32_t st)
{
	struct cap_stream_info z = { 0, 0 };

	return st < s->nstreams ? s->streams[st] : z;
}

/* Decode frame no of pp (data, caplen, len) through every layer. */
void
cap_pipe_decode(struct cap_pipe *pp, uint32_t no, int64_t ns,
	    const uint8_t *data, uint32_t caplen, uint32_t len)
{
	pp->no = no;
	pp->kind = 0;
	pp->app = CAP_APP_NONE;
	pp->nsegs = 0;
	pp->npdu = 0;
	pp->npdu_segs = 0;
	pp->s->cur = pp;
	memset(&pp->ri, 0, sizeof(pp->ri));
	if (pp->hooks && pp->hooks->frame)
		pp->hooks->frame(pp->ctx, no);
	pkt_decode_defrag(&pp->pk, pp->frag, no, ns,
			  cap_frame_dlt(&pp->s->cap, no - 1), data,
			  caplen, len);
	dissect_frame_start(&pp->ds);
	tls_pipe_frame_start(pp->tls, no);
	reasm_packet_at(pp->ra, &pp->pk, no, ns, &pp->ri);
	if (pp->s->o.pdus && pp->ri.flow && pp->ri.retrans)
		cap_pdu_resent(pp, pp->ri.flow, pp->ri.dir, pp->pk.seq,
			       pp->pk.payload_len, no);
	if (pp->ri.flow && pp->stream_as != CAP_NO_STREAM)
		pp->ri.flow->stream = pp->stream_as;
	if (pp->ri.flow && pp == &pp->s->p && !pp->s->rewound && pp->s->o.pdus)
		stream_note(pp->s, pp->ri.flow);
	if (pp->hooks && pp->hooks->frame_done)
		pp->hooks->frame_done(pp->ctx, pp);
	pp->s->cur = NULL;
}

bool
cap_session_in_frame(const struct cap_session *s, const struct http_view *v,
		     size_t len, uint32_t *off)
{
	const struct cap_pipe *pp = s->cur;
	unsigned i;

	for (i = 0; pp && i < pp->nsegs; i++) {
		const struct cap_seg *sg = &pp->segs[i];

		if (sg->f == v->flow && sg->dir == v->dir &&
		    v->stream_off >= sg->stream_off &&
		    v->stream_off + len <= sg->stream_off + sg->len) {
			*off = sg->frame_off +
			       (uint32_t)(v->stream_off - sg->stream_off);
			return true;
		}
	}
	return false;
}

/* ---- the session ---- */

void
cap_session_init(struct cap_session *s, const struct cap_session_opts *opts,
		 const struct cap_session_hooks *hooks, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->o = *opts;
	s->p.s = s;
	s->p.hooks = hooks;
	s->p.ctx = ctx;
	s->p.stream_as = CAP_NO_STREAM;
	rec_init(&s->rs, opts->keep_heads);
	keylog_open(&s->kl, opts->keylog);
	if (opts->record_ring)
		rec_set_ring(&s->rs, opts->record_ring);
}

static int
alloc_rbuf(struct cap_session *s)
{
	s->rbuf_size = 262144;
	s->rbuf = malloc(s->rbuf_size);
	if (!s->rbuf) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	return 0;
}

int
cap_session_open_file(struct cap_session *s, const char *path,
		      const char *bpf)
{
	if (cap_open_file(&s->cap, path, bpf) < 0) {
		snprintf(s->err, sizeof(s->err), "%s", s->cap.err);
		return -1;
	}
	s->cap.ring = s->o.frame_ring;
	return alloc_rbuf(s);
}

int
cap_session_open_live(struct cap_session *s, const struct cap_live_opts *lo)
{
	int r = cap_open_live(&s->cap, lo);

	if (r < 0) {
		snprintf(s->err, sizeof(s->err), "%s", s->cap.err);
		return r;
	}
	s->cap.ring = s->o.frame_ring;
	return alloc_rbuf(s);
}

int
cap_session_start(struct cap_session *s, size_t keep_body)
{
	int r = keylog_refresh(&s->kl);

	if (r < 0) {
		snprintf(s->err, sizeof(s->err), "cannot read the key log "
			 "'%s': %s", s->o.keylog, strerror(-r));
		return -1;
	}
	if (s->p.frag)
		ipfrag_restart(s->p.frag);
	else
		s->p.frag = ipfrag_new(cap_session_frag_mem(s), s->o.frag_history);
	if (!s->p.frag || cap_pipe_start(&s->p, &s->rs, keep_body) < 0) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	s->started = true;
	return 0;
}

int
cap_session_rewind(struct cap_session *s)
{
	rec_replay(&s->rs);
	s->rewound = true;
	if (cap_rewind(&s->cap) < 0) {
		snprintf(s->err, sizeof(s->err), "%s", s->cap.err);
		return -1;
	}
	return 0;
}

static struct cap_row *
row_add(struct cap_session *s)
{
	if (s->nrows == s->rows_cap) {
		/* a mapping of its own, grown by mremap (lib/bigarr.h): no
		 * copy, so no old and new arrays side by side at the peak */
		size_t n = s->rows_cap ? s->rows_cap * 2 : 8192;

		if (bigarr_resize((void **)&s->rows, s->rows_cap, n,
				  sizeof(*s->rows)) < 0)
			return NULL;
		s->rows_cap = n;
	}
	memset(&s->rows[s->nrows], 0, sizeof(s->rows[0]));
	return &s->rows[s->nrows++];
}

/* The frame just decoded has analysis marks: keep them (row_fill). */
static void
mark_add(struct cap_session *s, uint32_t no, const struct tcpa_info *a)
{
	if (s->nmarks == s->marks_cap) {
		size_t n = s->marks_cap ? s->marks_cap * 2 : 256;
		struct cap_mark *v = realloc(s->marks, n * sizeof(*v));

		if (!v)
			return;
		s->marks = v;
		s->marks_cap = n;
	}
	s->marks[s->nmarks++] = (struct cap_mark){ no, a->flags, a->dup_frame,
						   a->dup_num };
}

#define INFO_SEEN 4096	/* recent row texts remembered by hash */

/*
 * The row text just written at info[start, end) (NUL included): when a
 * recent row has the same text, the row shares it and info is cut back
 * (most rows of a busy capture say "GET / HTTP/1.1" or "HTTP/1.1 200
 * OK": 13 MB of 500,000 rows); the move is noted for the caller's own
 * offsets into the texts (moved_*).  Returns the text's offset.
 */
static size_t
info_intern(struct cap_session *s, size_t start)
{
	const char *p = s->info.data + start;
	size_t n = s->info.len - start, i;
	uint32_t h = 2166136261u, *slot, at;

	if (!s->info_seen && !(s->info_seen = calloc(INFO_SEEN,
						     sizeof(uint32_t))))
		return start;
	if (start >= UINT32_MAX)
		return start;
	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	slot = &s->info_seen[h % INFO_SEEN];
	at = *slot;
	if (at && at - 1 + n <= start &&
	    !memcmp(s->info.data + at - 1, p, n)) {
		s->info.len = start;
		s->moved_from = start;
		s->moved_to = at - 1;
		s->moved_len = n;
		return at - 1;
	}
	*slot = (uint32_t)start + 1;
	return start;
}

/* The row of the frame just decoded (opts.rows, first pass only). */
static void
row_fill(struct cap_session *s, size_t info_start)
{
	const struct cap_pipe *pp = &s->p;
	const struct reasm_info *ri = &pp->ri;
	struct cap_row *r = row_add(s);
	unsigned i;

	if (!r) {
		s->info.len = info_start;
		return;
	}
	r->stream = ri->flow ? ri->flow->stream : CAP_NO_STREAM;
	if (ri->flow && ri->an.flags)
		mark_add(s, pp->no, &ri->an);
	r->rel_seq = ri->rel_seq;
	r->rel_ack = ri->rel_ack;
	r->win = ri->win;
	r->flags = (uint8_t)((ri->flow ? CAP_F_FLOW : 0) |
			     (ri->an.flags & (TCPA_RETRANS | TCPA_FAST |
					      TCPA_SPURIOUS) ?
			      CAP_F_RETRANS : 0) |
			     (ri->an.flags & TCPA_LOST ? CAP_F_OOO : 0) |
			     (ri->an.flags & TCPA_OOO ? CAP_F_FILLED : 0) |
			     (ri->gap ? CAP_F_GAP : 0) |
			     (pp->pk.frag_done ? CAP_F_DEFRAG : 0) |
			     ((pp->ds.frame_pdu && !pp->ds.frame_msgs &&
			       !pp->ds.frame_app) ||
			      tls_pipe_frame_pdu(pp->tls, &pp->ds) ?
			      CAP_F_PDU : 0));
	if ((pp->ds.frame_msgs || pp->ds.frame_app) &&
	    s->info.len > info_start) {
		size_t n = s->info.len - info_start;

		r->info_len = (uint16_t)(n > 65535 ? 65535 : n);
		if (buf_append(&s->info, "", 1) == 0)
			info_start = info_intern(s, info_start);
		r->info_off = (uint32_t)info_start;
		r->kind = pp->kind;
		r->app = pp->ds.frame_app ? pp->app : CAP_APP_NONE;
	} else if (tls_pipe_frame_proto(pp->tls)) {
		/* TLS records and no HTTP message: TLS's Info */
		const char *t = tls_pipe_frame_info(pp->tls, &pp->ds);
		size_t n = t ? strlen(t) : 0;

		s->info.len = info_start;
		buf_append(&s->info, t ? t : "", n);
		r->info_len = (uint16_t)(n > 65535 ? 65535 : n);
		if (buf_append(&s->info, "", 1) == 0)
			info_start = info_intern(s, info_start);
		r->info_off = (uint32_t)info_start;
		r->flags |= CAP_F_TLS;
		r->tls_ver = pp->tls->frame_ver ? pp->tls->frame_ver : 1;
		r->kind = CAP_K_TCP;
	} else {
		s->info.len = info_start;
		r->kind = pp->pk.tcp ? CAP_K_TCP : CAP_K_PLAIN;
	}
	/* the fragments before it now know where they were completed */
	for (i = 0; pp->pk.frag_done && i < pp->pk.frag_done->npieces; i++) {
		uint32_t f = pp->pk.frag_done->pieces[i].frame;

		if (f && f < pp->no && f <= s->nrows)
			s->rows[f - 1].frag_in = pp->no;
	}
}

void
cap_session_feed(struct cap_session *s, const struct pcap_pkthdr *h,
		 const uint8_t *data)
{
	int64_t ns = (int64_t)h->ts.tv_sec * 1000000000 +
		     (int64_t)h->ts.tv_usec * (s->cap.nsec ? 1 : 1000);
	size_t info_start = s->info.len;

	s->moved_len = 0;
	cap_pipe_decode(&s->p, s->p.no + 1, ns, data, h->caplen, h->len);
	if (s->p.no == 1 && s->cap.nframes)
		s->first_ns = cap_frame_ns(cap_frame(&s->cap, 0));
	if (s->o.rows && s->p.no > s->nrows)
		row_fill(s, info_start);
}

int
cap_session_next(struct cap_session *s)
{
	struct pcap_pkthdr *h;
	const uint8_t *d;
	int r = cap_next(&s->cap, &h, &d);

	if (r == 1)
		cap_session_feed(s, h, d);
	return r;
}

void
cap_session_finish(struct cap_session *s)
{
	if (s->p.ra)
		reasm_finish(s->p.ra, s->p.no);
}

int64_t
cap_session_rel_ns(const struct cap_session *s, uint32_t no)
{
	const struct frame_rec *fr = no ? cap_frame(&s->cap, no - 1) : NULL;

	return fr ? cap_frame_ns(fr) - s->first_ns : 0;
}

void
cap_session_close(struct cap_session *s)
{
	reasm_free(s->p.ra);
	tls_pipe_free(s->p.tls);
	keylog_free(&s->kl);
	ipfrag_free(s->p.frag);
	ipfrag_free(s->refrag);
	rec_free(&s->rs);
	cap_close(&s->cap);
	bigarr_free(s->rows, s->rows_cap, sizeof(*s->rows));
	free(s->marks);
	free(s->streams);
	free(s->pdu_in);
	free(s->p.pdu_segs);
	free(s->rbuf);
	buf_free(&s->info);
	free(s->info_seen);
	memset(s, 0, sizeof(*s));
}
