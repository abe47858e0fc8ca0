/*
 * tls_decrypt.c - key derivation and record decryption through OpenSSL
 * EVP (see tls_decrypt.h).
 *
 * TLS 1.2 record protection (RFC 5246 6.2.3, RFC 5288, RFC 7905):
 *   GCM      nonce = fixed_iv(4) || explicit(8, sent first in the record)
 *   ChaCha20 nonce = iv(12) XOR seq (left-padded); nothing explicit
 *   both     aad   = seq(8) || type || version(2) || plaintext length(2)
 *   CBC      IV(16) || E(plaintext || MAC || padding || padlen), the MAC
 *            over seq || type || version || length || plaintext; with
 *            encrypt_then_mac the MAC follows the ciphertext and covers
 *            seq || type || version || length(IV+C) || IV || C.
 *   CCM      (RFC 6655, 16- or 8-byte tag) as GCM
 *   TLS 1.0  CBC without an IV in the record: the first comes from the
 *            key block, each next one is the last ciphertext block (RFC
 *            2246 6.2.3.2); 1.0 and 1.1 derive keys with the MD5/SHA-1
 *            PRF.
 * TLS 1.3 (RFC 8446 5.2-5.3): nonce = iv XOR seq, aad = the record
 * header, the plaintext ends with the real content type and zeros.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "tls_decrypt.h"

static const char *
md_name(enum tls_mac h)
{
	switch (h) {
	case TLS_M_SHA1: return "SHA1";
	case TLS_M_SHA384: return "SHA384";
	case TLS_M_MD5SHA1: return "MD5-SHA1";
	default: return "SHA256";
	}
}

static size_t
md_len(enum tls_mac h)
{
	return h == TLS_M_SHA1 ? 20 : h == TLS_M_SHA384 ? 48 : 32;
}

static const EVP_CIPHER *
cipher_of(enum tls_cipher c)
{
	switch (c) {
	case TLS_C_AES128_GCM: return EVP_aes_128_gcm();
	case TLS_C_AES256_GCM: return EVP_aes_256_gcm();
	case TLS_C_CHACHA20: return EVP_chacha20_poly1305();
	case TLS_C_AES128_CBC: return EVP_aes_128_cbc();
	case TLS_C_AES256_CBC: return EVP_aes_256_cbc();
	case TLS_C_AES128_CCM: case TLS_C_AES128_CCM8:
		return EVP_aes_128_ccm();
	case TLS_C_AES256_CCM: case TLS_C_AES256_CCM8:
		return EVP_aes_256_ccm();
	default: return NULL;
	}
}

static size_t
key_len(enum tls_cipher c)
{
	return c == TLS_C_AES128_GCM || c == TLS_C_AES128_CBC ||
	       c == TLS_C_AES128_CCM || c == TLS_C_AES128_CCM8 ? 16 : 32;
}

static bool
is_ccm(enum tls_cipher c)
{
	return c == TLS_C_AES128_CCM || c == TLS_C_AES256_CCM ||
	       c == TLS_C_AES128_CCM8 || c == TLS_C_AES256_CCM8;
}

static size_t
tag_len(enum tls_cipher c)
{
	return c == TLS_C_AES128_CCM8 || c == TLS_C_AES256_CCM8 ? 8 : 16;
}

static bool
is_cbc(enum tls_cipher c)
{
	return c == TLS_C_AES128_CBC || c == TLS_C_AES256_CBC;
}

/* Run an EVP_KDF by name with params; 0 or -1. */
static int
kdf_run(const char *name, OSSL_PARAM *params, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, name, NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ok = kctx && EVP_KDF_derive(kctx, out, outlen, params) > 0;

	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

int
tls12_prf(enum tls_mac hash, const uint8_t *secret, size_t slen,
	  const char *label, const uint8_t *seed, size_t seedlen,
	  uint8_t *out, size_t outlen)
{
	uint8_t s[128];
	size_t ll = strlen(label);
	OSSL_PARAM p[4];

	if (ll + seedlen > sizeof(s))
		return -1;
	memcpy(s, label, ll);
	memcpy(s + ll, seed, seedlen);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)md_name(hash), 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						 (void *)secret, slen);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, s,
						 ll + seedlen);
	p[3] = OSSL_PARAM_construct_end();
	return kdf_run("TLS1-PRF", p, out, outlen);
}

int
tls13_expand_label(enum tls_mac hash, const uint8_t *secret, size_t slen,
		   const char *label, const uint8_t *ctx, size_t ctxlen,
		   uint8_t *out, size_t outlen)
{
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM p[7];

	p[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	p[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)md_name(hash), 0);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)secret, slen);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PREFIX,
						 (void *)"tls13 ", 6);
	p[4] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_LABEL,
						 (void *)label, strlen(label));
	p[5] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_DATA,
						 (void *)(ctx ? ctx : out),
						 ctxlen);
	p[6] = OSSL_PARAM_construct_end();
	return kdf_run("TLS13-KDF", p, out, outlen);
}

void
tls_rdec_free(struct tls_rdec *d)
{
	EVP_CIPHER_CTX_free(d->ctx);
	EVP_MAC_CTX_free(d->mac);
	OPENSSL_cleanse(d, sizeof(*d));
}

/* Key d's cipher (and MAC): 0 or -1. */
static int
rdec_setup(struct tls_rdec *d, const struct tls_suite_info *si,
	   const uint8_t *key, const uint8_t *mackey)
{
	const EVP_CIPHER *c = cipher_of(si->cipher);
	bool tls13 = d->tls13, etm = d->etm, implicit = d->implicit;
	uint8_t iv[12], civ[16];
	size_t ivlen = d->ivlen;

	memcpy(iv, d->iv, sizeof(iv));
	memcpy(civ, d->civ, sizeof(civ));
	tls_rdec_free(d);
	d->tls13 = tls13;
	d->etm = etm;
	d->implicit = implicit;
	d->si = *si;
	d->ivlen = ivlen;
	memcpy(d->iv, iv, sizeof(iv));
	memcpy(d->civ, civ, sizeof(civ));
	if (is_ccm(si->cipher)) {
		/* CCM takes its tag before its key: keyed per record */
		d->keylen = key_len(si->cipher);
		memcpy(d->key, key, d->keylen);
		key = NULL;
	}
	if (!c || !(d->ctx = EVP_CIPHER_CTX_new()) ||
	    EVP_DecryptInit_ex(d->ctx, c, NULL, key, NULL) <= 0)
		goto fail;
	if (is_cbc(si->cipher)) {
		EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		OSSL_PARAM p[2];

		EVP_CIPHER_CTX_set_padding(d->ctx, 0);
		d->maclen = md_len(si->mac);
		p[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST, (char *)md_name(si->mac), 0);
		p[1] = OSSL_PARAM_construct_end();
		d->mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
		EVP_MAC_free(mac);
		if (!d->mac || EVP_MAC_init(d->mac, mackey, d->maclen, p) <= 0)
			goto fail;
	}
	return 0;
fail:
	tls_rdec_free(d);
	return -1;
}

int
tls12_keys(const uint8_t master[48], const uint8_t cr[32],
	   const uint8_t sr[32], uint16_t suite, uint16_t version, bool etm,
	   struct tls_rdec *cli, struct tls_rdec *srv)
{
	struct tls_suite_info si;
	uint8_t seed[64], kb[2 * 48 + 2 * 32 + 2 * 16];
	size_t ml, kl, il;
	bool implicit;
	int r;

	if (tls_suite_info(suite, &si) < 0 || version < 0x0301 ||
	    (version < 0x0303 && !is_cbc(si.cipher)))
		return -1;
	implicit = version == 0x0301;
	ml = is_cbc(si.cipher) ? md_len(si.mac) : 0;
	kl = key_len(si.cipher);
	il = si.cipher == TLS_C_CHACHA20 ? 12 : implicit ? 16 :
	     is_cbc(si.cipher) ? 0 : 4;
	memcpy(seed, sr, 32);
	memcpy(seed + 32, cr, 32);
	if (tls12_prf(version < 0x0303 ? TLS_M_MD5SHA1 : si.prf, master, 48,
		      "key expansion", seed, 64, kb, 2 * (ml + kl + il)) < 0)
		return -1;
	cli->tls13 = srv->tls13 = false;
	cli->etm = srv->etm = etm && is_cbc(si.cipher);
	cli->implicit = srv->implicit = implicit;
	if (implicit) {
		cli->ivlen = srv->ivlen = 0;
		memcpy(cli->civ, kb + 2 * (ml + kl), 16);
		memcpy(srv->civ, kb + 2 * (ml + kl) + 16, 16);
	} else {
		cli->ivlen = srv->ivlen = il;
		memcpy(cli->iv, kb + 2 * (ml + kl), il);
		memcpy(srv->iv, kb + 2 * (ml + kl) + il, il);
	}
	cli->seq = srv->seq = 0;
	r = rdec_setup(cli, &si, kb + 2 * ml, kb);
	if (r == 0)
		r = rdec_setup(srv, &si, kb + 2 * ml + kl, kb + ml);
	OPENSSL_cleanse(kb, sizeof(kb));
	return r;
}

int
tls13_keys(struct tls_rdec *d, uint16_t suite, const uint8_t *secret,
	   size_t len)
{
	struct tls_suite_info si;
	uint8_t key[32];
	int r;

	if (tls_suite_info(suite, &si) < 0 || is_cbc(si.cipher) ||
	    len > sizeof(d->secret) || len != md_len(si.prf))
		return -1;
	d->tls13 = true;
	d->etm = false;
	d->ivlen = 12;
	if (tls13_expand_label(si.prf, secret, len, "key", NULL, 0, key,
			       key_len(si.cipher)) < 0 ||
	    tls13_expand_label(si.prf, secret, len, "iv", NULL, 0, d->iv,
			       12) < 0)
		return -1;
	r = rdec_setup(d, &si, key, NULL);
	OPENSSL_cleanse(key, sizeof(key));
	if (r == 0) {
		memmove(d->secret, secret, len);
		d->secret_len = len;
		d->seq = 0;
	}
	return r;
}

int
tls13_key_update(struct tls_rdec *d)
{
	uint8_t next[64];
	uint16_t suite = 0;
	int r;

	if (!d->ctx || !d->tls13)
		return -1;
	/* any suite with the same cipher and hash does: find one */
	switch (d->si.cipher) {
	case TLS_C_AES128_GCM: suite = 0x1301; break;
	case TLS_C_AES256_GCM: suite = 0x1302; break;
	case TLS_C_CHACHA20: suite = 0x1303; break;
	case TLS_C_AES128_CCM: suite = 0x1304; break;
	case TLS_C_AES128_CCM8: suite = 0x1305; break;
	default: return -1;
	}
	if (tls13_expand_label(d->si.prf, d->secret, d->secret_len,
			       "traffic upd", NULL, 0, next,
			       d->secret_len) < 0)
		return -1;
	r = tls13_keys(d, suite, next, d->secret_len);
	OPENSSL_cleanse(next, sizeof(next));
	return r;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* CCM open (tag first, then key and nonce, then the length): 0 or -1. */
static int
ccm_open(struct tls_rdec *d, const uint8_t nonce[12], const uint8_t *aad,
	 size_t aadlen, const uint8_t *c, size_t clen, const uint8_t *tag,
	 uint8_t *out)
{
	int l = 0;

	if (EVP_DecryptInit_ex(d->ctx, cipher_of(d->si.cipher), NULL, NULL,
			       NULL) <= 0 ||
	    EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_AEAD_SET_IVLEN, 12,
				NULL) <= 0 ||
	    EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_AEAD_SET_TAG,
				(int)tag_len(d->si.cipher), (void *)tag) <= 0 ||
	    EVP_DecryptInit_ex(d->ctx, NULL, NULL, d->key, nonce) <= 0 ||
	    EVP_DecryptUpdate(d->ctx, NULL, &l, NULL, (int)clen) <= 0 ||
	    EVP_DecryptUpdate(d->ctx, NULL, &l, aad, (int)aadlen) <= 0 ||
	    EVP_DecryptUpdate(d->ctx, out, &l, c, (int)clen) <= 0)
		return -1;
	return 0;
}

/* AEAD open: 0 or -1 (out gets clen bytes). */
static int
aead_open(struct tls_rdec *d, const uint8_t nonce[12], const uint8_t *aad,
	  size_t aadlen, const uint8_t *c, size_t clen, const uint8_t *tag,
	  uint8_t *out)
{
	int l1 = 0, l2 = 0;

	if (clen > TLS_RECORD_MAX + 256)
		return -1;
	if (is_ccm(d->si.cipher))
		return ccm_open(d, nonce, aad, aadlen, c, clen, tag, out);
	if (EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, nonce) <= 0 ||
	    EVP_DecryptUpdate(d->ctx, NULL, &l1, aad, (int)aadlen) <= 0 ||
	    EVP_DecryptUpdate(d->ctx, out, &l1, c, (int)clen) <= 0 ||
	    EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_AEAD_SET_TAG, 16,
				(void *)tag) <= 0 ||
	    EVP_DecryptFinal_ex(d->ctx, out + l1, &l2) <= 0)
		return -1;
	return 0;
}

static long
open_aead(struct tls_rdec *d, const uint8_t hdr[5], const uint8_t *frag,
	  size_t n, uint8_t *out, uint8_t *ct)
{
	uint8_t nonce[12], aad[13];
	size_t expl = 0, clen, i, tl = tag_len(d->si.cipher);

	if (!d->tls13 && d->si.cipher != TLS_C_CHACHA20)
		expl = 8;
	if (n < expl + tl + (d->tls13 ? 1 : 0))
		return -1;
	clen = n - expl - tl;
	memset(nonce, 0, sizeof(nonce));
	if (expl) {
		memcpy(nonce, d->iv, 4);
		memcpy(nonce + 4, frag, 8);
	} else {
		put_be64(nonce + 4, d->seq);
		for (i = 0; i < 12; i++)
			nonce[i] ^= d->iv[i];
	}
	if (d->tls13) {
		memcpy(aad, hdr, 5);
	} else {
		put_be64(aad, d->seq);
		memcpy(aad + 8, hdr, 3);
		aad[11] = (uint8_t)(clen >> 8);
		aad[12] = (uint8_t)clen;
	}
	if (aead_open(d, nonce, aad, d->tls13 ? 5 : 13, frag + expl, clen,
		      frag + n - tl, out) < 0)
		return -1;
	*ct = hdr[0];
	if (d->tls13) {		/* strip the zero padding, then the type */
		while (clen > 0 && out[clen - 1] == 0)
			clen--;
		if (clen == 0)
			return -1;
		*ct = out[--clen];
	}
	d->seq++;
	return (long)clen;
}

/* HMAC of seq || type || version || len || data: 0 when it matches. */
static int
mac_check(struct tls_rdec *d, const uint8_t hdr[5], const uint8_t *data,
	  size_t len, const uint8_t *want)
{
	uint8_t pre[13], got[64];
	size_t gl = 0;

	put_be64(pre, d->seq);
	memcpy(pre + 8, hdr, 3);
	pre[11] = (uint8_t)(len >> 8);
	pre[12] = (uint8_t)len;
	if (EVP_MAC_init(d->mac, NULL, 0, NULL) <= 0 ||
	    EVP_MAC_update(d->mac, pre, sizeof(pre)) <= 0 ||
	    EVP_MAC_update(d->mac, data, len) <= 0 ||
	    EVP_MAC_final(d->mac, got, &gl, sizeof(got)) <= 0 ||
	    gl != d->maclen)
		return -1;
	return memcmp(got, want, gl) == 0 ? 0 : -1;
}

static long
open_cbc(struct tls_rdec *d, const uint8_t hdr[5], const uint8_t *frag,
	 size_t n, uint8_t *out, uint8_t *ct)
{
	size_t ml = d->maclen, clen, pad, plen, ivl = d->implicit ? 0 : 16;
	const uint8_t *c = frag + ivl;
	uint8_t iv[16];
	int l = 0;

	if (d->etm) {
		if (n < ivl + 16 + ml || (n - ml - ivl) % 16 ||
		    mac_check(d, hdr, frag, n - ml, frag + n - ml) < 0)
			return -1;
		clen = n - ml - ivl;
	} else {
		if (n < ivl + 16 || (n - ivl) % 16)
			return -1;
		clen = n - ivl;
	}
	if (clen > TLS_RECORD_MAX + 1024)
		return -1;
	memcpy(iv, d->implicit ? d->civ : frag, 16);
	if (d->implicit)	/* the next record's IV, whatever this gives */
		memcpy(d->civ, c + clen - 16, 16);
	if (EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, iv) <= 0 ||
	    EVP_DecryptUpdate(d->ctx, out, &l, c, (int)clen) <= 0 ||
	    (size_t)l != clen)
		return -1;
	pad = out[clen - 1];
	if (pad + 1 > clen)
		return -1;
	plen = clen - pad - 1;
	if (!d->etm) {
		if (plen < ml)
			return -1;
		plen -= ml;
		if (mac_check(d, hdr, out, plen, out + plen) < 0)
			return -1;
	}
	*ct = hdr[0];
	d->seq++;
	return (long)plen;
}

long
tls_rdec_record(struct tls_rdec *d, const uint8_t hdr[5],
		const uint8_t *frag, size_t n, uint8_t *out, uint8_t *ct)
{
	if (!d->ctx)
		return -1;
	if (is_cbc(d->si.cipher))
		return open_cbc(d, hdr, frag, n, out, ct);
	return open_aead(d, hdr, frag, n, out, ct);
}
