/*
 * tls_tree_hello.c - the nodes of ClientHello, ServerHello and
 * HelloRetryRequest and of their extensions (server_name, ALPN,
 * supported_versions, key_share, signature_algorithms, ...), with
 * tshark's labels and Wireshark's field names (see tls_tree.h).
 */
#include <stdio.h>
#include <string.h>

#include "tls_names.h"
#include "tls_tree_impl.h"

/* A list of 16-bit code points: "NAME (0x....)". */
static void
list16(struct tt *t, int d, struct cursor c, const char *field,
       const char *what, const char *(*name)(uint16_t))
{
	while (cur_left(&c) >= 2) {
		const uint8_t *p = c.p;
		uint16_t v = get_be16(&c);

		NUM(t, d, p, 2, field, v, "%s: %s (0x%04x)", what,
		    tt_or_unknown(name(v)), v);
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
		    g, "Selected Group: %s (%u)", tt_or_unknown(tls_group_name(g)), g);
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
		const char *gn = tt_or_unknown(tls_group_name(g));

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
		    tt_hex(t, c.p, l), "Key Exchange: %s", t->str);
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

void
tt_extensions(struct tt *t, int d, struct cursor c, uint8_t hs)
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
		const char *n = tt_or_unknown(tls_ext_name(ty));
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
			    tt_hex(t, x.p, len), "Padding Data: %s", t->str);
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
	tt_ver(t, d, c->p, "tls.handshake.version");
	cur_skip(c, 2);
	TXT(t, d, c->p, 32, "tls.handshake.random", tt_hex(t, c->p, 32),
	    "Random: %s", t->str);
	cur_skip(c, 32);
	sl = get_u8(c);
	NUM(t, d, c->p - 1, 1, "tls.handshake.session_id_length", sl,
	    "Session ID Length: %u", sl);
	if (sl && cur_left(c) >= sl)
		TXT(t, d, c->p, sl, "tls.handshake.session_id", tt_hex(t, c->p, sl),
		    "Session ID: %s", t->str);
	cur_skip(c, sl);
}

void
tt_client_hello(struct tt *t, int d, struct cursor c)
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
		tt_extensions(t, d, c, 1);
}

void
tt_server_hello(struct tt *t, int d, struct cursor c, uint8_t hs)
{
	uint16_t s;
	uint8_t m;

	hello_start(t, d, &c);
	s = get_be16(&c);
	m = get_u8(&c);
	if (c.err)
		return;
	NUM(t, d, c.p - 3, 2, "tls.handshake.ciphersuite", s,
	    "Cipher Suite: %s (0x%04x)", tt_or_unknown(tls_suite_name(s)), s);
	NUM(t, d, c.p - 1, 1, "tls.handshake.comp_method", m,
	    "Compression Method: %s (%u)", m ? "DEFLATE" : "null", m);
	if (cur_left(&c) >= 2)
		tt_extensions(t, d, c, hs);
}

