/*
 * clock.h - the monotonic clock every part reads (timeouts, progress,
 * latency, redraw timers).  Never the wall clock: only differences mean
 * anything.
 */
#ifndef HTTPTOOL_LIB_CLOCK_H
#define HTTPTOOL_LIB_CLOCK_H

/* Seconds on CLOCK_MONOTONIC, with nanosecond resolution. */
double clock_now(void);

/* The same clock in whole milliseconds. */
long long clock_ms(void);

#endif
