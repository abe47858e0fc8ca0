/*
 * raw_session.h - one `httptool raw` session: connect, then move bytes
 * between the terminal (or a pipe) and the server with poll() until the
 * input has ended and the end-of-input rule says to stop, or the server
 * closes.  cli/cmd_raw.c fills struct raw_config from the command line.
 */
#ifndef HTTPTOOL_RAW_SESSION_H
#define HTTPTOOL_RAW_SESSION_H

#include <stdbool.h>

#include "raw_conn.h"
#include "lib/exitcode.h"

/* What to do when the input ends. */
enum raw_eof_rule {
	RAW_EOF_WAIT = 0,	/* until every request sent is answered */
	RAW_EOF_LINGER,		/* -q: wait linger_ms, then close */
	RAW_EOF_HALF_CLOSE,	/* -N: shut down sending, wait for the close */
	RAW_EOF_KEEP_OPEN,	/* --keep-open: wait for the server's close */
};

struct raw_config {
	const char *host;		/* as the user named it (messages, SNI) */
	const char *port;		/* TCP port or service name */
	bool port_defaulted;		/* none given: 80 or 443 */
	const char *unix_path;		/* -U: instead of host and port */
	int connect_timeout_ms;		/* -w; 0: the system's limit */
	int idle_ms;			/* -i; 0: no idle limit */
	int linger_ms;			/* -q */
	enum raw_eof_rule eof_rule;
	bool binary;			/* no LF to CRLF */
	bool crlf_body;			/* LF to CRLF in bodies too */
	bool annotate;			/* -v, or stdin is a terminal */
	bool hex;			/* -x: hex dump instead of raw bytes */
	bool stats;			/* --stats */
	bool tls;
	struct raw_tls_opts tls_opts;
	int in_fd, out_fd, err_fd;	/* normally 0, 1, 2 */
};

/*
 * Run a session to its end.  Returns EXIT_OK when it ended normally
 * (input done and answered, server closed, idle limit, close/quit), or
 * EXIT_FAIL after printing one line "httptool raw: ..." when the
 * connection could not be made or broke.
 */
enum exit_code raw_session_run(const struct raw_config *cfg);

#endif
