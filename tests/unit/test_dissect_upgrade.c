/*
 * test_dissect_upgrade.c - a 101 Switching Protocols (or a 2xx to CONNECT)
 * is an HTTP response like any other: it is reported on the frame that
 * holds its head, paired with its request, and the bytes after it (in the
 * same segment or later) are not taken for HTTP.
 */
#include <stdio.h>
#include <string.h>

#include "capture/http_dissect.h"
#include "capture/reassembly.h"
#include "unit.h"

struct up_seen {
	int n;
	int status[8];
	uint32_t frame[8];
	bool request[8];
};

static void
up_msg(void *ctx, const struct http_view *v)
{
	struct up_seen *s = ctx;

	if (s->n >= 8)
		return;
	s->status[s->n] = v->msg->status;
	s->request[s->n] = v->msg->is_request;
	s->frame[s->n++] = v->frame;
}

static const struct dissect_cb up_cb = { .on_message = up_msg };
static const struct reasm_limits up_lim = { 1u << 20, 1u << 22 };

/* Request in frame 3, then resp (one segment) in frame 4, then after in
 * frame 5 from the server and a look-alike request in frame 6. */
static void
upgrade_run(const char *req, const char *resp, const char *after,
	    struct up_seen *s, struct records *rs)
{
	struct dissect d;
	struct reasm *r;
	uint32_t sseq = 1, cseq = 1;

	rec_init(rs, false);
	dissect_init(&d, rs, &up_cb, s, 1024);
	r = reasm_new(&up_lim, &dissect_reasm_cb, &d);
	unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, 1, 5000);
	unit_tcp_seg(r, 1, 0, TCP_SYN, NULL, 0, 2, 5000);
	unit_tcp_seg(r, 0, cseq, 0, req, (uint32_t)strlen(req), 3, 5000);
	cseq += (uint32_t)strlen(req);
	unit_tcp_seg(r, 1, sseq, 0, resp, (uint32_t)strlen(resp), 4, 5000);
	sseq += (uint32_t)strlen(resp);
	unit_tcp_seg(r, 1, sseq, 0, after, (uint32_t)strlen(after), 5, 5000);
	unit_tcp_seg(r, 0, cseq, 0, "GET /x HTTP/1.1\r\n\r\n", 19, 6, 5000);
	reasm_free(r);
}

TEST(dissect_101_is_a_response)
{
	struct up_seen s = { 0 };
	struct records rs;

	upgrade_run("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
		    "Connection: Upgrade\r\n\r\n",
		    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		    "Connection: Upgrade\r\n\r\n\x81\x05hello",
		    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", &s, &rs);
	CHECK_EQ(s.n, 2);
	CHECK(s.request[0]);
	CHECK_EQ(s.frame[0], 3);
	CHECK_EQ(s.status[1], 101);
	CHECK_EQ(s.frame[1], 4);	/* not held back by the frame after it */
	CHECK_EQ(rec_get(&rs, 0)->pair, 2);	/* request -> 101 */
	CHECK_EQ(rec_get(&rs, 1)->pair, 1);
	CHECK_EQ(rec_get(&rs, 1)->body_len, 0);
	rec_free(&rs);
}

TEST(dissect_connect_2xx_is_a_response)
{
	struct up_seen s = { 0 };
	struct records rs;

	upgrade_run("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
		    "HTTP/1.1 200 Connection established\r\n\r\n",
		    "\x16\x03\x01\x00\x05hello", &s, &rs);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.status[1], 200);
	CHECK_EQ(s.frame[1], 4);
	rec_free(&rs);
}

TEST(dissect_101_split_head_waits_for_its_end)
{
	struct up_seen s = { 0 };
	struct records rs;

	/* the 101's head ends in the second server segment */
	upgrade_run("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n"
		    "Connection: Upgrade, HTTP2-Settings\r\n\r\n",
		    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n",
		    "Connection: Upgrade\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00",
		    &s, &rs);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.status[1], 101);
	CHECK_EQ(s.frame[1], 5);
	rec_free(&rs);
}
