/*
 * httpbin_digest.c - /digest-auth/QOP/USER/PASSWD[/ALGORITHM]: HTTP
 * Digest access authentication (RFC 7616) with MD5 or SHA-256 (OpenSSL
 * EVP), qop "auth" or "auth-int", so `curl --digest -u USER:PASSWD`
 * passes and a wrong password gets 401 with a fresh challenge.
 *
 * The nonce is random and not remembered (as go-httpbin): the check is
 * that the response hash was made with the password, which is what a
 * client test wants to know.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "http/header.h"
#include "server/httpbin.h"
#include "server/req.h"
#include "server/resp.h"
#include "server/routes.h"

#define DIGEST_REALM "httptool"

/* hex of H(parts joined by ':') into out (129 bytes) */
static void
digest_hex(const EVP_MD *md, const struct span *parts, int n, char *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	out[0] = 0;
	if (!ctx)
		return;
	EVP_DigestInit_ex(ctx, md, NULL);
	for (int i = 0; i < n; i++) {
		if (i)
			EVP_DigestUpdate(ctx, ":", 1);
		EVP_DigestUpdate(ctx, parts[i].p, parts[i].len);
	}
	EVP_DigestFinal_ex(ctx, h, &len);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Value of parameter name in a Digest credentials list (quotes off). */
static struct span
digest_param(struct span creds, const char *name)
{
	size_t nl = strlen(name), i = 0;

	while (i < creds.len) {
		while (i < creds.len && (creds.p[i] == ' ' || creds.p[i] == ','))
			i++;
		size_t ks = i;

		while (i < creds.len && creds.p[i] != '=' && creds.p[i] != ',')
			i++;
		struct span key = span_trim((struct span){ creds.p + ks,
							  i - ks });
		struct span val = SPAN_NULL;

		if (i < creds.len && creds.p[i] == '=') {
			i++;
			while (i < creds.len && creds.p[i] == ' ')
				i++;
			if (i < creds.len && creds.p[i] == '"') {
				size_t vs = ++i;

				while (i < creds.len && creds.p[i] != '"')
					i += creds.p[i] == '\\' ? 2 : 1;
				val = (struct span){ creds.p + vs,
						     (i < creds.len ? i : creds.len) - vs };
				i++;
			} else {
				size_t vs = i;

				while (i < creds.len && creds.p[i] != ',')
					i++;
				val = span_trim((struct span){ creds.p + vs,
							      i - vs });
			}
		}
		if (key.len == nl && span_ieq(key, name))
			return val.p ? val : SPAN_LIT("");
	}
	return SPAN_NULL;
}

static void
digest_challenge(struct req *r, const char *qop, const char *alg)
{
	unsigned char rnd[32];
	char nonce[65], opaque[33], v[300];

	req_random(rnd, sizeof rnd);
	for (int i = 0; i < 32; i++)
		snprintf(nonce + 2 * i, 3, "%02x", rnd[i]);
	for (int i = 0; i < 16; i++)
		snprintf(opaque + 2 * i, 3, "%02x", rnd[31 - i] ^ 0x5a);
	snprintf(v, sizeof v, "Digest realm=\"" DIGEST_REALM "\", qop=\"%s\", "
		 "nonce=\"%s\", opaque=\"%s\", algorithm=%s, stale=FALSE", qop,
		 nonce, opaque, alg);
	resp_start(r->c, 401);
	resp_header(r->c, "WWW-Authenticate", v);
	resp_body(r->c, NULL, "", 0);
}

/* Did the client hash the right password?  RFC 7616 §3.4.1. */
static bool
digest_ok(struct req *r, const EVP_MD *md, const char *qop,
	  struct span user, struct span pass)
{
	struct span auth = span_trim(http_header_value(r->msg,
						       "authorization"));
	char ha1[129], ha2[129], hbody[129], want[129];

	if (!span_istarts(auth, "Digest "))
		return false;
	struct span c = { auth.p + 7, auth.len - 7 };
	struct span u = digest_param(c, "username");
	struct span realm = digest_param(c, "realm");
	struct span nonce = digest_param(c, "nonce");
	struct span uri = digest_param(c, "uri");
	struct span resp = digest_param(c, "response");
	struct span q = digest_param(c, "qop");
	struct span nc = digest_param(c, "nc");
	struct span cnonce = digest_param(c, "cnonce");

	if (!u.p || u.len != user.len || memcmp(u.p, user.p, u.len) ||
	    !realm.p ||
	    !span_eq(realm, DIGEST_REALM) || !nonce.p || !resp.p || !uri.p ||
	    uri.len != r->target.len || memcmp(uri.p, r->target.p, uri.len))
		return false;
	struct span p1[3] = { user, realm, pass };

	digest_hex(md, p1, 3, ha1);
	if (!strcmp(qop, "auth-int")) {
		digest_hex(md, &r->body, 1, hbody);
		struct span p2[3] = { r->method, uri, span_from(hbody) };

		digest_hex(md, p2, 3, ha2);
	} else {
		struct span p2[2] = { r->method, uri };

		digest_hex(md, p2, 2, ha2);
	}
	if (q.p && span_eq(q, qop) && nc.p && cnonce.p) {
		struct span p3[6] = { span_from(ha1), nonce, nc, cnonce, q,
				      span_from(ha2) };

		digest_hex(md, p3, 6, want);
	} else {
		struct span p3[3] = { span_from(ha1), nonce, span_from(ha2) };

		digest_hex(md, p3, 3, want);
	}
	return resp.len == strlen(want) &&
	    span_ieq(resp, want);
}

void
hb_digest_auth(struct req *r)
{
	char qop[16], user[128], pass[128], alg[16] = "MD5";
	const char *p = r->path + strlen("/digest-auth/");
	int n = 0, used = 0;
	const EVP_MD *md;

	n = sscanf(p, "%15[^/]/%127[^/]/%127[^/]%n/%15[^/]%n", qop, user, pass,
		   &used, alg, &used);
	if (n < 3 || p[used] != 0 || (strcmp(qop, "auth") &&
				      strcmp(qop, "auth-int"))) {
		resp_error(r->c, 404, "expected /digest-auth/auth|auth-int/"
			   "USER/PASSWORD[/MD5|SHA-256]");
		return;
	}
	if (!strcmp(alg, "MD5"))
		md = EVP_md5();
	else if (!strcmp(alg, "SHA-256"))
		md = EVP_sha256();
	else {
		resp_error(r->c, 400, "the algorithm is MD5 or SHA-256");
		return;
	}
	if (!digest_ok(r, md, qop, span_from(user), span_from(pass))) {
		digest_challenge(r, qop, alg);
		return;
	}
	struct buf b = BUF_INIT;
	struct json j;

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "authenticated");
	json_bool(&j, true);
	json_key(&j, "user");
	json_cstr(&j, user);
	json_end(&j);
	buf_puts(&b, "\n");
	hb_send(r, 200, &b);
	buf_free(&b);
}
