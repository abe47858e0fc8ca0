/*
 * server.h - `httptool serve`: what cli/cmd_serve.c hands the server.
 *
 * The server owns everything below this call: listening sockets, one
 * event loop per thread, connections, TLS context, access log.  It never
 * exits the process; it returns when SIGINT or SIGTERM asked it to stop
 * (after in-flight responses) or when it could not start.
 */
#ifndef HTTPTOOL_SERVER_H
#define HTTPTOOL_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/exitcode.h"

enum log_format {
	LOG_PYTHON = 0,		/* 127.0.0.1 - - [22/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 - */
	LOG_COMMON,		/* Apache/nginx common log format */
	LOG_JSON,		/* one JSON object per line */
};

struct server_config {
	const char *bind;	/* address; default "127.0.0.1" */
	int port;		/* default 8000; 0 picks a free one */
	const char *dir;	/* document root; default "." */
	bool tls;
	const char *cert, *key;	/* PEM files; NULL: self-signed in memory */
	const char *keylog;	/* NSS key log; NULL: $SSLKEYLOGFILE */
	bool echo;		/* TCP echo server instead of HTTP */
	bool lenient;		/* HTTP_LENIENT parsing */
	bool quiet;		/* no access log */
	const char *log_file;	/* access log here (SIGHUP reopens); NULL: stderr */
	enum log_format log_format;
	const char *upload_dir;	/* NULL: a fresh temporary directory */
	int threads;		/* event loops; <= 0: number of cores */
	size_t max_header;	/* whole request head (431) */
	size_t max_headers;	/* header fields in a head (431) */
	size_t max_body;	/* request body (413) */
	int header_timeout_ms;	/* deadline for a whole request head */
	int idle_timeout_ms;	/* idle keep-alive connections */
	int max_conns;		/* at once, all threads together */
	bool trace_method;	/* answer TRACE (it echoes Cookie:) */
	bool cors;		/* CORS headers as httpbin (--no-cors: off) */
};

/* Fill cfg with the defaults above. */
void server_config_default(struct server_config *cfg);

/*
 * Run the server in the calling thread until SIGINT/SIGTERM.  Prints the
 * startup lines on stdout and errors as "httptool serve: ..." on stderr.
 * Returns EXIT_OK after a clean stop, EXIT_FAIL when it could not start.
 */
enum exit_code server_run(const struct server_config *cfg);

#endif
