/*
 * raw_conn.h - the one connection `httptool raw` talks over: a TCP socket
 * (IPv4 or IPv6) or a Unix socket, optionally wrapped in TLS (OpenSSL).
 *
 * The socket is non-blocking once connected; reads and writes return
 * -EAGAIN when they would block so the session's poll() loop drives them.
 * Errors that end the session are described in one line (lower case, no
 * program prefix) in the caller's buffer.
 */
#ifndef HTTPTOOL_RAW_CONN_H
#define HTTPTOOL_RAW_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct raw_tls_opts {
	const char *sni;	/* server name to send and verify; NULL: the
				   host, unless it is an address literal */
	const char *alpn;	/* "h2,http/1.1" or NULL */
	bool insecure;		/* -k: do not verify the certificate */
	const char *keylog;	/* NSS key log; NULL: $SSLKEYLOGFILE */
	const char *cacert;	/* --cacert: trust these CAs (PEM file) */
	const char *capath;	/* --capath: trust this hashed CA folder */
	const char *cert;	/* --cert: client certificate chain (PEM) */
	const char *key;	/* --key: its private key (PEM; default:
				   the --cert file) */
};

struct raw_conn {
	int fd;			/* -1 when closed */
	void *ctx;		/* SSL_CTX *, or NULL without TLS */
	void *ssl;		/* SSL *, or NULL without TLS */
	char addr[64];		/* numeric address connected to */
	int port;		/* port connected to (0 for Unix sockets) */
	bool verified;		/* TLS: the certificate was checked */
};

#define RAW_CONN_INIT { -1, NULL, NULL, "", 0, false }

/*
 * Resolve host and connect to the first address that answers, giving up
 * after timeout_ms in all (<= 0: the system's own limit).  0 on success,
 * -1 with err filled ("cannot connect to HOST port N: connection refused").
 */
int raw_conn_tcp(struct raw_conn *c, const char *host, const char *port,
		 int timeout_ms, char *err, size_t errsize);

/* Connect to the Unix socket at path.  0, or -1 with err filled. */
int raw_conn_unix(struct raw_conn *c, const char *path, char *err,
		  size_t errsize);

/*
 * Run a TLS handshake over the connected socket; host is what the user
 * named (for SNI and verification unless o->sni says otherwise).  0, or -1
 * with err filled ("TLS handshake with HOST port N failed: ...").
 */
int raw_conn_tls(struct raw_conn *c, const char *host,
		 const struct raw_tls_opts *o, int timeout_ms, char *err,
		 size_t errsize);

/* "TLSv1.3, cipher TLS_AES_256_GCM_SHA384, ALPN h2, certificate ..." */
void raw_conn_tls_describe(const struct raw_conn *c, char *out, size_t size);

/* Read up to n bytes: > 0, 0 at end of stream, -EAGAIN, or -errno
 * (-EPROTO for a TLS failure). */
ssize_t raw_conn_read(struct raw_conn *c, void *p, size_t n);

/* Write up to n bytes: > 0 written, -EAGAIN, or -errno. */
ssize_t raw_conn_write(struct raw_conn *c, const void *p, size_t n);

/* Stop sending (TLS close_notify, then shutdown(SHUT_WR)); keep reading. */
void raw_conn_shutdown_write(struct raw_conn *c);

/* Close and free everything; c can be reused after raw_conn_init-style
 * assignment of RAW_CONN_INIT. */
void raw_conn_close(struct raw_conn *c);

#endif
