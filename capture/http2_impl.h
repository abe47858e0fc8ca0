/*
 * http2_impl.h - what http2.c (frames, HPACK) and http2_stream.c
 * (streams, messages) share.  Private to those two files.
 */
#ifndef HTTPTOOL_HTTP2_IMPL_H
#define HTTPTOOL_HTTP2_IMPL_H

#include "http2.h"

/* a decoded header block: append one field; 0 or -1 (ENOMEM) */
int h2_hdrs_add(struct h2_hdrs *h, const uint8_t *name, size_t nlen,
		const uint8_t *value, size_t vlen);
void h2_hdrs_free(struct h2_hdrs *h);
/* spans over h in c->hv (valid until either changes), NULL on ENOMEM */
const struct h2_header *h2_hdrs_view(struct h2_conn *c,
				     const struct h2_hdrs *h);

/* A whole frame went by (after the frame callback): its stream's part. */
void h2s_frame(struct h2_conn *c, int dir, const struct h2_frame *f,
	       const struct h2_cb *cb, void *ctx);
/* n DATA bytes of stream id from dir (p NULL: counted, not kept). */
void h2s_data(struct h2_conn *c, int dir, uint32_t id, const char *p,
	      size_t n);
void h2s_upgraded(struct h2_conn *c);
/* content-type of the message stream id carries from dir, or SPAN_NULL */
struct span h2s_content_type(struct h2_conn *c, int dir, uint32_t id);
void h2s_free_all(struct h2_conn *c);

#endif
