/*
 * ladder.c - the connection ladder model and its text layout (see
 * ladder.h).  Knows nothing about packets: the sniffer names the
 * endpoints and says what each arrow carries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"

#define LADDER_TIME_W 12	/* "%.6f" seconds plus a gap */

void
ladder_init(struct ladder *l)
{
	memset(l, 0, sizeof *l);
}

void
ladder_free(struct ladder *l)
{
	for (size_t i = 0; i < l->nep; i++)
		free(l->ep[i].name);
	for (size_t i = 0; i < l->nev; i++) {
		free(l->ev[i].tag);
		free(l->ev[i].label);
	}
	free(l->ep);
	free(l->ev);
	ladder_init(l);
}

/* Grow *v (of *cap elements of size sz) to hold n + 1.  0 or -ENOMEM. */
static int
ladder_grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, ncap * sz);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

/* Index of the endpoint called name, added when new; -1 on ENOMEM. */
static long
ladder_ep(struct ladder *l, const char *name, bool server)
{
	struct ladder_ep *e;

	for (size_t i = 0; i < l->nep; i++)
		if (strcmp(l->ep[i].name, name) == 0) {
			l->ep[i].server |= server;
			return (long)i;
		}
	if (ladder_grow((void **)&l->ep, &l->capep, l->nep, sizeof *l->ep) < 0)
		return -1;
	e = &l->ep[l->nep];
	if (!(e->name = strdup(name)))
		return -1;
	e->server = server;
	e->first = (uint32_t)l->nep;
	return (long)l->nep++;
}

int
ladder_add(struct ladder *l, uint32_t frame, double t, const char *src,
	   const char *dst, enum ladder_side side, const char *tag,
	   const char *label)
{
	long from = ladder_ep(l, src, side == LADDER_SRC_SERVER);
	long to = from < 0 ? -1 : ladder_ep(l, dst, side == LADDER_DST_SERVER);
	struct ladder_ev *e;

	if (to < 0 || ladder_grow((void **)&l->ev, &l->capev, l->nev,
				  sizeof *l->ev) < 0)
		return -ENOMEM;
	e = &l->ev[l->nev];
	e->frame = frame;
	e->t = t;
	e->from = (uint32_t)from;
	e->to = (uint32_t)to;
	e->tag = strdup(tag ? tag : "");
	e->label = strdup(label ? label : "");
	if (!e->tag || !e->label) {
		free(e->tag);
		free(e->label);
		return -ENOMEM;
	}
	l->nev++;
	return 0;
}

void
ladder_columns(const struct ladder *l, uint32_t *col)
{
	uint32_t next = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->nep; i++)
			if (l->ep[i].server == (pass == 0))
				col[i] = next++;
}

/* Write the tag into row[left..right] (the arrow's shaft), centred. */
static void
ladder_tag(char *row, size_t left, size_t right, const char *tag)
{
	size_t room = right - left + 1, n = strlen(tag);

	if (room < 6 || n == 0)
		return;
	if (n > room - 4)
		n = room - 4;
	memcpy(row + left + (room - n) / 2, tag, n);
}

static int
ladder_line(const struct ladder *l, const struct ladder_ev *e,
	    const uint32_t *col, unsigned w, struct buf *out)
{
	size_t cols = l->nep, len = cols * w;
	char *row = malloc(len + 1);
	size_t a, b, left, right;
	int r;

	if (!row)
		return -ENOMEM;
	memset(row, ' ', len);
	for (size_t i = 0; i < cols; i++)
		row[i * w + w / 2] = '|';
	a = col[e->from] * w + w / 2;
	b = col[e->to] * w + w / 2;
	left = (a < b ? a : b) + 1;
	right = (a < b ? b : a) - 1;
	if (a != b) {
		memset(row + left, '-', right - left + 1);
		if (b > a)
			row[right] = '>';
		else
			row[left] = '<';
		ladder_tag(row, left + 1, right - 1, e->tag);
	}
	while (len > 0 && row[len - 1] == ' ')
		len--;
	r = buf_printf(out, "%-*.6f", LADDER_TIME_W, e->t);
	r |= buf_append(out, row, len);
	r |= buf_printf(out, "%*s%5u  %s\n", (int)(cols * w - len + 2), "",
			e->frame, e->label);
	free(row);
	return r < 0 ? -ENOMEM : 0;
}

/* Length of the host part all endpoint names share ("127.0.0.1" of
 * "127.0.0.1:8000"), or 0 when they differ. */
static size_t
ladder_common_host(const struct ladder *l)
{
	const char *first, *colon;
	size_t n;

	if (l->nep == 0)
		return 0;
	first = l->ep[0].name;
	colon = strrchr(first, ':');
	if (!colon)
		return 0;
	n = (size_t)(colon - first);
	for (size_t i = 1; i < l->nep; i++)
		if (strncmp(l->ep[i].name, first, n) != 0 ||
		    l->ep[i].name[n] != ':' || strchr(l->ep[i].name + n + 1,
						      ':'))
			return 0;
	return n;
}

int
ladder_print(const struct ladder *l, struct buf *out, unsigned width)
{
	uint32_t *col = malloc((l->nep ? l->nep : 1) * sizeof *col);
	uint32_t *by_col = malloc((l->nep ? l->nep : 1) * sizeof *by_col);
	size_t host = ladder_common_host(l);
	unsigned w = width;
	int r = 0;

	if (!col || !by_col) {
		free(col);
		free(by_col);
		return -ENOMEM;
	}
	/* one host (loopback): columns are named by port, the host once */
	if (host)
		r |= buf_printf(out, "Endpoints on %.*s, by port:\n",
				(int)host, l->ep[0].name);
	for (size_t i = 0; i < l->nep; i++)
		if (strlen(l->ep[i].name + host) + 3 > w)
			w = (unsigned)strlen(l->ep[i].name + host) + 3;
	ladder_columns(l, col);
	for (size_t i = 0; i < l->nep; i++)
		by_col[col[i]] = (uint32_t)i;
	/* names centred over their columns, then "Frame  Info" */
	r |= buf_printf(out, "%-*s", LADDER_TIME_W, "Time");
	for (size_t c = 0; c < l->nep; c++) {
		const char *name = l->ep[by_col[c]].name + host;
		size_t n = strlen(name), pad = w / 2 >= n / 2 ? w / 2 - n / 2 : 0;

		r |= buf_printf(out, "%*s%s%*s", (int)pad, "", name,
				(int)(w - pad - n), "");
	}
	r |= buf_puts(out, "  Frame  Info\n");
	for (size_t i = 0; i < l->nev && r == 0; i++)
		r = ladder_line(l, &l->ev[i], col, w, out);
	free(col);
	free(by_col);
	return r < 0 ? -ENOMEM : 0;
}
