/*
 * test_wsframe.c - ws/frame.c and ws/deflate.c: header lengths, masking,
 * the handshake key, the reader's events and close codes (every input
 * also fed one byte more at a time, against a guard page), and
 * permessage-deflate round trips and negotiation.
 */
#include "tests/unit/unit.h"
#include "ws/frame.h"

static const uint8_t key4[4] = { 0x37, 0xfa, 0x21, 0x3d };

TEST(wsframe_header_lengths_and_mask)
{
	struct buf b;
	struct ws_frame f;
	static const uint64_t lens[] = { 0, 125, 126, 65535, 65536 };

	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		buf_init(&b);
		ws_frame_header(&b, true, 0, WS_BINARY, lens[i], key4);
		CHECK_EQ(ws_frame_parse((const uint8_t *)b.data, b.len, &f),
			 (int)b.len);
		CHECK_EQ(f.len, lens[i]);
		CHECK(f.fin && f.masked && f.opcode == WS_BINARY);
		CHECK(memcmp(f.mask, key4, 4) == 0);
		/* one byte short of the header: need more */
		CHECK_EQ(ws_frame_parse((const uint8_t *)b.data, b.len - 1,
					&f), 0);
		buf_free(&b);
	}
	/* RFC 6455 §5.7: a masked "Hello" */
	buf_init(&b);
	ws_frame_put(&b, true, 0, WS_TEXT, "Hello", 5, key4);
	CHECK_EQ(b.len, 11);
	CHECK(memcmp(b.data, "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58",
		     11) == 0);
	buf_free(&b);
	/* a 64-bit length with the top bit set is invalid */
	CHECK_EQ(ws_frame_parse((const uint8_t *)"\x82\x7f\x80\0\0\0\0\0\0\0",
				10, &f), -1);
}

TEST(wsframe_accept_key_rfc_example)
{
	char out[29];

	ws_accept_key(SPAN_LIT("dGhlIHNhbXBsZSBub25jZQ=="), out);
	CHECK_STR(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(wsframe_close_payload)
{
	uint8_t p[125];
	char why[200];

	CHECK_EQ(ws_close_payload(p, WS_CLOSE_NO_STATUS, "x", 123), 0);
	CHECK_EQ(ws_close_payload(p, WS_CLOSE_GOING_AWAY, NULL, 123), 2);
	CHECK(p[0] == 0x03 && p[1] == 0xe9);
	CHECK_EQ(ws_close_payload(p, 1000, "bye", 123), 5);
	CHECK(memcmp(p, "\x03\xe8" "bye", 5) == 0);
	memset(why, 'w', sizeof why - 1);
	why[sizeof why - 1] = '\0';
	CHECK_EQ(ws_close_payload(p, 1000, why, 120), 122);
	CHECK_EQ(ws_close_payload(p, 1000, why, 500), 125);
}

/* Read all of in with a server-side reader; the kinds and codes seen. */
static void
read_all(const char *in, size_t n, size_t step, char *kinds, unsigned *code,
	 struct buf *msg)
{
	struct ws_reader r = { .expect_masked = true, .max_message = 16 };
	size_t off = 0, have = 0;

	*kinds = 0;
	*code = 0;
	while (off < n) {
		struct ws_event ev;
		size_t used;

		have = have + step > n - off ? n - off : have + step;
		const uint8_t *p = (const uint8_t *)unit_guard(in + off, have);

		if (!ws_read(&r, p, have, &used, &ev)) {
			if (off + have == n)
				break;
			continue;
		}
		*kinds++ = "FMCE"[ev.kind];
		*kinds = 0;
		*code = ev.code;
		if (ev.kind == WS_EV_MESSAGE)
			buf_append(msg, ev.data.p, ev.data.len);
		if (ev.kind == WS_EV_ERROR)
			break;
		off += used;
		have = 0;
	}
	ws_reader_free(&r);
}

TEST(wsframe_reader_events_and_close_codes)
{
	static const struct {
		const char *what;
		unsigned op;
		bool fin, mask;
		unsigned rsv;
		const char *p;
		size_t n;
		const char *kinds;
		unsigned code;
	} cases[] = {
		{ "text", WS_TEXT, true, true, 0, "hi", 2, "M", 0 },
		{ "unmasked", WS_TEXT, true, false, 0, "hi", 2, "E", 1002 },
		{ "opcode 3", 3, true, true, 0, "hi", 2, "E", 1002 },
		{ "rsv1 off", WS_TEXT, true, true, 4, "hi", 2, "E", 1002 },
		{ "long ping", WS_PING, true, true, 0,
		  "0123456789012345678901234567890123456789012345678901234567"
		  "8901234567890123456789012345678901234567890123456789012345"
		  "678901234", 126, "E", 1002 },
		{ "cont first", WS_CONT, true, true, 0, "x", 1, "E", 1002 },
		{ "bad utf-8", WS_TEXT, true, true, 0, "\xc3\x28", 2, "E",
		  1007 },
		{ "too big", WS_BINARY, true, true, 0, "0123456789abcdefX",
		  17, "E", 1009 },
		{ "close 1000", WS_CLOSE, true, true, 0, "\x03\xe8ok", 4, "C",
		  1000 },
		{ "close none", WS_CLOSE, true, true, 0, "", 0, "C", 1005 },
		{ "close 1 byte", WS_CLOSE, true, true, 0, "\x03", 1, "E",
		  1002 },
		{ "close 1006", WS_CLOSE, true, true, 0, "\x03\xee", 2, "E",
		  1002 },
		{ "fragment", WS_TEXT, false, true, 0, "ab", 2, "F", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		for (size_t step = 1; step <= 200; step += 199) {
			struct buf b, msg;
			char kinds[8];
			unsigned code;

			buf_init(&b);
			buf_init(&msg);
			ws_frame_put(&b, cases[i].fin, cases[i].rsv,
				     cases[i].op, cases[i].p, cases[i].n,
				     cases[i].mask ? key4 : NULL);
			read_all(b.data, b.len, step, kinds, &code, &msg);
			if (!CHECK(strcmp(kinds, cases[i].kinds) == 0))
				CHECK_STR(cases[i].what, kinds);
			CHECK_EQ(code, cases[i].code);
			if (cases[i].kinds[0] == 'M')
				CHECK_EQ(msg.len, cases[i].n);
			buf_free(&b);
			buf_free(&msg);
		}
	}
}

TEST(wsframe_fragments_with_a_ping_between)
{
	struct buf b, msg;
	char kinds[8];
	unsigned code;

	buf_init(&b);
	buf_init(&msg);
	ws_frame_put(&b, false, 0, WS_TEXT, "hel", 3, key4);
	ws_frame_put(&b, true, 0, WS_PING, "p", 1, key4);
	ws_frame_put(&b, true, 0, WS_CONT, "lo", 2, key4);
	read_all(b.data, b.len, 1, kinds, &code, &msg);
	CHECK_STR(kinds, "FCM");
	CHECK_EQ(msg.len, 5);
	CHECK(msg.data && memcmp(msg.data, "hello", 5) == 0);
	buf_free(&b);
	buf_free(&msg);
}

TEST(wsframe_deflate_round_trip_and_offer)
{
	struct ws_deflate srv, cli;
	struct buf z, out;
	char resp[200];
	static const char text[] = "hello hello hello hello hello";

	CHECK(ws_deflate_accept(SPAN_LIT("permessage-deflate; "
					 "client_max_window_bits"), &srv,
				resp, sizeof resp));
	CHECK_STR(resp, "permessage-deflate");
	CHECK(ws_deflate_accept(SPAN_LIT("x-webkit, permessage-deflate; "
					 "server_no_context_takeover; "
					 "server_max_window_bits=10"), &srv,
				resp, sizeof resp));
	CHECK_STR(resp, "permessage-deflate; server_no_context_takeover; "
		  "server_max_window_bits=10");
	CHECK(!ws_deflate_accept(SPAN_LIT("permessage-deflate; "
					  "server_max_window_bits=8"), &srv,
				 resp, sizeof resp));
	CHECK(!ws_deflate_accept(SPAN_LIT("permessage-deflate; bogus"), &srv,
				 resp, sizeof resp));
	memset(&srv, 0, sizeof srv);
	memset(&cli, 0, sizeof cli);
	srv.out_bits = cli.out_bits = 15;
	CHECK_EQ(ws_deflate_init(&srv), 0);
	CHECK_EQ(ws_deflate_init(&cli), 0);
	buf_init(&z);
	buf_init(&out);
	for (int i = 0; i < 3; i++) {	/* context taken over */
		buf_reset(&z);
		buf_reset(&out);
		CHECK_EQ(ws_deflate_msg(&srv, text, sizeof text - 1, &z), 0);
		CHECK(z.len < sizeof text - 1);
		CHECK_EQ(ws_inflate_msg(&cli, z.data, z.len, &out, 1000), 0);
		CHECK_EQ(out.len, sizeof text - 1);
		CHECK(out.data && memcmp(out.data, text, out.len) == 0);
	}
	buf_reset(&out);
	CHECK_EQ(ws_inflate_msg(&cli, z.data, z.len, &out, 4), -2);
	buf_reset(&out);
	CHECK_EQ(ws_inflate_msg(&cli, "\xff\xff\xff", 3, &out, 1000), -1);
	buf_free(&z);
	buf_free(&out);
	ws_deflate_free(&srv);
	ws_deflate_free(&cli);
}
