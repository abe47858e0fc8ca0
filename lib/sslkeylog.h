/*
 * sslkeylog.h - write TLS session secrets in the NSS key log format
 * (what SSLKEYLOGFILE means to curl, browsers and Wireshark), so that
 * `httptool sniff` or tshark can decrypt our own connections.
 *
 * Used by the server (serve --tls), the raw sender (raw --tls) and the
 * client; lines are appended with one write(2) each, so many threads and
 * many processes can share one file.
 */
#ifndef HTTPTOOL_SSLKEYLOG_H
#define HTTPTOOL_SSLKEYLOG_H

#include <openssl/ssl.h>

/*
 * Log the secrets of every connection made with ctx to path, or, when
 * path is NULL, to $SSLKEYLOGFILE if it is set (else nothing is done).
 * The file is created 0600 or appended to.  Returns 0, or -errno when it
 * cannot be opened (the caller reports it).
 */
int sslkeylog_attach(SSL_CTX *ctx, const char *path);

/* The file sslkeylog_attach() would use: path, $SSLKEYLOGFILE or NULL. */
const char *sslkeylog_path(const char *path);

#endif
