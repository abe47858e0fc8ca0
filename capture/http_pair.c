/*
 * http_pair.c - the requests of a flow waiting for their responses (see
 * http_pair.h); moved out of http_dissect.c, the logic as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "http/header.h"
#include "http_pair.h"

#define FIFO_MAX 4096

void
pair_copy_method(char *out, struct span m)
{
	size_t n = m.len < 15 ? m.len : 15;

	memcpy(out, m.p ? m.p : "", n);
	out[n] = '\0';
}

/*
 * Copy m's target and Host value into u; nothing on ENOMEM or when the
 * copy would take used past max (the response then names no URI).
 */
static void
uri_set(struct pairq *q, struct req_uri *u, const struct http_msg *m,
	size_t used, size_t max)
{
	struct span host = http_header_value(m, "host");
	size_t n = m->target.len + (host.p ? host.len : 0);

	memset(u, 0, sizeof(*u));
	if (!m->target.p || used + n > max ||
	    !(u->p = malloc(n ? n : 1)))
		return;
	memcpy(u->p, m->target.p, m->target.len);
	if (host.p)
		memcpy(u->p + m->target.len, host.p, host.len);
	u->target_len = (uint32_t)m->target.len;
	u->host_len = host.p ? (uint32_t)host.len : 0;
	u->has_host = host.p != NULL;
	q->uri_bytes += n;
}

void
req_uri_free(struct pairq *q, struct req_uri *u)
{
	size_t n = u->target_len + u->host_len;

	if (u->p)
		q->uri_bytes -= n <= q->uri_bytes ? n : q->uri_bytes;
	free(u->p);
	memset(u, 0, sizeof(*u));
}

void
req_uri_copy(struct pairq *q, struct req_uri *dst,
	     const struct req_uri *src)
{
	size_t n = src->target_len + src->host_len;

	req_uri_free(q, dst);
	if (!src->p || !(dst->p = malloc(n ? n : 1)))
		return;
	memcpy(dst->p, src->p, n);
	dst->target_len = src->target_len;
	dst->host_len = src->host_len;
	dst->has_host = src->has_host;
	q->uri_bytes += n;
}

void
pairq_push(struct pairq *q, uint32_t rec, const struct http_msg *m,
	   size_t used, size_t max)
{
	struct pend *p;

	if (q->flen == FIFO_MAX) {
		req_uri_free(q, &q->fifo[q->fhead].uri);
		q->fhead = (q->fhead + 1) % q->fcap;
		q->flen--;
	}
	if (q->flen == q->fcap) {
		size_t ncap = q->fcap ? q->fcap * 2 : 4, i;
		struct pend *n = malloc(ncap * sizeof(*n));

		if (!n)
			return;
		for (i = 0; i < q->flen; i++)
			n[i] = q->fifo[(q->fhead + i) % q->fcap];
		free(q->fifo);
		q->fifo = n;
		q->fcap = ncap;
		q->fhead = 0;
	}
	p = &q->fifo[(q->fhead + q->flen++) % q->fcap];
	p->rec = rec;
	pair_copy_method(p->method, m->method);
	uri_set(q, &p->uri, m, used, max);
}

struct pend *
pairq_front(struct pairq *q)
{
	return q->flen ? &q->fifo[q->fhead] : NULL;
}

void
pairq_pop(struct pairq *q, struct req_uri *to)
{
	struct pend *p = pairq_front(q);

	if (!p)
		return;
	req_uri_free(q, to);
	*to = p->uri;
	memset(&p->uri, 0, sizeof(p->uri));
	q->fhead = (q->fhead + 1) % q->fcap;
	q->flen--;
}

void
pairq_free(struct pairq *q)
{
	while (q->flen) {
		req_uri_free(q, &q->fifo[q->fhead].uri);
		q->fhead = (q->fhead + 1) % q->fcap;
		q->flen--;
	}
	free(q->fifo);
	q->fifo = NULL;
	q->flen = q->fcap = q->fhead = 0;
}
