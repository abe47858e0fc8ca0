/*
 * conn.h - the server's internal types: the shared server, one thread's
 * loop state, a connection and the request handlers see.  Private to
 * server/.
 *
 * Ownership: struct server is built by server.c before the threads start
 * and is read-only afterwards (except the atomic connection count).  Each
 * struct srv_thread and every struct conn on its list belong to that
 * thread alone.  A struct req lives on the stack for one handler call;
 * its spans point into the connection's input buffer and are valid only
 * during that call.
 */
#ifndef HTTPTOOL_SERVER_CONN_H
#define HTTPTOOL_SERVER_CONN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "lib/buf.h"
#include "http/parse.h"
#include "http/stream.h"
#include "http/url.h"
#include "lib/loop.h"
#include "server/server.h"

#define CONN_PATH_MAX 4096

struct server {
	struct server_config cfg;
	int root_fd;		/* O_DIRECTORY descriptor of cfg.dir */
	char *root;		/* realpath of cfg.dir (malloc) */
	void *ssl_ctx;		/* SSL_CTX *, NULL without --tls */
	char *upload_dir;	/* malloc */
	bool upload_tmp;	/* we created it */
	struct http_limits lim;
	int port;		/* actual port */
	char host[96];		/* for absolute URLs: "127.0.0.1:8000" */
	atomic_int nconns;
	int log_fd;		/* access log: stderr or --log-file */
	struct srv_thread *threads;	/* all of them, to shed across */
	int nthreads;
};

struct srv_thread {
	struct server *srv;
	struct loop *loop;
	int listen_fd;
	int wake_fd;		/* eventfd: stop asked */
	int shed_fd;		/* eventfd: another thread asks a shed */
	atomic_int shed_asked;	/* connections to shed for other threads */
	atomic_int waiting;	/* of ours waiting for a request (at the
				 * last sweep, less those promised since) */
	struct conn *conns;	/* this thread's connections, by started:
				 * newest first (conn_set_started) */
	struct conn *conns_tail;	/* the oldest: where conn_shed looks */
	void *fcache;		/* fcache.c's small-file cache */
	unsigned long wakes;	/* loop wake-ups so far (before each sleep) */
	int nconns;
	bool draining;
	long long drain_deadline;
	struct buf log;		/* access log lines not yet written */
	time_t log_sec;		/* cache of the log's time stamp */
	char log_when[64];
	time_t date_sec;	/* cache of the Date header */
	char date[32];
	pthread_t tid;
};

enum conn_state {
	CS_TLS,			/* TLS handshake */
	CS_HEAD,		/* reading a request head */
	CS_BODY,		/* reading its body */
	CS_WAIT,		/* an async handler owns the response */
	CS_CLOSE,		/* close once the output is flushed */
	CS_LINGER,		/* output done, draining input before close */
	CS_ECHO,		/* serve --echo: what comes goes back (echo.c) */
};

struct conn {
	struct srv_thread *th;
	struct conn *prev, *next;
	int fd;
	void *ssl;		/* SSL *, or NULL */
	bool tls_want_write;
	bool tls_sniffed;	/* the first byte said TLS */
	bool plain_on_tls;	/* it said plain HTTP: answer 400, close */
	char peer[64];		/* address only, for logs and /ip */
	enum conn_state st;

	struct buf in;		/* request bytes; [off..) unread */
	struct http_stream rd;	/* reads in: rd.msg the head, rd.body */
	struct http_header *hdrs;	/* cfg.max_headers of them (malloc) */
	struct buf head;	/* a head with a body, moved out of in */
	bool head_moved;	/* msg points into head; in holds no head */
	struct buf body;	/* decoded request body (one copy) */
	void *upl;		/* struct upload_stream: /upload's body
				 * goes to disk instead of body */

	struct buf out;		/* response bytes not yet sent */
	struct buf tail;	/* then a big body handed over whole (writev) */
	int file_fd;		/* then this file, or -1 */
	uint64_t file_off, file_left;

	bool have_msg;		/* msg holds the parsed head of this request */
	bool keep_alive;	/* after this response */
	bool is_head;		/* HEAD: no response body */
	bool http10;
	bool peer_eof;		/* client half-closed */
	bool wait_flush;	/* send everything before the next request */
	bool reset;		/* close with RST (fault/reset) */
	long long deadline;	/* loop_now() ms; 0 none */
	bool hd_running;	/* deadline is the header deadline */

	/* the current request, for the access log */
	int status;
	uint64_t resp_bytes;	/* body bytes of the response (promised) */
	uint64_t sent;		/* bytes written to the socket, in all */
	uint64_t log_end;	/* log_wait: sent must reach this */
	bool log_wait;		/* the log line waits for the bytes to go */
	long long log_ms;	/* the request's time, kept for that line */
	char reqline[256];
	long long started;

	/* other protocols on this connection (server/h2*.c, server/ws*.c) */
	void *h2;		/* struct h2_conn: it speaks HTTP/2 */
	void *h2s;		/* struct h2_stream: a stream's pseudo
				 * connection (no socket, fd -1) */
	void *ws;		/* struct ws_conn: it speaks WebSocket */
	void *echo;		/* struct echo_state: serve --echo */

	/* async handlers: timer, continuation and its small state */
	long long timer;
	void (*cont)(struct conn *c);
	long long a_n, a_i;
	long a_ms;
	char a_buf[64];
};

/* What a handler is given: one parsed request. */
struct req {
	struct conn *c;
	const struct server *srv;
	const struct http_msg *msg;
	struct span method;
	unsigned mbit;		/* ROUTE_* bit of method, 0 if other */
	struct span target;	/* as sent */
	struct span rawpath;	/* path part, still encoded */
	struct span query;	/* after '?', p NULL when none */
	char *path;		/* decoded path, NUL-terminated */
	size_t path_len;
	struct span body;	/* decoded body */
	struct span head;	/* the request head as received */
};

/* Take over an accepted socket (non-blocking); peer is its address. */
void conn_accept(struct srv_thread *th, int fd, const char *peer);
/* Start c's request reader (c->th and c->hdrs set). */
void conn_reader_init(struct conn *c);
/* Close every connection of th (shutdown). */
void conn_close_all(struct srv_thread *th);
/*
 * Connections ran short: close th's connection that has waited longest
 * for a request (idle keep-alive, a head not complete, a TLS handshake)
 * so a client that sends a whole request promptly is served.  False when
 * th has none to shed.
 */
bool conn_shed(struct srv_thread *th);
/*
 * th has none to shed: ask another thread that has, and wake it (it
 * sheds in its own loop, conn_shed_asked).  True when one was asked; the
 * new connection may then be taken over the limit for that moment.
 */
bool conn_shed_elsewhere(struct srv_thread *th);
/* Shed what other threads asked of th. */
void conn_shed_asked(struct srv_thread *th);
/* Check deadlines of th's connections (called by a periodic timer);
 * while connections run short, a head gets a whole-head deadline too. */
void conn_sweep(struct srv_thread *th);
/* Draining: close idle connections, make the others close after their
 * current response. */
void conn_drain(struct srv_thread *th);

/*
 * For async handlers (state CS_WAIT): call cont(c) after ms; the
 * handler's state is kept in c->a_*.  conn_done() ends the response and
 * lets the connection go on with the next request; conn_kill() drops the
 * connection after the pending output (or at once with an RST when
 * c->reset is set).
 */
void conn_later(struct conn *c, long ms, void (*cont)(struct conn *c));
void conn_done(struct conn *c);
void conn_kill(struct conn *c);
/* After a continuation wrote output and re-armed (conn_later) or
 * finished: flush, close if due, else update the loop interest.  May free
 * c. */
void conn_settle(struct conn *c);
/* Try to send pending output now; false when the connection died. */
bool conn_flush(struct conn *c);
/* The response is queued: log it once its bytes have gone (or, if the
 * connection dies first, with the body bytes that did go). */
void conn_log_when_sent(struct conn *c);
/* Write a waiting log line now, with what has been sent so far. */
void conn_log_now(struct conn *c);

#endif

/* Between conn.c (HTTP) and conn_io.c (sockets); not for handlers. */
void conn_process(struct conn *c);	/* parse and answer what is buffered */
void conn_timeout(struct conn *c);	/* c->deadline passed */
void conn_close(struct conn *c);	/* frees c */
void conn_update(struct conn *c);	/* recompute the loop interest */
long long conn_now(const struct conn *c);
/* c->started = now, and c moves to the front of its thread's list, which
 * so stays ordered by started (conn_shed takes the oldest from the tail
 * without a scan).  A stream's pseudo connection is on no list. */
void conn_set_started(struct conn *c);
