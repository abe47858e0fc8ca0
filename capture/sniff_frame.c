/*
 * sniff_frame.c - one frame through the sniffer: decode the layers, feed
 * the flow table (which calls the HTTP dissector, which calls back here
 * for each completed message), apply -Y, print.
 *
 * Messages are rendered while their spans are valid (inside the
 * callback) into per-frame buffers; the frame is printed afterwards, so
 * the summary shows what the frame completed, as Wireshark does.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/header.h"

#include "filter.h"
#include "http_tree.h"
#include "tls_names.h"
#include "tls_ptree.h"
#include "print_app.h"
#include "print_fields.h"
#include "sniff_impl.h"

/* The frame being decoded as the printers see it (fv->http is set by
 * frame_tree_full) */
static void
frame_view_of(struct sniff *s, struct frame_view *fv)
{
	const struct frame_rec *fr = cap_frame(&s->ss.cap, s->ss.p.no - 1);
	const struct tls_pipe *tp = s->ss.p.tls;
	int64_t ns = fr ? cap_frame_ns(fr) : s->prev_ns;

	memset(fv, 0, sizeof(*fv));
	fv->no = s->ss.p.no;
	fv->fr = fr;
	fv->pk = &s->ss.p.pk;
	fv->ri = &s->ss.p.ri;
	fv->rel_ns = ns - s->first_ns;
	fv->delta_ns = ns - s->prev_ns;
	fv->http_info = (s->ss.p.ds.frame_msgs || s->ss.p.ds.frame_app) &&
			s->info.len ? s->info.data : NULL;
	/* pdu_in: held bytes of this frame went into a later message */
	fv->pdu = ((s->ss.p.ds.frame_pdu ||
		    cap_session_pdu_in(&s->ss, fv->no)) &&
		   !s->ss.p.ds.frame_msgs && !s->ss.p.ds.frame_app) ||
		  tls_pipe_frame_pdu(tp, &s->ss.p.ds);
	fv->tls_proto = tls_pipe_frame_proto(tp);
	fv->tls_info = tls_pipe_frame_info(tp, &s->ss.p.ds);
	fv->app_proto = s->ss.p.ds.frame_app ? s->app_proto : NULL;
	fv->http_msgs = s->ss.p.ds.frame_msgs > 0;
	if (s->ss.p.ri.flow) {
		struct cap_stream_info si =
			cap_session_stream(&s->ss, s->ss.p.ri.flow->stream);

		fv->tcp_compl = si.completeness;
		fv->tcp_irtt_ns = si.irtt_ns;
		fv->pdu_in = cap_session_pdu_in(&s->ss, fv->no);
		fv->pdus = s->ss.p.pdu;
		fv->npdus = s->ss.p.npdu;
		fv->pdu_segs = s->ss.p.pdu_segs;
	}
}

/* -Y against the frame's protocol tree (a NULL filter matches all) */
static bool
frame_matches(struct sniff *s)
{
	struct frame_view fv;

	if (!s->o->filter || !cap_frame(&s->ss.cap, s->ss.p.no - 1))
		return !s->o->filter;
	frame_view_of(s, &fv);
	return frame_tree_match(&s->ft, s->o->filter, &fv);
}

/* -Y against the message just added, for --json, --stats and --har */
static bool
frame_matches_msg(struct sniff *s)
{
	struct frame_view fv;

	if (!s->o->filter)
		return true;
	frame_view_of(s, &fv);
	return frame_tree_match_msg(&s->ft, s->o->filter, &fv);
}

/* -V, -x and -Y: the message's nodes and data sources join the frame's
 * tree (several messages in a frame: one subtree each) */
static void
tree_message(struct sniff *s, const struct http_view *v)
{
	frame_tree_message(&s->ft, &s->ss, v, &s->ss.rs, &s->ss.cap,
			   !s->o->verbose || (s->o->expand & EXPAND_HTTP));
}

/* "127.0.0.1:8000" or "[::1]:8000" */
static void
ladder_name(char *out, size_t size, int ipver, const uint8_t *addr,
	    uint16_t port)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(ipver == 6 ? AF_INET6 : AF_INET, addr, a, sizeof a);
	snprintf(out, size, ipver == 6 ? "[%s]:%u" : "%s:%u", a, port);
}

static double
ladder_time(const struct sniff *s)
{
	const struct frame_rec *fr = cap_frame(&s->ss.cap, s->ss.p.no - 1);

	return fr ? (double)(cap_frame_ns(fr) - s->first_ns) / 1e9 : 0;
}

/* --ladder: an arrow for each HTTP message, labelled as in the summary */
static void
ladder_message(struct sniff *s, const struct http_view *v)
{
	const struct flow *f = v->flow;
	int from = v->dir, to = !v->dir;
	char src[80], dst[80], tag[64];
	struct buf label = BUF_INIT;
	const struct http_msg *m = v->msg;

	ladder_name(src, sizeof src, f->ipver, f->addr[from], f->port[from]);
	ladder_name(dst, sizeof dst, f->ipver, f->addr[to], f->port[to]);
	if (m->is_request)
		snprintf(tag, sizeof tag, "%.*s %.*s", (int)m->method.len,
			 m->method.p, (int)m->target.len, m->target.p);
	else
		snprintf(tag, sizeof tag, "%d %.*s", m->status,
			 (int)m->reason.len, m->reason.p);
	print_http_info(&label, v);
	while (label.len && label.data[label.len - 1] == ' ')
		label.data[--label.len] = '\0';
	ladder_add(&s->lad, v->frame, ladder_time(s), src, dst,
		   m->is_request ? LADDER_DST_SERVER : LADDER_SRC_SERVER, tag,
		   label.data ? label.data : tag);
	buf_free(&label);
}

/* --ladder: an arrow for each SYN, FIN and RST */
static void
ladder_flags(struct sniff *s)
{
	const struct pkt *pk = &s->ss.p.pk;
	static const struct { uint16_t set; const char *tag; } kinds[] = {
		{ TCP_SYN | TCP_ACK, "SYN, ACK" }, { TCP_SYN, "SYN" },
		{ TCP_RST, "RST" }, { TCP_FIN, "FIN" },
	};
	char src[80], dst[80];

	if (!pk->tcp || !(pk->flags & (TCP_SYN | TCP_FIN | TCP_RST)) ||
	    (s->o->filter && !frame_matches(s)))
		return;
	ladder_name(src, sizeof src, pk->ipver, pk->src, pk->sport);
	ladder_name(dst, sizeof dst, pk->ipver, pk->dst, pk->dport);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if ((pk->flags & kinds[i].set) == kinds[i].set) {
			ladder_add(&s->lad, s->ss.p.no, ladder_time(s), src,
				   dst, kinds[i].set == TCP_SYN ?
				   LADDER_DST_SERVER : kinds[i].set ==
				   (TCP_SYN | TCP_ACK) ? LADDER_SRC_SERVER :
				   LADDER_UNKNOWN, kinds[i].tag,
				   kinds[i].tag);
			return;
		}
}

/*
 * A message completed by the end of the input, after every frame was
 * printed: "[end of capture] stream 0, frame 8: HTTP/1.1 200 OK ..."
 * (and its tree with -V).
 */
static void
late_message(struct sniff *s, const struct http_view *v)
{
	if (s->o->filter) {
		frame_tree_start(&s->ft);
		frame_tree_message(&s->ft, NULL, v, &s->ss.rs, &s->ss.cap,
				   true);
		if (!frame_matches_msg(s))
			return;
	}
	buf_reset(&s->info);
	print_http_info(&s->info, v);
	buf_printf(&s->out, "[end of capture] stream %u, frame %u: %s\n",
		   v->flow->stream, v->frame, s->info.data ? s->info.data : "");
	if (s->o->verbose) {
		frame_tree_start(&s->ft);
		frame_tree_message(&s->ft, NULL, v, &s->ss.rs, &s->ss.cap,
				   s->o->expand & EXPAND_HTTP);
		ptree_print(&s->ft.app, &s->out);
		buf_puts(&s->out, "\n");
	}
}

/* -z http,tree and the like: the message as tshark's HTTP tap sees it */
static void
http_tap(struct sniff *s, const struct http_view *v)
{
	const struct flow *f = v->flow;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	char method[32], *host = NULL, *uri = NULL;
	struct span h = v->msg->is_request ?
		http_header_value(v->msg, "Host") : (struct span){ NULL, 0 };
	int af = f->ipver == 6 ? AF_INET6 : AF_INET;
	struct zst_msg m = {
		.is_request = v->msg->is_request, .status = v->msg->status,
		.src = src, .dst = dst, .method = method,
		.ms = (double)cap_session_rel_ns(&s->ss, s->ss.p.no) / 1e6,
	};

	if (!inet_ntop(af, f->addr[v->dir], src, sizeof src) ||
	    !inet_ntop(af, f->addr[!v->dir], dst, sizeof dst))
		return;
	snprintf(method, sizeof method, "%.*s", (int)v->msg->method.len,
		 v->msg->method.p ? v->msg->method.p : "");
	if (h.p && !(m.host = host = strndup(h.p, h.len)))
		return;
	if (m.is_request && v->msg->target.p &&
	    !(m.uri = uri = strndup(v->msg->target.p, v->msg->target.len))) {
		free(host);
		return;
	}
	zstat_http(&s->z, &m);
	free(host);
	free(uri);
}

static void
on_message(void *ctx, const struct http_view *v)
{
	struct sniff *s = ctx;
	const struct sniff_opts *o = s->o;

	if (!s->printing)
		return;
	if (s->wfilt && !s->finishing)
		wfilter_message(&s->wf, v);
	if (o->filter && !s->finishing && s->app_nodes) {
		if (!v->r || !v->r->h2_stream) {
			tree_message(s, v);
		} else {	/* HTTP/2: its frames' nodes are its fields */
			s->ft.msg_lo = 0;
			s->ft.msg_hi = s->ft.app.n;
		}
	}
	if (o->follow >= 0)
		follow_message(&s->fo, &s->out, v);
	if (s->z.n && !s->finishing && v->flow && !(v->r && v->r->h2_stream))
		http_tap(s, v);
	if (o->ladder && (!o->filter || frame_matches_msg(s)))
		ladder_message(s, v);
	if (o->stats || o->har) {
		if (o->filter && !frame_matches_msg(s))
			return;
		if (o->stats)
			stats_message(&s->st, v, &s->ss.rs, &s->ss.cap);
		if (o->stats && v->r && v->r->type == REC_REQUEST)
			zstat_request(&s->z, v->r->stream);
		har_message(&s->har, v, &s->ss.rs, &s->ss.cap);
	}
	if (s->quiet)
		return;
	if (o->json) {
		if (!o->filter || frame_matches_msg(s)) {
			print_json(&s->out, v, &s->ss.rs, &s->ss.cap);
			s->shown++;
		}
		return;
	}
	if (v->r && v->r->h2_stream)
		return;		/* HTTP/2: shown by its frames */
	if (s->finishing) {
		late_message(s, v);
		return;
	}
	/* several messages in a frame: tshark runs their texts together */
	print_http_info(&s->info, v);
	if ((o->hex || o->verbose || o->tf) && !o->filter)
		tree_message(s, v);
}

/* ---- WebSocket and HTTP/2 frames (http_app.h) ---- */

/* Their Info text and nodes; false when nothing is printed per frame. */
static bool
app_frame_start(struct sniff *s, const char *proto, const char *sep)
{
	if (!s->printing)
		return false;
	s->app_proto = proto;
	if (s->quiet || s->o->json)
		return s->o->filter != NULL;	/* nodes for -Y only */
	if (s->ss.p.ds.frame_app > 1 || s->ss.p.ds.frame_msgs)
		buf_puts(&s->info, sep);
	return true;
}

static bool
app_expand(const struct sniff *s, unsigned bit)
{
	return !s->o->verbose || (s->o->expand & bit);
}

static void
on_ws_frame(void *ctx, const struct flow *f, int dir,
	    const struct ws_frame *wf)
{
	struct sniff *s = ctx;

	(void)f;
	(void)dir;
	if (!app_frame_start(s, "WebSocket", " "))
		return;
	if (!s->quiet && !s->o->json)
		print_ws_info(&s->info, wf);
	if (s->app_nodes)
		frame_tree_ws(&s->ft, wf, app_expand(s, EXPAND_WS));
}

static void
on_ws_message(void *ctx, const struct flow *f, int dir,
	      const struct ws_message *m)
{
	struct sniff *s = ctx;
	const struct pkt *pk = &s->ss.p.pk;
	char src[64], dst[64];
	struct app_json j;

	if (!s->printing || s->quiet || !s->o->json)
		return;
	if (s->o->filter && !frame_matches(s))
		return;
	print_addrs(pk, src, dst, sizeof(src));
	j.frame = s->ss.p.no;
	j.stream = f->stream;
	j.src = src;
	j.dst = dst;
	j.sport = pk->sport;
	j.dport = pk->dport;
	j.from_client = dir == DIR_CLIENT;
	print_ws_json(&s->out, &j, m);
	s->shown++;
}

static void
on_h2_frame(void *ctx, const struct flow *f, int dir,
	    const struct h2_frame *hf)
{
	struct sniff *s = ctx;

	(void)f;
	(void)dir;
	if (!app_frame_start(s, "HTTP2", ", "))
		return;
	if (!s->quiet && !s->o->json)
		print_h2_info(&s->info, hf);
	if (s->app_nodes)
		frame_tree_h2(&s->ft, hf, app_expand(s, EXPAND_H2));
}

static void
tap_data(void *ctx, const struct flow *f, int dir, const uint8_t *p, size_t n)
{
	struct sniff *s = ctx;

	if (s->printing && s->o->follow >= 0)
		follow_data(&s->fo, &s->out, f, dir, p, n);
}

static void
tap_gap(void *ctx, const struct flow *f, int dir, uint64_t n)
{
	struct sniff *s = ctx;

	if (s->printing && s->o->follow >= 0 && !s->fo.http &&
	    (long)f->stream == s->fo.stream)
		buf_printf(&s->out, "%s[%llu bytes missing in capture]\n",
			   dir == DIR_SERVER ? "\t" : "", (unsigned long long)n);
}

/* A TLS record ended in the current frame: its nodes, -Y facts, -x. */
static void
on_tls_record(void *ctx, const struct flow *f, const struct tls_record *r,
	      const struct tls_session *ts)
{
	struct sniff *s = ctx;
	const struct sniff_opts *o = s->o;

	if (!s->printing || s->quiet || o->json)
		return;
	if (s->app_nodes)
		frame_tree_tls(&s->ft, &s->ss.p, f, r, ts);
	if (o->verbose && !(o->expand & EXPAND_TLS))
		ptree_close(&s->ft.tls, 0);	/* -O without tls */
}

/* Frame no is about to be decoded: forget the previous one's texts. */
static void
frame_start(void *ctx, uint32_t no)
{
	struct sniff *s = ctx;

	(void)no;
	buf_reset(&s->info);
	frame_tree_start(&s->ft);
	s->app_proto = NULL;
}

const struct cap_session_hooks sniff_hooks = {
	.frame = frame_start, .message = on_message, .data = tap_data,
	.gap = tap_gap, .tls_record = on_tls_record,
	.ws_frame = on_ws_frame, .ws_message = on_ws_message,
	.h2_frame = on_h2_frame,
};

static void
print_frame(struct sniff *s, const uint8_t *data)
{
	const struct sniff_opts *o = s->o;
	const struct frame_rec *fr = cap_frame(&s->ss.cap, s->ss.p.no - 1);
	struct frame_view fv;
	const struct ptree *t;

	if (o->filter && !frame_matches(s)) {
		s->prev_ns = cap_frame_ns(fr);
		return;
	}
	frame_view_of(s, &fv);
	s->prev_ns = cap_frame_ns(fr);
	fv.tfmt = (uint8_t)o->tfmt;
	fv.tdec = s->ss.cap.usec_file || (s->ss.cap.live && !s->ss.cap.nsec) ?
		  6 : 9;
	fv.delta_disp_ns = s->shown ? cap_frame_ns(fr) - s->prev_shown_ns : 0;
	s->prev_shown_ns = cap_frame_ns(fr);
	if (o->tf) {	/* -T fields, json, ek */
		tfields_frame(o->tf, frame_tree_full(&s->ft, &fv, EXPAND_ALL),
			      cap_frame_ns(fr), s->shown++ == 0, &s->out);
		return;
	}
	s->shown++;
	if (o->verbose) {
		/* the frame's tree: the lower layers, then the HTTP nodes */
		ptree_print(frame_tree_full(&s->ft, &fv, o->expand), &s->out);
		buf_puts(&s->out, "\n");
	} else {
		if (o->hex)
			frame_tree_full(&s->ft, &fv, EXPAND_ALL);
		print_summary(&s->out, &fv);
	}
	t = fv.http;
	if (o->hex && t && t->nsrc > 1) {
		/* tshark -x: the frame, then every source the decoders made */
		buf_printf(&s->out, "Frame (%u bytes):\n", fr->caplen);
		print_hex(&s->out, data, fr->caplen);
		ptree_print_sources(t, &s->out);
		buf_puts(&s->out, "\n");
	} else if (o->hex) {
		print_hex(&s->out, data, fr->caplen);
		buf_puts(&s->out, "\n");
	}
}

void
sniff_frame(struct sniff *s, const struct pcap_pkthdr *h, const uint8_t *data)
{
	cap_session_feed(&s->ss, h, data);
	if (s->wfilt && s->printing) {
		wfilter_frame(&s->wf, s->ss.p.no, &s->ss.p.pk, &s->ss.p.ri);
		wfilter_match(&s->wf, s->ss.p.no, frame_matches(s));
	}
	if (s->ss.p.no == 1 && s->ss.cap.nframes)
		s->first_ns = s->prev_ns = s->ss.first_ns;
	if (s->printing && !s->o->json && !s->quiet &&
	    s->ss.p.no <= s->ss.cap.nframes)
		print_frame(s, data);
	if (s->printing && s->o->ladder)
		ladder_flags(s);
	if (s->printing && (s->z.n || s->z.conns) &&
	    s->ss.p.no <= s->ss.cap.nframes)
		zstat_frame(&s->z, &s->ss.p.pk, (int64_t)h->ts.tv_sec *
			    1000000000 + (int64_t)h->ts.tv_usec *
			    (s->ss.cap.nsec ? 1 : 1000), h->len,
			    s->ss.p.ri.flow ? s->ss.p.ri.flow->stream :
			    ZSTAT_NO_STREAM);
	sniff_flush(s, false);
}

void
sniff_finish(struct sniff *s)
{
	s->finishing = true;
	cap_session_finish(&s->ss);
	s->finishing = false;
}
