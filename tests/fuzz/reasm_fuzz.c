/*
 * reasm_fuzz.c - libFuzzer harness for TCP reassembly (capture/reassembly.c).
 *
 * The input is a list of 8-byte segment records for up to four flows:
 *
 *   byte 0   flow (bits 0-1), sent by the server (bit 2), IPv6 (bit 3),
 *            sequence numbers start just below 2^32 (bit 4)
 *   byte 1   TCP flags: SYN, FIN, RST, ACK, PSH as bits 0-4
 *   byte 2-3 sequence offset from the sender's first sequence number
 *   byte 4-5 acknowledgement offset from the peer's first one
 *   byte 6   payload length on the wire
 *   byte 7   bit 0: payload taken from the input bytes that follow the
 *            record (may conflict with what was sent before), bit 1: only half of it captured (snaplen)
 *
 * Payload bytes normally follow a pattern fixed by (sequence number,
 * sender port), so the oracle is exact: every byte delivered in order must
 * be the pattern byte of its sequence number, unless conflicting bytes
 * were ever sent that way.  Also: no data after a direction's end, held
 * bytes within the per-flow limit, and everything freed (LeakSanitizer).
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reassembly.h"

#define FLOW_MEM 4096
#define TOTAL_MEM 10000

struct app {
	bool ended[2];
};

static bool conflicted[65536];

static uint8_t
pattern(uint32_t seq, uint16_t port)
{
	return (uint8_t)(seq * 131u + (seq >> 8) * 7u + (seq >> 16) + port);
}

static struct app *
app_of(struct flow *f)
{
	if (!f->app) {
		f->app = calloc(1, sizeof(struct app));
		assert(f->app);
	}
	return f->app;
}

static void
on_data(void *ctx, struct flow *f, int dir, const uint8_t *p, size_t n,
	uint32_t frame)
{
	uint16_t port = f->port[dir];
	uint32_t seq = f->d[dir].next;	/* not yet advanced past p */

	(void)ctx;
	(void)frame;
	assert(n > 0);
	assert(!app_of(f)->ended[dir]);
	if (conflicted[port])
		return;
	for (size_t i = 0; i < n; i++)
		assert(p[i] == pattern(seq + (uint32_t)i, port));
}

static void
on_gap(void *ctx, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	(void)ctx;
	(void)frame;
	assert(n > 0);
	assert(!app_of(f)->ended[dir]);
}

static void
on_eof(void *ctx, struct flow *f, int dir, uint32_t frame)
{
	(void)ctx;
	(void)frame;
	assert(!app_of(f)->ended[dir]);
	app_of(f)->ended[dir] = true;
}

static void
on_release(void *ctx, struct flow *f)
{
	(void)ctx;
	free(f->app);
	f->app = NULL;
}

static const struct reasm_cb cb = { on_data, on_gap, on_eof, on_release };

/* Feed one record; returns the input bytes it used. */
static size_t
one(struct reasm *r, const uint8_t *rec, const uint8_t *rest, size_t nrest,
    uint32_t frame)
{
	static uint8_t payload[256];
	struct pkt pk;
	struct reasm_info info;
	int flow = rec[0] & 3;
	bool server = rec[0] & 4;
	uint32_t isn_c = (rec[0] & 16) ? 0xffffff00u : 1000u;
	uint32_t isn_s = (rec[0] & 16) ? 0xfffffff0u : 50000u;
	static const uint16_t fl[] = { TCP_SYN, TCP_FIN, TCP_RST, TCP_ACK,
				       TCP_PSH };
	size_t used = 8;

	memset(&pk, 0, sizeof(pk));
	pk.tcp = true;
	pk.ipver = (rec[0] & 8) ? 6 : 4;
	pk.src[0] = pk.dst[0] = 10;
	pk.src[3] = server ? 2 : 1;
	pk.dst[3] = server ? 1 : 2;
	pk.sport = server ? (uint16_t)(8000 + flow) : (uint16_t)(40000 + flow);
	pk.dport = server ? (uint16_t)(40000 + flow) : (uint16_t)(8000 + flow);
	for (int i = 0; i < 5; i++)
		if (rec[1] & (1 << i))
			pk.flags |= fl[i];
	pk.seq = (server ? isn_s : isn_c) + (uint32_t)(rec[2] << 8 | rec[3]);
	pk.ack = (server ? isn_c : isn_s) + (uint32_t)(rec[4] << 8 | rec[5]);
	pk.win = 512;
	pk.wscale = -1;
	pk.payload_wire = rec[6];
	pk.payload_len = (rec[7] & 2) ? rec[6] / 2 : rec[6];
	if ((rec[7] & 1) && nrest >= pk.payload_len) {
		memcpy(payload, rest, pk.payload_len);
		conflicted[pk.sport] = true;
		used += pk.payload_len;
	} else {
		uint32_t s = pk.seq + ((pk.flags & TCP_SYN) ? 1 : 0);
		for (uint32_t i = 0; i < pk.payload_len; i++)
			payload[i] = pattern(s + i, pk.sport);
	}
	pk.data = payload;
	pk.caplen = pk.len = pk.payload_len;
	reasm_packet(r, &pk, frame, &info);
	if (info.flow) {
		assert(info.dir == 0 || info.dir == 1);
		assert(info.flow->d[info.dir].held_bytes <= FLOW_MEM);
		assert(info.flow->d[!info.dir].held_bytes <= FLOW_MEM);
	}
	return used;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reasm_limits lim = { FLOW_MEM, TOTAL_MEM };
	struct reasm *r;
	uint32_t frame = 1;

	memset(conflicted, 0, sizeof(conflicted));
	r = reasm_new(&lim, &cb, NULL);
	if (!r)
		return 0;
	for (size_t off = 0; off + 8 <= size;)
		off += one(r, data + off, data + off + 8, size - off - 8,
			   frame++);
	reasm_finish(r, frame);
	reasm_free(r);
	return 0;
}
