/*
 * client_int.h - what client.c (connection, handshake) and client_io.c
 * (the session after it) share.  Private to them.
 */
#ifndef HTTPTOOL_WS_CLIENT_INT_H
#define HTTPTOOL_WS_CLIENT_INT_H

#include <stdarg.h>

#include "lib/buf.h"
#include "raw/raw_conn.h"
#include "ws/client.h"
#include "ws/frame.h"

struct ws_session {
	const struct ws_client_config *cfg;
	struct raw_conn conn;
	bool tls;
	char host[256], port[16], authority[300], target[4096];
	struct buf in;		/* from the server; [off..) unread */
	struct buf out;		/* frames not yet sent */
	struct buf line;	/* stdin bytes not yet a whole line */
	struct ws_reader rd;
	bool in_eof;		/* stdin ended */
	bool close_sent;
	bool done;
	int rc;
	long long close_deadline;	/* clock_ms(); 0 none */
	long long next_ping;
	unsigned long long sent, received;	/* data messages */
	long long last_rx;	/* clock_ms() of the last message or EOF */
};

/* printf to the error stream. */
void ws_say(struct ws_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write everything, waiting for the socket as needed; 0 or -1. */
int ws_send_all(struct ws_session *s, const void *p, size_t n);
/* client_io.c: after the handshake, until a close or an error. */
int ws_session_loop(struct ws_session *s);

#endif
