/*
 * deflate.c - permessage-deflate (see deflate.h).  The server accepts an
 * offer whose parameters it understands (RFC 7692 §7.1): the context
 * takeover ones are honoured, server_max_window_bits sets our window
 * (8 is refused: zlib's raw deflate cannot make a 256-byte window), a
 * client_max_window_bits hint is left unanswered (we inflate with 15).
 */
#include <stdio.h>
#include <string.h>

#include "http/header.h"
#include "ws/deflate.h"

static const unsigned char ws_tail[4] = { 0x00, 0x00, 0xff, 0xff };

/* One offer ("permessage-deflate; a; b=1"): true when acceptable. */
static bool
ws_deflate_offer(struct span o, struct ws_deflate *d, char *resp,
		 size_t size)
{
	struct span rest = o, item;
	bool first = true, snc = false, cnc = false, sbits = false;
	size_t n = 0;

	memset(d, 0, sizeof *d);
	d->out_bits = 15;
	while (rest.len) {
		const char *semi = memchr(rest.p, ';', rest.len);
		size_t k = semi ? (size_t)(semi - rest.p) : rest.len;

		item = span_trim((struct span){ rest.p, k });
		rest.p += semi ? k + 1 : k;
		rest.len -= semi ? k + 1 : k;
		if (first) {
			if (!span_ieq(item, "permessage-deflate"))
				return false;
			first = false;
		} else if (span_ieq(item, "server_no_context_takeover") &&
			   !snc) {
			snc = d->out_no_context = true;
		} else if (span_ieq(item, "client_no_context_takeover") &&
			   !cnc) {
			cnc = d->in_no_context = true;
		} else if (span_istarts(item, "client_max_window_bits")) {
			continue;	/* a hint: we inflate with 15 anyway */
		} else if (span_istarts(item, "server_max_window_bits=") &&
			   !sbits) {
			struct span v = { item.p + 23, item.len - 23 };
			unsigned long long bits;

			if (v.len && v.p[0] == '"' && v.len >= 2) {
				v.p++;
				v.len -= 2;
			}
			if (!span_to_u64(v, &bits) || bits < 9 || bits > 15)
				return false;
			d->out_bits = (int)bits;
			sbits = true;
		} else {
			return false;
		}
	}
	if (first)
		return false;
	n = (size_t)snprintf(resp, size, "permessage-deflate%s%s",
			     snc ? "; server_no_context_takeover" : "",
			     cnc ? "; client_no_context_takeover" : "");
	if (sbits && n < size)
		snprintf(resp + n, size - n, "; server_max_window_bits=%d",
			 d->out_bits);
	return true;
}

bool
ws_deflate_accept(struct span offer, struct ws_deflate *d, char *resp,
		  size_t size)
{
	struct span rest = offer, item;

	while (http_list_next(&rest, &item))
		if (ws_deflate_offer(item, d, resp, size))
			return true;
	return false;
}

int
ws_deflate_init(struct ws_deflate *d)
{
	if (inflateInit2(&d->zin, -15) != Z_OK)
		return -1;
	d->in_ready = true;
	if (deflateInit2(&d->zout, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
			 -d->out_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	d->out_ready = true;
	return 0;
}

void
ws_deflate_free(struct ws_deflate *d)
{
	if (d->in_ready)
		inflateEnd(&d->zin);
	if (d->out_ready)
		deflateEnd(&d->zout);
	d->in_ready = d->out_ready = false;
}

int
ws_deflate_msg(struct ws_deflate *d, const void *p, size_t n, struct buf *out)
{
	size_t start = out->len;

	d->zout.next_in = (Bytef *)p;
	d->zout.avail_in = (uInt)n;
	do {
		if (buf_reserve(out, 4096 + n / 2) < 0)
			return -1;
		d->zout.next_out = (Bytef *)out->data + out->len;
		d->zout.avail_out = (uInt)(out->cap - out->len - 1);
		size_t room = d->zout.avail_out;

		if (deflate(&d->zout, Z_SYNC_FLUSH) == Z_STREAM_ERROR)
			return -1;
		out->len += room - d->zout.avail_out;
	} while (d->zout.avail_out == 0 || d->zout.avail_in);
	if (out->len - start >= 4 &&
	    memcmp(out->data + out->len - 4, ws_tail, 4) == 0)
		out->len -= 4;
	out->data[out->len] = 0;
	if (d->out_no_context)
		deflateReset(&d->zout);
	return 0;
}

/* Inflate p[0..n) onto out; 0, -1 bad data, -2 too big. */
static int
ws_inflate_part(struct ws_deflate *d, const void *p, size_t n,
		struct buf *out, size_t max)
{
	d->zin.next_in = (Bytef *)p;
	d->zin.avail_in = (uInt)n;
	while (d->zin.avail_in) {
		if (buf_reserve(out, 16384) < 0)
			return -1;
		d->zin.next_out = (Bytef *)out->data + out->len;
		d->zin.avail_out = (uInt)(out->cap - out->len - 1);
		size_t room = d->zin.avail_out;
		int r = inflate(&d->zin, Z_SYNC_FLUSH);

		out->len += room - d->zin.avail_out;
		if (out->len > max)
			return -2;
		if (r == Z_STREAM_END) {
			inflateReset(&d->zin);	/* BFINAL: start afresh */
			break;
		}
		if (r != Z_OK && r != Z_BUF_ERROR)
			return -1;
		if (r == Z_BUF_ERROR && d->zin.avail_out)
			return -1;	/* no progress possible */
	}
	return 0;
}

int
ws_inflate_msg(struct ws_deflate *d, const void *p, size_t n,
	       struct buf *out, size_t max)
{
	int r = ws_inflate_part(d, p, n, out, max);

	if (r == 0)
		r = ws_inflate_part(d, ws_tail, 4, out, max);
	if (out->data)
		out->data[out->len] = 0;
	if (d->in_no_context || r != 0)
		inflateReset(&d->zin);
	return r;
}
