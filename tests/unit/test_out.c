/*
 * test_out.c - the terminal helpers: JSON formatting and validation,
 * JSON string escaping, binary detection, sizes.
 */
#include "lib/json.h"
#include "lib/out.h"
#include "unit.h"

static void
fmt(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(out_json_format(&b, unit_guard_str(in), strlen(in), false, false), 0);
	CHECK_STR(b.data ? b.data : "", want);
	buf_free(&b);
}

TEST(out_json_format_indents)
{
	fmt("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{}}",
	    "{\n    \"a\": 1,\n    \"b\": [\n        true,\n        null,\n"
	    "        \"x\"\n    ],\n    \"c\": {}\n}");
	fmt(" [ ] ", "[]");
	fmt("-1.5e+3", "-1.5e+3");
	fmt("\"\\u00e9\\n\"", "\"\\u00e9\\n\"");
}

static void
fmt_sorted(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(out_json_format(&b, unit_guard_str(in), strlen(in), false, true), 0);
	CHECK_STR(b.data ? b.data : "", want);
	buf_free(&b);
}

TEST(out_json_format_sorts_keys_as_httpie)
{
	/* code point order whatever the spelling (escape, UTF-8, surrogate
	   pair), every level, equal keys in input order, arrays untouched */
	fmt_sorted("{\"b\":{\"y\":1,\"x\":[{\"d\":1,\"c\":2}]},\"a\":0}",
		   "{\n    \"a\": 0,\n    \"b\": {\n        \"x\": [\n"
		   "            {\n                \"c\": 2,\n                \"d\": 1\n"
		   "            }\n        ],\n        \"y\": 1\n    }\n}");
	fmt_sorted("{\"\\ud83d\\ude00\":1,\"\xc3\xa9\":2,\"\\u00e8\":3,\"z\":4,"
		   "\"\\n\":5,\"k\":6,\"k\":7}",
		   "{\n    \"\\n\": 5,\n    \"k\": 6,\n    \"k\": 7,\n    \"z\": 4,\n"
		   "    \"\\u00e8\": 3,\n    \"\xc3\xa9\": 2,\n"
		   "    \"\\ud83d\\ude00\": 1\n}");
	fmt_sorted("[{\"b\":1,\"a\":2},3]",
		   "[\n    {\n        \"a\": 2,\n        \"b\": 1\n    },\n    3\n]");
	fmt_sorted("{}", "{}");
}

TEST(out_json_format_colours)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(out_json_format(&b, "{\"k\":\"v\"}", 9, true, false), 0);
	CHECK(strstr(b.data, "\033[34m\"k\"\033[0m") != NULL);
	CHECK(strstr(b.data, "\033[33m\"v\"\033[0m") != NULL);
	buf_free(&b);
}

TEST(out_json_color_keeps_the_layout)
{
	static const char in[] = "{ \"k\" :\n\t[1, true] }\n";
	struct buf b = BUF_INIT;

	CHECK_EQ(out_json_color(&b, unit_guard_str(in), strlen(in)), 0);
	CHECK_STR(b.data, "{ \033[34m\"k\"\033[0m :\n\t[\033[36m1\033[0m, "
		  "\033[35mtrue\033[0m] }\n");
	buf_reset(&b);
	CHECK(out_json_color(&b, "{\"k\" 1}", 8) < 0);
	buf_free(&b);
}

TEST(out_json_valid_rejects)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\"}", "01", "1.", "tru", "\"\\x\"",
		"\"a", "{} {}", "[1 2]", "{a:1}", "-", "1e",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!json_valid((struct span){ unit_guard_str(bad[i]), strlen(bad[i]) }));
	CHECK(json_valid(SPAN_LIT("0")));
	CHECK(json_valid(SPAN_LIT(" {\"a\": [1, {\"b\": false}]}\n")));
}

TEST(out_json_depth_limit)
{
	char deep[600];

	memset(deep, '[', 300);
	memset(deep + 300, ']', 300);
	CHECK(!json_valid((struct span){ deep, 600 }));
	CHECK(json_valid((struct span){ deep + 100, 400 }));
}

TEST(out_json_string_escapes)
{
	struct buf b = BUF_INIT;

	json_escape(&b, (struct span){ "a\"b\\c\nd\x01", 8 });
	CHECK_STR(b.data, "\"a\\\"b\\\\c\\nd\\u0001\"");
	buf_free(&b);
}

TEST(out_binary_and_sizes)
{
	char size[32];

	CHECK(out_is_binary("a\0b", 3));
	CHECK(!out_is_binary("text\n", 5));
	CHECK_STR(out_size(size, sizeof size, 512), "512 B");
	CHECK_STR(out_size(size, sizeof size, 1536), "1.5 KiB");
	CHECK_STR(out_size(size, sizeof size, 3.0 * 1024 * 1024 * 1024), "3.0 GiB");
}
