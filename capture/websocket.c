/*
 * websocket.c - WebSocket frame and message decoder for one direction
 * (see websocket.h).  Header bytes are gathered into wd->hdr (at most 14),
 * then the payload streams through: unmasked, kept up to `keep` bytes
 * for the frame, and appended (inflated first when the message is
 * compressed) to the message in progress.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "websocket.h"

#define CORRUPT "compressed data is corrupt"

static const uint8_t deflate_tail[4] = { 0x00, 0x00, 0xff, 0xff };

const char *
ws_opcode_name(unsigned op)
{
	static const char *const names[16] = {
		"Continuation", "Text", "Binary", NULL, NULL, NULL, NULL,
		NULL, "Connection Close", "Ping", "Pong",
	};

	return op < 16 && names[op] ? names[op] : "Unknown";
}

void
ws_dir_init(struct ws_dir *wd, bool deflate, bool no_takeover, int wbits,
	    size_t keep)
{
	memset(wd, 0, sizeof(*wd));
	wd->deflate = deflate;
	wd->no_takeover = no_takeover;
	wd->wbits = wbits >= 8 && wbits <= 15 ? wbits : 15;
	wd->keep = keep;
}

void
ws_dir_free(struct ws_dir *wd)
{
	if (wd->z) {
		inflateEnd(wd->z);
		free(wd->z);
	}
	buf_free(&wd->fdata);
	buf_free(&wd->mdata);
	wd->z = NULL;
}

/* Keep up to wd->keep bytes in b; *cut when some were not kept. */
static void
keep_bytes(struct ws_dir *wd, struct buf *b, const void *p, size_t n,
	   bool *cut)
{
	size_t room = wd->keep > b->len ? wd->keep - b->len : 0;

	if (n > room) {
		*cut = true;
		n = room;
	}
	if (n && buf_append(b, p, n) < 0)
		*cut = true;
}

/* Inflate n bytes of a compressed message into the message buffer. */
static void
inflate_some(struct ws_dir *wd, const uint8_t *p, size_t n)
{
	z_stream *z = wd->z;
	uint8_t out[4096];
	int rc;

	if (wd->z_bad) {
		wd->msg.malformed = CORRUPT;
		return;
	}
	if (!z) {
		/* any window up to 15 decodes what a smaller one made */
		if (!(z = calloc(1, sizeof(*z))) ||
		    inflateInit2(z, -15) != Z_OK) {
			free(z);
			wd->z_bad = true;
			wd->msg.malformed = "cannot set up zlib";
			return;
		}
		wd->z = z;
	}
	z->next_in = (Bytef *)p;
	z->avail_in = (uInt)n;
	do {
		z->next_out = out;
		z->avail_out = sizeof(out);
		rc = inflate(z, Z_SYNC_FLUSH);
		wd->msg.total += sizeof(out) - z->avail_out;
		keep_bytes(wd, &wd->mdata, out, sizeof(out) - z->avail_out,
			   &wd->msg.cut);
		if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) {
			wd->z_bad = true;
			wd->msg.malformed = CORRUPT;
			return;
		}
	} while (z->avail_out == 0 || (z->avail_in && rc == Z_OK));
}

/* Payload bytes (unmasked) of the current frame reach the message. */
static void
msg_bytes(struct ws_dir *wd, const uint8_t *p, size_t n)
{
	if (!wd->in_msg || wd->cur.opcode >= WS_OP_CLOSE)
		return;
	if (wd->msg.compressed) {
		inflate_some(wd, p, n);
		return;
	}
	wd->msg.total += n;
	keep_bytes(wd, &wd->mdata, p, n, &wd->msg.cut);
}

static void
msg_start(struct ws_dir *wd)
{
	struct ws_frame *f = &wd->cur;

	if (wd->in_msg)
		f->malformed = "a new message before the last one ended";
	memset(&wd->msg, 0, sizeof(wd->msg));
	buf_reset(&wd->mdata);
	wd->in_msg = true;
	wd->msg.opcode = f->opcode;
	wd->msg.compressed = f->compressed;
	if (wd->z && wd->no_takeover && inflateReset(wd->z) == Z_OK)
		wd->z_bad = false;	/* each message starts afresh */
}

/* The header is whole: check it, start or continue a message. */
static void
frame_begin(struct ws_dir *wd)
{
	struct ws_frame *f = &wd->cur;
	const uint8_t *h = wd->hdr;
	unsigned n7 = h[1] & 0x7f, i;

	f->fin = h[0] & 0x80;
	f->rsv = (h[0] >> 4) & 7;
	f->opcode = h[0] & 0x0f;
	f->masked = h[1] & 0x80;
	f->len = n7;
	if (n7 == 126)
		f->len = (uint64_t)h[2] << 8 | h[3];
	else if (n7 == 127)
		for (f->len = 0, i = 2; i < 10; i++)
			f->len = f->len << 8 | h[i];
	if (f->masked)
		memcpy(f->mask, h + f->hdr_len - 4, 4);
	f->close_code = -1;
	if ((f->opcode > 2 && f->opcode < 8) || f->opcode > 10)
		f->malformed = "unknown opcode";
	else if (f->opcode >= WS_OP_CLOSE && (!f->fin || f->len > 125))
		f->malformed = "control frame fragmented or longer than 125";
	else if ((f->rsv & 4) && (!wd->deflate || f->opcode == WS_OP_CONT ||
				  f->opcode >= WS_OP_CLOSE))
		f->malformed = "RSV1 set without permessage-deflate";
	else if (f->rsv & 3)
		f->malformed = "reserved bits set";
	f->compressed = wd->deflate && (f->rsv & 4) &&
			(f->opcode == WS_OP_TEXT || f->opcode == WS_OP_BINARY);
	if (f->opcode == WS_OP_TEXT || f->opcode == WS_OP_BINARY)
		msg_start(wd);
	else if (f->opcode == WS_OP_CONT && !wd->in_msg && !f->malformed)
		f->malformed = "continuation outside a message";
	if (wd->in_msg && f->opcode < WS_OP_CLOSE)
		wd->msg.nframes++;
	buf_reset(&wd->fdata);
	wd->left = f->len;
	wd->in_payload = true;
}

static void
close_fields(struct ws_frame *f)
{
	const uint8_t *p = (const uint8_t *)f->data.p;

	if (f->opcode != WS_OP_CLOSE || f->data.len < 2)
		return;
	f->close_code = p[0] << 8 | p[1];
	f->close_reason = (struct span){ f->data.p + 2, f->data.len - 2 };
}

/* The frame's last byte arrived: report it (and what it completes). */
static void
frame_end(struct ws_dir *wd, const struct ws_cb *cb, void *ctx)
{
	struct ws_frame *f = &wd->cur;
	struct ws_message ctl;

	f->data = (struct span){ wd->fdata.data, wd->fdata.len };
	close_fields(f);
	if (f->opcode == WS_OP_CONT || f->opcode == WS_OP_TEXT ||
	    f->opcode == WS_OP_BINARY) {
		if (wd->in_msg && f->fin && wd->msg.compressed)
			inflate_some(wd, deflate_tail, sizeof(deflate_tail));
	}
	memset(&ctl, 0, sizeof(ctl));
	if (f->opcode >= WS_OP_CLOSE && !f->malformed) {
		ctl.opcode = f->opcode;
		ctl.nframes = 1;
		ctl.data = f->data;
		ctl.total = f->len;
		ctl.cut = f->cut;
		f->msg = &ctl;
	} else if (wd->in_msg && f->fin && f->opcode < WS_OP_CLOSE) {
		wd->msg.data = (struct span){ wd->mdata.data, wd->mdata.len };
		f->msg = &wd->msg;
	}
	if (cb->frame)
		cb->frame(ctx, f);
	if (f->msg && cb->message)
		cb->message(ctx, f->msg);
	if (f->msg == &wd->msg) {
		wd->in_msg = false;
		buf_reset(&wd->mdata);
	}
	wd->in_payload = false;
	wd->hgot = 0;
}

/* Header length once its first two bytes are known. */
static unsigned
header_need(const uint8_t *h)
{
	unsigned n7 = h[1] & 0x7f;

	return 2 + (n7 == 126 ? 2 : n7 == 127 ? 8 : 0) + (h[1] & 0x80 ? 4 : 0);
}

/* Gather header bytes; true once the header is whole. */
static bool
take_header(struct ws_dir *wd, const uint8_t **p, const uint8_t *end)
{
	while (*p < end && (wd->hgot < 2 || wd->hgot < header_need(wd->hdr)))
		wd->hdr[wd->hgot++] = *(*p)++;
	if (wd->hgot < 2 || wd->hgot < header_need(wd->hdr))
		return false;
	memset(&wd->cur, 0, sizeof(wd->cur));
	wd->cur.hdr_len = wd->hgot;
	return true;
}

/* Parameter name of an extension parameter item ("a=b" -> "a"). */
static bool
param_is(struct span item, const char *name, struct span *value)
{
	size_t n = strlen(name);

	item = span_trim(item);
	if (item.len < n || strncasecmp(item.p, name, n) != 0)
		return false;
	*value = SPAN_NULL;
	if (item.len == n)
		return true;
	if (item.p[n] != '=')
		return false;
	*value = span_trim((struct span){ item.p + n + 1, item.len - n - 1 });
	if (value->len >= 2 && value->p[0] == '"')
		*value = (struct span){ value->p + 1, value->len - 2 };
	return true;
}

static int
wbits_of(struct span v)
{
	unsigned long long n;

	return span_to_u64(v, &n) && n >= 8 && n <= 15 ? (int)n : 15;
}

bool
ws_parse_extensions(struct span v, bool no_takeover[2], int wbits[2])
{
	const char *p = v.p, *end = v.p ? v.p + v.len : NULL, *semi;
	struct span item, val;
	bool first = true;

	no_takeover[0] = no_takeover[1] = false;
	wbits[0] = wbits[1] = 15;
	if (!p)
		return false;
	/* the first extension is the agreed one (RFC 7692 §5) */
	while (p < end && *p != ',') {
		semi = memchr(p, ';', (size_t)(end - p));
		if (!semi || memchr(p, ',', (size_t)(semi - p)))
			semi = memchr(p, ',', (size_t)(end - p));
		if (!semi)
			semi = end;
		item = span_trim((struct span){ p, (size_t)(semi - p) });
		if (first && !span_ieq(item, "permessage-deflate"))
			return false;
		first = false;
		if (param_is(item, "client_no_context_takeover", &val))
			no_takeover[0] = true;
		else if (param_is(item, "server_no_context_takeover", &val))
			no_takeover[1] = true;
		else if (param_is(item, "client_max_window_bits", &val))
			wbits[0] = wbits_of(val);
		else if (param_is(item, "server_max_window_bits", &val))
			wbits[1] = wbits_of(val);
		p = semi < end && *semi == ';' ? semi + 1 : semi;
	}
	return !first;
}

void
ws_feed(struct ws_dir *wd, const uint8_t *p, size_t n,
	const struct ws_cb *cb, void *ctx)
{
	const uint8_t *end = p + n;
	uint8_t tmp[1024];

	while (p < end || (wd->in_payload && wd->left == 0)) {
		if (!wd->in_payload) {
			const uint8_t *from = p;

			if (!take_header(wd, &p, end)) {
				wd->pos += (uint64_t)(p - from);
				return;
			}
			wd->pos += (uint64_t)(p - from);
			wd->cur.off = wd->pos - wd->cur.hdr_len;
			frame_begin(wd);
			continue;
		}
		if (wd->left) {
			size_t k = (size_t)(end - p), i;
			uint64_t done = wd->cur.len - wd->left;

			if (k > wd->left)
				k = (size_t)wd->left;
			if (k > sizeof(tmp))
				k = sizeof(tmp);
			for (i = 0; i < k; i++)
				tmp[i] = p[i] ^ (wd->cur.masked ?
						 wd->cur.mask[(done + i) & 3] : 0);
			keep_bytes(wd, &wd->fdata, tmp, k, &wd->cur.cut);
			msg_bytes(wd, tmp, k);
			p += k;
			wd->pos += k;
			wd->left -= k;
		}
		if (wd->left == 0)
			frame_end(wd, cb, ctx);
	}
}
