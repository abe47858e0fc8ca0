/*
 * tls_tree_impl.h - what tls_tree.c (records, handshake messages,
 * certificates, Info text) and tls_tree_hello.c (the hellos and their
 * extensions) share.  Private to those two files.
 */
#ifndef HTTPTOOL_TLS_TREE_IMPL_H
#define HTTPTOOL_TLS_TREE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "tls_tree.h"

struct tt {
	const struct tls_tree_cb *cb;
	void *ctx;
	int src;
	const uint8_t *base;		/* offsets are from here */
	char label[600];
	char str[160];
};

/* One node: field (may be NULL) with a number and/or text value. */
void tt_node(struct tt *t, int depth, const uint8_t *p, size_t len,
	     const char *field, const uint64_t *num, const char *str,
	     const char *fmt, ...) __attribute__((format(printf, 8, 9)));

#define NUM(t, d, p, len, f, v, ...) do {				\
		uint64_t v_ = (v);					\
		tt_node((t), (d), (p), (len), (f), &v_, NULL, __VA_ARGS__); \
	} while (0)
#define TXT(t, d, p, len, f, s, ...) \
	tt_node((t), (d), (p), (len), (f), NULL, (s), __VA_ARGS__)
#define LINE(t, d, p, len, ...) \
	tt_node((t), (d), (p), (len), NULL, NULL, NULL, __VA_ARGS__)

/* tshark's hex of a bytes field (36 bytes at most, then "…"), in t->str */
const char *tt_hex(struct tt *t, const uint8_t *p, size_t n);
const char *tt_or_unknown(const char *s);
/* "Version: TLS 1.2 (0x0303)" of the 2 bytes at p */
void tt_ver(struct tt *t, int d, const uint8_t *p, const char *field);

/* tls_tree_hello.c: the bodies of ClientHello, ServerHello (hs 2) or
   HelloRetryRequest (hs 6), and an extension list (hs: whose, 8 for
   EncryptedExtensions) */
void tt_client_hello(struct tt *t, int d, struct cursor c);
void tt_server_hello(struct tt *t, int d, struct cursor c, uint8_t hs);
void tt_extensions(struct tt *t, int d, struct cursor c, uint8_t hs);

#endif
