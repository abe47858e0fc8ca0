/*
 * pcapng_read.c - read a pcapng file into a plain pcap (see pcapng.h).
 *
 * libpcap reads pcapng but refuses a file whose interfaces have different
 * link types (what `mergecap -F pcapng` of an "any" and an Ethernet
 * capture gives), so the file is read here, block by block
 * (draft-ietf-opsawg-pcapng §4):
 *
 *   Section Header  0x0A0D0D0A  len  0x1A2B3C4D (byte order) ...  len
 *   Interface Desc  0x00000001  len  linktype:16 _:16 snaplen options len
 *   Enhanced Packet 0x00000006  len  if ts_hi ts_lo caplen len data opt len
 *   Simple Packet   0x00000003  len  len data len
 *   Packet (old)    0x00000002  len  if:16 drops:16 ts_hi ts_lo caplen len
 *
 * Every packet goes to the pcap (nanosecond timestamps) in file order, and
 * its interface's link type to *fdlt, one entry per packet, so each frame
 * is decoded with its own link type.  Other blocks are skipped.  Only
 * counts from the file are trusted after checking them against the block.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng.h"

#define BLOCK_MAX (64u << 20)
#define IF_MAX 256

struct ifdesc {
	uint16_t linktype;
	uint64_t units;		/* timestamp units per second */
};

struct rd {
	FILE *in, *out;
	bool swap;
	struct ifdesc ifs[IF_MAX];
	unsigned nifs;
	bool any_if;
	struct pcapng_frames *fr;
	char *err;
	size_t errlen;
};

static uint32_t
u32(const struct rd *r, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return r->swap ? __builtin_bswap32(v) : v;
}

static uint16_t
u16(const struct rd *r, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return r->swap ? __builtin_bswap16(v) : v;
}

/* if_tsresol: 10^-n, or 2^-n with the top bit set; default microseconds. */
static uint64_t
tsresol_units(uint8_t v)
{
	uint64_t u = 1;
	unsigned i, n = v & 0x7f;

	if (n > 19)
		return 0;
	for (i = 0; i < n; i++)
		u *= (v & 0x80) ? 2 : 10;
	return u;
}

static void
idb(struct rd *r, const uint8_t *b, uint32_t len)
{
	struct ifdesc *d;
	uint32_t off = 16;

	if (r->nifs == IF_MAX || len < 20)
		return;
	d = &r->ifs[r->nifs++];
	d->linktype = u16(r, b + 8);
	if (!r->any_if)
		r->fr->first = d->linktype;
	r->any_if = true;
	d->units = 1000000;
	while (off + 4 <= len - 4) {	/* options */
		uint16_t code = u16(r, b + off), olen = u16(r, b + off + 2);

		if (code == 0 || off + 4 + olen > len - 4)
			break;
		if (code == 9 && olen >= 1 && tsresol_units(b[off + 4]))
			d->units = tsresol_units(b[off + 4]);
		off += 4 + ((olen + 3u) & ~3u);
	}
}

static int
put_frame(struct rd *r, unsigned ifid, uint64_t ts, const uint8_t *data,
	  uint32_t caplen, uint32_t wirelen)
{
	struct pcapng_frames *fr = r->fr;
	uint64_t units = r->ifs[ifid].units;
	uint32_t hdr[4];

	hdr[0] = (uint32_t)(ts / units);
	hdr[1] = (uint32_t)((ts % units) * 1000000000u / units);
	hdr[2] = caplen;
	hdr[3] = wirelen < caplen ? caplen : wirelen;
	if (fr->n == fr->cap) {
		size_t ncap = fr->cap ? fr->cap * 2 : 1024;
		uint16_t *v = realloc(fr->dlt, ncap * sizeof(*v));

		if (!v)
			return -1;
		fr->dlt = v;
		fr->cap = ncap;
	}
	fr->dlt[fr->n++] = r->ifs[ifid].linktype;
	if (r->ifs[ifid].linktype != fr->first)
		fr->mixed = true;
	if (fwrite(hdr, sizeof(hdr), 1, r->out) != 1 ||
	    fwrite(data, 1, caplen, r->out) != caplen)
		return -1;
	return 0;
}

/* One packet block of any of the three kinds; unknown interfaces skip. */
static int
packet(struct rd *r, uint32_t type, const uint8_t *b, uint32_t len)
{
	uint32_t ifid, caplen, wirelen, hdr = type == 3 ? 12 : 28;
	uint64_t ts = 0;

	if (len < hdr + 4)
		return 0;
	if (type == 3) {
		ifid = 0;
		wirelen = u32(r, b + 8);
		caplen = len - 16 < wirelen ? len - 16 : wirelen;
	} else {
		ifid = type == 2 ? u16(r, b + 8) : u32(r, b + 8);
		ts = (uint64_t)u32(r, b + 12) << 32 | u32(r, b + 16);
		caplen = u32(r, b + 20);
		wirelen = u32(r, b + 24);
	}
	if (ifid >= r->nifs || caplen > len - hdr - 4)
		return 0;
	return put_frame(r, ifid, ts, b + hdr, caplen, wirelen);
}

/* Read one block into *buf; 1, 0 at the end, -1 (r->err) when damaged. */
static int
block(struct rd *r, uint8_t **buf, size_t *size, uint32_t *type,
      uint32_t *len)
{
	uint8_t h[12];
	size_t got = fread(h, 1, 8, r->in);

	if (got == 0)
		return 0;
	if (got < 8)
		goto cut;
	if (memcmp(h, "\x0a\x0d\x0d\x0a", 4) == 0) {	/* a new section */
		if (fread(h + 8, 1, 4, r->in) != 4)
			goto cut;
		if (memcmp(h + 8, "\x4d\x3c\x2b\x1a", 4) == 0)
			r->swap = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
		else if (memcmp(h + 8, "\x1a\x2b\x3c\x4d", 4) == 0)
			r->swap = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
		else
			goto bad;
		r->nifs = 0;	/* interface ids are per section */
	}
	*type = u32(r, h);
	*len = u32(r, h + 4);
	if (*len < 12 || *len % 4 || *len > BLOCK_MAX)
		goto bad;
	if (*len > *size) {
		uint8_t *nb = realloc(*buf, *len);

		if (!nb)
			goto bad;
		*buf = nb;
		*size = *len;
	}
	memcpy(*buf, h, *type == 0x0A0D0D0A ? 12 : 8);
	got = *type == 0x0A0D0D0A ? 12 : 8;
	if (fread(*buf + got, 1, *len - got, r->in) != *len - got)
		goto cut;
	return 1;
cut:
	snprintf(r->err, r->errlen, "the last pcapng block is cut short");
	return -2;
bad:
	snprintf(r->err, r->errlen, "not a valid pcapng block at offset %lld",
		 (long long)ftello(r->in));
	return -1;
}

int
pcapng_to_pcap(FILE *in, FILE *out, struct pcapng_frames *fr, char *err,
	       size_t errlen)
{
	struct rd r = { .in = in, .out = out, .fr = fr, .err = err,
			.errlen = errlen };
	uint32_t hdr[6] = { 0xa1b23c4d, 2 | 4u << 16, 0, 0, 262144, 1 };
	uint8_t *buf = NULL;
	size_t size = 0;
	uint32_t type, len;
	int rc;

	memset(fr, 0, sizeof(*fr));
	if (fwrite(hdr, sizeof(hdr), 1, out) != 1)
		return -1;
	while ((rc = block(&r, &buf, &size, &type, &len)) == 1) {
		if (type == 1)
			idb(&r, buf, len);
		else if ((type == 6 || type == 3 || type == 2) &&
			 packet(&r, type, buf, len) < 0) {
			snprintf(err, errlen, "cannot write a temporary pcap");
			rc = -1;
			break;
		}
	}
	free(buf);
	if (rc < 0 && fr->n == 0)
		return -1;
	/* the pcap header names the first interface's link type */
	hdr[5] = fr->first;
	if (fseek(out, 0, SEEK_SET) != 0 ||
	    fwrite(hdr, sizeof(hdr), 1, out) != 1 || fflush(out) != 0) {
		snprintf(err, errlen, "cannot write a temporary pcap");
		return -1;
	}
	return rc < 0 ? -2 : 0;
}
