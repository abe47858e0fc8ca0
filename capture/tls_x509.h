/*
 * tls_x509.h - an X.509 certificate of a TLS Certificate message as
 * tshark's -V shows it: version, serial number, signature algorithm,
 * issuer, validity and subject (the parts a student reads to see who a
 * server claims to be, and who vouches for it).
 *
 * DESIGN.  The DER is parsed by OpenSSL (d2i_X509), never by hand; this
 * file only names what OpenSSL found with Wireshark's labels and filter
 * field names (x509af.*, x509if.*, x509sat.*).  Every node covers the
 * whole certificate's bytes (OpenSSL does not say where inside the DER a
 * part came from).  Must not print: lines go to a callback.
 */
#ifndef HTTPTOOL_TLS_X509_H
#define HTTPTOOL_TLS_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls_x509_cb {
	/* one line at depth (0: under the Certificate node); field and
	   str/num may be NULL; label is the -V text */
	void (*line)(void *ctx, int depth, const char *field,
		     const uint64_t *num, const char *str, const char *label);
};

/*
 * The subject of DER certificate p[0..n) as tshark's summary, the RDNs
 * last first: "id-at-commonName=localhost,id-at-organizationName=…",
 * into out (always NUL-terminated).  False when p is not a certificate.
 */
bool tls_x509_subject(const uint8_t *p, size_t n, char *out, size_t outn);

/* The nodes of DER certificate p[0..n) ("signedCertificate" and its
   children); nothing when it does not parse. */
void tls_x509_nodes(const uint8_t *p, size_t n, const struct tls_x509_cb *cb,
		    void *ctx);

#endif
