/*
 * dns.h - tshark's Info text of a DNS message (dns.c).
 */
#ifndef HTTPTOOL_DNS_H
#define HTTPTOOL_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "lib/buf.h"

struct ptree;

/* The well-known port that makes a UDP datagram DNS. */
#define DNS_PORT 53

/* Append "Standard query 0x1234 A example.com" for the message p[0..n)
 * (bounds-checked; a cut-short message ends "[Malformed Packet]"). */
void dns_info(struct buf *out, const uint8_t *p, size_t n);

/* The DNS subtree of the message p[0..n) at offset off of the frame
 * (dns_tree.c): header, queries and answers with Wireshark's fields. */
void dns_tree(struct ptree *t, const uint8_t *p, size_t n, size_t off,
	      bool open);

/* For dns.c and dns_tree.c: "A", "AAAA", ... ("Unknown (N)" in tmp); the
 * name at c into out ("a.b.c"), c moved past it, -1 when malformed; the
 * rcode's name, NULL for No error. */
const char *dns_type_name(uint16_t t, char *tmp, size_t size);
int dns_read_name(struct cursor *c, const uint8_t *msg, size_t msglen,
		  struct buf *out);
const char *dns_rcode_name(unsigned rc);

#endif
