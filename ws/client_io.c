/*
 * client_io.c - the `httptool ws` session after the handshake: one
 * poll() loop over the socket and stdin, a ping timer, and the closing
 * handshake (RFC 6455 §5.5.1, §7).  Frames we send are masked with a
 * fresh random key each (§5.3); frames received go through ws_read, the
 * reader the server uses too.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/exitcode.h"
#include "lib/json.h"
#include "ws/client_int.h"

#define WS_QUIET_MS 1000

static void
ws_show_frame(struct ws_session *s, char dir, const struct ws_frame *f)
{
	if (s->cfg->verbose)
		ws_say(s, "%c frame opcode=%s fin=%d len=%llu%s%s\n", dir,
		       ws_frame_opcode_name(f->opcode), f->fin ? 1 : 0,
		       (unsigned long long)f->len,
		       f->rsv & WS_RSV1 ? " rsv1" : "",
		       f->masked ? " masked" : "");
}

/* Try to send what is queued without waiting; -1 when the socket died. */
static int
ws_flush(struct ws_session *s)
{
	while (s->out.len > s->out.off) {
		ssize_t r = raw_conn_write(&s->conn, s->out.data + s->out.off,
					   s->out.len - s->out.off);

		if (r == -EAGAIN)
			return 0;
		if (r < 0) {
			ws_say(s, "httptool ws: cannot send: %s\n",
			       strerror((int)-r));
			return -1;
		}
		buf_consume(&s->out, (size_t)r);
	}
	buf_reset(&s->out);
	return 0;
}

static void
ws_queue(struct ws_session *s, unsigned op, const void *p, size_t n)
{
	uint8_t mask[4] = { 0 };
	struct ws_frame f = { .fin = true, .opcode = op, .masked = true,
			      .len = n };

	if (getrandom(mask, sizeof mask, 0) != (ssize_t)sizeof mask)
		memset(mask, 0x5a, sizeof mask);
	ws_frame_put(&s->out, true, 0, op, p, n, mask);
	ws_show_frame(s, '>', &f);
	if (op == WS_TEXT || op == WS_BINARY)
		s->sent++;
}

static void
ws_queue_close(struct ws_session *s, unsigned code, const char *why)
{
	uint8_t p[125];

	if (s->close_sent)
		return;
	ws_queue(s, WS_CLOSE, p, ws_close_payload(p, code, why, 120));
	s->close_sent = true;
	s->close_deadline = clock_ms() + s->cfg->close_timeout_ms;
}

static void
ws_write_out(struct ws_session *s, const void *p, size_t n)
{
	const char *q = p;

	while (n) {
		ssize_t r = write(s->cfg->out_fd, q, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		q += r;
		n -= (size_t)r;
	}
}

static void
ws_on_close(struct ws_session *s, const struct ws_event *ev)
{
	const char *name = ws_frame_close_name(ev->code);

	if (ev->code == WS_CLOSE_NO_STATUS)
		ws_say(s, "* close from the server: no status code\n");
	else
		ws_say(s, "* close from the server: %u%s%s%s%s%.*s%s\n",
		       ev->code, *name ? " (" : "", name, *name ? ")" : "",
		       ev->reason.len ? " \"" : "", (int)ev->reason.len,
		       ev->reason.p, ev->reason.len ? "\"" : "");
	ws_queue_close(s, ev->code, NULL);	/* echo it (§5.5.1) */
	s->rc = ev->code == WS_CLOSE_NORMAL || ev->code == WS_CLOSE_GOING_AWAY
	    || ev->code == WS_CLOSE_NO_STATUS ? EXIT_OK : EXIT_FAIL;
	s->done = true;
}

static void
ws_on_event(struct ws_session *s, const struct ws_event *ev)
{
	if (ev->kind != WS_EV_ERROR)
		ws_show_frame(s, '<', &ev->f);
	switch (ev->kind) {
	case WS_EV_FRAGMENT:
		break;
	case WS_EV_MESSAGE:
		s->received++;
		s->last_rx = clock_ms();
		ws_write_out(s, ev->data.p, ev->data.len);
		if (ev->opcode == WS_TEXT)
			ws_write_out(s, "\n", 1);
		break;
	case WS_EV_CONTROL:
		if (ev->opcode == WS_PING && !s->close_sent)
			ws_queue(s, WS_PONG, ev->data.p, ev->data.len);
		else if (ev->opcode == WS_CLOSE)
			ws_on_close(s, ev);
		break;
	case WS_EV_ERROR:
		ws_say(s, "httptool ws: bad frame from the server: %s "
		       "(closing with %u)\n", ev->why, ev->code);
		ws_queue_close(s, ev->code, ev->why);
		s->rc = EXIT_FAIL;
		s->done = true;
		break;
	}
}

/* Read what the socket has and act on every whole frame. */
static void
ws_read_socket(struct ws_session *s)
{
	bool eof = false;

	for (;;) {
		if (buf_reserve(&s->in, 16384) < 0)
			break;
		ssize_t n = raw_conn_read(&s->conn, s->in.data + s->in.len,
					  16384);

		if (n == -EAGAIN)
			break;
		if (n <= 0) {
			eof = true;
			break;
		}
		s->in.len += (size_t)n;
	}
	while (!s->done) {
		struct span u = buf_unread(&s->in);
		struct ws_event ev;
		size_t used;

		if (!ws_read(&s->rd, (const uint8_t *)u.p, u.len, &used, &ev))
			break;
		buf_consume(&s->in, used);
		ws_on_event(s, &ev);
	}
	if (s->in.off == s->in.len)
		buf_reset(&s->in);
	else if (s->in.off > 65536)
		buf_compact(&s->in);
	if (eof && !s->done) {
		ws_say(s, "httptool ws: the connection closed without a close "
		       "frame (1006 abnormal closure)\n");
		s->rc = EXIT_FAIL;
		s->done = true;
	}
}

/* A typed line (without its LF) becomes a text message. */
static void
ws_send_line(struct ws_session *s, const char *p, size_t n)
{
	if (n && p[n - 1] == '\r')
		n--;
	if (!json_utf8_valid((struct span){ p, n })) {
		ws_say(s, "httptool ws: a line is not UTF-8 and was not sent "
		       "(--binary sends bytes)\n");
		return;
	}
	ws_queue(s, WS_TEXT, p, n);
}

static void
ws_read_stdin(struct ws_session *s)
{
	char tmp[16384];
	ssize_t n = read(s->cfg->in_fd, tmp, sizeof tmp);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		s->in_eof = true;
		struct span rest = buf_unread(&s->line);

		if (!s->cfg->binary && rest.len)
			ws_send_line(s, rest.p, rest.len);
		buf_reset(&s->line);
		s->last_rx = clock_ms();	/* ws_tick closes when replies are in */
		return;
	}
	if (s->cfg->binary) {
		ws_queue(s, WS_BINARY, tmp, (size_t)n);
		return;
	}
	buf_append(&s->line, tmp, (size_t)n);
	for (;;) {
		struct span u = buf_unread(&s->line);
		const char *nl = memchr(u.p, '\n', u.len);

		if (!nl)
			break;
		ws_send_line(s, u.p, (size_t)(nl - u.p));
		buf_consume(&s->line, (size_t)(nl - u.p) + 1);
	}
	if (s->line.off == s->line.len)
		buf_reset(&s->line);
}

static int
ws_poll_timeout(const struct ws_session *s, long long now)
{
	long long t = 60000;

	if (s->close_deadline && s->close_deadline - now < t)
		t = s->close_deadline - now;
	else if (!s->close_deadline && s->in_eof &&
		 s->last_rx + WS_QUIET_MS - now < t)
		t = s->last_rx + WS_QUIET_MS - now;
	if (s->cfg->ping_ms && !s->close_sent && s->next_ping - now < t)
		t = s->next_ping - now;
	if (!s->close_deadline && !s->in_eof && !s->cfg->ping_ms)
		return -1;
	return t < 0 ? 0 : (int)t;
}

static void
ws_tick(struct ws_session *s, long long now)
{
	/* input ended: close once as many messages came back as were sent
	 * (an echo server's answers) or after a second without one */
	if (s->in_eof && !s->close_sent &&
	    (s->received >= s->sent || now - s->last_rx >= WS_QUIET_MS))
		ws_queue_close(s, WS_CLOSE_NORMAL, NULL);
	if (s->close_deadline && now >= s->close_deadline) {
		ws_say(s, "httptool ws: no close frame from the server within "
		       "%d ms\n", s->cfg->close_timeout_ms);
		s->rc = EXIT_FAIL;
		s->done = true;
	} else if (s->cfg->ping_ms && !s->close_sent && now >= s->next_ping) {
		ws_queue(s, WS_PING, "httptool", 8);
		s->next_ping = now + s->cfg->ping_ms;
	}
}

int
ws_session_loop(struct ws_session *s)
{
	s->next_ping = clock_ms() + s->cfg->ping_ms;
	if (s->in.len > s->in.off)
		ws_read_socket(s);	/* frames that came with the 101 */
	while (!s->done) {
		struct pollfd pf[2] = {
			{ s->conn.fd, POLLIN, 0 },
			{ s->cfg->in_fd, POLLIN, 0 },
		};
		nfds_t n = s->in_eof || s->close_sent ? 1 : 2;

		if (s->out.len > s->out.off)
			pf[0].events |= POLLOUT;
		if (poll(pf, n, ws_poll_timeout(s, clock_ms())) < 0 &&
		    errno != EINTR)
			break;
		if (n == 2 && pf[1].revents)
			ws_read_stdin(s);
		if (ws_flush(s) < 0)
			return EXIT_FAIL;
		if (!s->done && pf[0].revents)
			ws_read_socket(s);
		if (!s->done)
			ws_tick(s, clock_ms());
	}
	/* a close we echo goes out before we hang up */
	if (s->out.len > s->out.off)
		ws_send_all(s, s->out.data + s->out.off,
			    s->out.len - s->out.off);
	return s->rc;
}
