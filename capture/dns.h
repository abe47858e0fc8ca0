/*
 * dns.h - tshark's Info text of a DNS message (dns.c).
 */
#ifndef HTTPTOOL_DNS_H
#define HTTPTOOL_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

/* The well-known port that makes a UDP datagram DNS. */
#define DNS_PORT 53

/* Append "Standard query 0x1234 A example.com" for the message p[0..n)
 * (bounds-checked; a cut-short message ends "[Malformed Packet]"). */
void dns_info(struct buf *out, const uint8_t *p, size_t n);

#endif
