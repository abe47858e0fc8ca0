/*
 * client.h - `httptool ws`: a websocat-like WebSocket client (RFC 6455).
 * Connects (TLS for wss://, through raw/raw_conn.c), shakes hands, then
 * sends what stdin gives (one text message per line, or binary messages
 * with --binary) and prints every message received.  The framing is
 * ws/frame.c's, the same code the server's /websocket/echo uses.
 */
#ifndef HTTPTOOL_WS_CLIENT_H
#define HTTPTOOL_WS_CLIENT_H

#include <stdbool.h>

#include "lib/exitcode.h"

#define WS_CLIENT_MAX_HEADERS 32

struct ws_client_config {
	const char *url;		/* ws:// or wss:// */
	bool verbose;			/* -v: handshake and frames on stderr */
	bool binary;			/* stdin bytes as binary messages */
	bool insecure;			/* -k */
	int ping_ms;			/* --ping; 0: none */
	int connect_timeout_ms;		/* 0: the system's */
	int close_timeout_ms;		/* wait for the peer's close */
	size_t max_message;		/* larger incoming -> 1009 */
	const char *headers[WS_CLIENT_MAX_HEADERS];	/* "Name: value" */
	int nheaders;
	int in_fd, out_fd, err_fd;
};

/*
 * Run the session.  Returns an exit status: 0 after a closing handshake
 * with code 1000, 1001 or none; 1 for any other end (a refused
 * handshake, a protocol error, another close code, a connection that
 * dropped without a close frame); 7 when the connection could not be
 * made, 35 when the TLS handshake failed.  Errors are printed as
 * "httptool ws: ..." on err_fd.
 */
enum exit_code ws_client_run(const struct ws_client_config *cfg);

#endif
