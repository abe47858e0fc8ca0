/*
 * stream.c - head, body, next message: the one HTTP/1.x stream reader
 * (see stream.h).  Everything about syntax is parse.c's and body.c's;
 * this file only sequences them.
 */
#include <string.h>

#include "http/stream.h"

void
http_stream_init(struct http_stream *s, bool requests, enum http_mode mode,
		 struct http_header *headers, size_t max_headers)
{
	memset(s, 0, sizeof *s);
	s->requests = requests;
	s->mode = mode;
	s->msg.headers = headers;
	s->msg.max_headers = max_headers;
}

static enum http_stream_ev
stream_event(struct http_stream_event *ev, enum http_stream_ev type,
	     size_t consumed)
{
	ev->type = type;
	ev->consumed = consumed;
	ev->data = SPAN_NULL;
	return type;
}

/* A head parsed: decide what follows it.  body always describes the
 * current message (a bodiless one counts zero bytes). */
static void
stream_after_head(struct http_stream *s)
{
	const struct http_msg *m = &s->msg;

	s->tunnel_after = m->framing == HTTP_FRAME_TUNNEL;
	http_body_init(&s->body, m, s->mode);	/* clears it first */
	switch (m->framing) {
	case HTTP_FRAME_LENGTH:
	case HTTP_FRAME_CHUNKED:
	case HTTP_FRAME_CLOSE:
		s->state = HTTP_STREAM_BODY;
		s->end_pending = s->body.done;	/* Content-Length: 0 */
		break;
	default:		/* no body, or a tunnel starting after it */
		s->end_pending = true;
		break;
	}
}

static enum http_stream_ev
stream_head(struct http_stream *s, const char *in, size_t len,
	    struct span req_method, struct http_stream_event *ev)
{
	static const struct http_limits def = HTTP_LIMITS_DEFAULT;
	const struct http_limits *lim = s->lim ? s->lim : &def;
	int r;

	if (len == 0)
		return stream_event(ev, HTTP_EV_NEED_MORE, 0);
	if (s->requests)
		r = http_parse_request(in, len, s->last_len, s->mode, lim,
				       &s->msg, &s->err);
	else
		r = http_parse_response(in, len, s->last_len, s->mode, lim,
					req_method, &s->msg, &s->err);
	if (r == HTTP_INCOMPLETE) {
		s->last_len = len;
		return stream_event(ev, HTTP_EV_NEED_MORE, 0);
	}
	s->last_len = 0;
	if (r < 0) {
		s->state = HTTP_STREAM_ERROR;
		return stream_event(ev, HTTP_EV_ERROR, 0);
	}
	s->messages++;
	stream_after_head(s);
	return stream_event(ev, HTTP_EV_HEAD, (size_t)r);
}

static enum http_stream_ev
stream_body(struct http_stream *s, const char *in, size_t len,
	    struct http_stream_event *ev)
{
	struct span data = SPAN_NULL;
	size_t used = 0;

	/* chunk-size lines and the like carry no data: read on past them */
	while (used < len && data.len == 0 && !s->body.done) {
		long r = http_body_decode(&s->body, in + used, len - used,
					  &data, &s->err);

		if (r < 0) {
			s->state = HTTP_STREAM_ERROR;
			return stream_event(ev, HTTP_EV_ERROR, used);
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	if (data.len > 0) {
		s->end_pending = s->body.done;
		stream_event(ev, HTTP_EV_BODY, used);
		ev->data = data;
		return HTTP_EV_BODY;
	}
	if (s->body.done) {
		s->state = s->tunnel_after ? HTTP_STREAM_TUNNEL
					   : HTTP_STREAM_HEAD;
		return stream_event(ev, HTTP_EV_END, used);
	}
	return stream_event(ev, HTTP_EV_NEED_MORE, used);
}

enum http_stream_ev
http_stream_next(struct http_stream *s, const char *in, size_t len,
		 struct span req_method, struct http_stream_event *ev)
{
	if (s->end_pending) {
		s->end_pending = false;
		s->state = s->tunnel_after ? HTTP_STREAM_TUNNEL
					   : HTTP_STREAM_HEAD;
		return stream_event(ev, HTTP_EV_END, 0);
	}
	switch (s->state) {
	case HTTP_STREAM_HEAD:
		return stream_head(s, in, len, req_method, ev);
	case HTTP_STREAM_BODY:
		return stream_body(s, in, len, ev);
	case HTTP_STREAM_TUNNEL:
		return stream_event(ev, HTTP_EV_TUNNEL, 0);
	default:
		return stream_event(ev, HTTP_EV_ERROR, 0);
	}
}

enum http_stream_ev
http_stream_eof(struct http_stream *s, struct http_stream_event *ev)
{
	if (s->end_pending)
		return http_stream_next(s, NULL, 0, SPAN_NULL, ev);
	switch (s->state) {
	case HTTP_STREAM_HEAD:
		if (s->last_len == 0)
			return stream_event(ev, HTTP_EV_NEED_MORE, 0);
		s->err = (struct http_error){
			400, s->last_len, "connection closed inside a head",
			"the blank line ending the head never arrived",
		};
		s->state = HTTP_STREAM_ERROR;
		return stream_event(ev, HTTP_EV_ERROR, 0);
	case HTTP_STREAM_BODY:
		if (http_body_eof(&s->body, &s->err) < 0) {
			s->state = HTTP_STREAM_ERROR;
			return stream_event(ev, HTTP_EV_ERROR, 0);
		}
		s->state = HTTP_STREAM_HEAD;
		return stream_event(ev, HTTP_EV_END, 0);
	case HTTP_STREAM_TUNNEL:
		return stream_event(ev, HTTP_EV_TUNNEL, 0);
	default:
		return stream_event(ev, HTTP_EV_ERROR, 0);
	}
}

void
http_stream_tunnel(struct http_stream *s)
{
	if (s->state != HTTP_STREAM_ERROR) {
		s->state = HTTP_STREAM_TUNNEL;
		s->end_pending = false;
	}
}

void
http_stream_resync(struct http_stream *s, bool requests)
{
	s->requests = requests;
	s->state = HTTP_STREAM_HEAD;
	s->last_len = 0;
	s->end_pending = false;
	s->tunnel_after = false;
}
