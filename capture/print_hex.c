/*
 * print_hex.c - tshark's -x layout: offset, 16 bytes in hex, then the
 * same bytes as ASCII with '.' for the unprintable.
 *
 *   0000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1..
 */
#include "print.h"

void
print_hex(struct buf *out, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char line[96];
	size_t off, i;

	for (off = 0; off < n; off += 16) {
		size_t k = n - off < 16 ? n - off : 16, o;

		o = (size_t)snprintf(line, sizeof(line), "%04zx  ", off);
		for (i = 0; i < 16; i++) {
			if (i < k) {
				line[o++] = hex[p[off + i] >> 4];
				line[o++] = hex[p[off + i] & 15];
			} else {
				line[o++] = ' ';
				line[o++] = ' ';
			}
			line[o++] = ' ';
		}
		line[o++] = ' ';
		line[o++] = ' ';
		for (i = 0; i < k; i++) {
			uint8_t c = p[off + i];

			line[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		line[o++] = '\n';
		buf_append(out, line, o);
	}
}
