/* test_buf.c - struct buf and struct span */
#include "unit.h"

TEST(buf_append_printf_consume)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(buf_puts(&b, "hello "), 0);
	CHECK_EQ(buf_printf(&b, "%d-%s", 42, "x"), 0);
	CHECK_SPAN(buf_unread(&b), "hello 42-x");
	CHECK_EQ(b.data[b.len], 0);
	buf_consume(&b, 6);
	CHECK_SPAN(buf_unread(&b), "42-x");
	buf_compact(&b);
	CHECK_EQ(b.off, 0);
	CHECK_SPAN(buf_unread(&b), "42-x");
	for (int i = 0; i < 1000; i++)
		buf_append(&b, "0123456789", 10);
	CHECK_EQ(b.len, 10004);
	buf_consume(&b, 10004);
	CHECK_EQ(b.len, 0);
	buf_free(&b);
	CHECK(b.data == NULL);
}

TEST(span_helpers)
{
	unsigned long long v;

	CHECK(span_ieq(SPAN_LIT("Content-Length"), "content-length"));
	CHECK(!span_eq(SPAN_LIT("Content-Length"), "content-length"));
	CHECK_SPAN(span_trim(SPAN_LIT(" \t a b\t ")), "a b");
	CHECK_EQ(span_find(SPAN_LIT("text/HTML"), "html", true), 5);
	CHECK_EQ(span_find(SPAN_LIT("text/HTML"), "html", false), -1);
	CHECK(span_to_u64(SPAN_LIT("18446744073709551615"), &v));
	CHECK(v == 18446744073709551615ULL);
	CHECK(!span_to_u64(SPAN_LIT("18446744073709551616"), &v));
	CHECK(!span_to_u64(SPAN_LIT("12a"), &v));
	CHECK(!span_to_u64(SPAN_LIT(""), &v));
}

TEST(buf_put_u64)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(buf_put_u64(&b, 0), 0);
	buf_puts(&b, " ");
	buf_put_u64(&b, 1234567890);
	buf_puts(&b, " ");
	buf_put_u64(&b, 18446744073709551615ULL);
	CHECK_SPAN(buf_unread(&b), "0 1234567890 18446744073709551615");
	buf_free(&b);
}
