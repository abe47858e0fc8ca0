/*
 * sniff_impl.h - state shared by sniff.c (modes and loops) and
 * sniff_frame.c (one frame: decode, dissect, filter, print).
 * Private to those two files.
 */
#ifndef HTTPTOOL_SNIFF_IMPL_H
#define HTTPTOOL_SNIFF_IMPL_H

#include "follow.h"
#include "frame_tree.h"
#include "har.h"
#include "ladder.h"
#include "http_dissect.h"
#include "pcapng.h"
#include "print.h"
#include "ptree.h"
#include "session.h"
#include "sniff.h"
#include "stats.h"
#include "zstat.h"

/* -r -Y -w: the frames to write (sniff_wfilter.c) */
struct wfilter_msg {
	uint32_t first, tag;	/* first frame; stream and direction */
};

struct wfilter {
	uint32_t *tag;		/* per frame: its payload's stream, dir */
	uint8_t *mark;		/* per frame: write it */
	size_t n;
	struct wfilter_msg *msgs;	/* completed in the current frame */
	size_t nmsgs, cap;
};

struct sniff {
	const struct sniff_opts *o;
	struct cap_session ss;		/* the decoders (session.h) */
	bool printing;			/* pass 2, or live */
	struct buf out;			/* pending stdout text */

	/* the frame being processed: ss.p.no, ss.p.pk, ss.p.ri */
	int64_t first_ns, prev_ns;
	int64_t prev_shown_ns;		/* -t dd: the last frame shown */
	struct buf info;
	struct frame_tree ft;		/* -V, -x, -Y: the frame's tree */
	bool app_nodes;			/* ft gets TLS and app nodes */
	const char *app_proto;		/* "WebSocket"/"HTTP2" in this frame */
	bool finishing;			/* input over: messages cut off */
	bool wfilt;			/* -r -Y -w: write matches and deps */
	struct wfilter wf;

	/* -w while reading a file, or --pcapng */
	pcap_t *dead;
	pcap_dumper_t *wdump;
	struct pcapng_writer *wng;

	/* --follow, --stats, --har */
	struct follow fo;
	struct stats st;
	struct har har;
	struct ladder lad;		/* --ladder */
	struct zstat z;			/* -z */
	bool quiet;			/* no per-frame output */

	uint64_t frames_seen, shown;
	int exit_status;
};

/* Decode, dissect and (when printing) print one frame. */
void sniff_frame(struct sniff *s, const struct pcap_pkthdr *h,
		 const uint8_t *data);

/* Write one frame to -w's file. */
void sniff_write_frame(struct sniff *s, const struct pcap_pkthdr *h,
		       const uint8_t *d);

/* -r -Y -w (pass 2): set up for nframes; note each frame, each message
 * it completes, and whether it matched; then write what was marked.
 * init and write return 0 or -1. */
int wfilter_init(struct wfilter *w, size_t nframes);
void wfilter_frame(struct wfilter *w, uint32_t no, const struct pkt *pk,
		   const struct reasm_info *ri);
void wfilter_message(struct wfilter *w, const struct http_view *v);
void wfilter_match(struct wfilter *w, uint32_t no, bool matched);
int wfilter_write(struct wfilter *w, struct sniff *s);
void wfilter_free(struct wfilter *w);

/* End of input: finish the session; the text outputs show messages the
 * capture cut off (no FIN) on a line of their own, after the frames. */
void sniff_finish(struct sniff *s);

/* What the session tells the sniffer (ctx = struct sniff). */
extern const struct cap_session_hooks sniff_hooks;

/* Write pending output when it is large (or always when force). */
void sniff_flush(struct sniff *s, bool force);

#endif
