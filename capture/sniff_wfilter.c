/*
 * sniff_wfilter.c - `-r FILE -Y FILTER -w OUT`: write the frames the
 * filter matches plus the frames they depend on, as tshark -2 does: every
 * segment that carried bytes of an HTTP message completed in a matching
 * frame (its reassembled PDU).
 *
 * Pass 2 notes, per frame, which stream and direction its payload
 * belongs to (4 bytes a frame), and marks matching frames and their
 * messages' segments in a bitmap; then the marked frames are read back
 * by offset and written in capture order.
 */
#include <stdlib.h>
#include <string.h>

#include "sniff_impl.h"

int
wfilter_init(struct wfilter *w, size_t nframes)
{
	memset(w, 0, sizeof(*w));
	w->n = nframes;
	w->tag = calloc(nframes ? nframes : 1, sizeof(*w->tag));
	w->mark = calloc(nframes / 8 + 1, 1);
	return w->tag && w->mark ? 0 : -1;
}

void
wfilter_free(struct wfilter *w)
{
	free(w->tag);
	free(w->mark);
	free(w->msgs);
	memset(w, 0, sizeof(*w));
}

/* stream and direction of frame no's payload: 0 for none */
static uint32_t
tag_of(uint32_t stream, int dir)
{
	return (stream << 1 | (uint32_t)dir) + 1;
}

void
wfilter_frame(struct wfilter *w, uint32_t no, const struct pkt *pk,
	      const struct reasm_info *ri)
{
	if (no == 0 || no > w->n)
		return;
	w->tag[no - 1] = ri->flow && pk->payload_wire ?
			 tag_of(ri->flow->stream, ri->dir) : 0;
}

void
wfilter_message(struct wfilter *w, const struct http_view *v)
{
	struct wfilter_msg *m;

	if (w->nmsgs == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 8;
		struct wfilter_msg *nm = realloc(w->msgs, ncap * sizeof(*nm));

		if (!nm)
			return;
		w->msgs = nm;
		w->cap = ncap;
	}
	m = &w->msgs[w->nmsgs++];
	m->first = v->r && v->r->first_frame ? v->r->first_frame : v->frame;
	m->tag = tag_of(v->flow->stream, v->dir);
}

static void
mark(struct wfilter *w, uint32_t no)
{
	if (no && no <= w->n)
		w->mark[(no - 1) / 8] |= (uint8_t)(1u << ((no - 1) % 8));
}

void
wfilter_match(struct wfilter *w, uint32_t no, bool matched)
{
	size_t i;
	uint32_t k;

	if (matched) {
		mark(w, no);
		for (i = 0; i < w->nmsgs; i++)
			for (k = w->msgs[i].first; k < no && k <= w->n; k++)
				if (w->tag[k - 1] == w->msgs[i].tag)
					mark(w, k);
	}
	w->nmsgs = 0;
}

int
wfilter_write(struct wfilter *w, struct sniff *s)
{
	struct capture *c = &s->ss.cap;
	uint8_t *buf = malloc(262144);
	size_t i;
	int rc = 0;

	if (!buf)
		return -1;
	for (i = 0; i < w->n && i < c->nframes; i++) {
		const struct frame_rec *fr = cap_frame(c, i);
		struct pcap_pkthdr h;
		long n;

		if (!(w->mark[i / 8] & (1u << (i % 8))) || !fr)
			continue;
		n = cap_read_frame(c, i, buf, 262144);
		if (n < 0) {
			rc = -1;
			continue;
		}
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = fr->sec;
		h.ts.tv_usec = c->nsec ? fr->nsec : fr->nsec / 1000;
		h.caplen = (uint32_t)n;
		h.len = fr->len;
		sniff_write_frame(s, &h, buf);
	}
	free(buf);
	return rc;
}
