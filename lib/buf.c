/*
 * buf.c - owned growable buffers and borrowed spans (see buf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

struct span
span_from(const char *s)
{
	return (struct span){ s, s ? strlen(s) : 0 };
}

bool
span_ieq_span(struct span a, struct span b)
{
	return a.len == b.len && (a.len == 0 || strncasecmp(a.p, b.p, a.len) == 0);
}

bool
span_istarts(struct span a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.len >= n && (n == 0 || strncasecmp(a.p, prefix, n) == 0);
}

struct span
span_trim(struct span a)
{
	while (a.len && (a.p[0] == ' ' || a.p[0] == '\t')) {
		a.p++;
		a.len--;
	}
	while (a.len && (a.p[a.len - 1] == ' ' || a.p[a.len - 1] == '\t'))
		a.len--;
	return a;
}

long
span_find(struct span a, const char *s, bool icase)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	for (size_t i = 0; i + n <= a.len; i++) {
		size_t k = 0;
		if (icase)
			while (k < n && lower((unsigned char)a.p[i + k]) ==
			       lower((unsigned char)s[k]))
				k++;
		else
			while (k < n && a.p[i + k] == s[k])
				k++;
		if (k == n)
			return (long)i;
	}
	return -1;
}

bool
span_to_u64(struct span a, unsigned long long *out)
{
	unsigned long long v = 0;

	if (a.len == 0)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		unsigned d = (unsigned char)a.p[i] - '0';
		if (d > 9)
			return false;
		if (v > (~0ULL - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = b->off = 0;
	if (b->data)
		b->data[0] = 0;
}

int
buf_reserve(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		return -ENOMEM;
	need = b->len + extra;
	if (b->data && need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap + 1);	/* +1: the NUL past len */
	if (p == NULL)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	b->data[b->len] = 0;
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	if (buf_reserve(b, (size_t)n) < 0)
		return -ENOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

int
buf_put_u64(struct buf *b, unsigned long long v)
{
	char tmp[24];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return buf_append(b, tmp + i, sizeof tmp - i);
}

struct span
buf_unread(const struct buf *b)
{
	return (struct span){ b->data ? b->data + b->off : "",
			      b->len - b->off };
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n > b->len - b->off)
		n = b->len - b->off;
	b->off += n;
	if (b->off == b->len)
		buf_reset(b);
}

void
buf_compact(struct buf *b)
{
	if (b->off == 0)
		return;
	memmove(b->data, b->data + b->off, b->len - b->off);
	b->len -= b->off;
	b->off = 0;
	b->data[b->len] = 0;
}
