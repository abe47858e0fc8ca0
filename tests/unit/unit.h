/*
 * unit.h - a very small unit-test harness.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_EQ(a, b); CHECK_SPAN(s, "text"); }
 *
 * Tests register themselves (a constructor per TEST) and tests/unit/main.c
 * runs them all, or those whose name contains argv[1], printing
 * "N passed, N failed" last.  A failed CHECK records the failure and the
 * test goes on, so one run shows every broken expectation.
 *
 * unit_guard() copies bytes so that they end exactly at an unreadable page:
 * a parser that reads one byte too far crashes the test (pico's test.c).
 */
#ifndef HTTPTOOL_UNIT_H
#define HTTPTOOL_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/buf.h"

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
bool unit_check(bool ok, const char *expr, const char *file, int line);
bool unit_check_eq(long long a, long long b, const char *ea, const char *eb,
		   const char *file, int line);
bool unit_check_str(const char *a, size_t alen, const char *b,
		    const char *ea, const char *file, int line);

/* Copy of data[0..len) whose last byte is followed by a PROT_NONE page.
 * Valid until the test ends. */
const char *unit_guard(const void *data, size_t len);
#define unit_guard_str(s) unit_guard((s), strlen(s))
/* Release every guarded copy made so far in this test (their pointers die). */
void unit_guard_release(void);

#define TEST(nm)							\
	static void test_##nm(void);					\
	static struct unit_test unit_##nm = { #nm, test_##nm, NULL };	\
	__attribute__((constructor)) static void unit_reg_##nm(void)	\
	{ unit_register(&unit_##nm); }					\
	static void test_##nm(void)

struct reasm;
/* A TCP segment as a decoded packet fed to r (test_tcp_reassembly.c). */
void unit_tcp_seg(struct reasm *r, int from_server, uint32_t seq,
		  uint16_t flags, const void *payload, uint32_t n,
		  uint32_t frame, uint16_t cport);

#define CHECK(e) unit_check(!!(e), #e, __FILE__, __LINE__)
#define CHECK_EQ(a, b) \
	unit_check_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) \
	unit_check_str((a), strlen(a), (b), #a, __FILE__, __LINE__)
#define CHECK_SPAN(sp, b) \
	unit_check_str((sp).p ? (sp).p : "", (sp).len, (b), #sp, __FILE__, __LINE__)

#endif
