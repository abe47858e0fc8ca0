/*
 * tls_names.h - names of TLS code points as Wireshark prints them
 * (content types, versions, handshake types, alerts, cipher suites,
 * extensions, groups, signature schemes), and what the decrypter needs
 * to know about a cipher suite.
 *
 * Pure tables: no state, no OpenSSL.  A code point not in a table gets
 * NULL; callers print "Unknown (0x....)" as Wireshark does.
 */
#ifndef HTTPTOOL_TLS_NAMES_H
#define HTTPTOOL_TLS_NAMES_H

#include <stdint.h>

const char *tls_content_type_name(uint8_t ct);	/* "Handshake" */
const char *tls_version_name(uint16_t v);	/* "TLS 1.2" */
const char *tls_version_proto(uint16_t v);	/* "TLSv1.2" (protocol column) */
const char *tls_handshake_name(uint8_t t);	/* "Client Hello" */
const char *tls_alert_level_name(uint8_t l);	/* "Fatal" */
const char *tls_alert_name(uint8_t d);		/* "Close Notify" */
const char *tls_suite_name(uint16_t s);		/* "TLS_AES_128_GCM_SHA256" */
const char *tls_ext_name(uint16_t t);		/* "server_name" */
const char *tls_group_name(uint16_t g);		/* "x25519" */
const char *tls_sigalg_name(uint16_t a);	/* "ecdsa_secp256r1_sha256" */

/* How records of a suite are protected (TLS 1.2 and 1.3). */
enum tls_cipher { TLS_C_NONE = 0, TLS_C_AES128_GCM, TLS_C_AES256_GCM,
		  TLS_C_CHACHA20, TLS_C_AES128_CBC, TLS_C_AES256_CBC,
		  TLS_C_AES128_CCM, TLS_C_AES256_CCM,	/* 16-byte tag */
		  TLS_C_AES128_CCM8, TLS_C_AES256_CCM8 };	/* 8-byte tag */
enum tls_mac { TLS_M_AEAD = 0, TLS_M_SHA1, TLS_M_SHA256, TLS_M_SHA384,
	       TLS_M_MD5SHA1 };	/* the PRF of TLS 1.0 and 1.1 */

struct tls_suite_info {
	enum tls_cipher cipher;
	enum tls_mac mac;	/* record MAC of the CBC suites */
	enum tls_mac prf;	/* PRF / HKDF hash (SHA256 or SHA384) */
};

/* 0 and *out filled when suite s can be decrypted; -1 otherwise. */
int tls_suite_info(uint16_t s, struct tls_suite_info *out);

#endif
