/*
 * date.c - HTTP dates (RFC 9110 §5.6.7; see date.h).
 *
 *   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT   (sent, preferred)
 *   RFC 850      Sunday, 06-Nov-94 08:49:37 GMT  (obsolete, parsed)
 *   asctime      Sun Nov  6 08:49:37 1994        (obsolete, parsed)
 *
 * Calendar arithmetic is done here on a proleptic Gregorian calendar
 * counted in days from 1970-01-01, so nothing depends on the TZ
 * environment, the locale or the range of gmtime.  Names are
 * case-sensitive as the grammar says (%s"GMT").  Parsing rejects
 * impossible dates (31 Apr, 29 Feb 2023, 24:00:00) and a day name that
 * does not match the date.
 *
 * Depends on buf.h only.
 */
#include <string.h>

#include "date.h"

static const char date_days[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const date_long_days[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char date_months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static long long
date_floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days from 1970-01-01 to y-m-d (m 1..12).  Years are counted from
 * March so that the leap day falls at the end of one. */
static long long
date_days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = date_floor_div(y, 400);
	yoe = y - era * 400;				/* 0..399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */
	return era * 146097 + doe - 719468;
}

/* The inverse: y-m-d of a day count. */
static void
date_civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = date_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
date_month_days(long long y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

time_t
http_timegm(const struct tm *tm)
{
	long long mon = tm->tm_mon, y = tm->tm_year + 1900LL;
	long long days;

	y += date_floor_div(mon, 12);
	mon -= date_floor_div(mon, 12) * 12;
	days = date_days_from_civil(y, (int)mon + 1, 1) + tm->tm_mday - 1;
	return (time_t)(days * 86400 + tm->tm_hour * 3600LL +
			tm->tm_min * 60LL + tm->tm_sec);
}

/* v as exactly n decimal digits at p (v >= 0 and fits). */
static void
date_put_digits(char *p, long long v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *
http_date_format(time_t t, char *out)
{
	/* keep to four-digit years so the result is always 29 bytes */
	const long long lo = -62167219200LL;	/* 0000-01-01T00:00:00 */
	const long long hi = 253402300799LL;	/* 9999-12-31T23:59:59 */
	long long s = t < lo ? lo : t > hi ? hi : (long long)t;
	long long days = date_floor_div(s, 86400), y;
	long long secs = s - days * 86400;
	int m, d, wday = (int)(((days % 7) + 11) % 7);	/* 1970: Thursday */

	date_civil_from_days(days, &y, &m, &d);
	memcpy(out, "Thu, 01 Jan 1970 00:00:00 GMT", HTTP_DATE_LEN + 1);
	memcpy(out, date_days[wday], 3);
	date_put_digits(out + 5, d, 2);
	memcpy(out + 8, date_months[m - 1], 3);
	date_put_digits(out + 12, y, 4);
	date_put_digits(out + 17, secs / 3600, 2);
	date_put_digits(out + 20, secs / 60 % 60, 2);
	date_put_digits(out + 23, secs % 60, 2);
	return out;
}

/* n decimal digits at p; -1 when any is not a digit. */
static int
date_digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int
date_month(const char *p)
{
	for (int i = 0; i < 12; i++)
		if (memcmp(p, date_months[i], 3) == 0)
			return i + 1;
	return -1;
}

/* "HH:MM:SS" at p into seconds of the day (60 for a leap second is
 * allowed, as in RFC 5322); -1 when invalid. */
static long
date_time_of_day(const char *p)
{
	int h = date_digits(p, 2), m = date_digits(p + 3, 2);
	int s = date_digits(p + 6, 2);

	if (p[2] != ':' || p[5] != ':' || h < 0 || h > 23 || m < 0 ||
	    m > 59 || s < 0 || s > 60)
		return -1;
	return h * 3600L + m * 60L + s;
}

/* Check and combine the fields; wday is 0..6 (Sunday 0). */
static bool
date_build(long long y, int mon, int mday, long tod, int wday, time_t *t)
{
	long long days;

	if (y < 0 || mon < 1 || mday < 1 || tod < 0 ||
	    mday > date_month_days(y, mon))
		return false;
	days = date_days_from_civil(y, mon, mday);
	if ((int)(((days % 7) + 11) % 7) != wday)
		return false;
	*t = (time_t)(days * 86400 + tod);
	return true;
}

static int
date_short_day(const char *p)
{
	for (int i = 0; i < 7; i++)
		if (memcmp(p, date_days[i], 3) == 0)
			return i;
	return -1;
}

/* Sun, 06 Nov 1994 08:49:37 GMT */
static bool
date_parse_imf(const char *p, time_t *t)
{
	if (p[3] != ',' || p[4] != ' ' || p[7] != ' ' || p[11] != ' ' ||
	    p[16] != ' ' || p[25] != ' ' || memcmp(p + 26, "GMT", 3) != 0)
		return false;
	return date_build(date_digits(p + 12, 4), date_month(p + 8),
			  date_digits(p + 5, 2), date_time_of_day(p + 17),
			  date_short_day(p), t);
}

/* Sun Nov  6 08:49:37 1994 */
static bool
date_parse_asctime(const char *p, time_t *t)
{
	int mday;

	if (p[3] != ' ' || p[7] != ' ' || p[10] != ' ' || p[19] != ' ')
		return false;
	mday = p[8] == ' ' ? date_digits(p + 9, 1) : date_digits(p + 8, 2);
	return date_build(date_digits(p + 20, 4), date_month(p + 4), mday,
			  date_time_of_day(p + 11), date_short_day(p), t);
}

/*
 * RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is
 * the most recent past year with the same last two digits.
 */
static long long
date_full_year(int yy)
{
	time_t now = time(NULL);
	long long cur = 1970, y;
	int m, d;

	date_civil_from_days(date_floor_div((long long)now, 86400), &cur, &m,
			     &d);
	y = date_floor_div(cur, 100) * 100 + yy;
	if (y > cur + 50)
		y -= 100;
	else if (y + 100 <= cur + 50)
		y += 100;
	return y;
}

/* Sunday, 06-Nov-94 08:49:37 GMT */
static bool
date_parse_rfc850(struct span s, time_t *t)
{
	const char *comma = memchr(s.p, ',', s.len), *p;
	int wday = -1, yy;
	size_t n;

	if (!comma)
		return false;
	n = (size_t)(comma - s.p);
	for (int i = 0; i < 7; i++)
		if (strlen(date_long_days[i]) == n &&
		    memcmp(s.p, date_long_days[i], n) == 0)
			wday = i;
	p = comma + 1;
	if (wday < 0 || s.len - n != 24 || p[0] != ' ' || p[3] != '-' ||
	    p[7] != '-' || p[10] != ' ' || p[19] != ' ' ||
	    memcmp(p + 20, "GMT", 3) != 0)
		return false;
	yy = date_digits(p + 8, 2);
	if (yy < 0)
		return false;
	return date_build(date_full_year(yy), date_month(p + 4),
			  date_digits(p + 1, 2), date_time_of_day(p + 11),
			  wday, t);
}

bool
http_date_parse(struct span s, time_t *t)
{
	if (!s.p)
		return false;
	s = span_trim(s);
	if (s.len == HTTP_DATE_LEN && s.p[3] == ',')
		return date_parse_imf(s.p, t);
	if (s.len == 24 && s.p[3] == ' ')
		return date_parse_asctime(s.p, t);
	if (s.len >= 30 && s.len <= 33)
		return date_parse_rfc850(s, t);
	return false;
}
