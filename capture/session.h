/*
 * session.h - the capture session: the one decode pipeline behind every
 * output of `httptool sniff` and the TUI.
 *
 * DESIGN.  A struct cap_session owns everything that decodes: the source
 * and its frame index (source.h), the IP fragment table (ipfrag.h), the
 * TCP flow table (reassembly.h), the HTTP dissector (http_dissect.h) and
 * the message records (records.h), with every limit taken from struct
 * cap_session_opts (--flow-mem, --total-mem).  Nothing else in the tree
 * creates any of them, and no decode state lives in a global: decoders
 * get the session's pieces as parameters, as tcpdump's printers get ndo.
 *
 * Three operations:
 *   cap_session_feed()     decode the next frame (file or live) through
 *                          every layer; the hooks see what it completes
 *   cap_session_frame()    decode frame N again from the file, on demand
 *                          (defragmented as in the first pass)
 *   cap_session_replay()   run one TCP stream again through fresh
 *                          decoders (the TUI's detail pane, follow)
 *
 * Who owns what: the session owns its decoders; the caller owns the
 * hooks' context and what it renders.  A printer or the TUI reads the
 * session's current frame (pk, ri), its rows (when opts.rows) and its
 * records; it never builds a decoder of its own.
 *
 * How a decoder plugs in (the HTTP dissector is the example): it keeps
 * per-flow state in flow->app (http_dissect.c), is called by the flow
 * table through a struct reasm_cb the session installs (the session's
 * tap runs the caller's data/gap hooks first, then the dissector), and
 * reports what it completes through the session's message hook, with a
 * view whose spans live only during the call.  A printer then adds the
 * message's nodes to the frame's protocol tree (ptree.h): fields named
 * by the filter table, data sources for bytes the decoder made (the
 * reassembled, de-chunked and decompressed bodies).  A new decoder (TLS,
 * HTTP/2, WebSocket) adds its state to struct cap_pipe below, its call
 * to the tap in session.c, and its nodes to the tree; every output and
 * the TUI then show it and -Y can filter on it.
 */
#ifndef HTTPTOOL_CAP_SESSION_H
#define HTTPTOOL_CAP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http_dissect.h"
#include "ipfrag.h"
#include "pkt.h"
#include "reassembly.h"
#include "records.h"
#include "source.h"
#include "tls_pipe.h"

#define CAP_NO_STREAM UINT32_MAX

/* Colour class of a frame (the TUI maps these to its colours). */
enum cap_kind {
	CAP_K_PLAIN = 0, CAP_K_TCP, CAP_K_REQUEST, CAP_K_2XX, CAP_K_3XX,
	CAP_K_4XX, CAP_K_5XX, CAP_K_1XX, CAP_K_MALFORMED,
};

enum {
	CAP_F_FLOW = 1, CAP_F_RETRANS = 2, CAP_F_OOO = 4, CAP_F_FILLED = 8,
	CAP_F_PDU = 16,		/* payload is part of a later message */
	CAP_F_DEFRAG = 32,	/* completed an IP datagram */
	CAP_F_GAP = 64,
	CAP_F_TLS = 128,	/* info is TLS's (tls_ver says the version) */
};

/* A frame's TCP analysis marks beyond the row's flags (opts.rows): kept
 * only for the few frames that have any, in frame order. */
struct cap_mark {
	uint32_t frame;
	uint32_t flags;			/* enum tcpa_flag */
	uint32_t dup_frame, dup_num;	/* "[TCP Dup ACK 20#1]" */
};

/* What the first pass learnt about one frame (opts.rows): 32 bytes. */
struct cap_row {
	uint32_t stream;		/* tcp.stream or CAP_NO_STREAM */
	uint32_t rel_seq, rel_ack, win;
	uint32_t frag_in;		/* IP fragment: frame completing it */
	uint32_t info_off;		/* HTTP Info text in s->info */
	uint16_t info_len;		/* 0: completes no HTTP message */
	uint8_t kind;			/* enum cap_kind */
	uint8_t flags;			/* CAP_F_* */
	uint16_t tls_ver;		/* CAP_F_TLS: protocol column version */
	uint8_t app;			/* enum cap_app: its Info names them */
};

/* Frames of what followed HTTP/1.x a frame completed (http_app.h). */
enum cap_app { CAP_APP_NONE, CAP_APP_WS, CAP_APP_H2 };

/* "WebSocket", "HTTP2" or NULL: the Protocol column of an enum cap_app */
static inline const char *
cap_app_proto(int app)
{
	return app == CAP_APP_WS ? "WebSocket" : app == CAP_APP_H2 ? "HTTP2"
								  : NULL;
}

struct cap_session_opts {
	size_t flow_mem, total_mem;	/* 0: the defaults */
	size_t keep_body;		/* decoded body bytes kept a message */
	bool keep_heads;		/* copy heads into the records */
	size_t record_ring;		/* 0: keep every record (records.h) */
	size_t frame_ring;		/* 0: index every frame (source.h) */
	bool frag_history;		/* "Reassembled in frame N" (2 passes) */
	bool rows;			/* keep a struct cap_row per frame */
	const char *keylog;		/* NSS key log to decrypt TLS with */
	bool keylog_live;		/* re-read it when a secret is missing */
	bool pdus;			/* -V: the frames of each message, and
					   each stream's iRTT, completeness */
};

struct cap_pipe;

/* What the caller sees; every hook may be NULL. */
struct cap_session_hooks {
	/* frame no is about to be decoded (pk and ri are reset) */
	void (*frame)(void *ctx, uint32_t no);
	/* an HTTP message completed in the current frame */
	void (*message)(void *ctx, const struct http_view *v);
	/* in-order bytes of a direction, before the dissector sees them */
	void (*data)(void *ctx, const struct flow *f, int dir,
		     const uint8_t *p, size_t n);
	/* n bytes of a direction that will never be seen */
	void (*gap)(void *ctx, const struct flow *f, int dir, uint64_t n);
	/* frame no is decoded (after every other hook of it): pp->pk,
	 * pp->ri and pp->pdu are its; the flow pp->ri.flow lives on */
	void (*frame_done)(void *ctx, const struct cap_pipe *pp);
	/* a TLS record completed in the current frame (tls_pipe.h) */
	tls_record_hook tls_record;
	/* after a switch from HTTP/1.x (http_app.h): a WebSocket frame, a
	 * WebSocket message, an HTTP/2 frame completed in the current frame
	 * (HTTP/2 requests and responses come through message) */
	void (*ws_frame)(void *ctx, const struct flow *f, int dir,
			 const struct ws_frame *wf);
	void (*ws_message)(void *ctx, const struct flow *f, int dir,
			   const struct ws_message *m);
	void (*h2_frame)(void *ctx, const struct flow *f, int dir,
			 const struct h2_frame *hf);
};

/* Bytes of a direction the current frame carried itself. */
struct cap_seg {
	const struct flow *f;
	int dir;
	uint64_t stream_off;		/* among the direction's bytes */
	uint32_t frame_off, len;	/* in the frame */
};
#define CAP_SEGS 4
#define CAP_PDU_BLOCKS 4

/* One run of the decoders over frames (the session's, or a replay's). */
struct cap_pipe {
	struct cap_session *s;
	struct ipfrag *frag;		/* NULL: fragments stay fragments */
	struct reasm *ra;
	struct dissect ds;
	struct tls_pipe *tls;		/* TLS before the dissector */
	const struct cap_session_hooks *hooks;
	void *ctx;
	uint32_t stream_as;		/* replay: the stream's number */
	uint32_t no;			/* frame being decoded */
	struct pkt pk;
	struct reasm_info ri;
	uint8_t kind;			/* of the frame being decoded */
	uint8_t app;			/* enum cap_app of that frame */
	struct cap_seg segs[CAP_SEGS];	/* what the frame delivered */
	unsigned nsegs;
	/* messages of several segments the frame completed (opts.pdus) */
	struct pdu_block pdu[CAP_PDU_BLOCKS];
	unsigned npdu;
	struct seg_span *pdu_segs;
	uint32_t npdu_segs, pdu_segs_cap;
};

/* What a TCP stream's whole first pass learnt (print_tcp.c shows it on
 * every frame of the stream, as tshark -2 does). */
struct cap_stream_info {
	int64_t irtt_ns;		/* 0: no handshake seen */
	uint8_t completeness;		/* TCPA_C_* bits */
};

struct cap_session {
	struct cap_session_opts o;
	struct capture cap;
	struct records rs;
	struct keylog kl;		/* opts.keylog's secrets */
	struct cap_pipe p;		/* the first (and second) pass */
	bool started;

	/* opts.rows: one row per frame, the HTTP Info texts */
	struct cap_row *rows;		/* [frame - 1] */
	size_t nrows, rows_cap;
	struct buf info;		/* NUL after each text */
	/* a row whose text is one of the recent rows' shares its copy
	 * (row_fill): the last frame's texts, written at [moved_from,
	 * + moved_len), now read at moved_to (moved_len 0: they stayed) */
	uint32_t *info_seen;		/* recent texts by hash, offset + 1 */
	size_t moved_from, moved_to, moved_len;
	struct cap_mark *marks;		/* frames with analysis marks */
	size_t nmarks, marks_cap;
	int64_t first_ns;

	/* per tcp.stream, filled until the rewind for a second pass */
	struct cap_stream_info *streams;
	size_t nstreams, streams_cap;
	bool rewound;
	uint32_t *pdu_in;		/* opts.pdus: [frame - 1], 0 none */
	size_t npdu_in;

	struct cap_pipe *cur;		/* the pipe decoding a frame now */
	uint8_t *rbuf;			/* read-back buffer */
	size_t rbuf_size;
	struct ipfrag *refrag;		/* cap_session_frame()'s table */
	char err[PCAP_ERRBUF_SIZE + 256];
};

/*
 * Set s up (zeroed first) with opts; hooks and ctx (borrowed) get the
 * first pass's frames.  Then open a source.  0, or -1 with s->err.
 */
void cap_session_init(struct cap_session *s,
		      const struct cap_session_opts *opts,
		      const struct cap_session_hooks *hooks, void *ctx);
int cap_session_open_file(struct cap_session *s, const char *path,
			  const char *bpf);
/* -1 with s->err; -2 when a permission is missing (see source.h). */
int cap_session_open_live(struct cap_session *s,
			  const struct cap_live_opts *lo);

/*
 * (Re)start the decoders: fresh flow table and dissector, an emptied
 * fragment table (its history kept), frame numbering from 1.  keep_body
 * may change between passes.  0, or -1 on ENOMEM (s->err).
 */
int cap_session_start(struct cap_session *s, size_t keep_body);

/*
 * Second pass over a file: the records hand themselves back in order
 * (records.h), the file starts again, the index is not extended.  Call
 * cap_session_start() afterwards.  0, or -1 with s->err.
 */
int cap_session_rewind(struct cap_session *s);

/* Decode frame number s->p.no + 1 (h, data: its pcap header and bytes). */
void cap_session_feed(struct cap_session *s, const struct pcap_pkthdr *h,
		      const uint8_t *data);

/*
 * File: read and feed the next frame.  1 fed, 0 at the end, -1 on a read
 * error (s->cap.err).
 */
int cap_session_next(struct cap_session *s);

/* End of the capture: every hole given up, every direction ended. */
void cap_session_finish(struct cap_session *s);

/*
 * Read frame no (from 1) back and decode it into *pk; with rows, a frame
 * that completed an IP datagram is reassembled again.  Returns its bytes
 * (valid until the next call), or NULL.
 */
const uint8_t *cap_session_frame(struct cap_session *s, uint32_t no,
				 struct pkt *pk);

/* Frame no's analysis marks (flags, Dup ACK numbers) into *a; a frame
 * without any leaves *a as it is (needs rows). */
void cap_session_marks(const struct cap_session *s, uint32_t no,
		       struct tcpa_info *a);

/* The reasm_info of frame no rebuilt from its row (needs rows): the
 * relative numbers, window and analysis marks of the first pass. */
void cap_session_ri(const struct cap_session *s, uint32_t no,
		    const struct pkt *pk, struct flow *fl,
		    struct reasm_info *ri);

/*
 * Replay TCP stream st (needs rows): its frames (and the IP fragments
 * that complete them) up to frame last, through fresh decoders, with
 * hooks and ctx; the flow is numbered st.  rs: records in replay mode
 * (see cap_session_stream_records), or NULL for a scratch store.
 * last == UINT32_MAX ends the stream as the capture does.  0 or -1.
 */
int cap_session_replay(struct cap_session *s, uint32_t st, uint32_t last,
		       struct records *rs, size_t keep_body,
		       const struct cap_session_hooks *hooks, void *ctx);

/*
 * Copy stream st's records into rs (replay mode, links renumbered), for
 * cap_session_replay().  0 or -1; rec_free() it afterwards.
 */
int cap_session_stream_records(const struct cap_session *s, uint32_t st,
			       struct records *rs);

/*
 * During a message hook: where the message's bytes (len of them from
 * its head on) are in the frame being decoded.  True with *off set when
 * the frame carried them all itself (else they are a reassembly).
 */
bool cap_session_in_frame(const struct cap_session *s,
			  const struct http_view *v, size_t len,
			  uint32_t *off);

/* Frames decoded (rows kept) so far. */
static inline const struct cap_row *
cap_session_row(const struct cap_session *s, uint32_t no)
{
	return no && no <= s->nrows ? &s->rows[no - 1] : NULL;
}

/* What the capture says of TCP stream st (zeroes when unknown). */
struct cap_stream_info cap_session_stream(const struct cap_session *s,
					  uint32_t st);

/* opts.pdus: the frame that completed the message frame no's payload
 * went into (known after the first pass), or 0. */
uint32_t cap_session_pdu_in(const struct cap_session *s, uint32_t no);

/* Internal (session_pdu.c): a frame's deliveries, a message's frames. */
void cap_pdu_data(struct cap_pipe *pp, struct flow *f, int dir, size_t n,
		  uint32_t frame);
/* a resent segment (seq, n payload bytes) that delivered nothing */
void cap_pdu_resent(struct cap_pipe *pp, struct flow *f, int dir, uint32_t seq,
		    uint32_t n, uint32_t frame);
void cap_pdu_message(struct cap_pipe *pp, const struct http_view *v);
void cap_pdu_release(struct flow *f);

/* Capture time of frame no since the first, in ns (0 unknown). */
int64_t cap_session_rel_ns(const struct cap_session *s, uint32_t no);

void cap_session_close(struct cap_session *s);

/*
 * A run of fresh decoders (fragment table, flow table, dissector) over
 * frames read back from s, for work that must see frames again in order:
 * the TUI's filter scan, a stream replay.  rs: the records the dissector
 * creates (or hands back, in replay mode), borrowed.  stream_as: number
 * every flow so (a one-stream replay), or CAP_NO_STREAM.  NULL on ENOMEM.
 */
struct cap_pipe *cap_pipe_new(struct cap_session *s, struct records *rs,
			      size_t keep_body,
			      const struct cap_session_hooks *hooks, void *ctx,
			      uint32_t stream_as);
/* Read frame no of s back and decode it through pp; 0, or -1. */
int cap_pipe_feed(struct cap_pipe *pp, uint32_t no);
/* End of the capture for pp (holes given up, directions ended). */
void cap_pipe_finish(struct cap_pipe *pp);
void cap_pipe_free(struct cap_pipe *pp);

/* Internal to session*.c: a pipe's fresh decoders, one frame through,
 * the fragment tables' memory (IPFRAG_MEM_DEFAULT or --total-mem). */
size_t cap_session_frag_mem(const struct cap_session *s);
int cap_pipe_start(struct cap_pipe *pp, struct records *rs, size_t keep_body);
void cap_pipe_decode(struct cap_pipe *pp, uint32_t no, int64_t ns,
		     const uint8_t *data, uint32_t caplen, uint32_t len);

#endif
