/*
 * tls_tree.h - the nodes of one TLS record in the protocol tree, with
 * tshark's labels and Wireshark's filter field names, and the record's
 * text for the summary line's Info column.
 *
 * A decoder-side view only: nodes go to a callback (the capture session
 * turns them into tree nodes; -V prints their labels, -Y looks their
 * fields up).  Offsets are into the record's bytes (src 0, header
 * first) or into its decrypted fragment (src 1).
 */
#ifndef HTTPTOOL_TLS_TREE_H
#define HTTPTOOL_TLS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "tls.h"

struct tls_node {
	int depth;			/* 0: the record line */
	int src;			/* 0 record bytes, 1 decrypted */
	size_t off, len;
	const char *field;		/* filter name, or NULL */
	bool has_num;
	uint64_t num;			/* numeric value of field */
	const char *str;		/* text value of field, or NULL */
	const char *label;		/* the -V line, without indent */
};

struct tls_tree_cb {
	void (*node)(void *ctx, const struct tls_node *n);
};

/* Add the nodes of record r of a connection with facts s. */
void tls_tree_record(const struct tls_record *r, const struct tls_session *s,
		     const struct tls_tree_cb *cb, void *ctx);

/*
 * Append r's Info text to info (", " first when info is not empty):
 * "Client Hello (SNI=localhost)", "Application Data", "Alert (Level:
 * Warning, Description: Close Notify)".
 */
void tls_record_info(const struct tls_record *r, struct buf *info);

/* The -V line when protected records could not be decrypted. */
#define TLS_NOKEY_HINT "[No key for this session: set SSLKEYLOGFILE for " \
	"the client or use --keylog FILE]"

#endif
