/*
 * ws.h - WebSocket in `serve` (server/ws.c): the /websocket/echo route
 * and the connection it turns into.  Private to server/.
 *
 * Hook-ups: routes.c lists ws_echo_route; conn.c calls ws_begin after a
 * handler set c->ws and ws_process for the bytes that follow;
 * conn_io.c calls ws_timeout, ws_drain and ws_free.
 */
#ifndef HTTPTOOL_SERVER_WS_H
#define HTTPTOOL_SERVER_WS_H

#include "server/conn.h"

/* GET /websocket/echo: 101 and c->ws set, or a 4xx. */
void ws_echo_route(struct req *r);

/* The 101 is queued: log it, drop the request, go on as WebSocket. */
void ws_begin(struct conn *c);
/* Read the frames in c->in, queue the answers, settle.  May free c. */
void ws_process(struct conn *c);
void ws_timeout(struct conn *c);	/* idle: close 1001 */
void ws_drain(struct conn *c);		/* shutdown: close 1001 */
void ws_free(struct conn *c);		/* from conn_close */

#endif
