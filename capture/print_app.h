/*
 * print_app.h - printers for what follows HTTP/1.x (http_app.h): the
 * Info text and -V subtree of a WebSocket or HTTP/2 frame, and --json's
 * object for a WebSocket message.  They append to out and read only the
 * decoders' reports.
 */
#ifndef HTTPTOOL_PRINT_APP_H
#define HTTPTOOL_PRINT_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "http2.h"
#include "lib/buf.h"
#include "ptree.h"
#include "websocket.h"

/* "WebSocket Text [FIN] [MASKED]" (tshark's Info) */
void print_ws_info(struct buf *out, const struct ws_frame *wf);
/* "HEADERS[1]: GET /", "DATA[1] (text/html)", "Magic" */
void print_h2_info(struct buf *out, const struct h2_frame *hf);

/*
 * The frame's nodes in the protocol tree at t's current depth, with their
 * filter fields (websocket.*, http2.*) whether expanded or not; the
 * unmasked and the inflated payloads become data sources.
 */
void app_tree_ws(struct ptree *t, const struct ws_frame *wf, bool expand);
void app_tree_h2(struct ptree *t, const struct h2_frame *hf, bool expand);

/* Where a WebSocket message was seen, for its JSON object. */
struct app_json {
	uint32_t frame, stream;
	const char *src, *dst;
	unsigned sport, dport;
	bool from_client;
};

/* One line of JSON for m (see the sniff man page, --json). */
void print_ws_json(struct buf *out, const struct app_json *j,
		   const struct ws_message *m);

#endif
