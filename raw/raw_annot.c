/*
 * raw_annot.c - annotate the server's replies (see raw_annot.h).
 *
 * Received bytes are appended to a buffer and parsed from there: heads
 * with http_parse_response() (restartable, so typing-speed arrivals stay
 * cheap), bodies with http_body_decode(), the end of a close-delimited
 * body with http_body_eof().  Which method a response answers comes from
 * raw_track.  No HTTP syntax is understood here beyond what http/ returns.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "raw_annot.h"

void
raw_annot_init(struct raw_annot *a, struct raw_track *track, bool quiet)
{
	memset(a, 0, sizeof *a);
	buf_init(&a->in);
	buf_init(&a->notes);
	http_stream_init(&a->rd, false, HTTP_LENIENT, a->hdrs,
			 RAW_ANNOT_MAX_HEADERS);
	a->track = track;
	a->quiet = quiet;
}

void
raw_annot_free(struct raw_annot *a)
{
	buf_free(&a->in);
	buf_free(&a->notes);
}

static void
annot_note(struct raw_annot *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
annot_note(struct raw_annot *a, const char *fmt, ...)
{
	va_list ap;

	if (a->quiet)
		return;
	buf_puts(&a->notes, "* ");
	va_start(ap, fmt);
	buf_vprintf(&a->notes, fmt, ap);
	va_end(ap);
	buf_puts(&a->notes, "\n");
	if (a->nmarks > 0 && (a->marks[a->nmarks - 1].at == a->note_at ||
			      a->nmarks == RAW_ANNOT_MARKS)) {
		a->marks[a->nmarks - 1].end = a->notes.len;
		return;
	}
	a->marks[a->nmarks++] = (struct raw_annot_mark){ a->note_at,
							 a->notes.len };
}

static void
annot_consume(struct raw_annot *a, size_t n)
{
	buf_consume(&a->in, n);
	a->pos += n;
}

bool
raw_annot_next_notes(const struct raw_annot *a, size_t *iter, uint64_t *at,
		     struct span *text)
{
	size_t i = *iter, from;

	if (i >= a->nmarks)
		return false;
	from = i > 0 ? a->marks[i - 1].end : 0;
	*at = a->marks[i].at;
	*text = (struct span){ a->notes.data + from, a->marks[i].end - from };
	*iter = i + 1;
	return true;
}

void
raw_annot_clear_notes(struct raw_annot *a)
{
	buf_reset(&a->notes);
	a->nmarks = 0;
}

static void
annot_stop(struct raw_annot *a, enum raw_annot_state why)
{
	a->state = why;
	buf_free(&a->in);
	http_stream_tunnel(&a->rd);
}

static const struct {
	unsigned bit;
	const char *name;
} annot_warnings[] = {
	{ HTTP_WARN_BARE_LF, "bare LF line endings" },
	{ HTTP_WARN_OBS_FOLD, "obsolete line folding" },
	{ HTTP_WARN_SPACE_BEFORE_COLON, "space before a colon" },
	{ HTTP_WARN_BAD_VALUE_CHAR, "control character in a value" },
	{ HTTP_WARN_BAD_NAME, "invalid header name" },
	{ HTTP_WARN_BAD_LENGTH, "bad Content-Length" },
	{ HTTP_WARN_CL_AND_TE, "Content-Length with Transfer-Encoding" },
	{ HTTP_WARN_BAD_TE, "bad Transfer-Encoding" },
	{ HTTP_WARN_BAD_START_LINE, "odd status line" },
	{ HTTP_WARN_HOST, "Host problem" },
	{ HTTP_WARN_TOO_MANY_HEADERS, "too many headers" },
};

/* "malformed: <first thing>" and the names of any others. */
static void
annot_warn(struct raw_annot *a, unsigned bits, const struct http_error *first)
{
	char text[512];
	size_t k = 0;

	if (bits == 0)
		return;
	if (first && first->what) {
		http_error_format(first, text, sizeof text);
		annot_note(a, "malformed: %s", text);
	}
	text[0] = 0;
	for (size_t i = 0; i < sizeof annot_warnings / sizeof *annot_warnings;
	     i++) {
		if (!(bits & annot_warnings[i].bit))
			continue;
		if (first && first->what &&
		    strstr(first->what, "LF") && annot_warnings[i].bit ==
		    HTTP_WARN_BARE_LF)
			continue;	/* already said */
		k += (size_t)snprintf(text + k, sizeof text - k, "%s%s",
				      k ? ", " : "", annot_warnings[i].name);
		if (k >= sizeof text)
			break;
	}
	if (text[0] && first && first->what)
		annot_note(a, "also tolerated: %s", text);
	else if (text[0])
		annot_note(a, "malformed: %s", text);
}

static void
annot_framing(struct raw_annot *a, const struct http_msg *m,
	      struct span method)
{
	switch (m->framing) {
	case HTTP_FRAME_LENGTH:
		annot_note(a, "body: Content-Length %" PRIu64,
			   m->content_length);
		break;
	case HTTP_FRAME_CHUNKED:
		annot_note(a, "body: chunked");
		break;
	case HTTP_FRAME_CLOSE:
		annot_note(a, "body: until the server closes the connection");
		break;
	case HTTP_FRAME_NONE:
		if (span_eq(method, "HEAD"))
			annot_note(a, "body: none (answer to HEAD)");
		else if (m->status == 204 || m->status == 304)
			annot_note(a, "body: none (status %d)", m->status);
		else
			annot_note(a, "body: none (Content-Length 0)");
		break;
	case HTTP_FRAME_TUNNEL:
		break;
	}
}

static void
annot_complete(struct raw_annot *a, const char *how)
{
	const struct http_body *b = &a->rd.body;
	char chunks[32] = "";

	a->complete++;
	raw_track_answered(a->track);
	if (b->framing == HTTP_FRAME_CHUNKED)
		snprintf(chunks, sizeof chunks, "%u chunk%s, ", b->chunks,
			 b->chunks == 1 ? "" : "s");
	annot_note(a, "response %lu complete: %s%" PRIu64 " body bytes%s%s",
		   a->responses, chunks, b->total, how,
		   !a->keep_alive && b->framing != HTTP_FRAME_CLOSE
		   ? "; the server will close the connection" : "");
	if (b->warnings & ~a->rd.msg.warnings)
		annot_warn(a, b->warnings & ~a->rd.msg.warnings, NULL);
	a->state = RAW_ANNOT_HEAD;
}

/* A whole head is in: say what it is and get ready for its body. */
static void
annot_head(struct raw_annot *a, struct span method)
{
	struct http_msg *m = &a->rd.msg;
	bool unrequested = method.len == 0;

	if (m->status / 100 == 1 && m->status != 101) {
		annot_note(a, "interim response: HTTP/%d.%d %d %.*s", m->major,
			   m->minor, m->status, (int)m->reason.len, m->reason.p);
		annot_warn(a, m->warnings, &m->warning);
		return;
	}
	a->responses++;
	annot_note(a, "response %lu%s%.*s: HTTP/%d.%d %d %.*s", a->responses,
		   unrequested ? " (no request pending)" : " to ",
		   (int)method.len, method.p ? method.p : "", m->major,
		   m->minor, m->status, (int)m->reason.len, m->reason.p);
	annot_warn(a, m->warnings, &m->warning);
	if (m->framing == HTTP_FRAME_TUNNEL) {
		a->complete++;
		raw_track_answered(a->track);
		raw_track_tunnel(a->track);
		annot_note(a, "switched protocols: what follows is not "
			   "HTTP/1.x and is shown as it is");
		annot_stop(a, RAW_ANNOT_TUNNEL);
		return;
	}
	annot_framing(a, m, method);
	a->keep_alive = m->keep_alive;
	a->state = RAW_ANNOT_BODY;	/* until the stream says it ended */
}

/* The stream could not go on: say why, then show the rest as it is. */
static void
annot_error(struct raw_annot *a, bool in_head)
{
	char text[512];

	http_error_format(&a->rd.err, text, sizeof text);
	if (in_head && a->track->state == RAW_TRACK_LOST &&
	    raw_track_pending(a->track) == 0)
		/* nothing HTTP was sent (an echo lab): no need to complain */
		annot_note(a, "the reply is not HTTP either; shown as it is");
	else if (in_head)
		annot_note(a, "not an HTTP response: %s; the rest is shown "
			   "as it is", text);
	else
		annot_note(a, "malformed body of response %lu: %s; the rest "
			   "is shown as it is", a->responses, text);
	if (!(in_head && a->track->state == RAW_TRACK_LOST &&
	      raw_track_pending(a->track) == 0))
		a->malformed = true;
	annot_stop(a, RAW_ANNOT_LOST);
}

/* One event of the response stream; false once waiting or stopped. */
static bool
annot_event(struct raw_annot *a)
{
	struct span in = buf_unread(&a->in);
	struct span method = raw_track_method(a->track);
	bool in_head = a->rd.state == HTTP_STREAM_HEAD;
	struct http_stream_event ev;
	enum http_stream_ev e = http_stream_next(&a->rd, in.p, in.len,
						 method, &ev);

	/* notes go after the bytes they are about; errors before them */
	a->note_at = a->pos + ev.consumed;
	switch (e) {
	case HTTP_EV_HEAD:
		annot_head(a, method);
		break;
	case HTTP_EV_END:
		if (a->state == RAW_ANNOT_BODY)
			annot_complete(a, "");
		break;
	case HTTP_EV_ERROR:
		annot_error(a, in_head);
		return false;
	default:
		break;
	}
	if (raw_annot_stopped(a))
		return false;
	annot_consume(a, ev.consumed);
	return e != HTTP_EV_NEED_MORE && e != HTTP_EV_TUNNEL;
}

int
raw_annot_feed(struct raw_annot *a, const char *p, size_t n)
{
	if (raw_annot_stopped(a))
		return 0;
	if (buf_append(&a->in, p, n) < 0)
		return -ENOMEM;
	while (annot_event(a))
		;
	if (!raw_annot_stopped(a))
		buf_compact(&a->in);
	return 0;
}

void
raw_annot_eof(struct raw_annot *a)
{
	struct http_error err;
	char text[512];

	a->note_at = a->pos + (a->in.len - a->in.off);
	if (a->state == RAW_ANNOT_BODY) {
		struct http_stream_event ev;

		if (http_stream_eof(&a->rd, &ev) == HTTP_EV_END) {
			annot_complete(a, " (ended by the close)");
			return;
		}
		err = a->rd.err;
		http_error_format(&err, text, sizeof text);
		annot_note(a, "response %lu cut short: %s", a->responses, text);
		a->cut_short = true;
	} else if (a->state == RAW_ANNOT_HEAD && a->in.len > a->in.off) {
		annot_note(a, "connection closed inside a response head "
			   "(%zu bytes)", a->in.len - a->in.off);
		a->cut_short = true;
	}
	annot_stop(a, RAW_ANNOT_LOST);
}

void
raw_annot_abandon(struct raw_annot *a)
{
	const struct http_body *b = &a->rd.body;

	a->note_at = a->pos + (a->in.len - a->in.off);
	if (a->state == RAW_ANNOT_BODY && !b->done) {
		if (b->framing == HTTP_FRAME_LENGTH)
			annot_note(a, "response %lu incomplete: %llu of %llu "
				   "body bytes when the connection was closed "
				   "here", a->responses,
				   (unsigned long long)b->total,
				   (unsigned long long)(b->total +
							b->remaining));
		else if (b->framing != HTTP_FRAME_CLOSE &&
			 b->framing != HTTP_FRAME_TUNNEL)
			annot_note(a, "response %lu incomplete: %llu body "
				   "bytes when the connection was closed here",
				   a->responses,
				   (unsigned long long)b->total);
	} else if (a->state == RAW_ANNOT_HEAD && a->in.len > a->in.off) {
		annot_note(a, "response head incomplete (%zu bytes) when the "
			   "connection was closed here",
			   a->in.len - a->in.off);
	}
}

bool
raw_annot_stopped(const struct raw_annot *a)
{
	return a->state == RAW_ANNOT_LOST || a->state == RAW_ANNOT_TUNNEL;
}
