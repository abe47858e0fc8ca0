/*
 * raw_session_int.h - the state of one `httptool raw` session, shared by
 * the two files that drive it: raw_session.c (connecting, the poll loop,
 * the end-of-input rules, stats) and raw_io.c (moving bytes: input and
 * the escape menu, sending, receiving, notes on stderr).  Private to
 * those two files; everything else uses raw_session.h.
 */
#ifndef HTTPTOOL_RAW_SESSION_INT_H
#define HTTPTOOL_RAW_SESSION_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "raw_annot.h"
#include "raw_conn.h"
#include "raw_session.h"
#include "raw_text.h"
#include "raw_track.h"

#define RAW_IO_READ 65536
#define RAW_IO_OUT_MAX (256 * 1024)	/* stop reading input above this */

struct raw_session {
	const struct raw_config *cfg;
	struct raw_conn conn;
	struct buf out;			/* queued for the server */
	struct buf scratch;		/* conversions, dumps, messages */
	struct buf menu_line;		/* partial line typed at the prompt */
	struct raw_crlf crlf;
	struct raw_track track;
	struct raw_annot annot;
	char peer[160];			/* "HOST port N" or the socket path */
	bool tty_in, menu;
	bool tty_out;			/* stdout and stderr share a screen or
					   a file: notes need their own line */
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

/* Text to stderr, on a fresh line if the reply left one open. */
void raw_io_say(struct raw_session *s, const char *p, size_t n);
void raw_io_sayf(struct raw_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print the annotator's pending notes (all of them) to stderr. */
void raw_io_notes(struct raw_session *s);

/* "httptool raw: " + fmt (with %s for the peer, then why); ends the
 * session with EXIT_FAIL. */
void raw_io_fail(struct raw_session *s, const char *fmt, const char *why);

/* Name each request still waiting for an answer on stderr ("* request 2
 * (GET /x) got no answer<why>"), skipping the first `skip`; returns how
 * many were waiting. */
unsigned long raw_io_unanswered(struct raw_session *s, unsigned skip,
				const char *why);

/* Write queued bytes as far as the socket takes them. */
void raw_io_flush(struct raw_session *s);

/* The input is readable: read it, run the menu, queue what to send. */
void raw_io_read_input(struct raw_session *s);

/* The socket is readable: print, dump and annotate what came. */
void raw_io_read_sock(struct raw_session *s);

#endif
