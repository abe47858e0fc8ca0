/*
 * tls_tree.c - one TLS record as protocol-tree nodes and Info text
 * (see tls_tree.h).  Labels follow tshark's TLS dissector; every node
 * that carries a value is named by its Wireshark filter field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "extract.h"
#include "tls_names.h"
#include "tls_tree.h"
#include "tls_x509.h"

struct tt {
	const struct tls_tree_cb *cb;
	void *ctx;
	int src;
	const uint8_t *base;		/* offsets are from here */
	char label[600];
	char str[160];
};

/* One node: field (may be NULL) with a number and/or text value. */
static void __attribute__((format(printf, 8, 9)))
node(struct tt *t, int depth, const uint8_t *p, size_t len,
     const char *field, const uint64_t *num, const char *str,
     const char *fmt, ...)
{
	struct tls_node n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->label, sizeof(t->label), fmt, ap);
	va_end(ap);
	memset(&n, 0, sizeof(n));
	n.depth = depth;
	n.src = t->src;
	n.off = (size_t)(p - t->base);
	n.len = len;
	n.field = field;
	n.has_num = num != NULL;
	n.num = num ? *num : 0;
	n.str = str;
	n.label = t->label;
	t->cb->node(t->ctx, &n);
}

#define NUM(t, d, p, len, f, v, ...) do {				\
		uint64_t v_ = (v);					\
		node((t), (d), (p), (len), (f), &v_, NULL, __VA_ARGS__); \
	} while (0)
#define TXT(t, d, p, len, f, s, ...) \
	node((t), (d), (p), (len), (f), NULL, (s), __VA_ARGS__)
#define LINE(t, d, p, len, ...) \
	node((t), (d), (p), (len), NULL, NULL, NULL, __VA_ARGS__)

/* tshark's hex of a bytes field: 36 bytes at most, then "…". */
static const char *
hex(struct tt *t, const uint8_t *p, size_t n)
{
	size_t i, k = n > 36 ? 36 : n;

	for (i = 0; i < k; i++)
		snprintf(t->str + 2 * i, 3, "%02x", p[i]);
	t->str[2 * k] = '\0';
	if (n > 36)
		strcat(t->str, "\xe2\x80\xa6");
	return t->str;
}

static const char *
or_unknown(const char *s)
{
	return s ? s : "Unknown";
}

static void
ver(struct tt *t, int d, const uint8_t *p, const char *field)
{
	uint16_t v = (uint16_t)(p[0] << 8 | p[1]);

	NUM(t, d, p, 2, field, v, "Version: %s (0x%04x)",
	    or_unknown(tls_version_name(v)), v);
}

/* A list of 16-bit code points: "NAME (0x....)". */
static void
list16(struct tt *t, int d, struct cursor c, const char *field,
       const char *what, const char *(*name)(uint16_t))
{
	while (cur_left(&c) >= 2) {
		const uint8_t *p = c.p;
		uint16_t v = get_be16(&c);

		NUM(t, d, p, 2, field, v, "%s: %s (0x%04x)", what,
		    or_unknown(name(v)), v);
	}
}

static void
ext_sni(struct tt *t, int d, struct cursor c)
{
	const uint8_t *p = c.p;
	uint16_t ll = get_be16(&c), nl;
	char name[256];

	if (c.err)
		return;
	LINE(t, d, p, (size_t)(c.end - p), "Server Name Indication extension");
	NUM(t, d + 1, p, 2, "tls.handshake.extensions_server_name_list_len",
	    ll, "Server Name list length: %u", ll);
	while (cur_left(&c) >= 3) {
		uint8_t ty = get_u8(&c);

		NUM(t, d + 1, c.p - 1, 1,
		    "tls.handshake.extensions_server_name_type", ty,
		    "Server Name Type: %s (%u)", ty ? "Unknown" : "host_name",
		    ty);
		nl = get_be16(&c);
		NUM(t, d + 1, c.p - 2, 2,
		    "tls.handshake.extensions_server_name_len", nl,
		    "Server Name length: %u", nl);
		if (cur_left(&c) < nl)
			return;
		snprintf(name, sizeof(name), "%.*s", (int)nl, c.p);
		TXT(t, d + 1, c.p, nl, "tls.handshake.extensions_server_name",
		    name, "Server Name: %s", name);
		cur_skip(&c, nl);
	}
}

static void
ext_alpn(struct tt *t, int d, struct cursor c)
{
	uint16_t l = get_be16(&c);
	char s[256];

	if (c.err)
		return;
	NUM(t, d, c.p - 2, 2, "tls.handshake.extensions_alpn_len", l,
	    "ALPN Extension Length: %u", l);
	LINE(t, d, c.p, cur_left(&c), "ALPN Protocol");
	while (cur_left(&c) >= 1) {
		uint8_t n = get_u8(&c);

		NUM(t, d + 1, c.p - 1, 1, "tls.handshake.extensions_alpn_str_len",
		    n, "ALPN string length: %u", n);
		if (cur_left(&c) < n)
			return;
		snprintf(s, sizeof(s), "%.*s", (int)n, c.p);
		TXT(t, d + 1, c.p, n, "tls.handshake.extensions_alpn_str", s,
		    "ALPN Next Protocol: %s", s);
		cur_skip(&c, n);
	}
}

static void
ext_key_share(struct tt *t, int d, struct cursor c, uint8_t hs)
{
	const uint8_t *p = c.p;

	if (hs == 6 && cur_left(&c) == 2) {	/* HelloRetryRequest */
		uint16_t g = get_be16(&c);

		NUM(t, d, p, 2, "tls.handshake.extensions_key_share_selected_group",
		    g, "Selected Group: %s (%u)", or_unknown(tls_group_name(g)), g);
		return;
	}
	LINE(t, d, p, cur_left(&c), "Key Share extension");
	if (hs == 1) {
		uint16_t l = get_be16(&c);

		NUM(t, d + 1, p, 2,
		    "tls.handshake.extensions_key_share_client_length", l,
		    "Client Key Share Length: %u", l);
	}
	while (cur_left(&c) >= 4) {
		const uint8_t *e = c.p;
		uint16_t g = get_be16(&c), l = get_be16(&c);
		const char *gn = or_unknown(tls_group_name(g));

		if (cur_left(&c) < l)
			return;
		LINE(t, d + 1, e, 4u + l,
		     "Key Share Entry: Group: %s, Key Exchange length: %u", gn, l);
		NUM(t, d + 2, e, 2, "tls.handshake.extensions_key_share_group",
		    g, "Group: %s (%u)", gn, g);
		NUM(t, d + 2, e + 2, 2,
		    "tls.handshake.extensions_key_share_key_exchange_length", l,
		    "Key Exchange Length: %u", l);
		TXT(t, d + 2, c.p, l,
		    "tls.handshake.extensions_key_share_key_exchange",
		    hex(t, c.p, l), "Key Exchange: %s", t->str);
		cur_skip(&c, l);
	}
}

/* supported_groups, signature_algorithms, supported_versions, psk modes */
static bool
ext_lists(struct tt *t, int d, uint16_t type, struct cursor c, uint8_t hs)
{
	const uint8_t *p = c.p;
	uint16_t l;

	switch (type) {
	case 10:
		l = get_be16(&c);
		NUM(t, d, p, 2, "tls.handshake.extensions_supported_groups_length",
		    l, "Supported Groups List Length: %u", l);
		LINE(t, d, c.p, cur_left(&c), "Supported Groups (%u groups)",
		     l / 2);
		list16(t, d + 1, c, "tls.handshake.extensions_supported_group",
		       "Supported Group", tls_group_name);
		return true;
	case 13: case 50:
		l = get_be16(&c);
		NUM(t, d, p, 2, "tls.handshake.sig_hash_alg_len", l,
		    "Signature Hash Algorithms Length: %u", l);
		LINE(t, d, c.p, cur_left(&c),
		     "Signature Hash Algorithms (%u algorithms)", l / 2);
		list16(t, d + 1, c, "tls.handshake.sig_hash_alg",
		       "Signature Algorithm", tls_sigalg_name);
		return true;
	case 43:
		if (hs != 1) {
			list16(t, d, c, "tls.handshake.extensions.supported_version",
			       "Supported Version", tls_version_name);
			return true;
		}
		l = get_u8(&c);
		NUM(t, d, p, 1, "tls.handshake.extensions.supported_versions_len",
		    l, "Supported Versions length: %u", l);
		list16(t, d, c, "tls.handshake.extensions.supported_version",
		       "Supported Version", tls_version_name);
		return true;
	case 45:
		l = get_u8(&c);
		NUM(t, d, p, 1, "tls.extension.psk_ke_modes_length", l,
		    "PSK Key Exchange Modes Length: %u", l);
		while (cur_left(&c) >= 1) {
			uint8_t m = get_u8(&c);

			NUM(t, d, c.p - 1, 1, "tls.extension.psk_ke_mode", m,
			    "PSK Key Exchange Mode: %s (%u)",
			    m == 1 ? "PSK with (EC)DHE key establishment (psk_dhe_ke)"
			    : m == 0 ? "PSK-only key establishment (psk_ke)"
			    : "Unknown", m);
		}
		return true;
	}
	return false;
}

static void
extensions(struct tt *t, int d, struct cursor c, uint8_t hs)
{
	const uint8_t *p = c.p;
	uint16_t total = get_be16(&c);

	if (c.err)
		return;
	NUM(t, d, p, 2, "tls.handshake.extensions_length", total,
	    "Extensions Length: %u", total);
	cur_narrow(&c, total);
	while (cur_left(&c) >= 4) {
		const uint8_t *e = c.p;
		uint16_t ty = get_be16(&c), len = get_be16(&c);
		const char *n = or_unknown(tls_ext_name(ty));
		struct cursor x = c;

		if (!cur_narrow(&x, len))
			return;
		cur_skip(&c, len);
		LINE(t, d, e, 4u + len, "Extension: %s (len=%u)", n, len);
		NUM(t, d + 1, e, 2, "tls.handshake.extension.type", ty,
		    "Type: %s (%u)", n, ty);
		NUM(t, d + 1, e + 2, 2, "tls.handshake.extension.len", len,
		    "Length: %u", len);
		if (ty == 0 && len)
			ext_sni(t, d + 1, x);
		else if (ty == 16)
			ext_alpn(t, d + 1, x);
		else if (ty == 51)
			ext_key_share(t, d + 1, x, hs);
		else if (ty == 21 && len)
			TXT(t, d + 1, x.p, len, "tls.handshake.extension.padding_data",
			    hex(t, x.p, len), "Padding Data: %s", t->str);
		else
			ext_lists(t, d + 1, ty, x, hs);
	}
}

/* Version, random and session id of both hellos. */
static void
hello_start(struct tt *t, int d, struct cursor *c)
{
	uint8_t sl;

	if (cur_left(c) < 35)
		return (void)cur_skip(c, 35);
	ver(t, d, c->p, "tls.handshake.version");
	cur_skip(c, 2);
	TXT(t, d, c->p, 32, "tls.handshake.random", hex(t, c->p, 32),
	    "Random: %s", t->str);
	cur_skip(c, 32);
	sl = get_u8(c);
	NUM(t, d, c->p - 1, 1, "tls.handshake.session_id_length", sl,
	    "Session ID Length: %u", sl);
	if (sl && cur_left(c) >= sl)
		TXT(t, d, c->p, sl, "tls.handshake.session_id", hex(t, c->p, sl),
		    "Session ID: %s", t->str);
	cur_skip(c, sl);
}

static void
client_hello(struct tt *t, int d, struct cursor c)
{
	uint16_t n;
	uint8_t m;

	hello_start(t, d, &c);
	n = get_be16(&c);
	if (c.err || cur_left(&c) < n)
		return;
	NUM(t, d, c.p - 2, 2, "tls.handshake.cipher_suites_length", n,
	    "Cipher Suites Length: %u", n);
	LINE(t, d, c.p, n, "Cipher Suites (%u suites)", n / 2);
	{
		struct cursor s = c;

		cur_narrow(&s, n);
		list16(t, d + 1, s, "tls.handshake.ciphersuite", "Cipher Suite",
		       tls_suite_name);
	}
	cur_skip(&c, n);
	m = get_u8(&c);
	if (c.err || cur_left(&c) < m)
		return;
	NUM(t, d, c.p - 1, 1, "tls.handshake.comp_methods_length", m,
	    "Compression Methods Length: %u", m);
	LINE(t, d, c.p, m, "Compression Methods (%u method%s)", m,
	     m == 1 ? "" : "s");
	for (; m > 0; m--) {
		uint8_t v = get_u8(&c);

		NUM(t, d + 1, c.p - 1, 1, "tls.handshake.comp_method", v,
		    "Compression Method: %s (%u)", v ? "DEFLATE" : "null", v);
	}
	if (cur_left(&c) >= 2)
		extensions(t, d, c, 1);
}

static void
server_hello(struct tt *t, int d, struct cursor c, uint8_t hs)
{
	uint16_t s;
	uint8_t m;

	hello_start(t, d, &c);
	s = get_be16(&c);
	m = get_u8(&c);
	if (c.err)
		return;
	NUM(t, d, c.p - 3, 2, "tls.handshake.ciphersuite", s,
	    "Cipher Suite: %s (0x%04x)", or_unknown(tls_suite_name(s)), s);
	NUM(t, d, c.p - 1, 1, "tls.handshake.comp_method", m,
	    "Compression Method: %s (%u)", m ? "DEFLATE" : "null", m);
	if (cur_left(&c) >= 2)
		extensions(t, d, c, hs);
}

/* A certificate's parts (tls_x509.c) as nodes over its bytes. */
struct cert_at {
	struct tt *t;
	int depth;
	const uint8_t *p;
	size_t len;
};

static void
cert_line(void *ctx, int depth, const char *field, const uint64_t *num,
	  const char *str, const char *label)
{
	struct cert_at *a = ctx;

	node(a->t, a->depth + depth, a->p, a->len, field, num, str, "%s",
	     label);
}

static const struct tls_x509_cb cert_cb = { cert_line };

/* One certificate: its bytes, who it names, and its parts. */
static void
one_cert(struct tt *t, int d, const uint8_t *p, size_t l)
{
	struct cert_at a = { t, d + 1, p, l };
	char subj[400];

	if (tls_x509_subject(p, l, subj, sizeof(subj)))
		TXT(t, d, p, l, "tls.handshake.certificate", hex(t, p, l),
		    "Certificate: %s (%s)", t->str, subj);
	else
		TXT(t, d, p, l, "tls.handshake.certificate", hex(t, p, l),
		    "Certificate: %s", t->str);
	tls_x509_nodes(p, l, &cert_cb, &a);
}

/* Certificate: each certificate's length and bytes (TLS 1.2 and 1.3). */
static void
certificate(struct tt *t, int d, struct cursor c, bool tls13)
{
	uint32_t total;

	if (tls13) {
		uint8_t cl = get_u8(&c);

		NUM(t, d, c.p - 1, 1, "tls.handshake.certificate_request_context_length",
		    cl, "Certificate Request Context Length: %u", cl);
		cur_skip(&c, cl);
	}
	total = (uint32_t)get_u8(&c) << 16;
	total |= get_be16(&c);
	if (c.err)
		return;
	NUM(t, d, c.p - 3, 3, "tls.handshake.certificates_length", total,
	    "Certificates Length: %u", total);
	LINE(t, d, c.p, cur_left(&c), "Certificates (%u bytes)", total);
	cur_narrow(&c, total);
	while (cur_left(&c) >= 3) {
		uint32_t l = (uint32_t)get_u8(&c) << 16;

		l |= get_be16(&c);
		NUM(t, d + 1, c.p - 3, 3, "tls.handshake.certificate_length", l,
		    "Certificate Length: %u", l);
		if (cur_left(&c) < l)
			return;
		one_cert(t, d + 1, c.p, l);
		cur_skip(&c, l);
		if (tls13 && cur_left(&c) >= 2) {
			uint16_t el = get_be16(&c);

			NUM(t, d + 1, c.p - 2, 2, "tls.handshake.extensions_length",
			    el, "Extensions Length: %u", el);
			cur_skip(&c, el);
		}
	}
}

static void
hs_body(struct tt *t, int d, uint8_t type, struct cursor c,
	const struct tls_session *s)
{
	switch (type) {
	case 1:
		client_hello(t, d, c);
		break;
	case 2: case 6:
		server_hello(t, d, c, s->hrr && !s->have_sr ? 6 : 2);
		break;
	case 8:
		extensions(t, d, c, 8);
		break;
	case 11:
		certificate(t, d, c, s->version == 0x0304);
		break;
	case 20:
		TXT(t, d, c.p, cur_left(&c), "tls.handshake.verify_data",
		    hex(t, c.p, cur_left(&c)), "Verify Data");
		break;
	case 4:
		if (cur_left(&c) >= 4) {
			uint32_t l = get_be32(&c);

			NUM(t, d, c.p - 4, 4,
			    "tls.handshake.session_ticket_lifetime_hint", l,
			    "Session Ticket Lifetime Hint: %u seconds", l);
		}
		break;
	case 24:
		if (cur_left(&c) >= 1) {
			uint8_t u = get_u8(&c);

			NUM(t, d, c.p - 1, 1, "tls.handshake.key_update", u,
			    "Key Update Request: %s (%u)",
			    u ? "update_requested" : "update_not_requested", u);
		}
		break;
	}
}

/* The handshake messages of a plaintext fragment p[0..n). */
static void
handshakes(struct tt *t, int d, const uint8_t *p, size_t n,
	   const struct tls_session *s)
{
	struct cursor c;

	cur_init(&c, p, n);
	while (cur_left(&c) >= 4) {
		const uint8_t *m = c.p;
		uint8_t ty = get_u8(&c);
		uint32_t len = (uint32_t)get_u8(&c) << 16;
		const char *nm;
		struct cursor b = c;

		len |= get_be16(&c);
		b = c;
		if (ty == 2 && cur_left(&c) >= 34 &&
		    memcmp(c.p + 2, "\xcf\x21\xad\x74\xe5\x9a\x61\x11", 8) == 0)
			ty = 6;
		nm = or_unknown(tls_handshake_name(ty));
		if (!cur_narrow(&b, len)) {
			LINE(t, d, m, cur_left(&c) + 4,
			     "Handshake Protocol: %s (fragment)", nm);
			return;
		}
		TXT(t, d, m, 4u + len, "tls.handshake", NULL,
		    "Handshake Protocol: %s", nm);
		NUM(t, d + 1, m, 1, "tls.handshake.type", ty,
		    "Handshake Type: %s (%u)", nm, ty);
		NUM(t, d + 1, m + 1, 3, "tls.handshake.length", len,
		    "Length: %u", len);
		hs_body(t, d + 1, ty, b, s);
		cur_skip(&c, len);
	}
}

static void
alert(struct tt *t, int d, const uint8_t *p, size_t n)
{
	if (n != 2) {
		LINE(t, d, p, n, "Alert Message: Encrypted Alert");
		return;
	}
	LINE(t, d, p, 2, "Alert Message");
	NUM(t, d + 1, p, 1, "tls.alert_message.level", p[0], "Level: %s (%u)",
	    or_unknown(tls_alert_level_name(p[0])), p[0]);
	NUM(t, d + 1, p + 1, 1, "tls.alert_message.desc", p[1],
	    "Description: %s (%u)", or_unknown(tls_alert_name(p[1])), p[1]);
}

static const char *
proto_of(const struct tls_record *r, const struct tls_session *s)
{
	const char *p = tls_version_proto(tls_show_version(s, r->version));

	return p ? p : "TLS";
}

/* Names of the handshake messages that start in p[0..n), ", "-joined. */
static void
hs_names(struct buf *b, const uint8_t *p, size_t n, const char *sni)
{
	struct cursor c;
	bool first = true;

	cur_init(&c, p, n);
	while (cur_left(&c) >= 4) {
		uint8_t ty = get_u8(&c);
		uint32_t len = (uint32_t)get_u8(&c) << 16;

		len |= get_be16(&c);
		if (ty == 2 && cur_left(&c) >= 34 &&
		    memcmp(c.p + 2, "\xcf\x21\xad\x74\xe5\x9a\x61\x11", 8) == 0)
			ty = 6;
		buf_printf(b, "%s%s", first ? "" : ", ",
			   or_unknown(tls_handshake_name(ty)));
		if (ty == 1 && sni && *sni)
			buf_printf(b, " (SNI=%s)", sni);
		first = false;
		if (cur_left(&c) < len)
			break;
		cur_skip(&c, len);
	}
}

/* What the application data carries, as tshark names it: by ALPN. */
static const char *
app_proto(const struct tls_session *s)
{
	return s && strcmp(s->alpn, "h2") == 0 ?
	       "HyperText Transfer Protocol 2" : "Hypertext Transfer Protocol";
}

/* What a record says, for the record line (s given) and the Info
   column. */
static void
describe(const struct tls_record *r, struct buf *b, bool line,
	 const char *sni, const struct tls_session *s)
{
	const uint8_t *p = r->dec == TLS_DECRYPTED ? r->plain : r->rec + 5;
	size_t n = r->dec == TLS_DECRYPTED ? r->plain_len : r->len;
	uint8_t t = r->dec == TLS_DECRYPTED ? r->inner_type : r->type;

	if (r->dec == TLS_NOKEY || r->dec == TLS_BADKEY) {
		if (t == TLS_CT_ALERT)
			buf_puts(b, line ? "Alert Protocol: Encrypted Alert"
				 : "Encrypted Alert");
		else if (t == TLS_CT_HANDSHAKE)
			buf_puts(b, line ? "Handshake Protocol: Encrypted "
				 "Handshake Message" : "Encrypted Handshake Message");
		else
			buf_puts(b, line ? "Application Data Protocol: "
				 "Application Data" : "Application Data");
		return;
	}
	switch (t) {
	case TLS_CT_HANDSHAKE:
		if (line)
			buf_puts(b, "Handshake Protocol: ");
		hs_names(b, p, n, line ? NULL : sni);
		break;
	case TLS_CT_CCS:
		buf_puts(b, line ? "Change Cipher Spec Protocol: Change Cipher "
			 "Spec" : "Change Cipher Spec");
		break;
	case TLS_CT_ALERT:
		if (n == 2)
			buf_printf(b, "Alert (Level: %s, Description: %s)",
				   or_unknown(tls_alert_level_name(p[0])),
				   or_unknown(tls_alert_name(p[1])));
		else
			buf_puts(b, "Encrypted Alert");
		break;
	case TLS_CT_APPDATA:
		if (line)
			buf_printf(b, "Application Data Protocol: %s",
				   app_proto(s));
		else
			buf_puts(b, "Application Data");
		break;
	default:
		buf_puts(b, "Heartbeat");
	}
}

void
tls_record_info(const struct tls_record *r, struct buf *info)
{
	if (r->bad)
		return;
	if (info->len)
		buf_puts(info, ", ");
	describe(r, info, false, r->sni, NULL);
}

void
tls_tree_record(const struct tls_record *r, const struct tls_session *s,
		const struct tls_tree_cb *cb, void *ctx)
{
	struct tt t = { .cb = cb, .ctx = ctx, .base = r->rec };
	const uint8_t *h = r->rec, *f = r->rec + 5;
	struct buf b = BUF_INIT;
	uint8_t ct = r->dec == TLS_DECRYPTED ? r->inner_type : r->type;
	const char *cn;

	if (r->bad) {
		LINE(&t, 0, h, r->len, "Ignored Unknown Record");
		return;
	}
	describe(r, &b, true, NULL, s);
	TXT(&t, 0, h, 5u + r->len, "tls.record", NULL, "%s Record Layer: %s",
	    proto_of(r, s), b.data ? b.data : "");
	buf_free(&b);
	cn = or_unknown(tls_content_type_name(h[0]));
	if (r->dec == TLS_DECRYPTED && s->version == 0x0304)
		NUM(&t, 1, h, 1, "tls.record.opaque_type", h[0],
		    "Opaque Type: %s (%u)", cn, h[0]);
	else
		NUM(&t, 1, h, 1, "tls.record.content_type", h[0],
		    "Content Type: %s (%u)", cn, h[0]);
	ver(&t, 1, h + 1, "tls.record.version");
	NUM(&t, 1, h + 3, 2, "tls.record.length", r->len, "Length: %u", r->len);
	if (r->dec == TLS_NOKEY || r->dec == TLS_BADKEY) {
		TXT(&t, 1, f, r->len, "tls.app_data", hex(&t, f, r->len),
		    "Encrypted Application Data: %s", t.str);
		LINE(&t, 1, f, r->len, "%s", r->dec == TLS_NOKEY ? TLS_NOKEY_HINT
		     : "[Decryption failed: the key log has a wrong secret "
		       "for this session]");
		return;
	}
	if (r->dec == TLS_DECRYPTED) {
		if (s->version == 0x0304)
			NUM(&t, 1, h, 1, "tls.record.content_type", ct,
			    "[Content Type: %s (%u)]",
			    or_unknown(tls_content_type_name(ct)), ct);
		t.src = 1;
		t.base = f = r->plain;
	}
	switch (ct) {
	case TLS_CT_HANDSHAKE:
		handshakes(&t, 1, f, r->dec == TLS_DECRYPTED ? r->plain_len :
			   r->len, s);
		break;
	case TLS_CT_CCS:
		TXT(&t, 1, f, r->len, "tls.change_cipher_spec", NULL,
		    "Change Cipher Spec Message");
		break;
	case TLS_CT_ALERT:
		alert(&t, 1, f, r->dec == TLS_DECRYPTED ? r->plain_len : r->len);
		break;
	case TLS_CT_APPDATA:
		t.src = 0;
		t.base = r->rec;
		TXT(&t, 1, r->rec + 5, r->len, "tls.app_data",
		    hex(&t, r->rec + 5, r->len), "Encrypted Application Data: %s",
		    t.str);
		if (r->dec == TLS_DECRYPTED)
			TXT(&t, 1, r->rec + 5, r->len, "tls.app_data_proto",
			    app_proto(s), "[Application Data Protocol: %s]",
			    app_proto(s));
		break;
	}
}
