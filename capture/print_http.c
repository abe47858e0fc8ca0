/*
 * print_http.c - HTTP in the summary's Info column, and the pieces the
 * HTTP nodes of the protocol tree (http_tree.c) and --json share: the
 * full request URI, the time since the request.
 */
#include <stdio.h>
#include <string.h>

#include "http/header.h"
#include "http/status.h"
#include "print.h"
#include "print_body.h"
#include "tls_pipe.h"

static void
put_span(struct buf *out, struct span s)
{
	if (s.len)
		buf_append(out, s.p, s.len);
}

void
print_http_info(struct buf *out, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	struct span ct = http_header_value(m, "content-type");

	if (m->is_request) {
		put_span(out, m->method);
		buf_puts(out, " ");
		put_span(out, m->target);
		buf_printf(out, " HTTP/%d.%d ", m->major, m->minor);
	} else {
		buf_printf(out, "HTTP/%d.%d %d ", m->major, m->minor, m->status);
		if (m->reason.len) {
			put_span(out, m->reason);
			buf_puts(out, " ");
		}
	}
	if (ct.p && v->body_total > 0) {	/* as tshark: only with a body */
		buf_puts(out, " (");
		put_span(out, http_media_type(ct));
		buf_puts(out, ")");
	}
	if (v->malformed)
		buf_printf(out, " [%s: %s]", v->cut_by_end ? "Incomplete" :
			   "Malformed", v->malformed);
}

/* "http://host/uri" of a request into out ("https://" over TLS). */
void
print_full_uri(struct buf *out, const struct http_msg *m,
	       const struct flow *f)
{
	struct span host = http_header_value(m, "host");
	char a[64];

	if (m->target.len && m->target.p[0] != '/' && m->target.p[0] != '*') {
		put_span(out, m->target);	/* absolute-form already */
		return;
	}
	buf_puts(out, tls_flow_session(f) ? "https://" : "http://");
	if (host.p && host.len) {
		put_span(out, host);
	} else if (f) {
		struct pkt tmp = { .ipver = f->ipver };

		pkt_addr_str(&tmp, f->addr[DIR_SERVER], a, sizeof(a));
		buf_printf(out, f->ipver == 6 ? "[%s]:%u" : "%s:%u", a,
			   f->port[DIR_SERVER]);
	}
	put_span(out, m->target);
}

static bool
frame_ns(const struct capture *cap, uint32_t frame, int64_t *ns)
{
	const struct frame_rec *f = frame ? cap_frame(cap, frame - 1) : NULL;

	if (f)
		*ns = cap_frame_ns(f);
	return f != NULL;
}

/* Time between a response's request and it, -1 when unknown. */
int64_t
print_time_since_request(const struct http_view *v, const struct records *rs,
			 const struct capture *cap)
{
	const struct http_rec *req = rec_link(rs, v->r->pair);
	int64_t a, b;

	if (v->msg->is_request || !req || !req->frame ||
	    !frame_ns(cap, v->frame, &a) || !frame_ns(cap, req->frame, &b))
		return -1;
	return a - b;
}
