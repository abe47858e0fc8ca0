/*
 * buf.h - the two buffer types every part shares (STYLE.md 6).
 *
 * lib/ is the base folder below http/ and every part (client/, raw/,
 * capture/, server/, cli/): buf/span here, json.h (the one JSON writer,
 * escaper and validator), base64.h, clock.h (the monotonic clock),
 * loop.h (the event loop), out.h (terminal output), version.h and
 * exitcode.h.  Nothing in lib/ includes a header from any other folder.
 *
 * struct span is borrowed: a pointer and a length into memory somebody
 * else owns, valid until that memory changes (for a span into a struct buf:
 * until the next append, compact or free).  It is never freed.
 *
 * struct buf is owned: a growable byte buffer held by one owner (a server
 * connection, a TCP flow direction).  Bytes [off, len) are unread; consume
 * by advancing off and compact when convenient.  data is always
 * NUL-terminated past len so it can be printed, but may hold NULs itself.
 * The owner calls buf_free().
 */
#ifndef HTTPTOOL_BUF_H
#define HTTPTOOL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

struct span {
	const char *p;
	size_t len;
};

#define SPAN_NULL ((struct span){ NULL, 0 })
#define SPAN_LIT(s) ((struct span){ (s), sizeof(s) - 1 })

struct span span_from(const char *s);			/* strlen */

/* byte-exact; inline so that a literal's length is known when compiled
 * (header names are compared on every request) */
static inline bool
span_eq(struct span a, const char *s)
{
	size_t n = strlen(s);

	return a.len == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

/* ASCII case-insensitive, inline as span_eq */
static inline bool
span_ieq(struct span a, const char *s)
{
	size_t n = strlen(s);

	return a.len == n && (n == 0 || strncasecmp(a.p, s, n) == 0);
}

bool span_ieq_span(struct span a, struct span b);
bool span_istarts(struct span a, const char *prefix);
struct span span_trim(struct span a);			/* SP and HTAB both ends */
/* Find s (case-insensitive when icase) in a; returns offset or -1. */
long span_find(struct span a, const char *s, bool icase);
/* Parse a whole span of decimal digits; false on empty, junk or overflow. */
bool span_to_u64(struct span a, unsigned long long *out);

struct buf {
	char *data;
	size_t len;		/* bytes held */
	size_t cap;		/* bytes allocated (excluding the NUL slot) */
	size_t off;		/* bytes already consumed */
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b);
void buf_free(struct buf *b);		/* releases data; b is reusable */
void buf_reset(struct buf *b);		/* empties without releasing */
/* Make room for extra more bytes.  0, or -ENOMEM (b unchanged). */
int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);	/* 0 or -ENOMEM */
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* v in decimal, without printf (for hot paths).  0 or -ENOMEM. */
int buf_put_u64(struct buf *b, unsigned long long v);
/* Unread bytes as a span (borrowed). */
struct span buf_unread(const struct buf *b);
void buf_consume(struct buf *b, size_t n);	/* n <= unread */
void buf_compact(struct buf *b);		/* move unread bytes to 0 */

#endif
