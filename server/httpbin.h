/*
 * httpbin.h - what httpbin.c shares with httpbin_data.c: the JSON
 * fields httpbin puts in its replies, in its names and shapes.
 */
#ifndef HTTPTOOL_SERVER_HTTPBIN_H
#define HTTPTOOL_SERVER_HTTPBIN_H

#include "server/conn.h"
#include "lib/base64.h"
#include "lib/json.h"

enum {
	HB_ARGS = 1u << 0,	/* "args": query parameters */
	HB_HEADERS = 1u << 1,	/* "headers": Title-Cased names */
	HB_ORIGIN = 1u << 2,	/* "origin": client address */
	HB_URL = 1u << 3,	/* "url": absolute URL */
	HB_METHOD = 1u << 4,	/* "method" */
	HB_BODY = 1u << 5,	/* "data", "files", "form", "json" */
	HB_GET = HB_ARGS | HB_HEADERS | HB_ORIGIN | HB_URL,
};

/* Write the chosen fields as keys of the open object j. */
void hb_fields(struct req *r, struct json *j, unsigned what);
/* Append {fields} (pretty, as httpbin prints it) and a newline to b. */
void hb_doc(struct req *r, unsigned what, struct buf *b);
/* Send b (JSON text) with status, application/json; b is taken over
 * (left empty). */
void hb_send(struct req *r, int status, struct buf *b);
/* {fields} as a whole reply. */
void hb_reply(struct req *r, int status, unsigned what);

/* Percent-decode s (forms rules) into b, NUL-terminated; malformed
 * escapes are kept as sent. */
void hb_decode(struct buf *b, struct span s);


#endif
