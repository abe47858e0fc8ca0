/*
 * raw_text.c - LF to CRLF, backslash escapes and hex dumps for
 * `httptool raw` (see raw_text.h).  Depends only on lib/buf.h.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "http/url.h"
#include "raw_text.h"

int
raw_crlf_convert(struct raw_crlf *st, const char *in, size_t n,
		 struct buf *out)
{
	size_t run = 0;		/* start of the bytes not yet appended */

	for (size_t i = 0; i < n; i++) {
		bool after_cr = i > 0 ? in[i - 1] == '\r' : st->last_cr;

		if (in[i] != '\n' || after_cr)
			continue;
		if (buf_append(out, in + run, i - run) < 0 ||
		    buf_append(out, "\r\n", 2) < 0)
			return -ENOMEM;
		run = i + 1;
	}
	if (buf_append(out, in + run, n - run) < 0)
		return -ENOMEM;
	if (n > 0)
		st->last_cr = in[n - 1] == '\r';
	return 0;
}

int
raw_unescape(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\') {
			if (++i >= n)
				return -1;
			switch (s[i]) {
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '0': c = '\0'; break;
			case 'e': c = 27; break;
			case '\\': c = '\\'; break;
			case 'x': {
				int hi = i + 1 < n ? http_hex_digit((unsigned char)s[i + 1]) : -1;
				int lo = i + 2 < n ? http_hex_digit((unsigned char)s[i + 2]) : -1;
				if (hi < 0 || lo < 0)
					return -1;
				c = (char)(hi << 4 | lo);
				i += 2;
				break;
			}
			default:
				return -1;
			}
		}
		if (buf_append(out, &c, 1) < 0)
			return -1;
	}
	return 0;
}

/* One dump line: up to 16 bytes as hex, padded, then as text. */
static int
hex_line(struct buf *out, const unsigned char *p, size_t n)
{
	char line[96];
	size_t k = 0;

	for (size_t i = 0; i < 16; i++) {
		if (i < n)
			k += (size_t)snprintf(line + k, sizeof line - k,
					      " %02x", p[i]);
		else
			k += (size_t)snprintf(line + k, sizeof line - k, "   ");
	}
	line[k++] = ' ';
	line[k++] = ' ';
	for (size_t i = 0; i < n; i++)
		line[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	line[k++] = '\n';
	return buf_append(out, line, k);
}

int
raw_hex_dump(struct buf *out, char dir, const void *p, size_t n,
	     uint64_t from, const struct timespec *when)
{
	const unsigned char *b = p;
	struct tm tm;
	char stamp[32];

	localtime_r(&when->tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
	if (buf_printf(out, "%c %s.%06ld  length=%zu from=%llu to=%llu\n",
		       dir, stamp, when->tv_nsec / 1000, n,
		       (unsigned long long)from,
		       (unsigned long long)(from + n - (n > 0))) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i += 16)
		if (hex_line(out, b + i, n - i < 16 ? n - i : 16) < 0)
			return -ENOMEM;
	return buf_puts(out, "--\n");
}
