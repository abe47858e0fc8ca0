/*
 * raw_track.c - count and remember the requests `httptool raw` sends (see
 * raw_track.h).  Uses http/parse.h in lenient mode: the user's typing is
 * what it is, and only a request line that cannot be read at all (or a
 * body that cannot be delimited) makes the stream "not HTTP".
 */
#include <errno.h>
#include <string.h>

#include "raw_track.h"

#define TRACK_MAX_HEADERS 64

void
raw_track_init(struct raw_track *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->in);
}

void
raw_track_free(struct raw_track *t)
{
	buf_free(&t->in);
}

static void
track_push(struct raw_track *t, struct span method)
{
	char *slot;
	size_t n = method.len < RAW_TRACK_METHOD - 1 ? method.len
						    : RAW_TRACK_METHOD - 1;

	t->sent++;
	if (t->count == RAW_TRACK_RING)
		return;		/* too many in flight: forget the method */
	slot = t->ring[(t->first + t->count) % RAW_TRACK_RING];
	memcpy(slot, method.p, n);
	slot[n] = 0;
	t->count++;
}

static void
track_stop(struct raw_track *t, enum raw_track_state why)
{
	t->state = why;
	buf_free(&t->in);
	t->last_len = 0;
}

/* One head from the unread bytes; 1 parsed, 0 need more, -1 lost. */
static int
track_head(struct raw_track *t, struct span in)
{
	struct http_header hdrs[TRACK_MAX_HEADERS];
	struct http_msg msg = { .headers = hdrs,
				.max_headers = TRACK_MAX_HEADERS };
	int r;

	r = http_parse_request(in.p, in.len, t->last_len, HTTP_LENIENT, NULL,
			       &msg, &t->err);
	if (r == HTTP_INCOMPLETE) {
		t->last_len = in.len;
		return 0;
	}
	if (r < 0) {
		track_stop(t, RAW_TRACK_LOST);
		return -1;
	}
	track_push(t, msg.method);
	t->last_len = 0;
	if (span_eq(msg.method, "CONNECT")) {
		track_stop(t, RAW_TRACK_TUNNEL);
		return 1;
	}
	/* msg's spans die here: consuming the last byte resets the buffer */
	buf_consume(&t->in, (size_t)r);
	if (msg.framing == HTTP_FRAME_LENGTH ||
	    msg.framing == HTTP_FRAME_CHUNKED) {
		memset(&t->body, 0, sizeof t->body);
		http_body_init(&t->body, &msg, HTTP_LENIENT);
		t->state = RAW_TRACK_BODY;
	} else if (msg.framing != HTTP_FRAME_NONE) {
		track_stop(t, RAW_TRACK_LOST);	/* a body we cannot delimit */
		t->err.what = "request body without a usable length";
		t->err.why = "Transfer-Encoding does not end with chunked";
	}
	return 1;
}

/* Body bytes from the unread ones; 1 progress, 0 need more, -1 lost. */
static int
track_body(struct raw_track *t, struct span in)
{
	struct span data;
	long r = http_body_decode(&t->body, in.p, in.len, &data, &t->err);

	if (r < 0) {
		track_stop(t, RAW_TRACK_LOST);
		return -1;
	}
	buf_consume(&t->in, (size_t)r);
	if (t->body.done) {
		t->state = RAW_TRACK_HEAD;
		return 1;
	}
	return r > 0 ? 1 : 0;
}

int
raw_track_feed(struct raw_track *t, const char *p, size_t n)
{
	int heads = 0, r = 1;

	if (t->state == RAW_TRACK_LOST || t->state == RAW_TRACK_TUNNEL)
		return 0;
	if (buf_append(&t->in, p, n) < 0)
		return -ENOMEM;
	while (r > 0) {
		struct span in = buf_unread(&t->in);

		if (in.len == 0)
			break;
		if (t->state == RAW_TRACK_HEAD) {
			r = track_head(t, in);
			heads += r > 0;
		} else {
			r = track_body(t, in);
		}
	}
	if (t->state == RAW_TRACK_HEAD || t->state == RAW_TRACK_BODY)
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
