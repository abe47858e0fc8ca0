/*
 * raw_session.c - the event loop of `httptool raw` (see raw_session.h).
 *
 * One connection, so plain poll() over at most two descriptors: the input
 * (stdin) and the socket.  Bytes typed or piped are converted (LF to
 * CRLF), queued, and written as the socket accepts them; every byte sent
 * goes through raw_track so the loop knows how many requests wait for an
 * answer.  Bytes received are written to stdout untouched (or as a hex
 * dump) and fed to raw_annot, whose notes go to stderr.  Timers (idle,
 * linger, quiet-after-input) are deadlines checked around poll().
 *
 * On a terminal, ^] opens the escape menu (raw_menu.c); while it is open,
 * input lines are menu commands and the server's output keeps flowing.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcode.h"
#include "raw_annot.h"
#include "raw_menu.h"
#include "raw_session.h"
#include "raw_text.h"
#include "raw_track.h"

#define SESSION_READ 65536
#define SESSION_OUT_MAX (256 * 1024)	/* stop reading input above this */
#define SESSION_QUIET_MS 1000		/* non-HTTP: close after this quiet */

struct session {
	const struct raw_config *cfg;
	struct raw_conn conn;
	struct buf out;			/* queued for the server */
	struct buf scratch;		/* conversions, dumps, messages */
	struct buf menu_line;		/* partial line typed at the prompt */
	struct raw_crlf crlf;
	struct raw_track track;
	struct raw_annot annot;
	char peer[160];			/* "HOST port N" or the socket path */
	bool tty_in, tty_out, menu;
	bool input_open;		/* stdin not at end yet */
	bool eof_acted;			/* end-of-input rule started */
	bool out_nl;			/* last byte to stdout was a LF */
	bool peer_gone;			/* sending failed: wait for the read
					   side to report the end */
	bool done;
	int rc;
	double t_start, t_connected, t_tls, t_first_sent, t_first_recv;
	double t_last, t_last_recv, t_eof;
	unsigned long long sent, received;
};

static double
session_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

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
static void
session_say(struct session *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (!s->out_nl && s->tty_out) {
		session_write_all(s->cfg->err_fd, "\n", 1);
		s->out_nl = true;
	}
	session_write_all(s->cfg->err_fd, p, n);
}

static void
session_sayf(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
session_sayf(struct session *s, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&s->scratch);
	va_start(ap, fmt);
	buf_vprintf(&s->scratch, fmt, ap);
	va_end(ap);
	session_say(s, s->scratch.data, s->scratch.len);
}

static void
session_flush_notes(struct session *s)
{
	struct buf *notes = &s->annot.notes;

	session_say(s, notes->data, notes->len);
	buf_reset(notes);
}

static void
session_fail(struct session *s, const char *fmt, const char *why)
{
	char line[512];

	snprintf(line, sizeof line, fmt, s->peer, why);
	for (char *c = strstr(line, ": "); c; c = NULL)	/* strerror's capital */
		c[2] = (char)tolower((unsigned char)c[2]);
	session_sayf(s, "httptool raw: %s\n", line);
	s->rc = EXIT_FAIL;
	s->done = true;
}

/* ---- connecting --------------------------------------------------- */

static int
session_connect(struct session *s)
{
	const struct raw_config *c = s->cfg;
	char err[512], tls[512];
	int r;

	if (c->unix_path) {
		snprintf(s->peer, sizeof s->peer, "%s", c->unix_path);
		r = raw_conn_unix(&s->conn, c->unix_path, err, sizeof err);
	} else {
		r = raw_conn_tcp(&s->conn, c->host, c->port,
				 c->connect_timeout_ms, err, sizeof err);
		snprintf(s->peer, sizeof s->peer, "%s port %d", c->host,
			 s->conn.port);
	}
	s->t_connected = session_now();
	if (r == 0 && c->tls) {
		r = raw_conn_tls(&s->conn, c->unix_path ? "localhost" : c->host,
				 &c->tls_opts, c->connect_timeout_ms, err,
				 sizeof err);
		s->t_tls = session_now();
	}
	if (r < 0) {
		session_sayf(s, "httptool raw: %s\n", err);
		return -1;
	}
	if (c->unix_path)
		session_sayf(s, "Connected to %s.\n", c->unix_path);
	else
		session_sayf(s, "Connected to %s (%s) port %d.\n", c->host,
			     s->conn.addr, s->conn.port);
	if (c->tls && c->annotate) {
		raw_conn_tls_describe(&s->conn, tls, sizeof tls);
		session_sayf(s, "* TLS: %s\n", tls);
	}
	if (s->tty_in)
		session_sayf(s, "Escape character is '^]'.\n");
	return 0;
}

/* ---- sending ------------------------------------------------------ */

/* Queue bytes for the server; convert line endings when asked. */
static void
session_queue(struct session *s, const char *p, size_t n, bool convert)
{
	size_t before = s->out.len;

	if (convert)
		raw_crlf_convert(&s->crlf, p, n, &s->out);
	else
		buf_append(&s->out, p, n);
	raw_track_feed(&s->track, s->out.data + before, s->out.len - before);
}

static void
session_dump(struct session *s, char dir, const char *p, size_t n,
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

static void
session_flush(struct session *s)
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
			session_fail(s, "cannot send to %s: %s", strerror((int)-w));
			return;
		}
		if (s->cfg->hex)
			session_dump(s, '>', u.p, (size_t)w, s->sent);
		if (s->sent == 0)
			s->t_first_sent = session_now();
		s->sent += (unsigned long long)w;
		s->t_last = session_now();
		buf_consume(&s->out, (size_t)w);
	}
	if (s->out.off == s->out.len)
		buf_reset(&s->out);
	else if (s->out.off > SESSION_OUT_MAX)
		buf_compact(&s->out);
}

/* ---- the escape menu ---------------------------------------------- */

static void
session_status(struct session *s)
{
	struct raw_menu_status st = {
		.peer = s->peer,
		.sent = s->sent,
		.received = s->received,
		.seconds = (session_now() - s->t_connected) / 1e3,
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
	session_say(s, msg.data, msg.len);
	buf_free(&msg);
}

static void
session_menu_line(struct session *s, const char *line, size_t n)
{
	struct buf send = BUF_INIT, msg = BUF_INIT;
	enum raw_menu_action a = raw_menu_parse(line, n, &send, &msg);

	session_say(s, msg.data, msg.len);
	switch (a) {
	case RAW_MENU_SEND:
		session_queue(s, send.data, send.len, false);
		break;
	case RAW_MENU_STATUS:
		session_status(s);
		break;
	case RAW_MENU_CLOSE:
		session_sayf(s, "Connection closed.\n");
		s->done = true;
		break;
	case RAW_MENU_QUIT:
		s->done = true;
		break;
	case RAW_MENU_STAY:
		session_sayf(s, "%s", RAW_MENU_PROMPT);
		break;
	case RAW_MENU_RESUME:
		break;
	}
	s->menu = a == RAW_MENU_STAY;
	buf_free(&send);
	buf_free(&msg);
}

/* Input typed while the menu is open: complete lines are commands. */
static size_t
session_menu_input(struct session *s, const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	const char *esc = memchr(p, RAW_ESCAPE_CHAR, nl ? (size_t)(nl - p) : n);
	size_t take = nl ? (size_t)(nl - p) + 1 : n;

	if (esc) {		/* ^] again: back to the connection */
		buf_reset(&s->menu_line);
		s->menu = false;
		session_say(s, "\n", 1);
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
session_input(struct session *s, const char *p, size_t n)
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
		session_sayf(s, "\n%s", RAW_MENU_PROMPT);
		p += k + 1;
		n -= k + 1;
	}
}

static void
session_read_input(struct session *s)
{
	char in[SESSION_READ];
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

static void
session_got(struct session *s, const char *p, size_t n)
{
	double now = session_now();

	if (s->received == 0)
		s->t_first_recv = now;
	if (s->cfg->hex) {
		session_dump(s, '<', p, n, s->received);
	} else {
		if (session_write_all(s->cfg->out_fd, p, n) < 0)
			s->done = true;
		s->out_nl = p[n - 1] == '\n';
	}
	s->received += n;
	s->t_last = s->t_last_recv = now;
	raw_annot_feed(&s->annot, p, n);
	session_flush_notes(s);
}

static void
session_read_sock(struct session *s)
{
	char in[SESSION_READ];

	for (int i = 0; i < 16 && !s->done; i++) {
		ssize_t r = raw_conn_read(&s->conn, in, sizeof in);

		if (r == -EAGAIN)
			return;
		if (r == -ECONNRESET && raw_track_pending(&s->track) == 0) {
			/* answered, then reset (unread input at its close) */
			session_sayf(s, "Connection reset by foreign host.\n");
			s->done = true;
			return;
		}
		if (r < 0) {
			session_fail(s, "connection to %s broke: %s",
				     r == -EPROTO ? "TLS error" :
				     r == -ECONNRESET ? "reset by the server"
						      : strerror((int)-r));
			return;
		}
		if (r == 0) {
			raw_annot_eof(&s->annot);
			session_flush_notes(s);
			session_sayf(s, "Connection closed by foreign host.\n");
			s->done = true;
			return;
		}
		session_got(s, in, (size_t)r);
	}
}

/* ---- ending ------------------------------------------------------- */

/* After the input ended: ms until the rule says close (<= 0: now,
 * HUGE_VAL: only when the server closes). */
static double
session_eof_wait(struct session *s, double now)
{
	const struct raw_config *c = s->cfg;
	/* not HTTP any more, or the server said it will close: give it a
	 * quiet second (its close usually comes first) */
	bool stopped = raw_annot_stopped(&s->annot) ||
		       s->track.state == RAW_TRACK_LOST ||
		       s->track.state == RAW_TRACK_TUNNEL ||
		       (s->annot.complete > 0 && !s->annot.keep_alive);
	double quiet_from;

	switch (c->eof_rule) {
	case RAW_EOF_LINGER:
		return s->t_eof + c->linger_ms - now;
	case RAW_EOF_HALF_CLOSE:
	case RAW_EOF_KEEP_OPEN:
		return HUGE_VAL;
	case RAW_EOF_WAIT:
		break;
	}
	if (raw_track_pending(&s->track) > 0 && !raw_annot_stopped(&s->annot))
		return HUGE_VAL;
	if (!stopped)
		return 0;
	quiet_from = s->t_last_recv > s->t_eof ? s->t_last_recv : s->t_eof;
	return quiet_from + SESSION_QUIET_MS - now;
}

static void
session_start_eof(struct session *s, double now)
{
	s->eof_acted = true;
	s->t_eof = now;
	if (s->cfg->eof_rule == RAW_EOF_HALF_CLOSE)
		raw_conn_shutdown_write(&s->conn);
	if (s->cfg->annotate && raw_track_partial(&s->track))
		session_sayf(s, "* input ended inside a request; it was not "
			     "sent complete\n");
}

/* Check the timers; returns the poll timeout in ms (-1: none). */
static int
session_timers(struct session *s)
{
	const struct raw_config *c = s->cfg;
	double now = session_now(), wait = -1, w;

	if (c->idle_ms > 0) {
		w = s->t_last + c->idle_ms - now;
		if (w <= 0) {
			session_sayf(s, "Connection closed (no traffic for "
				     "%.3g s).\n", c->idle_ms / 1e3);
			s->done = true;
			return 0;
		}
		wait = w;
	}
	if (!s->input_open && s->out.len == s->out.off && !s->peer_gone) {
		if (!s->eof_acted)
			session_start_eof(s, now);
		w = session_eof_wait(s, now);
		if (w <= 0) {
			s->done = true;
			return 0;
		}
		if (w < HUGE_VAL && (wait < 0 || w < wait))
			wait = w;
	}
	return wait < 0 ? -1 : (int)wait + 1;
}

static void
session_stats(struct session *s)
{
	double end = session_now();

	session_sayf(s, "stats: connect %.3f ms", s->t_connected - s->t_start);
	if (s->t_tls > 0)
		session_sayf(s, ", TLS handshake %.3f ms",
			     s->t_tls - s->t_connected);
	if (s->t_first_recv > 0)
		session_sayf(s, ", first byte %.3f ms after %s",
			     s->t_first_recv - (s->t_first_sent > 0 &&
			     s->t_first_sent < s->t_first_recv ?
			     s->t_first_sent : s->t_connected),
			     s->t_first_sent > 0 && s->t_first_sent <
			     s->t_first_recv ? "sending" : "connecting");
	session_sayf(s, ", connected %.3f s\n", (end - s->t_connected) / 1e3);
	session_sayf(s, "stats: sent %llu bytes, received %llu bytes, "
		     "%lu requests, %lu answered\n", s->sent, s->received,
		     s->track.sent, s->track.answered);
}

/* ---- the loop ----------------------------------------------------- */

static void
session_loop(struct session *s)
{
	while (!s->done) {
		struct pollfd pfd[2];
		int timeout = session_timers(s), n = 0, r;
		int in_ix = -1;

		if (s->done)
			break;
		pfd[n++] = (struct pollfd){ s->conn.fd, POLLIN, 0 };
		if (s->out.len > s->out.off)
			pfd[0].events |= POLLOUT;
		if (s->input_open && s->out.len - s->out.off < SESSION_OUT_MAX) {
			in_ix = n;
			pfd[n++] = (struct pollfd){ s->cfg->in_fd, POLLIN, 0 };
		}
		r = poll(pfd, (nfds_t)n, timeout);
		if (r < 0 && errno != EINTR) {
			session_fail(s, "poll failed for %s: %s",
				     strerror(errno));
			break;
		}
		if (r <= 0)
			continue;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			session_read_sock(s);
		if (in_ix >= 0 && pfd[in_ix].revents && !s->done)
			session_read_input(s);
		if (!s->done)
			session_flush(s);
	}
}

int
raw_session_run(const struct raw_config *cfg)
{
	struct session s;

	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.conn = (struct raw_conn)RAW_CONN_INIT;
	s.tty_in = isatty(cfg->in_fd);
	s.tty_out = isatty(cfg->out_fd) && isatty(cfg->err_fd);
	s.out_nl = true;
	s.input_open = true;
	s.rc = EXIT_OK;
	raw_track_init(&s.track);
	raw_annot_init(&s.annot, &s.track, !cfg->annotate);
	s.t_start = session_now();
	if (session_connect(&s) < 0) {
		s.rc = EXIT_FAIL;
	} else {
		s.t_last = session_now();
		if (s.tty_in)
			raw_tty_escape_on(cfg->in_fd);
		session_loop(&s);
		raw_tty_restore();
		if (cfg->stats)
			session_stats(&s);
	}
	raw_conn_close(&s.conn);
	raw_annot_free(&s.annot);
	raw_track_free(&s.track);
	buf_free(&s.out);
	buf_free(&s.scratch);
	buf_free(&s.menu_line);
	return s.rc;
}
