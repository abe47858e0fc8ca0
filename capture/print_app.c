/*
 * print_app.c - the Info text and the -V subtree of WebSocket and HTTP/2
 * frames, and one JSON object per WebSocket message, worded as tshark
 * words them ("WebSocket Text [FIN] [MASKED]", "HEADERS[1]: GET /").
 * Reads only what websocket.c and http2.c reported.
 */
#include <stdio.h>
#include <string.h>

#include "http/status.h"
#include "lib/json.h"
#include "print_app.h"

void
print_ws_info(struct buf *out, const struct ws_frame *wf)
{
	buf_printf(out, "WebSocket %s", ws_opcode_name(wf->opcode));
	if (!wf->fin)
		buf_puts(out, "[FRAGMENT] ");
	buf_puts(out, wf->fin ? " [FIN] " : " ");
	if (wf->masked)
		buf_puts(out, "[MASKED]");
}

static void
put_span(struct buf *out, struct span s)
{
	buf_append(out, s.p, s.len);
}

/* "GET /index.html" or "200 OK" of a decoded header block */
static void
block_summary(struct buf *out, const struct h2_frame *hf, const char *sep)
{
	struct span method = SPAN_NULL, path = SPAN_NULL, status = SPAN_NULL;
	unsigned i;

	for (i = 0; i < hf->nheaders; i++) {
		const struct h2_header *h = &hf->headers[i];

		if (span_eq(h->name, ":method"))
			method = h->value;
		else if (span_eq(h->name, ":path"))
			path = h->value;
		else if (span_eq(h->name, ":status"))
			status = h->value;
	}
	if (method.p) {
		buf_puts(out, sep);
		put_span(out, method);
		if (path.p) {
			buf_puts(out, " ");
			put_span(out, path);
		}
	} else if (status.p) {
		unsigned long long code = 0;

		buf_puts(out, sep);
		put_span(out, status);
		if (span_to_u64(status, &code))
			buf_printf(out, " %s", http_status_phrase((int)code));
	}
}

static const char *
h2_name(unsigned type, char *tmp, size_t size)
{
	const char *n = h2_type_name(type);

	if (n)
		return n;
	snprintf(tmp, size, "Unknown type (%u)", type);
	return tmp;
}

void
print_h2_info(struct buf *out, const struct h2_frame *hf)
{
	char tmp[32];

	if (hf->magic) {
		buf_puts(out, "Magic");
		return;
	}
	buf_printf(out, "%s[%u]", h2_name(hf->type, tmp, sizeof(tmp)),
		   hf->stream);
	if (hf->block_done)
		block_summary(out, hf, ": ");
	if (hf->type == H2_DATA && hf->content_type.p) {
		struct span ct = hf->content_type;
		const char *semi = memchr(ct.p, ';', ct.len);

		if (semi)
			ct.len = (size_t)(semi - ct.p);
		buf_puts(out, " (");
		put_span(out, span_trim(ct));
		buf_puts(out, ")");
	}
}

/* ---- -V ------------------------------------------------------------------ */

/* printable text of s (at most 240 bytes, as tshark shortens) */
static void
put_text(struct buf *out, struct span s)
{
	size_t i, n = s.len < 240 ? s.len : 240;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\r')
			buf_puts(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\%03o", c);
		else
			buf_append(out, &s.p[i], 1);
	}
}

static void
put_hex(struct buf *out, struct span s, size_t max)
{
	size_t i;

	for (i = 0; i < s.len && i < max; i++)
		buf_printf(out, "%02x", (unsigned char)s.p[i]);
	if (s.len > max)
		buf_puts(out, "…");
}

/* text for a label: printable bytes, at most 240 (as tshark shortens) */
static void
label_text(struct buf *out, struct span s)
{
	buf_reset(out);
	put_text(out, s);
}

void
app_tree_ws(struct ptree *t, const struct ws_frame *wf, bool expand)
{
	const struct ws_message *m = wf->msg;
	struct buf lb = BUF_INIT;
	long n, top;
	int src = -1;

	top = ptree_add(t, -1, 0, 0, "WebSocket");
	ptree_proto(t, top, FF_WEBSOCKET);
	if (!expand)
		ptree_close(t, top);
	ptree_push(t);
	n = ptree_add(t, -1, 0, 0, "%d... .... = Fin: %s", wf->fin,
		      wf->fin ? "True" : "False");
	ptree_int(t, n, FF_WS_FIN, wf->fin);
	ptree_add(t, -1, 0, 0, ".%d%d%d .... = Reserved: 0x%x", wf->rsv >> 2 & 1,
		  wf->rsv >> 1 & 1, wf->rsv & 1, wf->rsv);
	ptree_add(t, -1, 0, 0, ".%d.. .... = Per-Message Compressed: %s",
		  wf->rsv >> 2 & 1, wf->rsv & 4 ? "True" : "False");
	n = ptree_add(t, -1, 0, 0, ".... %d%d%d%d = Opcode: %s (%u)",
		      wf->opcode >> 3 & 1, wf->opcode >> 2 & 1,
		      wf->opcode >> 1 & 1, wf->opcode & 1,
		      ws_opcode_name(wf->opcode), wf->opcode);
	ptree_int(t, n, FF_WS_OPCODE, wf->opcode);
	n = ptree_add(t, -1, 0, 0, "%d... .... = Mask: %s", wf->masked,
		      wf->masked ? "True" : "False");
	ptree_int(t, n, FF_WS_MASK, wf->masked);
	ptree_add(t, -1, 0, 0, "Payload length: %llu",
		  (unsigned long long)wf->len);
	if (wf->masked)
		ptree_add(t, -1, 0, 0, "Masking-Key: %02x%02x%02x%02x",
			  wf->mask[0], wf->mask[1], wf->mask[2], wf->mask[3]);
	if (wf->masked && wf->data.len)
		src = ptree_source(t, "Unmasked data", wf->data.p, wf->data.len);
	n = ptree_add(t, src, 0, wf->data.len, "Payload");
	ptree_push(t);
	if (wf->close_code >= 0) {
		ptree_add(t, -1, 0, 0, "Close");
		ptree_push(t);
		n = ptree_add(t, src, 0, 2, "Status code: %d", wf->close_code);
		ptree_int(t, n, FF_WS_CLOSE_CODE, wf->close_code);
		if (wf->close_reason.len) {
			label_text(&lb, wf->close_reason);
			ptree_add(t, src, 2, wf->close_reason.len,
				  "Reason: %s", lb.data);
		}
		ptree_pop(t);
	} else if (m && m->data.len) {
		int msrc = src;

		if (m->compressed || m->nframes > 1)
			msrc = ptree_source(t, m->compressed ?
					    "Uncompressed payload" :
					    "Reassembled message",
					    m->data.p, m->data.len);
		label_text(&lb, m->data);
		if (m->opcode == WS_OP_TEXT) {
			n = ptree_add(t, msrc, 0, m->data.len, "Text: %s",
				      lb.data);
		} else {
			buf_reset(&lb);
			put_hex(&lb, m->data, 64);
			n = ptree_add(t, msrc, 0, m->data.len, "Data: %s",
				      lb.data);
		}
		ptree_str(t, n, FF_WS_PAYLOAD, m->data.p, m->data.len);
	}
	ptree_pop(t);
	if (wf->malformed)
		ptree_add(t, -1, 0, 0, "[Malformed: %s]", wf->malformed);
	if (m && m->malformed)
		ptree_add(t, -1, 0, 0, "[Malformed: %s]", m->malformed);
	ptree_pop(t);
	buf_free(&lb);
}

static void
h2_flags(struct ptree *t, const struct h2_frame *hf)
{
	struct buf b = BUF_INIT;
	long n;

	buf_printf(&b, "Flags: 0x%02x", hf->flags);
	if (hf->type == H2_SETTINGS || hf->type == H2_PING) {
		if (hf->flags & H2_F_ACK)
			buf_puts(&b, ", ACK");
	} else {
		if (hf->flags & H2_F_END_HEADERS && hf->type != H2_DATA)
			buf_puts(&b, ", End Headers");
		if (hf->flags & H2_F_END_STREAM &&
		    (hf->type == H2_DATA || hf->type == H2_HEADERS))
			buf_puts(&b, ", End Stream");
		if (hf->flags & H2_F_PADDED)
			buf_puts(&b, ", Padded");
		if (hf->flags & H2_F_PRIORITY && hf->type == H2_HEADERS)
			buf_puts(&b, ", Priority");
	}
	ptree_add(t, -1, 0, 0, "%s", b.data);
	if (hf->type == H2_DATA || hf->type == H2_HEADERS) {
		ptree_push(t);
		n = ptree_add(t, -1, 0, 0, ".... ...%d = End Stream: %s",
			      hf->flags & 1, hf->flags & 1 ? "True" : "False");
		ptree_int(t, n, FF_H2_END_STREAM, hf->flags & 1);
		ptree_pop(t);
	}
	buf_free(&b);
}

static void
h2_settings(struct ptree *t, const struct h2_frame *hf)
{
	static const int fields[] = {
		-1, FF_H2_SET_TABLE, FF_H2_SET_PUSH, FF_H2_SET_STREAMS,
		FF_H2_SET_WINDOW, FF_H2_SET_FRAME, FF_H2_SET_LIST,
	};
	unsigned i, id;
	long n;

	for (i = 0; i < hf->nsettings; i++) {
		const char *name = h2_setting_name(hf->settings[i].id);

		id = hf->settings[i].id;
		ptree_add(t, -1, 0, 0, "Settings - %s : %u",
			  name ? name : "Unknown", hf->settings[i].value);
		ptree_push(t);
		n = ptree_add(t, -1, 0, 0, "Settings Identifier: %s (%u)",
			      name ? name : "Unknown", id);
		ptree_int(t, n, FF_H2_SETTINGS_ID, id);
		n = ptree_add(t, -1, 0, 0, "%s: %u", name ? name : "Value",
			      hf->settings[i].value);
		if (id < sizeof(fields) / sizeof(fields[0]) && fields[id] >= 0)
			ptree_int(t, n, fields[id], hf->settings[i].value);
		ptree_pop(t);
	}
}

static void
h2_headers(struct ptree *t, const struct h2_frame *hf)
{
	static const struct { const char *name; int field; } pseudo[] = {
		{ ":method", FF_H2_METHOD }, { ":path", FF_H2_PATH },
		{ ":authority", FF_H2_AUTHORITY },
	};
	unsigned long long code;
	struct buf a = BUF_INIT, b = BUF_INIT;
	unsigned i, k;
	long n, hn;

	if (hf->block_done)
		ptree_add(t, -1, 0, 0, "[Header Count: %u]", hf->nheaders);
	for (i = 0; i < hf->nheaders; i++) {
		const struct h2_header *h = &hf->headers[i];

		label_text(&a, h->name);
		label_text(&b, h->value);
		/* the pseudo-header fields go on the Header node, its Name and
		   Value children keep http2.header.name/value */
		hn = ptree_add(t, -1, 0, 0, "Header: %s: %s", a.data, b.data);
		ptree_push(t);
		n = ptree_add(t, -1, 0, 0, "Name: %s", a.data);
		ptree_str(t, n, FF_H2_HEADER_NAME, h->name.p, h->name.len);
		n = ptree_add(t, -1, 0, 0, "Value: %s", b.data);
		ptree_str(t, n, FF_H2_HEADER_VALUE, h->value.p, h->value.len);
		for (k = 0; k < sizeof(pseudo) / sizeof(pseudo[0]); k++)
			if (span_eq(h->name, pseudo[k].name))
				ptree_str(t, hn, pseudo[k].field, h->value.p,
					  h->value.len);
		if (span_eq(h->name, ":status") && span_to_u64(h->value, &code))
			ptree_int(t, hn, FF_H2_STATUS, (int64_t)code);
		ptree_pop(t);
	}
	buf_free(&a);
	buf_free(&b);
}

static void
h2_fields(struct ptree *t, const struct h2_frame *hf)
{
	const char *e = h2_error_name(hf->error);
	struct buf b = BUF_INIT;
	long n;

	if (hf->flags & H2_F_PADDED && hf->type != H2_SETTINGS &&
	    hf->type != H2_PING)
		ptree_add(t, -1, 0, 0, "Pad Length: %u", hf->pad);
	if (hf->has_prio)
		ptree_add(t, -1, 0, 0, "Exclusive: %s, Stream Dependency: %u, "
			  "Weight: %u", hf->excl ? "True" : "False", hf->dep,
			  hf->weight);
	switch (hf->type) {
	case H2_DATA:
		n = ptree_add(t, -1, 0, 0, "Data: %zu bytes", hf->data.len);
		ptree_str(t, n, FF_H2_DATA, hf->data.p, hf->data.len);
		break;
	case H2_RST_STREAM:
	case H2_GOAWAY:
		if (hf->type == H2_GOAWAY)
			ptree_add(t, -1, 0, 0, "Last-Stream-ID: %u",
				  hf->last_stream);
		n = ptree_add(t, -1, 0, 0, "Error: %s (%u)", e ? e : "Unknown",
			      hf->error);
		ptree_int(t, n, FF_H2_ERROR, hf->error);
		break;
	case H2_SETTINGS:
		h2_settings(t, hf);
		break;
	case H2_PING:
		put_hex(&b, hf->ping, 8);
		ptree_add(t, -1, 0, 0, "Ping: %s", b.data ? b.data : "");
		break;
	case H2_WINDOW_UPDATE:
		ptree_add(t, -1, 0, 0, "Window Size Increment: %u",
			  hf->window_inc);
		break;
	case H2_PUSH_PROMISE:
		ptree_add(t, -1, 0, 0, "Promised-Stream-ID: %u", hf->promised);
		break;
	}
	if (hf->data.len && hf->type != H2_DATA) {
		buf_reset(&b);
		put_hex(&b, hf->data, 36);
		ptree_add(t, -1, 0, 0, "Header Block Fragment: %s", b.data);
	}
	h2_headers(t, hf);
	buf_free(&b);
}

void
app_tree_h2(struct ptree *t, const struct h2_frame *hf, bool expand)
{
	struct buf line = BUF_INIT;
	char tmp[32];
	long top, n;

	top = ptree_add(t, -1, 0, 0, "HyperText Transfer Protocol 2");
	ptree_proto(t, top, FF_HTTP2);
	if (!expand)
		ptree_close(t, top);
	ptree_push(t);
	if (hf->magic) {
		ptree_add(t, -1, 0, 0, "Stream: Magic");
		ptree_push(t);
		ptree_add(t, -1, 0, 0, "Magic: PRI * HTTP/2.0\\r\\n\\r\\n"
			  "SM\\r\\n\\r\\n");
		ptree_pop(t);
		ptree_pop(t);
		return;
	}
	buf_printf(&line, "Stream: %s, Stream ID: %u, Length %u",
		   h2_name(hf->type, tmp, sizeof(tmp)), hf->stream, hf->len);
	if (hf->block_done)
		block_summary(&line, hf, ", ");
	ptree_add(t, -1, 0, 0, "%s", line.data);
	ptree_push(t);
	ptree_add(t, -1, 0, 0, "Length: %u", hf->len);
	n = ptree_add(t, -1, 0, 0, "Type: %s (%u)",
		      h2_name(hf->type, tmp, sizeof(tmp)), hf->type);
	ptree_int(t, n, FF_H2_TYPE, hf->type);
	h2_flags(t, hf);
	n = ptree_add(t, -1, 0, 0, "Stream Identifier: %u", hf->stream);
	ptree_int(t, n, FF_H2_STREAMID, hf->stream);
	h2_fields(t, hf);
	if (hf->malformed)
		ptree_add(t, -1, 0, 0, "[Malformed: %s]", hf->malformed);
	ptree_pop(t);
	ptree_pop(t);
	buf_free(&line);
}

/* ---- --json: one object per WebSocket message ---------------------------- */

void
print_ws_json(struct buf *out, const struct app_json *j,
	      const struct ws_message *m)
{
	buf_printf(out, "{\"frame\":%u,\"stream\":%u,\"src\":", j->frame,
		   j->stream);
	json_escape(out, span_from(j->src));
	buf_puts(out, ",\"dst\":");
	json_escape(out, span_from(j->dst));
	buf_printf(out, ",\"sport\":%u,\"dport\":%u,\"type\":\"websocket\","
		   "\"from\":\"%s\",\"opcode\":%u,\"opcode_name\":", j->sport,
		   j->dport, j->from_client ? "client" : "server", m->opcode);
	json_escape(out, span_from(ws_opcode_name(m->opcode)));
	buf_printf(out, ",\"frames\":%u,\"compressed\":%s,\"length\":%llu,"
		   "\"cut\":%s", m->nframes, m->compressed ? "true" : "false",
		   (unsigned long long)m->total, m->cut ? "true" : "false");
	if (m->opcode == WS_OP_CLOSE && m->data.len >= 2) {
		const uint8_t *p = (const uint8_t *)m->data.p;

		buf_printf(out, ",\"close_code\":%u,\"close_reason\":",
			   p[0] << 8 | p[1]);
		json_escape(out, (struct span){ m->data.p + 2,
						m->data.len - 2 });
	}
	if (m->opcode == WS_OP_TEXT) {
		buf_puts(out, ",\"text\":");
		json_escape(out, m->data);
	} else if (m->opcode != WS_OP_CLOSE) {
		buf_puts(out, ",\"hex\":\"");
		put_hex(out, m->data, (size_t)-1);
		buf_puts(out, "\"");
	}
	buf_puts(out, ",\"malformed\":");
	if (m->malformed)
		json_escape(out, span_from(m->malformed));
	else
		buf_puts(out, "null");
	buf_puts(out, "}\n");
}
