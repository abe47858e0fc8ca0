/*
 * tls_tree.c - one TLS record as protocol-tree nodes and Info text
 * (see tls_tree.h).  Labels follow tshark's TLS dissector; every node
 * that carries a value is named by its Wireshark filter field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tls_names.h"
#include "tls_tree_impl.h"
#include "tls_x509.h"

/* One node: field (may be NULL) with a number and/or text value. */
void
tt_node(struct tt *t, int depth, const uint8_t *p, size_t len,
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

/* tshark's hex of a bytes field: 36 bytes at most, then "…". */
const char *
tt_hex(struct tt *t, const uint8_t *p, size_t n)
{
	size_t i, k = n > 36 ? 36 : n;

	for (i = 0; i < k; i++)
		snprintf(t->str + 2 * i, 3, "%02x", p[i]);
	t->str[2 * k] = '\0';
	if (n > 36)
		strcat(t->str, "\xe2\x80\xa6");
	return t->str;
}

const char *
tt_or_unknown(const char *s)
{
	return s ? s : "Unknown";
}

void
tt_ver(struct tt *t, int d, const uint8_t *p, const char *field)
{
	uint16_t v = (uint16_t)(p[0] << 8 | p[1]);

	NUM(t, d, p, 2, field, v, "Version: %s (0x%04x)",
	    tt_or_unknown(tls_version_name(v)), v);
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

	tt_node(a->t, a->depth + depth, a->p, a->len, field, num, str, "%s",
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
		TXT(t, d, p, l, "tls.handshake.certificate", tt_hex(t, p, l),
		    "Certificate: %s (%s)", t->str, subj);
	else
		TXT(t, d, p, l, "tls.handshake.certificate", tt_hex(t, p, l),
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

/* ServerKeyExchange of an ECDHE suite (RFC 8422 5.4): the curve, the
   server's public key, and its signature (with its algorithm from TLS
   1.2 on).  Other key exchanges are left as bytes. */
static void
server_key_exchange(struct tt *t, int d, struct cursor c,
		    const struct tls_session *s)
{
	const char *suite = tls_suite_name(s->suite);
	const uint8_t *p = c.p;
	uint8_t ct = get_u8(&c), pl;
	uint16_t curve = get_be16(&c), alg, sl;

	pl = get_u8(&c);
	if (!suite || !strstr(suite, "_ECDHE_") || c.err || ct != 3 ||
	    cur_left(&c) < pl)
		return;
	LINE(t, d, p, cur_left(&c) + 4, "EC Diffie-Hellman Server Params");
	NUM(t, d + 1, p, 1, "tls.handshake.server_curve_type", ct,
	    "Curve Type: named_curve (0x%02x)", ct);
	NUM(t, d + 1, p + 1, 2, "tls.handshake.server_named_curve", curve,
	    "Named Curve: %s (0x%04x)", tt_or_unknown(tls_group_name(curve)),
	    curve);
	NUM(t, d + 1, p + 3, 1, "tls.handshake.server_point_len", pl,
	    "Pubkey Length: %u", pl);
	TXT(t, d + 1, c.p, pl, "tls.handshake.server_point",
	    tt_hex(t, c.p, pl), "Pubkey: %s", t->str);
	cur_skip(&c, pl);
	if (s->version >= 0x0303) {
		alg = get_be16(&c);
		if (c.err)
			return;
		NUM(t, d + 1, c.p - 2, 2, "tls.handshake.sig_hash_alg", alg,
		    "Signature Algorithm: %s (0x%04x)",
		    tt_or_unknown(tls_sigalg_name(alg)), alg);
	}
	sl = get_be16(&c);
	if (c.err || cur_left(&c) < sl)
		return;
	NUM(t, d + 1, c.p - 2, 2, "tls.handshake.sig_len", sl,
	    "Signature Length: %u", sl);
	TXT(t, d + 1, c.p, sl, "tls.handshake.sig", tt_hex(t, c.p, sl),
	    "Signature: %s", t->str);
}

static void
hs_body(struct tt *t, int d, uint8_t type, struct cursor c,
	const struct tls_session *s)
{
	switch (type) {
	case 1:
		tt_client_hello(t, d, c);
		break;
	case 2: case 6:
		tt_server_hello(t, d, c, s->hrr && !s->have_sr ? 6 : 2);
		break;
	case 8:
		tt_extensions(t, d, c, 8);
		break;
	case 11:
		certificate(t, d, c, s->version == 0x0304);
		break;
	case 12:
		server_key_exchange(t, d, c, s);
		break;
	case 20:
		TXT(t, d, c.p, cur_left(&c), "tls.handshake.verify_data",
		    tt_hex(t, c.p, cur_left(&c)), "Verify Data");
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
		nm = tt_or_unknown(tls_handshake_name(ty));
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
	    tt_or_unknown(tls_alert_level_name(p[0])), p[0]);
	NUM(t, d + 1, p + 1, 1, "tls.alert_message.desc", p[1],
	    "Description: %s (%u)", tt_or_unknown(tls_alert_name(p[1])), p[1]);
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
			   tt_or_unknown(tls_handshake_name(ty)));
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
				   tt_or_unknown(tls_alert_level_name(p[0])),
				   tt_or_unknown(tls_alert_name(p[1])));
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
	cn = tt_or_unknown(tls_content_type_name(h[0]));
	if (r->dec == TLS_DECRYPTED && s->version == 0x0304)
		NUM(&t, 1, h, 1, "tls.record.opaque_type", h[0],
		    "Opaque Type: %s (%u)", cn, h[0]);
	else
		NUM(&t, 1, h, 1, "tls.record.content_type", h[0],
		    "Content Type: %s (%u)", cn, h[0]);
	tt_ver(&t, 1, h + 1, "tls.record.version");
	NUM(&t, 1, h + 3, 2, "tls.record.length", r->len, "Length: %u", r->len);
	if ((r->dec == TLS_NOKEY || r->dec == TLS_BADKEY) &&
	    ct == TLS_CT_HANDSHAKE) {	/* tshark: no key, no message */
		TXT(&t, 1, f, r->len, "tls.handshake", NULL,
		    "Handshake Protocol: Encrypted Handshake Message");
	} else if ((r->dec == TLS_NOKEY || r->dec == TLS_BADKEY) &&
		   ct == TLS_CT_ALERT) {
		TXT(&t, 1, f, r->len, "tls.alert_message", NULL,
		    "Alert Message: Encrypted Alert");
	} else if (r->dec == TLS_NOKEY || r->dec == TLS_BADKEY) {
		TXT(&t, 1, f, r->len, "tls.app_data", tt_hex(&t, f, r->len),
		    "Encrypted Application Data: %s", t.str);
	}
	if (r->dec == TLS_NOKEY || r->dec == TLS_BADKEY) {
		LINE(&t, 1, f, r->len, "%s", r->dec == TLS_NOKEY ? TLS_NOKEY_HINT
		     : "[Decryption failed: the key log has a wrong secret "
		       "for this session]");
		return;
	}
	if (r->dec == TLS_DECRYPTED) {
		if (s->version == 0x0304)
			NUM(&t, 1, h, 1, "tls.record.content_type", ct,
			    "[Content Type: %s (%u)]",
			    tt_or_unknown(tls_content_type_name(ct)), ct);
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
		    tt_hex(&t, r->rec + 5, r->len), "Encrypted Application Data: %s",
		    t.str);
		if (r->dec == TLS_DECRYPTED)
			TXT(&t, 1, r->rec + 5, r->len, "tls.app_data_proto",
			    app_proto(s), "[Application Data Protocol: %s]",
			    app_proto(s));
		break;
	}
}
