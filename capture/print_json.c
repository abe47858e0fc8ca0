/*
 * print_json.c - --json: one object per HTTP message, one per line.
 *
 *   {"frame":4,"time":1795317445.880728000,"stream":0,"src":"127.0.0.1",
 *    "dst":"127.0.0.1","sport":47596,"dport":18080,"type":"request",
 *    "method":"GET","uri":"/","full_uri":"http://127.0.0.1:18080/",
 *    "version":"HTTP/1.1","code":null,"phrase":null,"headers":[[..]],
 *    "content_type":null,"content_length":null,"body_len":0,
 *    "request_in":null,"response_in":8,"time_since_request":null,
 *    "malformed":null}
 *
 * A response repeats the method, uri and full_uri of the request it
 * answers (full_uri is tshark's http.response_for.uri).  Pairing fields
 * come from the records: request_in (tshark's http.request_in) is the
 * frame completing a response's request, response_in (http.response_in)
 * the frame completing a request's final response.  With two passes a
 * request names its response frame; live, its response_in is null.
 * A message that came over TLS (decrypted with a key log) also has
 * "tls":{"version","suite","sni","alpn"} after "phrase".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "http/header.h"
#include "lib/json.h"
#include "print.h"
#include "print_body.h"
#include "tls_names.h"
#include "tls_pipe.h"

static void
jspan(struct buf *out, struct span s)
{
	if (s.p)
		json_escape(out, s);
	else
		buf_puts(out, "null");
}

static void
jframe(struct buf *out, const char *name, const struct http_rec *r)
{
	if (r && r->frame)
		buf_printf(out, ",\"%s\":%u", name, r->frame);
	else
		buf_printf(out, ",\"%s\":null", name);
}

static void
jaddrs(struct buf *out, const struct http_view *v)
{
	const struct flow *f = v->flow;
	struct pkt tmp = { .ipver = f->ipver };
	char s[64], d[64];

	pkt_addr_str(&tmp, f->addr[v->dir], s, sizeof(s));
	pkt_addr_str(&tmp, f->addr[!v->dir], d, sizeof(d));
	buf_printf(out, ",\"stream\":%u,\"src\":\"%s\",\"dst\":\"%s\","
		   "\"sport\":%u,\"dport\":%u", f->stream, s, d,
		   f->port[v->dir], f->port[!v->dir]);
}

/*
 * A response's method, uri and full_uri are those of the request it
 * answers (tshark's http.response_for.uri is full_uri); null when no
 * request was seen for it.
 */
static void
jfor(struct buf *out, const struct http_view *v)
{
	struct http_header host = { SPAN_LIT("Host"), v->req_host };
	struct http_msg req = { .target = v->req_target, .headers = &host,
				.nheaders = v->req_host.p ? 1 : 0 };
	struct buf uri = BUF_INIT;

	if (!v->req_target.p) {
		buf_puts(out, ",\"method\":null,\"uri\":null,\"full_uri\":null");
		return;
	}
	buf_puts(out, ",\"method\":");
	json_escape(out, (struct span){ v->method, strlen(v->method) });
	buf_puts(out, ",\"uri\":");
	jspan(out, v->req_target);
	print_full_uri(&uri, &req, v->flow);
	buf_puts(out, ",\"full_uri\":");
	json_escape(out, (struct span){ uri.data, uri.len });
	buf_free(&uri);
}

/* "tls":{version, suite, sni, alpn} of a message sent over TLS */
static void
jtls(struct buf *out, const struct http_view *v)
{
	const struct tls_session *ts = tls_flow_session(v->flow);
	const char *ver, *suite;

	if (!ts)
		return;		/* cleartext: no key, as before TLS existed */
	ver = tls_version_proto(ts->version);
	suite = tls_suite_name(ts->suite);
	buf_puts(out, ",\"tls\":{\"version\":");
	json_escape(out, span_from(ver ? ver : "unknown"));
	buf_puts(out, ",\"suite\":");
	if (suite)
		json_escape(out, span_from(suite));
	else
		buf_printf(out, "\"0x%04x\"", ts->suite);
	buf_puts(out, ",\"sni\":");
	if (ts->sni[0])
		json_escape(out, span_from(ts->sni));
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"alpn\":");
	if (ts->alpn[0])
		json_escape(out, span_from(ts->alpn));
	else
		buf_puts(out, "null");
	buf_puts(out, "}");
}

static void
jstart(struct buf *out, const struct http_view *v)
{
	const struct http_msg *m = v->msg;
	struct buf uri = BUF_INIT;

	if (m->is_request) {
		buf_puts(out, ",\"type\":\"request\",\"method\":");
		jspan(out, m->method);
		buf_puts(out, ",\"uri\":");
		jspan(out, m->target);
		print_full_uri(&uri, m, v->flow);
		buf_puts(out, ",\"full_uri\":");
		json_escape(out, (struct span){ uri.data, uri.len });
		buf_free(&uri);
	} else {
		buf_puts(out, ",\"type\":\"response\"");
		jfor(out, v);
	}
	if (m->major == 2)	/* HTTP/2 (http_app.c): and its stream */
		buf_printf(out, ",\"version\":\"HTTP/2\",\"stream_id\":%u",
			   v->r ? v->r->h2_stream : 0);
	else
		buf_printf(out, ",\"version\":\"HTTP/%d.%d\"", m->major,
			   m->minor);
	if (m->is_request) {
		buf_puts(out, ",\"code\":null,\"phrase\":null");
	} else {
		buf_printf(out, ",\"code\":%d,\"phrase\":", m->status);
		jspan(out, m->reason.p ? m->reason : SPAN_LIT(""));
	}
}

void
print_json(struct buf *out, const struct http_view *v,
	   const struct records *rs, const struct capture *cap)
{
	const struct http_msg *m = v->msg;
	const struct http_rec *r = v->r, *pair = rec_link(rs, r->pair);
	struct span ct = http_header_value(m, "content-type");
	const struct frame_rec *fr = v->frame ? cap_frame(cap, v->frame - 1)
					      : NULL;
	int64_t t;
	size_t i;

	buf_printf(out, "{\"frame\":%u,\"time\":%u.%09u", v->frame,
		   fr ? fr->sec : 0, fr ? fr->nsec : 0);
	jaddrs(out, v);
	jstart(out, v);
	jtls(out, v);
	buf_puts(out, ",\"headers\":[");
	for (i = 0; i < m->nheaders; i++) {
		buf_puts(out, i ? ",[" : "[");
		jspan(out, m->headers[i].name);
		buf_puts(out, ",");
		jspan(out, m->headers[i].value);
		buf_puts(out, "]");
	}
	buf_puts(out, "],\"content_type\":");
	jspan(out, ct);
	if (r->content_length != UINT64_MAX)
		buf_printf(out, ",\"content_length\":%" PRIu64,
			   r->content_length);
	else
		buf_puts(out, ",\"content_length\":null");
	buf_printf(out, ",\"body_len\":%" PRIu64, body_file_data_len(v));
	jframe(out, "request_in", m->is_request ? NULL : pair);
	jframe(out, "response_in", m->is_request ? pair : NULL);
	t = print_time_since_request(v, rs, cap);
	if (t >= 0) {
		buf_puts(out, ",\"time_since_request\":");
		print_secs(out, t, 9);
	} else {
		buf_puts(out, ",\"time_since_request\":null");
	}
	buf_puts(out, ",\"malformed\":");
	if (v->malformed)
		json_escape(out, (struct span){ v->malformed, strlen(v->malformed) });
	else
		buf_puts(out, "null");
	buf_puts(out, "}\n");
}
