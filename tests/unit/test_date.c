/* test_date.c - HTTP dates (http/date.c) */
#include <stdio.h>

#include "unit.h"
#include "http/date.h"

static struct span
dg(const char *s)
{
	return (struct span){ unit_guard_str(s), strlen(s) };
}

static bool
parse(const char *s, time_t *t)
{
	*t = -12345;
	return http_date_parse(dg(s), t);
}

TEST(date_format)
{
	char out[HTTP_DATE_LEN + 1];

	CHECK_STR(http_date_format(784111777, out),
		  "Sun, 06 Nov 1994 08:49:37 GMT");
	CHECK_STR(http_date_format(0, out), "Thu, 01 Jan 1970 00:00:00 GMT");
	CHECK_STR(http_date_format(-1, out), "Wed, 31 Dec 1969 23:59:59 GMT");
	CHECK_STR(http_date_format(951782400, out),
		  "Tue, 29 Feb 2000 00:00:00 GMT");
	CHECK_STR(http_date_format(2147483647, out),
		  "Tue, 19 Jan 2038 03:14:07 GMT");
	CHECK_STR(http_date_format(4107542400LL, out),
		  "Mon, 01 Mar 2100 00:00:00 GMT");
	CHECK_STR(http_date_format(-2208988800LL, out),
		  "Mon, 01 Jan 1900 00:00:00 GMT");
	/* out of four-digit range: clamped, still 29 bytes */
	CHECK_STR(http_date_format((time_t)1 << 62, out),
		  "Fri, 31 Dec 9999 23:59:59 GMT");
	CHECK_STR(http_date_format(-((time_t)1 << 62), out),
		  "Sat, 01 Jan 0000 00:00:00 GMT");
	CHECK_EQ(strlen(out), HTTP_DATE_LEN);
}

TEST(date_format_parse_round_trip)
{
	char out[HTTP_DATE_LEN + 1];
	time_t t, back;

	/* a day and a bit at a time across 1900..2200, leap years included */
	for (t = -2208988800LL; t < 7258118400LL; t += 86400 * 7 + 3601) {
		http_date_format(t, out);
		if (!CHECK(http_date_parse(dg(out), &back)) ||
		    !CHECK_EQ(back, t)) {
			printf("      %s\n", out);
			break;
		}
		unit_guard_release();
	}
}

TEST(date_parse_three_formats)
{
	time_t t;

	CHECK(parse("Sun, 06 Nov 1994 08:49:37 GMT", &t));
	CHECK_EQ(t, 784111777);
	CHECK(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	CHECK_EQ(t, 784111777);
	CHECK(parse("Sun Nov  6 08:49:37 1994", &t));
	CHECK_EQ(t, 784111777);
	CHECK(parse("Sun Nov 06 08:49:37 1994", &t));
	CHECK_EQ(t, 784111777);
	CHECK(parse("  Sun, 06 Nov 1994 08:49:37 GMT\t", &t));
	CHECK_EQ(t, 784111777);
	CHECK(parse("Wednesday, 09-Sep-20 01:02:03 GMT", &t));
	CHECK_EQ(t, 1599613323);
	CHECK(parse("Tue, 29 Feb 2000 00:00:00 GMT", &t));
	CHECK_EQ(t, 951782400);
	CHECK(parse("Thu, 01 Jan 1970 00:00:00 GMT", &t));
	CHECK_EQ(t, 0);
	/* a leap second is a valid second (RFC 5322) */
	CHECK(parse("Sat, 31 Dec 2016 23:59:60 GMT", &t));
	CHECK_EQ(t, 1483228800);
}

TEST(date_parse_rejects)
{
	static const char *const bad[] = {
		"",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 gmt",
		"sun, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"Mon, 06 Nov 1994 08:49:37 GMT",	/* wrong day name */
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 06 Nov 1994 8:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Wed, 31 Nov 1994 08:49:37 GMT",
		"Wed, 29 Feb 2023 00:00:00 GMT",
		"Thu, 29 Feb 2100 00:00:00 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 1994 08-49-37 GMT",
		"Sun, 06 Nov 1994 08:49:3x GMT",
		"Sun; 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMTX",
		"Sun, 06 Xyz 1994 08:49:37 GMT",
		"Sun, -6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov +994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GM",
		"Sun Nov  6 08:49:37 94",
		"Sun Nov 6 08:49:37 1994",
		"Sun Nov  0 08:49:37 1994",
		"Mon Nov  6 08:49:37 1994",
		"Sun Nov  6 08:49:37 1994 GMT",
		"Sun Nov x6 08:49:37 1994",
		"Sunday, 06-Nov-94 08:49:37 UTC",
		"Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun, 06-Nov-94 08:49:37 GMT",
		"Sundae, 06-Nov-94 08:49:37 GMT",
		"Monday, 06-Nov-94 08:49:37 GMT",
		"Sunday 06-Nov-94 08:49:37 GMT",
		"Sunday, 06 Nov 94 08:49:37 GMT",
		"Sunday, 06-Nov-9x 08:49:37 GMT",
		"Sunday,,06-Nov-94 08:49:37 GMT",
		"Wednesday,06-Nov-94 08:49:37 GMTxx",
		",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
		"Sun, 06 Nov 1994 08:49:37 GMT\r\n",
		"1994-11-06T08:49:37Z",
		"784111777",
	};
	time_t t;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (!CHECK(!parse(bad[i], &t)))
			printf("      accepted \"%s\"\n", bad[i]);
		CHECK_EQ(t, -12345);	/* untouched on failure */
	}
	CHECK(!http_date_parse(SPAN_NULL, &t));
	/* a NUL inside */
	CHECK(!http_date_parse((struct span){
		unit_guard("Sun, 06 Nov 1994 08:49:37 G\0T", 29), 29 }, &t));
}

TEST(date_two_digit_year)
{
	time_t t;
	struct tm tm = { .tm_year = 70, .tm_mday = 1 };

	/* 94 is 1994: 2094 would be more than 50 years ahead (RFC 9110) */
	CHECK(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	CHECK_EQ(t, 784111777);
	/* a year just past is this century */
	CHECK(parse("Thursday, 01-Jan-15 00:00:00 GMT", &t));
	tm.tm_year = 115;
	CHECK_EQ(t, http_timegm(&tm));
}

TEST(date_timegm)
{
	struct tm tm = { .tm_year = 94, .tm_mon = 10, .tm_mday = 6,
			 .tm_hour = 8, .tm_min = 49, .tm_sec = 37 };

	CHECK_EQ(http_timegm(&tm), 784111777);
	tm = (struct tm){ .tm_year = 70, .tm_mon = 0, .tm_mday = 1 };
	CHECK_EQ(http_timegm(&tm), 0);
	/* fields out of range carry over */
	tm = (struct tm){ .tm_year = 69, .tm_mon = 12, .tm_mday = 1 };
	CHECK_EQ(http_timegm(&tm), 0);
	tm = (struct tm){ .tm_year = 70, .tm_mon = -1, .tm_mday = 32 };
	CHECK_EQ(http_timegm(&tm), 0);
	tm = (struct tm){ .tm_year = 70, .tm_mon = 0, .tm_mday = 1,
			  .tm_sec = -1 };
	CHECK_EQ(http_timegm(&tm), -1);
	tm = (struct tm){ .tm_year = 100, .tm_mon = 1, .tm_mday = 29 };
	CHECK_EQ(http_timegm(&tm), 951782400);
	tm = (struct tm){ .tm_year = 0, .tm_mon = 0, .tm_mday = 1 };
	CHECK_EQ(http_timegm(&tm), -2208988800LL);
	/* agrees with libc over a range of days */
	for (time_t t = -5000000000LL; t < 5000000000LL; t += 86399 * 13) {
		struct tm g;
		gmtime_r(&t, &g);
		if (!CHECK_EQ(http_timegm(&g), t))
			break;
	}
}
