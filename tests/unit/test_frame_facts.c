/*
 * test_frame_facts.c - the display-filter lookup shared by sniff -Y and
 * the TUI (capture/frame_facts.h): packet fields from a hand-made
 * struct pkt, HTTP fields over every message of the frame or, for
 * frame_facts_match_last, over the last one only.
 */
#include <arpa/inet.h>

#include "capture/frame_facts.h"
#include "capture/pkt.h"
#include "capture/reassembly.h"
#include "unit.h"

/* Message facts filled by hand, as frame_facts_add would keep them. */
static struct msg_facts *
add_msg(struct frame_facts *ff, bool request, int code)
{
	struct msg_facts *mf = &ff->msgs[ff->nmsgs++];

	memset(mf, 0, sizeof *mf);
	mf->request = request;
	mf->code = code;
	mf->time = request ? -1 : 0.25;
	return mf;
}

static void
add_val(struct frame_facts *ff, struct msg_facts *mf, int slot, const char *s)
{
	mf->off[slot][mf->n[slot]] = (uint32_t)ff->arena.len;
	mf->len[slot][mf->n[slot]] = (uint32_t)strlen(s);
	mf->n[slot]++;
	buf_puts(&ff->arena, s);
}

static bool
matches(struct frame_facts *ff, const char *text, bool last_only)
{
	struct filter *f = filter_compile(text, NULL);
	bool m;

	CHECK(f != NULL);
	if (!f)
		return false;
	m = last_only ? frame_facts_match_last(ff, f) :
	    filter_match(f, frame_facts_lookup, ff);
	filter_free(f);
	return m;
}

TEST(frame_facts_lookup)
{
	struct pkt pk;
	struct reasm_info ri;
	struct frame_facts ff;
	struct msg_facts *req, *resp;

	memset(&pk, 0, sizeof pk);
	memset(&ri, 0, sizeof ri);
	memset(&ff, 0, sizeof ff);
	pk.len = 120;
	pk.ipver = 4;
	inet_pton(AF_INET, "127.0.0.1", pk.src);
	inet_pton(AF_INET, "127.0.0.2", pk.dst);
	pk.tcp = true;
	pk.sport = 40000;
	pk.dport = 8000;
	frame_facts_start(&ff, 7, &pk, &ri);

	CHECK(matches(&ff, "frame.number == 7 && frame.len == 120", false));
	CHECK(matches(&ff, "ip.src == 127.0.0.1 && ip.dst == 127.0.0.2", false));
	CHECK(!matches(&ff, "ip.src == 127.0.0.2", false));
	CHECK(matches(&ff, "ip.addr == 127.0.0.2 && !ipv6", false));
	CHECK(matches(&ff, "tcp.port == 8000 && tcp.srcport == 40000", false));
	CHECK(!matches(&ff, "tcp.dstport == 40000", false));
	CHECK(!matches(&ff, "tcp.stream", false));	/* no flow */
	CHECK(!matches(&ff, "http", false));		/* no message yet */

	/* a request and its response completed in the same frame */
	req = add_msg(&ff, true, 0);
	add_val(&ff, req, FACT_METHOD, "GET");
	add_val(&ff, req, FACT_URI, "/a");
	add_val(&ff, req, FACT_COOKIE, "a=1");
	add_val(&ff, req, FACT_COOKIE, "b=2");
	resp = add_msg(&ff, false, 404);
	add_val(&ff, resp, FACT_CT, "text/plain");

	CHECK(matches(&ff, "http.request.method == GET && "
		      "http.response.code == 404", false));
	CHECK(matches(&ff, "http.cookie == \"b=2\"", false));
	CHECK(matches(&ff, "http.time >= 0.25", false));
	CHECK(!matches(&ff, "http.host", false));
	/* only the last message: the response */
	CHECK(matches(&ff, "http.response.code == 404", true));
	CHECK(!matches(&ff, "http.request", true));
	CHECK(matches(&ff, "http.content_type contains \"plain\"", true));
	CHECK(ff.only == -1);

	/* the next frame forgets the messages */
	frame_facts_start(&ff, 8, &pk, &ri);
	CHECK(!matches(&ff, "http", false));
	CHECK(matches(&ff, "frame.number == 8", false));
	frame_facts_free(&ff);
}
