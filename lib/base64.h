/*
 * base64.h - RFC 4648 base64, the one copy of the alphabet in the tree.
 *
 * Used for Authorization: Basic (client, server), HAR bodies (sniff) and
 * httpbin's /base64 and data: URLs (server).  Encoding always writes the
 * standard alphabet with padding; decoding takes the standard or the
 * URL-safe alphabet, padding optional.
 */
#ifndef HTTPTOOL_LIB_BASE64_H
#define HTTPTOOL_LIB_BASE64_H

#include <stddef.h>

#include "lib/buf.h"

/* Append base64 of p[0..n) to b.  0, or -ENOMEM. */
int base64_encode(struct buf *b, const void *p, size_t n);

/*
 * Decode in into out, which has room for at least in.len * 3 / 4 + 3
 * bytes.  The number of bytes written, or -1 when in is not base64 (a byte
 * outside both alphabets, or anything but '=' after padding starts).
 */
long base64_decode(struct span in, unsigned char *out);

#endif
