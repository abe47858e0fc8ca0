/*
 * bigarr.c - large arrays on mmap/mremap (see bigarr.h).
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bigarr.h"

/* n elements of sz in whole pages; 0 when that does not fit a size_t. */
static size_t
bigarr_bytes(size_t n, size_t sz)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (sz && n > (SIZE_MAX - page) / sz)
		return 0;
	return (n * sz + page - 1) / page * page;
}

int
bigarr_resize(void **p, size_t n, size_t m, size_t sz)
{
	size_t old = *p ? bigarr_bytes(n, sz) : 0, want = bigarr_bytes(m, sz);
	void *q;

	if (m && !want) {
		errno = ENOMEM;
		return -1;
	}
	if (want == old)
		return 0;
	if (!want) {
		munmap(*p, old);
		*p = NULL;
		return 0;
	}
	q = old ? mremap(*p, old, want, MREMAP_MAYMOVE)
		: mmap(NULL, want, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		return -1;
	*p = q;
	return 0;
}

void
bigarr_free(void *p, size_t n, size_t sz)
{
	if (p)
		munmap(p, bigarr_bytes(n, sz));
}
