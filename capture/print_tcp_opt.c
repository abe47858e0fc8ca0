/*
 * print_tcp_opt.c - the TCP options of a frame's protocol tree, broken
 * down as tshark 4.0 shows them ("TCP Option - Window scale: 7 (multiply
 * by 128)" with Kind, Length, Shift count, [Multiplier]), read again from
 * the frame's bytes through extract.h's bounded cursor.  SACK edges are
 * shown relative to the peer's initial sequence number.
 */
#include <string.h>

#include "filter.h"
#include "print.h"
#include "ptree.h"

struct opt_name {
	uint8_t kind;
	const char *list;		/* in the "Options:" line */
	const char *kind_name;		/* "Kind: ... (N)" */
};

static const struct opt_name names[] = {
	{ 0, "End of Option List (EOL)", "End of Option List" },
	{ 1, "No-Operation (NOP)", "No-Operation" },
	{ 2, "Maximum segment size", "Maximum Segment Size" },
	{ 3, "Window scale", "Window Scale" },
	{ 4, "SACK permitted", "SACK Permitted" },
	{ 5, "SACK", "SACK" },
	{ 8, "Timestamps", "Time Stamp Option" },
	{ 30, "Multipath TCP", "Multipath TCP" },
	{ 34, "TCP Fast Open Cookie", "TCP Fast Open Cookie" },
};

static const struct opt_name *
opt_name(uint8_t kind)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].kind == kind)
			return &names[i];
	return NULL;
}

/* The option's title line (depth 2) and its value lines (depth 3). */
static void
one_option(struct ptree *t, const struct frame_view *fv, size_t off,
	   uint8_t kind, struct cursor *o, size_t len)
{
	const struct opt_name *nm = opt_name(kind);
	const struct pkt *pk = fv->pk;
	uint32_t base = pk->ack - fv->ri->rel_ack;	/* peer's ISN */
	struct buf l = BUF_INIT;
	uint32_t v, w;
	long n;

	t->depth = 2;
	buf_printf(&l, "TCP Option - %s", nm ? nm->list : "Unknown");
	switch (kind) {
	case 2:
		v = get_be16(o);
		buf_printf(&l, ": %u bytes", v);
		break;
	case 3:
		v = get_u8(o);
		buf_printf(&l, ": %u (multiply by %u)", v, 1u << (v > 14 ? 14 : v));
		break;
	case 5:
		while (cur_left(o) >= 8) {
			v = get_be32(o);
			w = get_be32(o);
			buf_printf(&l, " %u-%u", v - base, w - base);
		}
		break;
	case 8:
		v = get_be32(o);
		w = get_be32(o);
		buf_printf(&l, ": TSval %u, TSecr %u", v, w);
		break;
	}
	if (!nm)
		buf_printf(&l, " (%u)", kind);
	ptree_add_text(t, 0, off, len, l.data, l.len);
	buf_free(&l);
	cur_init(o, pk->data + off + 2, len > 2 ? len - 2 : 0);
	t->depth = 3;
	ptree_add(t, 0, off, 1, "Kind: %s (%u)", nm ? nm->kind_name :
		  "Unknown", kind);
	if (kind <= 1)
		return;
	ptree_add(t, 0, off + 1, 1, "Length: %zu", len);
	switch (kind) {
	case 2:
		v = get_be16(o);
		n = ptree_add(t, 0, off + 2, 2, "MSS Value: %u", v);
		ptree_int(t, n, FF_TCP_OPTIONS_MSS_VAL, v);
		break;
	case 3:
		v = get_u8(o);
		n = ptree_add(t, 0, off + 2, 1, "Shift count: %u", v);
		ptree_int(t, n, FF_TCP_OPTIONS_WSCALE_SHIFT, v);
		ptree_add(t, -1, 0, 0, "[Multiplier: %u]",
			  1u << (v > 14 ? 14 : v));
		break;
	case 5:
		for (w = 0; cur_left(o) >= 8; w++) {
			size_t at = off + 2 + w * 8;

			v = get_be32(o);
			ptree_add(t, 0, at, 4, "left edge = %u (relative)",
				  v - base);
			v = get_be32(o);
			ptree_add(t, 0, at + 4, 4, "right edge = %u (relative)",
				  v - base);
		}
		ptree_add(t, -1, 0, 0, "[TCP SACK Count: %u]", w);
		break;
	case 8:
		v = get_be32(o);
		ptree_add(t, 0, off + 2, 4, "Timestamp value: %u", v);
		v = get_be32(o);
		ptree_add(t, 0, off + 6, 4, "Timestamp echo reply: %u", v);
		break;
	}
}

void
print_tcp_options(struct ptree *t, const struct frame_view *fv)
{
	const struct pkt *pk = fv->pk;
	size_t start = pk->tcp_off + 20u, n = pk->tcp_hlen - 20u;
	struct buf l = BUF_INIT;
	struct cursor c, o;
	int pass;

	if (pk->tcp_hlen <= 20)
		return;
	if (start + n > pk->caplen)
		n = pk->caplen > start ? pk->caplen - start : 0;
	buf_printf(&l, "Options: (%u bytes)", pk->tcp_hlen - 20u);
	/* pass 0 names the options in the title, pass 1 adds their nodes */
	for (pass = 0; pass < 2; pass++) {
		cur_init(&c, pk->data + start, n);
		while (cur_left(&c) > 0) {
			size_t off = (size_t)(c.p - pk->data), len = 1;
			uint8_t kind = get_u8(&c);
			const struct opt_name *nm = opt_name(kind);

			if (kind > 1) {
				len = get_u8(&c);
				if (c.err || len < 2 || !cur_need(&c, len - 2))
					break;
				c.p += len - 2;
			}
			if (pass == 0)
				buf_printf(&l, ", %s", nm ? nm->list : "Unknown");
			cur_init(&o, pk->data + off + (len > 1 ? 2 : 1),
				 len > 1 ? len - 2 : 0);
			if (pass == 1)
				one_option(t, fv, off, kind, &o, len);
			if (kind == 0)
				break;
		}
		if (pass == 0)
			ptree_add_text(t, 0, start, n, l.data, l.len);
	}
	buf_free(&l);
	t->depth = 1;
}
