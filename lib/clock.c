/*
 * clock.c - the one CLOCK_MONOTONIC reader (see clock.h).
 */
#include <time.h>

#include "lib/clock.h"

double
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long long
clock_ms(void)
{
	return (long long)(clock_now() * 1e3);
}
