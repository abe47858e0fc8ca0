/*
 * index.h - the TUI's adapter over the capture session (session.h):
 * the session's frame index and rows, built a slice at a time while the
 * screen is already up, and its on-demand decoding.
 *
 * The session keeps one row per frame (struct cap_row: the TCP stream,
 * the relative seq/ack and window the reassembly computed, flags, the
 * HTTP summary text).  A visible row is rendered by decoding the frame
 * again through the session and calling the sniffer's own print_summary
 * pieces with that saved state; the detail tree of the selected frame
 * is the session's replay of that frame's TCP stream; follow replays
 * that stream too.  Display filters run as a separate incremental pass
 * (scan.c).  Here only the per-record summaries (the flow view) and the
 * --stats tables are kept besides.
 *
 * Nothing here draws or exits; errors come back in ix->err.
 */
#ifndef HTTPTOOL_TUI_INDEX_H
#define HTTPTOOL_TUI_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/print.h"
#include "capture/session.h"
#include "capture/stats.h"
#include "lib/buf.h"
#include "model.h"

#define TUI_NO_STREAM CAP_NO_STREAM

/* What one message record looks like in the flow view: its summary text
 * is where the session put it for the frame's row (ss.info), or for an
 * HTTP/2 message, which the row does not name, in ix->info (own). */
struct tui_rinfo {
	uint32_t info_off;
	uint16_t info_len;
	uint8_t kind;
	uint8_t own;
};

/* The session limits the TUI honours (--flow-mem, --total-mem). */
struct tui_limits {
	size_t flow_mem, total_mem;	/* 0: the defaults */
	const char *keylog;		/* NSS key log to decrypt TLS, or NULL */
};

/* A response time waiting for its request's summary (index.c). */
struct tui_pend {
	uint32_t rec;
	double ms;
};

struct tui_index {
	const char *prog;
	struct cap_session ss;		/* the decoders, rows, records */
	struct buf info;		/* HTTP/2 records' summaries */
	size_t info_end;		/* ss.info's end after the last record */
	struct tui_rinfo *rinfo;	/* [record] */
	size_t rinfo_cap;
	bool done;			/* file: every frame indexed */
	size_t max_frames;		/* -c: index no more, 0 no limit */
	bool read_error;
	uint64_t dropped;		/* live: kernel drops */
	struct stats st;		/* the --stats tables, kept as we go */
	struct tui_pend *pend;		/* times waiting for their URI */
	size_t npend, pend_cap;
	uint32_t *frame_recs;		/* records whose text is in the row
					   being decoded (ss.moved_*) */
	size_t nframe_recs, frame_recs_cap;
	char err[PCAP_ERRBUF_SIZE + 256];
};

/* Open a file ("-" stdin) or a live interface; 0 or -1 with ix->err. */
int tui_index_open_file(struct tui_index *ix, const char *path,
			const char *bpf, const struct tui_limits *lim);
int tui_index_open_live(struct tui_index *ix, const struct cap_live_opts *o,
			const struct tui_limits *lim);
void tui_index_close(struct tui_index *ix);

/* File: index up to max more frames.  Returns how many, 0 at the end. */
size_t tui_index_step(struct tui_index *ix, size_t max);

/* Live: take the frames waiting in the kernel (up to max); how many. */
int tui_index_live(struct tui_index *ix, int max);

/* Frames indexed so far. */
static inline size_t
tui_index_frames(const struct tui_index *ix)
{
	return ix->ss.nrows;
}

/* The summary text of record rec ("GET /x HTTP/1.1"), not NUL-ended:
 * *len bytes, or NULL when it has none. */
static inline const char *
tui_index_rtext(const struct tui_index *ix, size_t rec, size_t *len)
{
	const struct tui_rinfo *r;

	if (rec >= ix->rinfo_cap || !ix->rinfo[rec].info_len)
		return NULL;
	r = &ix->rinfo[rec];
	*len = r->info_len;
	return (r->own ? ix->info.data : ix->ss.info.data) + r->info_off;
}

/* Read frame no back and decode it into *pk; its bytes or NULL. */
static inline const uint8_t *
tui_index_frame(struct tui_index *ix, uint32_t no, struct pkt *pk)
{
	return cap_session_frame(&ix->ss, no, pk);
}

/* Stream of frame no, or TUI_NO_STREAM. */
static inline uint32_t
tui_index_stream(const struct tui_index *ix, uint32_t no)
{
	const struct cap_row *r = cap_session_row(&ix->ss, no);

	return r ? r->stream : TUI_NO_STREAM;
}

/*
 * The columns of frame no: cols[0..5] = time, source, destination,
 * protocol, length, info, NUL-separated in out.  Returns the colour
 * kind, or -1 when the frame cannot be read.
 */
int tui_index_row(struct tui_index *ix, uint32_t no, struct buf *out,
		  const char **cols);

/*
 * The -V tree of frame no into tree (nodes with byte ranges for the hex
 * pane) and its bytes into bytes.  0, or -1 when it cannot be read.
 */
int tui_index_detail(struct tui_index *ix, uint32_t no, struct tui_tree *tree,
		     struct buf *bytes);

/* Stream st as text, client and server lines coloured (f view). */
enum { TUI_FOLLOW_ASCII, TUI_FOLLOW_HEX, TUI_FOLLOW_HTTP };
int tui_index_follow(struct tui_index *ix, uint32_t st, int mode,
		     struct tui_text *tv);

/* One row per request/response exchange (the h view). */
int tui_index_flows(struct tui_index *ix, struct tui_text *tv,
		    uint32_t *frames, size_t max);

/* An empty statistics table that finds request URIs in ix's records. */
void tui_index_stats_init(struct tui_index *ix, struct stats *st);

/* The --stats tables (capture/stats.c), a histogram of the response
 * times and the status codes by URI: st is ix->st (every frame indexed)
 * or a display filter's (scan.h); m says which rows are displayed
 * (their frames are read back for the connection table). */
int tui_index_stats(struct tui_index *ix, const struct stats *st,
		    const struct tui_model *m, struct tui_text *tv);

/*
 * Frames of the model's selection rule (all, marked, shown, or frames
 * lo..hi) as a pcap file to fd (taken: closed in every case).  0, or -1
 * with ix->err the reason (no path in it: the caller names the file).
 */
int tui_index_save(struct tui_index *ix, int fd, const struct tui_model *m,
		   int which, uint32_t lo, uint32_t hi, size_t *written);
enum { TUI_SAVE_ALL, TUI_SAVE_MARKED, TUI_SAVE_SHOWN, TUI_SAVE_RANGE };

#endif
