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
	a->last_len = 0;
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
	const struct http_body *b = &a->body;
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
	if (b->warnings & ~a->msg.warnings)
		annot_warn(a, b->warnings & ~a->msg.warnings, NULL);
	a->state = RAW_ANNOT_HEAD;
}

/* A whole head is in: say what it is and get ready for its body. */
static void
annot_head(struct raw_annot *a, struct span method)
{
	struct http_msg *m = &a->msg;
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
	http_body_init(&a->body, m, HTTP_LENIENT);
	if (a->body.done)
		annot_complete(a, "");
	else
		a->state = RAW_ANNOT_BODY;
}

/* 1 progress, 0 need more, -1 stopped. */
static int
annot_step_head(struct raw_annot *a, struct span in)
{
	struct span method = raw_track_method(a->track);
	struct http_error err;
	char text[512];
	int r;

	a->msg.headers = a->hdrs;
	a->msg.max_headers = RAW_ANNOT_MAX_HEADERS;
	r = http_parse_response(in.p, in.len, a->last_len, HTTP_LENIENT, NULL,
				method, &a->msg, &err);
	if (r == HTTP_INCOMPLETE) {
		a->last_len = in.len;
		return 0;
	}
	a->note_at = a->pos;	/* errors: before the bytes they are about */
	if (r < 0 && a->track->state == RAW_TRACK_LOST &&
	    raw_track_pending(a->track) == 0) {
		/* nothing HTTP was sent (an echo lab): no need to complain */
		annot_note(a, "the reply is not HTTP either; shown as it is");
		annot_stop(a, RAW_ANNOT_LOST);
		return -1;
	}
	if (r < 0) {
		http_error_format(&err, text, sizeof text);
		annot_note(a, "not an HTTP response: %s; the rest is shown "
			   "as it is", text);
		annot_stop(a, RAW_ANNOT_LOST);
		return -1;
	}
	a->last_len = 0;
	a->note_at = a->pos + (size_t)r;
	annot_head(a, method);
	annot_consume(a, (size_t)r);
	return a->state == RAW_ANNOT_TUNNEL ? -1 : 1;
}

static int
annot_step_body(struct raw_annot *a, struct span in)
{
	struct http_error err;
	struct span data;
	char text[512];
	long r = http_body_decode(&a->body, in.p, in.len, &data, &err);

	a->note_at = a->pos + (r > 0 ? (size_t)r : 0);
	if (r < 0) {
		http_error_format(&err, text, sizeof text);
		annot_note(a, "malformed body of response %lu: %s; the rest "
			   "is shown as it is", a->responses, text);
		annot_stop(a, RAW_ANNOT_LOST);
		return -1;
	}
	annot_consume(a, (size_t)r);
	if (a->body.done) {
		annot_complete(a, "");
		return 1;
	}
	return r > 0 ? 1 : 0;
}

int
raw_annot_feed(struct raw_annot *a, const char *p, size_t n)
{
	int r = 1;

	if (raw_annot_stopped(a))
		return 0;
	if (buf_append(&a->in, p, n) < 0)
		return -ENOMEM;
	while (r > 0) {
		struct span in = buf_unread(&a->in);

		if (in.len == 0)
			break;
		r = a->state == RAW_ANNOT_HEAD ? annot_step_head(a, in)
					       : annot_step_body(a, in);
	}
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
		if (http_body_eof(&a->body, &err) == 0) {
			annot_complete(a, " (ended by the close)");
			return;
		}
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
	a->note_at = a->pos + (a->in.len - a->in.off);
	if (a->state == RAW_ANNOT_BODY && !a->body.done) {
		if (a->body.framing == HTTP_FRAME_LENGTH)
			annot_note(a, "response %lu incomplete: %llu of %llu "
				   "body bytes when the connection was closed "
				   "here", a->responses,
				   (unsigned long long)a->body.total,
				   (unsigned long long)(a->body.total +
							a->body.remaining));
		else if (a->body.framing != HTTP_FRAME_CLOSE &&
			 a->body.framing != HTTP_FRAME_TUNNEL)
			annot_note(a, "response %lu incomplete: %llu body "
				   "bytes when the connection was closed here",
				   a->responses,
				   (unsigned long long)a->body.total);
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
