/*
 * stats.c - the --stats tables (see stats.h).  Tables are small arrays
 * searched linearly: the number of distinct methods, codes and URIs in a
 * capture is small, and a cap keeps a hostile one from making it slow.
 */
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "http/status.h"
#include "print_body.h"
#include "stats.h"

#define STAT_MAX_KEYS 2000
#define RULE "==================================================================="

static struct stat_key *
table_get(struct stat_table *t, struct span key, struct span sub, int code)
{
	struct stat_key *k;
	size_t i;

	for (i = 0; i < t->n; i++) {
		k = &t->v[i];
		if (k->code == code && strlen(k->key) == key.len &&
		    memcmp(k->key, key.p, key.len) == 0 &&
		    (!sub.p ? !k->sub : k->sub && strlen(k->sub) == sub.len &&
		     memcmp(k->sub, sub.p, sub.len) == 0))
			return k;
	}
	if (t->n >= STAT_MAX_KEYS) {
		if (span_eq(key, "(other)"))
			return NULL;
		return table_get(t, SPAN_LIT("(other)"),
				 sub.p ? SPAN_LIT("(other)") : SPAN_NULL, 0);
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		struct stat_key *v = realloc(t->v, ncap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = ncap;
	}
	k = &t->v[t->n];
	memset(k, 0, sizeof(*k));
	k->key = strndup(key.p ? key.p : "", key.len);
	k->sub = sub.p ? strndup(sub.p, sub.len) : NULL;
	k->code = code;
	if (!k->key)
		return NULL;
	t->n++;
	return k;
}

static void
count(struct stat_table *t, struct span key, struct span sub, int code)
{
	struct stat_key *k = table_get(t, key, sub, code);

	if (k)
		k->n++;
}

struct span
stats_head_uri(const char *head, size_t len)
{
	size_t i = 0, s;

	while (i < len && (head[i] == '\r' || head[i] == '\n'))
		i++;
	while (i < len && head[i] != ' ')
		i++;
	s = ++i;
	while (i < len && head[i] != ' ' && head[i] != '\r' && head[i] != '\n')
		i++;
	return s <= len ? (struct span){ head + s, i - s } : SPAN_NULL;
}

void
stats_add_time(struct stats *st, struct span uri, double ms)
{
	struct stat_key *k = table_get(&st->times, uri, SPAN_NULL, 0);

	if (!k)
		return;
	k->n++;
	if (k->nt == k->tcap) {
		size_t ncap = k->tcap ? k->tcap * 2 : 8;
		double *t = realloc(k->t, ncap * sizeof(*t));

		if (!t)
			return;
		k->t = t;
		k->tcap = ncap;
	}
	k->t[k->nt++] = ms;
}

void
stats_message(struct stats *st, const struct http_view *v,
	      const struct records *rs, const struct capture *cap)
{
	const struct http_msg *m = v->msg;
	const struct http_rec *req;
	const char *head;
	uint32_t head_len;
	char reason[64];
	int64_t t;

	if (m->is_request) {
		struct span host = http_header_value(m, "host");

		st->requests++;
		count(&st->methods, m->method, SPAN_NULL, 0);
		count(&st->hosts, host.p ? host : SPAN_LIT("(no host)"),
		      SPAN_NULL, 0);
		count(&st->uris, host.p ? host : SPAN_LIT("(no host)"),
		      m->target, 0);
		return;
	}
	st->responses++;
	snprintf(reason, sizeof(reason), "%d %s", m->status,
		 http_status_phrase(m->status));
	count(&st->codes, span_from(reason), SPAN_NULL, m->status);
	req = rec_link(rs, v->r->pair);
	if ((m->status < 200 && m->status != 101) || !req)
		return;
	head = rec_head(req, &head_len);
	if (!head && !st->req_time)
		return;
	t = print_time_since_request(v, rs, cap);
	if (t < 0 && req->first_frame && v->frame &&
	    cap_frame(cap, v->frame - 1) &&
	    cap_frame(cap, req->first_frame - 1))
		/* answered before the body ended: time from its start */
		t = cap_frame_ns(cap_frame(cap, v->frame - 1)) -
		    cap_frame_ns(cap_frame(cap, req->first_frame - 1));
	if (t < 0)
		return;
	if (head)
		stats_add_time(st, stats_head_uri(head, head_len),
			       (double)t / 1e6);
	else
		st->req_time(st->req_time_ctx, st, req, (double)t / 1e6);
}

static int
by_count(const void *a, const void *b)
{
	const struct stat_key *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->key, y->key);
}

static int
by_code(const void *a, const void *b)
{
	return ((const struct stat_key *)a)->code -
	       ((const struct stat_key *)b)->code;
}

static int
by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
row(struct buf *out, int indent, const char *name, uint64_t n)
{
	buf_printf(out, "%*s%-*s %10llu\n", indent, "", 40 - indent, name,
		   (unsigned long long)n);
}

static void
print_uris(const struct stats *st, struct buf *out)
{
	size_t i, j;

	buf_printf(out, "\n%-40s %10s\n", "Requests by host and URI", "Count");
	for (i = 0; i < st->hosts.n; i++) {
		const struct stat_key *h = &st->hosts.v[i];

		row(out, 2, h->key, h->n);
		for (j = 0; j < st->uris.n; j++)
			if (strcmp(st->uris.v[j].key, h->key) == 0)
				row(out, 4, st->uris.v[j].sub, st->uris.v[j].n);
	}
}

static void
print_codes(const struct stats *st, struct buf *out)
{
	size_t i;
	int cls = -1;

	buf_printf(out, "\n%-40s %10s\n", "Responses by status", "Count");
	for (i = 0; i < st->codes.n; i++) {
		const struct stat_key *k = &st->codes.v[i];
		char name[16];
		uint64_t n = 0;
		size_t j;

		if (k->code / 100 != cls) {
			cls = k->code / 100;
			for (j = i; j < st->codes.n &&
			     st->codes.v[j].code / 100 == cls; j++)
				n += st->codes.v[j].n;
			snprintf(name, sizeof(name), "%dxx", cls);
			row(out, 2, name, n);
		}
		row(out, 4, k->key, k->n);
	}
}

static void
print_times(const struct stats *st, struct buf *out)
{
	size_t i;

	buf_printf(out, "\n%-30s %8s %10s %10s %10s %10s\n",
		   "Response time by URI (ms)", "Count", "Min", "Median", "P95",
		   "Max");
	for (i = 0; i < st->times.n; i++) {
		const struct stat_key *k = &st->times.v[i];
		size_t p95;

		if (!k->nt)
			continue;
		if (k->nt > 1)
			qsort(k->t, k->nt, sizeof(double), by_double);
		p95 = (k->nt * 95 + 99) / 100;	/* nearest rank */
		buf_printf(out, "  %-28s %8zu %10.3f %10.3f %10.3f %10.3f\n",
			   k->key, k->nt, k->t[0],
			   k->nt % 2 ? k->t[k->nt / 2] :
			   (k->t[k->nt / 2 - 1] + k->t[k->nt / 2]) / 2,
			   k->t[p95 - 1], k->t[k->nt - 1]);
	}
}

static void
sort_table(const struct stat_table *t, int (*cmp)(const void *, const void *))
{
	if (t->n > 1)	/* qsort(NULL, 0, ...) is undefined */
		qsort(t->v, t->n, sizeof(struct stat_key), cmp);
}

void
stats_print(const struct stats *st, struct buf *out)
{
	size_t i;

	sort_table(&st->methods, by_count);
	sort_table(&st->hosts, by_count);
	sort_table(&st->uris, by_count);
	sort_table(&st->codes, by_code);
	sort_table(&st->times, by_count);
	buf_printf(out, "\n" RULE "\nHTTP statistics\nRequests: %llu  "
		   "Responses: %llu\n", (unsigned long long)st->requests,
		   (unsigned long long)st->responses);
	buf_printf(out, "\n%-40s %10s\n", "Requests by method", "Count");
	for (i = 0; i < st->methods.n; i++)
		row(out, 2, st->methods.v[i].key, st->methods.v[i].n);
	print_uris(st, out);
	print_codes(st, out);
	print_times(st, out);
	buf_puts(out, RULE "\n");
}

static void
table_free(struct stat_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].sub);
		free(t->v[i].t);
	}
	free(t->v);
}

void
stats_free(struct stats *st)
{
	table_free(&st->methods);
	table_free(&st->hosts);
	table_free(&st->uris);
	table_free(&st->codes);
	table_free(&st->times);
	memset(st, 0, sizeof(*st));
}
