/*
 * print_fields.c - -T fields/json/ek output (see print_fields.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "filter.h"
#include "print_body.h"
#include "print_fields.h"
#include "lib/json.h"

void
tfields_init(struct tfields *tf)
{
	memset(tf, 0, sizeof(*tf));
	tf->sep = '\t';
	tf->agg = ',';
	tf->occurrence = 'a';
}

int
tfields_add(struct tfields *tf, const char *name, char *err, size_t errsize)
{
	const struct filter_field_info *fi =
		filter_field_find(name, strlen(name));
	const char *ws;

	if (!fi) {
		ws = filter_ws_field(name);
		if (ws)
			snprintf(err, errsize, "'%s' is not a field httptool "
				 "knows (Wireshark has it: %s)", name, ws);
		else
			snprintf(err, errsize, "some fields aren't valid: %s",
				 name);
		return -1;
	}
	if (tf->n == TFIELDS_MAX) {
		snprintf(err, errsize, "too many -e fields (at most %d)",
			 TFIELDS_MAX);
		return -1;
	}
	tf->field[tf->n++] = fi->id;
	return 0;
}

/* "/t", "/s" or one character. */
static int
one_char(const char *v, char *out)
{
	if (!strcmp(v, "/t"))
		*out = '\t';
	else if (!strcmp(v, "/s"))
		*out = ' ';
	else if (strlen(v) == 1)
		*out = v[0];
	else
		return -1;
	return 0;
}

int
tfields_option(struct tfields *tf, const char *kv, char *err, size_t errsize)
{
	const char *eq = strchr(kv, '=');
	const char *v = eq ? eq + 1 : "";
	size_t k = eq ? (size_t)(eq - kv) : strlen(kv);
	int bad = 0;

	if (k == 6 && !strncmp(kv, "header", k))
		bad = (v[0] != 'y' && v[0] != 'n') || v[1] ||
		      !(tf->header = v[0] == 'y', 1);
	else if (k == 9 && !strncmp(kv, "separator", k))
		bad = one_char(v, &tf->sep);
	else if (k == 10 && !strncmp(kv, "aggregator", k))
		bad = one_char(v, &tf->agg);
	else if (k == 5 && !strncmp(kv, "quote", k))
		bad = (v[0] != 'd' && v[0] != 's' && v[0] != 'n') || v[1] ||
		      !(tf->quote = v[0] == 'n' ? 0 : v[0], 1);
	else if (k == 10 && !strncmp(kv, "occurrence", k))
		bad = (v[0] != 'f' && v[0] != 'l' && v[0] != 'a') || v[1] ||
		      !(tf->occurrence = v[0], 1);
	else if (k == 9 && !strncmp(kv, "bom", k))
		bad = 0;
	else
		bad = 1;
	if (bad)
		snprintf(err, errsize, "invalid -E field option '%s' (header=y|n, "
			 "separator=/t|/s|C, aggregator=,|/s|C, quote=d|s|n, "
			 "occurrence=f|l|a)", kv);
	return bad ? -1 : 0;
}

/* Fields Wireshark shows in hex (BASE_HEX), and their value's width. */
static int
hex_digits(int field)
{
	switch (field) {
	case FF_IP_DSFIELD:
		return 2;
	case FF_ETH_TYPE: case FF_IP_ID: case FF_IP_CHECKSUM:
	case FF_TCP_FLAGS: case FF_TCP_CHECKSUM: case FF_UDP_CHECKSUM:
	case FF_DNS_ID: case FF_TLS_RECORD_VERSION:
	case FF_TLS_HANDSHAKE_VERSION: case FF_TLS_CIPHERSUITE:
		return 4;
	case FF_IPV6_FLOW:
		return 5;
	}
	return 0;
}

static void value_as(const struct ptree *t, size_t i, struct buf *out,
		     bool raw);

void
tfields_value(const struct ptree *t, size_t i, struct buf *out)
{
	value_as(t, i, out, false);
}

/* raw: strings as they are (JSON escapes them itself) */
static void
value_as(const struct ptree *t, size_t i, struct buf *out, bool raw)
{
	const struct ptree_node *nd = &t->v[i];
	const char *vp = t->text.data + nd->val_off;
	char a[INET6_ADDRSTRLEN];
	size_t len;
	int64_t ns;

	switch (nd->type) {
	case PT_FRAME:
		buf_printf(out, "%lld", (long long)nd->ival);
		return;
	case PT_INT:
		if (hex_digits(nd->field))
			buf_printf(out, "0x%0*llx", hex_digits(nd->field),
				   (unsigned long long)nd->ival);
		else
			buf_printf(out, "%lld", (long long)nd->ival);
		return;
	case PT_TIME:
		ns = nd->ival;
		buf_printf(out, "%s%lld.%09lld", ns < 0 ? "-" : "",
			   (long long)((ns < 0 ? -ns : ns) / 1000000000),
			   (long long)((ns < 0 ? -ns : ns) % 1000000000));
		return;
	case PT_ADDR:
		if (nd->val_len == 6) {
			for (len = 0; len < 6; len++)
				buf_printf(out, len ? ":%02x" : "%02x",
					   (uint8_t)vp[len]);
			return;
		}
		inet_ntop(nd->val_len == 16 ? AF_INET6 : AF_INET, vp, a,
			  sizeof a);
		buf_puts(out, a);
		return;
	case PT_STR:
		if (raw)
			buf_append(out, vp, nd->val_len);
		else
			body_put_escaped(out, vp, nd->val_len, true);
		return;
	case PT_BYTES:
		if (nd->has_bytes && !strcmp(filter_fields(NULL)[nd->field].type,
					     "string")) {
			const uint8_t *b = ptree_bytes(t, nd->src, &len);

			size_t k = b && nd->off <= len ? len - nd->off : 0;

			if (nd->len < k)
				k = nd->len;
			if (raw && k)
				buf_append(out, b + nd->off, k);
			else if (k)
				body_put_escaped(out, (const char *)b + nd->off, k,
						 true);
		} else if (nd->has_bytes) {
			const uint8_t *b = ptree_bytes(t, nd->src, &len);

			for (size_t k = 0; b && k < nd->len &&
			     nd->off + k < len; k++)
				buf_printf(out, "%02x", b[nd->off + k]);
		}
		return;
	case PT_PROTO:
		/* tshark prints a protocol's tree line; "http" its name */
		if (nd->field == FF_HTTP) {
			buf_puts(out, "http");
			return;
		}
		/* a dotted name is Wireshark's FT_NONE label
		 * (tcp.analysis.flags, json.object): tshark prints 1 */
		if (strchr(filter_fields(NULL)[nd->field].name, '.')) {
			buf_puts(out, "1");
			return;
		}
		body_put_escaped(out, t->text.data + nd->label_off,
				 nd->label_len, true);
		return;
	}
}

/* The values of field, as -E occurrence and aggregator pick them. */
static void
field_values(const struct tfields *tf, const struct ptree *t, int field,
	     struct buf *out)
{
	size_t i, last = t->n, first = t->n, n = 0;

	for (i = 0; i < t->n; i++)
		if (ptree_node_is(t, i, field)) {
			if (first == t->n)
				first = i;
			last = i;
		}
	for (i = first; i < t->n; i++) {
		if (!ptree_node_is(t, i, field))
			continue;
		if ((tf->occurrence == 'f' && i != first) ||
		    (tf->occurrence == 'l' && i != last))
			continue;
		if (n++)
			buf_append(out, &tf->agg, 1);
		tfields_value(t, i, out);
	}
}

void
tfields_header(const struct tfields *tf, struct buf *out)
{
	const struct filter_field_info *fi = filter_fields(NULL);

	if (tf->fmt != TFMT_FIELDS || !tf->header)
		return;
	for (size_t k = 0; k < tf->n; k++) {
		if (k)
			buf_append(out, &tf->sep, 1);
		if (tf->quote)
			buf_puts(out, tf->quote == 'd' ? "\"" : "'");
		buf_puts(out, fi[tf->field[k]].name);
		if (tf->quote)
			buf_puts(out, tf->quote == 'd' ? "\"" : "'");
	}
	buf_puts(out, "\n");
}

/* "packets-2026-12-05", the day the frame was captured (UTC) */
static void
ek_index(struct buf *out, int64_t ns)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;
	char day[16];

	gmtime_r(&s, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	buf_printf(out, "packets-%s", day);
}

/* The frame's values of one field as a JSON array of strings. */
static void
json_values(const struct ptree *t, int field, struct buf *out, bool pretty)
{
	struct buf v = BUF_INIT;
	unsigned n = 0;

	buf_puts(out, "[");
	for (size_t i = 0; i < t->n; i++) {
		if (!ptree_node_is(t, i, field))
			continue;
		buf_reset(&v);
		value_as(t, i, &v, true);
		buf_puts(out, n++ ? "," : "");
		buf_puts(out, pretty ? "\n          " : "");
		json_escape(out, (struct span){ v.data ? v.data : "", v.len });
	}
	buf_puts(out, pretty ? "\n        ]" : "]");
	buf_free(&v);
}

static bool
present(const struct ptree *t, int field)
{
	for (size_t i = 0; i < t->n; i++)
		if (ptree_node_is(t, i, field))
			return true;
	return false;
}

static void
frame_json(const struct tfields *tf, const struct ptree *t, int64_t ns,
	   bool first, struct buf *out)
{
	const struct filter_field_info *fi = filter_fields(NULL);
	unsigned n = 0;

	buf_puts(out, first ? "[\n  {\n" : ",\n  {\n");
	buf_puts(out, "    \"_index\": \"");
	ek_index(out, ns);
	buf_puts(out, "\",\n    \"_type\": \"doc\",\n    \"_score\": null,\n"
		 "    \"_source\": {\n      \"layers\": {");
	for (size_t k = 0; k < tf->n; k++) {
		if (!present(t, tf->field[k]))
			continue;
		buf_printf(out, "%s\n        \"%s\": ", n++ ? "," : "",
			   fi[tf->field[k]].name);
		json_values(t, tf->field[k], out, true);
	}
	buf_puts(out, n ? "\n      }\n    }\n  }" : "\n      }\n    }\n  }");
}

static void
frame_ek(const struct tfields *tf, const struct ptree *t, int64_t ns,
	 struct buf *out)
{
	const struct filter_field_info *fi = filter_fields(NULL);
	unsigned n = 0;

	buf_puts(out, "{\"index\":{\"_index\":\"");
	ek_index(out, ns);
	buf_printf(out, "\",\"_type\":\"doc\"}}\n{\"timestamp\":\"%lld\","
		   "\"layers\":{", (long long)(ns / 1000000));
	for (size_t k = 0; k < tf->n; k++) {
		const char *name = fi[tf->field[k]].name;

		if (!present(t, tf->field[k]))
			continue;
		buf_puts(out, n++ ? ",\"" : "\"");
		for (; *name; name++)	/* ek keys: '.' becomes '_' */
			buf_append(out, *name == '.' ? "_" : name, 1);
		buf_puts(out, "\":");
		json_values(t, tf->field[k], out, false);
	}
	buf_puts(out, "}}\n");
}

void
tfields_frame(const struct tfields *tf, const struct ptree *t, int64_t ns,
	      bool first, struct buf *out)
{
	const char *q = tf->quote == 'd' ? "\"" : "'";

	if (tf->fmt == TFMT_JSON) {
		frame_json(tf, t, ns, first, out);
		return;
	}
	if (tf->fmt == TFMT_EK) {
		frame_ek(tf, t, ns, out);
		return;
	}
	for (size_t k = 0; k < tf->n; k++) {
		struct buf v = BUF_INIT;

		if (k)
			buf_append(out, &tf->sep, 1);
		field_values(tf, t, tf->field[k], &v);
		if (tf->quote && v.len)		/* an absent field stays empty */
			buf_puts(out, q);
		buf_append(out, v.data, v.len);
		if (tf->quote && v.len)
			buf_puts(out, q);
		buf_free(&v);
	}
	buf_puts(out, "\n");
}

void
tfields_end(const struct tfields *tf, bool any, struct buf *out)
{
	if (tf->fmt == TFMT_JSON)
		buf_puts(out, any ? "\n]\n" : "[\n]\n");
}
