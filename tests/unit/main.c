/*
 * main.c - runs every registered unit test; see unit.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"

static struct unit_test *tests, **tail = &tests;
static int failures_in_test;

/* guard allocations of the running test, unmapped when it ends */
struct guard {
	void *base;
	size_t size;
};
static struct guard guards[256];
static size_t nguards;

void
unit_register(struct unit_test *t)
{
	*tail = t;
	tail = &t->next;
}

bool
unit_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		printf("    %s:%d: CHECK(%s) failed\n", file, line, expr);
		failures_in_test++;
	}
	return ok;
}

bool
unit_check_eq(long long a, long long b, const char *ea, const char *eb,
	      const char *file, int line)
{
	if (a != b) {
		printf("    %s:%d: %s == %s failed: %lld != %lld\n", file, line,
		       ea, eb, a, b);
		failures_in_test++;
	}
	return a == b;
}

bool
unit_check_str(const char *a, size_t alen, const char *b, const char *ea,
	       const char *file, int line)
{
	if (alen != strlen(b) || memcmp(a, b, alen) != 0) {
		printf("    %s:%d: %s is \"%.*s\", expected \"%s\"\n", file,
		       line, ea, (int)alen, a, b);
		failures_in_test++;
		return false;
	}
	return true;
}

const char *
unit_guard(const void *data, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (len + page - 1) / page + 1;
	size_t size = pages * page;
	char *base;

	if (nguards == sizeof guards / sizeof guards[0]) {
		fprintf(stderr, "unit_guard: too many guarded buffers\n");
		abort();
	}
	base = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		abort();
	}
	mprotect(base + size - page, page, PROT_NONE);
	guards[nguards++] = (struct guard){ base, size };
	char *start = base + size - page - len;
	if (len)
		memcpy(start, data, len);
	return start;
}

void
unit_guard_release(void)
{
	for (size_t i = 0; i < nguards; i++)
		munmap(guards[i].base, guards[i].size);
	nguards = 0;
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct unit_test *t = tests; t; t = t->next) {
		if (argc > 1 && strstr(t->name, argv[1]) == NULL)
			continue;
		failures_in_test = 0;
		t->fn();
		unit_guard_release();
		if (failures_in_test) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
