/*
 * zstat_tree.h - tshark's "stats tree" statistics for HTTP/1.x:
 * -z http,tree (HTTP/Packet Counter), -z http_req,tree (HTTP/Requests)
 * and -z http_srv,tree (HTTP/Load Distribution).  Each is a tree of
 * named counters ticked once per HTTP message; printed in tshark 4.0's
 * plain layout (Count, Rate (ms), Percent, Burst Rate, Burst Start), the
 * children of a node by count, then by name, both descending.
 *
 * Memory grows with the number of distinct names (methods, status codes,
 * hosts, URIs, addresses), not with the number of messages.
 */
#ifndef HTTPTOOL_ZSTAT_TREE_H
#define HTTPTOOL_ZSTAT_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"

enum zst_kind { ZST_HTTP, ZST_HTTP_REQ, ZST_HTTP_SRV };

struct zst_node;

struct zst {
	enum zst_kind kind;
	struct zst_node *root;		/* its children are the top rows */
	double start_ms, now_ms;	/* of the first and latest message */
	bool started, oom;
};

/* One HTTP/1.x message as the trees count it: is_request, method (a
 * request), status (a response), host (the Host value, NULL when none),
 * uri (the request target), src and dst (the frame's addresses as text),
 * at ms milliseconds since the first frame. */
struct zst_msg {
	bool is_request;
	const char *method;
	int status;
	const char *host, *uri;
	const char *src, *dst;
	double ms;
};

/* Start an empty tree of kind k; 0, or -1 out of memory. */
int zst_init(struct zst *t, enum zst_kind k);

/* Count one message. */
void zst_message(struct zst *t, const struct zst_msg *m);

/* Append the table; 0, or -1 when memory ran out while counting. */
int zst_print(const struct zst *t, struct buf *out);

void zst_free(struct zst *t);

#endif
