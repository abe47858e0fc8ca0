/*
 * index.c - build the TUI's frame index a slice at a time through the
 * capture session and render the visible rows on demand (see index.h).
 *
 * Indexing is the session's first pass (decode, defragment, reassemble,
 * dissect, create records, a row per frame).  Rendering a row reads the
 * frame back through the session and hands print_info() a reasm_info
 * rebuilt from the row, so the text is the sniffer's own.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/tls_names.h"
#include "index.h"

_Static_assert((int)TUI_K_MALFORMED == (int)CAP_K_MALFORMED &&
	       (int)TUI_K_1XX == (int)CAP_K_1XX &&
	       (int)TUI_K_REQUEST == (int)CAP_K_REQUEST,
	       "the TUI's colour kinds start with the session's");

static int
kind_of(const struct http_view *v)
{
	if (v->malformed)
		return TUI_K_MALFORMED;
	if (v->msg->is_request)
		return TUI_K_REQUEST;
	switch (v->msg->status / 100) {
	case 1: return TUI_K_1XX;
	case 2: return TUI_K_2XX;
	case 3: return TUI_K_3XX;
	case 4: return TUI_K_4XX;
	default: return TUI_K_5XX;
	}
}

static void
save_rinfo(struct tui_index *ix, size_t rec, size_t off, size_t len, int kind,
	   bool own)
{
	if (rec >= ix->rinfo_cap) {
		size_t n = ix->rinfo_cap ? ix->rinfo_cap : 1024;
		struct tui_rinfo *v;

		while (n <= rec)
			n *= 2;
		v = realloc(ix->rinfo, n * sizeof(*v));
		if (!v)
			return;
		memset(v + ix->rinfo_cap, 0, (n - ix->rinfo_cap) * sizeof(*v));
		ix->rinfo = v;
		ix->rinfo_cap = n;
	}
	ix->rinfo[rec].info_off = (uint32_t)off;
	ix->rinfo[rec].info_len = (uint16_t)(len > 65535 ? 65535 : len);
	ix->rinfo[rec].kind = (uint8_t)kind;
	ix->rinfo[rec].own = own;
}

/* The request-target of record i from the summary kept for it ("GET /x
 * HTTP/1.1"), or SPAN_NULL when it has none yet. */
static struct span
index_uri(const struct tui_index *ix, size_t i)
{
	const char *p, *sp;
	size_t n;

	if (!(p = tui_index_rtext(ix, i, &n)))
		return SPAN_NULL;
	if (!(sp = memchr(p, ' ', n)))
		return SPAN_NULL;
	n -= (size_t)(sp + 1 - p);
	p = sp + 1;
	sp = memchr(p, ' ', n);
	return (struct span){ p, sp ? (size_t)(sp - p) : n };
}

/*
 * A response time for the statistics: the URI is that of the request's
 * summary, so no head is kept.  A response that came before its
 * request ended (a 100 Continue, an early answer) waits in ix->pend
 * until the request completes (index_on_message).
 */
static void
index_req_time(void *ctx, struct stats *st, const struct http_rec *req,
	       double ms)
{
	struct tui_index *ix = ctx;
	size_t i = (size_t)(req - ix->ss.rs.v);
	struct span uri;

	if (req < ix->ss.rs.v || i >= ix->ss.rs.n)
		return;
	if ((uri = index_uri(ix, i)).p) {
		stats_add_time(st, uri, ms);
	} else if (st == &ix->st) {
		if (ix->npend == ix->pend_cap) {
			size_t n = ix->pend_cap ? ix->pend_cap * 2 : 16;
			struct tui_pend *v = realloc(ix->pend, n * sizeof(*v));

			if (!v)
				return;
			ix->pend = v;
			ix->pend_cap = n;
		}
		ix->pend[ix->npend++] = (struct tui_pend){ (uint32_t)i, ms };
	}
}

/* Request record rec completed: count the times that waited for it. */
static void
index_pend_done(struct tui_index *ix, size_t rec)
{
	size_t i = 0;

	while (i < ix->npend)
		if (ix->pend[i].rec == rec) {
			stats_add_time(&ix->st, index_uri(ix, rec),
				       ix->pend[i].ms);
			ix->pend[i] = ix->pend[--ix->npend];
		} else {
			i++;
		}
}

void
tui_index_stats_init(struct tui_index *ix, struct stats *st)
{
	memset(st, 0, sizeof(*st));
	st->req_time = index_req_time;
	st->req_time_ctx = ix;
}

/* Record rec's text is in the row of the frame being decoded. */
static void
frame_rec_add(struct tui_index *ix, size_t rec)
{
	if (ix->nframe_recs == ix->frame_recs_cap) {
		size_t n = ix->frame_recs_cap ? ix->frame_recs_cap * 2 : 8;
		uint32_t *v = realloc(ix->frame_recs, n * sizeof(*v));

		if (!v)
			return;
		ix->frame_recs = v;
		ix->frame_recs_cap = n;
	}
	ix->frame_recs[ix->nframe_recs++] = (uint32_t)rec;
}

/* The frame is decoded: if its row shares an earlier row's text (the
 * session cut its own copy, session.h moved_*), so do its records. */
static void
index_frame_fed(struct tui_index *ix)
{
	const struct cap_session *s = &ix->ss;

	for (size_t i = 0; s->moved_len && i < ix->nframe_recs; i++) {
		struct tui_rinfo *r = &ix->rinfo[ix->frame_recs[i]];

		if (!r->own && r->info_off >= s->moved_from &&
		    r->info_off < s->moved_from + s->moved_len)
			r->info_off = (uint32_t)(r->info_off - s->moved_from +
						 s->moved_to);
	}
	ix->nframe_recs = 0;
}

/* A message completed in the frame being indexed. */
static void
index_on_message(void *ctx, const struct http_view *v)
{
	struct tui_index *ix = ctx;
	size_t start = ix->info.len;

	if (ix->info_end > ix->ss.info.len)
		ix->info_end = ix->ss.info.len;
	if (ix->ss.info.len > ix->info_end && !(v->r && v->r->h2_stream)) {
		/* the session has just added it to the row's text */
		save_rinfo(ix, v->rec, ix->info_end,
			   ix->ss.info.len - ix->info_end, kind_of(v), false);
		if (v->rec < ix->rinfo_cap)
			frame_rec_add(ix, v->rec);
	} else {	/* HTTP/2, or at the end of the capture: no row's */
		print_http_info(&ix->info, v);
		save_rinfo(ix, v->rec, start, ix->info.len - start, kind_of(v),
			   true);
	}
	ix->info_end = ix->ss.info.len;
	stats_message(&ix->st, v, &ix->ss.rs, &ix->ss.cap);
	if (ix->npend && v->msg->is_request)
		index_pend_done(ix, v->rec);
}

/* A frame is about to be decoded: its row's text starts at ss.info's end */
static void
index_on_frame(void *ctx, uint32_t no)
{
	struct tui_index *ix = ctx;

	(void)no;
	ix->info_end = ix->ss.info.len;
	ix->nframe_recs = 0;
}

static const struct cap_session_hooks index_hooks = {
	.frame = index_on_frame, .message = index_on_message,
};

static void
index_init(struct tui_index *ix, const struct tui_limits *lim)
{
	struct cap_session_opts so = {
		.rows = true, .frag_history = false,
		.pdus = true,	/* the detail's [Reassembled PDU in frame] */
		.flow_mem = lim ? lim->flow_mem : 0,
		.total_mem = lim ? lim->total_mem : 0,
		.keylog = lim ? lim->keylog : NULL,
	};

	memset(ix, 0, sizeof(*ix));
	cap_session_init(&ix->ss, &so, &index_hooks, ix);
	tui_index_stats_init(ix, &ix->st);
}

static int
index_start(struct tui_index *ix)
{
	if (cap_session_start(&ix->ss, 0) < 0) {
		snprintf(ix->err, sizeof(ix->err), "%s", ix->ss.err);
		return -1;
	}
	return 0;
}

int
tui_index_open_file(struct tui_index *ix, const char *path, const char *bpf,
		    const struct tui_limits *lim)
{
	index_init(ix, lim);
	if (cap_session_open_file(&ix->ss, path, bpf) < 0) {
		snprintf(ix->err, sizeof(ix->err), "%s", ix->ss.err);
		return -1;
	}
	return index_start(ix);
}

int
tui_index_open_live(struct tui_index *ix, const struct cap_live_opts *o,
		    const struct tui_limits *lim)
{
	int r;

	index_init(ix, lim);
	if ((r = cap_session_open_live(&ix->ss, o)) < 0) {
		snprintf(ix->err, sizeof(ix->err), "%s", ix->ss.err);
		return r;
	}
	return index_start(ix);
}

void
tui_index_close(struct tui_index *ix)
{
	cap_session_close(&ix->ss);
	stats_free(&ix->st);
	free(ix->rinfo);
	free(ix->pend);
	free(ix->frame_recs);
	buf_free(&ix->info);
	memset(ix, 0, sizeof(*ix));
}

size_t
tui_index_step(struct tui_index *ix, size_t max)
{
	size_t n = 0;
	int r = 0;

	if (ix->done || ix->ss.cap.live)
		return 0;
	while (n < max && (!ix->max_frames || ix->ss.nrows < ix->max_frames) &&
	       (r = cap_session_next(&ix->ss)) == 1) {
		index_frame_fed(ix);
		n++;
	}
	if (ix->max_frames && ix->ss.nrows >= ix->max_frames)
		r = 0;		/* -c: the end */
	if (r <= 0) {
		ix->done = true;
		ix->read_error = r < 0;
		cap_session_finish(&ix->ss);
	}
	return n;
}

static void
live_handler(u_char *ctx, const struct pcap_pkthdr *h, const u_char *d)
{
	struct tui_index *ix = (struct tui_index *)ctx;

	if (ix->max_frames && ix->ss.nrows >= ix->max_frames)
		return;		/* -c: no more */
	cap_save(&ix->ss.cap, h, d);
	if (ix->ss.cap.nframes > ix->ss.nrows) {
		cap_session_feed(&ix->ss, h, d);
		index_frame_fed(ix);
	}
}

int
tui_index_live(struct tui_index *ix, int max)
{
	struct pcap_stat ps;
	int n = pcap_dl.dispatch(ix->ss.cap.pc, max, live_handler,
				 (u_char *)ix);

	if (pcap_dl.stats(ix->ss.cap.pc, &ps) == 0)
		ix->dropped = ps.ps_drop;
	return n < 0 ? 0 : n;
}

/*
 * The row's colour, by Wireshark's default colouring rules in their
 * order: Bad TCP (analysis marks other than window updates and
 * keep-alives), TCP RST, then HTTP (by kind; malformed first), TCP
 * SYN/FIN, other TCP.
 */
static int
row_colour(const struct pkt *pk, const struct reasm_info *ri, int kind)
{
	uint32_t bad = ri->an.flags & ~(uint32_t)(TCPA_WIN_UPDATE |
			TCPA_KEEP_ALIVE | TCPA_KA_ACK);

	if (kind == TUI_K_MALFORMED)
		return kind;
	if (pk->tcp && bad)
		return TUI_K_BADTCP;
	if (pk->tcp && (pk->flags & TCP_RST))
		return TUI_K_RST;
	if (kind > TUI_K_TCP)
		return kind;
	if (pk->tcp && (pk->flags & (TCP_SYN | TCP_FIN)))
		return TUI_K_SYNFIN;
	return kind;
}

int
tui_index_row(struct tui_index *ix, uint32_t no, struct buf *out,
	      const char **cols)
{
	const struct cap_row *r;
	const struct frame_rec *fr;
	struct pkt pk;
	struct flow fl;
	struct reasm_info ri;
	struct frame_view fv;
	char src[64], dst[64];
	size_t at[6];
	int i;

	if (!tui_index_frame(ix, no, &pk))
		return -1;
	r = cap_session_row(&ix->ss, no);
	fr = cap_frame(&ix->ss.cap, no - 1);
	if (!r || !fr)
		return -1;
	cap_session_ri(&ix->ss, no, &pk, &fl, &ri);
	/* the row is `sniff -r`'s one-pass summary line, which cannot know
	 * where a fragment will be completed; the detail pane says it */
	pk.frag_in = 0;
	memset(&fv, 0, sizeof(fv));
	fv.no = no;
	fv.fr = fr;
	fv.pk = &pk;
	fv.ri = &ri;
	fv.rel_ns = cap_session_rel_ns(&ix->ss, no);
	fv.delta_ns = no > 1 ? fv.rel_ns - cap_session_rel_ns(&ix->ss, no - 1) :
		      0;
	if (r->flags & CAP_F_TLS) {
		fv.tls_proto = tls_version_proto(r->tls_ver);
		if (!fv.tls_proto)
			fv.tls_proto = "TLS";
		fv.tls_info = ix->ss.info.data + r->info_off;
	} else {
		fv.http_info = r->info_len ? ix->ss.info.data + r->info_off :
			       NULL;
	}
	fv.pdu = r->flags & CAP_F_PDU;
	fv.app_proto = cap_app_proto(r->app);
	print_addrs(&pk, src, dst, sizeof(src));
	buf_reset(out);
	at[0] = out->len;
	print_secs(out, fv.rel_ns, 6);
	buf_append(out, "", 1);
	at[1] = out->len;
	buf_puts(out, src);
	buf_append(out, "", 1);
	at[2] = out->len;
	buf_puts(out, dst);
	buf_append(out, "", 1);
	at[3] = out->len;
	buf_puts(out, print_protocol(&fv));
	buf_append(out, "", 1);
	at[4] = out->len;
	buf_printf(out, "%u", fr->len);
	buf_append(out, "", 1);
	at[5] = out->len;
	print_info(out, &fv);
	buf_append(out, "", 1);
	for (i = 0; i < 6; i++)
		cols[i] = out->data + at[i];
	return row_colour(&pk, &ri, r->kind);
}
