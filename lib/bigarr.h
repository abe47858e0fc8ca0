/*
 * bigarr.h - arrays that may grow to hundreds of megabytes (the frame
 * index, the HTTP record table), kept in a mapping of their own and
 * grown with mremap: growing copies nothing, and pages never written
 * cost no memory.  realloc gives this only while glibc happens to serve
 * the block by mmap (its threshold moves at run time), and never under
 * ASan, whose realloc copies into a new block.
 *
 * The caller keeps the element count the array was sized for and passes
 * it back; elements past it must not be touched.
 */
#ifndef HTTPTOOL_BIGARR_H
#define HTTPTOOL_BIGARR_H

#include <stddef.h>

/* Resize *p from n to m elements of size sz (*p NULL when n is 0); new
 * elements are zero.  0, or -1 with errno set and *p unchanged. */
int bigarr_resize(void **p, size_t n, size_t m, size_t sz);

/* Give back an array of n elements of size sz (NULL is fine). */
void bigarr_free(void *p, size_t n, size_t sz);

#endif
