/*
 * tls_names.c - Wireshark's names for TLS code points (see tls_names.h).
 * The names are those of the IANA TLS registries, written the way
 * tshark writes them so that our -V and summary lines read the same.
 */
#include <stddef.h>

#include "tls_names.h"

struct name16 {
	uint16_t v;
	const char *name;
};

static const char *
find16(const struct name16 *t, size_t n, uint16_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

#define FIND(t, v) find16((t), sizeof(t) / sizeof((t)[0]), (v))

static const struct name16 content_types[] = {
	{ 20, "Change Cipher Spec" }, { 21, "Alert" }, { 22, "Handshake" },
	{ 23, "Application Data" }, { 24, "Heartbeat" },
};

static const struct name16 versions[] = {
	{ 0x0300, "SSL 3.0" }, { 0x0301, "TLS 1.0" }, { 0x0302, "TLS 1.1" },
	{ 0x0303, "TLS 1.2" }, { 0x0304, "TLS 1.3" },
};

static const struct name16 protos[] = {
	{ 0x0300, "SSLv3" }, { 0x0301, "TLSv1" }, { 0x0302, "TLSv1.1" },
	{ 0x0303, "TLSv1.2" }, { 0x0304, "TLSv1.3" },
};

static const struct name16 hs_types[] = {
	{ 0, "Hello Request" }, { 1, "Client Hello" }, { 2, "Server Hello" },
	{ 3, "Hello Verify Request" }, { 4, "New Session Ticket" },
	{ 5, "End of Early Data" }, { 6, "Hello Retry Request" },
	{ 8, "Encrypted Extensions" }, { 11, "Certificate" },
	{ 12, "Server Key Exchange" }, { 13, "Certificate Request" },
	{ 14, "Server Hello Done" }, { 15, "Certificate Verify" },
	{ 16, "Client Key Exchange" }, { 20, "Finished" },
	{ 21, "Certificate URL" }, { 22, "Certificate Status" },
	{ 23, "Supplemental Data" }, { 24, "Key Update" },
	{ 25, "Compressed Certificate" }, { 254, "Message Hash" },
};

static const struct name16 alert_levels[] = {
	{ 1, "Warning" }, { 2, "Fatal" },
};

static const struct name16 alerts[] = {
	{ 0, "Close Notify" }, { 10, "Unexpected Message" },
	{ 20, "Bad Record MAC" }, { 21, "Decryption Failed" },
	{ 22, "Record Overflow" }, { 30, "Decompression Failure" },
	{ 40, "Handshake Failure" }, { 41, "No Certificate" },
	{ 42, "Bad Certificate" }, { 43, "Unsupported Certificate" },
	{ 44, "Certificate Revoked" }, { 45, "Certificate Expired" },
	{ 46, "Certificate Unknown" }, { 47, "Illegal Parameter" },
	{ 48, "Unknown CA" }, { 49, "Access Denied" }, { 50, "Decode Error" },
	{ 51, "Decrypt Error" }, { 60, "Export Restriction" },
	{ 70, "Protocol Version" }, { 71, "Insufficient Security" },
	{ 80, "Internal Error" }, { 86, "Inappropriate Fallback" },
	{ 90, "User Canceled" }, { 100, "No Renegotiation" },
	{ 109, "Missing Extension" }, { 110, "Unsupported Extension" },
	{ 111, "Certificate Unobtainable" }, { 112, "Unrecognized Name" },
	{ 113, "Bad Certificate Status Response" },
	{ 114, "Bad Certificate Hash Value" },
	{ 115, "Unknown PSK Identity" }, { 116, "Certificate Required" },
	{ 120, "No application Protocol" },
};

static const struct name16 exts[] = {
	{ 0, "server_name" }, { 1, "max_fragment_length" },
	{ 5, "status_request" }, { 10, "supported_groups" },
	{ 11, "ec_point_formats" }, { 13, "signature_algorithms" },
	{ 14, "use_srtp" }, { 15, "heartbeat" },
	{ 16, "application_layer_protocol_negotiation" },
	{ 17, "status_request_v2" }, { 18, "signed_certificate_timestamp" },
	{ 19, "client_certificate_type" }, { 20, "server_certificate_type" },
	{ 21, "padding" }, { 22, "encrypt_then_mac" },
	{ 23, "extended_master_secret" }, { 27, "compress_certificate" },
	{ 28, "record_size_limit" }, { 34, "delegated_credentials" },
	{ 35, "session_ticket" }, { 41, "pre_shared_key" },
	{ 42, "early_data" }, { 43, "supported_versions" }, { 44, "cookie" },
	{ 45, "psk_key_exchange_modes" }, { 47, "certificate_authorities" },
	{ 48, "oid_filters" }, { 49, "post_handshake_auth" },
	{ 50, "signature_algorithms_cert" }, { 51, "key_share" },
	{ 57, "quic_transport_parameters" },
	{ 17513, "application_settings" },
	{ 0xfe0d, "encrypted_client_hello" },
	{ 0xff01, "renegotiation_info" },
};

static const struct name16 groups[] = {
	{ 0x0017, "secp256r1" }, { 0x0018, "secp384r1" },
	{ 0x0019, "secp521r1" }, { 0x001d, "x25519" }, { 0x001e, "x448" },
	{ 0x0100, "ffdhe2048" }, { 0x0101, "ffdhe3072" },
	{ 0x0102, "ffdhe4096" }, { 0x0103, "ffdhe6144" },
	{ 0x0104, "ffdhe8192" }, { 0x001a, "brainpoolP256r1" },
	{ 0x001b, "brainpoolP384r1" }, { 0x001c, "brainpoolP512r1" },
};

static const struct name16 sigalgs[] = {
	{ 0x0201, "rsa_pkcs1_sha1" }, { 0x0203, "ecdsa_sha1" },
	{ 0x0401, "rsa_pkcs1_sha256" }, { 0x0403, "ecdsa_secp256r1_sha256" },
	{ 0x0501, "rsa_pkcs1_sha384" }, { 0x0503, "ecdsa_secp384r1_sha384" },
	{ 0x0601, "rsa_pkcs1_sha512" }, { 0x0603, "ecdsa_secp521r1_sha512" },
	{ 0x0804, "rsa_pss_rsae_sha256" }, { 0x0805, "rsa_pss_rsae_sha384" },
	{ 0x0806, "rsa_pss_rsae_sha512" }, { 0x0807, "ed25519" },
	{ 0x0808, "ed448" }, { 0x0809, "rsa_pss_pss_sha256" },
	{ 0x080a, "rsa_pss_pss_sha384" }, { 0x080b, "rsa_pss_pss_sha512" },
	{ 0x081a, "ecdsa_brainpoolP256r1tls13_sha256" },
	{ 0x081b, "ecdsa_brainpoolP384r1tls13_sha384" },
	{ 0x081c, "ecdsa_brainpoolP512r1tls13_sha512" },
	{ 0x0301, "SHA224 RSA" }, { 0x0303, "SHA224 ECDSA" },
	{ 0x0402, "SHA256 DSA" }, { 0x0202, "SHA1 DSA" },
};

struct suite {
	uint16_t v;
	const char *name;
	struct tls_suite_info info;
};

#define GCM128 { TLS_C_AES128_GCM, TLS_M_AEAD, TLS_M_SHA256 }
#define GCM256 { TLS_C_AES256_GCM, TLS_M_AEAD, TLS_M_SHA384 }
#define CHACHA { TLS_C_CHACHA20, TLS_M_AEAD, TLS_M_SHA256 }
#define CBC128_SHA { TLS_C_AES128_CBC, TLS_M_SHA1, TLS_M_SHA256 }
#define CBC256_SHA { TLS_C_AES256_CBC, TLS_M_SHA1, TLS_M_SHA256 }
#define CBC128_SHA256 { TLS_C_AES128_CBC, TLS_M_SHA256, TLS_M_SHA256 }
#define CBC256_SHA256 { TLS_C_AES256_CBC, TLS_M_SHA256, TLS_M_SHA256 }
#define CBC256_SHA384 { TLS_C_AES256_CBC, TLS_M_SHA384, TLS_M_SHA384 }
#define CCM128 { TLS_C_AES128_CCM, TLS_M_AEAD, TLS_M_SHA256 }
#define CCM256 { TLS_C_AES256_CCM, TLS_M_AEAD, TLS_M_SHA256 }
#define CCM8_128 { TLS_C_AES128_CCM8, TLS_M_AEAD, TLS_M_SHA256 }
#define CCM8_256 { TLS_C_AES256_CCM8, TLS_M_AEAD, TLS_M_SHA256 }
#define NODEC { TLS_C_NONE, TLS_M_AEAD, TLS_M_SHA256 }

static const struct suite suites[] = {
	{ 0x1301, "TLS_AES_128_GCM_SHA256", GCM128 },
	{ 0x1302, "TLS_AES_256_GCM_SHA384", GCM256 },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256", CHACHA },
	{ 0x1304, "TLS_AES_128_CCM_SHA256", CCM128 },
	{ 0x1305, "TLS_AES_128_CCM_8_SHA256", CCM8_128 },
	{ 0xc09c, "TLS_RSA_WITH_AES_128_CCM", CCM128 },
	{ 0xc09d, "TLS_RSA_WITH_AES_256_CCM", CCM256 },
	{ 0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM", CCM128 },
	{ 0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM", CCM256 },
	{ 0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8", CCM8_128 },
	{ 0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8", CCM8_256 },
	{ 0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", CCM8_128 },
	{ 0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", CCM8_256 },
	{ 0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", CCM128 },
	{ 0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", CCM256 },
	{ 0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", CCM8_128 },
	{ 0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", CCM8_256 },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", GCM128 },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", GCM256 },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", GCM128 },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", GCM256 },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", CHACHA },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", CHACHA },
	{ 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", CHACHA },
	{ 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", GCM128 },
	{ 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", GCM256 },
	{ 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", GCM128 },
	{ 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", GCM256 },
	{ 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", CBC128_SHA },
	{ 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", CBC256_SHA },
	{ 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", CBC128_SHA },
	{ 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", CBC256_SHA },
	{ 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", CBC128_SHA256 },
	{ 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", CBC256_SHA384 },
	{ 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", CBC128_SHA256 },
	{ 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", CBC256_SHA384 },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", CBC128_SHA },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", CBC256_SHA },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", CBC128_SHA256 },
	{ 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", CBC256_SHA256 },
	{ 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", CBC128_SHA },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", CBC256_SHA },
	{ 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", CBC128_SHA256 },
	{ 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", CBC256_SHA256 },
	{ 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", NODEC },
	{ 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", NODEC },
	{ 0x5600, "TLS_FALLBACK_SCSV", NODEC },
};

/* One lookup function a table: const char *FN(TYPE v), NULL when the
 * table has no name for v (tls_names.h lists them). */
#define NAME_LOOKUP(fn, type, table) \
	const char *fn(type v) { return FIND(table, v); }

NAME_LOOKUP(tls_content_type_name, uint8_t, content_types)
NAME_LOOKUP(tls_version_name, uint16_t, versions)
NAME_LOOKUP(tls_version_proto, uint16_t, protos)
NAME_LOOKUP(tls_handshake_name, uint8_t, hs_types)
NAME_LOOKUP(tls_alert_level_name, uint8_t, alert_levels)
NAME_LOOKUP(tls_alert_name, uint8_t, alerts)
NAME_LOOKUP(tls_ext_name, uint16_t, exts)
NAME_LOOKUP(tls_group_name, uint16_t, groups)
NAME_LOOKUP(tls_sigalg_name, uint16_t, sigalgs)

static const struct suite *
suite_find(uint16_t s)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i].v == s)
			return &suites[i];
	return NULL;
}

const char *
tls_suite_name(uint16_t s)
{
	const struct suite *e = suite_find(s);

	/* GREASE values (RFC 8701) are 0x?A?A with equal bytes */
	if (!e && (s & 0x0f0f) == 0x0a0a && (s >> 8) == (s & 0xff))
		return "Reserved (GREASE)";
	return e ? e->name : NULL;
}

int
tls_suite_info(uint16_t s, struct tls_suite_info *out)
{
	const struct suite *e = suite_find(s);

	if (!e || e->info.cipher == TLS_C_NONE)
		return -1;
	*out = e->info;
	return 0;
}
