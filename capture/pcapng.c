/*
 * pcapng.c - the pcapng writer (draft-ietf-opsawg-pcapng §4):
 *
 *   Section Header Block  0x0A0D0D0A len 0x1A2B3C4D v1.0 section_len=-1 len
 *   Interface Description 0x00000001 len linktype snaplen if_tsresol=9 len
 *   Enhanced Packet Block 0x00000006 len if=0 ts_hi ts_lo caplen len data len
 *
 * Written in the host's byte order, which the magic tells readers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng.h"

struct pcapng_writer {
	FILE *fp;
	bool failed;
};

static void
put32(struct pcapng_writer *w, uint32_t v)
{
	if (fwrite(&v, 4, 1, w->fp) != 1)
		w->failed = true;
}

static void
put16(struct pcapng_writer *w, uint16_t v)
{
	if (fwrite(&v, 2, 1, w->fp) != 1)
		w->failed = true;
}

/* LINKTYPE_ numbers as files store them; most equal the DLT_ value. */
static uint16_t
linktype(int dlt)
{
	if (dlt == DLT_RAW)
		return 101;
	return (uint16_t)dlt;
}

struct pcapng_writer *
pcapng_open(const char *path, int dlt, int snaplen)
{
	struct pcapng_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->fp = fopen(path, "wb");
	if (!w->fp) {
		free(w);
		return NULL;
	}
	/* section header block: 28 bytes */
	put32(w, 0x0A0D0D0A);
	put32(w, 28);
	put32(w, 0x1A2B3C4D);
	put16(w, 1);
	put16(w, 0);
	put32(w, 0xffffffff);
	put32(w, 0xffffffff);
	put32(w, 28);
	/* interface description block with if_tsresol = 9 (ns): 32 bytes */
	put32(w, 1);
	put32(w, 32);
	put16(w, linktype(dlt));
	put16(w, 0);
	put32(w, (uint32_t)snaplen);
	put16(w, 9);		/* if_tsresol */
	put16(w, 1);
	put32(w, 9);		/* value 9, then 3 bytes of padding */
	put32(w, 0);		/* opt_endofopt */
	put32(w, 32);
	if (w->failed) {
		pcapng_close(w);
		errno = EIO;
		return NULL;
	}
	return w;
}

int
pcapng_write(struct pcapng_writer *w, const struct pcap_pkthdr *h,
	     const unsigned char *data, bool nsec)
{
	static const unsigned char pad[4];
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u +
		      (uint64_t)h->ts.tv_usec * (nsec ? 1u : 1000u);
	uint32_t padded = (h->caplen + 3u) & ~3u, len = 32 + padded;

	put32(w, 6);
	put32(w, len);
	put32(w, 0);
	put32(w, (uint32_t)(ts >> 32));
	put32(w, (uint32_t)ts);
	put32(w, h->caplen);
	put32(w, h->len);
	if (fwrite(data, 1, h->caplen, w->fp) != h->caplen ||
	    fwrite(pad, 1, padded - h->caplen, w->fp) != padded - h->caplen)
		w->failed = true;
	put32(w, len);
	return w->failed ? -1 : 0;
}

int
pcapng_close(struct pcapng_writer *w)
{
	int r;

	if (!w)
		return 0;
	r = w->failed ? -1 : 0;
	if (fclose(w->fp) != 0)
		r = -1;
	free(w);
	return r;
}
