/*
 * har.h - --har FILE: every request/response exchange as HAR 1.2
 * (http://www.softwareishard.com/blog/har-12-spec/), loadable in browser
 * developer tools.  An entry is written when both its request and its
 * final response are complete, whichever ends first (a server may answer
 * before the request body has all arrived: 413, 100-continue refused), so
 * the request's postData is whole; a request without a response is written
 * at the end with status 0, as browsers do for aborted requests.
 */
#ifndef HTTPTOOL_HAR_H
#define HTTPTOOL_HAR_H

#include <stdbool.h>
#include <stdio.h>

#include "http_dissect.h"
#include "records.h"
#include "source.h"

struct har_wait;

struct har {
	FILE *fp;
	unsigned long entries;
	bool failed;
	/* responses whose request has not ended yet, rendered (owned) */
	struct har_wait *wait;
	size_t nwait, capwait, wait_bytes;
};

/* Create path and write the log's opening; 0 or -1 (errno). */
int har_open(struct har *h, const char *path);

/*
 * A message completed: write the exchange a final response completes, or
 * keep it until its request ends; write those kept whose request has.
 */
void har_message(struct har *h, const struct http_view *v,
		 const struct records *rs, const struct capture *cap);

/* Unanswered requests, then the closing; 0 or -1 when a write failed. */
int har_close(struct har *h, const struct records *rs,
	      const struct capture *cap);

#endif
