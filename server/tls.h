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
 * certificate's SHA-256 fingerprint ("AB:CD:...") into fp.  NULL after
 * printing "httptool serve: ..." on failure.  Free with tls_ctx_free().
 */
void *tls_ctx_new(const char *cert, const char *key, char *fp, size_t fpsize);
void tls_ctx_free(void *ctx);

/* An SSL * accepting on fd, or NULL.  Free with tls_free(). */
void *tls_new(void *ctx, int fd);
void tls_free(void *ssl);

/* 1 handshake done, 0 call again when readable (or writable when
 * *want_write), -1 failed. */
int tls_handshake(void *ssl, bool *want_write);
/* Bytes read (> 0), 0 at a clean or dirty EOF, -EAGAIN, or -EIO. */
long tls_read(void *ssl, void *p, size_t n, bool *want_write);
/* Bytes written (> 0), -EAGAIN or -EIO. */
long tls_write(void *ssl, const void *p, size_t n, bool *want_write);

#endif
