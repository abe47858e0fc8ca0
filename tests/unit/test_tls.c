/*
 * test_tls.c - the TLS decoder (capture/tls.c, tls_tree.c), the key log
 * reader (keylog.c) and the decrypter (tls_decrypt.c): known-answer
 * vectors for HKDF-Expand-Label (RFC 8448 section 3) and the TLS 1.2
 * PRF; records split anywhere and packed many to a segment give the same
 * events; garbage ends a direction without reading past its bytes;
 * TLS 1.3 records sealed here with EVP decrypt to what was sealed, also
 * after a KeyUpdate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "capture/keylog.h"
#include "capture/tls.h"
#include "capture/tls_names.h"
#include "capture/tls_tree.h"
#include "unit.h"

static size_t
unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

TEST(tls13_expand_label_rfc8448)
{
	uint8_t sec[32], want[32], out[32];
	size_t n;

	/* RFC 8448 3: server handshake traffic secret -> key, iv */
	n = unhex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
		  sec);
	CHECK_EQ(n, 32);
	CHECK_EQ(tls13_expand_label(TLS_M_SHA256, sec, 32, "key", NULL, 0, out,
				    16), 0);
	unhex("3fce516009c21727d0f2e4e86ee403bc", want);
	CHECK(memcmp(out, want, 16) == 0);
	CHECK_EQ(tls13_expand_label(TLS_M_SHA256, sec, 32, "iv", NULL, 0, out,
				    12), 0);
	unhex("5d313eb2671276ee13000b30", want);
	CHECK(memcmp(out, want, 12) == 0);
}

TEST(tls12_prf_sha256_vector)
{
	uint8_t sec[16], seed[16], want[16], out[100];

	/* the TLS 1.2 PRF-SHA256 vector published on the IETF TLS list */
	unhex("9bbe436ba940f017b17652849a71db35", sec);
	unhex("a0ba9f936cda311827a6f796ffd5198c", seed);
	unhex("e3f229ba727be17b8d122620557cd453", want);
	CHECK_EQ(tls12_prf(TLS_M_SHA256, sec, 16, "test label", seed, 16, out,
			   100), 0);
	CHECK(memcmp(out, want, 16) == 0);
}

TEST(tls_names_tables)
{
	struct tls_suite_info si;

	CHECK_STR(tls_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
	CHECK_STR(tls_suite_name(0x2a2a), "Reserved (GREASE)");
	CHECK(tls_suite_name(0x1234) == NULL);
	CHECK_STR(tls_handshake_name(1), "Client Hello");
	CHECK_STR(tls_alert_name(0), "Close Notify");
	CHECK_STR(tls_ext_name(16), "application_layer_protocol_negotiation");
	CHECK_STR(tls_version_proto(0x0304), "TLSv1.3");
	CHECK_EQ(tls_suite_info(0xc013, &si), 0);
	CHECK_EQ(si.cipher, TLS_C_AES128_CBC);
	CHECK_EQ(si.mac, TLS_M_SHA1);
	CHECK_EQ(tls_suite_info(0x000a, &si), -1);
}

static const char *cr_hex =
	"0101010101010101010101010101010101010101010101010101010101010101";

TEST(keylog_lines_and_growth)
{
	struct keylog k;
	char path[] = "/tmp/httptool-keylog-XXXXXX", line[300];
	const uint8_t *s;
	uint8_t cr[32];
	size_t len;
	FILE *f;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	unhex(cr_hex, cr);
	CHECK_EQ(keylog_open(&k, NULL), 0);
	CHECK_EQ(keylog_add_line(&k, "# comment", 9), 0);
	CHECK_EQ(keylog_add_line(&k, "", 0), 0);
	CHECK_EQ(keylog_add_line(&k, "EXPORTER_SECRET aa bb", 21), 0);
	CHECK_EQ(keylog_add_line(&k, "CLIENT_RANDOM zz", 16), -1);
	snprintf(line, sizeof(line), "CLIENT_RANDOM %s %s", cr_hex, cr_hex);
	CHECK_EQ(keylog_add_line(&k, line, strlen(line)), -1); /* 32 != 48 */
	snprintf(line, sizeof(line), "SERVER_TRAFFIC_SECRET_0 %s %s", cr_hex,
		 "00112233");
	CHECK_EQ(keylog_add_line(&k, line, strlen(line)), 1);
	s = keylog_find(&k, KL_SERVER_TRAFFIC0, cr, &len);
	CHECK(s && len == 4 && s[3] == 0x33);
	CHECK(keylog_find(&k, KL_CLIENT_TRAFFIC0, cr, &len) == NULL);
	keylog_free(&k);

	/* a file read as it grows, a half-written line read next time */
	CHECK_EQ(keylog_open(&k, path), 0);
	f = fdopen(fd, "w");
	fprintf(f, "CLIENT_TRAFFIC_SECRET_0 %s aabb\nCLIENT_HANDSHAKE_TRAFFIC_SECRET %s cc",
		cr_hex, cr_hex);
	fflush(f);
	CHECK_EQ(keylog_refresh(&k), 1);
	CHECK(keylog_find(&k, KL_CLIENT_HS, cr, &len) == NULL);
	fprintf(f, "dd\n");
	fflush(f);
	CHECK_EQ(keylog_refresh(&k), 1);
	s = keylog_find(&k, KL_CLIENT_HS, cr, &len);
	CHECK(s && len == 2 && s[0] == 0xcc && s[1] == 0xdd);
	CHECK_EQ(keylog_refresh(&k), 0);
	fclose(f);
	unlink(path);
	keylog_free(&k);
}

/* What the decoder reported, for comparing runs. */
struct seen {
	struct buf log;
	struct buf app[2];
};

static void
on_record(void *ctx, void *flow, const struct tls_record *r)
{
	struct seen *s = ctx;
	struct buf info = BUF_INIT;

	(void)flow;
	buf_printf(&s->log, "%d@%llu t%u v%04x l%u d%d i%u bad%d;", r->dir,
		   (unsigned long long)r->off, r->type, r->version, r->len,
		   r->dec, r->inner_type, r->bad);
	tls_record_info(r, &info);
	buf_printf(&s->log, "%s\n", info.data ? info.data : "");
	buf_free(&info);
}

static void
on_app(void *ctx, void *flow, int dir, const uint8_t *p, size_t n)
{
	struct seen *s = ctx;

	(void)flow;
	buf_append(&s->app[dir], p, n);
}

static const struct tls_cb test_cb = { on_record, on_app };

/* A TLS 1.3 ClientHello record with SNI "localhost", ALPN h2/http1.1. */
static size_t
client_hello(uint8_t *o)
{
	static const char *hx =
		"16030100a1" "0100009d" "0303" /* rec, hs, version */
		"0101010101010101010101010101010101010101010101010101010101010101"
		"00" "0004" "13011302" "0100" "0070"
		"0000000e000c0000096c6f63616c686f7374"	/* server_name */
		"0010000e000c02683208687474702f312e31"	/* alpn */
		"002b0003020304"			/* supported_versions */
		"000a00040002001d"			/* groups */
		"002d00020101"				/* psk modes */
		"00330026002400 1d0020"
		"1111111111111111111111111111111111111111111111111111111111111111"
		"000d000400020403";
	size_t n = unhex(hx, o);

	/* fill in the record, handshake and extension lengths */
	o[3] = (uint8_t)((n - 5) >> 8);
	o[4] = (uint8_t)(n - 5);
	o[7] = (uint8_t)((n - 9) >> 8);
	o[8] = (uint8_t)(n - 9);
	o[52] = (uint8_t)((n - 54) >> 8);
	o[53] = (uint8_t)(n - 54);
	return n;
}

static void
feed_split(struct tls_env *e, struct tls_conn *c, int dir, const uint8_t *p,
	   size_t n, size_t step)
{
	size_t i;

	for (i = 0; i < n; i += step)
		tls_feed(e, c, NULL, dir, p + i, n - i < step ? n - i : step);
}

TEST(tls_records_any_split)
{
	uint8_t rec[600];
	size_t n = client_hello(rec), i;
	const char *guarded;
	struct seen whole = { 0 }, split = { 0 };
	static struct tls_env e;
	struct tls_conn *c;

	CHECK_EQ(n, 161);
	/* an alert and a CCS after the hello, all in one segment; what
	   follows the CCS is protected */
	memcpy(rec + n, "\x15\x03\x03\x00\x02\x01\x00" "\x14\x03\x03\x00\x01\x01"
	       "\x15\x03\x03\x00\x02\x01\x00", 20);
	n += 20;
	guarded = unit_guard(rec, n);
	e.cb = &test_cb;
	e.ctx = &whole;
	c = tls_conn_new();
	tls_feed(&e, c, NULL, 0, (const uint8_t *)guarded, n);
	CHECK_STR(c->s.sni, "localhost");
	CHECK(c->s.have_cr);
	tls_conn_free(&e, c);
	CHECK_STR(whole.log.data,
		  "0@0 t22 v0301 l156 d0 i22 bad0;Client Hello (SNI=localhost)\n"
		  "0@161 t21 v0303 l2 d0 i21 bad0;Alert (Level: Warning, "
		  "Description: Close Notify)\n"
		  "0@168 t20 v0303 l1 d0 i20 bad0;Change Cipher Spec\n"
		  "0@174 t21 v0303 l2 d1 i21 bad0;Encrypted Alert\n");
	for (i = 1; i < 8; i++) {
		e.ctx = &split;
		buf_reset(&split.log);
		c = tls_conn_new();
		feed_split(&e, c, 0, (const uint8_t *)guarded, n, i);
		CHECK_STR(split.log.data ? split.log.data : "", whole.log.data);
		tls_conn_free(&e, c);
	}
	buf_free(&whole.log);
	buf_free(&split.log);
}

static void
count_nodes(void *ctx, const struct tls_node *n)
{
	struct seen *s = ctx;

	if (n->field)
		buf_printf(&s->log, "%s=%s|", n->field,
			   n->str ? n->str : n->has_num ? "#" : "");
}

TEST(tls_tree_client_hello_fields)
{
	uint8_t rec[600];
	size_t n = client_hello(rec);
	struct tls_record r;
	struct tls_session s;
	struct seen out = { 0 };
	const struct tls_tree_cb cb = { count_nodes };

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	r.type = 22;
	r.version = 0x0301;
	r.len = (uint16_t)(n - 5);
	r.rec = (const uint8_t *)unit_guard(rec, n);
	tls_tree_record(&r, &s, &cb, &out);
	CHECK(strstr(out.log.data, "tls.handshake.type=#|"));
	CHECK(strstr(out.log.data,
		      "tls.handshake.extensions_server_name=localhost|"));
	CHECK(strstr(out.log.data, "tls.handshake.extensions_alpn_str=h2|"));
	CHECK(strstr(out.log.data,
		      "tls.handshake.extensions_alpn_str=http/1.1|"));
	CHECK(strstr(out.log.data, "tls.handshake.ciphersuite=#|"));
	CHECK(strstr(out.log.data,
		      "tls.handshake.extensions.supported_version=#|"));
	buf_free(&out.log);

	/* every truncation of the record is walked without over-reading */
	for (r.len = 0; r.len < n - 5; r.len++) {
		r.rec = (const uint8_t *)unit_guard(rec, 5u + r.len);
		tls_tree_record(&r, &s, &cb, &out);
		buf_free(&out.log);
		unit_guard_release();
	}
}

TEST(tls_garbage_ends_direction)
{
	static struct tls_env e;
	struct seen out = { 0 };
	struct tls_conn *c = tls_conn_new();
	uint8_t rec[600];
	size_t n = client_hello(rec);

	e.cb = &test_cb;
	e.ctx = &out;
	memcpy(rec + n, "GET / HTTP/1.1\r\n", 16);
	tls_feed(&e, c, NULL, 0, (const uint8_t *)unit_guard(rec, n + 16),
		 n + 16);
	CHECK(strstr(out.log.data, "bad1;") != NULL);
	CHECK(c->d[0].dead);
	tls_feed(&e, c, NULL, 0, rec, n);	/* ignored from now on */
	CHECK_EQ(e.records, 1);
	tls_conn_free(&e, c);
	buf_free(&out.log);
}

/* Seal a TLS 1.3 record of type ct with key/iv for sequence seq. */
static size_t
seal13(const uint8_t *key, const uint8_t *iv, uint64_t seq, uint8_t ct,
       const char *msg, uint8_t *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	uint8_t nonce[12], in[256];
	size_t n = strlen(msg) + 1;
	int l = 0, i;

	memcpy(in, msg, n - 1);
	in[n - 1] = ct;
	memcpy(nonce, iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
	out[0] = 23; out[1] = 3; out[2] = 3;
	out[3] = (uint8_t)((n + 16) >> 8);
	out[4] = (uint8_t)(n + 16);
	EVP_EncryptInit_ex(x, EVP_aes_128_gcm(), NULL, key, nonce);
	EVP_EncryptUpdate(x, NULL, &l, out, 5);
	EVP_EncryptUpdate(x, out + 5, &l, in, (int)n);
	EVP_EncryptFinal_ex(x, out + 5 + n, &l);
	EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, out + 5 + n);
	EVP_CIPHER_CTX_free(x);
	return 5 + n + 16;
}

TEST(tls13_decrypt_and_key_update)
{
	uint8_t sec[32], next[32], key[16], iv[12], rec[400];
	struct tls_rdec d;
	uint8_t out[400], ct = 0;
	long n;
	size_t len;

	memset(&d, 0, sizeof(d));
	memset(sec, 0x42, sizeof(sec));
	tls13_expand_label(TLS_M_SHA256, sec, 32, "key", NULL, 0, key, 16);
	tls13_expand_label(TLS_M_SHA256, sec, 32, "iv", NULL, 0, iv, 12);
	CHECK_EQ(tls13_keys(&d, 0x1301, sec, 32), 0);
	len = seal13(key, iv, 0, 23, "GET / HTTP/1.1\r\n\r\n", rec);
	n = tls_rdec_record(&d, rec, rec + 5, len - 5, out, &ct);
	CHECK_EQ(n, 18);
	CHECK_EQ(ct, 23);
	CHECK(memcmp(out, "GET / HTTP/1.1\r\n\r\n", 18) == 0);
	/* the same record again: sequence 1 now, so it fails */
	CHECK_EQ(tls_rdec_record(&d, rec, rec + 5, len - 5, out, &ct), -1);
	/* a flipped bit fails */
	len = seal13(key, iv, 1, 23, "x", rec);
	rec[6] ^= 1;
	CHECK_EQ(tls_rdec_record(&d, rec, rec + 5, len - 5, out, &ct), -1);
	rec[6] ^= 1;
	CHECK_EQ(tls_rdec_record(&d, rec, rec + 5, len - 5, out, &ct), 1);
	/* KeyUpdate: the next secret, sequence from 0 */
	CHECK_EQ(tls13_key_update(&d), 0);
	tls13_expand_label(TLS_M_SHA256, sec, 32, "traffic upd", NULL, 0,
			   next, 32);
	tls13_expand_label(TLS_M_SHA256, next, 32, "key", NULL, 0, key, 16);
	tls13_expand_label(TLS_M_SHA256, next, 32, "iv", NULL, 0, iv, 12);
	len = seal13(key, iv, 0, 21, "\x01", rec);
	CHECK_EQ(tls_rdec_record(&d, rec, rec + 5, len - 5, out, &ct), 1);
	CHECK_EQ(ct, 21);
	tls_rdec_free(&d);
}
