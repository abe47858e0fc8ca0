/*
 * test_tcp_reassembly.c - the flow table and in-order delivery: shuffled,
 * duplicated and overlapping segments give back the exact stream once;
 * the memory limits turn holes into gaps; sequence numbers wrap; streams
 * are numbered as Wireshark does.  Also the HTTP dissector fed one byte
 * per segment: pipelining and 100-continue pair by order.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/http_dissect.h"
#include "capture/reassembly.h"
#include "unit.h"

struct sink {
	char out[2][8192];
	size_t len[2];
	uint64_t gaps[2];
	int eofs[2];
};

static void
s_data(void *ctx, struct flow *f, int dir, const uint8_t *p, size_t n,
       uint32_t frame)
{
	struct sink *s = ctx;

	(void)f;
	(void)frame;
	if (s->len[dir] + n <= sizeof(s->out[dir]))
		memcpy(s->out[dir] + s->len[dir], p, n);
	s->len[dir] += n;
}

static void
s_gap(void *ctx, struct flow *f, int dir, uint64_t n, uint32_t frame)
{
	struct sink *s = ctx;

	(void)f;
	(void)frame;
	s->gaps[dir] += n;
	s->len[dir] += n;	/* keep offsets aligned */
}

static void
s_eof(void *ctx, struct flow *f, int dir, uint32_t frame)
{
	(void)f;
	(void)frame;
	((struct sink *)ctx)->eofs[dir]++;
}

static const struct reasm_cb sink_cb = { s_data, s_gap, s_eof, NULL };

/*
 * A TCP segment of connection cport (client 10.0.0.1, server 10.0.0.2:80)
 * from the client (dir 0) or the server, as a decoded packet; see unit.h.
 */
void
unit_tcp_seg(struct reasm *r, int from_server, uint32_t seq, uint16_t flags,
	     const void *payload, uint32_t n, uint32_t frame, uint16_t cport)
{
	struct pkt pk;
	struct reasm_info ri;
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };

	memset(&pk, 0, sizeof(pk));
	pk.ipver = 4;
	pk.tcp = true;
	pk.wscale = -1;
	memcpy(pk.src, from_server ? b : a, 4);
	memcpy(pk.dst, from_server ? a : b, 4);
	pk.sport = from_server ? 80 : cport;
	pk.dport = from_server ? cport : 80;
	pk.seq = seq;
	pk.ack = 1;
	pk.flags = flags == TCP_SYN && !from_server ? flags : flags | TCP_ACK;
	pk.data = payload;
	pk.payload_off = 0;
	pk.payload_len = pk.payload_wire = n;
	reasm_packet(r, &pk, frame, &ri);
}

static const struct reasm_limits big = { 1u << 20, 1u << 24 };

TEST(reasm_shuffled_duplicated_overlapping)
{
	char stream[2000];
	unsigned seed;
	size_t i;

	for (i = 0; i < sizeof(stream); i++)
		stream[i] = (char)('a' + i % 26);
	for (seed = 1; seed <= 50; seed++) {
		struct sink s = { 0 };
		struct reasm *r = reasm_new(&big, &sink_cb, &s);
		uint32_t isn = seed * 0x3fffffffu;	/* crosses the wrap */
		int k;

		srand(seed);
		unit_tcp_seg(r, 0, isn, TCP_SYN, NULL, 0, 1, 40000);
		for (k = 0; k < 60; k++) {
			uint32_t off = (uint32_t)rand() % 1900;
			uint32_t n = 1 + (uint32_t)rand() % 100;

			unit_tcp_seg(r, 0, isn + 1 + off, 0, stream + off, n, 2 + k, 40000);
		}
		/* then everything once, in order, to fill what is left */
		for (i = 0; i < sizeof(stream); i += 500)
			unit_tcp_seg(r, 0, isn + 1 + (uint32_t)i, 0, stream + i, 500, 99, 40000);
		CHECK_EQ(s.len[0], sizeof(stream));
		CHECK_EQ(s.gaps[0], 0);
		CHECK(memcmp(s.out[0], stream, sizeof(stream)) == 0);
		reasm_free(r);
	}
}

TEST(reasm_limits_turn_holes_into_gaps)
{
	static const struct reasm_limits small = { 100, 1000 };
	struct sink s = { 0 };
	struct reasm *r = reasm_new(&small, &sink_cb, &s);
	char d[300];

	memset(d, 'x', sizeof(d));
	unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, 1, 40000);
	unit_tcp_seg(r, 0, 1, 0, d, 50, 2, 40000);
	unit_tcp_seg(r, 0, 101, 0, d, 80, 3, 40000);	/* hole of 50, held */
	CHECK_EQ(s.len[0], 50);
	unit_tcp_seg(r, 0, 201, 0, d, 80, 4, 40000);	/* over the limit: give up */
	CHECK_EQ(s.gaps[0], 50);		/* the oldest hole only */
	CHECK_EQ(s.len[0], 180);
	reasm_finish(r, 5);			/* the rest at the end */
	CHECK_EQ(s.gaps[0], 70);
	CHECK_EQ(s.len[0], 280);
	CHECK_EQ(s.eofs[0], 1);
	CHECK_EQ(s.eofs[1], 1);
	reasm_free(r);
}

TEST(reasm_fin_rst_and_stream_numbers)
{
	struct sink s = { 0 };
	struct reasm *r = reasm_new(&big, &sink_cb, &s);
	struct pkt pk;

	unit_tcp_seg(r, 0, 100, TCP_SYN, NULL, 0, 1, 40000);
	unit_tcp_seg(r, 1, 500, TCP_SYN, NULL, 0, 2, 40000);
	unit_tcp_seg(r, 0, 101, 0, "hi", 2, 3, 40000);
	unit_tcp_seg(r, 0, 103, TCP_FIN, NULL, 0, 4, 40000);
	CHECK_EQ(s.eofs[0], 1);
	unit_tcp_seg(r, 1, 501, TCP_FIN, NULL, 0, 5, 40000);
	CHECK_EQ(s.eofs[1], 1);
	unit_tcp_seg(r, 0, 104, 0, NULL, 0, 6, 40000);	/* last ACK: same stream */
	unit_tcp_seg(r, 0, 9000, TCP_SYN, NULL, 0, 7, 40001);
	unit_tcp_seg(r, 0, 7000, TCP_SYN, NULL, 0, 8, 40000);	/* port reuse */
	CHECK_EQ(reasm_streams(r), 3);
	unit_tcp_seg(r, 1, 100, TCP_RST, NULL, 0, 9, 40001);
	CHECK_EQ(s.eofs[0], 2);
	memset(&pk, 0, sizeof(pk));	/* not TCP: ignored */
	reasm_free(r);
}

static int releases;

static void
s_release(void *ctx, struct flow *f)
{
	(void)ctx;
	(void)f;
	releases++;
}

TEST(reasm_forgets_old_closed_flows)
{
	static const struct reasm_cb cb = { s_data, s_gap, s_eof, s_release };
	struct sink s = { 0 };
	struct reasm *r = reasm_new(&big, &cb, &s);
	uint32_t frame = 1;
	const int n = 3 * REASM_CLOSED_KEEP;

	releases = 0;
	for (int i = 0; i < n; i++) {
		uint16_t port = (uint16_t)(1024 + i);
		unit_tcp_seg(r, 0, 100, TCP_SYN, NULL, 0, frame++, port);
		unit_tcp_seg(r, 1, 500, TCP_SYN, NULL, 0, frame++, port);
		unit_tcp_seg(r, 0, 101, 0, "hi", 2, frame++, port);
		unit_tcp_seg(r, 0, 103, TCP_FIN, NULL, 0, frame++, port);
		unit_tcp_seg(r, 1, 501, TCP_FIN, NULL, 0, frame++, port);
	}
	/* each closed flow gave its dissector state back at once ... */
	CHECK_EQ(releases, n);
	/* ... and the table holds only the most recent closed ones */
	CHECK(reasm_flow_count(r) <= REASM_CLOSED_KEEP + 1);
	CHECK_EQ(reasm_streams(r), n);
	/* a late ACK of a recent connection still belongs to its stream */
	unit_tcp_seg(r, 0, 104, 0, NULL, 0, frame++, (uint16_t)(1024 + n - 1));
	CHECK_EQ(reasm_streams(r), n);
	reasm_free(r);
	CHECK_EQ(releases, n);	/* closed flows are not released twice */
}

/* ---- the HTTP dissector over reassembly ---------------------------- */

static void
feed_bytewise(struct reasm *r, int server, uint32_t *seq, const char *text,
	      uint32_t *frame)
{
	size_t i, n = strlen(text);

	for (i = 0; i < n; i++)
		unit_tcp_seg(r, server, (*seq)++, 0, text + i, 1, (*frame)++, 40000);
}

TEST(dissect_pipelining_and_continue_pair_by_order)
{
	struct records rs;
	struct dissect d;
	struct reasm *r;
	uint32_t cseq = 1, sseq = 1, frame = 3;
	const struct http_rec *v;

	rec_init(&rs, true);
	dissect_init(&d, &rs, NULL, NULL, 0);
	r = reasm_new(&big, &dissect_reasm_cb, &d);
	unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, 1, 40000);
	unit_tcp_seg(r, 1, 0, TCP_SYN, NULL, 0, 2, 40000);
	feed_bytewise(r, 0, &cseq, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
		      "HEAD /b HTTP/1.1\r\nHost: h\r\n\r\n"
		      "POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
		      "Expect: 100-continue\r\n\r\n", &frame);
	feed_bytewise(r, 1, &sseq, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
		      "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
		      "HTTP/1.1 100 Continue\r\n\r\n", &frame);
	feed_bytewise(r, 0, &cseq, "abc", &frame);
	feed_bytewise(r, 1, &sseq, "HTTP/1.1 201 Created\r\nTransfer-Encoding: "
		      "chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", &frame);
	reasm_finish(r, frame);
	CHECK_EQ(rs.n, 7);
	/* records in head order: GET, HEAD, POST, 200, 200, 100, 201 */
	v = rec_get(&rs, 0);
	CHECK_EQ(v->type, REC_REQUEST);
	CHECK_EQ(v->pair, 4);
	CHECK_EQ(rec_get(&rs, 1)->pair, 5);
	CHECK_EQ(rec_get(&rs, 2)->pair, 7);	/* POST: the 201, not the 100 */
	CHECK_EQ(rec_get(&rs, 3)->pair, 1);
	CHECK_EQ(rec_get(&rs, 4)->pair, 2);
	CHECK_EQ(rec_get(&rs, 4)->body_len, 0);	/* HEAD: no body */
	CHECK_EQ(rec_get(&rs, 4)->content_length, 99);
	CHECK_EQ(rec_get(&rs, 5)->code, 100);
	CHECK_EQ(rec_get(&rs, 5)->pair, 3);
	CHECK_EQ(rec_get(&rs, 6)->code, 201);
	CHECK_EQ(rec_get(&rs, 6)->body_len, 2);
	CHECK(rec_get(&rs, 6)->malformed == NULL);
	CHECK_EQ(rec_get(&rs, 2)->nth, 3);
	CHECK_EQ(rec_stream_requests(&rs, 0), 3);
	/* every message completes on the frame of its last byte */
	CHECK(rec_get(&rs, 0)->frame < rec_get(&rs, 1)->frame);
	CHECK(rec_get(&rs, 2)->frame > rec_get(&rs, 5)->frame);
	reasm_free(r);
	rec_free(&rs);
}

TEST(dissect_resyncs_after_garbage_and_replays)
{
	struct records rs;
	struct dissect d;
	struct reasm *r;
	uint32_t cseq = 1, frame = 2;
	int pass;

	rec_init(&rs, false);
	for (pass = 0; pass < 2; pass++) {
		dissect_init(&d, &rs, NULL, NULL, 0);
		r = reasm_new(&big, &dissect_reasm_cb, &d);
		cseq = 1;
		frame = 2;
		unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, 1, 40000);
		feed_bytewise(r, 0, &cseq, "\x16\x03\x01garbage\r\nGET /x HTTP/1.1\r\n"
			      "Host: h\r\n\r\nnot http\r\nPUT /y HTTP/1.1\r\n"
			      "Content-Length: 1\r\n\r\nZ", &frame);
		reasm_finish(r, frame);
		reasm_free(r);
		CHECK_EQ(rs.n, 2);
		if (pass == 0)
			rec_replay(&rs);
	}
	CHECK_EQ(rec_get(&rs, 1)->body_len, 1);
	CHECK_EQ(rec_get(&rs, 1)->prev, 1);
	rec_free(&rs);
}

TEST(records_ring_keeps_only_recent)
{
	struct records rs;
	long i, r;

	rec_init(&rs, false);
	rec_set_ring(&rs, 4);
	for (i = 0; i < 10; i++)
		CHECK_EQ(rec_begin(&rs, REC_REQUEST, 0, 0, (uint32_t)i + 1), i);
	CHECK(rec_get(&rs, 5) == NULL);		/* forgotten */
	CHECK(rec_get(&rs, 6) != NULL);
	CHECK_EQ(rec_get(&rs, 9)->first_frame, 10);
	CHECK_EQ(rec_get(&rs, 9)->nth, 10);	/* counts survive */
	CHECK_EQ(rec_get(&rs, 9)->prev, 9);
	CHECK_EQ(rec_get(&rs, 8)->next, 10);
	r = rec_begin(&rs, REC_RESPONSE, 0, 1, 11);
	rec_pair(&rs, (size_t)r, 9, true);
	CHECK_EQ(rec_get(&rs, 9)->pair, 11);
	rec_pair(&rs, (size_t)r, 2, true);	/* expired: ignored */
	CHECK_EQ(rec_get(&rs, (size_t)r)->pair, 10);
	CHECK(rs.cap <= 4);
	rec_free(&rs);
}
