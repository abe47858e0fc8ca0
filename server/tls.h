/*
 * tls.h - TLS for `serve --tls` (OpenSSL): the context with a given or
 * in-memory self-signed certificate, ALPN http/1.1, and non-blocking
 * read/write wrappers that speak the same language as read(2)/write(2).
 * Pointers are void * so the rest of server/ need not include OpenSSL.
 */
#ifndef HTTPTOOL_SERVER_TLS_H
#define HTTPTOOL_SERVER_TLS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A server context (SSL_CTX *) from cert/key PEM files, or with a fresh
 * self-signed certificate for localhost when both are NULL.  Writes the
 * certificate's SHA-256 fingerprint ("AB:CD:...") into fp.  Session
 * secrets go to the key log file keylog, or $SSLKEYLOGFILE when keylog
 * is NULL (lib/sslkeylog.h).  NULL after
 * printing "httptool serve: ..." on failure.  Free with tls_ctx_free().
 */
void *tls_ctx_new(const char *cert, const char *key, const char *keylog,
		  char *fp, size_t fpsize);
void tls_ctx_free(void *ctx);
/* Let ALPN select h2 before http/1.1 (HTTP serving, not --echo). */
void tls_ctx_offer_h2(void *ctx);
/* Did this connection's handshake select h2? */
bool tls_alpn_is_h2(void *ssl);

/*
 * What a client speaks, judged from the first byte it sent, peeked at
 * (left in the socket for whoever reads next).  A TLS record starts with
 * its content type, 0x16 for a handshake (RFC 8446 §5.1); an SSLv2-style
 * hello has the top bit set.  Printable ASCII (an HTTP method, a line
 * typed at nc) is plain text.  Anything else is left to OpenSSL to refuse.
 */
enum tls_sniff {
	TLS_SNIFF_WAIT,		/* nothing arrived yet */
	TLS_SNIFF_TLS,		/* go on with the handshake */
	TLS_SNIFF_PLAIN,	/* plain text on the TLS port */
	TLS_SNIFF_GONE,		/* the client closed or the socket failed */
};
enum tls_sniff tls_sniff(int fd);

/* An SSL * accepting on fd, or NULL.  Free with tls_free(). */
void *tls_new(void *ctx, int fd);
void tls_free(void *ssl);

/* 1 handshake done, 0 call again when readable (or writable when
 * *want_write), -1 failed. */
int tls_handshake(void *ssl, bool *want_write);

/* What tls_accept_step() found. */
enum tls_step {
	TLS_STEP_WAIT,		/* call again when readable (or writable when
				 * *want_write) */
	TLS_STEP_READY,		/* handshake done */
	TLS_STEP_PLAIN,		/* plain text on the TLS port, nothing read */
	TLS_STEP_FAIL,		/* the client left or the handshake failed */
};
/*
 * One step of a connection's start on a TLS port, shared by HTTP and
 * echo: the first byte is sniffed once (*sniffed), then hands are shaken.
 */
enum tls_step tls_accept_step(void *ssl, int fd, bool *sniffed,
			      bool *want_write);
/* Bytes read (> 0), 0 at a clean or dirty EOF, -EAGAIN, or -EIO. */
long tls_read(void *ssl, void *p, size_t n, bool *want_write);
/* Bytes written (> 0), -EAGAIN or -EIO. */
long tls_write(void *ssl, const void *p, size_t n, bool *want_write);

#endif
