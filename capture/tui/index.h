/*
 * index.h - the TUI's adapter over the sniffer: the frame index and the
 * HTTP records (capture/source.h, capture/records.h), built a slice at a
 * time while the screen is already up, and decoding on demand.
 *
 * Per frame the index keeps the frame_rec of source.h and a small row
 * (struct tui_frow, 24 bytes): the TCP stream, the relative seq/ack and
 * window the reassembly computed, flags, and where the frame's HTTP
 * summary text lives in one arena.  A visible row is rendered by reading
 * the frame back by offset, decoding it again and calling the sniffer's
 * own print_summary pieces with that saved state; the detail tree of the
 * selected frame is the sniffer's print_tree output for a replay of that
 * frame's TCP stream only; follow reassembles that stream only.  Display
 * filters run as a separate incremental pass (scan.c).
 *
 * Nothing here draws or exits; errors come back in ix->err.
 */
#ifndef HTTPTOOL_TUI_INDEX_H
#define HTTPTOOL_TUI_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/http_dissect.h"
#include "capture/print.h"
#include "capture/reassembly.h"
#include "capture/records.h"
#include "capture/source.h"
#include "capture/stats.h"
#include "lib/buf.h"
#include "model.h"

#define TUI_NO_STREAM UINT32_MAX

enum {
	TUI_F_FLOW = 1, TUI_F_RETRANS = 2, TUI_F_OOO = 4, TUI_F_FILLED = 8,
	TUI_F_PDU = 16,
};

struct tui_frow {
	uint32_t stream;		/* tcp.stream or TUI_NO_STREAM */
	uint32_t rel_seq, rel_ack, win;
	uint32_t info_off;		/* HTTP info in ix->info */
	uint16_t info_len;		/* 0: not an HTTP frame */
	uint8_t kind;			/* enum tui_kind */
	uint8_t flags;			/* TUI_F_* */
};

/* What one message record looks like in the flow view. */
struct tui_rinfo {
	uint32_t info_off;
	uint16_t info_len;
	uint8_t kind;
};

struct tui_index {
	const char *prog;
	struct capture cap;
	struct records rs;
	struct reasm *ra;
	struct dissect ds;
	struct tui_frow *rows;		/* [frame - 1] */
	size_t nrows, rows_cap;
	struct buf info;		/* HTTP summaries, NUL after each */
	struct tui_rinfo *rinfo;	/* [record] */
	size_t rinfo_cap;
	bool done;			/* file: every frame indexed */
	bool read_error;
	int64_t first_ns;
	uint64_t dropped;		/* live: kernel drops */
	struct stats st;		/* the --stats tables, kept as we go */

	/* the frame being indexed */
	uint32_t no;
	struct pkt pk;
	struct reasm_info ri;
	uint8_t kind;
	size_t info_start;

	uint8_t *pkt;			/* read-back buffer */
	size_t pkt_size;
	char err[PCAP_ERRBUF_SIZE + 256];
};

/* Open a file ("-" stdin) or a live interface; 0 or -1 with ix->err. */
int tui_index_open_file(struct tui_index *ix, const char *path,
			const char *bpf);
int tui_index_open_live(struct tui_index *ix,
			const struct cap_live_opts *o);
void tui_index_close(struct tui_index *ix);

/* File: index up to max more frames.  Returns how many, 0 at the end. */
size_t tui_index_step(struct tui_index *ix, size_t max);

/* Live: take the frames waiting in the kernel (up to max); how many. */
int tui_index_live(struct tui_index *ix, int max);

/* Frames indexed so far. */
static inline size_t
tui_index_frames(const struct tui_index *ix)
{
	return ix->nrows;
}

/* Read frame no back and decode it into *pk; its bytes or NULL. */
const uint8_t *tui_index_frame(struct tui_index *ix, uint32_t no,
			       struct pkt *pk);

/* The reasm_info of a frame rebuilt from its row (fl holds the stream). */
void tui_index_ri(const struct tui_frow *r, const struct pkt *pk,
		  struct flow *fl, struct reasm_info *ri);

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

/* The --stats tables (capture/stats.c) over the frames indexed so far. */
int tui_index_stats(struct tui_index *ix, struct tui_text *tv);

/* Frames of the model's selection rule (all, marked or shown) to path. */
int tui_index_save(struct tui_index *ix, const char *path,
		   const struct tui_model *m, int which, size_t *written);
enum { TUI_SAVE_ALL, TUI_SAVE_MARKED, TUI_SAVE_SHOWN };

#endif
