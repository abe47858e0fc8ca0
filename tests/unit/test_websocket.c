/*
 * test_websocket.c - the WebSocket decoder (capture/websocket.c): frames
 * and messages whole and fed one byte at a time, unmasking, 16- and
 * 64-bit lengths, fragments, control frames between fragments, close
 * code and reason, permessage-deflate with and without context takeover,
 * the keep limit, malformed frames, and the extension header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "capture/websocket.h"
#include "unit.h"

struct wsx {
	int nf, nm;
	struct ws_frame f[16];
	char fdata[16][256];
	int mop[16];
	char mdata[16][4096];
	size_t mlen[16];
	bool mcut[16];
	const char *mbad[16];
	char reason[64];
};

static void
wsx_frame(void *ctx, const struct ws_frame *f)
{
	struct wsx *x = ctx;

	if (x->nf >= 16)
		return;
	x->f[x->nf] = *f;
	snprintf(x->fdata[x->nf], 256, "%.*s", (int)f->data.len, f->data.p);
	if (f->close_reason.p)
		snprintf(x->reason, sizeof(x->reason), "%.*s",
			 (int)f->close_reason.len, f->close_reason.p);
	x->nf++;
}

static void
wsx_msg(void *ctx, const struct ws_message *m)
{
	struct wsx *x = ctx;
	size_t n = m->data.len < 4095 ? m->data.len : 4095;

	if (x->nm >= 16)
		return;
	x->mop[x->nm] = m->opcode;
	memcpy(x->mdata[x->nm], m->data.p, n);
	x->mdata[x->nm][n] = '\0';
	x->mlen[x->nm] = m->data.len;
	x->mcut[x->nm] = m->cut;
	x->mbad[x->nm] = m->malformed;
	x->nm++;
}

static const struct ws_cb wsx_cb = { wsx_frame, wsx_msg };

/* Append a frame to b: masked with key when key is not NULL. */
static size_t
put_frame(uint8_t *b, int fin, int rsv, int op, const uint8_t *key,
	  const void *payload, size_t n)
{
	size_t h = 2, i;

	b[0] = (uint8_t)((fin ? 0x80 : 0) | rsv << 4 | op);
	if (n < 126) {
		b[1] = (uint8_t)n;
	} else if (n < 65536) {
		b[1] = 126;
		b[2] = (uint8_t)(n >> 8);
		b[3] = (uint8_t)n;
		h = 4;
	} else {
		b[1] = 127;
		for (i = 0; i < 8; i++)
			b[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
		h = 10;
	}
	if (key) {
		b[1] |= 0x80;
		memcpy(b + h, key, 4);
		h += 4;
	}
	for (i = 0; i < n; i++)
		b[h + i] = ((const uint8_t *)payload)[i] ^ (key ? key[i & 3] : 0);
	return h + n;
}

static void
feed_both_ways(const uint8_t *b, size_t n, bool deflate, bool no_takeover,
	       struct wsx *whole, struct wsx *bytes)
{
	struct ws_dir wd;
	size_t i;

	ws_dir_init(&wd, deflate, no_takeover, 15, WS_KEEP_DEFAULT);
	ws_feed(&wd, b, n, &wsx_cb, whole);
	ws_dir_free(&wd);
	ws_dir_init(&wd, deflate, no_takeover, 15, WS_KEEP_DEFAULT);
	for (i = 0; i < n; i++)
		ws_feed(&wd, b + i, 1, &wsx_cb, bytes);
	ws_dir_free(&wd);
}

TEST(ws_frames_whole_and_byte_by_byte)
{
	static const uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };
	static uint8_t b[80000], big[70000];
	struct wsx x[2];
	size_t n = 0;
	int k;

	memset(x, 0, sizeof(x));
	memset(big, 'z', sizeof(big));
	n += put_frame(b + n, 1, 0, WS_OP_TEXT, key, "Hello", 5);
	n += put_frame(b + n, 0, 0, WS_OP_BINARY, NULL, "ab", 2);
	n += put_frame(b + n, 1, 0, WS_OP_PING, key, "p", 1);	/* between */
	n += put_frame(b + n, 0, 0, WS_OP_CONT, NULL, "cd", 2);
	n += put_frame(b + n, 1, 0, WS_OP_CONT, NULL, "", 0);
	n += put_frame(b + n, 1, 0, WS_OP_TEXT, NULL, big, 300);
	n += put_frame(b + n, 1, 0, WS_OP_BINARY, key, big, 70000);
	n += put_frame(b + n, 1, 0, WS_OP_CLOSE, key, "\x03\xe8" "bye", 5);
	feed_both_ways(b, n, false, false, &x[0], &x[1]);
	for (k = 0; k < 2; k++) {
		CHECK_EQ(x[k].nf, 8);
		CHECK_EQ(x[k].nm, 6);
		CHECK(x[k].f[0].fin && x[k].f[0].masked);
		CHECK_EQ(x[k].f[0].opcode, WS_OP_TEXT);
		CHECK_EQ(x[k].f[0].mask[1], 0xfa);
		CHECK_EQ(x[k].f[0].hdr_len, 6);
		CHECK_STR(x[k].fdata[0], "Hello");
		CHECK_EQ(x[k].f[1].off, 11);
		CHECK(!x[k].f[1].fin);
		CHECK_EQ(x[k].mop[1], WS_OP_PING);
		CHECK_STR(x[k].mdata[2], "abcd");
		CHECK_EQ(x[k].mop[2], WS_OP_BINARY);
		CHECK_EQ(x[k].f[5].len, 300);
		CHECK_EQ(x[k].f[5].hdr_len, 4);
		CHECK_EQ(x[k].f[6].len, 70000);
		CHECK_EQ(x[k].f[6].hdr_len, 14);
		CHECK_EQ(x[k].mlen[4], 70000);
		CHECK(x[k].mdata[4][4000 - 1] == '\0' ||
		      x[k].mdata[4][100] == 'z');
		CHECK_EQ(x[k].f[7].close_code, 1000);
		CHECK_STR(x[k].reason, "bye");
		CHECK(!x[k].f[7].malformed);
		CHECK_EQ(x[k].f[0].close_code, -1);
	}
}

/* Raw deflate of s with a sync flush, its 00 00 ff ff tail removed. */
static size_t
deflate_msg(z_stream *z, const char *s, uint8_t *out, size_t cap)
{
	z->next_in = (Bytef *)s;
	z->avail_in = (uInt)strlen(s);
	z->next_out = out;
	z->avail_out = (uInt)cap;
	deflate(z, Z_SYNC_FLUSH);
	return cap - z->avail_out - 4;
}

TEST(ws_permessage_deflate_with_context_takeover)
{
	static const uint8_t key[4] = { 1, 2, 3, 4 };
	uint8_t b[4096], c[1024];
	struct wsx x[2];
	z_stream z;
	size_t n = 0, m;
	int k;

	memset(x, 0, sizeof(x));
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	m = deflate_msg(&z, "compress me compress me compress me", c, sizeof(c));
	n += put_frame(b + n, 1, 4, WS_OP_TEXT, key, c, m);
	/* the second message refers back to the first (takeover) */
	m = deflate_msg(&z, "compress me compress me", c, sizeof(c));
	/* in two fragments, RSV1 on the first only */
	n += put_frame(b + n, 0, 4, WS_OP_TEXT, key, c, 2);
	n += put_frame(b + n, 1, 0, WS_OP_CONT, key, c + 2, m - 2);
	deflateEnd(&z);
	feed_both_ways(b, n, true, false, &x[0], &x[1]);
	for (k = 0; k < 2; k++) {
		CHECK_EQ(x[k].nm, 2);
		CHECK_STR(x[k].mdata[0], "compress me compress me compress me");
		CHECK_STR(x[k].mdata[1], "compress me compress me");
		CHECK(x[k].f[0].compressed);
		CHECK(!x[k].f[0].malformed);
		CHECK(!x[k].mbad[1]);
	}
}

TEST(ws_no_context_takeover_and_corrupt_data)
{
	uint8_t b[1024], c[512];
	struct wsx x[2];
	z_stream z;
	size_t n = 0, m;
	int i;

	memset(x, 0, sizeof(x));
	for (i = 0; i < 2; i++) {
		memset(&z, 0, sizeof(z));
		deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
		m = deflate_msg(&z, "same text again", c, sizeof(c));
		n += put_frame(b + n, 1, 4, WS_OP_BINARY, NULL, c, m);
		deflateEnd(&z);
	}
	n += put_frame(b + n, 1, 4, WS_OP_TEXT, NULL, "\xff\xff\xff", 3);
	feed_both_ways(b, n, true, true, &x[0], &x[1]);
	CHECK_EQ(x[0].nm, 3);
	CHECK_STR(x[0].mdata[0], "same text again");
	CHECK_STR(x[0].mdata[1], "same text again");
	CHECK(x[0].mbad[2] != NULL);
	CHECK(x[1].mbad[2] != NULL);
}

TEST(ws_malformed_frames_and_keep_limit)
{
	uint8_t b[4096], big[3000];
	struct wsx x = { 0 };
	struct ws_dir wd;
	size_t n = 0;

	memset(big, 'q', sizeof(big));
	n += put_frame(b + n, 1, 0, 3, NULL, "x", 1);		/* opcode 3 */
	n += put_frame(b + n, 0, 0, WS_OP_PING, NULL, "x", 1);	/* no FIN */
	n += put_frame(b + n, 1, 0, WS_OP_CONT, NULL, "x", 1);	/* orphan */
	n += put_frame(b + n, 1, 4, WS_OP_TEXT, NULL, "x", 1);	/* no pmd */
	n += put_frame(b + n, 1, 0, WS_OP_TEXT, NULL, big, 3000);
	n += put_frame(b + n, 1, 0, WS_OP_CLOSE, NULL, "", 0);
	ws_dir_init(&wd, false, false, 15, 1000);
	ws_feed(&wd, b, n, &wsx_cb, &x);
	ws_dir_free(&wd);
	CHECK_EQ(x.nf, 6);
	CHECK(x.f[0].malformed && x.f[1].malformed && x.f[2].malformed);
	CHECK(x.f[3].malformed);
	CHECK(x.f[4].cut && x.f[4].data.len == 1000 && x.f[4].len == 3000);
	CHECK_EQ(x.mlen[1], 1000);
	CHECK(x.mcut[1]);
	CHECK_EQ(x.f[5].close_code, -1);
	CHECK(!x.f[5].malformed);
	CHECK_STR(ws_opcode_name(8), "Connection Close");
	CHECK_STR(ws_opcode_name(5), "Unknown");
}

TEST(ws_extension_header)
{
	bool nt[2];
	int wb[2];

	CHECK(ws_parse_extensions(SPAN_LIT("permessage-deflate; "
		"server_max_window_bits=12; client_no_context_takeover"),
		nt, wb));
	CHECK(nt[0] && !nt[1]);
	CHECK_EQ(wb[1], 12);
	CHECK_EQ(wb[0], 15);
	CHECK(!ws_parse_extensions(SPAN_LIT("x-webkit-deflate-frame"), nt, wb));
	CHECK(!ws_parse_extensions(SPAN_NULL, nt, wb));
	CHECK(ws_parse_extensions(SPAN_LIT("permessage-deflate, foo"), nt, wb));
}
