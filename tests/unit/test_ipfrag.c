/*
 * test_ipfrag.c - IP fragment reassembly (capture/ipfrag.c) and its hook
 * in the decoder: in order, reversed, duplicated and overlapping pieces
 * give the datagram back once, first received bytes winning; a missing
 * piece never completes; the timeout, the memory cap, the 65535-byte
 * limit and the piece limit drop what they must; and a fragmented TCP
 * segment decoded through pkt_decode() comes out whole in the last frame.
 */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ipfrag.h"
#include "capture/pkt.h"
#include "unit.h"

#define SEC 1000000000LL

static uint8_t payload[4000];

static void
fill_payload(void)
{
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + i / 251);
}

static struct ipfrag_frag
frag(uint32_t id, uint32_t off, uint32_t len, bool more)
{
	struct ipfrag_frag f;

	memset(&f, 0, sizeof(f));
	f.key.ver = 4;
	f.key.proto = 6;
	f.key.id = id;
	f.key.src[0] = 10;
	f.key.dst[0] = 11;
	f.off = off;
	f.len = len;
	f.more = more;
	f.max_len = 65515;
	f.p = off < sizeof(payload) ? payload + off : payload;
	return f;
}

/* Add a fragment of payload; returns the result. */
static enum ipfrag_result
add(struct ipfrag *t, uint32_t id, uint32_t off, uint32_t len, bool more,
    uint32_t frame, int64_t ns, const struct ipfrag_done **d)
{
	struct ipfrag_frag f = frag(id, off, len, more);

	return ipfrag_add(t, &f, frame, ns, d);
}

static bool
whole(const struct ipfrag_done *d, uint32_t len)
{
	return d && d->len == len && !memcmp(d->data, payload, len);
}

TEST(ipfrag_in_order)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;

	fill_payload();
	CHECK_EQ(add(t, 1, 0, 1480, true, 1, 0, &d), IPFRAG_HELD);
	CHECK(d == NULL);
	CHECK_EQ(add(t, 1, 1480, 1480, true, 2, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 1, 2960, 1000, false, 3, 0, &d), IPFRAG_DONE);
	CHECK(whole(d, 3960));
	CHECK_EQ(d->npieces, 3);
	CHECK_EQ(d->pieces[0].frame, 1);
	CHECK_EQ(d->pieces[2].frame, 3);
	CHECK_EQ(d->pieces[2].off, 2960);
	CHECK_EQ(d->proto, 6);
	CHECK(!d->overlap);
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	CHECK_EQ(ipfrag_stats(t)->mem, 0);
	ipfrag_free(t);
}

TEST(ipfrag_reverse_order_and_header_copy)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;
	struct ipfrag_frag f = frag(2, 0, 800, true);
	static const uint8_t hdr[] = "HDR";

	fill_payload();
	CHECK_EQ(add(t, 2, 1600, 100, false, 1, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 2, 800, 800, true, 2, 0, &d), IPFRAG_HELD);
	f.hdr = hdr;
	f.hdr_len = 3;
	CHECK_EQ(ipfrag_add(t, &f, 3, 0, &d), IPFRAG_DONE);
	CHECK(whole(d, 1700));
	CHECK_EQ(d->frame_len, 1703);
	CHECK(!memcmp(d->frame, "HDR", 3));
	CHECK_EQ(d->pieces[0].frame, 3);	/* offset order */
	CHECK_EQ(d->pieces[1].frame, 2);
	CHECK_EQ(d->pieces[2].frame, 1);
	ipfrag_free(t);
}

TEST(ipfrag_duplicates_and_keys_apart)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;
	struct ipfrag_frag f = frag(3, 0, 1000, true);

	fill_payload();
	CHECK_EQ(add(t, 3, 0, 1000, true, 1, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 3, 0, 1000, true, 2, 0, &d), IPFRAG_HELD);
	/* same id, other protocol / other source: other datagrams */
	f.key.proto = 17;
	f.more = false;
	f.off = 1000;
	f.p = payload + 1000;
	CHECK_EQ(ipfrag_add(t, &f, 3, 0, &d), IPFRAG_HELD);
	f.key.proto = 6;
	f.key.src[0] = 99;
	CHECK_EQ(ipfrag_add(t, &f, 4, 0, &d), IPFRAG_HELD);
	CHECK_EQ(ipfrag_stats(t)->pending, 3);
	CHECK_EQ(add(t, 3, 1000, 500, false, 5, 0, &d), IPFRAG_DONE);
	CHECK(whole(d, 1500));
	CHECK(d->overlap);
	CHECK(!d->conflict);
	CHECK_EQ(d->npieces, 2);		/* the duplicate added nothing */
	ipfrag_free(t);
}

TEST(ipfrag_overlap_first_received_wins)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;
	struct ipfrag_frag f;
	uint8_t evil[600];

	fill_payload();
	memset(evil, 'X', sizeof(evil));
	CHECK_EQ(add(t, 4, 400, 400, true, 1, 0, &d), IPFRAG_HELD);
	/* covers [200, 800): only [200, 400) is a hole, the rest differs */
	f = frag(4, 200, 600, true);
	f.p = evil;
	CHECK_EQ(ipfrag_add(t, &f, 2, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 4, 0, 400, true, 3, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 4, 800, 200, false, 4, 0, &d), IPFRAG_DONE);
	CHECK(d && d->len == 1000);
	if (d && d->len == 1000) {
		CHECK(!memcmp(d->data + 400, payload + 400, 400));	/* kept */
		CHECK(!memcmp(d->data + 200, evil, 200));	/* hole filled */
		CHECK(!memcmp(d->data, payload, 200));		/* first wins */
		CHECK(d->overlap && d->conflict);
	}
	ipfrag_free(t);
}

TEST(ipfrag_missing_piece_never_completes)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;

	fill_payload();
	CHECK_EQ(add(t, 5, 0, 600, true, 1, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 5, 1200, 300, false, 2, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 5, 1200, 300, false, 3, 0, &d), IPFRAG_HELD);
	CHECK(d == NULL);
	CHECK_EQ(ipfrag_stats(t)->pending, 1);
	CHECK(ipfrag_stats(t)->mem > 900);
	ipfrag_free(t);			/* no leak under ASan */
}

TEST(ipfrag_timeout_in_capture_time)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;

	fill_payload();
	CHECK_EQ(add(t, 6, 0, 800, true, 1, 10 * SEC, &d), IPFRAG_HELD);
	/* 59 s later: still there, completes */
	CHECK_EQ(add(t, 6, 800, 8, false, 2, 69 * SEC, &d), IPFRAG_DONE);
	CHECK_EQ(add(t, 7, 0, 800, true, 3, 100 * SEC, &d), IPFRAG_HELD);
	/* 61 s later the first piece is forgotten: the rest cannot finish */
	CHECK_EQ(add(t, 7, 800, 8, false, 4, 161 * SEC, &d), IPFRAG_HELD);
	CHECK_EQ(ipfrag_stats(t)->timeouts, 1);
	CHECK_EQ(ipfrag_stats(t)->pending, 1);
	ipfrag_free(t);
}

TEST(ipfrag_memory_cap_evicts_oldest)
{
	struct ipfrag *t = ipfrag_new(8192, false);
	const struct ipfrag_done *d;
	uint32_t id;

	fill_payload();
	for (id = 100; id < 200; id++) {
		add(t, id, 0, 1000, true, id, 0, &d);
		CHECK(ipfrag_stats(t)->mem <= 8192);
	}
	CHECK(ipfrag_stats(t)->evicted > 90);
	CHECK(ipfrag_stats(t)->pending < 8);
	/* the newest is still there and completes */
	CHECK_EQ(add(t, 199, 1000, 10, false, 300, 0, &d), IPFRAG_DONE);
	CHECK(whole(d, 1010));
	/* one fragment larger than the whole cap is dropped */
	CHECK_EQ(add(t, 500, 0, 3000, true, 301, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 501, 0, 3000, true, 302, 0, &d), IPFRAG_HELD);
	ipfrag_free(t);
	t = ipfrag_new(1000, false);
	CHECK_EQ(add(t, 502, 0, 2000, true, 1, 0, &d), IPFRAG_DROPPED);
	CHECK_EQ(ipfrag_stats(t)->mem, 0);
	ipfrag_free(t);
}

TEST(ipfrag_hostile_lengths)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;
	struct ipfrag_frag f;

	fill_payload();
	/* past 65535 (ping of death): the datagram goes */
	CHECK_EQ(add(t, 8, 0, 1000, true, 1, 0, &d), IPFRAG_HELD);
	f = frag(8, 65528, 100, false);
	CHECK_EQ(ipfrag_add(t, &f, 2, 0, &d), IPFRAG_DROPPED);
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	/* offset + length past what this header allows */
	f = frag(9, 1000, 100, false);
	f.max_len = 1050;
	CHECK_EQ(ipfrag_add(t, &f, 3, 0, &d), IPFRAG_DROPPED);
	/* offset + length that would wrap 32 bits */
	f = frag(9, 0xfffffff0u, 0x20, false);
	CHECK_EQ(ipfrag_add(t, &f, 4, 0, &d), IPFRAG_DROPPED);
	/* two different ends */
	CHECK_EQ(add(t, 10, 800, 100, false, 5, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 10, 800, 200, false, 6, 0, &d), IPFRAG_DROPPED);
	/* a piece past the known end */
	CHECK_EQ(add(t, 11, 800, 100, false, 7, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 11, 0, 1000, true, 8, 0, &d), IPFRAG_DROPPED);
	/* zero-length pieces: a middle one says nothing, a last one ends */
	CHECK_EQ(add(t, 12, 8, 0, true, 9, 0, &d), IPFRAG_HELD);
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	CHECK_EQ(add(t, 12, 16, 0, false, 10, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 12, 0, 16, true, 11, 0, &d), IPFRAG_DONE);
	CHECK(whole(d, 16));
	/* tiny first fragment (RFC 1858): still just bytes */
	CHECK_EQ(add(t, 13, 0, 8, true, 12, 0, &d), IPFRAG_HELD);
	CHECK_EQ(add(t, 13, 8, 100, false, 13, 0, &d), IPFRAG_DONE);
	CHECK(whole(d, 108));
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	CHECK_EQ(ipfrag_stats(t)->mem, 0);
	ipfrag_free(t);
}

TEST(ipfrag_piece_limit)
{
	struct ipfrag *t = ipfrag_new(0, false);
	const struct ipfrag_done *d;
	uint32_t i;
	enum ipfrag_result r = IPFRAG_HELD;

	fill_payload();
	/* every other 8-byte piece: no two merge, the limit is reached */
	for (i = 0; i <= IPFRAG_MAX_PIECES && r == IPFRAG_HELD; i++) {
		struct ipfrag_frag f = frag(14, i * 16, 8, true);

		f.p = payload;
		r = ipfrag_add(t, &f, i + 1, 0, &d);
	}
	CHECK_EQ(r, IPFRAG_DROPPED);
	CHECK_EQ(i, IPFRAG_MAX_PIECES + 1);
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	ipfrag_free(t);
}

TEST(ipfrag_history_for_second_pass)
{
	struct ipfrag *t = ipfrag_new(0, true);
	const struct ipfrag_done *d;

	fill_payload();
	add(t, 20, 0, 800, true, 4, 0, &d);
	add(t, 21, 0, 800, true, 5, 0, &d);
	add(t, 21, 800, 8, false, 6, 0, &d);
	add(t, 20, 800, 8, false, 9, 0, &d);
	CHECK_EQ(ipfrag_reassembled_in(t, 4), 0);	/* not before pass 2 */
	ipfrag_restart(t);
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	CHECK_EQ(ipfrag_reassembled_in(t, 4), 9);
	CHECK_EQ(ipfrag_reassembled_in(t, 5), 6);
	CHECK_EQ(ipfrag_reassembled_in(t, 6), 0);	/* the last itself */
	CHECK_EQ(ipfrag_reassembled_in(t, 7), 0);
	ipfrag_free(t);
}

/* Ethernet + IPv4 fragment of a TCP segment, as the wire has it. */
static size_t
eth_frag(uint8_t *out, const uint8_t *seg, size_t seglen, uint32_t off,
	 size_t n, bool more)
{
	static const uint8_t eth[14] = { [12] = 0x08, [13] = 0x00 };
	uint16_t tot = (uint16_t)(20 + n), fl = (uint16_t)(off / 8 |
						       (more ? 0x2000 : 0));
	uint8_t ip[20] = { 0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot,
			   0x12, 0x34, (uint8_t)(fl >> 8), (uint8_t)fl, 64, 6,
			   0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };

	(void)seglen;
	memcpy(out, eth, 14);
	memcpy(out + 14, ip, 20);
	memcpy(out + 34, seg + off, n);
	return 34 + n;
}

TEST(ipfrag_decode_hook)
{
	struct ipfrag *t = ipfrag_new(0, false);
	uint8_t seg[1500], f1[1600], f2[1600];
	size_t n1, n2;
	struct pkt pk;

	memset(seg, 'a', sizeof(seg));
	/* TCP header: ports 40000 -> 80, data offset 5, PSH|ACK */
	memcpy(seg, "\x9c\x40\x00\x50\0\0\0\1\0\0\0\1\x50\x18\xff\xff\0\0\0\0",
	       20);
	n1 = eth_frag(f1, seg, sizeof(seg), 0, 1000, true);
	n2 = eth_frag(f2, seg, sizeof(seg), 1000, 500, false);
	/* no table: decoded as before, fragments left alone */
	pkt_decode(&pk, DLT_EN10MB, f1, (uint32_t)n1, (uint32_t)n1);
	CHECK(pk.ip_fragment && !pk.tcp);
	CHECK_EQ(ipfrag_stats(t)->pending, 0);
	/* with the table: the second fragment carries the whole segment */
	pkt_decode_defrag(&pk, t, 1, 0, DLT_EN10MB, f1, (uint32_t)n1,
			  (uint32_t)n1);
	CHECK(pk.ip_fragment && !pk.tcp);
	CHECK_EQ(pk.frag_off, 0);
	CHECK(pk.frag_more);
	CHECK_EQ(pk.frag_id, 0x1234);
	pkt_decode_defrag(&pk, t, 2, 0, DLT_EN10MB, f2, (uint32_t)n2,
			  (uint32_t)n2);
	CHECK(!pk.ip_fragment);
	CHECK(pk.tcp);
	CHECK(pk.frag_done != NULL);
	CHECK_EQ(pk.sport, 40000);
	CHECK_EQ(pk.dport, 80);
	CHECK_EQ(pk.payload_wire, 1480);
	CHECK_EQ(pk.payload_len, 1480);
	CHECK_EQ(pk.ip_total, 520);		/* the last fragment's header */
	CHECK(pk.payload_off + pk.payload_len <= pk.caplen);
	CHECK(!memcmp(pk.data + pk.payload_off, seg + 20, 1480));
	/* decoded again without the table (a printer): a fragment */
	pkt_decode(&pk, DLT_EN10MB, f2, (uint32_t)n2, (uint32_t)n2);
	CHECK(pk.ip_fragment && !pk.tcp && pk.data == f2);
	ipfrag_free(t);
}
