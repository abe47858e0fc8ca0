/*
 * zstat.h - tshark's -z statistics: "conv,tcp", "conv,udp" (one row per
 * conversation: frames and bytes each way, start relative to the first
 * frame, duration) and "endpoints,ip", "endpoints,ipv6" (one row per
 * address: packets and bytes, sent and received), printed after the
 * frames in tshark's layout, the last -z first as tshark does.
 *
 * Fed one decoded frame at a time (zstat_frame); the tables grow with
 * the number of conversations and addresses, not of frames.
 */
#ifndef HTTPTOOL_ZSTAT_H
#define HTTPTOOL_ZSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "pkt.h"
#include "zstat_tree.h"

enum zstat_kind { ZS_CONV_TCP, ZS_CONV_UDP, ZS_EP_IP, ZS_EP_IPV6,
		  ZS_HTTP_TREE, ZS_HTTP_REQ_TREE, ZS_HTTP_SRV_TREE };

struct zconv {
	uint8_t ipver, a[16], b[16];	/* a: source of the first frame */
	uint16_t pa, pb;
	bool udp;
	uint32_t stream;		/* tcp.stream, or ZSTAT_NO_STREAM */
	uint64_t frames[2], bytes[2];	/* [0] a to b, [1] b to a */
	uint64_t data[2];		/* TCP payload bytes each way */
	bool syn[2], fin[2], rst[2];	/* sent by a [0] or b [1] */
	unsigned requests;
	int64_t first_ns, last_ns;
	size_t order;
};

struct zep {
	uint8_t ipver, addr[16];
	uint64_t frames[2], bytes[2];	/* [0] sent, [1] received */
	size_t order;
};

#define ZSTAT_MAX 16
#define ZSTAT_NO_STREAM UINT32_MAX

struct zstat {
	enum zstat_kind kind[ZSTAT_MAX];	/* as given on the command line */
	size_t n;
	bool conns;			/* --stats: keep the TCP connections */
	bool oom;
	int64_t first_ns;		/* of the first frame */
	bool started;
	struct zconv *conv;
	size_t nconv, capconv;
	struct zep *ep;
	size_t nep, capep;
	struct zst tree[3];		/* http, http_req, http_srv (.root
					   NULL: not asked for) */
};

/* Parse one -z argument into z; 0, or -1 with err filled. */
int zstat_add(struct zstat *z, const char *arg, char *err, size_t errlen);

/* Count one frame captured at ns with wire length len, of TCP stream
 * stream (ZSTAT_NO_STREAM when none). */
void zstat_frame(struct zstat *z, const struct pkt *pk, int64_t ns,
		 uint32_t len, uint32_t stream);

/* One HTTP/1.x message for the -z http*,tree statistics. */
void zstat_http(struct zstat *z, const struct zst_msg *m);

/* A request went over TCP stream stream (--stats' connection table). */
void zstat_request(struct zstat *z, uint32_t stream);

/* --stats: one line per TCP connection (client, server, requests, bytes
 * each way, duration, how it ended); 0, or -1 out of memory. */
int zstat_print_conns(const struct zstat *z, struct buf *out);

/* Append every table asked for; 0, or -1 when memory ran out on the way
 * (the tables then miss what could not be counted). */
int zstat_print(const struct zstat *z, struct buf *out);

void zstat_free(struct zstat *z);

#endif
