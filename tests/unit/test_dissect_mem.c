/*
 * test_dissect_mem.c - what the HTTP dissector holds, and what it tells a
 * response about its request: bodies kept for the printers count against
 * held_max (half of it at most, in all flows), as do the request URIs
 * waiting for their responses, and all of it is given back when messages
 * complete and flows go away; a response's view names the target and Host
 * of the request it answers, in order, 1xx included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/http_dissect.h"
#include "capture/reassembly.h"
#include "unit.h"

struct seen {
	int n;
	size_t body_len[16];
	bool body_cut[16];
	char target[16][64];
	size_t target_len[16];
	char host[16][32];
	char method[16][16];
	struct dissect *d;
	size_t kept_max;	/* most kept_held seen in a callback */
};

static void
on_msg(void *ctx, const struct http_view *v)
{
	struct seen *s = ctx;
	int i = s->n++;

	if (s->d->kept_held > s->kept_max)
		s->kept_max = s->d->kept_held;
	if (i >= 16)
		return;
	s->body_len[i] = v->body.len;
	s->body_cut[i] = v->body_cut;
	snprintf(s->target[i], sizeof(s->target[i]), "%.*s",
		 (int)v->req_target.len, v->req_target.p ? v->req_target.p : "");
	snprintf(s->host[i], sizeof(s->host[i]), "%s%.*s",
		 v->req_host.p ? "" : "-", (int)v->req_host.len,
		 v->req_host.p ? v->req_host.p : "");
	s->target_len[i] = v->req_target.len;
	if (!v->req_target.p)
		strcpy(s->target[i], "(none)");
	memcpy(s->method[i], v->method, sizeof(s->method[i]));
}

static const struct dissect_cb seen_cb = { .on_message = on_msg };
static const struct reasm_limits lim = { 1u << 24, 1u << 26 };

TEST(dissect_kept_bodies_count_against_total_mem)
{
	enum { FLOWS = 8, BODY = 150000, SEG = 10000 };
	static char body[SEG];
	struct seen s = { 0 };
	struct records rs;
	struct dissect d;
	struct reasm *r;
	uint32_t frame = 1, seq[FLOWS];
	size_t most = 0, total;
	char head[128];
	int f, k;

	memset(body, 'b', sizeof(body));
	rec_init(&rs, false);
	dissect_init(&d, &rs, &seen_cb, &s, 1u << 20);
	d.held_max = 1u << 20;		/* --total-mem 1 MiB */
	s.d = &d;
	r = reasm_new(&lim, &dissect_reasm_cb, &d);
	for (f = 0; f < FLOWS; f++) {
		unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, frame++, (uint16_t)(2000 + f));
		unit_tcp_seg(r, 1, 0, TCP_SYN, NULL, 0, frame++, (uint16_t)(2000 + f));
		snprintf(head, sizeof(head), "POST /u%d HTTP/1.1\r\nHost: h\r\n"
			 "Content-Length: %d\r\n\r\n", f, BODY);
		unit_tcp_seg(r, 0, 1, 0, head, (uint32_t)strlen(head), frame++,
		       (uint16_t)(2000 + f));
		seq[f] = 1 + (uint32_t)strlen(head);
	}
	/* every upload at once, one segment each in turn */
	for (k = 0; k < BODY / SEG; k++) {
		for (f = 0; f < FLOWS; f++) {
			unit_tcp_seg(r, 0, seq[f], 0, body, SEG, frame++,
			       (uint16_t)(2000 + f));
			seq[f] += SEG;
			if (d.kept_held > most)
				most = d.kept_held;
		}
	}
	/* 8 x 150 000 bytes would be kept without the budget */
	CHECK(most <= d.held_max / 2);
	CHECK(most >= d.held_max / 2 - SEG);
	CHECK(d.bodies_cut > 0);
	CHECK_EQ(s.n, FLOWS);
	/* each got a share; a cut body is still the start of the body */
	for (f = 0, total = 0; f < FLOWS; f++) {
		CHECK(s.body_cut[f]);
		CHECK(s.body_len[f] > 0 && s.body_len[f] < BODY);
		total += s.body_len[f];
	}
	CHECK(total <= d.held_max / 2);
	CHECK(s.kept_max <= d.held_max / 2);
	/* completed messages gave their bytes back ... */
	CHECK_EQ(d.kept_held, 0);
	/* ... so the next upload alone is kept whole */
	unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, frame++, 2999);
	snprintf(head, sizeof(head), "POST /last HTTP/1.1\r\nHost: h\r\n"
		 "Content-Length: %d\r\n\r\n", BODY);
	unit_tcp_seg(r, 0, 1, 0, head, (uint32_t)strlen(head), frame++, 2999);
	for (k = 0, seq[0] = 1 + (uint32_t)strlen(head); k < BODY / SEG; k++) {
		unit_tcp_seg(r, 0, seq[0], 0, body, SEG, frame++, 2999);
		seq[0] += SEG;
	}
	CHECK_EQ(s.n, FLOWS + 1);
	CHECK_EQ(s.body_len[FLOWS], BODY);
	CHECK(!s.body_cut[FLOWS]);
	CHECK_EQ(d.kept_held, 0);
	reasm_free(r);
	CHECK_EQ(d.kept_held, 0);
	CHECK_EQ(d.held, 0);
	rec_free(&rs);
}

TEST(dissect_waiting_uris_count_and_name_the_request)
{
	struct seen s = { 0 };
	struct records rs;
	struct dissect d;
	struct reasm *r;
	uint32_t frame = 3, cseq = 1, sseq = 1;
	char req[3000];
	size_t held_before;
	const char *resp;
	int i;

	rec_init(&rs, false);
	dissect_init(&d, &rs, &seen_cb, &s, 0);
	s.d = &d;
	r = reasm_new(&lim, &dissect_reasm_cb, &d);
	unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, 1, 3000);
	unit_tcp_seg(r, 1, 0, TCP_SYN, NULL, 0, 2, 3000);
	/* three pipelined requests with 900-byte targets, the last one
	 * with Expect: 100-continue, and one without Host */
	for (i = 0; i < 3; i++) {
		char target[901];

		memset(target, 'a' + i, 900);
		target[0] = '/';
		target[900] = '\0';
		snprintf(req, sizeof(req), i == 1 ? "GET %s HTTP/1.0\r\n\r\n" :
			 i == 2 ? "PUT %s HTTP/1.1\r\nHost: h2\r\nExpect: "
				  "100-continue\r\nContent-Length: 1\r\n\r\n" :
			 "GET %s HTTP/1.1\r\nHost: h0\r\n\r\n", target);
		unit_tcp_seg(r, 0, cseq, 0, req, (uint32_t)strlen(req), frame++, 3000);
		cseq += (uint32_t)strlen(req);
	}
	held_before = d.held;
	CHECK(held_before >= 3 * 900);	/* the URIs wait, counted */
	resp = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
	       "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
	       "HTTP/1.1 100 Continue\r\n\r\n";
	unit_tcp_seg(r, 1, sseq, 0, resp, (uint32_t)strlen(resp), frame++, 3000);
	sseq += (uint32_t)strlen(resp);
	unit_tcp_seg(r, 0, cseq++, 0, "x", 1, frame++, 3000);
	resp = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
	       "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	unit_tcp_seg(r, 1, sseq, 0, resp, (uint32_t)strlen(resp), frame++, 3000);
	/* GET a, GET b, 200, 404, 100, then the PUT (its body came), 201,
	 * and a 200 that answers nothing seen */
	CHECK_EQ(s.n, 8);
	CHECK_EQ(s.target[2][1], 'a');
	CHECK_EQ(s.target_len[2], 900);
	CHECK_STR(s.host[2], "h0");
	CHECK_STR(s.method[2], "GET");
	CHECK_EQ(s.target[3][1], 'b');
	CHECK_STR(s.host[3], "-");	/* HTTP/1.0 without Host */
	CHECK_EQ(s.target[4][1], 'c');	/* the 100 names the PUT */
	CHECK_STR(s.method[4], "PUT");
	CHECK_STR(s.target[5], "(none)");	/* a request: not set */
	CHECK_EQ(s.target[6][1], 'c');	/* and so does its 201 */
	CHECK_STR(s.host[6], "h2");
	CHECK_STR(s.target[7], "(none)");
	CHECK(s.method[7][0] == '\0');
	/* answered: the URIs are given back (one response's copy is kept at
	 * most, until the direction's next response head) */
	CHECK(d.held < held_before - 2 * 900);
	reasm_free(r);
	CHECK_EQ(d.held, 0);
	rec_free(&rs);
}

TEST(dissect_waiting_uris_stop_at_total_mem)
{
	struct seen s = { 0 };
	struct records rs;
	struct dissect d;
	struct reasm *r;
	uint32_t frame = 3, cseq = 1;
	char req[1100], target[1001];
	int i;

	rec_init(&rs, false);
	dissect_init(&d, &rs, &seen_cb, &s, 0);
	d.held_max = 2500;	/* two 1000-byte URIs fit, not three */
	s.d = &d;
	r = reasm_new(&lim, &dissect_reasm_cb, &d);
	unit_tcp_seg(r, 0, 0, TCP_SYN, NULL, 0, 1, 4000);
	unit_tcp_seg(r, 1, 0, TCP_SYN, NULL, 0, 2, 4000);
	memset(target, 'x', 1000);
	target[0] = '/';
	target[1000] = '\0';
	for (i = 0; i < 5; i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", target);
		unit_tcp_seg(r, 0, cseq, 0, req, (uint32_t)strlen(req), frame++, 4000);
		cseq += (uint32_t)strlen(req);
		CHECK(d.held <= d.held_max);
	}
	CHECK_EQ(s.n, 5);		/* the requests themselves all count */
	CHECK(d.held >= 2000);
	reasm_free(r);
	CHECK_EQ(d.held, 0);
	rec_free(&rs);
}
