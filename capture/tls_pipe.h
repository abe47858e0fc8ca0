/*
 * tls_pipe.h - TLS in the capture session's pipeline: between the flow
 * table's in-order bytes and the HTTP dissector.
 *
 * A flow is TLS when its first payload starts like a TLS record (any
 * port, as Wireshark's heuristic); its bytes then go to the record layer
 * (tls.c) instead of the HTTP dissector, and what decrypts as application
 * data goes on to the dissector exactly as cleartext would, on the frame
 * that completed the record.  The caller sees every record through the
 * record hook (to add its nodes to the frame's tree) and the frame's
 * Info text and protocol version here.
 *
 * Owns: the tls_env (the shared decrypt buffer) and each flow's
 * tls_conn, kept in flow->tls and freed on release.  Borrows: the key
 * log and the dissector.
 */
#ifndef HTTPTOOL_TLS_PIPE_H
#define HTTPTOOL_TLS_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http_dissect.h"
#include "keylog.h"
#include "lib/buf.h"
#include "reassembly.h"
#include "tls.h"

/* Bytes of live records held for their key, all flows (--total-mem
   sets it; see tls.c's hold()). */
#define TLS_HELD_DEFAULT (16u << 20)

typedef void (*tls_record_hook)(void *ctx, const struct flow *f,
				const struct tls_record *r,
				const struct tls_session *s);

struct tls_pipe {
	struct tls_env env;
	struct dissect *ds;		/* where plaintext goes */
	uint32_t frame;			/* being decoded */
	tls_record_hook hook;
	void *hook_ctx;
	/* the frame being decoded */
	unsigned frame_records;		/* TLS records it completed */
	uint16_t frame_ver;		/* version for the protocol column */
	bool frame_plain;		/* it delivered decrypted bytes */
	bool frame_bytes;		/* it gave TLS any bytes */
	struct buf info;		/* its Info text */
	unsigned long flows;		/* flows seen as TLS */
};

/* A pipe feeding ds; kl (may be NULL) borrowed; refresh: re-read the key
   log when a secret is missing, and hold records until it has it (live
   capture).  NULL on ENOMEM. */
struct tls_pipe *tls_pipe_new(struct keylog *kl, bool refresh,
			      struct dissect *ds);

/* Call before each frame. */
void tls_pipe_frame_start(struct tls_pipe *t, uint32_t frame);

/* Bytes of f's dir: true when TLS took them (else give them to HTTP). */
bool tls_pipe_data(struct tls_pipe *t, struct flow *f, int dir,
		   const uint8_t *p, size_t n);

/* Lost bytes of a TLS flow: true when f is TLS. */
bool tls_pipe_gap(struct tls_pipe *t, struct flow *f, int dir);

/* f goes away: free its TLS state. */
void tls_pipe_release(struct tls_pipe *t, struct flow *f);

/* What is known of f's TLS session, or NULL when f is not TLS. */
const struct tls_session *tls_flow_session(const struct flow *f);

/* The frame just decoded: protocol column ("TLSv1.3"), or NULL when no
   TLS record ended in it. */
const char *tls_pipe_frame_proto(const struct tls_pipe *t);

/* Its Info text (NULL: none), "[TLS segment of a reassembled PDU]" when
   its decrypted bytes went into an HTTP message not complete yet. */
const char *tls_pipe_frame_info(const struct tls_pipe *t,
				const struct dissect *ds);

/* Did it carry only part of a TLS record? */
bool tls_pipe_frame_pdu(const struct tls_pipe *t, const struct dissect *ds);

void tls_pipe_free(struct tls_pipe *t);

#endif
