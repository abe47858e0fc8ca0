/*
 * parse.h - the one HTTP/1.x message parser (RFC 9112), shared by the
 * server (strict), the sniffer and the raw sender (lenient).
 *
 * Zero-copy and allocation-free: the head parser fills caller-provided
 * spans pointing into the caller's buffer; the body decoder hands back
 * spans of body bytes inside the input it was given.
 *
 * Head parsing is restartable rather than stateful: call it again on the
 * same (grown) buffer with the length seen last time and it only does the
 * full work when a new line has arrived, so byte-at-a-time feeding stays
 * linear per line.  Once a head is parsed, http_body_* decodes the body on
 * any split of the input.  Pipelined messages: the next message starts at
 * head_len + body bytes consumed.
 *
 * Must not depend on anything outside http/.
 */
#ifndef HTTPTOOL_PARSE_H
#define HTTPTOOL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum http_mode {
	HTTP_STRICT = 0,	/* reject what RFC 9112 says a server must */
	HTTP_LENIENT = 1,	/* keep going, record what was wrong */
};

/* Return values of the parse functions besides a positive length. */
enum {
	HTTP_ERROR = -1,	/* see struct http_error */
	HTTP_INCOMPLETE = -2,	/* need more bytes */
};

/*
 * Why a message was rejected (strict) or marked (lenient).  what and why
 * are static strings; a server answers status and may print
 * "<what> at byte <offset>; <why>".
 */
struct http_error {
	int status;		/* 400, 413, 414, 431, 501 or 505 */
	size_t offset;		/* from the start of the message */
	const char *what;	/* "bare LF line ending" */
	const char *why;	/* "HTTP/1.1 requires CRLF (RFC 9112 §2.2)" */
};

/* Format "what at byte N; why" into out (always NUL-terminated). */
void http_error_format(const struct http_error *e, char *out, size_t size);

struct http_limits {
	size_t max_start_line;	/* request line; longer -> 414 (8192) */
	size_t max_head;	/* whole head; longer -> 431 (65536) */
};

#define HTTP_LIMITS_DEFAULT { 8192, 65536 }

struct http_header {
	struct span name;	/* as sent, without the colon */
	struct span value;	/* trimmed of SP/HTAB both ends; in lenient
				   mode an obs-folded value keeps its fold
				   bytes (CRLF and leading whitespace) */
};

/* How the body of a message is delimited (RFC 9112 §6.3). */
enum http_framing {
	HTTP_FRAME_NONE = 0,	/* no body */
	HTTP_FRAME_LENGTH,	/* content_length bytes */
	HTTP_FRAME_CHUNKED,	/* chunked transfer coding */
	HTTP_FRAME_CLOSE,	/* until the connection closes (responses) */
	HTTP_FRAME_TUNNEL,	/* 101 or 2xx to CONNECT: no longer HTTP */
};

const char *http_framing_name(enum http_framing f);

/* What lenient mode tolerated (bits of http_msg.warnings). */
enum {
	HTTP_WARN_BARE_LF = 1u << 0,
	HTTP_WARN_OBS_FOLD = 1u << 1,
	HTTP_WARN_SPACE_BEFORE_COLON = 1u << 2,
	HTTP_WARN_BAD_VALUE_CHAR = 1u << 3,	/* CTL, bare CR */
	HTTP_WARN_BAD_NAME = 1u << 4,		/* non-token, no colon */
	HTTP_WARN_BAD_LENGTH = 1u << 5,		/* junk or conflicting CL */
	HTTP_WARN_CL_AND_TE = 1u << 6,
	HTTP_WARN_BAD_TE = 1u << 7,
	HTTP_WARN_BAD_START_LINE = 1u << 8,	/* extra spaces, odd target */
	HTTP_WARN_HOST = 1u << 9,		/* missing or duplicate Host */
	HTTP_WARN_TOO_MANY_HEADERS = 1u << 10,	/* extra ones not stored */
};

struct http_msg {
	/* set by the caller before parsing */
	struct http_header *headers;	/* array to fill */
	size_t max_headers;		/* its capacity */

	/* filled by the parser */
	bool is_request;
	struct span method, target;	/* request line */
	int major, minor;		/* HTTP/<major>.<minor> */
	int status;			/* status line */
	struct span reason;
	size_t nheaders;
	size_t head_len;		/* bytes up to and including the blank
					   line (leading blank lines too) */
	size_t start;			/* offset of the start line (after any
					   leading CRLFs) */
	enum http_framing framing;
	uint64_t content_length;	/* for HTTP_FRAME_LENGTH */
	bool keep_alive;		/* by version, Connection and framing */
	bool expect_continue;		/* Expect: 100-continue */
	bool upgrade;			/* Connection: upgrade + Upgrade */
	unsigned warnings;		/* HTTP_WARN_* (lenient mode) */
	struct http_error warning;	/* the first thing tolerated */
};

/*
 * Parse a request head in buf[0..len).  last_len is the len of the
 * previous call on the same buffer (0 the first time).  Returns head_len
 * (> 0) with msg filled, HTTP_INCOMPLETE, or HTTP_ERROR with *err filled.
 * Strict mode also rejects what RFC 9112 §3.2 says about Host.  Errors are
 * reported as soon as the bytes that prove them have arrived.
 */
int http_parse_request(const char *buf, size_t len, size_t last_len,
		       enum http_mode mode, const struct http_limits *lim,
		       struct http_msg *msg, struct http_error *err);

/*
 * Parse a response head.  req_method is the method of the request this
 * answers (it decides framing for HEAD and CONNECT); an empty span means
 * unknown, taken as GET.
 */
int http_parse_response(const char *buf, size_t len, size_t last_len,
			enum http_mode mode, const struct http_limits *lim,
			struct span req_method, struct http_msg *msg,
			struct http_error *err);

/*
 * Find where the next message could start in buf[0..len): the offset of
 * the first line start (0, or just after a LF) that begins with a request
 * line (want_request) or "HTTP/1." -- or with a prefix of one that runs
 * into the end of buf, so the caller keeps it and waits.  Returns len when
 * there is no candidate.  The sniffer uses it to resynchronise after
 * garbage or a capture that starts mid-stream.
 */
size_t http_find_start(const char *buf, size_t len, bool want_request);

/* True when the method is one of the registered ones (GET, POST, ...). */
bool http_method_known(struct span method);

/*
 * Body decoder: zero-initialise, then http_body_init() from a parsed head.
 */
struct http_body {
	enum http_framing framing;
	enum http_mode mode;
	bool done;		/* message complete */
	uint64_t remaining;	/* of the body (LENGTH) or the chunk */
	uint64_t total;		/* body bytes decoded so far */
	uint64_t wire;		/* bytes consumed so far (framing included) */
	unsigned chunks;	/* data chunks seen */
	int state;		/* chunked state machine, private */
	size_t line;		/* bytes in the current size/trailer line */
	size_t trailer_bytes;	/* bytes of trailer section seen */
	unsigned warnings;	/* HTTP_WARN_BARE_LF in lenient mode */
};

void http_body_init(struct http_body *b, const struct http_msg *msg,
		    enum http_mode mode);

/*
 * Decode from in[0..len).  Returns the number of input bytes consumed
 * (>= 0) and sets *data to the body bytes found in them (a span into in,
 * possibly empty); call again with the rest while the return value is
 * short of len and !b->done.  Once b->done, bytes after the consumed ones
 * belong to the next message.  Returns HTTP_ERROR with *err filled on a
 * bad chunk size, overflow, or an over-long chunk line or trailer.
 */
long http_body_decode(struct http_body *b, const char *in, size_t len,
		      struct span *data, struct http_error *err);

/*
 * The peer closed the connection: a close-delimited body is complete
 * (returns 0, b->done set); any other unfinished body was cut short
 * (returns HTTP_ERROR with err describing it).
 */
int http_body_eof(struct http_body *b, struct http_error *err);

#endif
