/* tests for lib/: base64, big arrays, the monotonic clock, and the one JSON escaper
 * that the server, the sniffer and the client all write through */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "lib/base64.h"
#include "lib/bigarr.h"
#include "lib/clock.h"
#include "lib/json.h"
#include "unit.h"

TEST(lib_base64_round_trip)
{
	struct buf b = BUF_INIT;
	unsigned char all[256], back[256 + 3];

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	/* every length 0..256 round-trips, padding included */
	for (size_t n = 0; n <= 256; n++) {
		buf_reset(&b);
		CHECK_EQ(base64_encode(&b, all, n), 0);
		CHECK_EQ(b.len, (n + 2) / 3 * 4);
		CHECK_EQ(base64_decode((struct span){ unit_guard(b.data, b.len),
						      b.len }, back), (long)n);
		CHECK(memcmp(all, back, n) == 0);
		unit_guard_release();
	}
	buf_reset(&b);
	base64_encode(&b, "user:passwd", 11);
	CHECK_STR(b.data, "dXNlcjpwYXNzd2Q=");
	buf_reset(&b);
	base64_encode(&b, "\xff\xfe", 2);
	CHECK_STR(b.data, "//4=");
	/* URL-safe alphabet and missing padding decode too */
	CHECK_EQ(base64_decode(SPAN_LIT("__4"), back), 2);
	CHECK_EQ(back[0], 0xff);
	CHECK_EQ(back[1], 0xfe);
	CHECK_EQ(base64_decode(SPAN_LIT("a*b"), back), -1);
	CHECK_EQ(base64_decode(SPAN_LIT("ab=c"), back), -1);
	buf_free(&b);
}

TEST(lib_clock_is_monotonic)
{
	double a = clock_now();
	long long ms = clock_ms();
	double b = clock_now();

	CHECK(b >= a);
	CHECK(ms >= (long long)(a * 1e3) && ms <= (long long)(b * 1e3) + 1);
}

/* The client's JSON body (HTTPie items) writes each value through the same
 * escaper as the server's httpbin replies and sniff --json: invalid UTF-8
 * becomes U+FFFD and controls are escaped, the same bytes everywhere. */
TEST(lib_json_client_agrees_with_escaper)
{
	static const char value[] = "caf\xc3\xa9\n\x01\xff\"\\";
	struct client_cfg cfg;
	struct buf want = BUF_INIT;
	char item[64], err[256];

	client_cfg_init(&cfg, "t", "POST");
	cfg.as_json = true;
	snprintf(item, sizeof item, "k\xfe=%s", value);
	CHECK_EQ(client_item_add(&cfg, item, err, sizeof err), 0);
	CHECK_EQ(client_body_build(&cfg, err, sizeof err), 0);
	/* HTTPie's bodies are ASCII: json_escape_ascii, the same escaper */
	buf_puts(&want, "{");
	json_escape_ascii(&want, SPAN_LIT("k\xfe"));
	buf_puts(&want, ": ");
	json_escape_ascii(&want, (struct span){ value, sizeof value - 1 });
	buf_puts(&want, "}");
	CHECK_SPAN(buf_unread(&cfg.body), want.data);
	CHECK(strstr(want.data, "\"k\\ufffd\": \"caf\\u00e9\\n\\u0001\\ufffd"
			       "\\\"\\\\\"") != NULL);
	buf_free(&want);
	client_cfg_free(&cfg);
}

TEST(lib_json_utf8_valid)
{
	CHECK(json_utf8_valid(SPAN_LIT("")));
	CHECK(json_utf8_valid(SPAN_LIT("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")));
	CHECK(json_utf8_valid(SPAN_LIT("\xef\xbf\xbd")));	/* U+FFFD itself */
	CHECK(!json_utf8_valid((struct span){ unit_guard("a\xc3", 2), 2 }));
	CHECK(!json_utf8_valid(SPAN_LIT("\xc0\xaf")));		/* overlong */
	CHECK(!json_utf8_valid(SPAN_LIT("\xed\xa0\x80")));	/* surrogate */
	CHECK(!json_utf8_valid(SPAN_LIT("\xff")));
}

/* a big array keeps its elements across growth, new ones read zero */
TEST(lib_bigarr_grows_in_place_of_realloc)
{
	unsigned *a = NULL;
	size_t n = 0;

	for (size_t m = 16; m <= (1u << 20); m *= 4) {
		CHECK_EQ(bigarr_resize((void **)&a, n, m, sizeof(*a)), 0);
		CHECK_EQ(a[m - 1], 0u);
		for (size_t i = n; i < m; i++)
			a[i] = (unsigned)i * 7;
		n = m;
	}
	for (size_t i = 0; i < n; i += 4097)
		CHECK_EQ(a[i], (unsigned)i * 7);
	CHECK_EQ(bigarr_resize((void **)&a, n, 100, sizeof(*a)), 0);
	CHECK_EQ(a[99], 99u * 7);
	CHECK_EQ(bigarr_resize((void **)&a, 100, (size_t)-1 / 2, 8), -1);
	CHECK(a != NULL);	/* unchanged on failure */
	CHECK_EQ(a[99], 99u * 7);
	bigarr_free(a, 100, sizeof(*a));
}
