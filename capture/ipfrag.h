/*
 * ipfrag.h - IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200
 * §4.5), as Wireshark's ip.defragment / ipv6.defragment do it.
 *
 * Fragments are kept per datagram, keyed by (version, source, destination,
 * identification, and for IPv4 the protocol).  When the last hole closes,
 * the datagram's payload comes back whole and the decoder carries on with
 * TCP as if it had arrived in one piece, in the frame of the fragment that
 * completed it.
 *
 * Hostile input is the normal case, so every choice is a bound:
 *   - overlaps: first received wins (the bytes already held are kept, only
 *     the holes are filled from a later fragment; the datagram is kept and
 *     marked, where RFC 5722 would have an IPv6 host drop it, because a
 *     sniffer shows what was sent);
 *   - two different ends for one datagram, a fragment past the end, or a
 *     datagram longer than its header allows (65535 bytes): dropped;
 *   - at most IPFRAG_MAX_PIECES pieces a datagram, then it is dropped;
 *   - a datagram not completed IPFRAG_TIMEOUT_NS after its first fragment
 *     (capture time, Linux's ip6frag_time) is forgotten;
 *   - all held fragments together stay under mem_max: the oldest
 *     datagrams are forgotten first.
 * Memory is mem_max plus one datagram's output buffer, whatever the input.
 *
 * Depends only on the C library; capture/decode.c is its one user, with
 * the table the capture session (session.c) owns.
 */
#ifndef HTTPTOOL_IPFRAG_H
#define HTTPTOOL_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPFRAG_MEM_DEFAULT (4u << 20)		/* Linux's ipfrag_high_thresh */
#define IPFRAG_TIMEOUT_NS (60 * 1000000000LL)
#define IPFRAG_MAX_PIECES 1024
#define IPFRAG_HISTORY_MAX (1u << 20)

struct ipfrag_key {
	uint8_t ver;		/* 4 or 6 */
	uint8_t proto;		/* IPv4's protocol; 0 for IPv6 */
	uint32_t id;		/* 16 bits (IPv4) or 32 (IPv6) */
	uint8_t src[16], dst[16];	/* IPv4 uses the first 4 bytes */
};

/* One fragment as the IP decoder found it. */
struct ipfrag_frag {
	struct ipfrag_key key;
	uint32_t off;		/* in bytes */
	uint32_t len;
	bool more;		/* MF / M flag */
	uint8_t proto;		/* IPv6: Next Header of this fragment header */
	uint32_t max_len;	/* longest payload the header allows */
	const uint8_t *p;	/* borrowed: the fragment's payload */
	const uint8_t *hdr;	/* borrowed: bytes copied before the payload */
	uint32_t hdr_len;	/* when it completes (link + IP headers) */
};

/* Where one piece of a reassembled datagram came from. */
struct ipfrag_piece {
	uint32_t frame, off, len;
};

/*
 * A completed datagram.  Everything is owned by the table and valid until
 * the next ipfrag_add(), ipfrag_restart() or ipfrag_free().
 */
struct ipfrag_done {
	const uint8_t *frame;	/* hdr bytes, then the payload */
	uint32_t frame_len;
	const uint8_t *data;	/* the payload: frame + hdr_len */
	uint32_t len;
	uint8_t proto;		/* protocol (IPv6: from the offset 0 piece) */
	bool overlap;		/* a byte came twice: the first was kept */
	bool conflict;		/* ... and the copies differed */
	unsigned npieces;
	const struct ipfrag_piece *pieces;	/* in offset order */
};

struct ipfrag_stats {
	uint64_t done, timeouts, evicted, dropped;
	size_t mem;		/* now held */
	unsigned pending;	/* datagrams waiting for pieces */
};

enum ipfrag_result {
	IPFRAG_HELD = 0,	/* kept (or nothing new): wait for more */
	IPFRAG_DONE = 1,	/* *done describes the whole datagram */
	IPFRAG_DROPPED = -1,	/* hostile or over a limit: datagram forgotten */
};

struct ipfrag;

/*
 * A table holding at most mem_max bytes (0: IPFRAG_MEM_DEFAULT).  With
 * history, the frames of every completed datagram are remembered (up to
 * IPFRAG_HISTORY_MAX) so that a second pass can say where each fragment
 * was reassembled.  NULL when out of memory; free with ipfrag_free().
 */
struct ipfrag *ipfrag_new(size_t mem_max, bool history);
void ipfrag_free(struct ipfrag *t);

/*
 * Forget every pending fragment, keep the history (sorted, no longer
 * added to): the start of a second pass over the same frames.
 */
void ipfrag_restart(struct ipfrag *t);

/*
 * Add fragment f of frame at capture time ns.  Expired datagrams go
 * first.  Returns IPFRAG_DONE with *done filled when f completed its
 * datagram, IPFRAG_HELD or IPFRAG_DROPPED otherwise.
 */
enum ipfrag_result ipfrag_add(struct ipfrag *t, const struct ipfrag_frag *f,
			      uint32_t frame, int64_t ns,
			      const struct ipfrag_done **done);

/* Frame that completed the datagram frame was part of (history), or 0. */
uint32_t ipfrag_reassembled_in(const struct ipfrag *t, uint32_t frame);

const struct ipfrag_stats *ipfrag_stats(const struct ipfrag *t);

#endif
