/*
 * frame.c - WebSocket frames and the message reader (see frame.h).
 *
 * The reader enforces what RFC 6455 makes a protocol error (§5.1 masking,
 * §5.2 RSV bits and reserved opcodes, §5.4 fragmentation, §5.5 control
 * frames, §7.4 close codes) and what makes data inconsistent (§8.1 UTF-8
 * of text and close reasons), and reports the close code to fail with:
 * 1002, 1007, or 1009 for a message over the limit.  Every read of the
 * input is checked against its length first.
 */
#include <assert.h>
#include <string.h>

#include <openssl/evp.h>

#include "lib/base64.h"
#include "lib/json.h"
#include "ws/frame.h"

int
ws_frame_parse(const uint8_t *p, size_t n, struct ws_frame *f)
{
	size_t h = 2;
	unsigned len7;

	if (n < 2)
		return 0;
	f->fin = p[0] & 0x80;
	f->rsv = (p[0] >> 4) & 0x7;
	f->opcode = p[0] & 0x0f;
	f->masked = p[1] & 0x80;
	len7 = p[1] & 0x7f;
	if (len7 == 126) {
		if (n < 4)
			return 0;
		f->len = (uint64_t)p[2] << 8 | p[3];
		h = 4;
	} else if (len7 == 127) {
		if (n < 10)
			return 0;
		if (p[2] & 0x80)
			return -1;
		f->len = 0;
		for (int i = 0; i < 8; i++)
			f->len = f->len << 8 | p[2 + i];
		h = 10;
	} else {
		f->len = len7;
	}
	if (f->masked) {
		if (n < h + 4)
			return 0;
		memcpy(f->mask, p + h, 4);
		h += 4;
	}
	f->hlen = h;
	return (int)h;
}

void
ws_frame_header(struct buf *b, bool fin, unsigned rsv, unsigned opcode,
		uint64_t len, const uint8_t *mask)
{
	uint8_t h[14];
	size_t n = 2;

	h[0] = (uint8_t)((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xf));
	h[1] = mask ? 0x80 : 0;
	if (len < 126) {
		h[1] |= (uint8_t)len;
	} else if (len <= 0xffff) {
		h[1] |= 126;
		h[2] = (uint8_t)(len >> 8);
		h[3] = (uint8_t)len;
		n = 4;
	} else {
		h[1] |= 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)(len >> (56 - 8 * i));
		n = 10;
	}
	if (mask) {
		memcpy(h + n, mask, 4);
		n += 4;
	}
	buf_append(b, h, n);
}

void
ws_mask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t off)
{
	for (size_t i = 0; i < n; i++)
		p[i] ^= mask[(off + i) & 3];
}

void
ws_frame_put(struct buf *b, bool fin, unsigned rsv, unsigned opcode,
	     const void *p, size_t n, const uint8_t *mask)
{
	ws_frame_header(b, fin, rsv, opcode, n, mask);
	if (buf_reserve(b, n) < 0)
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	if (mask)
		ws_mask((uint8_t *)b->data + b->len, n, mask, 0);
	b->len += n;
	b->data[b->len] = 0;
}

const char *
ws_frame_opcode_name(unsigned opcode)
{
	switch (opcode) {
	case WS_CONT: return "continuation";
	case WS_TEXT: return "text";
	case WS_BINARY: return "binary";
	case WS_CLOSE: return "close";
	case WS_PING: return "ping";
	case WS_PONG: return "pong";
	default: return "reserved";
	}
}

const char *
ws_frame_close_name(unsigned code)
{
	switch (code) {
	case 1000: return "normal closure";
	case 1001: return "going away";
	case 1002: return "protocol error";
	case 1003: return "unsupported data";
	case 1005: return "no status received";
	case 1006: return "abnormal closure";
	case 1007: return "invalid frame payload data";
	case 1008: return "policy violation";
	case 1009: return "message too big";
	case 1010: return "mandatory extension";
	case 1011: return "internal error";
	default: return "";
	}
}

void
ws_accept_key(struct span key, char out[29])
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct buf b;

	out[0] = 0;
	if (!ctx)
		return;
	EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	EVP_DigestUpdate(ctx, key.p, key.len);
	EVP_DigestUpdate(ctx, guid, sizeof guid - 1);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	buf_init(&b);
	base64_encode(&b, md, mdlen);
	if (b.len == 28)
		memcpy(out, b.data, 29);
	buf_free(&b);
}

static int
ws_fail(struct ws_event *ev, unsigned code, const char *why)
{
	ev->kind = WS_EV_ERROR;
	ev->code = code;
	ev->why = why;
	return 1;
}

/* Is a close code one a peer may send (§7.4.1, §7.4.2)? */
static bool
ws_close_code_ok(unsigned code)
{
	if (code >= 3000 && code <= 4999)
		return true;
	return code >= 1000 && code <= 1014 && code != 1004 &&
	    code != 1005 && code != 1006;
}

static int
ws_read_control(struct ws_event *ev, uint8_t *pay, size_t n)
{
	ev->kind = WS_EV_CONTROL;
	ev->opcode = ev->f.opcode;
	ev->data = (struct span){ (const char *)pay, n };
	if (ev->f.opcode != WS_CLOSE)
		return 1;
	ev->code = WS_CLOSE_NO_STATUS;
	if (n == 1)
		return ws_fail(ev, WS_CLOSE_PROTOCOL, "close frame of 1 byte");
	if (n >= 2) {
		ev->code = (unsigned)pay[0] << 8 | pay[1];
		ev->reason = (struct span){ (const char *)pay + 2, n - 2 };
		if (!ws_close_code_ok(ev->code))
			return ws_fail(ev, WS_CLOSE_PROTOCOL,
				       "invalid close code");
		if (!json_utf8_valid(ev->reason))
			return ws_fail(ev, WS_CLOSE_BAD_DATA,
				       "close reason is not UTF-8");
	}
	return 1;
}

/* The last frame of a message arrived: inflate, check, report. */
static int
ws_read_end(struct ws_reader *r, struct ws_event *ev)
{
	struct span m = buf_unread(&r->msg);

	ev->kind = WS_EV_MESSAGE;
	ev->opcode = r->msg_op;
	ev->compressed = r->msg_compressed;
	r->in_msg = false;
	if (r->msg_compressed) {
		buf_reset(&r->out);
		int z = ws_inflate_msg(r->pmd, m.p, m.len, &r->out,
				       r->max_message);

		if (z == -2)
			return ws_fail(ev, WS_CLOSE_TOO_BIG,
				       "message inflates past the limit");
		if (z < 0)
			return ws_fail(ev, WS_CLOSE_BAD_DATA,
				       "compressed message does not inflate");
		m = buf_unread(&r->out);
	}
	ev->data = m.p ? m : SPAN_LIT("");
	if (r->msg_op == WS_TEXT && !json_utf8_valid(ev->data))
		return ws_fail(ev, WS_CLOSE_BAD_DATA, "text is not UTF-8");
	return 1;
}

/* Header checks of §5.2-§5.5; 0 when the frame may be read. */
static int
ws_read_check(struct ws_reader *r, struct ws_event *ev)
{
	const struct ws_frame *f = &ev->f;
	bool control = f->opcode & 0x8;

	if (f->masked != r->expect_masked)
		return ws_fail(ev, WS_CLOSE_PROTOCOL, r->expect_masked ?
			       "client frame is not masked" :
			       "server frame is masked");
	if ((f->opcode > WS_BINARY && f->opcode < WS_CLOSE) ||
	    f->opcode > WS_PONG)
		return ws_fail(ev, WS_CLOSE_PROTOCOL, "reserved opcode");
	if (f->rsv & ~(unsigned)WS_RSV1 || (f->rsv && (!r->pmd || control ||
						      f->opcode == WS_CONT)))
		return ws_fail(ev, WS_CLOSE_PROTOCOL, "reserved bit set");
	if (control && (!f->fin || f->len > 125))
		return ws_fail(ev, WS_CLOSE_PROTOCOL, f->fin ?
			       "control frame longer than 125 bytes" :
			       "fragmented control frame");
	if (f->opcode == WS_CONT && !r->in_msg)
		return ws_fail(ev, WS_CLOSE_PROTOCOL,
			       "continuation without a message");
	if (!control && f->opcode != WS_CONT && r->in_msg)
		return ws_fail(ev, WS_CLOSE_PROTOCOL,
			       "new message inside a fragmented one");
	if (!control && f->len + r->msg.len > r->max_message)
		return ws_fail(ev, WS_CLOSE_TOO_BIG,
			       "message larger than the limit");
	return 0;
}

int
ws_read(struct ws_reader *r, const uint8_t *p, size_t n, size_t *used,
	struct ws_event *ev)
{
	int h;

	*used = 0;
	memset(ev, 0, sizeof *ev);
	h = ws_frame_parse(p, n, &ev->f);
	if (h < 0)
		return ws_fail(ev, WS_CLOSE_PROTOCOL, "invalid length");
	if (h == 0)
		return 0;
	if (ws_read_check(r, ev))
		return 1;
	if (ev->f.len > n - (size_t)h)
		return 0;
	*used = (size_t)h + (size_t)ev->f.len;

	size_t plen = (size_t)ev->f.len;

	if (ev->f.opcode & 0x8) {
		/* ≤ 125 bytes: unmask a copy, the input is the caller's */
		static_assert(125 < sizeof r->ctl, "ctl too small");
		memcpy(r->ctl, p + h, plen);
		if (ev->f.masked)
			ws_mask(r->ctl, plen, ev->f.mask, 0);
		return ws_read_control(ev, r->ctl, plen);
	}
	if (ev->f.opcode != WS_CONT) {
		r->in_msg = true;
		r->msg_op = ev->f.opcode;
		r->msg_compressed = ev->f.rsv & WS_RSV1;
		buf_reset(&r->msg);
	}
	size_t at = r->msg.len;

	if (buf_append(&r->msg, p + h, plen) < 0)
		return ws_fail(ev, WS_CLOSE_TOO_BIG, "out of memory");
	if (ev->f.masked)
		ws_mask((uint8_t *)r->msg.data + at, plen, ev->f.mask, 0);
	if (!ev->f.fin) {
		ev->kind = WS_EV_FRAGMENT;
		ev->opcode = r->msg_op;
		return 1;
	}
	return ws_read_end(r, ev);
}

void
ws_reader_free(struct ws_reader *r)
{
	buf_free(&r->msg);
	buf_free(&r->out);
}

size_t
ws_close_payload(uint8_t p[125], unsigned code, const char *why,
		 size_t max_why)
{
	size_t k;

	if (code == WS_CLOSE_NO_STATUS)
		return 0;
	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	if (!why)
		return 2;
	k = strlen(why);
	if (max_why > 123)
		max_why = 123;
	if (k > max_why)
		k = max_why;
	memcpy(p + 2, why, k);
	return 2 + k;
}
