/*
 * pcapng.h - a minimal pcapng writer (one section, one interface, one
 * Enhanced Packet Block per frame, nanosecond timestamps), for -w with
 * --pcapng.  libpcap reads pcapng but only writes pcap.
 */
#ifndef HTTPTOOL_PCAPNG_H
#define HTTPTOOL_PCAPNG_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcapng_writer;

/* Create path with a section and an interface header; NULL, errno set. */
struct pcapng_writer *pcapng_open(const char *path, int dlt, int snaplen);

/* One frame; nsec says whether h->ts.tv_usec holds nanoseconds. 0/-1. */
int pcapng_write(struct pcapng_writer *w, const struct pcap_pkthdr *h,
		 const unsigned char *data, bool nsec);

/* Flush and close; 0 or -1 (a write failed). NULL is fine. */
int pcapng_close(struct pcapng_writer *w);

/*
 * Reading: copy the packets of the pcapng file in to out as a pcap
 * (nanosecond timestamps, the first interface's link type in its header)
 * and fill *fr with each packet's LINKTYPE_ value, so a file whose
 * interfaces have different link types (which libpcap refuses) reads.
 * Returns 0; -2 when the file is damaged after some packets (those are
 * kept); -1 when nothing could be read, err filled either way.
 * fr->dlt is malloc'd: the caller frees it.
 */
struct pcapng_frames {
	uint16_t *dlt;		/* LINKTYPE_ of each packet, in order */
	size_t n, cap;
	uint16_t first;		/* of the first interface */
	bool mixed;		/* some packet's differs from first */
};

int pcapng_to_pcap(FILE *in, FILE *out, struct pcapng_frames *fr, char *err,
		   size_t errlen);

#endif
