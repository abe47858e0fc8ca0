/*
 * tls.c - OpenSSL for `serve --tls` (see tls.h).
 *
 * Without --cert/--key a P-256 key and a self-signed certificate for
 * localhost, 127.0.0.1 and ::1 are made in memory at startup (nothing is
 * written to disk); its SHA-256 fingerprint is printed so a client can
 * pin it.  ALPN selects h2 (HTTP/2, server/h2.c) or http/1.1 in the
 * server's order of preference; the echo server selects only http/1.1.
 * A client that asks for neither gets no ALPN answer (RFC 7301 §3.2).
 * tls_sniff() lets the server tell plain text sent to the TLS port from
 * a ClientHello before OpenSSL sees either.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lib/sslkeylog.h"
#include "server/tls.h"

static void
tls_print_error(const char *what)
{
	unsigned long e = ERR_get_error();
	char msg[256] = "unknown error";

	if (e)
		ERR_error_string_n(e, msg, sizeof msg);
	fprintf(stderr, "httptool serve: %s: %s\n", what, msg);
	ERR_clear_error();
}

static int
tls_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
	 const unsigned char *in, unsigned int inlen, void *arg)
{
	static const unsigned char h1[] = "\x08http/1.1";
	static const unsigned char both[] = "\x02h2\x08http/1.1";
	bool h2 = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), 0) != NULL;
	unsigned char *sel;

	(void)arg;
	if (SSL_select_next_proto(&sel, outlen, h2 ? both : h1,
				  (unsigned)(h2 ? sizeof both : sizeof h1) - 1,
				  in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

static int
tls_add_ext(X509 *crt, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&v3, crt, crt, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!ext)
		return -1;
	int ok = X509_add_ext(crt, ext, -1);

	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* A self-signed certificate for localhost, installed in ctx. */
static int
tls_self_signed(SSL_CTX *ctx)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *crt = X509_new();
	X509_NAME *name;
	int rc = -1;
	unsigned char serial[16];

	if (!key || !crt)
		goto out;
	FILE *ur = fopen("/dev/urandom", "rb");

	if (!ur || fread(serial, 1, sizeof serial, ur) != sizeof serial)
		memset(serial, 0x5a, sizeof serial);
	if (ur)
		fclose(ur);
	serial[0] &= 0x7f;
	BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);

	X509_set_version(crt, 2);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(crt));
	BN_free(bn);
	X509_gmtime_adj(X509_getm_notBefore(crt), -3600);
	X509_gmtime_adj(X509_getm_notAfter(crt), 30L * 24 * 3600);
	X509_set_pubkey(crt, key);
	name = X509_get_subject_name(crt);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
				   (const unsigned char *)"httptool serve", -1,
				   -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"localhost", -1, -1,
				   0);
	X509_set_issuer_name(crt, name);
	if (tls_add_ext(crt, NID_subject_alt_name, "DNS:localhost,"
			"IP:127.0.0.1,IP:::1") < 0 ||
	    tls_add_ext(crt, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
	    tls_add_ext(crt, NID_ext_key_usage, "serverAuth") < 0)
		goto out;
	if (!X509_sign(crt, key, EVP_sha256()) ||
	    SSL_CTX_use_certificate(ctx, crt) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, key) != 1)
		goto out;
	rc = 0;
out:
	X509_free(crt);
	EVP_PKEY_free(key);
	return rc;
}

static void
tls_fingerprint(SSL_CTX *ctx, char *fp, size_t size)
{
	X509 *crt = SSL_CTX_get0_certificate(ctx);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t o = 0;

	fp[0] = 0;
	if (!crt || !X509_digest(crt, EVP_sha256(), md, &n))
		return;
	for (unsigned int i = 0; i < n && o + 4 < size; i++)
		o += (size_t)snprintf(fp + o, size - o, "%s%02X", i ? ":" : "",
				      md[i]);
}

void *
tls_ctx_new(const char *cert, const char *key, const char *keylog, char *fp,
	    size_t fpsize)
{
	int r;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx) {
		tls_print_error("cannot create a TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
			 SSL_MODE_RELEASE_BUFFERS);
	/* A peer that closes without close_notify has closed: OpenSSL 3
	 * would answer its EOF with a fatal Decode Error alert instead. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_alpn_select_cb(ctx, tls_alpn, NULL);
	if ((cert != NULL) != (key != NULL)) {
		fprintf(stderr, "httptool serve: --cert and --key go together\n");
		goto fail;
	}
	if (cert) {
		if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
			tls_print_error("cannot load --cert");
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			tls_print_error("cannot load --key");
			goto fail;
		}
	} else if (tls_self_signed(ctx) < 0) {
		tls_print_error("cannot make a self-signed certificate");
		goto fail;
	}
	tls_fingerprint(ctx, fp, fpsize);
	if ((r = sslkeylog_attach(ctx, keylog)) < 0) {
		fprintf(stderr, "httptool serve: cannot write the key log "
			"'%s': %s\n", sslkeylog_path(keylog), strerror(-r));
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

void
tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

enum tls_sniff
tls_sniff(int fd)
{
	unsigned char b;
	ssize_t n = recv(fd, &b, 1, MSG_PEEK);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? TLS_SNIFF_WAIT :
		    TLS_SNIFF_GONE;
	if (n == 0)
		return TLS_SNIFF_GONE;
	if (b == 0x16 || (b & 0x80))
		return TLS_SNIFF_TLS;
	/* one byte is enough: no HTTP method starts with a control byte */
	if ((b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t')
		return TLS_SNIFF_PLAIN;
	return TLS_SNIFF_TLS;
}

void *
tls_new(void *ctx, int fd)
{
	SSL *ssl = SSL_new(ctx);

	if (!ssl)
		return NULL;
	if (SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		return NULL;
	}
	SSL_set_accept_state(ssl);
	return ssl;
}

void
tls_free(void *ssl)
{
	if (!ssl)
		return;
	if (SSL_is_init_finished(ssl))
		SSL_shutdown(ssl);	/* close_notify, best effort */
	SSL_free(ssl);
	ERR_clear_error();
}

/* Map an SSL_get_error() result to our convention. */
static long
tls_status(SSL *ssl, int r, bool *want_write)
{
	switch (SSL_get_error(ssl, r)) {
	case SSL_ERROR_WANT_READ:
		*want_write = false;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		*want_write = true;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		ERR_clear_error();
		return -EIO;
	}
}

int
tls_handshake(void *ssl, bool *want_write)
{
	int r = SSL_do_handshake(ssl);

	if (r == 1)
		return 1;
	long s = tls_status(ssl, r, want_write);

	return s == -EAGAIN ? 0 : -1;
}

enum tls_step
tls_accept_step(void *ssl, int fd, bool *sniffed, bool *want_write)
{
	int r;

	if (!*sniffed) {
		switch (tls_sniff(fd)) {
		case TLS_SNIFF_WAIT:
			*want_write = false;
			return TLS_STEP_WAIT;
		case TLS_SNIFF_GONE:
			return TLS_STEP_FAIL;
		case TLS_SNIFF_PLAIN:
			return TLS_STEP_PLAIN;
		case TLS_SNIFF_TLS:
			*sniffed = true;
			break;
		}
	}
	r = tls_handshake(ssl, want_write);
	return r < 0 ? TLS_STEP_FAIL : r == 0 ? TLS_STEP_WAIT : TLS_STEP_READY;
}

long
tls_read(void *ssl, void *p, size_t n, bool *want_write)
{
	int r = SSL_read(ssl, p, n > 1u << 30 ? 1 << 30 : (int)n);

	if (r > 0)
		return r;
	long s = tls_status(ssl, r, want_write);

	return s == -EIO ? 0 : s;	/* a dirty close is still a close */
}

long
tls_write(void *ssl, const void *p, size_t n, bool *want_write)
{
	int r = SSL_write(ssl, p, n > 1u << 30 ? 1 << 30 : (int)n);

	if (r > 0)
		return r;
	long s = tls_status(ssl, r, want_write);

	return s == 0 ? -EIO : s;
}

void
tls_ctx_offer_h2(void *ctx)
{
	static int yes = 1;

	SSL_CTX_set_ex_data(ctx, 0, &yes);
}

bool
tls_alpn_is_h2(void *ssl)
{
	const unsigned char *p;
	unsigned int n;

	SSL_get0_alpn_selected(ssl, &p, &n);
	return n == 2 && memcmp(p, "h2", 2) == 0;
}
