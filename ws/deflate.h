/*
 * deflate.h - the permessage-deflate extension (RFC 7692) with zlib:
 * raw DEFLATE, each message flushed with Z_SYNC_FLUSH and its trailing
 * 00 00 ff ff removed (§7.2.1), put back before inflating (§7.2.2).
 */
#ifndef HTTPTOOL_WS_DEFLATE_H
#define HTTPTOOL_WS_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <zlib.h>

#include "lib/buf.h"

struct ws_deflate {
	z_stream zin, zout;
	bool in_ready, out_ready;
	bool in_no_context;	/* reset the inflater after each message */
	bool out_no_context;	/* reset the deflater after each message */
	int out_bits;		/* our LZ77 window (9..15) */
};

/*
 * The server's answer to a Sec-WebSocket-Extensions offer: true when one
 * of its permessage-deflate offers is acceptable; then d is set up for
 * it and the response value (for Sec-WebSocket-Extensions) is in resp.
 */
bool ws_deflate_accept(struct span offer, struct ws_deflate *d, char *resp,
		       size_t size);
/* 0, or -1 when zlib could not start. */
int ws_deflate_init(struct ws_deflate *d);
void ws_deflate_free(struct ws_deflate *d);

/* Compress a whole message p[0..n) onto out.  0, or -1. */
int ws_deflate_msg(struct ws_deflate *d, const void *p, size_t n,
		   struct buf *out);
/* Inflate a whole compressed message onto out: 0, -1 when it is not
 * valid DEFLATE data, -2 when it inflates past max bytes. */
int ws_inflate_msg(struct ws_deflate *d, const void *p, size_t n,
		   struct buf *out, size_t max);

#endif
