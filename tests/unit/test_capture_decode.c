/*
 * test_capture_decode.c - the bounds-checked cursor and the layer
 * decoders: every link type, IPv6 extension headers, TCP options, and
 * frames cut at every length (placed against a guard page, so a read past
 * the captured bytes crashes the test).
 */
#include <pcap/dlt.h>
#include <string.h>

#include "capture/extract.h"
#include "capture/pkt.h"
#include "unit.h"

/* IPv4 + TCP (with MSS, SACK_PERM, TS, WS) + "GET /" */
static const uint8_t ip4_tcp[] = {
	0x45, 0x00, 0x00, 0x41, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0x03, 0xe8, 0, 0, 0, 0,
	0xa0, 0x02, 0xff, 0xff, 0, 0, 0, 0,
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0, 0, 0, 7, 0, 0, 0, 9,
	0x01, 0x03, 0x03, 0x07,
	'G', 'E', 'T', ' ', '/',
};

TEST(cursor_sticky_error)
{
	const uint8_t b[] = { 1, 2, 3 };
	struct cursor c;

	cur_init(&c, (const uint8_t *)unit_guard(b, 3), 3);
	CHECK_EQ(get_be16(&c), 0x0102);
	CHECK_EQ(get_be16(&c), 0);	/* one byte left: error */
	CHECK(c.err);
	CHECK_EQ(get_u8(&c), 0);	/* stays in error */
	CHECK_EQ(cur_left(&c), 0);
	cur_init(&c, b, 3);
	CHECK(cur_narrow(&c, 2));
	CHECK_EQ(cur_left(&c), 2);
	CHECK(!cur_narrow(&c, 5));
}

static void
check_tcp(const struct pkt *pk)
{
	CHECK(pk->tcp);
	CHECK_EQ(pk->ipver, 4);
	CHECK_EQ(pk->sport, 40000);
	CHECK_EQ(pk->dport, 80);
	CHECK_EQ(pk->seq, 1000);
	CHECK_EQ(pk->flags, TCP_SYN);
	CHECK_EQ(pk->mss, 1460);
	CHECK(pk->sack_perm);
	CHECK(pk->has_ts);
	CHECK_EQ(pk->tsval, 7);
	CHECK_EQ(pk->tsecr, 9);
	CHECK_EQ(pk->wscale, 7);
	CHECK_EQ(pk->payload_len, 5);
	CHECK(!pk->trunc);
	CHECK(!pk->invalid);
}

static void
decode_with(int dlt, const uint8_t *hdr, size_t hlen, struct pkt *pk)
{
	uint8_t frame[256];

	if (hlen)
		memcpy(frame, hdr, hlen);
	memcpy(frame + hlen, ip4_tcp, sizeof(ip4_tcp));
	pkt_decode(pk, dlt, (const uint8_t *)unit_guard(frame, hlen + sizeof(ip4_tcp)),
		   (uint32_t)(hlen + sizeof(ip4_tcp)),
		   (uint32_t)(hlen + sizeof(ip4_tcp)));
}

TEST(decode_every_link_type)
{
	static const uint8_t eth[14] = { [12] = 0x08, [13] = 0x00 };
	static const uint8_t sll[16] = { [2] = 0x03, [3] = 0x04, [14] = 0x08 };
	static const uint8_t sll2[20] = { 0x08, 0x00, [7] = 1 };
	static const uint8_t null_le[4] = { 2, 0, 0, 0 };
	static const uint8_t null_be[4] = { 0, 0, 0, 2 };
	static const uint8_t loop[4] = { 0, 0, 0, 2 };
	struct pkt pk;

	decode_with(DLT_EN10MB, eth, 14, &pk);
	check_tcp(&pk);
	CHECK_EQ(pk.link, LINK_ETHER);
	decode_with(DLT_LINUX_SLL, sll, 16, &pk);
	check_tcp(&pk);
	CHECK_EQ(pk.sll_hatype, 772);
	decode_with(DLT_LINUX_SLL2, sll2, 20, &pk);
	check_tcp(&pk);
	CHECK_EQ(pk.sll_ifindex, 1);
	decode_with(DLT_NULL, null_le, 4, &pk);
	check_tcp(&pk);
	decode_with(DLT_NULL, null_be, 4, &pk);
	check_tcp(&pk);
	decode_with(DLT_LOOP, loop, 4, &pk);
	check_tcp(&pk);
	decode_with(DLT_RAW, NULL, 0, &pk);
	check_tcp(&pk);
	decode_with(DLT_EN10MB + 1000, eth, 14, &pk);	/* unknown link */
	CHECK(!pk.tcp);
	CHECK_EQ(pk.link, LINK_UNKNOWN);
}

TEST(decode_ipv6_extension_headers_and_bsd_families)
{
	uint8_t f[4 + 40 + 8 + sizeof(ip4_tcp) - 20];
	size_t tcp_len = sizeof(ip4_tcp) - 20;
	static const uint32_t fams[] = { 10, 24, 28, 30 };
	struct pkt pk;
	size_t i;

	memset(f, 0, sizeof(f));
	f[4] = 0x60;
	f[4 + 4] = 0;
	f[4 + 5] = (uint8_t)(8 + tcp_len);
	f[4 + 6] = 0;		/* hop-by-hop */
	f[4 + 7] = 64;
	f[4 + 8] = 0x20;	/* 2000:: */
	f[4 + 40] = 6;		/* next: TCP, length 0 (8 bytes) */
	memcpy(f + 4 + 48, ip4_tcp + 20, tcp_len);
	for (i = 0; i < 4; i++) {
		f[0] = (uint8_t)fams[i];
		pkt_decode(&pk, DLT_NULL, (const uint8_t *)unit_guard(f, sizeof(f)),
			   sizeof(f), sizeof(f));
		CHECK_EQ(pk.ipver, 6);
		CHECK_EQ(pk.ip_hlen, 48);
		CHECK(pk.tcp);
		CHECK_EQ(pk.payload_len, 5);
	}
	f[0] = 99;
	pkt_decode(&pk, DLT_NULL, f, sizeof(f), sizeof(f));
	CHECK(pk.invalid != NULL);
	CHECK(!pk.tcp);
}

TEST(decode_every_cut_length_is_marked_not_read)
{
	static const uint8_t eth[14] = { [12] = 0x08, [13] = 0x00 };
	uint8_t frame[14 + sizeof(ip4_tcp)];
	struct pkt pk;
	size_t n;

	memcpy(frame, eth, 14);
	memcpy(frame + 14, ip4_tcp, sizeof(ip4_tcp));
	for (n = 0; n < sizeof(frame); n++) {
		const uint8_t *g = (const uint8_t *)unit_guard(frame, n);

		pkt_decode(&pk, DLT_EN10MB, g, (uint32_t)n, sizeof(frame));
		CHECK(pk.trunc != LAYER_NONE);
		CHECK(pk.payload_len <= 5);
		if (n < 14)
			CHECK_EQ(pk.trunc, LAYER_LINK);
		else if (n < 14 + 20)
			CHECK_EQ(pk.trunc, LAYER_IP);
		else
			CHECK_EQ(pk.trunc, LAYER_TCP);
	}
}

TEST(decode_rejects_lying_lengths)
{
	uint8_t f[sizeof(ip4_tcp)];
	struct pkt pk;

	memcpy(f, ip4_tcp, sizeof(f));
	f[0] = 0x43;		/* IHL 12 bytes */
	pkt_decode(&pk, DLT_RAW, f, sizeof(f), sizeof(f));
	CHECK(pk.invalid != NULL);
	CHECK(!pk.tcp);
	memcpy(f, ip4_tcp, sizeof(f));
	f[32] = 0x10;		/* TCP offset 4 words */
	pkt_decode(&pk, DLT_RAW, f, sizeof(f), sizeof(f));
	CHECK(!pk.tcp);
	memcpy(f, ip4_tcp, sizeof(f));
	f[41] = 0;		/* MSS option length 0 */
	pkt_decode(&pk, DLT_RAW, f, sizeof(f), sizeof(f));
	CHECK(pk.invalid != NULL);
	memcpy(f, ip4_tcp, sizeof(f));
	f[3] = 0x30;		/* total length shorter than the headers */
	pkt_decode(&pk, DLT_RAW, f, sizeof(f), sizeof(f));
	CHECK(pk.tcp);
	CHECK_EQ(pk.payload_len, 0);
	memcpy(f, ip4_tcp, sizeof(f));
	f[6] = 0x20;		/* more fragments */
	pkt_decode(&pk, DLT_RAW, f, sizeof(f), sizeof(f));
	CHECK(pk.ip_fragment);
	CHECK(!pk.tcp);
}
