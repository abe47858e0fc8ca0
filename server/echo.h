/*
 * echo.h - `serve --echo`: the socket lab's TCP echo server.  Every byte
 * a client sends comes back; a line "exit" closes that connection.  Runs
 * on the same loops, listening sockets and connection transport
 * (conn_io.c: accept, TLS, reading, flushing, closing) as the HTTP
 * server; echo.c only says what the bytes mean.
 */
#ifndef HTTPTOOL_SERVER_ECHO_H
#define HTTPTOOL_SERVER_ECHO_H

#include "server/conn.h"

/* c was just accepted under --echo: its echo state (c->echo), and the
 * log's "connected" line.  -1 out of memory. */
int echo_begin(struct conn *c);
/* What c->in holds comes back through c->out, up to an "exit" line;
 * then, or at the client's end of input, c closes once all is sent. */
void echo_process(struct conn *c);
/* c is closing: the log's "closed" line; frees c->echo. */
void echo_free(struct conn *c);

#endif
