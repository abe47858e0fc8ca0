/*
 * http2.c - HTTP/2 frames and HPACK for one connection (see http2.h).
 * Each direction gathers the bytes of the frame in progress in d->in
 * (after the client's 24-byte preface), decodes the frame through a
 * bounds-checked cursor when it is whole, and hands header blocks to
 * nghttp2's HPACK inflater.  Streams and messages: http2_stream.c.
 */
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "extract.h"
#include "http2.h"
#include "http2_impl.h"

const char *
h2_type_name(unsigned type)
{
	static const char *const names[] = {
		"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS",
		"PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE",
		"CONTINUATION",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const char *
h2_error_name(uint32_t code)
{
	static const char *const names[] = {
		"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR",
		"FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
		"FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
		"COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
		"INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
	};

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : NULL;
}

const char *
h2_setting_name(unsigned id)
{
	static const char *const names[] = {
		NULL, "Header table size", "Enable PUSH", "Max concurrent streams",
		"Initial Windows size", "Max frame size",
		"Max header list size", NULL, "Extended CONNECT",
	};

	return id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
}

int
h2_is_preface(const uint8_t *p, size_t n)
{
	size_t k = n < H2_PREFACE_LEN ? n : H2_PREFACE_LEN;

	if (memcmp(p, H2_PREFACE, k) != 0)
		return 0;
	return n >= H2_PREFACE_LEN ? 1 : -1;
}

int
h2_is_server_start(const uint8_t *p, size_t n)
{
	static const uint8_t want[9] = { 0, 0, 0, H2_SETTINGS, 0, 0, 0, 0, 0 };
	size_t i;

	/* length below 256 and a multiple of 6; type, flags, stream 0 */
	for (i = 0; i < n && i < 9; i++)
		if (i != 2 && p[i] != want[i])
			return 0;
	if (n < 9)
		return -1;
	return p[2] % 6 == 0 ? 1 : 0;
}

void
h2_conn_init(struct h2_conn *c, size_t keep)
{
	memset(c, 0, sizeof(*c));
	c->keep = keep;
	c->d[0].preface = H2_PREFACE_LEN;
}

void
h2_conn_upgraded(struct h2_conn *c)
{
	c->d[0].preface = H2_PREFACE_LEN;
	h2s_upgraded(c);
}

void
h2_conn_free(struct h2_conn *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		buf_free(&c->d[i].in);
		buf_free(&c->d[i].block);
		if (c->d[i].hd)
			nghttp2_hd_inflate_del(c->d[i].hd);
	}
	h2s_free_all(c);
	h2_hdrs_free(&c->scratch);
	free(c->hv);
	memset(c, 0, sizeof(*c));
}

void
h2_hdrs_free(struct h2_hdrs *h)
{
	buf_free(&h->text);
	free(h->pos);
	memset(h, 0, sizeof(*h));
}

int
h2_hdrs_add(struct h2_hdrs *h, const uint8_t *name, size_t nlen,
	    const uint8_t *value, size_t vlen)
{
	uint32_t *e;

	if (h->n == h->cap) {
		unsigned ncap = h->cap ? h->cap * 2 : 16;
		void *np = realloc(h->pos, ncap * sizeof(*h->pos));

		if (!np)
			return -1;
		h->pos = np;
		h->cap = ncap;
	}
	e = h->pos[h->n];
	e[0] = (uint32_t)h->text.len;
	e[1] = (uint32_t)nlen;
	if (buf_append(&h->text, name, nlen) < 0 ||
	    buf_append(&h->text, "", 1) < 0)
		return -1;
	e[2] = (uint32_t)h->text.len;
	e[3] = (uint32_t)vlen;
	if (buf_append(&h->text, value, vlen) < 0 ||
	    buf_append(&h->text, "", 1) < 0)
		return -1;
	h->n++;
	return 0;
}

/* Spans over h for a callback (valid until h or c->hv change). */
const struct h2_header *
h2_hdrs_view(struct h2_conn *c, const struct h2_hdrs *h)
{
	unsigned i;

	if (h->n > c->hvcap) {
		void *np = realloc(c->hv, h->n * sizeof(*c->hv));

		if (!np)
			return NULL;
		c->hv = np;
		c->hvcap = h->n;
	}
	for (i = 0; i < h->n; i++) {
		c->hv[i].name = (struct span){ h->text.data + h->pos[i][0],
					       h->pos[i][1] };
		c->hv[i].value = (struct span){ h->text.data + h->pos[i][2],
						h->pos[i][3] };
	}
	return c->hv;
}

/*
 * Decompress a whole header block of direction dir into c->scratch.
 * 0, or -1 when HPACK failed (the direction's context is lost then).
 */
static int
inflate_block(struct h2_conn *c, int dir, const uint8_t *p, size_t n)
{
	struct h2_dir *d = &c->d[dir];
	nghttp2_nv nv;
	int fl;
	ssize_t k;

	buf_reset(&c->scratch.text);
	c->scratch.n = 0;
	if (d->hd_bad)
		return -1;
	if (!d->hd && nghttp2_hd_inflate_new((nghttp2_hd_inflater **)&d->hd))
		return -1;
	for (;;) {
		fl = 0;
		k = nghttp2_hd_inflate_hd2(d->hd, &nv, &fl, p, n, 1);
		if (k < 0) {
			d->hd_bad = true;
			return -1;
		}
		p += k;
		n -= (size_t)k;
		if ((fl & NGHTTP2_HD_INFLATE_EMIT) &&
		    h2_hdrs_add(&c->scratch, nv.name, nv.namelen, nv.value,
				nv.valuelen) < 0) {
			d->hd_bad = true;
			return -1;
		}
		if (fl & NGHTTP2_HD_INFLATE_FINAL)
			break;
		if (k == 0 && n == 0)
			break;
	}
	nghttp2_hd_inflate_end_headers(d->hd);
	return 0;
}

/* SETTINGS_HEADER_TABLE_SIZE from dir bounds what the peer may use in
 * the blocks it sends to dir: the other direction's inflater. */
static void
apply_settings(struct h2_conn *c, int dir, const struct h2_frame *f)
{
	struct h2_dir *o = &c->d[!dir];
	unsigned i;

	if (f->flags & H2_F_ACK)
		return;
	for (i = 0; i < f->nsettings; i++)
		if (f->settings[i].id == 1 && !o->hd &&
		    !nghttp2_hd_inflate_new((nghttp2_hd_inflater **)&o->hd))
			nghttp2_hd_inflate_change_table_size(o->hd,
							     f->settings[i].value);
		else if (f->settings[i].id == 1 && o->hd)
			nghttp2_hd_inflate_change_table_size(o->hd,
							     f->settings[i].value);
}

/* Padding and priority of DATA/HEADERS/PUSH_PROMISE: narrow to data. */
static void
strip_pad(struct h2_frame *f, struct cursor *cur)
{
	if (f->flags & H2_F_PADDED) {
		f->pad = get_u8(cur);
		if (!cur->err && f->pad > cur_left(cur))
			f->malformed = "padding longer than the payload";
		else if (!cur->err)
			cur->end -= f->pad;
	}
}

static void
decode_prio(struct h2_frame *f, struct cursor *cur)
{
	uint32_t v = get_be32(cur);

	f->has_prio = true;
	f->excl = v >> 31;
	f->dep = v & 0x7fffffff;
	f->weight = get_u8(cur);
}

/* Type-specific fields of a whole (kept) payload. */
static void
decode_fields(struct h2_conn *c, struct h2_frame *f)
{
	struct cursor cur;
	unsigned n;

	cur_init(&cur, (const uint8_t *)f->payload.p, f->payload.len);
	switch (f->type) {
	case H2_DATA:
		strip_pad(f, &cur);
		break;
	case H2_HEADERS:
		strip_pad(f, &cur);
		if (f->flags & H2_F_PRIORITY)
			decode_prio(f, &cur);
		break;
	case H2_PRIORITY:
		decode_prio(f, &cur);
		break;
	case H2_RST_STREAM:
		f->error = get_be32(&cur);
		break;
	case H2_SETTINGS:
		if (f->len % 6)
			f->malformed = "SETTINGS length not a multiple of 6";
		for (n = 0; cur_left(&cur) >= 6 && n < 64; n++) {
			c->sets[n].id = get_be16(&cur);
			c->sets[n].value = get_be32(&cur);
		}
		f->settings = c->sets;
		f->nsettings = n;
		break;
	case H2_PUSH_PROMISE:
		strip_pad(f, &cur);
		f->promised = get_be32(&cur) & 0x7fffffff;
		break;
	case H2_PING:
		f->ping = (struct span){ (const char *)cur.p, cur_left(&cur) };
		if (f->len != 8)
			f->malformed = "PING length is not 8";
		break;
	case H2_GOAWAY:
		f->last_stream = get_be32(&cur) & 0x7fffffff;
		f->error = get_be32(&cur);
		f->debug = (struct span){ (const char *)cur.p, cur_left(&cur) };
		break;
	case H2_WINDOW_UPDATE:
		f->window_inc = get_be32(&cur) & 0x7fffffff;
		break;
	}
	if (cur.err && !f->malformed)
		f->malformed = "frame too short for its type";
	if (f->type == H2_DATA || f->type == H2_HEADERS ||
	    f->type == H2_PUSH_PROMISE || f->type == H2_CONTINUATION)
		f->data = (struct span){ (const char *)cur.p, cur_left(&cur) };
}

/* A header block fragment: gather it; decode once END_HEADERS came. */
static void
block_fragment(struct h2_conn *c, int dir, struct h2_frame *f)
{
	struct h2_dir *d = &c->d[dir];

	if (f->type == H2_CONTINUATION &&
	    (!d->in_block || d->block_stream != f->stream)) {
		f->malformed = "CONTINUATION without a header block";
		return;
	}
	if (f->type != H2_CONTINUATION) {
		if (d->in_block)
			f->malformed = "header block interrupted";
		buf_reset(&d->block);
		d->in_block = true;
		d->block_stream = f->stream;
		d->block_type = f->type;
		d->block_promised = f->type == H2_PUSH_PROMISE ? f->promised
							       : 0;
		d->block_end = f->flags & H2_F_END_STREAM;
	}
	if (f->cut || buf_append(&d->block, f->data.p, f->data.len) < 0)
		d->hd_bad = true;
	if (!(f->flags & H2_F_END_HEADERS))
		return;
	d->in_block = false;
	f->block_done = true;
	if (inflate_block(c, dir, (const uint8_t *)d->block.data,
			  d->block.len) < 0) {
		f->block_bad = true;
		if (!f->malformed)
			f->malformed = "header block does not decompress";
	}
	f->headers = h2_hdrs_view(c, &c->scratch);
	f->nheaders = f->headers ? c->scratch.n : 0;
	buf_free(&d->block);
}

/* One whole frame (header in hdr, payload kept in payload). */
static void
frame_done(struct h2_conn *c, int dir, struct h2_frame *f,
	   const struct h2_cb *cb, void *ctx)
{
	struct h2_dir *d = &c->d[dir];

	if (!f->cut)
		decode_fields(c, f);
	if (d->in_block && f->type != H2_CONTINUATION && !f->malformed)
		f->malformed = "a frame inside a header block";
	if (f->type == H2_HEADERS || f->type == H2_PUSH_PROMISE ||
	    f->type == H2_CONTINUATION)
		block_fragment(c, dir, f);
	else if (f->type == H2_SETTINGS && !f->cut)
		apply_settings(c, dir, f);
	if (f->type == H2_DATA && (f->flags & H2_F_END_STREAM))
		f->content_type = h2s_content_type(c, dir, f->stream);
	if (cb->frame)
		cb->frame(ctx, f);
	h2s_frame(c, dir, f, cb, ctx);
}

static void
frame_header(struct h2_frame *f, const uint8_t *h, int dir, uint64_t off)
{
	struct cursor cur;

	memset(f, 0, sizeof(*f));
	cur_init(&cur, h, 9);
	f->len = (uint32_t)get_u8(&cur) << 16;
	f->len |= get_be16(&cur);
	f->type = get_u8(&cur);
	f->flags = get_u8(&cur);
	f->stream = get_be32(&cur) & 0x7fffffff;
	f->dir = dir;
	f->off = off;
}

/* Bytes of an oversized frame: count DATA, report at its end. */
static size_t
skip_big(struct h2_conn *c, int dir, size_t n, const struct h2_cb *cb,
	 void *ctx)
{
	struct h2_dir *d = &c->d[dir];
	size_t k = n < d->skip ? n : (size_t)d->skip;

	if (d->big.type == H2_DATA)
		h2s_data(c, dir, d->big.stream, NULL, k);
	d->skip -= k;
	d->pos += k;
	if (d->skip == 0) {
		d->big.payload = SPAN_NULL;
		frame_done(c, dir, &d->big, cb, ctx);
	}
	return k;
}

void
h2_feed(struct h2_conn *c, int dir, const uint8_t *p, size_t n,
	uint32_t frame, const struct h2_cb *cb, void *ctx)
{
	struct h2_dir *d = &c->d[dir];
	struct h2_frame f;
	size_t k, need;

	c->frame = frame;
	while (n) {
		if (d->skip) {
			k = skip_big(c, dir, n, cb, ctx);
			p += k;
			n -= k;
			continue;
		}
		if (d->preface) {
			k = n < d->preface ? n : d->preface;
			if (memcmp(p, &H2_PREFACE[H2_PREFACE_LEN - d->preface],
				   k) != 0) {
				d->preface = 0;	/* no preface: frames at once */
				continue;
			}
			d->preface -= (unsigned)k;
			p += k;
			n -= k;
			d->pos += k;
			if (d->preface == 0 && cb->frame) {
				memset(&f, 0, sizeof(f));
				f.dir = dir;
				f.magic = true;
				f.off = d->pos - H2_PREFACE_LEN;
				f.len = H2_PREFACE_LEN;
				cb->frame(ctx, &f);
			}
			continue;
		}
		need = 9;
		if (d->in.len >= 9) {
			frame_header(&f, (const uint8_t *)d->in.data, dir, 0);
			need = 9 + (size_t)f.len;
		}
		k = need - d->in.len;
		if (k > n)
			k = n;
		if (buf_append(&d->in, p, k) < 0)
			return;
		p += k;
		n -= k;
		d->pos += k;
		if (d->in.len < 9)
			continue;
		frame_header(&f, (const uint8_t *)d->in.data, dir,
			     d->pos - d->in.len);
		if (f.len > H2_FRAME_BUFFER) {
			/* too long to hold: report it when it has gone by */
			d->big = f;
			d->big.cut = true;
			d->skip = f.len - (d->in.len - 9);
			if (f.type == H2_DATA)
				h2s_data(c, dir, f.stream, NULL, d->in.len - 9);
			buf_reset(&d->in);
			if (d->skip == 0)
				frame_done(c, dir, &d->big, cb, ctx);
			continue;
		}
		if (d->in.len < 9 + (size_t)f.len)
			continue;
		f.payload = (struct span){ d->in.data + 9, f.len };
		frame_done(c, dir, &f, cb, ctx);
		buf_reset(&d->in);
	}
}
