/*
 * extract.h - bounds-checked reads of packet bytes (STYLE.md 4).
 *
 * Every decoder in capture/ reads the wire through a struct cursor: the
 * get_* helpers check against end and, instead of reading past it, set a
 * sticky error and return 0.  A decoder reads a whole header, then checks
 * cur->err once.  cur_narrow() shrinks end to what a header claims so a
 * lying length cannot pull bytes from the next layer.
 *
 * Header-only; depends on nothing but the C library.
 */
#ifndef HTTPTOOL_EXTRACT_H
#define HTTPTOOL_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *p, *end;
	int err;		/* sticky: set once a read ran off the end */
};

static inline void
cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->end = p + len;
	c->err = 0;
}

static inline size_t
cur_left(const struct cursor *c)
{
	return c->err ? 0 : (size_t)(c->end - c->p);
}

/* True when n more bytes can be read; otherwise sets the error. */
static inline int
cur_need(struct cursor *c, size_t n)
{
	if (c->err || (size_t)(c->end - c->p) < n) {
		c->err = 1;
		return 0;
	}
	return 1;
}

static inline uint8_t
get_u8(struct cursor *c)
{
	if (!cur_need(c, 1))
		return 0;
	return *c->p++;
}

static inline uint16_t
get_be16(struct cursor *c)
{
	uint16_t v;

	if (!cur_need(c, 2))
		return 0;
	v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static inline uint32_t
get_be32(struct cursor *c)
{
	uint32_t v;

	if (!cur_need(c, 4))
		return 0;
	v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

static inline uint32_t
get_le32(struct cursor *c)
{
	uint32_t v;

	if (!cur_need(c, 4))
		return 0;
	v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	    (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return v;
}

/* Copy n bytes to out (zeroes on error). */
static inline void
get_bytes(struct cursor *c, void *out, size_t n)
{
	uint8_t *o = out;
	size_t i;

	if (!cur_need(c, n)) {
		for (i = 0; i < n; i++)
			o[i] = 0;
		return;
	}
	for (i = 0; i < n; i++)
		o[i] = c->p[i];
	c->p += n;
}

static inline void
cur_skip(struct cursor *c, size_t n)
{
	if (cur_need(c, n))
		c->p += n;
}

/*
 * Limit the cursor to the next n bytes (a length a header claims).
 * Returns 1 when all n are there, 0 when fewer were captured (end is left
 * where it was; the caller marks the packet truncated).
 */
static inline int
cur_narrow(struct cursor *c, size_t n)
{
	if (c->err)
		return 0;
	if ((size_t)(c->end - c->p) < n)
		return 0;
	c->end = c->p + n;
	return 1;
}

#endif
