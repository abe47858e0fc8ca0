/*
 * date.h - HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out, all three
 * formats in.
 */
#ifndef HTTPTOOL_DATE_H
#define HTTPTOOL_DATE_H

#include <stdbool.h>
#include <time.h>

#include "lib/buf.h"

#define HTTP_DATE_LEN 29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* Write t as IMF-fixdate into out[HTTP_DATE_LEN + 1]; returns out. */
char *http_date_format(time_t t, char *out);

/*
 * UTC broken-down time to seconds since the epoch, like timegm(3) but
 * portable and without touching the TZ environment: uses tm_year,
 * tm_mon, tm_mday, tm_hour, tm_min, tm_sec (out-of-range fields carry
 * over arithmetically), ignores the rest.
 */
time_t http_timegm(const struct tm *tm);

/* Parse IMF-fixdate, RFC 850 or asctime format; false when invalid. */
bool http_date_parse(struct span s, time_t *t);

#endif
