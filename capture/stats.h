/*
 * stats.h - --stats: requests by method and by host and URI, responses by
 * status class and code, and response times per URI with min, median,
 * 95th percentile and max (tshark's http,tree has no percentiles).
 * Fed one HTTP message at a time; keeps counts and one time per answered
 * request.  Distinct keys are capped; the rest count as "(other)".
 */
#ifndef HTTPTOOL_STATS_H
#define HTTPTOOL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "http_dissect.h"
#include "records.h"
#include "source.h"

struct stat_key {
	char *key;
	char *sub;		/* second level (URI under host), or NULL */
	int code;
	uint64_t n;
	double *t;		/* response times (ms) */
	size_t nt, tcap;
};

struct stat_table {
	struct stat_key *v;
	size_t n, cap;
};

struct stats {
	uint64_t requests, responses;
	struct stat_table methods, hosts, uris, codes, times;
	/* a response time whose request's head the records did not keep
	 * (the TUI keeps a summary per record instead): the hook counts it
	 * with stats_add_time(), at once or when it learns the URI; NULL:
	 * not counted */
	void (*req_time)(void *ctx, struct stats *st,
			 const struct http_rec *req, double ms);
	void *req_time_ctx;
};

/* Count a response time of ms for uri (the "Response time" table). */
void stats_add_time(struct stats *st, struct span uri, double ms);

/* Count one message; rs/cap give the request of a response. */
void stats_message(struct stats *st, const struct http_view *v,
		   const struct records *rs, const struct capture *cap);

/* Append the tables. */
void stats_print(const struct stats *st, struct buf *out);

void stats_free(struct stats *st);

/* The request-target of a request head copy ("GET /x HTTP/1.1"). */
struct span stats_head_uri(const char *head, size_t len);

#endif
