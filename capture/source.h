/*
 * source.h - where frames come from: a pcap/pcapng file, stdin, or a live
 * interface, and the frame index over them.
 *
 * The frame index keeps one struct frame_rec (24 bytes) per frame; the
 * bytes stay in the file and are read back by offset (cap_read_frame).
 * Files in pcapng format and stdin are first copied to a temporary pcap so
 * every source is a seekable pcap; a live capture is written to a
 * temporary pcap as it arrives (as dumpcap does), or to the -w file.
 *
 * Nothing here prints or exits; errors come back as a message in the
 * caller's buffer.  libpcap is loaded at run time (pcap_dl.h) by
 * cap_open_file, cap_open_live and cap_list_interfaces; when it cannot
 * be, they fail like any other open, with that message.
 */
#ifndef HTTPTOOL_SOURCE_H
#define HTTPTOOL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pcap_dl.h"

struct frame_rec {
	uint64_t off;		/* of the packet bytes in the pcap file */
	uint32_t sec, nsec;
	uint32_t caplen, len;
};

struct capture {
	pcap_t *pc;
	int dlt;
	bool live;
	FILE *rd;		/* read-back handle on the pcap file */
	uint8_t *win;		/* read-back window: CAP_WIN bytes of the */
	uint64_t win_off;	/* file from win_off (win_len of them), so */
	size_t win_len;		/* frames read in order cost no syscall */
	pcap_dumper_t *dump;	/* live: where frames are written */
	char *path;		/* the pcap file behind the index */
	bool unlink_path;	/* path is a temporary file */
	FILE *spare;		/* a second handle for cap_rewind(), so a
				   rewind needs no access to path */
	bool nsec;		/* file timestamps are in nanoseconds */
	bool usec_file;		/* a pcap of microseconds (tshark -t: 6
				   decimals, else 9) */
	struct frame_rec *frames;	/* the index; use cap_frame() */
	size_t nframes, cap;
	size_t ring;		/* 0: index every frame; else keep only the
				   last ring (a power of two) in memory */
	bool indexing;		/* append to the index (off in pass 2) */
	bool filtered;		/* a BPF filter skips records */
	uint64_t pos;		/* file offset of the next record */
	uint16_t *fdlt;		/* a pcapng file mixing link types: each
				   frame's DLT_ (else NULL: dlt for all) */
	size_t nfdlt;
	char err[PCAP_ERRBUF_SIZE + 256];
};

#define CAP_WIN (128 * 1024)
#define CAP_LIVE_SNAPLEN 65600	/* lo's MTU plus link header */
#define CAP_LIVE_BUFFER_MIB 256

struct cap_live_opts {
	const char *iface;	/* default "lo" */
	int snaplen;		/* 0: CAP_LIVE_SNAPLEN */
	int buffer_mib;		/* 0: CAP_LIVE_BUFFER_MIB */
	const char *bpf;	/* or NULL */
	const char *save;	/* pcap file to write (-w), NULL: temporary */
	bool immediate;		/* deliver each packet at once */
};

/* Open a file ("-" is stdin).  0, or -1 with c->err set. */
int cap_open_file(struct capture *c, const char *path, const char *bpf);

/*
 * Open a live capture.  Returns 0; -1 with c->err set; -2 when the
 * failure is a missing permission (c->err says how to grant it).
 */
int cap_open_live(struct capture *c, const struct cap_live_opts *o);

/*
 * File: next frame.  Returns 1 with *h and *data (valid until the next
 * call), 0 at the end, -1 on a read error (c->err).  Appends to the index
 * while c->indexing.
 */
int cap_next(struct capture *c, struct pcap_pkthdr **h, const uint8_t **data);

/* Live: save one frame to the capture file and index it. */
void cap_save(struct capture *c, const struct pcap_pkthdr *h,
	      const uint8_t *data);

/* File: start again from the first frame without indexing (pass 2). */
int cap_rewind(struct capture *c);

/*
 * File, before dropping privileges: open what cap_rewind() will need and
 * remove a temporary file from its directory now, so neither a rewind
 * nor the clean-up needs the rights being given up.  0, or -1 with
 * c->err set.
 */
int cap_detach_path(struct capture *c);

/*
 * Read frame i (0-based) back into buf (size at least its caplen).
 * Returns caplen, or -1.
 */
long cap_read_frame(struct capture *c, size_t i, uint8_t *buf, size_t size);

/* Index entry of frame i (0-based), or NULL (unknown, or forgotten by a
 * ring index). */
static inline const struct frame_rec *
cap_frame(const struct capture *c, size_t i)
{
	if (!c || i >= c->nframes || (c->ring && c->nframes - i > c->ring))
		return NULL;
	return &c->frames[c->ring ? i & (c->ring - 1) : i];
}

/* Link type (DLT_) of frame i (0-based). */
static inline int
cap_frame_dlt(const struct capture *c, size_t i)
{
	return c->fdlt && i < c->nfdlt ? c->fdlt[i] : c->dlt;
}

/* Append an index entry; NULL on ENOMEM. */
struct frame_rec *cap_index_add(struct capture *c);

/* Frame time as nanoseconds since the epoch. */
static inline int64_t
cap_frame_ns(const struct frame_rec *f)
{
	return (int64_t)f->sec * 1000000000 + f->nsec;
}

/* Closes everything; removes a temporary file unless keep is set. */
void cap_close(struct capture *c);

/* Print the interfaces (like tshark -D); 0 or -1 with err filled. */
int cap_list_interfaces(FILE *out, char *err, size_t errlen);

#endif
