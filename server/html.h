/*
 * html.h - escaping text into HTML (the listing, the lab pages).
 */
#ifndef HTTPTOOL_SERVER_HTML_H
#define HTTPTOOL_SERVER_HTML_H

#include "lib/buf.h"

/* Append s with & < > " ' escaped. */
void html_escape(struct buf *b, struct span s);

#endif
