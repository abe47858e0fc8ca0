/*
 * zstat_tree.c - tshark's HTTP stats trees (see zstat_tree.h).
 *
 * A node counts its ticks and, for "Burst Rate", the ticks of the last
 * 100 ms in 5 ms buckets (tshark's default st_burst_windowlen and
 * st_burst_resolution): the most ticks the window ever held, and the
 * start of the window's oldest bucket then.  As in tshark the window
 * starts with an empty bucket at time 0.  Messages come in frame order,
 * so a tick is never older than the newest bucket.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/status.h"
#include "zstat_tree.h"

#define BURST_WIN_MS 100.0
#define BURST_RES_MS 5.0
#define BURST_BUCKETS 20	/* BURST_WIN_MS / BURST_RES_MS */
#define COL_W 12		/* tshark's numeric column size */
#define NCOLS 8			/* after the name */

struct bucket {
	int64_t no;
	uint32_t count;
	double start_ms;
};

struct zst_node {
	char *name;
	uint64_t count;
	struct zst_node *parent, *child, *next;	/* children in order made */
	struct bucket b[BURST_BUCKETS + 1];	/* ring: the window */
	unsigned head, nb;
	uint64_t bcount, max_burst;
	double burst_ms;
};

static struct zst_node *
node_new(struct zst *t, struct zst_node *parent, const char *name)
{
	struct zst_node *n = calloc(1, sizeof(*n)), **pp;

	if (!n || !(n->name = strdup(name))) {
		free(n);
		t->oom = true;
		return NULL;
	}
	n->nb = 1;		/* the empty bucket 0 at time 0 */
	n->parent = parent;
	if (parent) {
		for (pp = &parent->child; *pp; pp = &(*pp)->next)
			;
		*pp = n;
	}
	return n;
}

static struct zst_node *
child_of(struct zst *t, struct zst_node *p, const char *name)
{
	struct zst_node *c;

	if (!p)
		return NULL;
	for (c = p->child; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return node_new(t, p, name);
}

static void
burst(struct zst_node *n, double now)
{
	int64_t no = (int64_t)floor(now / BURST_RES_MS);
	struct bucket *tail = &n->b[(n->head + n->nb - 1) % (BURST_BUCKETS + 1)];

	if (no > tail->no) {
		/* the window holds at most BURST_BUCKETS buckets, so there
		   is room for one more before it is trimmed */
		tail = &n->b[(n->head + n->nb) % (BURST_BUCKETS + 1)];
		*tail = (struct bucket){ no, 1, now };
		n->nb++;
		n->bcount++;
		while (n->nb > 1 && no >= n->b[n->head].no + BURST_BUCKETS) {
			n->bcount -= n->b[n->head].count;
			n->head = (n->head + 1) % (BURST_BUCKETS + 1);
			n->nb--;
		}
	} else {
		tail->count++;
		if (tail->start_ms > now)
			tail->start_ms = now;
		n->bcount++;
	}
	if (n->bcount > n->max_burst) {
		n->max_burst = n->bcount;
		n->burst_ms = n->b[n->head].start_ms;
	}
}

/* Tick the child called name of p (made if new); returns it. */
static struct zst_node *
tick(struct zst *t, struct zst_node *p, const char *name)
{
	struct zst_node *n = child_of(t, p, name);

	if (n) {
		n->count++;
		burst(n, t->now_ms);
	}
	return n;
}

static struct zst_node *
made(struct zst *t, struct zst_node *p, const char *name)
{
	return child_of(t, p, name);
}

int
zst_init(struct zst *t, enum zst_kind k)
{
	struct zst_node *n;
	static const char *const groups[] = {
		"???: broken", "1xx: Informational", "2xx: Success",
		"3xx: Redirection", "4xx: Client Error", "5xx: Server Error",
	};

	memset(t, 0, sizeof(*t));
	t->kind = k;
	t->root = node_new(t, NULL, "");
	switch (k) {
	case ZST_HTTP:
		n = made(t, t->root, "Total HTTP Packets");
		made(t, n, "HTTP Request Packets");
		n = made(t, n, "HTTP Response Packets");
		for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
			made(t, n, groups[i]);
		made(t, made(t, t->root, "Total HTTP Packets"),
		     "Other HTTP Packets");
		break;
	case ZST_HTTP_REQ:
		made(t, t->root, "HTTP Requests by HTTP Host");
		break;
	case ZST_HTTP_SRV:
		n = made(t, t->root, "HTTP Requests by Server");
		made(t, n, "HTTP Requests by Server Address");
		made(t, n, "HTTP Requests by HTTP Host");
		made(t, t->root, "HTTP Responses by Server Address");
		break;
	}
	return t->oom ? -1 : 0;
}

static const char *
group_of(int status)
{
	static const char *const g[] = {
		"1xx: Informational", "2xx: Success", "3xx: Redirection",
		"4xx: Client Error", "5xx: Server Error",
	};

	return status < 100 || status >= 600 ? "???: broken" :
	       g[status / 100 - 1];
}

void
zst_message(struct zst *t, const struct zst_msg *m)
{
	struct zst_node *n, *a;
	char s[96];

	if (!t->root)
		return;
	if (!t->started) {
		t->start_ms = m->ms;
		t->started = true;
	}
	t->now_ms = m->ms;
	switch (t->kind) {
	case ZST_HTTP:
		n = tick(t, t->root, "Total HTTP Packets");
		if (m->is_request) {
			tick(t, tick(t, n, "HTTP Request Packets"), m->method);
		} else if (m->status) {
			const char *ph = http_status_phrase(m->status);

			n = tick(t, tick(t, n, "HTTP Response Packets"),
				 group_of(m->status));
			if (ph)
				snprintf(s, sizeof s, "%d %s", m->status, ph);
			else
				snprintf(s, sizeof s, "%d Unknown (%d)",
					 m->status, m->status);
			tick(t, n, s);
		} else {
			tick(t, n, "Other HTTP Packets");
		}
		break;
	case ZST_HTTP_REQ:
		if (!m->is_request)
			break;
		n = tick(t, t->root, "HTTP Requests by HTTP Host");
		if (m->host && (n = tick(t, n, m->host)) && m->uri)
			tick(t, n, m->uri);
		break;
	case ZST_HTTP_SRV:
		if (m->is_request) {
			n = tick(t, t->root, "HTTP Requests by Server");
			a = tick(t, tick(t, n, "HTTP Requests by Server Address"),
				 m->dst);
			n = tick(t, n, "HTTP Requests by HTTP Host");
			if (m->host) {
				tick(t, tick(t, n, m->host), m->dst);
				tick(t, a, m->host);
			}
		} else if (m->status) {
			n = tick(t, tick(t, t->root,
					 "HTTP Responses by Server Address"),
				 m->src);
			/* tshark 4.0: 101 to 399 (not 100) */
			tick(t, n, m->status > 100 && m->status < 400 ? "OK" :
				   "KO");
		}
		break;
	}
}

/* ---- printing ---- */

static size_t
max_name(const struct zst_node *n, size_t depth)
{
	size_t m = 0;

	for (const struct zst_node *c = n->child; c; c = c->next) {
		size_t l = depth + 1 + strlen(c->name), k = max_name(c, depth + 1);

		m = l > m ? l : m;
		m = k > m ? k : m;
	}
	return m;
}

/* tshark's order: count, then name, both descending */
static int
by_count(const void *pa, const void *pb)
{
	const struct zst_node *a = *(const struct zst_node *const *)pa;
	const struct zst_node *b = *(const struct zst_node *const *)pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return -strcmp(a->name, b->name);
}

static void
col(struct buf *out, const char *v)
{
	buf_printf(out, " %-*s", COL_W + 1, v);
}

static void
row(const struct zst *t, const struct zst_node *n, size_t depth,
    size_t width, struct buf *out)
{
	double elapsed = t->now_ms - t->start_ms;
	char v[64];

	buf_printf(out, "%*s%-*s", (int)depth, "", (int)(width - depth),
		   n->name);
	snprintf(v, sizeof v, "%llu", (unsigned long long)n->count);
	col(out, v);
	col(out, "");		/* Average, Min Val, Max Val: counters only */
	col(out, "");
	col(out, "");
	if (elapsed > 0)
		snprintf(v, sizeof v, "%.4f", (double)(float)n->count /
			 elapsed);
	else
		v[0] = 0;
	col(out, v);
	if (n->parent == t->root)
		snprintf(v, sizeof v, "100%%");
	else if (n->parent->count)
		snprintf(v, sizeof v, "%.2f%%", (double)n->count * 100.0 /
			 (double)n->parent->count);
	else
		v[0] = 0;
	col(out, v);
	if (n->max_burst) {
		snprintf(v, sizeof v, "%.4f", (double)n->max_burst /
			 BURST_WIN_MS);
		col(out, v);
		snprintf(v, sizeof v, "%.3f", n->burst_ms / 1000.0);
		col(out, v);
	} else {
		col(out, "-");
		col(out, "-");
	}
	buf_puts(out, "\n");
}

static int
rows(const struct zst *t, const struct zst_node *n, size_t depth,
     size_t width, struct buf *out)
{
	const struct zst_node *c, **v;
	size_t k = 0, i;
	int r = 0;

	for (c = n->child; c; c = c->next)
		k++;
	if (!k)
		return 0;
	v = malloc(k * sizeof(*v));
	if (!v)
		return -1;
	for (c = n->child, i = 0; c; c = c->next)
		v[i++] = c;
	if (n != t->root)	/* tshark keeps the top rows in order made */
		qsort(v, k, sizeof(*v), by_count);
	for (i = 0; i < k; i++) {
		row(t, v[i], depth, width, out);
		r |= rows(t, v[i], depth + 1, width, out);
	}
	free(v);
	return r;
}

static void
rule(struct buf *out, char ch, size_t n)
{
	char line[256];

	if (n >= sizeof line)
		n = sizeof line - 1;
	memset(line, ch, n);
	line[n] = 0;
	buf_printf(out, "%s\n", line);
}

int
zst_print(const struct zst *t, struct buf *out)
{
	static const char *const title[] = {
		"HTTP/Packet Counter", "HTTP/Requests", "HTTP/Load Distribution",
	};
	static const char *const cols[NCOLS] = {
		"Count", "Average", "Min Val", "Max Val", "Rate (ms)", "Percent",
		"Burst Rate", "Burst Start",
	};
	size_t width, len;
	int r;

	if (!t->root)
		return -1;
	width = max_name(t->root, 0);
	len = width + NCOLS * (COL_W + 2);
	buf_puts(out, "\n");
	rule(out, '=', len);
	buf_printf(out, "%s:\n%-*s", title[t->kind], (int)width,
		   "Topic / Item");
	for (size_t i = 0; i < NCOLS; i++)
		col(out, cols[i]);
	buf_puts(out, "\n");
	rule(out, '-', len);
	r = rows(t, t->root, 0, width, out);
	buf_puts(out, "\n");
	rule(out, '-', len);
	return r < 0 || t->oom ? -1 : 0;
}

static void
node_free(struct zst_node *n)
{
	while (n) {
		struct zst_node *next = n->next;

		node_free(n->child);
		free(n->name);
		free(n);
		n = next;
	}
}

void
zst_free(struct zst *t)
{
	node_free(t->root);
	t->root = NULL;
}
