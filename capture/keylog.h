/*
 * keylog.h - NSS key log files (SSLKEYLOGFILE), read for decryption.
 *
 * The format curl, browsers, OpenSSL and Wireshark share: one secret a
 * line, "LABEL <client random hex> <secret hex>", '#' comments.  We keep
 * the labels needed to decrypt TLS 1.2 (CLIENT_RANDOM: the master
 * secret) and TLS 1.3 (the handshake and first application traffic
 * secrets of each side); others are skipped.
 *
 * A live capture reads the file while the client still writes it:
 * keylog_refresh() reads only what was appended since the last call, and
 * only whole lines, so a line being written is read next time.  The file
 * need not exist yet when the capture starts.
 *
 * Owns its entries; keylog_free() releases them.  No OpenSSL here.
 */
#ifndef HTTPTOOL_KEYLOG_H
#define HTTPTOOL_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum keylog_label {
	KL_CLIENT_RANDOM = 0,		/* TLS 1.2 master secret */
	KL_CLIENT_HS,			/* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	KL_SERVER_HS,			/* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	KL_CLIENT_TRAFFIC0,		/* CLIENT_TRAFFIC_SECRET_0 */
	KL_SERVER_TRAFFIC0,		/* SERVER_TRAFFIC_SECRET_0 */
	KL_NLABELS
};

#define KEYLOG_SECRET_MAX 64

struct keylog_entry {
	uint8_t random[32];
	uint8_t label;			/* enum keylog_label */
	uint8_t len;			/* secret bytes */
	uint8_t secret[KEYLOG_SECRET_MAX];
};

struct keylog {
	char *path;			/* NULL: entries only from add_line */
	int fd;				/* open once found, -1 before; kept
					   so that reading goes on after
					   sniff drops its privileges */
	off_t pos;			/* bytes of the file consumed */
	struct keylog_entry *v;
	size_t n, cap;
	unsigned long bad_lines;	/* lines that did not parse */
	unsigned generation;		/* bumped when entries were added */
};

/* Set k up to read path (copied; may not exist yet), opening it now if
   it exists.  0 or -ENOMEM. */
int keylog_open(struct keylog *k, const char *path);

/*
 * Read the lines appended to the file since the last call.  Returns the
 * number of secrets added (0 when nothing new or the file is missing
 * yet), or -errno when it cannot be read.
 */
int keylog_refresh(struct keylog *k);

/*
 * Parse one line (without its newline).  1 when a secret was added, 0
 * for a comment, blank or label we do not use, -1 when malformed, and
 * -ENOMEM.
 */
int keylog_add_line(struct keylog *k, const char *line, size_t n);

/* The secret for (label, client random), or NULL; *len its length. */
const uint8_t *keylog_find(const struct keylog *k, enum keylog_label label,
			   const uint8_t random[32], size_t *len);

void keylog_free(struct keylog *k);

#endif
