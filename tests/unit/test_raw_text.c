/* test_raw_text.c - `httptool raw`: CRLF conversion, escapes, hex dump,
 * escape-menu commands (raw/raw_text.c, raw/raw_menu.c) */
#include <stdio.h>
#include <time.h>

#include "raw/raw_menu.h"
#include "raw/raw_text.h"
#include "unit.h"

/* Convert in, split after every byte when bytewise. */
static void
crlf_check(const char *in, const char *want, bool bytewise)
{
	struct raw_crlf st = { 0 };
	struct buf out = BUF_INIT;
	size_t n = strlen(in);

	if (bytewise)
		for (size_t i = 0; i < n; i++)
			CHECK_EQ(raw_crlf_convert(&st, unit_guard(in + i, 1), 1,
						  &out), 0);
	else
		CHECK_EQ(raw_crlf_convert(&st, unit_guard(in, n), n, &out), 0);
	CHECK_SPAN(buf_unread(&out), want);
	buf_free(&out);
}

TEST(raw_crlf_converts_bare_lf_only)
{
	static const char *const cases[][2] = {
		{ "GET / HTTP/1.1\nHost: a\n\n",
		  "GET / HTTP/1.1\r\nHost: a\r\n\r\n" },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		  "GET / HTTP/1.1\r\nHost: a\r\n\r\n" },	/* never doubled */
		{ "a\r\nb\nc\r\n\n", "a\r\nb\r\nc\r\n\r\n" },	/* mixed */
		{ "\n\n", "\r\n\r\n" },
		{ "\r\r\n", "\r\r\n" },
		{ "no newline", "no newline" },
		{ "", "" },
		{ "lone\rcr\n", "lone\rcr\r\n" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		crlf_check(cases[i][0], cases[i][1], false);
		crlf_check(cases[i][0], cases[i][1], true);
	}
}

TEST(raw_crlf_cr_at_end_of_one_read_counts_for_the_next)
{
	struct raw_crlf st = { 0 };
	struct buf out = BUF_INIT;

	raw_crlf_convert(&st, "abc\r", 4, &out);
	raw_crlf_convert(&st, "\ndef\n", 5, &out);
	raw_crlf_convert(&st, "", 0, &out);
	raw_crlf_convert(&st, "\n", 1, &out);
	CHECK_SPAN(buf_unread(&out), "abc\r\ndef\r\n\r\n");
	buf_free(&out);
}

TEST(raw_unescape)
{
	struct buf out = BUF_INIT;

	CHECK_EQ(raw_unescape("GET / HTTP/1.0\\r\\n\\r\\n", 22, &out), 0);
	CHECK_SPAN(buf_unread(&out), "GET / HTTP/1.0\r\n\r\n");
	buf_reset(&out);
	CHECK_EQ(raw_unescape("a\\tb\\\\c\\x41\\x7e", 15, &out), 0);
	CHECK_SPAN(buf_unread(&out), "a\tb\\cA~");
	buf_reset(&out);
	CHECK_EQ(raw_unescape("x\\0y", 4, &out), 0);
	CHECK_EQ(out.len, 3);
	CHECK_EQ(out.data[1], 0);
	buf_reset(&out);
	CHECK_EQ(raw_unescape(unit_guard_str("bad\\"), 4, &out), -1);
	CHECK_EQ(raw_unescape(unit_guard_str("\\x4"), 3, &out), -1);
	CHECK_EQ(raw_unescape("\\q", 2, &out), -1);
	CHECK_EQ(raw_unescape("\\xzz", 4, &out), -1);
	buf_free(&out);
}

TEST(raw_hex_dump_socat_style)
{
	struct buf out = BUF_INIT;
	struct timespec when = { 0, 123456000 };
	const char *data = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	char want_head[128];
	const char *line1 = " 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a"
			    "  GET / HTTP/1.1..\n";
	const char *line2 = " 48 6f 73 74 3a 20 61 0d 0a 0d 0a"
			    "               "	/* 5 missing bytes */
			    "  Host: a....\n";
	struct tm tm;
	char stamp[32];

	localtime_r(&when.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
	snprintf(want_head, sizeof want_head,
		 "> %s.123456  length=27 from=100 to=126\n", stamp);
	CHECK_EQ(raw_hex_dump(&out, '>', data, 27, 100, &when), 0);
	CHECK(strncmp(out.data, want_head, strlen(want_head)) == 0);
	CHECK(strstr(out.data, line1) != NULL);
	CHECK(strstr(out.data, line2) != NULL);
	CHECK(out.len > 4 && strcmp(out.data + out.len - 3, "--\n") == 0);
	buf_free(&out);
}

TEST(raw_menu_commands)
{
	struct buf send = BUF_INIT, msg = BUF_INIT;

	CHECK_EQ(raw_menu_parse("\n", 1, &send, &msg), RAW_MENU_RESUME);
	CHECK_EQ(raw_menu_parse("status\n", 7, &send, &msg), RAW_MENU_STATUS);
	CHECK_EQ(raw_menu_parse(" st", 3, &send, &msg), RAW_MENU_STATUS);
	CHECK_EQ(raw_menu_parse("close\r\n", 7, &send, &msg), RAW_MENU_CLOSE);
	CHECK_EQ(raw_menu_parse("quit", 4, &send, &msg), RAW_MENU_QUIT);
	CHECK_EQ(msg.len, 0);
	CHECK_EQ(raw_menu_parse("help\n", 5, &send, &msg), RAW_MENU_STAY);
	CHECK(strstr(msg.data, "send STRING") != NULL);
	buf_reset(&msg);
	CHECK_EQ(raw_menu_parse("frob\n", 5, &send, &msg), RAW_MENU_STAY);
	CHECK_SPAN(buf_unread(&msg), "unknown command 'frob'; try help\n");
	buf_reset(&msg);
	CHECK_EQ(raw_menu_parse("send  a b\\r\\n\n", 14, &send, &msg),
		 RAW_MENU_SEND);
	CHECK_SPAN(buf_unread(&send), " a b\r\n");	/* one separator */
	buf_reset(&send);
	CHECK_EQ(raw_menu_parse("send \\q\n", 8, &send, &msg), RAW_MENU_STAY);
	CHECK(strstr(msg.data, "bad escape") != NULL);
	buf_reset(&msg);
	CHECK_EQ(raw_menu_parse("send\n", 5, &send, &msg), RAW_MENU_STAY);
	buf_free(&send);
	buf_free(&msg);
}

TEST(raw_menu_status_text)
{
	struct raw_menu_status st = { "h port 1", 10, 20, 1.5, 3, 2, 1,
				      "HTTP" };
	struct buf msg = BUF_INIT;

	raw_menu_status_text(&st, &msg);
	CHECK(strstr(msg.data, "connected to h port 1 for 1.5 s") != NULL);
	CHECK(strstr(msg.data, "sent 10 bytes, received 20 bytes") != NULL);
	CHECK(strstr(msg.data, "requests sent 3, answered 2, waiting for 1")
	      != NULL);
	buf_free(&msg);
}
