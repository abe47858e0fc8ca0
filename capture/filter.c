/*
 * filter.c - display filters: the field table, compile/match/free, and
 * tshark-style error printing.  The language itself lives in
 * filter_lex.c, filter_parse.c, filter_check.c and filter_eval.c (see
 * filter_impl.h for how they fit).
 *
 * The field table is the one source of truth for field names: the parser
 * resolves names through it, and completions, man pages and the TUI list
 * it through filter_fields().  It must not depend on the rest of capture/:
 * records reach it only through the lookup callback.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/filter_impl.h"

/* Names and descriptions as Wireshark has them; index == enum value. */
static const struct filter_field_info fields[] = {
	{ "http", FF_HTTP, "protocol", "Hypertext Transfer Protocol" },
	{ "http.request", FF_HTTP_REQUEST, "protocol", "Request" },
	{ "http.response", FF_HTTP_RESPONSE, "protocol", "Response" },
	{ "http.request.method", FF_HTTP_REQUEST_METHOD, "string",
	  "Request Method" },
	{ "http.request.uri", FF_HTTP_REQUEST_URI, "string", "Request URI" },
	{ "http.host", FF_HTTP_HOST, "string", "Host" },
	{ "http.response.code", FF_HTTP_RESPONSE_CODE, "unsigned",
	  "Status Code" },
	{ "http.content_type", FF_HTTP_CONTENT_TYPE, "string", "Content-Type" },
	{ "http.cookie", FF_HTTP_COOKIE, "string", "Cookie" },
	{ "http.set_cookie", FF_HTTP_SET_COOKIE, "string", "Set-Cookie" },
	{ "http.user_agent", FF_HTTP_USER_AGENT, "string", "User-Agent" },
	{ "http.time", FF_HTTP_TIME, "time", "Time since request" },
	{ "tcp", FF_TCP, "protocol", "Transmission Control Protocol" },
	{ "tcp.port", FF_TCP_PORT, "unsigned", "Source or Destination Port" },
	{ "tcp.srcport", FF_TCP_SRCPORT, "unsigned", "Source Port" },
	{ "tcp.dstport", FF_TCP_DSTPORT, "unsigned", "Destination Port" },
	{ "tcp.stream", FF_TCP_STREAM, "unsigned", "Stream index" },
	{ "ip", FF_IP, "protocol", "Internet Protocol Version 4" },
	{ "ip.addr", FF_IP_ADDR, "address", "Source or Destination Address" },
	{ "ip.src", FF_IP_SRC, "address", "Source Address" },
	{ "ip.dst", FF_IP_DST, "address", "Destination Address" },
	{ "ipv6", FF_IPV6, "protocol", "Internet Protocol Version 6" },
	{ "ipv6.addr", FF_IPV6_ADDR, "address",
	  "Source or Destination Address" },
	{ "ipv6.src", FF_IPV6_SRC, "address", "Source Address" },
	{ "ipv6.dst", FF_IPV6_DST, "address", "Destination Address" },
	{ "frame.number", FF_FRAME_NUMBER, "unsigned", "Frame Number" },
	{ "frame.len", FF_FRAME_LEN, "unsigned", "Frame length on the wire" },
	{ "tls", FF_TLS, "protocol", "Transport Layer Security" },
	{ "tls.record.content_type", FF_TLS_RECORD_CONTENT_TYPE, "unsigned",
	  "Content Type" },
	{ "tls.record.version", FF_TLS_RECORD_VERSION, "unsigned", "Version" },
	{ "tls.handshake.type", FF_TLS_HANDSHAKE_TYPE, "unsigned",
	  "Handshake Type" },
	{ "tls.handshake.version", FF_TLS_HANDSHAKE_VERSION, "unsigned",
	  "Version" },
	{ "tls.handshake.extensions_server_name", FF_TLS_SNI, "string",
	  "Server Name" },
	{ "tls.handshake.extensions_alpn_str", FF_TLS_ALPN, "string",
	  "ALPN Next Protocol" },
	{ "tls.handshake.ciphersuite", FF_TLS_CIPHERSUITE, "unsigned",
	  "Cipher Suite" },
	{ "tls.alert_message.desc", FF_TLS_ALERT_DESC, "unsigned",
	  "Description" },
	{ "tls.app_data", FF_TLS_APP_DATA, "protocol",
	  "Encrypted Application Data" },
	{ "websocket", FF_WEBSOCKET, "protocol", "WebSocket" },
	{ "websocket.fin", FF_WS_FIN, "unsigned", "Fin" },
	{ "websocket.opcode", FF_WS_OPCODE, "unsigned", "Opcode" },
	{ "websocket.mask", FF_WS_MASK, "unsigned", "Mask" },
	{ "websocket.payload", FF_WS_PAYLOAD, "string",
	  "Payload (unmasked, inflated)" },
	{ "websocket.close.code", FF_WS_CLOSE_CODE, "unsigned",
	  "Close status code" },
	{ "http2", FF_HTTP2, "protocol", "HyperText Transfer Protocol 2" },
	{ "http2.type", FF_H2_TYPE, "unsigned", "Type" },
	{ "http2.streamid", FF_H2_STREAMID, "unsigned", "Stream Identifier" },
	{ "http2.header.name", FF_H2_HEADER_NAME, "string", "Name" },
	{ "http2.header.value", FF_H2_HEADER_VALUE, "string", "Value" },
	{ "http2.headers.method", FF_H2_METHOD, "string", "Method" },
	{ "http2.headers.path", FF_H2_PATH, "string", "Path" },
	{ "http2.headers.status", FF_H2_STATUS, "unsigned", "Status" },
	{ "http2.headers.authority", FF_H2_AUTHORITY, "string", "Authority" },
	{ "http2.flags.end_stream", FF_H2_END_STREAM, "unsigned",
	  "End Stream" },
	{ "http2.data.data", FF_H2_DATA, "string", "Data" },
	{ "http2.error", FF_H2_ERROR, "unsigned",
	  "Error (RST_STREAM, GOAWAY)" },
	{ "http2.settings.id", FF_H2_SETTINGS_ID, "unsigned",
	  "Settings Identifier" },
	{ "http2.settings.header_table_size", FF_H2_SET_TABLE, "unsigned",
	  "Header table size" },
	{ "http2.settings.enable_push", FF_H2_SET_PUSH, "unsigned",
	  "Enable PUSH" },
	{ "http2.settings.max_concurrent_streams", FF_H2_SET_STREAMS,
	  "unsigned", "Max concurrent streams" },
	{ "http2.settings.initial_window_size", FF_H2_SET_WINDOW, "unsigned",
	  "Initial Windows Size" },
	{ "http2.settings.max_frame_size", FF_H2_SET_FRAME, "unsigned",
	  "Max frame size" },
	{ "http2.settings.max_header_list_size", FF_H2_SET_LIST, "unsigned",
	  "Max header list size" },
};

_Static_assert(sizeof fields / sizeof fields[0] == FF__COUNT,
	       "one table row per enum filter_field");

const struct filter_field_info *
filter_fields(size_t *count)
{
	if (count)
		*count = FF__COUNT;
	return fields;
}

const struct filter_field_info *
filter_field_find(const char *name, size_t len)
{
	for (size_t i = 0; i < FF__COUNT; i++)
		if (strlen(fields[i].name) == len &&
		    memcmp(fields[i].name, name, len) == 0)
			return &fields[i];
	return NULL;
}

enum ftype
filter_ftype(int field)
{
	const char *t = fields[field].type;

	if (strcmp(t, "string") == 0)
		return FT_STR;
	if (strcmp(t, "unsigned") == 0)
		return FT_UINT;
	if (strcmp(t, "time") == 0)
		return FT_TIME;
	if (strcmp(t, "address") == 0)
		return field >= FF_IPV6 && field <= FF_IPV6_DST ? FT_ADDR6
								 : FT_ADDR4;
	return FT_PROTO;
}

/* Ports and status codes are 16-bit in Wireshark, the rest 32-bit. */
unsigned long long
filter_fmax(int field)
{
	switch (field) {
	case FF_TCP_PORT: case FF_TCP_SRCPORT: case FF_TCP_DSTPORT:
	case FF_HTTP_RESPONSE_CODE:
		return 65535;
	default:
		return 4294967295ULL;
	}
}

/* Wireshark's type names, for messages. */
const char *
filter_ftype_name(int field)
{
	switch (filter_ftype(field)) {
	case FT_STR:
		return "Character string";
	case FT_UINT:
		return filter_fmax(field) == 65535 ? "Unsigned integer (2 bytes)"
						   : "Unsigned integer (4 bytes)";
	case FT_TIME:
		return "Time offset";
	case FT_ADDR4:
		return "IPv4 address";
	case FT_ADDR6:
		return "IPv6 address";
	case FT_PROTO:
		break;
	}
	return field == FF_HTTP_REQUEST || field == FF_HTTP_RESPONSE ?
	       "Boolean" : "Protocol";
}

struct filter *
filter_compile_n(const char *text, size_t len, struct filter_error *err)
{
	struct filter_error scratch;
	struct filter *f;
	struct fnode *root;

	if (err == NULL)
		err = &scratch;
	memset(err, 0, sizeof *err);
	if (filter_parse(text, len, &root, err) < 0)
		return NULL;
	if (filter_check(root, text, err) < 0) {
		filter_node_free(root);
		return NULL;
	}
	if ((f = malloc(sizeof *f)) == NULL) {
		filter_node_free(root);
		filter_seterr(err, 0, 0, "Out of memory.");
		return NULL;
	}
	f->root = root;
	return f;
}

struct filter *
filter_compile(const char *text, struct filter_error *err)
{
	return filter_compile_n(text ? text : "", text ? strlen(text) : 0, err);
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	filter_node_free(f->root);
	free(f);
}

bool
filter_match(const struct filter *f, filter_lookup_fn lookup, void *ctx)
{
	if (f == NULL || f->root == NULL)
		return true;
	return filter_eval(f->root, lookup, ctx);
}

/* Display columns of text[from, to): UTF-8 continuation bytes take none. */
static size_t
columns(const char *text, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++)
		n += ((unsigned char)text[i] & 0xc0) != 0x80;
	return n;
}

void
filter_error_print(FILE *fp, const char *prog, const char *text,
		   const struct filter_error *err)
{
	size_t len = strlen(text), off = err->offset, col, width;

	fprintf(fp, "%s: %s\n", prog, err->msg);
	if (err->len == 0)
		return;
	fputs("    ", fp);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		fputc(c < 0x20 || c == 0x7f ? ' ' : c, fp);
	}
	if (off > len)
		off = len;
	col = columns(text, 0, off);
	width = columns(text, off, off + err->len < len ? off + err->len : len);
	fprintf(fp, "\n    %*s^", (int)col, "");
	for (size_t i = 1; i < width; i++)
		fputc('~', fp);
	fputc('\n', fp);
}
