/*
 * http_app.h - what follows HTTP/1.x on a TCP flow: WebSocket after a
 * 101 to "websocket", HTTP/2 after a 101 to "h2c" or when the client
 * starts with the HTTP/2 connection preface (on any port).
 *
 * DESIGN.  The HTTP dissector (http_dissect.c) owns one struct happ per
 * flow once the flow has switched, and hands it the flow's in-order
 * bytes.  WebSocket frames and messages and HTTP/2 frames go to the
 * dissector's callbacks as they are; each HTTP/2 stream's request and
 * response become HTTP records like HTTP/1.x ones (paired by stream id,
 * rec->h2_stream set), reported through on_message with a view whose
 * msg says HTTP/2.0 and whose head is the HTTP/1.1 rendering of the
 * header fields (pseudo-headers become the start line and Host), so
 * --json, --har, --stats and --follow-http need nothing new to show them.
 */
#ifndef HTTPTOOL_HTTP_APP_H
#define HTTPTOOL_HTTP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "http2.h"
#include "http_pair.h"
#include "websocket.h"

struct dissect;
struct flow;

enum { HAPP_WS = 1, HAPP_H2 };

struct happ_pend {		/* an HTTP/2 request waiting for its answer */
	uint32_t stream, rec;
	char method[16];
	char *uri;			/* target, then host (malloc), or NULL */
	uint32_t target_len, host_len;
};

struct happ {
	int kind;			/* HAPP_* */
	int client_dir;			/* TCP direction of the h2 client */
	struct ws_dir ws[2];		/* [TCP dir] */
	struct h2_conn h2;
	struct happ_pend *pend;
	size_t npend, pcap;
	struct buf head;		/* scratch for a message's head */
};

/*
 * A new WebSocket flow whose server sends on server_dir; ext: the 101's
 * Sec-WebSocket-Extensions value (SPAN_NULL when absent).  NULL on ENOMEM.
 */
struct happ *happ_ws_new(int server_dir, struct span ext, size_t keep);

/*
 * A new HTTP/2 flow whose client sends on client_dir.  upgrade_rec >= 0:
 * after an Upgrade: h2c, that HTTP/1.1 request (its record, method,
 * target and Host, borrowed) is stream 1.
 */
struct happ *happ_h2_new(int client_dir, long upgrade_rec,
			 const char *upgrade_method, struct span target,
			 struct span host, size_t keep);

/*
 * A 101 was parsed (d->msg, the response on dir): what the flow speaks
 * next, if we know it.  h2c's stream 1 is the request the 101 answers
 * (rec: the 101's record, -1 for none; method and uri as the response
 * saw them, borrowed).  NULL for any other upgrade, or on ENOMEM.
 */
struct happ *happ_after_101(struct dissect *d, int dir, long rec,
			    const char *method, const struct req_uri *uri);

void happ_data(struct dissect *d, struct flow *f, struct happ *a, int dir,
	       const uint8_t *p, size_t n, uint32_t frame);
/* The flow ended (both directions, or released): open messages out. */
void happ_end(struct dissect *d, struct flow *f, struct happ *a,
	      uint32_t frame);
void happ_free(struct happ *a);

#endif
