/*
 * har.h - --har FILE: every request/response exchange as HAR 1.2
 * (http://www.softwareishard.com/blog/har-12-spec/), loadable in browser
 * developer tools.  Written as responses complete; a request without a
 * response is written at the end with status 0, as browsers do for
 * aborted requests.
 */
#ifndef HTTPTOOL_HAR_H
#define HTTPTOOL_HAR_H

#include <stdbool.h>
#include <stdio.h>

#include "http_dissect.h"
#include "records.h"
#include "source.h"

struct har {
	FILE *fp;
	unsigned long entries;
	bool failed;
};

/* Create path and write the log's opening; 0 or -1 (errno). */
int har_open(struct har *h, const char *path);

/* Write the exchange a final response completes (others are ignored). */
void har_message(struct har *h, const struct http_view *v,
		 const struct records *rs, const struct capture *cap);

/* Unanswered requests, then the closing; 0 or -1 when a write failed. */
int har_close(struct har *h, const struct records *rs,
	      const struct capture *cap);

#endif
