/*
 * json.h - a tiny JSON writer for httpbin replies and JSON log lines,
 * plus a validator (httpbin's "json" field echoes a body only when it is
 * JSON).  Output is always valid UTF-8: strings are escaped per RFC 8259
 * §7 and bytes that are not UTF-8 become U+FFFD.
 */
#ifndef HTTPTOOL_SERVER_JSON_H
#define HTTPTOOL_SERVER_JSON_H

#include <stdbool.h>

#include "lib/buf.h"

#define JSON_MAX_DEPTH 16

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

/* Append s as a quoted, escaped JSON string. */
void json_escape(struct buf *b, struct span s);

/* True when s is one complete JSON value (RFC 8259), surrounding
 * whitespace allowed. */
bool json_valid(struct span s);

#endif
