/*
 * tls_decrypt.h - TLS record decryption from logged secrets, all through
 * OpenSSL's EVP (STYLE.md 18): TLS 1.2 key blocks with EVP_KDF
 * "TLS1-PRF", TLS 1.3 keys with EVP_KDF "TLS13-KDF" (HKDF-Expand-Label),
 * records with EVP_CIPHER (AES-GCM, ChaCha20-Poly1305, AES-CBC) and
 * EVP_MAC "HMAC" for the CBC suites (MAC-then-encrypt, or
 * encrypt-then-mac, RFC 7366).  No cipher is written here.
 *
 * One struct tls_rdec protects one direction of one connection: a cipher
 * context keyed once, and the record sequence number.  It knows nothing
 * of handshakes; tls.c decides when a direction starts using which keys.
 */
#ifndef HTTPTOOL_TLS_DECRYPT_H
#define HTTPTOOL_TLS_DECRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls_names.h"

struct evp_cipher_ctx_st;
struct evp_mac_ctx_st;

struct tls_rdec {
	struct evp_cipher_ctx_st *ctx;	/* NULL: no keys (yet) */
	struct evp_mac_ctx_st *mac;	/* CBC suites */
	struct tls_suite_info si;
	bool tls13, etm;
	uint8_t iv[12];			/* fixed (GCM: 4) or static IV */
	uint8_t key[32];		/* CCM: keyed again for each record */
	size_t keylen;
	bool implicit;			/* TLS 1.0 CBC: no IV in the record */
	uint8_t civ[16];		/* ... the last ciphertext block */
	size_t ivlen, maclen;
	uint64_t seq;			/* next record's sequence number */
	uint8_t secret[64];		/* TLS 1.3: current traffic secret */
	size_t secret_len;
};

/* Largest plaintext plus slack a record may decrypt to (RFC 8446 5.2). */
#define TLS_RECORD_MAX (16384 + 2048)

/*
 * TLS 1.2 (and 1.1) from the master secret: derive the key block and key
 * both directions (cli: client writes, srv: server writes).  suite must
 * be one tls_suite_info() knows; etm: encrypt_then_mac was negotiated.
 * 0, or -1 when OpenSSL refused.
 */
int tls12_keys(const uint8_t master[48], const uint8_t cr[32],
	       const uint8_t sr[32], uint16_t suite, uint16_t version,
	       bool etm, struct tls_rdec *cli, struct tls_rdec *srv);

/* TLS 1.3: key d from a traffic secret (handshake or application). */
int tls13_keys(struct tls_rdec *d, uint16_t suite, const uint8_t *secret,
	       size_t len);

/* TLS 1.3 KeyUpdate: the next traffic secret of d ("traffic upd"). */
int tls13_key_update(struct tls_rdec *d);

/*
 * Decrypt one record: hdr is its 5-byte header, frag[0..n) its body.
 * out must hold n bytes.  Returns the plaintext length, -1 when the
 * record does not authenticate (wrong key, or not our record).  TLS 1.3:
 * the padding is removed and *ct is the inner content type; TLS 1.2: *ct
 * is hdr[0].  The sequence number advances only on success.
 */
long tls_rdec_record(struct tls_rdec *d, const uint8_t hdr[5],
		     const uint8_t *frag, size_t n, uint8_t *out,
		     uint8_t *ct);

void tls_rdec_free(struct tls_rdec *d);

/* The primitives, for the known-answer tests.  0 or -1. */
int tls12_prf(enum tls_mac hash, const uint8_t *secret, size_t slen,
	      const char *label, const uint8_t *seed, size_t seedlen,
	      uint8_t *out, size_t outlen);
int tls13_expand_label(enum tls_mac hash, const uint8_t *secret,
		       size_t slen, const char *label, const uint8_t *ctx,
		       size_t ctxlen, uint8_t *out, size_t outlen);

#endif
