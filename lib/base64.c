/*
 * base64.c - RFC 4648 base64 encoding and decoding (see base64.h).
 */
#include <errno.h>

#include "lib/base64.h"

static const char base64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
base64_encode(struct buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;

	if (buf_reserve(b, (n + 2) / 3 * 4) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = base64_alphabet[(v >> 18) & 63];
		q[1] = base64_alphabet[(v >> 12) & 63];
		q[2] = i + 1 < n ? base64_alphabet[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? base64_alphabet[v & 63] : '=';
		buf_append(b, q, 4);
	}
	return 0;
}

/* The 6-bit value of c in either alphabet, or -1. */
static int
base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

long
base64_decode(struct span in, unsigned char *out)
{
	unsigned v = 0;
	int bits = 0;
	long n = 0;
	size_t i = 0;

	for (; i < in.len && in.p[i] != '='; i++) {
		int d = base64_value((unsigned char)in.p[i]);

		if (d < 0)
			return -1;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(v >> bits);
		}
	}
	for (; i < in.len; i++)
		if (in.p[i] != '=')
			return -1;
	return n;
}
