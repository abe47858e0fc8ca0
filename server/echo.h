/*
 * echo.h - `serve --echo`: the socket lab's TCP echo server.  Every byte
 * a client sends comes back; a line "exit" closes that connection.  Runs
 * on the same loops and listening sockets as the HTTP server.
 */
#ifndef HTTPTOOL_SERVER_ECHO_H
#define HTTPTOOL_SERVER_ECHO_H

#include "server/conn.h"

/* Take over an accepted socket. */
void echo_accept(struct srv_thread *th, int fd, const char *peer);
/* Close every echo connection of th. */
void echo_close_all(struct srv_thread *th);

#endif
