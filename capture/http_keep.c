/*
 * http_keep.c - what the HTTP/1.x dissector keeps of a body (see
 * http_keep.h); moved out of http_dissect.c, the logic as it was.
 */
#include "http_dissect.h"
#include "http_keep.h"

/*
 * Keep decoded body bytes for the printers: up to keep_body per message,
 * and, in all flows together, half of held_max (so that unfinished heads
 * always have the other half).  Once a byte is not kept none after it is,
 * so the kept part is always the start of the body.
 */
void
keep_body(struct dissect *d, struct http_keep *k, struct span data)
{
	size_t room, budget, used = d->held + d->kept_held;

	if (data.len == 0 || k->kept_cut)
		return;
	room = d->keep_body > k->kept.len ? d->keep_body - k->kept.len : 0;
	budget = d->held_max / 2 > d->kept_held ?
		 d->held_max / 2 - d->kept_held : 0;
	if (budget > (d->held_max > used ? d->held_max - used : 0))
		budget = d->held_max > used ? d->held_max - used : 0;
	if (room > budget) {
		room = budget;
		if (data.len > room)
			d->bodies_cut++;
	}
	if (data.len > room)
		k->kept_cut = true;
	if (room == 0)
		return;
	if (data.len < room)
		room = data.len;
	if (buf_append(&k->kept, data.p, room) < 0)
		k->kept_cut = true;
	else
		d->kept_held += room;
}

/*
 * Keep the body as sent too (chunk framing and all), for the
 * "Reassembled TCP" data source of -x and the TUI: only where a decoded
 * body is kept, up to keep_body a message and half of held_max in all
 * flows (a budget of its own, so that the decoded bodies kept are the
 * same with or without it).
 */
void
keep_wire(struct dissect *d, struct http_keep *k, struct span data)
{
	if (!data.len || k->wire_cut)
		return;
	if (!d->keep_body || k->wire.len + data.len > d->keep_body ||
	    d->wire_held + data.len > d->held_max / 2 ||
	    buf_append(&k->wire, data.p, data.len) < 0) {
		k->wire_cut = true;
		return;
	}
	d->wire_held += data.len;
}

/* The kept body is done with: give its bytes back to the budget. */
void
keep_reset(struct dissect *d, struct http_keep *k, bool free_it)
{
	d->wire_held -= k->wire.len <= d->wire_held ? k->wire.len : d->wire_held;
	d->kept_held -= k->kept.len <= d->kept_held ? k->kept.len : d->kept_held;
	if (free_it) {
		buf_free(&k->kept);
		buf_free(&k->wire);
	} else {
		buf_reset(&k->kept);
		buf_reset(&k->wire);
	}
	k->kept_cut = false;
	k->wire_cut = false;
}

/* Remember chunk sizes for "Data chunk (n octets)" lines. */
void
keep_chunk(struct http_keep *k, const struct http_body *b, unsigned before,
	   size_t n)
{
	if (b->framing != HTTP_FRAME_CHUNKED)
		return;
	if (b->chunks > before && k->nchunks < 64)
		k->chunk_sizes[k->nchunks++] = 0;
	if (k->nchunks > 0 && b->chunks <= 64)
		k->chunk_sizes[k->nchunks - 1] += (uint32_t)n;
}
