/*
 * form.h - request body formats: application/x-www-form-urlencoded and
 * multipart/form-data (RFC 7578), parsed into spans (no copies).
 */
#ifndef HTTPTOOL_FORM_H
#define HTTPTOOL_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/*
 * Next name=value pair of an urlencoded body or query string; *rest is
 * advanced (start with the whole body).  Spans are still encoded: decode
 * with http_pct_decode(.., plus_space = true).  A pair without '=' has an
 * empty value with p NULL.  False at the end.
 */
bool http_form_next(struct span *rest, struct span *name, struct span *value);

struct http_part {
	struct span headers;	/* raw part header block */
	struct span name;	/* Content-Disposition name= */
	struct span filename;	/* filename=, p NULL when absent */
	struct span content_type;	/* p NULL when absent */
	struct span body;	/* part content */
};

struct http_multipart {
	struct span body;	/* the whole body */
	struct span boundary;	/* without the leading "--" */
	size_t pos;		/* private */
	bool done;		/* saw the closing delimiter */
	bool malformed;		/* stopped at something it could not read */
};

/* Boundary parameter of a multipart Content-Type; false when missing. */
bool http_multipart_boundary(struct span content_type, struct span *boundary);

void http_multipart_init(struct http_multipart *m, struct span body,
			 struct span boundary);

/* Next part; false at the end or on malformed input (m->malformed). */
bool http_multipart_next(struct http_multipart *m, struct http_part *part);

#endif
