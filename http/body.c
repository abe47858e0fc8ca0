/*
 * body.c - message body decoding: Content-Length, chunked (RFC 9112 §7.1)
 * and close-delimited, on any split of the input.
 *
 * The chunked decoder is a byte-driven state machine whose whole state is
 * in struct http_body, so input may arrive one byte at a time.  Body bytes
 * are never copied: each call hands back one span inside the input.
 * Offsets in errors count from the first byte of the body.
 */
#include <string.h>

#include "parse.h"
#include "parse_int.h"
#include "url.h"

#define CHUNK_LINE_MAX 4096	/* size line with extensions */
#define TRAILER_MAX 16384	/* whole trailer section */

enum {
	CS_SIZE = 0,		/* hex digits of a chunk size */
	CS_SIZE_WS,		/* whitespace after the size */
	CS_EXT,			/* ;name=value extensions */
	CS_SIZE_LF,		/* CR seen, LF must follow */
	CS_DATA,		/* chunk data */
	CS_DATA_CR,		/* CRLF after the data */
	CS_DATA_LF,
	CS_TRAILER_START,	/* start of a trailer line (or the end) */
	CS_TRAILER,		/* inside a trailer line */
	CS_TRAILER_LF,
	CS_END_LF,		/* CR of the final empty line seen */
	/* strict chunk extensions (RFC 9112 §7.1.1), checked as they come */
	CS_EXT_PRE,		/* after ';': BWS, then a name */
	CS_EXT_NAME,
	CS_EXT_POSTNAME,	/* BWS, then '=', ';' or the end */
	CS_EXT_VALPRE,		/* after '=': BWS, then a token or '"' */
	CS_EXT_TOKEN,
	CS_EXT_QUOTED,
	CS_EXT_QESC,		/* after a backslash in a quoted value */
	CS_EXT_POSTVAL,		/* BWS, then ';' or the end */
};

void
http_body_init(struct http_body *b, const struct http_msg *msg,
	       enum http_mode mode)
{
	memset(b, 0, sizeof *b);
	b->framing = msg->framing;
	b->mode = mode;
	if (msg->framing == HTTP_FRAME_LENGTH)
		b->remaining = msg->content_length;
	if (msg->framing == HTTP_FRAME_NONE ||
	    (msg->framing == HTTP_FRAME_LENGTH && msg->content_length == 0))
		b->done = true;
}

static long
body_fail(struct http_body *b, struct http_error *err, size_t i,
	  const char *what, const char *why)
{
	err->status = 400;
	err->offset = (size_t)b->wire + i;
	err->what = what;
	err->why = why;
	return HTTP_ERROR;
}

#define WHY_CHUNK "chunk-size is hex digits then CRLF (RFC 9112 §7.1)"

/* a LF where CRLF belongs: fine when lenient */
static bool
bare_lf_ok(struct http_body *b)
{
	if (b->mode == HTTP_STRICT)
		return false;
	b->warnings |= HTTP_WARN_BARE_LF;
	return true;
}

/* end of a size line: the data, or the trailer after the last chunk */
static void
size_line_done(struct http_body *b)
{
	b->line = 0;
	if (b->remaining == 0) {
		b->state = CS_TRAILER_START;
	} else {
		b->state = CS_DATA;
		b->chunks++;
	}
}

#define WHY_EXT "chunk-ext is ;name[=value], a token name and a token " \
	"or quoted-string value (RFC 9112 §7.1.1)"

/* Next state of a strict chunk extension after byte ch, or -1 when ch
 * cannot come there.  The line's end (CR) is handled by the caller. */
static int
ext_next(int st, unsigned char ch)
{
	bool ws = ch == ' ' || ch == '\t', tc = is_tchar(ch);

	switch (st) {
	case CS_EXT_PRE:
		return ws ? st : tc ? CS_EXT_NAME : -1;
	case CS_EXT_NAME:
	case CS_EXT_POSTNAME:
		if (tc && st == CS_EXT_NAME)
			return st;
		return ws ? CS_EXT_POSTNAME : ch == '=' ? CS_EXT_VALPRE :
		    ch == ';' ? CS_EXT_PRE : -1;
	case CS_EXT_VALPRE:
		return ws ? st : ch == '"' ? CS_EXT_QUOTED :
		    tc ? CS_EXT_TOKEN : -1;
	case CS_EXT_TOKEN:
	case CS_EXT_POSTVAL:
		if (tc && st == CS_EXT_TOKEN)
			return st;
		return ws ? CS_EXT_POSTVAL : ch == ';' ? CS_EXT_PRE : -1;
	case CS_EXT_QUOTED:
		if (ch == '"')
			return CS_EXT_POSTVAL;
		if (ch == '\\')
			return CS_EXT_QESC;
		return ws || (ch >= 0x21 && ch != 0x7f) ? st : -1;
	default:	/* CS_EXT_QESC */
		return ws || (ch >= 0x21 && ch != 0x7f) ? CS_EXT_QUOTED : -1;
	}
}

/* a byte of a strict chunk extension */
static long
ext_byte(struct http_body *b, unsigned char ch, size_t i,
	 struct http_error *err)
{
	int next;

	if (++b->line > CHUNK_LINE_MAX)
		return body_fail(b, err, i, "chunk extension too long",
				 "the parser's limit is 4096 bytes");
	if (ch == '\r' && b->state != CS_EXT_PRE &&
	    b->state != CS_EXT_VALPRE && b->state != CS_EXT_QUOTED &&
	    b->state != CS_EXT_QESC) {
		b->state = CS_SIZE_LF;
		return 0;
	}
	next = ext_next(b->state, ch);
	if (next < 0 && ((ch < 0x20 && ch != '\t' && ch != '\r') ||
			 ch == 0x7f))
		return body_fail(b, err, i, "control character in "
				 "chunk extension", WHY_CHUNK);
	if (next < 0)
		return body_fail(b, err, i, "malformed chunk extension",
				 WHY_EXT);
	b->state = next;
	return 0;
}

/* a byte of the size line: "1f;ext=v\r\n" */
static long
size_line_byte(struct http_body *b, unsigned char ch, size_t i,
	       struct http_error *err)
{
	int h;

	switch (b->state) {
	case CS_SIZE:
		h = http_hex_digit(ch);
		if (h >= 0) {
			if (b->remaining >> 59)
				return body_fail(b, err, i,
						 "chunk size too large",
						 WHY_CHUNK);
			b->remaining = b->remaining * 16 + (unsigned)h;
			if (++b->line > CHUNK_LINE_MAX)
				return body_fail(b, err, i,
						 "chunk size line too long",
						 WHY_CHUNK);
			return 0;
		}
		if (b->line == 0)
			return body_fail(b, err, i, "invalid chunk size",
					 WHY_CHUNK);
		if (ch == ';')
			b->state = b->mode == HTTP_STRICT ? CS_EXT_PRE : CS_EXT;
		else if (ch == ' ' || ch == '\t')
			b->state = CS_SIZE_WS;
		else if (ch == '\r')
			b->state = CS_SIZE_LF;
		else if (ch == '\n' && bare_lf_ok(b))
			size_line_done(b);
		else
			return body_fail(b, err, i, ch == '\n'
					 ? "bare LF in chunk size line"
					 : "invalid chunk size", WHY_CHUNK);
		return 0;
	case CS_SIZE_WS:
		if (ch == ';')
			b->state = b->mode == HTTP_STRICT ? CS_EXT_PRE : CS_EXT;
		else if (ch == '\r' && b->mode == HTTP_LENIENT)
			b->state = CS_SIZE_LF;
		else if (ch != ' ' && ch != '\t')
			return body_fail(b, err, i, "invalid chunk size",
					 WHY_CHUNK);
		return 0;
	case CS_EXT:
		if (++b->line > CHUNK_LINE_MAX)
			return body_fail(b, err, i, "chunk extension too long",
					 "the parser's limit is 4096 bytes");
		if (ch == '\r')
			b->state = CS_SIZE_LF;
		else if (ch == '\n' && bare_lf_ok(b))
			size_line_done(b);
		else if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return body_fail(b, err, i, "control character in "
					 "chunk extension", WHY_CHUNK);
		return 0;
	default:	/* CS_SIZE_LF */
		if (ch != '\n')
			return body_fail(b, err, i, "bare CR in chunk size line",
					 WHY_CHUNK);
		size_line_done(b);
		return 0;
	}
}

/* a byte of the CRLF that ends chunk data */
static long
data_end_byte(struct http_body *b, unsigned char ch, size_t i,
	      struct http_error *err)
{
	if (b->state == CS_DATA_CR && ch == '\r') {
		b->state = CS_DATA_LF;
		return 0;
	}
	if (ch == '\n' && (b->state == CS_DATA_LF || bare_lf_ok(b))) {
		b->state = CS_SIZE;
		return 0;
	}
	return body_fail(b, err, i, "missing CRLF after chunk data",
			 "chunk data is followed by CRLF (RFC 9112 §7.1)");
}

/* a byte of the trailer section, or of the final empty line */
static long
trailer_byte(struct http_body *b, unsigned char ch, size_t i,
	     struct http_error *err)
{
	switch (b->state) {
	case CS_TRAILER_START:
		if (ch == '\r') {
			b->state = CS_END_LF;
		} else if (ch == '\n' && bare_lf_ok(b)) {
			b->done = true;
		} else if (ch == '\n') {
			return body_fail(b, err, i, "bare LF after last chunk",
					 "HTTP/1.1 requires CRLF (RFC 9112 §2.2)");
		} else {
			b->state = CS_TRAILER;
			b->trailer_bytes++;
		}
		return 0;
	case CS_TRAILER:
		if (++b->trailer_bytes > TRAILER_MAX)
			return body_fail(b, err, i, "trailer section too large",
					 "the parser's limit is 16384 bytes");
		if (ch == '\r')
			b->state = CS_TRAILER_LF;
		else if (ch == '\n' && bare_lf_ok(b))
			b->state = CS_TRAILER_START;
		else if (ch == 0 || ch == '\n')
			return body_fail(b, err, i, ch ? "bare LF in trailer"
					 : "NUL in trailer", "RFC 9112 §7.1.2");
		return 0;
	default:	/* CS_TRAILER_LF, CS_END_LF */
		if (ch != '\n')
			return body_fail(b, err, i, "bare CR in chunked body",
					 "HTTP/1.1 requires CRLF (RFC 9112 §2.2)");
		if (b->state == CS_END_LF)
			b->done = true;
		else
			b->state = CS_TRAILER_START;
		return 0;
	}
}

/* one framing byte; 0 to go on, or HTTP_ERROR */
static long
chunk_byte(struct http_body *b, unsigned char ch, size_t i,
	   struct http_error *err)
{
	switch (b->state) {
	case CS_SIZE:
	case CS_SIZE_WS:
	case CS_EXT:
	case CS_SIZE_LF:
		return size_line_byte(b, ch, i, err);
	case CS_EXT_PRE:
	case CS_EXT_NAME:
	case CS_EXT_POSTNAME:
	case CS_EXT_VALPRE:
	case CS_EXT_TOKEN:
	case CS_EXT_QUOTED:
	case CS_EXT_QESC:
	case CS_EXT_POSTVAL:
		return ext_byte(b, ch, i, err);
	case CS_DATA_CR:
	case CS_DATA_LF:
		return data_end_byte(b, ch, i, err);
	default:
		return trailer_byte(b, ch, i, err);
	}
}

static long
decode_chunked(struct http_body *b, const char *in, size_t len,
	       struct span *data, struct http_error *err)
{
	size_t i = 0;

	while (i < len && !b->done) {
		if (b->state == CS_DATA) {
			size_t n = len - i;
			if (n > b->remaining)
				n = (size_t)b->remaining;
			*data = (struct span){ in + i, n };
			b->remaining -= n;
			b->total += n;
			if (b->remaining == 0)
				b->state = CS_DATA_CR;
			i += n;
			break;		/* one span per call */
		}
		if (chunk_byte(b, (unsigned char)in[i], i, err) < 0)
			return HTTP_ERROR;
		i++;
	}
	b->wire += i;
	return (long)i;
}

long
http_body_decode(struct http_body *b, const char *in, size_t len,
		 struct span *data, struct http_error *err)
{
	size_t n;

	*data = (struct span){ in, 0 };
	if (b->done || len == 0)
		return 0;
	switch (b->framing) {
	case HTTP_FRAME_LENGTH:
		n = len < b->remaining ? len : (size_t)b->remaining;
		*data = (struct span){ in, n };
		b->remaining -= n;
		b->total += n;
		b->wire += n;
		if (b->remaining == 0)
			b->done = true;
		return (long)n;
	case HTTP_FRAME_CHUNKED:
		return decode_chunked(b, in, len, data, err);
	case HTTP_FRAME_CLOSE:
	case HTTP_FRAME_TUNNEL:
		*data = (struct span){ in, len };
		b->total += len;
		b->wire += len;
		return (long)len;
	case HTTP_FRAME_NONE:
		b->done = true;
		return 0;
	}
	return 0;
}

int
http_body_eof(struct http_body *b, struct http_error *err)
{
	if (b->done)
		return 0;
	if (b->framing == HTTP_FRAME_CLOSE || b->framing == HTTP_FRAME_TUNNEL ||
	    b->framing == HTTP_FRAME_NONE) {
		b->done = true;
		return 0;
	}
	err->status = 400;
	err->offset = (size_t)b->wire;
	err->what = b->framing == HTTP_FRAME_CHUNKED
		? "connection closed inside a chunked body"
		: "connection closed before the end of the body";
	err->why = "the message is incomplete";
	return HTTP_ERROR;
}
