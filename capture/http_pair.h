/*
 * http_pair.h - the requests of one HTTP/1.x flow waiting for their
 * responses (http_dissect.c pairs each response with the front one, as
 * tshark does), each with what its response shows of it: the record, the
 * method and tshark's http.response_for.uri (target and Host).
 */
#ifndef HTTPTOOL_CAPTURE_HTTP_PAIR_H
#define HTTPTOOL_CAPTURE_HTTP_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/parse.h"

/*
 * What a response shows of the request it answers (tshark's
 * http.response_for.uri): the target and the Host value, copied once
 * into one allocation, target first.  Owned by the FIFO entry, then by
 * the direction that carries the response.
 */
struct req_uri {
	char *p;		/* target bytes, then host bytes, or NULL */
	uint32_t target_len, host_len;
	bool has_host;
};

struct pend {
	uint32_t rec;
	char method[16];
	struct req_uri uri;
};

/* A FIFO of struct pend (at most 4096: the oldest goes first). */
struct pairq {
	struct pend *fifo;
	size_t fhead, flen, fcap;
	size_t uri_bytes;	/* in all struct req_uri of the flow */
};

/* m's method, cut to 15 bytes, NUL-terminated, into out[16]. */
void pair_copy_method(char *out, struct span m);

/* A request (record rec, head m) waits for its response.  Its URI is
 * copied only while used + its size stays within max bytes. */
void pairq_push(struct pairq *q, uint32_t rec, const struct http_msg *m,
		size_t used, size_t max);
/* The oldest waiting request, or NULL. */
struct pend *pairq_front(struct pairq *q);
/* The front request got its final response: its URI copy moves to *to. */
void pairq_pop(struct pairq *q, struct req_uri *to);
/* Forget every waiting request (their URI copies too). */
void pairq_free(struct pairq *q);

/* Free u (counted in q); dst (freed first) becomes a copy of src, or
 * empty on ENOMEM. */
void req_uri_free(struct pairq *q, struct req_uri *u);
void req_uri_copy(struct pairq *q, struct req_uri *dst,
		  const struct req_uri *src);

#endif
