/*
 * raw_track.c - count and remember the requests `httptool raw` sends (see
 * raw_track.h).  Uses http/parse.h in lenient mode: the user's typing is
 * what it is, and only a request line that cannot be read at all (or a
 * body that cannot be delimited) makes the stream "not HTTP".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "raw_track.h"

void
raw_track_init(struct raw_track *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->in);
	http_stream_init(&t->rd, true, HTTP_LENIENT, t->hdrs,
			 RAW_TRACK_HEADERS);
}

void
raw_track_free(struct raw_track *t)
{
	buf_free(&t->in);
}

/* Copy a span into a fixed slot, cut to fit. */
static void
track_keep(char *slot, size_t size, struct span v)
{
	size_t n = v.len < size - 1 ? v.len : size - 1;

	memcpy(slot, v.p, n);
	slot[n] = 0;
}

static void
track_push(struct raw_track *t, struct span method, struct span target)
{
	unsigned at;

	t->sent++;
	if (t->count == RAW_TRACK_RING)
		return;		/* too many in flight: forget the method */
	at = (t->first + t->count) % RAW_TRACK_RING;
	track_keep(t->ring[at], RAW_TRACK_METHOD, method);
	track_keep(t->target[at], RAW_TRACK_TARGET, target);
	t->count++;
}

static void
track_stop(struct raw_track *t, enum raw_track_state why)
{
	t->state = why;
	buf_free(&t->in);
	http_stream_tunnel(&t->rd);
}

/* A request head was sent: count it; false when tracking must stop. */
static bool
track_head(struct raw_track *t)
{
	const struct http_msg *msg = &t->rd.msg;

	track_push(t, msg->method, msg->target);
	if (span_eq(msg->method, "CONNECT")) {
		track_stop(t, RAW_TRACK_TUNNEL);
		return false;
	}
	if (msg->framing == HTTP_FRAME_CLOSE ||
	    msg->framing == HTTP_FRAME_TUNNEL) {
		track_stop(t, RAW_TRACK_LOST);	/* a body we cannot delimit */
		t->err.what = "request body without a usable length";
		t->err.why = "Transfer-Encoding does not end with chunked";
		return false;
	}
	t->state = msg->framing == HTTP_FRAME_NONE ? RAW_TRACK_HEAD
						   : RAW_TRACK_BODY;
	return true;
}

int
raw_track_feed(struct raw_track *t, const char *p, size_t n)
{
	int heads = 0;

	if (t->state == RAW_TRACK_LOST || t->state == RAW_TRACK_TUNNEL)
		return 0;
	if (buf_append(&t->in, p, n) < 0)
		return -ENOMEM;
	for (;;) {
		struct span in = buf_unread(&t->in);
		struct http_stream_event ev;
		enum http_stream_ev e = http_stream_next(&t->rd, in.p, in.len,
							 SPAN_NULL, &ev);

		if (e == HTTP_EV_ERROR) {
			t->err = t->rd.err;
			track_stop(t, RAW_TRACK_LOST);
			return heads;
		}
		if (e == HTTP_EV_HEAD) {
			heads++;
			if (!track_head(t))
				return heads;
		}
		if (e == HTTP_EV_END)
			t->state = RAW_TRACK_HEAD;
		/* a head's spans die here: consuming may reset the buffer */
		buf_consume(&t->in, ev.consumed);
		if (e == HTTP_EV_NEED_MORE || e == HTTP_EV_TUNNEL)
			break;
	}
	buf_compact(&t->in);
	return heads;
}

struct span
raw_track_method(const struct raw_track *t)
{
	if (t->count == 0)
		return SPAN_NULL;
	return span_from(t->ring[t->first]);
}

const char *
raw_track_unanswered(const struct raw_track *t, unsigned i, char *buf,
		     size_t size)
{
	unsigned at = (t->first + i) % RAW_TRACK_RING;

	if (i >= t->count)
		return NULL;
	snprintf(buf, size, "%lu (%s %s%s)", t->answered + i + 1, t->ring[at],
		 t->target[at],
		 strlen(t->target[at]) == RAW_TRACK_TARGET - 1 ? "..." : "");
	return buf;
}

void
raw_track_answered(struct raw_track *t)
{
	t->answered++;
	if (t->count > 0) {
		t->first = (t->first + 1) % RAW_TRACK_RING;
		t->count--;
	}
}

void
raw_track_tunnel(struct raw_track *t)
{
	if (t->state != RAW_TRACK_LOST)
		track_stop(t, RAW_TRACK_TUNNEL);
}

unsigned long
raw_track_pending(const struct raw_track *t)
{
	unsigned long n = t->sent > t->answered ? t->sent - t->answered : 0;

	/* a request whose body is still coming will not be answered */
	if (t->state == RAW_TRACK_BODY && n > 0)
		n--;
	return n;
}

bool
raw_track_partial(const struct raw_track *t)
{
	struct span in = buf_unread(&t->in);

	if (t->state == RAW_TRACK_BODY)
		return true;
	if (t->state != RAW_TRACK_HEAD)
		return false;
	for (size_t i = 0; i < in.len; i++)
		if (in.p[i] != '\r' && in.p[i] != '\n')
			return true;
	return false;
}
