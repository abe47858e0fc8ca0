/*
 * filter.h - Wireshark display filters for `httptool sniff -Y` and the TUI.
 *
 * The language is Wireshark's (as of 4.x) for the fields in the table below:
 *
 *   http.host                          field or protocol exists
 *   tcp.port == 80   (also eq)         any value equals
 *   tcp.port != 80   (also ne)         present and no value equals (all_ne)
 *   tcp.port === 80  (also all_eq)     present and every value equals
 *   tcp.port !== 80  (also any_ne)     some value differs
 *   < <= > >=        (lt le gt ge)     any value is ordered so
 *   http.host contains "exa"           substring, case-sensitive
 *   http.host matches "^exa"  (or ~)   POSIX extended regex, CASE-INSENSITIVE
 *                                      (Wireshark's matches is too)
 *   tcp.port in {80, 443, 8000..8099}  set membership; "not in" negates
 *   && || ! and or not, ( )            "and" binds tighter than "or"
 *
 * Right-hand sides: "double-quoted strings" with C escapes (\" \\ \n \t
 * \xHH \NNN \uXXXX ...), r"raw strings", decimal/0x hex/0 octal/0b binary
 * numbers, seconds for http.time (0.25), IPv4 and IPv6 addresses with an
 * optional /prefix (ip.addr == 127.0.0.0/8), another field of the same type
 * (tcp.srcport == tcp.dstport), or an unquoted word for string fields
 * (http.request.method == GET).  An unquoted number against a string field
 * is a type error (quote it) so that `http.request.method > 3` is caught.
 *
 * Every mistake is found at compile time and reported with tshark's wording
 * and the byte range of the offending text, so the TUI can underline it
 * while the user types.
 */
#ifndef HTTPTOOL_FILTER_H
#define HTTPTOOL_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/buf.h"

/* Field ids; filter_fields() lists them in this order (index == id). */
enum filter_field {
	FF_HTTP, FF_HTTP_REQUEST, FF_HTTP_RESPONSE, FF_HTTP_REQUEST_METHOD,
	FF_HTTP_REQUEST_URI, FF_HTTP_HOST, FF_HTTP_RESPONSE_CODE,
	FF_HTTP_CONTENT_TYPE, FF_HTTP_COOKIE, FF_HTTP_SET_COOKIE,
	FF_HTTP_USER_AGENT, FF_HTTP_TIME, FF_TCP, FF_TCP_PORT, FF_TCP_SRCPORT,
	FF_TCP_DSTPORT, FF_TCP_STREAM, FF_IP, FF_IP_ADDR, FF_IP_SRC, FF_IP_DST,
	FF_IPV6, FF_IPV6_ADDR, FF_IPV6_SRC, FF_IPV6_DST, FF_FRAME_NUMBER,
	FF_FRAME_LEN, FF_TLS, FF_TLS_RECORD_CONTENT_TYPE, FF_TLS_RECORD_VERSION,
	FF_TLS_HANDSHAKE_TYPE, FF_TLS_HANDSHAKE_VERSION, FF_TLS_SNI,
	FF_TLS_ALPN, FF_TLS_CIPHERSUITE, FF_TLS_ALERT_DESC, FF_TLS_APP_DATA,
	/* WebSocket and HTTP/2 (print_app.c adds them to the tree) */
	FF_WEBSOCKET, FF_WS_FIN, FF_WS_OPCODE, FF_WS_MASK, FF_WS_PAYLOAD,
	FF_WS_CLOSE_CODE, FF_HTTP2, FF_H2_TYPE, FF_H2_STREAMID,
	FF_H2_HEADER_NAME, FF_H2_HEADER_VALUE, FF_H2_METHOD, FF_H2_PATH,
	FF_H2_STATUS, FF_H2_AUTHORITY, FF_H2_END_STREAM, FF_H2_DATA,
	FF_H2_ERROR, FF_H2_SETTINGS_ID, FF_H2_SET_TABLE, FF_H2_SET_PUSH,
	FF_H2_SET_STREAMS, FF_H2_SET_WINDOW, FF_H2_SET_FRAME,
	FF_H2_SET_LIST,
	/* issue 17: every field the tree shows with a value */
	FF_FRAME, FF_FRAME_TIME_RELATIVE, FF_FRAME_TIME_DELTA, FF_FRAME_TIME_EPOCH,
	FF_FRAME_CAP_LEN, FF_FRAME_PROTOCOLS, FF_ETH, FF_ETH_DST, FF_ETH_SRC,
	FF_ETH_ADDR, FF_ETH_TYPE, FF_IP_VERSION, FF_IP_HDR_LEN,
	FF_IP_DSFIELD, FF_IP_LEN, FF_IP_ID, FF_IP_FLAGS_DF, FF_IP_FLAGS_MF,
	FF_IP_FRAG_OFFSET, FF_IP_TTL, FF_IP_PROTO, FF_IP_CHECKSUM,
	FF_IPV6_PLEN, FF_IPV6_NXT, FF_IPV6_HLIM, FF_IPV6_FLOW, FF_TCP_LEN,
	FF_TCP_SEQ, FF_TCP_SEQ_RAW, FF_TCP_NXTSEQ, FF_TCP_ACK,
	FF_TCP_ACK_RAW, FF_TCP_HDR_LEN, FF_TCP_FLAGS, FF_TCP_FLAGS_FIN,
	FF_TCP_FLAGS_SYN, FF_TCP_FLAGS_RESET, FF_TCP_FLAGS_PUSH,
	FF_TCP_FLAGS_ACK, FF_TCP_FLAGS_URG, FF_TCP_FLAGS_ECE,
	FF_TCP_FLAGS_CWR, FF_TCP_FLAGS_AE, FF_TCP_FLAGS_STR,
	FF_TCP_WINDOW_SIZE_VALUE, FF_TCP_WINDOW_SIZE, FF_TCP_CHECKSUM,
	FF_TCP_URGENT_POINTER, FF_TCP_OPTIONS_MSS_VAL,
	FF_TCP_OPTIONS_WSCALE_SHIFT, FF_TCP_PAYLOAD, FF_TCP_ANALYSIS,
	FF_TCP_ANALYSIS_FLAGS, FF_TCP_ANALYSIS_RETRANSMISSION,
	FF_TCP_ANALYSIS_FAST_RETRANSMISSION,
	FF_TCP_ANALYSIS_SPURIOUS,
	FF_TCP_ANALYSIS_OUT_OF_ORDER, FF_TCP_ANALYSIS_LOST_SEGMENT,
	FF_TCP_ANALYSIS_ACK_LOST_SEGMENT, FF_TCP_ANALYSIS_DUPLICATE_ACK,
	FF_TCP_ANALYSIS_DUPLICATE_ACK_NUM,
	FF_TCP_ANALYSIS_DUPLICATE_ACK_FRAME, FF_TCP_ANALYSIS_ZERO_WINDOW,
	FF_TCP_ANALYSIS_WINDOW_FULL, FF_TCP_ANALYSIS_WINDOW_UPDATE,
	FF_TCP_ANALYSIS_KEEP_ALIVE, FF_TCP_ANALYSIS_KEEP_ALIVE_ACK,
	FF_TCP_ANALYSIS_ACKS_FRAME, FF_TCP_ANALYSIS_ACK_RTT,
	FF_TCP_ANALYSIS_INITIAL_RTT, FF_TCP_ANALYSIS_BYTES_IN_FLIGHT,
	FF_TCP_REASSEMBLED_IN, FF_UDP, FF_UDP_SRCPORT, FF_UDP_DSTPORT,
	FF_UDP_PORT, FF_UDP_LENGTH, FF_UDP_CHECKSUM, FF_DNS, FF_DNS_ID,
	FF_DNS_FLAGS_RESPONSE, FF_DNS_FLAGS_RCODE, FF_DNS_QRY_NAME,
	FF_DNS_QRY_TYPE, FF_DNS_COUNT_QUERIES, FF_DNS_COUNT_ANSWERS,
	FF_DNS_A, FF_DNS_AAAA, FF_HTTP_REQUEST_VERSION,
	FF_HTTP_RESPONSE_VERSION, FF_HTTP_RESPONSE_PHRASE,
	FF_HTTP_REQUEST_LINE, FF_HTTP_RESPONSE_LINE,
	FF_HTTP_REQUEST_FULL_URI, FF_HTTP_REQUEST_URI_PATH,
	FF_HTTP_REQUEST_URI_QUERY, FF_HTTP_REQUEST_URI_QUERY_PARAMETER,
	FF_HTTP_CONTENT_LENGTH_HEADER, FF_HTTP_CONTENT_LENGTH,
	FF_HTTP_SERVER, FF_HTTP_CONNECTION, FF_HTTP_LOCATION, FF_HTTP_ACCEPT,
	FF_HTTP_ACCEPT_ENCODING, FF_HTTP_ACCEPT_LANGUAGE, FF_HTTP_REFERER,
	FF_HTTP_AUTHORIZATION, FF_HTTP_CONTENT_ENCODING,
	FF_HTTP_TRANSFER_ENCODING, FF_HTTP_CACHE_CONTROL, FF_HTTP_DATE,
	FF_HTTP_LAST_MODIFIED, FF_HTTP_UPGRADE, FF_HTTP_WWW_AUTHENTICATE,
	FF_HTTP_X_FORWARDED_FOR, FF_HTTP_CHUNK_SIZE, FF_HTTP_FILE_DATA,
	FF_HTTP_RESPONSE_IN, FF_HTTP_REQUEST_IN, FF_HTTP_REQUEST_NUMBER,
	FF_HTTP_RESPONSE_NUMBER, FF_HTTP_PREV_REQUEST_IN,
	FF_HTTP_NEXT_REQUEST_IN, FF_HTTP_PREV_RESPONSE_IN,
	FF_HTTP_NEXT_RESPONSE_IN, FF_URLENCODED_FORM, FF_URLENCODED_FORM_KEY,
	FF_URLENCODED_FORM_VALUE, FF_MIME_MULTIPART, FF_MIME_MULTIPART_PART,
	FF_MIME_MULTIPART_BOUNDARY, FF_MIME_MULTIPART_CT,
	FF_MIME_MULTIPART_CD, FF_TCP_TIME_RELATIVE, FF_TCP_TIME_DELTA,
	FF_JSON, FF_JSON_OBJECT, FF_JSON_ARRAY, FF_JSON_MEMBER, FF_JSON_KEY,
	FF_JSON_PATH, FF_JSON_PATH_WITH_VALUE, FF_JSON_MEMBER_WITH_VALUE,
	FF_JSON_VALUE_STRING, FF_JSON_VALUE_NUMBER, FF_JSON_VALUE_TRUE,
	FF_JSON_VALUE_FALSE, FF_JSON_VALUE_NULL, FF_TCP_COMPLETENESS,
	FF_TCP_ANALYSIS_RTO, FF_TCP_ANALYSIS_RTO_FRAME, FF_TCP_ANALYSIS_ZWP,
	FF_TCP_ANALYSIS_ZWP_ACK, FF_TCP_SEGMENT, FF_TCP_SEGMENTS,
	FF_TCP_SEGMENT_COUNT, FF_TCP_REASSEMBLED_LENGTH,
	FF_TCP_SEGMENT_OVERLAP,
	FF__COUNT
};

/*
 * One value of a field, filled by the caller's lookup callback:
 *   "string"   fields: type FV_STR, s (borrowed; need not be NUL-terminated,
 *              valid until filter_match returns)
 *   "unsigned" fields: type FV_INT, i
 *   "address"  fields: type FV_ADDR, addr, addr_len 4 (ip.*) or 16 (ipv6.*)
 *   "time"     fields: d, in seconds (type is not consulted)
 *   "protocol" fields: only the count matters (present or not)
 */
struct filter_value {
	enum { FV_INT, FV_STR, FV_ADDR } type;
	long long i;
	double d;
	struct span s;
	uint8_t addr[16];
	int addr_len;		/* 4 or 16 */
};

/*
 * Where and what: msg is tshark's sentence; [offset, offset + len) is the
 * byte range of the filter text at fault.  offset may equal the text's
 * length (e.g. a missing final quote); len 0 means "at the end of the
 * text" and filter_error_print then prints no caret line, as tshark does
 * for "Unexpected end of filter expression.".
 */
struct filter_error {
	size_t offset, len;
	char msg[160];
};

struct filter;

/* Deepest nesting of ( and ! accepted; deeper is a compile error. */
#define FILTER_MAX_DEPTH 100

/*
 * Compile a NUL-terminated filter.  Returns a filter the caller frees with
 * filter_free(), or NULL with *err filled (err may be NULL).  An empty or
 * blank text compiles to a filter that matches everything.
 */
struct filter *filter_compile(const char *text, struct filter_error *err);
/* The same for len bytes that need not be NUL-terminated. */
struct filter *filter_compile_n(const char *text, size_t len,
				struct filter_error *err);
void filter_free(struct filter *f);	/* NULL is fine */

/*
 * The record's values of field (an enum filter_field): fill up to max of
 * them into out and return how many the record has (0: absent).  When the
 * count exceeds max, filter_match calls again with a bigger array.
 */
typedef int (*filter_lookup_fn)(void *ctx, int field, struct filter_value *out,
				int max);

/* Does f name any of fields[0..n) (a NULL f: no)? */
bool filter_uses(const struct filter *f, const int *fields, size_t n);

/*
 * Which layers of a frame f asks about (FILTER_L_*, by the fields'
 * protocol prefixes; frame.protocols also needs the application's
 * nodes), so that a lookup can build only those: 0 for a NULL or empty
 * filter.
 */
enum {
	FILTER_L_FRAME = 1,	/* frame, frame.* */
	FILTER_L_LINK = 2,	/* eth.* */
	FILTER_L_IP = 4,	/* ip.*, ipv6.* */
	FILTER_L_TRANSPORT = 8,	/* tcp.*, udp.*, dns.* */
	FILTER_L_APP = 16,	/* tls, http, http2, websocket, bodies */
};
unsigned filter_layers(const struct filter *f);

/* Does the record behind ctx match?  A NULL filter matches everything. */
bool filter_match(const struct filter *f, filter_lookup_fn lookup, void *ctx);

/*
 * For lookup callbacks: store value number n (when n < max) and return
 * n + 1, the count so far.  A time is given in seconds; a string is
 * borrowed (see struct filter_value).
 */
int filter_put_int(struct filter_value *out, int max, int n, long long v);
int filter_put_time(struct filter_value *out, int max, int n, double secs);
int filter_put_addr(struct filter_value *out, int max, int n,
		    const uint8_t *a, int len);
int filter_put_str(struct filter_value *out, int max, int n, struct span s);

/*
 * "prog: msg", then the filter text and a caret line (^~~~) under the
 * fault, each indented by four spaces, as tshark prints it.  Control
 * characters in text print as spaces so the caret stays aligned; UTF-8
 * sequences count as one column.
 */
void filter_error_print(FILE *fp, const char *prog, const char *text,
			const struct filter_error *err);

/* The field table, for completions, man pages and the TUI. */
struct filter_field_info {
	const char *name;	/* "http.host" */
	int id;			/* enum filter_field */
	const char *type;	/* "protocol","string","unsigned","address","time" */
	const char *desc;	/* Wireshark's description, "Host" */
};

/* All FF__COUNT fields, in id order; *count is set when count != NULL. */
const struct filter_field_info *filter_fields(size_t *count);
/* Wireshark's description of a field or protocol it has (filter_wsnames.c,
 * generated from tshark -G fields), or NULL: for "not a field httptool
 * knows (Wireshark has it: ...)". */
const char *filter_ws_field(const char *name);

/* The field called name (len bytes), or NULL. */
const struct filter_field_info *filter_field_find(const char *name, size_t len);

#endif
