/*
 * index.c - build the TUI's frame index a slice at a time and render the
 * visible rows on demand (see index.h).
 *
 * Indexing is the sniffer's first pass (decode, reassemble, dissect,
 * create records) keeping only a 24-byte row per frame plus the HTTP
 * summary text of frames that complete a message.  Rendering a row reads
 * the frame back, decodes it again and hands print_info() a reasm_info
 * rebuilt from the row, so the text is the sniffer's own.
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"

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
save_rinfo(struct tui_index *ix, size_t rec, size_t off, size_t len, int kind)
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
}

/* A message completed in the frame being indexed. */
static void
index_on_message(void *ctx, const struct http_view *v)
{
	struct tui_index *ix = ctx;
	size_t start = ix->info.len;
	int k = kind_of(v);

	print_http_info(&ix->info, v);
	stats_message(&ix->st, v, &ix->rs, &ix->cap);
	save_rinfo(ix, v->rec, start, ix->info.len - start, k);
	if (ix->kind != TUI_K_MALFORMED)
		ix->kind = (uint8_t)k;
}

static const struct dissect_cb index_cb = { .on_message = index_on_message };

static int
index_setup(struct tui_index *ix)
{
	struct reasm_limits lim = { REASM_FLOW_MEM_DEFAULT,
				    REASM_TOTAL_MEM_DEFAULT };

	rec_init(&ix->rs, false);
	dissect_init(&ix->ds, &ix->rs, &index_cb, ix, 0);
	ix->ra = reasm_new(&lim, &dissect_reasm_cb, &ix->ds);
	ix->pkt_size = 262144;
	ix->pkt = malloc(ix->pkt_size);
	if (!ix->ra || !ix->pkt) {
		snprintf(ix->err, sizeof(ix->err), "out of memory");
		return -1;
	}
	return 0;
}

int
tui_index_open_file(struct tui_index *ix, const char *path, const char *bpf)
{
	memset(ix, 0, sizeof(*ix));
	if (cap_open_file(&ix->cap, path, bpf) < 0) {
		snprintf(ix->err, sizeof(ix->err), "%s", ix->cap.err);
		return -1;
	}
	return index_setup(ix);
}

int
tui_index_open_live(struct tui_index *ix, const struct cap_live_opts *o)
{
	int r;

	memset(ix, 0, sizeof(*ix));
	if ((r = cap_open_live(&ix->cap, o)) < 0) {
		snprintf(ix->err, sizeof(ix->err), "%s", ix->cap.err);
		return r;
	}
	return index_setup(ix);
}

void
tui_index_close(struct tui_index *ix)
{
	reasm_free(ix->ra);
	stats_free(&ix->st);
	rec_free(&ix->rs);
	cap_close(&ix->cap);
	free(ix->rows);
	free(ix->rinfo);
	free(ix->pkt);
	buf_free(&ix->info);
	memset(ix, 0, sizeof(*ix));
}

/* Decode one new frame and append its row. */
static void
index_frame(struct tui_index *ix, const struct pcap_pkthdr *h,
	    const uint8_t *data)
{
	struct tui_frow *r;
	const struct reasm_info *ri = &ix->ri;

	if (ix->nrows == ix->rows_cap) {
		size_t n = ix->rows_cap ? ix->rows_cap * 2 : 8192;
		struct tui_frow *v = realloc(ix->rows, n * sizeof(*v));

		if (!v)
			return;
		ix->rows = v;
		ix->rows_cap = n;
	}
	ix->no++;
	ix->kind = TUI_K_TCP;
	ix->info_start = ix->info.len;
	pkt_decode(&ix->pk, ix->cap.dlt, data, h->caplen, h->len);
	dissect_frame_start(&ix->ds);
	memset(&ix->ri, 0, sizeof(ix->ri));
	reasm_packet(ix->ra, &ix->pk, ix->no, &ix->ri);
	r = &ix->rows[ix->nrows++];
	memset(r, 0, sizeof(*r));
	r->stream = ri->flow ? ri->flow->stream : TUI_NO_STREAM;
	r->rel_seq = ri->rel_seq;
	r->rel_ack = ri->rel_ack;
	r->win = ri->win;
	r->flags = (uint8_t)((ri->flow ? TUI_F_FLOW : 0) |
			     (ri->retrans ? TUI_F_RETRANS : 0) |
			     (ri->ooo ? TUI_F_OOO : 0) |
			     (ri->filled ? TUI_F_FILLED : 0) |
			     (ix->ds.frame_pdu && !ix->ds.frame_msgs ?
			      TUI_F_PDU : 0));
	if (ix->ds.frame_msgs && ix->info.len > ix->info_start) {
		size_t n = ix->info.len - ix->info_start;

		r->info_off = (uint32_t)ix->info_start;
		r->info_len = (uint16_t)(n > 65535 ? 65535 : n);
		buf_append(&ix->info, "", 1);
	} else {
		ix->info.len = ix->info_start;
		ix->kind = ix->pk.tcp ? TUI_K_TCP : TUI_K_PLAIN;
	}
	r->kind = ix->kind;
	if (ix->nrows == 1)
		ix->first_ns = cap_frame_ns(cap_frame(&ix->cap, 0));
}

size_t
tui_index_step(struct tui_index *ix, size_t max)
{
	struct pcap_pkthdr *h;
	const uint8_t *d;
	size_t n = 0;
	int r = 0;

	if (ix->done || ix->cap.live)
		return 0;
	while (n < max && (r = cap_next(&ix->cap, &h, &d)) == 1) {
		index_frame(ix, h, d);
		n++;
	}
	if (r <= 0) {
		ix->done = true;
		ix->read_error = r < 0;
		reasm_finish(ix->ra, ix->no);
	}
	return n;
}

static void
live_handler(u_char *ctx, const struct pcap_pkthdr *h, const u_char *d)
{
	struct tui_index *ix = (struct tui_index *)ctx;

	cap_save(&ix->cap, h, d);
	if (ix->cap.nframes > ix->nrows)
		index_frame(ix, h, d);
}

int
tui_index_live(struct tui_index *ix, int max)
{
	struct pcap_stat ps;
	int n = pcap_dl.dispatch(ix->cap.pc, max, live_handler, (u_char *)ix);

	if (pcap_dl.stats(ix->cap.pc, &ps) == 0)
		ix->dropped = ps.ps_drop;
	return n < 0 ? 0 : n;
}

const uint8_t *
tui_index_frame(struct tui_index *ix, uint32_t no, struct pkt *pk)
{
	long n;

	if (!no || no > ix->nrows)
		return NULL;
	n = cap_read_frame(&ix->cap, no - 1, ix->pkt, ix->pkt_size);
	if (n < 0)
		return NULL;
	pkt_decode(pk, ix->cap.dlt, ix->pkt, (uint32_t)n,
		   cap_frame(&ix->cap, no - 1)->len);
	return ix->pkt;
}

void
tui_index_ri(const struct tui_frow *r, const struct pkt *pk, struct flow *fl,
	     struct reasm_info *ri)
{
	memset(fl, 0, sizeof(*fl));
	memset(ri, 0, sizeof(*ri));
	fl->stream = r->stream;
	ri->flow = r->flags & TUI_F_FLOW ? fl : NULL;
	ri->rel_seq = r->rel_seq;
	ri->rel_ack = r->rel_ack;
	ri->win = r->win;
	ri->retrans = r->flags & TUI_F_RETRANS;
	ri->ooo = r->flags & TUI_F_OOO;
	ri->filled = r->flags & TUI_F_FILLED;
	/* as reassembly.c computes it */
	ri->next_seq = ri->rel_seq + pk->payload_wire +
		       ((pk->flags & TCP_SYN) ? 1 : 0) +
		       ((pk->flags & TCP_FIN) ? 1 : 0);
}

int
tui_index_row(struct tui_index *ix, uint32_t no, struct buf *out,
	      const char **cols)
{
	const struct tui_frow *r;
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
	r = &ix->rows[no - 1];
	fr = cap_frame(&ix->cap, no - 1);
	tui_index_ri(r, &pk, &fl, &ri);
	memset(&fv, 0, sizeof(fv));
	fv.no = no;
	fv.fr = fr;
	fv.pk = &pk;
	fv.ri = &ri;
	fv.rel_ns = cap_frame_ns(fr) - ix->first_ns;
	fv.delta_ns = no > 1 ? cap_frame_ns(fr) -
			       cap_frame_ns(cap_frame(&ix->cap, no - 2)) : 0;
	fv.http_info = r->info_len ? ix->info.data + r->info_off : NULL;
	fv.pdu = r->flags & TUI_F_PDU;
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
	return r->kind;
}
