/*
 * raw_io.c - moving the bytes of a `httptool raw` session (see
 * raw_session_int.h).
 *
 * Bytes typed or piped are converted (LF to CRLF), queued, and written as
 * the socket accepts them; every byte sent goes through raw_track so the
 * session knows how many requests wait for an answer.  Bytes received are
 * written to stdout untouched (or as a hex dump) and fed to raw_annot;
 * its notes go to stderr, each placed after the received bytes it is
 * about.  On a terminal, ^] opens the escape menu (raw_menu.c); while it
 * is open, input lines are menu commands and the server's output keeps
 * flowing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/exitcode.h"
#include "raw_menu.h"
#include "raw_session_int.h"

static int
session_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Text for stderr; starts a fresh line when the reply left one open. */
void
raw_io_say(struct raw_session *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (!s->out_nl && s->tty_out) {
		session_write_all(s->cfg->err_fd, "\n", 1);
		s->out_nl = true;
	}
	session_write_all(s->cfg->err_fd, p, n);
}

void
raw_io_sayf(struct raw_session *s, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&s->scratch);
	va_start(ap, fmt);
	buf_vprintf(&s->scratch, fmt, ap);
	va_end(ap);
	raw_io_say(s, s->scratch.data, s->scratch.len);
}

void
raw_io_notes(struct raw_session *s)
{
	struct buf *notes = &s->annot.notes;

	raw_io_say(s, notes->data, notes->len);
	raw_annot_clear_notes(&s->annot);
}

void
raw_io_fail(struct raw_session *s, const char *fmt, const char *why)
{
	char line[512];

	snprintf(line, sizeof line, fmt, s->peer, why);
	for (char *c = strstr(line, ": "); c; c = NULL)	/* strerror's capital */
		c[2] = (char)tolower((unsigned char)c[2]);
	raw_io_sayf(s, "httptool raw: %s\n", line);
	s->rc = EXIT_FAIL;
	s->done = true;
}

unsigned long
raw_io_unanswered(struct raw_session *s, unsigned skip, const char *why)
{
	unsigned long n = raw_track_pending(&s->track);
	char name[RAW_TRACK_METHOD + RAW_TRACK_TARGET + 32];

	for (unsigned i = skip; i < n; i++) {
		if (!raw_track_unanswered(&s->track, i, name, sizeof name))
			break;
		raw_io_sayf(s, "* request %s got no answer%s\n", name, why);
	}
	return n;
}

/* ---- sending ------------------------------------------------------ */

/* Append bytes to the send queue as they are and account for them. */
static void
queue_raw(struct raw_session *s, const char *p, size_t n)
{
	size_t before = s->out.len;

	buf_append(&s->out, p, n);
	raw_track_feed(&s->track, s->out.data + before, s->out.len - before);
}

/* Bytes of a Content-Length body still to come; 0 when not in one. */
static uint64_t
body_left(const struct raw_session *s)
{
	const struct http_body *b = &s->track.rd.body;

	if (s->track.state != RAW_TRACK_BODY || b->framing != HTTP_FRAME_LENGTH)
		return 0;
	return b->remaining;
}

/*
 * p[0..n) completes a Content-Length body (k bytes of it are the body).
 * When the body ends inside a typed line and the line goes on, say so
 * before sending: the rest will be read as the start of the next
 * request.  A bare line end right after the body is the Enter that ended
 * the line: no warning.
 */
static void
body_check_end(struct raw_session *s, const char *p, size_t n, size_t k)
{
	const char *nl = memchr(p + k, '\n', n - k);
	size_t extra = (nl ? (size_t)(nl - p) : n) - k;

	if (k > 0 && p[k - 1] == '\n')
		return;		/* the body ended with its line */
	if (extra > 0 && p[k + extra - 1] == '\r')
		extra--;
	if (extra == 0)
		return;
	raw_io_sayf(s, "* warning: the body is longer than its Content-Length "
		    "(%llu bytes): the %zu bytes after it on the line go out "
		    "as the start of the next request\n",
		    (unsigned long long)s->track.rd.msg.content_length, extra);
}

/*
 * Queue bytes for the server.  With convert, LF becomes CRLF in request
 * heads (and chunked framing, which is lines too); a body framed by
 * Content-Length goes out byte for byte unless --crlf-body.
 */
static void
session_queue(struct raw_session *s, const char *p, size_t n, bool convert)
{
	while (n > 0) {
		uint64_t left = convert && !s->cfg->crlf_body ? body_left(s) : 0;
		size_t k;

		if (left > 0) {
			k = left < n ? (size_t)left : n;
			if (k == left)
				body_check_end(s, p, n, k);
			queue_raw(s, p, k);
			s->crlf.last_cr = false;
		} else if (convert) {
			/* a line at a time: the head it ends may start a body */
			const char *nl = memchr(p, '\n', n);
			size_t before = s->out.len;

			k = nl ? (size_t)(nl - p) + 1 : n;
			raw_crlf_convert(&s->crlf, p, k, &s->out);
			raw_track_feed(&s->track, s->out.data + before,
				       s->out.len - before);
		} else {
			k = n;
			queue_raw(s, p, k);
		}
		p += k;
		n -= k;
	}
}

static void
session_dump(struct raw_session *s, char dir, const char *p, size_t n,
	     unsigned long long from)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(&s->scratch);
	raw_hex_dump(&s->scratch, dir, p, n, from, &now);
	if (session_write_all(s->cfg->out_fd, s->scratch.data,
			      s->scratch.len) < 0)
		s->done = true;
	s->out_nl = true;
}

void
raw_io_flush(struct raw_session *s)
{
	while (!s->done && s->out.len > s->out.off) {
		struct span u = buf_unread(&s->out);
		ssize_t w = raw_conn_write(&s->conn, u.p, u.len);

		if (w == -EAGAIN)
			break;
		if (w == -EPIPE || w == -ECONNRESET) {
			/* the server has gone: show what it sent before */
			s->input_open = false;
			s->peer_gone = true;
			buf_reset(&s->out);
			break;
		}
		if (w < 0) {
			raw_io_fail(s, "cannot send to %s: %s", strerror((int)-w));
			return;
		}
		if (s->cfg->hex)
			session_dump(s, '>', u.p, (size_t)w, s->sent);
		if (s->sent == 0)
			s->t_first_sent = (1e3 * clock_now());
		s->sent += (unsigned long long)w;
		s->t_last = (1e3 * clock_now());
		buf_consume(&s->out, (size_t)w);
	}
	if (s->out.off == s->out.len)
		buf_reset(&s->out);
	else if (s->out.off > RAW_IO_OUT_MAX)
		buf_compact(&s->out);
}

/* ---- the escape menu ---------------------------------------------- */

static void
session_status(struct raw_session *s)
{
	struct raw_menu_status st = {
		.peer = s->peer,
		.sent = s->sent,
		.received = s->received,
		.seconds = ((1e3 * clock_now()) - s->t_connected) / 1e3,
		.requests = s->track.sent,
		.answered = s->track.answered,
		.pending = raw_track_pending(&s->track),
		.mode = s->track.state == RAW_TRACK_TUNNEL ||
			s->annot.state == RAW_ANNOT_TUNNEL ? "tunnel" :
			s->track.state == RAW_TRACK_LOST ||
			s->annot.state == RAW_ANNOT_LOST ? "not HTTP" : "HTTP",
	};
	struct buf msg = BUF_INIT;

	raw_menu_status_text(&st, &msg);
	raw_io_say(s, msg.data, msg.len);
	buf_free(&msg);
}

static void
session_menu_line(struct raw_session *s, const char *line, size_t n)
{
	struct buf send = BUF_INIT, msg = BUF_INIT;
	enum raw_menu_action a = raw_menu_parse(line, n, &send, &msg);

	raw_io_say(s, msg.data, msg.len);
	switch (a) {
	case RAW_MENU_SEND:
		session_queue(s, send.data, send.len, false);
		raw_io_sayf(s, "%s", RAW_MENU_PROMPT);
		break;
	case RAW_MENU_STATUS:
		session_status(s);
		raw_io_sayf(s, "%s", RAW_MENU_PROMPT);
		break;
	case RAW_MENU_CLOSE:
		raw_io_sayf(s, "Connection closed.\n");
		s->done = true;
		break;
	case RAW_MENU_QUIT:
		s->done = true;
		break;
	case RAW_MENU_STAY:
		raw_io_sayf(s, "%s", RAW_MENU_PROMPT);
		break;
	case RAW_MENU_RESUME:
		break;
	}
	/* the menu stays until an empty line (or ^]), as its help says */
	s->menu = a == RAW_MENU_STAY || a == RAW_MENU_SEND ||
		  a == RAW_MENU_STATUS;
	buf_free(&send);
	buf_free(&msg);
}

/* Input typed while the menu is open: complete lines are commands. */
static size_t
session_menu_input(struct raw_session *s, const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	const char *esc = memchr(p, RAW_ESCAPE_CHAR, nl ? (size_t)(nl - p) : n);
	size_t take = nl ? (size_t)(nl - p) + 1 : n;

	if (esc) {		/* ^] again: back to the connection */
		buf_reset(&s->menu_line);
		s->menu = false;
		raw_io_say(s, "\n", 1);
		return (size_t)(esc - p) + 1;
	}
	buf_append(&s->menu_line, p, take);
	if (nl) {
		session_menu_line(s, s->menu_line.data, s->menu_line.len);
		buf_reset(&s->menu_line);
	}
	return take;
}

/* ---- input -------------------------------------------------------- */

static void
session_input(struct raw_session *s, const char *p, size_t n)
{
	while (n > 0 && !s->done) {
		const char *esc;
		size_t k;

		if (s->menu) {
			k = session_menu_input(s, p, n);
			p += k;
			n -= k;
			continue;
		}
		esc = s->tty_in ? memchr(p, RAW_ESCAPE_CHAR, n) : NULL;
		k = esc ? (size_t)(esc - p) : n;
		session_queue(s, p, k, !s->cfg->binary);
		if (esc == NULL)
			break;
		s->menu = true;
		raw_io_sayf(s, "\n%s", RAW_MENU_PROMPT);
		p += k + 1;
		n -= k + 1;
	}
}

void
raw_io_read_input(struct raw_session *s)
{
	char in[RAW_IO_READ];
	ssize_t r = read(s->cfg->in_fd, in, sizeof in);

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		s->input_open = false;
		s->menu = false;
		return;
	}
	session_input(s, in, (size_t)r);
}

/* ---- receiving ---------------------------------------------------- */

/* Received bytes to stdout, untouched; remember how the line ends. */
static void
session_out(struct raw_session *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (session_write_all(s->cfg->out_fd, p, n) < 0)
		s->done = true;
	s->out_nl = p[n - 1] == '\n';
}

static void
session_got(struct raw_session *s, const char *p, size_t n)
{
	double now = (1e3 * clock_now());
	unsigned long long start = s->received;
	struct span text;
	uint64_t at;
	size_t it = 0, done = 0;

	if (s->received == 0)
		s->t_first_recv = now;
	s->received += n;
	s->t_last = s->t_last_recv = now;
	raw_annot_feed(&s->annot, p, n);
	if (s->cfg->hex) {
		session_dump(s, '<', p, n, start);
		raw_io_notes(s);
		return;
	}
	/* each note right after the bytes it is about */
	while (raw_annot_next_notes(&s->annot, &it, &at, &text)) {
		size_t upto = at <= start ? 0 : at - start > n ? n
							 : (size_t)(at - start);
		if (upto > done) {
			session_out(s, p + done, upto - done);
			done = upto;
		}
		raw_io_say(s, text.p, text.len);
	}
	session_out(s, p + done, n - done);
	raw_annot_clear_notes(&s->annot);
}

void
raw_io_read_sock(struct raw_session *s)
{
	char in[RAW_IO_READ];

	for (int i = 0; i < 16 && !s->done; i++) {
		ssize_t r = raw_conn_read(&s->conn, in, sizeof in);

		if (r == -EAGAIN)
			return;
		if (r == -ECONNRESET && raw_track_pending(&s->track) == 0) {
			/* answered, then reset (unread input at its close) */
			raw_io_sayf(s, "Connection reset by foreign host.\n");
			s->done = true;
			return;
		}
		if (r < 0) {
			raw_io_fail(s, "connection to %s broke: %s",
				     r == -EPROTO ? "TLS error" :
				     r == -ECONNRESET ? "reset by the server"
						      : strerror((int)-r));
			return;
		}
		if (r == 0) {
			bool http = !raw_annot_stopped(&s->annot);
			unsigned long owed;

			raw_annot_eof(&s->annot);
			raw_io_notes(s);
			/* the one cut short had part of an answer */
			owed = http ? raw_io_unanswered(s, s->annot.cut_short,
				" (the server closed the connection)") : 0;
			raw_io_sayf(s, "Connection closed by foreign host.\n");
			/* curl's codes, so scripts can tell (issue 9) */
			if (s->rc == EXIT_OK && s->annot.cut_short)
				s->rc = EXIT_CURL_PARTIAL;
			else if (s->rc == EXIT_OK && owed > 0)
				s->rc = EXIT_CURL_EMPTY_REPLY;
			s->done = true;
			return;
		}
		session_got(s, in, (size_t)r);
	}
}
