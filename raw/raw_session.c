/*
 * raw_session.c - one `httptool raw` session (see raw_session.h):
 * connect, then an event loop (lib/loop) over at most two descriptors
 * (the input and the socket) until the input has ended and the
 * end-of-input rule says to stop, or the server closes.  Timers (idle,
 * linger, quiet-after-input) are deadlines checked before each wait.
 * Moving the bytes is raw_io.c's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/exitcode.h"
#include "lib/loop.h"
#include "raw_menu.h"
#include "raw_session_int.h"

#define SESSION_QUIET_MS 1000		/* non-HTTP: close after this quiet */

/* ---- connecting --------------------------------------------------- */

static int
session_connect(struct raw_session *s)
{
	const struct raw_config *c = s->cfg;
	char err[512], tls[512];
	int r;

	if (c->unix_path) {
		snprintf(s->peer, sizeof s->peer, "%s", c->unix_path);
		r = raw_conn_unix(&s->conn, c->unix_path, err, sizeof err);
	} else {
		/* like telnet; a port nobody typed is said out loud */
		if (c->port_defaulted)
			raw_io_sayf(s, "Trying %s (port %s, the default for "
				    "%s)...\n", c->host, c->port,
				    c->tls ? "https" : "http");
		else
			raw_io_sayf(s, "Trying %s (port %s)...\n", c->host,
				    c->port);
		r = raw_conn_tcp(&s->conn, c->host, c->port,
				 c->connect_timeout_ms, err, sizeof err);
		snprintf(s->peer, sizeof s->peer, "%s port %d", c->host,
			 s->conn.port);
	}
	s->t_connected = (1e3 * clock_now());
	if (r == 0 && c->tls) {
		r = raw_conn_tls(&s->conn, c->unix_path ? "localhost" : c->host,
				 &c->tls_opts, c->connect_timeout_ms, err,
				 sizeof err);
		s->t_tls = (1e3 * clock_now());
	}
	if (r < 0) {
		raw_io_sayf(s, "httptool raw: %s\n", err);
		return -1;
	}
	if (c->unix_path)
		raw_io_sayf(s, "Connected to %s.\n", c->unix_path);
	else
		raw_io_sayf(s, "Connected to %s (%s) port %d.\n", c->host,
			     s->conn.addr, s->conn.port);
	if (c->tls && c->annotate) {
		raw_conn_tls_describe(&s->conn, tls, sizeof tls);
		raw_io_sayf(s, "* TLS: %s\n", tls);
	}
	return 0;
}

/* ---- ending ------------------------------------------------------- */

/* After the input ended: ms until the rule says close (<= 0: now,
 * HUGE_VAL: only when the server closes). */
static double
session_eof_wait(struct raw_session *s, double now)
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
session_start_eof(struct raw_session *s, double now)
{
	s->eof_acted = true;
	s->t_eof = now;
	if (s->cfg->eof_rule == RAW_EOF_HALF_CLOSE)
		raw_conn_shutdown_write(&s->conn);
	if (raw_track_partial(&s->track) && s->track.state == RAW_TRACK_BODY &&
	    s->track.rd.body.framing == HTTP_FRAME_LENGTH) {
		const struct http_body *b = &s->track.rd.body;

		raw_io_sayf(s, "* warning: input ended inside the body of "
			    "request %lu: Content-Length %llu, %llu bytes "
			    "sent; the server waits for %llu more\n",
			    s->track.sent,
			    (unsigned long long)s->track.rd.msg.content_length,
			    (unsigned long long)b->total,
			    (unsigned long long)b->remaining);
	} else if (s->cfg->annotate && raw_track_partial(&s->track)) {
		raw_io_sayf(s, "* input ended inside a request; it was not "
			     "sent complete\n");
	}
}

/* Check the timers; returns the poll timeout in ms (-1: none). */
static int
session_timers(struct raw_session *s)
{
	const struct raw_config *c = s->cfg;
	double now = (1e3 * clock_now()), wait = -1, w;

	if (c->idle_ms > 0) {
		w = s->t_last + c->idle_ms - now;
		if (w <= 0) {
			bool http = !raw_annot_stopped(&s->annot);
			unsigned partial = s->annot.state == RAW_ANNOT_BODY;

			raw_annot_abandon(&s->annot);
			raw_io_notes(s);
			/* curl's "operation timed out" when owed an answer */
			if (http && raw_io_unanswered(s, partial,
						      " (-i expired)") > 0 &&
			    s->rc == EXIT_OK)
				s->rc = EXIT_CURL_TIMEOUT;
			raw_io_sayf(s, "Connection closed (no traffic for "
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
			bool http = !raw_annot_stopped(&s->annot);
			unsigned partial = s->annot.state == RAW_ANNOT_BODY;

			raw_annot_abandon(&s->annot);
			raw_io_notes(s);
			if (http)
				raw_io_unanswered(s, partial, " (closed at the "
						  "end of input)");
			s->done = true;
			return 0;
		}
		if (w < HUGE_VAL && (wait < 0 || w < wait))
			wait = w;
	}
	return wait < 0 ? -1 : (int)wait + 1;
}

/* --stats: timings from the connect call, time to first byte from the
 * first byte sent (or from connecting when the server spoke first). */
static void
session_stats(struct raw_session *s)
{
	bool after_send = s->t_first_sent > 0 &&
			  s->t_first_sent <= s->t_first_recv;
	double from = after_send ? s->t_first_sent
				 : s->t_tls > 0 ? s->t_tls : s->t_connected;

	raw_io_sayf(s, "stats: connect %.3f ms", s->t_connected - s->t_start);
	if (s->t_tls > 0)
		raw_io_sayf(s, ", TLS handshake %.3f ms",
			    s->t_tls - s->t_connected);
	if (s->t_first_recv > 0)
		raw_io_sayf(s, ", first byte %.3f ms after %s",
			    s->t_first_recv - from,
			    after_send ? "sending" : "connecting");
	raw_io_sayf(s, ", connected %.3f s\n",
		    ((1e3 * clock_now()) - s->t_connected) / 1e3);
	raw_io_sayf(s, "stats: sent %llu bytes, received %llu bytes, "
		    "%lu requests, %lu answered\n", s->sent, s->received,
		    s->track.sent, s->track.answered);
}

/* ---- the loop ----------------------------------------------------- */

/* The session on lib/loop: the socket always, the input while it is open
 * and the queue has room, one timer for the nearest deadline. */
struct session_run {
	struct raw_session *s;
	long long timer;
	bool in_watched;
};

/* After reading either side: send what is queued, or end the loop. */
static void
session_flush(struct loop *l, struct raw_session *s)
{
	if (!s->done)
		raw_io_flush(s);
	if (s->done)
		loop_stop(l);
}

static void
session_on_sock(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct raw_session *s = ((struct session_run *)arg)->s;

	(void)fd;
	if (ev & (LOOP_READ | LOOP_HUP))
		raw_io_read_sock(s);
	session_flush(l, s);
}

static void
session_on_input(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct raw_session *s = ((struct session_run *)arg)->s;

	(void)fd;
	(void)ev;
	if (s->input_open && !s->done)
		raw_io_read_input(s);
	session_flush(l, s);
}

static void
session_on_timer(struct loop *l, long long id, void *arg)
{
	(void)l;
	(void)id;
	((struct session_run *)arg)->timer = 0;	/* the hook looks again */
}

/* Before each wait: act on the deadlines, then say what to wait for. */
static void
session_arm(struct loop *l, void *arg)
{
	struct session_run *r = arg;
	struct raw_session *s = r->s;
	int timeout = session_timers(s);
	bool want_in;

	if (s->done) {
		loop_stop(l);
		return;
	}
	loop_mod_fd(l, s->conn.fd, LOOP_READ |
		    (s->out.len > s->out.off ? LOOP_WRITE : 0));
	want_in = s->input_open && s->out.len - s->out.off < RAW_IO_OUT_MAX;
	if (want_in && !r->in_watched)
		r->in_watched = loop_add_fd(l, s->cfg->in_fd, LOOP_READ,
					    session_on_input, r) == 0;
	else if (!want_in && r->in_watched) {
		loop_del_fd(l, s->cfg->in_fd);	/* a hung-up pipe stays
						   ready: stop watching */
		r->in_watched = false;
	}
	if (r->timer)
		loop_del_timer(l, r->timer);
	r->timer = timeout >= 0 ? loop_add_timer(l, timeout,
						 session_on_timer, r) : 0;
	if (r->timer < 0)
		r->timer = 0;
}

static void
session_loop(struct raw_session *s)
{
	struct session_run r = { .s = s };
	struct loop *l = loop_new();
	int e;

	if (!l || loop_add_fd(l, s->conn.fd, LOOP_READ, session_on_sock,
			      &r) < 0) {
		raw_io_fail(s, "cannot watch the connection to %s: %s",
			    strerror(errno));
		loop_free(l);
		return;
	}
	loop_set_before_sleep(l, session_arm, &r);
	e = loop_run(l);
	if (e < 0 && !s->done)
		raw_io_fail(s, "waiting for %s failed: %s", strerror(-e));
	loop_free(l);
}

/* Do stdout and stderr end up on one screen or in one file (2>&1)?  Then
 * notes must start on a line of their own. */
static bool
session_shared_out(const struct raw_config *cfg)
{
	struct stat a, b;

	if (isatty(cfg->out_fd) && isatty(cfg->err_fd))
		return true;
	return fstat(cfg->out_fd, &a) == 0 && fstat(cfg->err_fd, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

enum exit_code
raw_session_run(const struct raw_config *cfg)
{
	struct raw_session s;

	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.conn = (struct raw_conn)RAW_CONN_INIT;
	s.tty_in = isatty(cfg->in_fd);
	s.tty_out = session_shared_out(cfg);
	s.out_nl = true;
	s.input_open = true;
	s.rc = EXIT_OK;
	raw_track_init(&s.track);
	raw_annot_init(&s.annot, &s.track, !cfg->annotate);
	s.t_start = (1e3 * clock_now());
	if (session_connect(&s) < 0) {
		s.rc = EXIT_FAIL;
	} else {
		s.t_last = (1e3 * clock_now());
		/* the hint only once ^] works: typed earlier, it would sit
		   in the terminal's line buffer */
		if (s.tty_in && raw_tty_escape_on(cfg->in_fd) == 0)
			raw_io_sayf(&s, "Escape character is '^]'.\n");
		session_loop(&s);
		raw_tty_restore();
		/* curl's "weird server reply", after the notes that said why */
		if (s.rc == EXIT_OK && s.annot.malformed)
			s.rc = EXIT_CURL_WEIRD_REPLY;
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
