/*
 * header.h - looking things up in a parsed head.
 *
 * All spans returned point into the message's buffer (borrowed).
 */
#ifndef HTTPTOOL_HEADER_H
#define HTTPTOOL_HEADER_H

#include <stdbool.h>

#include "lib/buf.h"
#include "parse.h"

/* First header named name (case-insensitive), or NULL. */
const struct http_header *http_header_find(const struct http_msg *msg,
					   const char *name);

/* Next header named name after prev (NULL to start), or NULL. */
const struct http_header *http_header_next(const struct http_msg *msg,
					   const char *name,
					   const struct http_header *prev);

/* Value of the first header named name, or an empty span with p NULL. */
struct span http_header_value(const struct http_msg *msg, const char *name);

/*
 * Iterate a comma-separated list value (RFC 9110 §5.6.1): returns false at
 * the end; *item is the next non-empty element, trimmed.  *rest is
 * advanced; start with *rest = the value.
 */
bool http_list_next(struct span *rest, struct span *item);

/* True when a list-valued header of msg names token (case-insensitive),
 * e.g. http_header_has_token(msg, "connection", "close"). */
bool http_header_has_token(const struct http_msg *msg, const char *name,
			   const char *token);

/*
 * Find parameter param in a value like "text/html; charset=utf-8" or
 * "form-data; name=\"a\"".  The value returned excludes quotes (escapes
 * inside quotes are left as they are).  False when absent.
 */
bool http_param_find(struct span value, const char *param, struct span *out);

/* The media type of a Content-Type value without parameters, trimmed. */
struct span http_media_type(struct span content_type);

#endif
