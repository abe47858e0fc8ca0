/*
 * raw_conn.c - sockets and TLS for `httptool raw` (see raw_conn.h).
 *
 * Connecting is done non-blocking with poll() so one deadline covers every
 * address getaddrinfo() returns (IPv6 and IPv4 alike).  TLS is OpenSSL
 * with the system CA store, SNI, ALPN and host name checking; the
 * handshake runs on the non-blocking socket under the same kind of
 * deadline.  Depends on libc and OpenSSL only; raw/raw_session.c is the
 * user.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "lib/clock.h"
#include "lib/sslkeylog.h"
#include "raw_conn.h"

/* Milliseconds left before deadline (-1: none), at least 0. */
static int
conn_left(long long deadline)
{
	long long left;

	if (deadline < 0)
		return -1;
	left = deadline - clock_ms();
	return left < 0 ? 0 : (int)left;
}

/* strerror() starts with a capital; our messages are lower case. */
static void
conn_strerror(int e, char *out, size_t size)
{
	snprintf(out, size, "%s", strerror(e));
	if (out[0])
		out[0] = (char)tolower((unsigned char)out[0]);
}

static int
conn_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Connect fd to ai within the deadline; 0 or a positive errno. */
static int
conn_try(int fd, const struct addrinfo *ai, long long deadline)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	int e = 0, n;
	socklen_t elen = sizeof e;

	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	do
		n = poll(&pfd, 1, conn_left(deadline));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return ETIMEDOUT;
	if (n < 0)
		return errno;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		return errno;
	return e;
}

static void
conn_name_addr(struct raw_conn *c, const struct sockaddr *sa)
{
	const void *a;

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		a = &s6->sin6_addr;
		c->port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;
		a = &s4->sin_addr;
		c->port = ntohs(s4->sin_port);
	}
	if (inet_ntop(sa->sa_family, a, c->addr, sizeof c->addr) == NULL)
		snprintf(c->addr, sizeof c->addr, "?");
}

int
raw_conn_tcp(struct raw_conn *c, const char *host, const char *port,
	     int timeout_ms, char *err, size_t errsize)
{
	struct addrinfo hints, *res, *ai;
	long long deadline = timeout_ms > 0 ? clock_ms() + timeout_ms : -1;
	int rc, e = ECONNREFUSED, one = 1;
	char why[128];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc == EAI_ADDRFAMILY || rc == EAI_NONAME) {
		hints.ai_flags = 0;	/* ::1 with no IPv6 address up */
		rc = getaddrinfo(host, port, &hints, &res);
	}
	if (rc != 0) {
		snprintf(err, errsize, "cannot resolve '%s' (port %s): %s",
			 host, port, rc == EAI_SYSTEM ? strerror(errno) :
			 gai_strerror(rc));
		for (char *c = strstr(err, "): "); c && c[3]; c = NULL)
			c[3] = (char)tolower((unsigned char)c[3]);
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
				ai->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		conn_nonblock(fd);
		conn_name_addr(c, ai->ai_addr);
		e = conn_try(fd, ai, deadline);
		if (e == 0) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				   sizeof one);
			c->fd = fd;
			freeaddrinfo(res);
			return 0;
		}
		close(fd);
		if (e == ETIMEDOUT && deadline >= 0 && conn_left(deadline) == 0)
			break;
	}
	freeaddrinfo(res);
	conn_strerror(e, why, sizeof why);
	snprintf(err, errsize, "cannot connect to %s port %s: %s", host, port,
		 e == ETIMEDOUT ? "timed out" : why);
	return -1;
}

int
raw_conn_unix(struct raw_conn *c, const char *path, char *err,
	      size_t errsize)
{
	struct sockaddr_un sun;
	char why[128];
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		snprintf(err, errsize, "socket path too long: '%s'", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		conn_strerror(errno, why, sizeof why);
		snprintf(err, errsize, "cannot connect to '%s': %s", path, why);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	conn_nonblock(fd);
	c->fd = fd;
	snprintf(c->addr, sizeof c->addr, "unix");
	c->port = 0;
	return 0;
}

/* True when s is an IPv4 or IPv6 address literal (no SNI for those). */
static bool
conn_is_ip(const char *s)
{
	unsigned char tmp[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, tmp) == 1 ||
	       inet_pton(AF_INET6, s, tmp) == 1;
}

/* "h2,http/1.1" -> ALPN wire format (length-prefixed); length or -1. */
static int
conn_alpn_wire(const char *list, unsigned char *out, size_t size)
{
	size_t n = 0;

	while (*list) {
		size_t len = strcspn(list, ",");
		if (len == 0 || len > 255 || n + 1 + len > size)
			return -1;
		out[n++] = (unsigned char)len;
		memcpy(out + n, list, len);
		n += len;
		list += len;
		if (*list == ',')
			list++;
	}
	return (int)n;
}

/* The CAs to verify with: --cacert/--capath as curl does (given either,
 * the system's store is not used), else the system's (SSL_CERT_FILE and
 * SSL_CERT_DIR apply there).  0, or -1 with why filled. */
static int
conn_tls_trust(SSL_CTX *ctx, const struct raw_tls_opts *o, char *why,
	       size_t size)
{
	if (o->cacert == NULL && o->capath == NULL) {
		SSL_CTX_set_default_verify_paths(ctx);
		return 0;
	}
	if (SSL_CTX_load_verify_locations(ctx, o->cacert, o->capath) != 1) {
		ERR_clear_error();
		snprintf(why, size, "cannot load CA certificates from '%s'",
			 o->cacert ? o->cacert : o->capath);
		return -1;
	}
	return 0;
}

/* --cert and --key: the client's certificate chain and key. */
static int
conn_tls_client_cert(SSL_CTX *ctx, const struct raw_tls_opts *o, char *why,
		     size_t size)
{
	const char *key = o->key ? o->key : o->cert;

	if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1) {
		ERR_clear_error();
		return snprintf(why, size, "cannot load the client "
				"certificate '%s'", o->cert), -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		ERR_clear_error();
		return snprintf(why, size, "cannot load the private key '%s' "
				"(or it does not match the certificate)",
				key), -1;
	}
	return 0;
}

/* Build the context and SSL object; 0 or -1 with err's tail filled. */
static int
conn_tls_setup(struct raw_conn *c, const char *host,
	       const struct raw_tls_opts *o, char *why, size_t size)
{
	const char *name = o->sni ? o->sni : host;
	unsigned char wire[512];
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl;

	if (ctx == NULL)
		return snprintf(why, size, "cannot create a TLS context"), -1;
	c->ctx = ctx;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (sslkeylog_attach(ctx, o->keylog) < 0)
		return snprintf(why, size, "cannot write the key log '%s'",
				sslkeylog_path(o->keylog)), -1;
	if (!o->insecure) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		if (conn_tls_trust(ctx, o, why, size) < 0)
			return -1;
	}
	if (o->cert && conn_tls_client_cert(ctx, o, why, size) < 0)
		return -1;
	if (o->alpn) {
		int n = conn_alpn_wire(o->alpn, wire, sizeof wire);
		if (n < 0)
			return snprintf(why, size, "bad --alpn list '%s'",
					o->alpn), -1;
		SSL_CTX_set_alpn_protos(ctx, wire, (unsigned)n);
	}
	ssl = SSL_new(ctx);
	if (ssl == NULL)
		return snprintf(why, size, "cannot create a TLS session"), -1;
	c->ssl = ssl;
	SSL_set_fd(ssl, c->fd);
	if (!conn_is_ip(name))
		SSL_set_tlsext_host_name(ssl, name);
	if (!o->insecure) {
		if (conn_is_ip(name))
			X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name);
		else
			SSL_set1_host(ssl, name);
	}
	c->verified = !o->insecure;
	return 0;
}

/* Why the handshake failed, in words. */
static void
conn_tls_why(struct raw_conn *c, int sslerr, char *why, size_t size)
{
	long v = SSL_get_verify_result(c->ssl);
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	if (v != X509_V_OK && c->verified)
		snprintf(why, size, "certificate verify failed: %s (use -k "
			 "to skip the check)", X509_verify_cert_error_string(v));
	else if (r)
		snprintf(why, size, "%s", r);
	else if (sslerr == SSL_ERROR_SYSCALL && errno)
		conn_strerror(errno, why, size);
	else if (sslerr == SSL_ERROR_SYSCALL || sslerr == SSL_ERROR_ZERO_RETURN)
		snprintf(why, size, "the server closed the connection");
	else
		snprintf(why, size, "TLS error %d", sslerr);
	ERR_clear_error();
}

int
raw_conn_tls(struct raw_conn *c, const char *host,
	     const struct raw_tls_opts *o, int timeout_ms, char *err,
	     size_t errsize)
{
	long long deadline = timeout_ms > 0 ? clock_ms() + timeout_ms : -1;
	char why[256];
	int rc, e;

	if (conn_tls_setup(c, host, o, why, sizeof why) < 0)
		goto fail;
	for (;;) {
		struct pollfd pfd = { c->fd, 0, 0 };
		int n;

		ERR_clear_error();
		rc = SSL_connect(c->ssl);
		if (rc == 1)
			return 0;
		e = SSL_get_error(c->ssl, rc);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			conn_tls_why(c, e, why, sizeof why);
			goto fail;
		}
		pfd.events = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		do
			n = poll(&pfd, 1, conn_left(deadline));
		while (n < 0 && errno == EINTR);
		if (n == 0) {
			snprintf(why, sizeof why, "timed out");
			goto fail;
		}
	}
fail:
	snprintf(err, errsize, "TLS handshake with %s port %d failed: %s",
		 host, c->port, why);
	return -1;
}

void
raw_conn_tls_describe(const struct raw_conn *c, char *out, size_t size)
{
	const unsigned char *alpn = NULL;
	unsigned alen = 0;
	X509 *cert;
	char subject[256] = "none";

	if (c->ssl == NULL) {
		snprintf(out, size, "no TLS");
		return;
	}
	SSL_get0_alpn_selected(c->ssl, &alpn, &alen);
	cert = SSL_get1_peer_certificate(c->ssl);
	if (cert) {
		X509_NAME_oneline(X509_get_subject_name(cert), subject,
				  sizeof subject);
		X509_free(cert);
	}
	snprintf(out, size, "%s, cipher %s, ALPN %.*s, certificate %s %s",
		 SSL_get_version(c->ssl), SSL_get_cipher_name(c->ssl),
		 alen ? (int)alen : 4, alen ? (const char *)alpn : "none",
		 subject, c->verified ? "(verified)" : "(not verified: -k)");
}

ssize_t
raw_conn_read(struct raw_conn *c, void *p, size_t n)
{
	ssize_t r;
	int e;

	if (c->ssl == NULL) {
		do
			r = read(c->fd, p, n);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		return r;
	}
	ERR_clear_error();
	errno = 0;		/* SSL_ERROR_SYSCALL leaves the cause here */
	r = SSL_read(c->ssl, p, n > 1 << 30 ? 1 << 30 : (int)n);
	if (r > 0)
		return r;
	e = SSL_get_error(c->ssl, (int)r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return -EAGAIN;
	if (e == SSL_ERROR_ZERO_RETURN)
		return 0;
	/* a peer that closes without close_notify: still end of stream */
	if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
		return errno ? -errno : 0;
	if (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) ==
	    SSL_R_UNEXPECTED_EOF_WHILE_READING)
		return 0;
	return -EPROTO;
}

ssize_t
raw_conn_write(struct raw_conn *c, const void *p, size_t n)
{
	ssize_t r;
	int e;

	if (c->ssl == NULL) {
		do
			r = send(c->fd, p, n, MSG_NOSIGNAL);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		return r;
	}
	ERR_clear_error();
	errno = 0;
	r = SSL_write(c->ssl, p, n > 1 << 30 ? 1 << 30 : (int)n);
	if (r > 0)
		return r;
	e = SSL_get_error(c->ssl, (int)r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return -EAGAIN;
	if (e == SSL_ERROR_SYSCALL && errno)
		return -errno;
	return -EPROTO;
}

void
raw_conn_shutdown_write(struct raw_conn *c)
{
	if (c->ssl)
		SSL_shutdown(c->ssl);	/* sends close_notify, may read on */
	if (c->fd >= 0)
		shutdown(c->fd, SHUT_WR);
}

void
raw_conn_close(struct raw_conn *c)
{
	if (c->ssl) {
		if (SSL_is_init_finished(c->ssl) &&
		    !(SSL_get_shutdown(c->ssl) & SSL_SENT_SHUTDOWN))
			SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->ctx) {
		SSL_CTX_free(c->ctx);
		c->ctx = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
