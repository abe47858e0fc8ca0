/*
 * ipfrag.c - IP fragment reassembly (see ipfrag.h for the policy).
 *
 * A datagram is a list of pieces sorted by offset that never overlap:
 * a new fragment only fills the holes between what is held (first
 * received wins), so the bytes held are the bytes covered and the datagram
 * is complete when they equal its known end.  Datagrams sit in a hash
 * table and on one list in order of their first fragment, which is also
 * the order they expire and the order they are evicted when memory runs
 * short.
 */
#include <stdlib.h>
#include <string.h>

#include "ipfrag.h"

#define IPFRAG_BUCKETS 4096

struct piece {
	struct piece *next;
	uint32_t off, len, frame;
	uint8_t data[];
};

struct dgram {
	struct ipfrag_key key;
	struct dgram *hnext;		/* hash chain */
	struct dgram *prev, *next;	/* age list, oldest first */
	int64_t first_ns;
	uint32_t end;			/* known length, or 0 */
	uint32_t have;			/* bytes held */
	unsigned npieces;
	int proto;			/* -1 until the offset 0 piece */
	bool overlap, conflict;
	size_t mem;
	struct piece *pieces;
};

struct history {
	uint32_t frame, in;
};

struct ipfrag {
	size_t mem_max;
	struct dgram *bucket[IPFRAG_BUCKETS];
	struct dgram *oldest, *newest;
	struct ipfrag_stats st;
	int64_t now;

	/* the last completed datagram (ipfrag_done points here) */
	uint8_t *out;
	size_t out_cap;
	struct ipfrag_piece *list;
	struct ipfrag_done done;

	/* frames of completed datagrams, for a second pass */
	bool keep_history, frozen;
	struct history *hist;
	size_t nhist, hist_cap;
};

struct ipfrag *
ipfrag_new(size_t mem_max, bool history)
{
	struct ipfrag *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->mem_max = mem_max ? mem_max : IPFRAG_MEM_DEFAULT;
	t->keep_history = history;
	t->list = malloc(IPFRAG_MAX_PIECES * sizeof(*t->list));
	if (!t->list) {
		free(t);
		return NULL;
	}
	return t;
}

static unsigned
key_hash(const struct ipfrag_key *k)
{
	uint32_t h = 2166136261u;
	int i, n = k->ver == 6 ? 16 : 4;

	for (i = 0; i < n; i++)
		h = (h ^ k->src[i] ^ (uint32_t)k->dst[i] << 8) * 16777619u;
	h = (h ^ k->id) * 16777619u;
	h = (h ^ k->proto ^ (uint32_t)k->ver << 8) * 16777619u;
	return h % IPFRAG_BUCKETS;
}

static bool
key_eq(const struct ipfrag_key *a, const struct ipfrag_key *b)
{
	int n = a->ver == 6 ? 16 : 4;

	return a->ver == b->ver && a->proto == b->proto && a->id == b->id &&
	       !memcmp(a->src, b->src, (size_t)n) &&
	       !memcmp(a->dst, b->dst, (size_t)n);
}

/* Unlink d from its chain and the age list, free it. */
static void
dgram_free(struct ipfrag *t, struct dgram *d)
{
	struct dgram **pp = &t->bucket[key_hash(&d->key)];
	struct piece *p, *n;

	while (*pp && *pp != d)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = d->hnext;
	if (d->prev)
		d->prev->next = d->next;
	else
		t->oldest = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		t->newest = d->prev;
	for (p = d->pieces; p; p = n) {
		n = p->next;
		free(p);
	}
	t->st.mem -= d->mem;
	t->st.pending--;
	free(d);
}

static struct dgram *
dgram_find(struct ipfrag *t, const struct ipfrag_key *k)
{
	struct dgram *d;

	for (d = t->bucket[key_hash(k)]; d; d = d->hnext)
		if (key_eq(&d->key, k))
			return d;
	return NULL;
}

static struct dgram *
dgram_new(struct ipfrag *t, const struct ipfrag_key *k, int64_t ns)
{
	struct dgram *d = calloc(1, sizeof(*d));
	unsigned h = key_hash(k);

	if (!d)
		return NULL;
	d->key = *k;
	d->first_ns = ns;
	d->proto = k->ver == 4 ? k->proto : -1;
	d->mem = sizeof(*d);
	d->hnext = t->bucket[h];
	t->bucket[h] = d;
	d->prev = t->newest;
	if (t->newest)
		t->newest->next = d;
	else
		t->oldest = d;
	t->newest = d;
	t->st.mem += d->mem;
	t->st.pending++;
	return d;
}

/* Forget datagrams whose first fragment is older than the timeout. */
static void
expire(struct ipfrag *t)
{
	while (t->oldest && t->now - t->oldest->first_ns > IPFRAG_TIMEOUT_NS) {
		dgram_free(t, t->oldest);
		t->st.timeouts++;
	}
}

/* Make room for need more bytes by forgetting the oldest but keep. */
static void
make_room(struct ipfrag *t, size_t need, const struct dgram *keep)
{
	while (t->st.mem + need > t->mem_max && t->oldest) {
		struct dgram *d = t->oldest;

		if (d == keep) {
			if (!d->next)
				return;
			d = d->next;
		}
		dgram_free(t, d);
		t->st.evicted++;
	}
}

/* Hold p[0..n) at offset off of d (a hole, nothing there yet). */
static int
hold(struct ipfrag *t, struct dgram *d, struct piece **at, uint32_t off,
     const uint8_t *p, uint32_t n, uint32_t frame)
{
	struct piece *pc;

	if (d->npieces >= IPFRAG_MAX_PIECES)
		return -1;
	pc = malloc(sizeof(*pc) + n);
	if (!pc)
		return -1;
	pc->off = off;
	pc->len = n;
	pc->frame = frame;
	memcpy(pc->data, p, n);
	pc->next = *at;
	*at = pc;
	d->npieces++;
	d->have += n;
	d->mem += sizeof(*pc) + n;
	t->st.mem += sizeof(*pc) + n;
	return 0;
}

/*
 * Fill the holes of d that [off, off+n) covers; bytes already held win.
 * Returns -1 when a limit is hit.
 */
static int
fill(struct ipfrag *t, struct dgram *d, const struct ipfrag_frag *f,
     uint32_t frame)
{
	struct piece **at = &d->pieces;
	uint32_t pos = f->off, end = f->off + f->len;

	while (pos < end) {
		struct piece *c = *at;

		if (c && c->off + c->len <= pos) {
			at = &c->next;
			continue;
		}
		if (c && c->off <= pos) {
			/* held already: compare, keep the first copy */
			uint32_t stop = c->off + c->len < end ? c->off + c->len :
					end;

			d->overlap = true;
			if (memcmp(c->data + (pos - c->off), f->p + (pos - f->off),
				   stop - pos))
				d->conflict = true;
			pos = stop;
			at = &c->next;
			continue;
		}
		/* a hole from pos up to the next piece (or end) */
		{
			uint32_t stop = c && c->off < end ? c->off : end;

			if (hold(t, d, at, pos, f->p + (pos - f->off), stop - pos,
				 frame) < 0)
				return -1;
			at = &(*at)->next;
			pos = stop;
		}
	}
	return 0;
}

/* The end the last fragment gives must agree with everything held. */
static int
check_end(struct dgram *d, const struct ipfrag_frag *f)
{
	uint32_t end = f->off + f->len;
	const struct piece *p;

	if (!f->more) {
		if (d->end && d->end != end)
			return -1;
		d->end = end;
	}
	if (d->end && end > d->end)
		return -1;
	for (p = d->pieces; p && d->end; p = p->next)
		if (p->off + p->len > d->end)
			return -1;
	return 0;
}

static void
remember(struct ipfrag *t, uint32_t frame, uint32_t in)
{
	if (!t->keep_history || t->frozen || frame == in)
		return;
	if (t->nhist && t->hist[t->nhist - 1].frame == frame)
		return;
	if (t->nhist == t->hist_cap) {
		size_t n = t->hist_cap ? t->hist_cap * 2 : 256;
		struct history *h;

		if (n > IPFRAG_HISTORY_MAX)
			return;
		h = realloc(t->hist, n * sizeof(*h));
		if (!h)
			return;
		t->hist = h;
		t->hist_cap = n;
	}
	t->hist[t->nhist].frame = frame;
	t->hist[t->nhist++].in = in;
}

/* Copy the whole datagram out (hdr first), describe it, free d. */
static int
complete(struct ipfrag *t, struct dgram *d, const struct ipfrag_frag *f,
	 uint32_t frame)
{
	size_t need = (size_t)f->hdr_len + d->end;
	const struct piece *p;
	unsigned n = 0;

	if (need > t->out_cap) {
		uint8_t *o = realloc(t->out, need);

		if (!o)
			return -1;
		t->out = o;
		t->out_cap = need;
	}
	if (f->hdr_len)
		memcpy(t->out, f->hdr, f->hdr_len);
	for (p = d->pieces; p; p = p->next) {
		memcpy(t->out + f->hdr_len + p->off, p->data, p->len);
		if (n && t->list[n - 1].frame == p->frame &&
		    t->list[n - 1].off + t->list[n - 1].len == p->off) {
			t->list[n - 1].len += p->len;
			continue;
		}
		t->list[n].frame = p->frame;
		t->list[n].off = p->off;
		t->list[n++].len = p->len;
		remember(t, p->frame, frame);
	}
	t->done.frame = t->out;
	t->done.frame_len = (uint32_t)need;
	t->done.data = t->out + f->hdr_len;
	t->done.len = d->end;
	t->done.proto = (uint8_t)(d->proto < 0 ? 0 : d->proto);
	t->done.overlap = d->overlap;
	t->done.conflict = d->conflict;
	t->done.npieces = n;
	t->done.pieces = t->list;
	dgram_free(t, d);
	t->st.done++;
	return 0;
}

static enum ipfrag_result
drop(struct ipfrag *t, struct dgram *d)
{
	if (d)
		dgram_free(t, d);
	t->st.dropped++;
	return IPFRAG_DROPPED;
}

enum ipfrag_result
ipfrag_add(struct ipfrag *t, const struct ipfrag_frag *f, uint32_t frame,
	   int64_t ns, const struct ipfrag_done **done)
{
	struct dgram *d;
	uint64_t end = (uint64_t)f->off + f->len;

	*done = NULL;
	if (ns > t->now)
		t->now = ns;
	expire(t);
	d = dgram_find(t, &f->key);
	if (end > f->max_len || end > 65535)
		return drop(t, d);
	if (f->len == 0 && f->more)
		return IPFRAG_HELD;	/* says nothing */
	make_room(t, sizeof(*d) + sizeof(struct piece) + f->len, d);
	if (t->st.mem + sizeof(*d) + sizeof(struct piece) + f->len > t->mem_max)
		return drop(t, d);	/* alone larger than the cap */
	if (!d && !(d = dgram_new(t, &f->key, ns)))
		return drop(t, NULL);
	if (check_end(d, f) < 0 || fill(t, d, f, frame) < 0)
		return drop(t, d);
	if (f->off == 0 && d->proto < 0)
		d->proto = f->proto;
	if (!d->end || d->have != d->end)
		return IPFRAG_HELD;
	if (complete(t, d, f, frame) < 0)
		return drop(t, d);
	*done = &t->done;
	return IPFRAG_DONE;
}

static int
hist_cmp(const void *a, const void *b)
{
	const struct history *x = a, *y = b;

	return x->frame < y->frame ? -1 : x->frame > y->frame;
}

void
ipfrag_restart(struct ipfrag *t)
{
	while (t->oldest)
		dgram_free(t, t->oldest);
	t->now = 0;
	if (!t->frozen && t->nhist)
		qsort(t->hist, t->nhist, sizeof(*t->hist), hist_cmp);
	t->frozen = true;
}

uint32_t
ipfrag_reassembled_in(const struct ipfrag *t, uint32_t frame)
{
	size_t lo = 0, hi = t->nhist;

	if (!t->frozen)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->hist[mid].frame == frame)
			return t->hist[mid].in;
		if (t->hist[mid].frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

const struct ipfrag_stats *
ipfrag_stats(const struct ipfrag *t)
{
	return &t->st;
}

void
ipfrag_free(struct ipfrag *t)
{
	if (!t)
		return;
	while (t->oldest)
		dgram_free(t, t->oldest);
	free(t->out);
	free(t->list);
	free(t->hist);
	free(t);
}
