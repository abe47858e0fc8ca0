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

struct pcapng_writer;

/* Create path with a section and an interface header; NULL, errno set. */
struct pcapng_writer *pcapng_open(const char *path, int dlt, int snaplen);

/* One frame; nsec says whether h->ts.tv_usec holds nanoseconds. 0/-1. */
int pcapng_write(struct pcapng_writer *w, const struct pcap_pkthdr *h,
		 const unsigned char *data, bool nsec);

/* Flush and close; 0 or -1 (a write failed). NULL is fine. */
int pcapng_close(struct pcapng_writer *w);

#endif
