/*
 * tls_x509.c - a certificate's nodes with tshark's labels (see
 * tls_x509.h).  OpenSSL parses; this file names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "tls_x509.h"

struct xo {
	const struct tls_x509_cb *cb;
	void *ctx;
	char label[600];
};

static void __attribute__((format(printf, 6, 7)))
line(struct xo *o, int depth, const char *field, const uint64_t *num,
     const char *str, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->label, sizeof(o->label), fmt, ap);
	va_end(ap);
	o->cb->line(o->ctx, depth, field, num, str, o->label);
}

static X509 *
parse(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;

	if (n > 1u << 24)
		return NULL;
	return d2i_X509(NULL, &q, (long)n);
}

/* "1.2.840.10045.4.3.2" into oid, Wireshark's name into name. */
static void
oid_names(const ASN1_OBJECT *obj, char *oid, size_t oidn, char *name,
	  size_t namen)
{
	int nid = OBJ_obj2nid(obj);
	const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;

	OBJ_obj2txt(oid, (int)oidn, obj, 1);
	if (nid == NID_pkcs9_emailAddress)
		snprintf(name, namen, "pkcs-9-at-emailAddress");
	else if (ln && strncmp(oid, "2.5.4.", 6) == 0)
		snprintf(name, namen, "id-at-%s", ln);
	else
		snprintf(name, namen, "%s", ln ? ln : oid);
}

/* An entry's value as text: printable bytes kept, others as '.'. */
static void
entry_value(const X509_NAME_ENTRY *e, char *out, size_t outn)
{
	const ASN1_STRING *s = X509_NAME_ENTRY_get_data(e);
	const unsigned char *d = ASN1_STRING_get0_data(s);
	int i, n = ASN1_STRING_length(s);
	size_t k = 0;

	for (i = 0; i < n && k + 1 < outn; i++)
		out[k++] = d[i] >= 0x20 && d[i] != 0x7f ? (char)d[i] : '.';
	out[k] = '\0';
}

/* "type=value" of one entry. */
static void
entry_text(const X509_NAME_ENTRY *e, char *out, size_t outn)
{
	char oid[80], name[80], val[256];

	oid_names(X509_NAME_ENTRY_get_object(e), oid, sizeof(oid), name,
		  sizeof(name));
	entry_value(e, val, sizeof(val));
	snprintf(out, outn, "%s=%s", name, val);
}

/* tshark's summary of a name: its entries, last first. */
static void
name_summary(const X509_NAME *nm, char *out, size_t outn)
{
	int i, n = X509_NAME_entry_count(nm);
	size_t k = 0;

	out[0] = '\0';
	for (i = n - 1; i >= 0 && k + 1 < outn; i--) {
		char e[400];

		entry_text(X509_NAME_get_entry(nm, i), e, sizeof(e));
		k += (size_t)snprintf(out + k, outn - k, "%s%s",
				      i == n - 1 ? "" : ",", e);
	}
}

/* X.520 DirectoryString's choices, as Wireshark numbers them. */
static const char *
dirstring(int type, unsigned *choice)
{
	switch (type) {
	case V_ASN1_T61STRING: *choice = 0; return "teletexString";
	case V_ASN1_PRINTABLESTRING: *choice = 1; return "printableString";
	case V_ASN1_UNIVERSALSTRING: *choice = 2; return "universalString";
	case V_ASN1_BMPSTRING: *choice = 3; return "bmpString";
	case V_ASN1_UTF8STRING: *choice = 4; return "uTF8String";
	}
	return NULL;
}

/* One RelativeDistinguishedName item: its type and value. */
static void
entry_nodes(struct xo *o, int d, const X509_NAME_ENTRY *e)
{
	const ASN1_STRING *s = X509_NAME_ENTRY_get_data(e);
	char oid[80], name[80], val[256], txt[400], field[40];
	unsigned choice = 0;
	const char *ds = dirstring(ASN1_STRING_type(s), &choice);
	uint64_t c;

	oid_names(X509_NAME_ENTRY_get_object(e), oid, sizeof(oid), name,
		  sizeof(name));
	entry_value(e, val, sizeof(val));
	entry_text(e, txt, sizeof(txt));
	line(o, d, "x509if.RelativeDistinguishedName_item", NULL, NULL,
	     "RelativeDistinguishedName item (%s)", txt);
	line(o, d + 1, "x509if.id", NULL, oid, "Object Id: %s (%s)", oid, name);
	if (ds) {
		c = choice;
		line(o, d + 1, "x509sat.DirectoryString", &c, NULL,
		     "DirectoryString: %s (%u)", ds, choice);
		snprintf(field, sizeof(field), "x509sat.%s", ds);
		line(o, d + 2, field, NULL, val, "%s: %s", ds, val);
	} else {
		const char *tn = ASN1_STRING_type(s) == V_ASN1_IA5STRING ?
				 "IA5String" : "String";

		snprintf(field, sizeof(field), "x509sat.%s", tn);
		line(o, d + 1, field, NULL, val, "%s: %s", tn, val);
	}
}

/* issuer or subject: rdnSequence, one item per RDN (entries sharing a
   set are one multi-valued RDN). */
static void
name_nodes(struct xo *o, int d, const char *what, const X509_NAME *nm)
{
	int i, j, n = X509_NAME_entry_count(nm);
	int rdns = n ? X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, n - 1)) + 1
		     : 0;
	char sum[1024];
	uint64_t v = 0, k = (uint64_t)rdns;

	name_summary(nm, sum, sizeof(sum));
	line(o, d, !strcmp(what, "issuer") ? "x509af.issuer" :
	     "x509af.subject", &v, NULL, "%s: rdnSequence (0)", what);
	line(o, d + 1, "x509if.rdnSequence", &k, NULL,
	     "rdnSequence: %d item%s (%s)", rdns, rdns == 1 ? "" : "s", sum);
	for (i = 0; i < n; i = j) {
		int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, i));
		char items[800] = "";
		size_t len = 0;
		uint64_t cnt;

		for (j = i; j < n &&
		     X509_NAME_ENTRY_set(X509_NAME_get_entry(nm, j)) == set;
		     j++) {
			char e[400];

			entry_text(X509_NAME_get_entry(nm, j), e, sizeof(e));
			if (len + 1 < sizeof(items))
				len += (size_t)snprintf(items + len,
					sizeof(items) - len, "%s%s",
					j == i ? "" : ",", e);
		}
		cnt = (uint64_t)(j - i);
		line(o, d + 2, "x509if.RDNSequence_item", &cnt, NULL,
		     "RDNSequence item: %d item%s (%s)", j - i,
		     j - i == 1 ? "" : "s", items);
		for (int m = i; m < j; m++)
			entry_nodes(o, d + 3, X509_NAME_get_entry(nm, m));
	}
}

/* notBefore/notAfter: utcTime (0) or generalizedTime (1). */
static void
time_nodes(struct xo *o, int d, const char *what, const ASN1_TIME *t)
{
	struct tm tm;
	char when[64];
	bool utc = ASN1_STRING_type(t) == V_ASN1_UTCTIME;
	uint64_t choice = utc ? 0 : 1;
	char field[32];

	if (!ASN1_TIME_to_tm(t, &tm))
		return;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S (UTC)", &tm);
	snprintf(field, sizeof(field), "x509af.%s", what);
	line(o, d, field, &choice, NULL, "%s: %s (%u)", what,
	     utc ? "utcTime" : "generalizedTime", (unsigned)choice);
	line(o, d + 1, utc ? "x509af.utcTime" : "x509af.generalizedTime", NULL,
	     when, "%s: %s", utc ? "utcTime" : "generalizedTime", when);
}

/* An AlgorithmIdentifier: "label (name)", then its Algorithm Id. */
static void
algo_nodes(struct xo *o, int d, const char *what, const ASN1_OBJECT *obj)
{
	char oid[80], name[80];

	oid_names(obj, oid, sizeof(oid), name, sizeof(name));
	line(o, d, NULL, NULL, NULL, "%s (%s)", what, name);
	line(o, d + 1, "x509af.algorithm.id", NULL, oid,
	     "Algorithm Id: %s (%s)", oid, name);
}

/* serialNumber: decimal when it fits 64 bits, else its bytes in hex. */
static void
serial_node(struct xo *o, int d, const ASN1_INTEGER *sn)
{
	unsigned char der[80], *q = der;
	int n = i2d_ASN1_INTEGER((ASN1_INTEGER *)sn, NULL);
	char hex[2 * sizeof(der) + 1];
	int64_t v;
	int i, hl;

	if (n <= 2 || n > (int)sizeof(der) || i2d_ASN1_INTEGER(
	    (ASN1_INTEGER *)sn, &q) != n)
		return;
	hl = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
	if (n - hl <= 8 && ASN1_INTEGER_get_int64(&v, sn)) {
		uint64_t u = (uint64_t)v;

		line(o, d, "x509af.serialNumber", &u, NULL,
		     "serialNumber: %lld", (long long)v);
		return;
	}
	for (i = hl; i < n; i++)
		snprintf(hex + 2 * (i - hl), 3, "%02x", der[i]);
	line(o, d, "x509af.serialNumber", NULL, hex, "serialNumber: 0x%s", hex);
}

bool
tls_x509_subject(const uint8_t *p, size_t n, char *out, size_t outn)
{
	X509 *x = parse(p, n);

	if (outn)
		out[0] = '\0';
	if (!x)
		return false;
	name_summary(X509_get_subject_name(x), out, outn);
	X509_free(x);
	return true;
}

void
tls_x509_nodes(const uint8_t *p, size_t n, const struct tls_x509_cb *cb,
	       void *ctx)
{
	struct xo o = { .cb = cb, .ctx = ctx };
	X509 *x = parse(p, n);
	const X509_ALGOR *sig;
	const ASN1_OBJECT *obj;
	X509_PUBKEY *pk;
	long ver;
	uint64_t v;

	if (!x)
		return;
	ver = X509_get_version(x);
	v = (uint64_t)ver;
	line(&o, 0, NULL, NULL, NULL, "signedCertificate");
	line(&o, 1, "x509af.version", &v, NULL, "version: v%ld (%ld)", ver + 1,
	     ver);
	serial_node(&o, 1, X509_get0_serialNumber(x));
	sig = X509_get0_tbs_sigalg(x);
	X509_ALGOR_get0(&obj, NULL, NULL, sig);
	algo_nodes(&o, 1, "signature", obj);
	name_nodes(&o, 1, "issuer", X509_get_issuer_name(x));
	line(&o, 1, NULL, NULL, NULL, "validity");
	time_nodes(&o, 2, "notBefore", X509_get0_notBefore(x));
	time_nodes(&o, 2, "notAfter", X509_get0_notAfter(x));
	name_nodes(&o, 1, "subject", X509_get_subject_name(x));
	if ((pk = X509_get_X509_PUBKEY(x)) &&
	    X509_PUBKEY_get0_param((ASN1_OBJECT **)&obj, NULL, NULL, NULL,
				   pk)) {
		line(&o, 1, NULL, NULL, NULL, "subjectPublicKeyInfo");
		algo_nodes(&o, 2, "algorithm", obj);
	}
	X509_get0_signature(NULL, &sig, x);
	X509_ALGOR_get0(&obj, NULL, NULL, sig);
	algo_nodes(&o, 0, "algorithmIdentifier", obj);
	X509_free(x);
}
