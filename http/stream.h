/*
 * stream.h - one direction of an HTTP/1.x connection read as a sequence of
 * messages: head, body, end, next head ... (pipelining), until the
 * connection stops being HTTP (a 101, a 2xx to CONNECT) or closes (the end
 * of a close-delimited body).
 *
 * This is the one "read head, then body, then the next message" loop.  The
 * server (strict), the sniffer's dissector and the raw sender (lenient)
 * drive it and keep only their own reactions to its events.  It parses
 * with http_parse_request/response and http_body_decode (parse.h); it
 * never allocates and never copies: the caller owns the input buffer.
 *
 * The caller's loop (consume after every event, NEED_MORE included):
 *
 *	for (;;) {
 *		t = http_stream_next(&s, in.p, in.len, method, &ev);
 *		react to ev (HEAD: s.msg spans point into in; BODY: ev.data)
 *		consume ev.consumed bytes of in
 *		if t is HTTP_EV_NEED_MORE, HTTP_EV_TUNNEL or HTTP_EV_ERROR:
 *			break (wait for bytes, or stop being HTTP)
 *	}
 *
 * Between calls the unread input must start where the last event left it;
 * an unfinished head stays in the caller's buffer (the head parser is
 * restartable and only rescans when a new line has arrived).
 */
#ifndef HTTPTOOL_HTTP_STREAM_H
#define HTTPTOOL_HTTP_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "http/parse.h"

enum http_stream_state {
	HTTP_STREAM_HEAD = 0,	/* between messages or inside a head */
	HTTP_STREAM_BODY,	/* inside a body */
	HTTP_STREAM_TUNNEL,	/* no longer HTTP (101, 2xx to CONNECT) */
	HTTP_STREAM_ERROR,	/* cannot go on: err says why */
};

enum http_stream_ev {
	HTTP_EV_NEED_MORE = 0,	/* every byte given was used; send more */
	HTTP_EV_HEAD,		/* a head: s->msg (spans into the input) */
	HTTP_EV_BODY,		/* body bytes: ev->data, decoded */
	HTTP_EV_END,		/* the message is complete */
	HTTP_EV_TUNNEL,		/* the input from here on is not HTTP */
	HTTP_EV_ERROR,		/* s->err says what; the stream stops */
};

struct http_stream_event {
	enum http_stream_ev type;
	size_t consumed;	/* input bytes the event used up */
	struct span data;	/* HTTP_EV_BODY: decoded body bytes */
};

struct http_stream {
	bool requests;			/* parse requests, or responses */
	enum http_mode mode;
	const struct http_limits *lim;	/* NULL: HTTP_LIMITS_DEFAULT */
	struct http_msg msg;		/* the last head; headers array is
					   the caller's (http_stream_init) */
	enum http_stream_state state;
	size_t last_len;		/* restartable head parsing */
	struct http_body body;
	struct http_error err;
	bool end_pending;		/* body done: HTTP_EV_END next */
	bool tunnel_after;		/* this message ends the HTTP part */
	uint64_t messages;		/* heads parsed so far */
};

/* Start a stream; headers[max_headers] receives each head's fields. */
void http_stream_init(struct http_stream *s, bool requests,
		      enum http_mode mode, struct http_header *headers,
		      size_t max_headers);

/*
 * The next event from in[0..len).  req_method, for a response stream, is
 * the method of the request being answered (HEAD and CONNECT change the
 * framing); an empty span means GET.  Never consumes past len.
 */
enum http_stream_ev http_stream_next(struct http_stream *s, const char *in,
				     size_t len, struct span req_method,
				     struct http_stream_event *ev);

/*
 * The peer closed its side.  HTTP_EV_END when that completes a
 * close-delimited body, HTTP_EV_NEED_MORE when it closed between messages,
 * HTTP_EV_ERROR when a head or a delimited body was cut short.
 */
enum http_stream_ev http_stream_eof(struct http_stream *s,
				    struct http_stream_event *ev);

/* The caller learned that this direction is no longer HTTP (the request
 * side of an upgrade the other side accepted). */
void http_stream_tunnel(struct http_stream *s);

/*
 * A lenient reader that resynchronises (the sniffer, after bytes that are
 * not HTTP, a hole or a malformed message) moved its input to what may be
 * the start of a message: read a head of requests (or responses) there
 * next, whatever state the stream was in.  The message count stays.
 */
void http_stream_resync(struct http_stream *s, bool requests);

#endif
