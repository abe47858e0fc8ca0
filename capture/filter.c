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
	{ "tls.app_data", FF_TLS_APP_DATA, "bytes",
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
	{ "frame", FF_FRAME, "protocol", "Frame" },
	{ "frame.time_relative", FF_FRAME_TIME_RELATIVE, "time",
	  "Time since reference or first frame" },
	{ "frame.time_delta", FF_FRAME_TIME_DELTA, "time",
	  "Time delta from previous captured frame" },
	{ "frame.time_epoch", FF_FRAME_TIME_EPOCH, "time", "Epoch Time" },
	{ "frame.cap_len", FF_FRAME_CAP_LEN, "unsigned",
	  "Frame length stored into the capture file" },
	{ "frame.protocols", FF_FRAME_PROTOCOLS, "string",
	  "Protocols in frame" },
	{ "eth", FF_ETH, "protocol", "Ethernet" },
	{ "eth.dst", FF_ETH_DST, "ether", "Destination" },
	{ "eth.src", FF_ETH_SRC, "ether", "Source" },
	{ "eth.addr", FF_ETH_ADDR, "ether", "Address" },
	{ "eth.type", FF_ETH_TYPE, "unsigned", "Type" },
	{ "ip.version", FF_IP_VERSION, "unsigned", "Version" },
	{ "ip.hdr_len", FF_IP_HDR_LEN, "unsigned", "Header Length" },
	{ "ip.dsfield", FF_IP_DSFIELD, "unsigned",
	  "Differentiated Services Field" },
	{ "ip.len", FF_IP_LEN, "unsigned", "Total Length" },
	{ "ip.id", FF_IP_ID, "unsigned", "Identification" },
	{ "ip.flags.df", FF_IP_FLAGS_DF, "boolean", "Don't fragment" },
	{ "ip.flags.mf", FF_IP_FLAGS_MF, "boolean", "More fragments" },
	{ "ip.frag_offset", FF_IP_FRAG_OFFSET, "unsigned",
	  "Fragment Offset" },
	{ "ip.ttl", FF_IP_TTL, "unsigned", "Time to Live" },
	{ "ip.proto", FF_IP_PROTO, "unsigned", "Protocol" },
	{ "ip.checksum", FF_IP_CHECKSUM, "unsigned", "Header Checksum" },
	{ "ipv6.plen", FF_IPV6_PLEN, "unsigned", "Payload Length" },
	{ "ipv6.nxt", FF_IPV6_NXT, "unsigned", "Next Header" },
	{ "ipv6.hlim", FF_IPV6_HLIM, "unsigned", "Hop Limit" },
	{ "ipv6.flow", FF_IPV6_FLOW, "unsigned", "Flow Label" },
	{ "tcp.len", FF_TCP_LEN, "unsigned", "TCP Segment Len" },
	{ "tcp.seq", FF_TCP_SEQ, "unsigned", "Sequence Number" },
	{ "tcp.seq_raw", FF_TCP_SEQ_RAW, "unsigned", "Sequence Number (raw)" },
	{ "tcp.nxtseq", FF_TCP_NXTSEQ, "unsigned", "Next Sequence Number" },
	{ "tcp.ack", FF_TCP_ACK, "unsigned", "Acknowledgment Number" },
	{ "tcp.ack_raw", FF_TCP_ACK_RAW, "unsigned",
	  "Acknowledgment number (raw)" },
	{ "tcp.hdr_len", FF_TCP_HDR_LEN, "unsigned", "Header Length" },
	{ "tcp.flags", FF_TCP_FLAGS, "unsigned", "Flags" },
	{ "tcp.flags.fin", FF_TCP_FLAGS_FIN, "boolean", "Fin" },
	{ "tcp.flags.syn", FF_TCP_FLAGS_SYN, "boolean", "Syn" },
	{ "tcp.flags.reset", FF_TCP_FLAGS_RESET, "boolean", "Reset" },
	{ "tcp.flags.push", FF_TCP_FLAGS_PUSH, "boolean", "Push" },
	{ "tcp.flags.ack", FF_TCP_FLAGS_ACK, "boolean", "Acknowledgment" },
	{ "tcp.flags.urg", FF_TCP_FLAGS_URG, "boolean", "Urgent" },
	{ "tcp.flags.ece", FF_TCP_FLAGS_ECE, "boolean", "ECN-Echo" },
	{ "tcp.flags.cwr", FF_TCP_FLAGS_CWR, "boolean",
	  "Congestion Window Reduced" },
	{ "tcp.flags.ae", FF_TCP_FLAGS_AE, "boolean", "Accurate ECN" },
	{ "tcp.flags.str", FF_TCP_FLAGS_STR, "string", "TCP Flags" },
	{ "tcp.window_size_value", FF_TCP_WINDOW_SIZE_VALUE, "unsigned",
	  "Window" },
	{ "tcp.window_size", FF_TCP_WINDOW_SIZE, "unsigned",
	  "Calculated window size" },
	{ "tcp.checksum", FF_TCP_CHECKSUM, "unsigned", "Checksum" },
	{ "tcp.urgent_pointer", FF_TCP_URGENT_POINTER, "unsigned",
	  "Urgent Pointer" },
	{ "tcp.options.mss_val", FF_TCP_OPTIONS_MSS_VAL, "unsigned",
	  "MSS Value" },
	{ "tcp.options.wscale.shift", FF_TCP_OPTIONS_WSCALE_SHIFT, "unsigned",
	  "Shift count" },
	{ "tcp.payload", FF_TCP_PAYLOAD, "bytes", "TCP payload" },
	{ "tcp.analysis", FF_TCP_ANALYSIS, "protocol", "SEQ/ACK analysis" },
	{ "tcp.analysis.flags", FF_TCP_ANALYSIS_FLAGS, "protocol",
	  "TCP Analysis Flags" },
	{ "tcp.analysis.retransmission", FF_TCP_ANALYSIS_RETRANSMISSION,
	  "protocol", "This frame is a (suspected) retransmission" },
	{ "tcp.analysis.fast_retransmission", FF_TCP_ANALYSIS_FAST_RETRANSMISSION,
	  "protocol", "This frame is a (suspected) fast retransmission" },
	{ "tcp.analysis.spurious_retransmission", FF_TCP_ANALYSIS_SPURIOUS,
	  "protocol", "This frame is a (suspected) spurious retransmission" },
	{ "tcp.analysis.out_of_order", FF_TCP_ANALYSIS_OUT_OF_ORDER,
	  "protocol", "This frame is a (suspected) out-of-order segment" },
	{ "tcp.analysis.lost_segment", FF_TCP_ANALYSIS_LOST_SEGMENT,
	  "protocol", "Previous segment(s) not captured (common at capture start)" },
	{ "tcp.analysis.ack_lost_segment", FF_TCP_ANALYSIS_ACK_LOST_SEGMENT,
	  "protocol", "ACKed segment that wasn't captured" },
	{ "tcp.analysis.duplicate_ack", FF_TCP_ANALYSIS_DUPLICATE_ACK,
	  "protocol", "Duplicate ACK" },
	{ "tcp.analysis.duplicate_ack_num", FF_TCP_ANALYSIS_DUPLICATE_ACK_NUM,
	  "unsigned", "Duplicate ACK #" },
	{ "tcp.analysis.duplicate_ack_frame", FF_TCP_ANALYSIS_DUPLICATE_ACK_FRAME,
	  "unsigned", "Duplicate to the ACK in frame" },
	{ "tcp.analysis.zero_window", FF_TCP_ANALYSIS_ZERO_WINDOW, "protocol",
	  "TCP Zero Window segment" },
	{ "tcp.analysis.window_full", FF_TCP_ANALYSIS_WINDOW_FULL, "protocol",
	  "TCP window specified by the receiver is now completely full" },
	{ "tcp.analysis.window_update", FF_TCP_ANALYSIS_WINDOW_UPDATE,
	  "protocol", "TCP window update" },
	{ "tcp.analysis.keep_alive", FF_TCP_ANALYSIS_KEEP_ALIVE, "protocol",
	  "TCP keep-alive segment" },
	{ "tcp.analysis.keep_alive_ack", FF_TCP_ANALYSIS_KEEP_ALIVE_ACK,
	  "protocol", "ACK to a TCP keep-alive segment" },
	{ "tcp.analysis.acks_frame", FF_TCP_ANALYSIS_ACKS_FRAME, "unsigned",
	  "This is an ACK to the segment in frame" },
	{ "tcp.analysis.ack_rtt", FF_TCP_ANALYSIS_ACK_RTT, "time",
	  "The RTT to ACK the segment was" },
	{ "tcp.analysis.initial_rtt", FF_TCP_ANALYSIS_INITIAL_RTT, "time",
	  "iRTT" },
	{ "tcp.analysis.bytes_in_flight", FF_TCP_ANALYSIS_BYTES_IN_FLIGHT,
	  "unsigned", "Bytes in flight" },
	{ "tcp.reassembled_in", FF_TCP_REASSEMBLED_IN, "unsigned",
	  "Reassembled PDU in frame" },
	{ "udp", FF_UDP, "protocol", "User Datagram Protocol" },
	{ "udp.srcport", FF_UDP_SRCPORT, "unsigned", "Source Port" },
	{ "udp.dstport", FF_UDP_DSTPORT, "unsigned", "Destination Port" },
	{ "udp.port", FF_UDP_PORT, "unsigned",
	  "Source or Destination Port" },
	{ "udp.length", FF_UDP_LENGTH, "unsigned", "Length" },
	{ "udp.checksum", FF_UDP_CHECKSUM, "unsigned", "Checksum" },
	{ "dns", FF_DNS, "protocol", "Domain Name System" },
	{ "dns.id", FF_DNS_ID, "unsigned", "Transaction ID" },
	{ "dns.flags.response", FF_DNS_FLAGS_RESPONSE, "boolean", "Response" },
	{ "dns.flags.rcode", FF_DNS_FLAGS_RCODE, "unsigned",
	  "Reply code" },
	{ "dns.qry.name", FF_DNS_QRY_NAME, "string", "Name" },
	{ "dns.qry.type", FF_DNS_QRY_TYPE, "unsigned", "Type" },
	{ "dns.count.queries", FF_DNS_COUNT_QUERIES, "unsigned",
	  "Questions" },
	{ "dns.count.answers", FF_DNS_COUNT_ANSWERS, "unsigned",
	  "Answer RRs" },
	{ "dns.a", FF_DNS_A, "address", "Address" },
	{ "dns.aaaa", FF_DNS_AAAA, "address", "AAAA Address" },
	{ "http.request.version", FF_HTTP_REQUEST_VERSION, "string",
	  "Request Version" },
	{ "http.response.version", FF_HTTP_RESPONSE_VERSION, "string",
	  "Response Version" },
	{ "http.response.phrase", FF_HTTP_RESPONSE_PHRASE, "string",
	  "Response Phrase" },
	{ "http.request.line", FF_HTTP_REQUEST_LINE, "string",
	  "Request line" },
	{ "http.response.line", FF_HTTP_RESPONSE_LINE, "string",
	  "Response line" },
	{ "http.request.full_uri", FF_HTTP_REQUEST_FULL_URI, "string",
	  "Full request URI" },
	{ "http.request.uri.path", FF_HTTP_REQUEST_URI_PATH, "string",
	  "Request URI Path" },
	{ "http.request.uri.query", FF_HTTP_REQUEST_URI_QUERY, "string",
	  "Request URI Query" },
	{ "http.request.uri.query.parameter", FF_HTTP_REQUEST_URI_QUERY_PARAMETER,
	  "string", "Request URI Query Parameter" },
	{ "http.content_length_header", FF_HTTP_CONTENT_LENGTH_HEADER,
	  "string", "Content-Length" },
	{ "http.content_length", FF_HTTP_CONTENT_LENGTH, "unsigned",
	  "Content length" },
	{ "http.server", FF_HTTP_SERVER, "string", "Server" },
	{ "http.connection", FF_HTTP_CONNECTION, "string", "Connection" },
	{ "http.location", FF_HTTP_LOCATION, "string", "Location" },
	{ "http.accept", FF_HTTP_ACCEPT, "string", "Accept" },
	{ "http.accept_encoding", FF_HTTP_ACCEPT_ENCODING, "string",
	  "Accept Encoding" },
	{ "http.accept_language", FF_HTTP_ACCEPT_LANGUAGE, "string",
	  "Accept-Language" },
	{ "http.referer", FF_HTTP_REFERER, "string", "Referer" },
	{ "http.authorization", FF_HTTP_AUTHORIZATION, "string",
	  "Authorization" },
	{ "http.content_encoding", FF_HTTP_CONTENT_ENCODING, "string",
	  "Content-Encoding" },
	{ "http.transfer_encoding", FF_HTTP_TRANSFER_ENCODING, "string",
	  "Transfer-Encoding" },
	{ "http.cache_control", FF_HTTP_CACHE_CONTROL, "string",
	  "Cache-Control" },
	{ "http.date", FF_HTTP_DATE, "string", "Date" },
	{ "http.last_modified", FF_HTTP_LAST_MODIFIED, "string",
	  "Last-Modified" },
	{ "http.upgrade", FF_HTTP_UPGRADE, "string", "Upgrade" },
	{ "http.www_authenticate", FF_HTTP_WWW_AUTHENTICATE, "string",
	  "WWW-Authenticate" },
	{ "http.x_forwarded_for", FF_HTTP_X_FORWARDED_FOR, "string",
	  "X-Forwarded-For" },
	{ "http.chunk_size", FF_HTTP_CHUNK_SIZE, "unsigned", "Chunk size" },
	{ "http.file_data", FF_HTTP_FILE_DATA, "string", "File Data" },
	{ "http.response_in", FF_HTTP_RESPONSE_IN, "unsigned",
	  "Response in frame" },
	{ "http.request_in", FF_HTTP_REQUEST_IN, "unsigned",
	  "Request in frame" },
	{ "http.request_number", FF_HTTP_REQUEST_NUMBER, "unsigned",
	  "Request number" },
	{ "http.response_number", FF_HTTP_RESPONSE_NUMBER, "unsigned",
	  "Response number" },
	{ "http.prev_request_in", FF_HTTP_PREV_REQUEST_IN, "unsigned",
	  "Prev request in frame" },
	{ "http.next_request_in", FF_HTTP_NEXT_REQUEST_IN, "unsigned",
	  "Next request in frame" },
	{ "http.prev_response_in", FF_HTTP_PREV_RESPONSE_IN, "unsigned",
	  "Prev response in frame" },
	{ "http.next_response_in", FF_HTTP_NEXT_RESPONSE_IN, "unsigned",
	  "Next response in frame" },
	{ "urlencoded-form", FF_URLENCODED_FORM, "protocol",
	  "HTML Form URL Encoded" },
	{ "urlencoded-form.key", FF_URLENCODED_FORM_KEY, "string", "Key" },
	{ "urlencoded-form.value", FF_URLENCODED_FORM_VALUE, "string",
	  "Value" },
	{ "mime_multipart", FF_MIME_MULTIPART, "protocol",
	  "MIME Multipart Media Encapsulation" },
	{ "mime_multipart.part", FF_MIME_MULTIPART_PART, "string",
	  "Encapsulated multipart part" },
	{ "mime_multipart.boundary", FF_MIME_MULTIPART_BOUNDARY, "string",
	  "Boundary" },
	{ "mime_multipart.header.content-type", FF_MIME_MULTIPART_CT,
	  "string", "Content-Type" },
	{ "mime_multipart.header.content-disposition", FF_MIME_MULTIPART_CD,
	  "string", "Content-Disposition" },
	{ "tcp.time_relative", FF_TCP_TIME_RELATIVE, "time",
	  "Time since first frame in this TCP stream" },
	{ "tcp.time_delta", FF_TCP_TIME_DELTA, "time",
	  "Time since previous frame in this TCP stream" },
	{ "json", FF_JSON, "protocol", "JavaScript Object Notation" },
	{ "json.object", FF_JSON_OBJECT, "protocol", "Object" },
	{ "json.array", FF_JSON_ARRAY, "protocol", "Array" },
	{ "json.member", FF_JSON_MEMBER, "string", "Member" },
	{ "json.key", FF_JSON_KEY, "string", "Key" },
	{ "json.path", FF_JSON_PATH, "string", "Path" },
	{ "json.path_with_value", FF_JSON_PATH_WITH_VALUE, "string",
	  "Path with value" },
	{ "json.member_with_value", FF_JSON_MEMBER_WITH_VALUE, "string",
	  "Member with value" },
	{ "json.value.string", FF_JSON_VALUE_STRING, "string",
	  "String value" },
	{ "json.value.number", FF_JSON_VALUE_NUMBER, "string",
	  "Number value" },
	{ "json.value.true", FF_JSON_VALUE_TRUE, "protocol", "True value" },
	{ "json.value.false", FF_JSON_VALUE_FALSE, "protocol", "False value" },
	{ "json.value.null", FF_JSON_VALUE_NULL, "protocol", "Null value" },
	{ "tcp.completeness", FF_TCP_COMPLETENESS, "unsigned",
	  "Conversation completeness" },
	{ "tcp.analysis.rto", FF_TCP_ANALYSIS_RTO, "time",
	  "The RTO for this segment was" },
	{ "tcp.analysis.rto_frame", FF_TCP_ANALYSIS_RTO_FRAME, "unsigned",
	  "RTO based on delta from frame" },
	{ "tcp.analysis.zero_window_probe", FF_TCP_ANALYSIS_ZWP, "protocol",
	  "TCP Zero Window Probe" },
	{ "tcp.analysis.zero_window_probe_ack", FF_TCP_ANALYSIS_ZWP_ACK,
	  "protocol", "ACK to a TCP Zero Window Probe" },
	{ "tcp.segment", FF_TCP_SEGMENT, "unsigned", "TCP Segment" },
	{ "tcp.segments", FF_TCP_SEGMENTS, "protocol",
	  "Reassembled TCP Segments" },
	{ "tcp.segment.count", FF_TCP_SEGMENT_COUNT, "unsigned",
	  "Segment count" },
	{ "tcp.reassembled.length", FF_TCP_REASSEMBLED_LENGTH, "unsigned",
	  "Reassembled TCP length" },
	{ "tcp.segment.overlap", FF_TCP_SEGMENT_OVERLAP, "boolean",
	  "Segment overlap" },
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
	static const struct { const char *name; enum ftype t; } types[] = {
		{ "string", FT_STR }, { "unsigned", FT_UINT },
		{ "time", FT_TIME }, { "boolean", FT_BOOL },
		{ "ether", FT_ETHER }, { "bytes", FT_BYTES },
	};
	const char *t = fields[field].type;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(t, types[i].name) == 0)
			return types[i].t;
	if (strcmp(t, "address") == 0)
		return strncmp(fields[field].name, "ipv6.", 5) == 0 ||
		       field == FF_DNS_AAAA ? FT_ADDR6 : FT_ADDR4;
	return FT_PROTO;
}

/* The largest value of an unsigned field (its width in Wireshark). */
unsigned long long
filter_fmax(int field)
{
	static const struct { int id, bits; } widths[] = {
		{ FF_TCP_PORT, 16 }, { FF_TCP_SRCPORT, 16 },
		{ FF_TCP_DSTPORT, 16 }, { FF_HTTP_RESPONSE_CODE, 16 },
		{ FF_ETH_TYPE, 16 },
		{ FF_IP_VERSION, 8 },
		{ FF_IP_HDR_LEN, 8 },
		{ FF_IP_DSFIELD, 8 },
		{ FF_IP_LEN, 16 },
		{ FF_IP_ID, 16 },
		{ FF_IP_FRAG_OFFSET, 16 },
		{ FF_IP_TTL, 8 },
		{ FF_IP_PROTO, 8 },
		{ FF_IP_CHECKSUM, 16 },
		{ FF_IPV6_PLEN, 16 },
		{ FF_IPV6_NXT, 8 },
		{ FF_IPV6_HLIM, 8 },
		{ FF_IPV6_FLOW, 24 },
		{ FF_TCP_HDR_LEN, 8 },
		{ FF_TCP_FLAGS, 16 },
		{ FF_TCP_WINDOW_SIZE_VALUE, 16 },
		{ FF_TCP_CHECKSUM, 16 },
		{ FF_TCP_URGENT_POINTER, 16 },
		{ FF_TCP_OPTIONS_MSS_VAL, 16 },
		{ FF_TCP_OPTIONS_WSCALE_SHIFT, 8 },
		{ FF_UDP_SRCPORT, 16 },
		{ FF_UDP_DSTPORT, 16 },
		{ FF_UDP_PORT, 16 },
		{ FF_UDP_LENGTH, 16 },
		{ FF_UDP_CHECKSUM, 16 },
		{ FF_DNS_ID, 16 },
		{ FF_DNS_FLAGS_RCODE, 16 },
		{ FF_DNS_QRY_TYPE, 16 },
		{ FF_DNS_COUNT_QUERIES, 16 },
		{ FF_DNS_COUNT_ANSWERS, 16 },
		{ FF_HTTP_CONTENT_LENGTH, 64 },
	};
	int bits = 32;

	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (widths[i].id == field)
			bits = widths[i].bits;
	switch (bits) {
	case 8:
		return 255;
	case 16:
		return 65535;
	case 24:
		return 16777215;
	case 64:
		return 18446744073709551615ULL;
	}
	return 4294967295ULL;
}

int
filter_fwidth(int field)
{
	switch (filter_ftype(field)) {
	case FT_UINT:
		switch (filter_fmax(field)) {
		case 255:
			return 1;
		case 65535:
			return 2;
		case 16777215:
			return 3;
		case 4294967295ULL:
			return 4;
		}
		return 8;
	case FT_BOOL:
		return 1;
	case FT_ADDR4:
		return 4;
	case FT_ADDR6:
		return 16;
	case FT_ETHER:
		return 6;
	default:
		return 8;
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
		switch (filter_fmax(field)) {
		case 255:
			return "Unsigned integer (1 byte)";
		case 65535:
			return "Unsigned integer (2 bytes)";
		case 16777215:
			return "Unsigned integer (3 bytes)";
		case 4294967295ULL:
			return "Unsigned integer (4 bytes)";
		}
		return "Unsigned integer (8 bytes)";
	case FT_TIME:
		return "Time offset";
	case FT_ADDR4:
		return "IPv4 address";
	case FT_ADDR6:
		return "IPv6 address";
	case FT_BOOL:
		return "Boolean";
	case FT_ETHER:
		return "Ethernet or other MAC address";
	case FT_BYTES:
		return "Byte sequence";
	case FT_PROTO:
		break;
	}
	if (field == FF_HTTP_REQUEST || field == FF_HTTP_RESPONSE)
		return "Boolean";
	return strchr(fields[field].name, '.') ? "Label" : "Protocol";
}

/* The layer field lives in, by its name's protocol prefix. */
static unsigned
field_layer(int field)
{
	static const struct { const char *proto; unsigned layer; } map[] = {
		{ "frame", FILTER_L_FRAME }, { "eth", FILTER_L_LINK },
		{ "ip", FILTER_L_IP }, { "ipv6", FILTER_L_IP },
		{ "tcp", FILTER_L_TRANSPORT }, { "udp", FILTER_L_TRANSPORT },
		{ "dns", FILTER_L_TRANSPORT },
	};
	const char *name;
	size_t n;

	if (field < 0 || field >= FF__COUNT)
		return 0;
	if (field == FF_FRAME_PROTOCOLS)	/* names the body's media */
		return FILTER_L_FRAME | FILTER_L_APP;
	name = filter_fields(NULL)[field].name;
	n = strcspn(name, ".");
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strlen(map[i].proto) == n && !memcmp(name, map[i].proto, n))
			return map[i].layer;
	return FILTER_L_APP;
}

static unsigned
node_layers(const struct fnode *n)
{
	unsigned l = 0;

	if (!n)
		return 0;
	if (n->kind >= N_TEST)
		l = field_layer(n->field) | field_layer(n->rhs_field);
	for (size_t i = 0; i < n->nkids; i++)
		l |= node_layers(n->kids[i]);
	return l;
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
	f->layers = node_layers(root);
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

static bool
node_uses(const struct fnode *n, const int *fields, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		if (n->kind >= N_TEST && (n->field == fields[i] ||
					  n->rhs_field == fields[i]))
			return true;
	for (size_t i = 0; i < n->nkids; i++)
		if (node_uses(n->kids[i], fields, nf))
			return true;
	return false;
}

bool
filter_uses(const struct filter *f, const int *fields, size_t n)
{
	return f && f->root && node_uses(f->root, fields, n);
}

unsigned
filter_layers(const struct filter *f)
{
	return f ? f->layers : 0;
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
