/*
 * json.h - the one JSON writer, string escaper and validator every part
 * uses: httpbin replies and JSON log lines (server), --json, HAR and JSON
 * bodies (sniff), JSON request bodies and -w %{json} (client).
 *
 * Output is always valid UTF-8: strings are escaped per RFC 8259 §7
 * (\" \\ \n \r \t \b \f short forms, other controls as \u00XX) and each
 * byte that does not start a valid UTF-8 sequence (overlong forms and
 * surrogates included) becomes U+FFFD, as Wireshark and tshark show it.
 */
#ifndef HTTPTOOL_LIB_JSON_H
#define HTTPTOOL_LIB_JSON_H

#include <stdbool.h>

#include "lib/buf.h"

#define JSON_MAX_DEPTH 16		/* writer nesting */
#define JSON_VALID_MAX_DEPTH 256	/* validator and formatter nesting */

struct json {
	struct buf *b;		/* borrowed; output is appended */
	bool pretty;		/* two-space indents like httpbin */
	int depth;
	bool first[JSON_MAX_DEPTH];
	char close[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, struct buf *b, bool pretty);
void json_obj(struct json *j);		/* { */
void json_arr(struct json *j);		/* [ */
void json_end(struct json *j);		/* } or ] */
void json_key(struct json *j, const char *k);
void json_key_span(struct json *j, struct span k);
void json_str(struct json *j, struct span s);
void json_cstr(struct json *j, const char *s);	/* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Insert already-valid JSON text (see json_valid). */
void json_raw(struct json *j, struct span s);

/* Append s as a quoted, escaped JSON string (rules above).  A null s.p
 * with s.len 0 writes "".  0, or -1 when b could not grow. */
int json_escape(struct buf *b, struct span s);

/* As json_escape, but every non-ASCII character as \uXXXX (a surrogate
 * pair above U+FFFF), as Python's json.dumps (HTTPie) writes it. */
int json_escape_ascii(struct buf *b, struct span s);

/* True when s is entirely valid UTF-8 (the bytes json_escape keeps). */
bool json_utf8_valid(struct span s);

/* True when s is one complete JSON value (RFC 8259), surrounding
 * whitespace allowed. */
bool json_valid(struct span s);

#endif
