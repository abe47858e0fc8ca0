/*
 * tls.h - TLS on any TCP port, recognised by content: the record layer,
 * the handshake facts a decrypter needs, and decryption with key logs.
 *
 * DESIGN.  A struct tls_conn sits on one TCP flow, between reassembly
 * (in-order bytes per direction) and the HTTP dissector.  tls_feed()
 * takes each direction's bytes in any split: a record cut over many
 * segments is collected (at most one record, 18 KiB, a direction), and a
 * segment holding many records gives each in turn.  Every complete
 * record is reported through tls_cb.record with its stream offset, so a
 * printer can add its nodes (tls_tree.c) to the frame that completed it.
 * Handshake messages are reassembled across records (bounded) to learn
 * the randoms, the version, the cipher suite, SNI and ALPN.  With the
 * secrets for the connection in the key log (keylog.h), protected
 * records are decrypted (tls_decrypt.h) and the application data comes
 * out, in order, through tls_cb.app_data: the bytes the HTTP dissector
 * then reads as if they had been sent in clear.
 *
 * Owns: its record and handshake buffers and cipher contexts (freed by
 * tls_conn_free).  Borrows: the struct tls_env (key log, scratch buffer,
 * callbacks) shared by every connection of a capture.  Knows nothing of
 * pcap, frames or output formats.
 */
#ifndef HTTPTOOL_TLS_H
#define HTTPTOOL_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keylog.h"
#include "lib/buf.h"
#include "tls_decrypt.h"

enum { TLS_CT_CCS = 20, TLS_CT_ALERT = 21, TLS_CT_HANDSHAKE = 22,
       TLS_CT_APPDATA = 23, TLS_CT_HEARTBEAT = 24 };

/* What is known about one connection. */
struct tls_session {
	uint16_t version;		/* negotiated, 0 until ServerHello */
	uint16_t suite;
	bool have_cr, have_sr, hrr, etm_offered, etm, resumed_psk;
	uint8_t cr[32], sr[32];
	char sni[256];
	char alpn[64];
	bool no_keys;			/* protected records, no secret */
	unsigned key_updates;
};

/* Decryption state of a record, as reported. */
enum tls_dec { TLS_PLAIN = 0,	/* sent in clear */
	       TLS_NOKEY,	/* protected, no secret in the key log */
	       TLS_BADKEY,	/* protected, did not authenticate */
	       TLS_DECRYPTED };

struct tls_record {
	int dir;
	uint64_t off;			/* stream offset of the header */
	uint8_t type;			/* outer content type */
	uint16_t version;		/* of the header */
	uint16_t len;			/* of the fragment */
	const uint8_t *rec;		/* 5 + len bytes (header first) */
	enum tls_dec dec;
	uint8_t inner_type;		/* the real type when decrypted */
	const uint8_t *plain;		/* decrypted fragment */
	size_t plain_len;
	const char *sni;		/* the connection's, for the Info */
	bool bad;			/* not a TLS record: the rest of the
					   direction is ignored */
};

struct tls_cb {
	/* one record (spans valid during the call) */
	void (*record)(void *ctx, void *flow, const struct tls_record *r);
	/* decrypted application data of dir, in order */
	void (*app_data)(void *ctx, void *flow, int dir, const uint8_t *p,
			 size_t n);
};

/* Shared by every connection of one capture. */
struct tls_env {
	struct keylog *kl;		/* borrowed; NULL: decode only */
	const struct tls_cb *cb;
	void *ctx;
	uint8_t plain[TLS_RECORD_MAX + 256];	/* decrypted record */
	bool refresh;			/* live: re-read the key log on a miss */
	size_t held, held_max;		/* bytes of records waiting for their
					   key (live), and the most allowed */
	unsigned long records, decrypted, failed;
	unsigned long released;		/* held records decrypted later */
};

struct tls_dir {
	struct buf rec;			/* an unfinished record */
	struct buf hs;			/* an unfinished handshake message */
	uint64_t off;			/* stream offset of the next byte */
	struct tls_rdec rd;
	bool ccs;			/* TLS <= 1.2: protected from here */
	uint8_t stage;			/* 1.3: 0 none, 1 handshake, 2 app */
	bool dead;			/* garbage seen: ignore the rest */
	uint32_t hs_skip;		/* bytes of an oversized message */
	struct buf held;		/* live: whole records waiting, in
					   order, for a key not logged yet */
	bool no_hold;			/* the budget ran out: given up */
};

struct tls_conn {
	struct tls_session s;
	struct tls_dir d[2];		/* [DIR_CLIENT], [DIR_SERVER] */
	uint8_t probe[6];		/* tls_pipe.c: first bytes, while */
	uint8_t nprobe, probe_dir;	/* fewer than 6 came */
	unsigned held_gen;		/* key log generation last tried */
};

/* True when p[0..n) starts like a TLS record (n >= 3 needed). */
bool tls_looks_like(const uint8_t *p, size_t n);

/* True when p[0..n) looks like the first bytes of a TLS connection: a
   record holding a hello, or (a capture started mid-connection)
   application data or an alert.  Stricter than tls_looks_like(). */
bool tls_looks_like_start(const uint8_t *p, size_t n);

/* A new connection; NULL on ENOMEM. */
struct tls_conn *tls_conn_new(void);

/* Feed the next n in-order bytes of dir (0 client, 1 server); flow is
   passed back to the callbacks. */
void tls_feed(struct tls_env *e, struct tls_conn *c, void *flow, int dir,
	      const uint8_t *p, size_t n);

/* n bytes of dir were lost: the record in progress is dropped and the
   direction resynchronises on the next record header it can find. */
void tls_gap(struct tls_env *e, struct tls_conn *c, int dir);

/* Live: records still held for a key (see tls.c's hold()) are decrypted
   now if the key log has it; flow as for tls_feed. */
void tls_flush(struct tls_env *e, struct tls_conn *c, void *flow);

void tls_conn_free(struct tls_env *e, struct tls_conn *c);

/* The version to show: negotiated if known, else the record's. */
uint16_t tls_show_version(const struct tls_session *s, uint16_t rec);

#endif
