/*
 * raw_text.h - byte transforms of `httptool raw`: LF to CRLF on the way
 * out, backslash escapes for the escape menu's `send`, and the socat-style
 * hex dump.  Pure functions over buffers; no I/O, so unit tests cover them.
 */
#ifndef HTTPTOOL_RAW_TEXT_H
#define HTTPTOOL_RAW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/buf.h"

/* LF-to-CRLF state across calls; zero-initialise. */
struct raw_crlf {
	bool last_cr;		/* the previous input byte was CR */
};

/*
 * Append in[0..n) to out with every LF that does not follow a CR turned
 * into CRLF (a CR at the end of one call counts for the next).  0, or
 * -ENOMEM.
 */
int raw_crlf_convert(struct raw_crlf *st, const char *in, size_t n,
		     struct buf *out);

/*
 * Append s[0..n) to out with \r \n \t \\ \0 \e and \xHH decoded.  0, or -1
 * when an escape is malformed (out then holds the bytes before it).
 */
int raw_unescape(const char *s, size_t n, struct buf *out);

/*
 * Append a hex dump of p[0..n) to out, socat style:
 *   "> 2026/11/22 03:16:44.123456  length=16 from=0 to=15\n"
 *   " 47 45 54 20 ...  GET / ...\n" (16 bytes a line) then "--\n".
 * dir is '>' (sent) or '<' (received); from is the direction's byte count
 * before these bytes; when is the wall-clock time.  0, or -ENOMEM.
 */
int raw_hex_dump(struct buf *out, char dir, const void *p, size_t n,
		 uint64_t from, const struct timespec *when);

#endif
