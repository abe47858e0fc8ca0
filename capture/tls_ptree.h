/*
 * tls_ptree.h - TLS records as protocol-tree nodes (ptree.h), for every
 * reader of the session: `sniff -V`/-x and the TUI's detail pane.
 *
 * Called from a session's tls_record hook while the record is valid: the
 * nodes go under one "Transport Layer Security" node at depth 0 of t; the
 * record's bytes are the frame's when the frame holds it whole (found in
 * the pipe's segments), else a "Reassembled TCP" source; a decrypted
 * record adds a "Decrypted TLS" source.  The caller appends the frame's
 * other nodes (HTTP) after, as tshark shows them.
 */
#ifndef HTTPTOOL_TLS_PTREE_H
#define HTTPTOOL_TLS_PTREE_H

#include "ptree.h"
#include "session.h"
#include "tls.h"

void tls_ptree_record(struct ptree *t, const struct cap_pipe *pp,
		      const struct flow *f, const struct tls_record *r,
		      const struct tls_session *s);

#endif
