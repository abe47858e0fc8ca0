/*
 * test_http2.c - the HTTP/2 decoder (capture/http2.c, http2_stream.c):
 * the preface, every frame type's fields, padding, CONTINUATION, HPACK
 * with the dynamic table across requests (blocks made by nghttp2's
 * deflater), streams into messages (1xx, trailers, RST_STREAM, the end
 * of the connection), an oversized DATA frame, a corrupt header block;
 * every input fed whole and one byte at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "capture/http2.h"
#include "unit.h"

struct h2x {
	int nf, nm;
	struct h2_frame f[32];
	char hdr[32][256];	/* "name: value\n" of a frame's block */
	char mhdr[16][256];
	int mdir[16], mstatus[16];
	uint32_t mstream[16];
	char method[16][16], path[16][64], body[16][64];
	uint64_t mtotal[16];
	bool ended[16], reset[16], pushed[16];
};

static void
h2x_frame(void *ctx, const struct h2_frame *f)
{
	struct h2x *x = ctx;
	unsigned i;

	if (x->nf >= 32)
		return;
	x->f[x->nf] = *f;
	x->hdr[x->nf][0] = '\0';
	for (i = 0; i < f->nheaders; i++)
		snprintf(x->hdr[x->nf] + strlen(x->hdr[x->nf]),
			 256 - strlen(x->hdr[x->nf]), "%.*s: %.*s\n",
			 (int)f->headers[i].name.len, f->headers[i].name.p,
			 (int)f->headers[i].value.len, f->headers[i].value.p);
	x->nf++;
}

static void
h2x_msg(void *ctx, const struct h2_message *m)
{
	struct h2x *x = ctx;
	int k = x->nm;
	unsigned i;

	if (k >= 16)
		return;
	x->mdir[k] = m->dir;
	x->mstatus[k] = m->status;
	x->mstream[k] = m->stream;
	snprintf(x->method[k], 16, "%.*s", (int)m->method.len,
		 m->method.p ? m->method.p : "");
	snprintf(x->path[k], 64, "%.*s", (int)m->path.len,
		 m->path.p ? m->path.p : "");
	snprintf(x->body[k], 64, "%.*s", (int)m->body.len,
		 m->body.p ? m->body.p : "");
	x->mhdr[k][0] = '\0';
	for (i = 0; i < m->nheaders; i++)
		snprintf(x->mhdr[k] + strlen(x->mhdr[k]),
			 256 - strlen(x->mhdr[k]), "%.*s=%.*s;",
			 (int)m->headers[i].name.len, m->headers[i].name.p,
			 (int)m->headers[i].value.len, m->headers[i].value.p);
	x->mtotal[k] = m->body_total;
	x->ended[k] = m->ended;
	x->reset[k] = m->reset;
	x->pushed[k] = m->pushed;
	x->nm++;
}

static const struct h2_cb h2x_cb = { h2x_frame, h2x_msg };

struct wire {
	uint8_t b[2][200000];
	size_t n[2];
	/* feed order: (dir, length) pieces */
	int order[64][2];
	int norder;
	nghttp2_hd_deflater *def[2];
};

static void
put_frame(struct wire *w, int dir, int type, int flags, uint32_t id,
	  const void *p, size_t n)
{
	uint8_t *o = w->b[dir] + w->n[dir];

	o[0] = (uint8_t)(n >> 16);
	o[1] = (uint8_t)(n >> 8);
	o[2] = (uint8_t)n;
	o[3] = (uint8_t)type;
	o[4] = (uint8_t)flags;
	o[5] = (uint8_t)(id >> 24);
	o[6] = (uint8_t)(id >> 16);
	o[7] = (uint8_t)(id >> 8);
	o[8] = (uint8_t)id;
	if (n)
		memcpy(o + 9, p, n);
	w->n[dir] += 9 + n;
	w->order[w->norder][0] = dir;
	w->order[w->norder++][1] = (int)(9 + n);
}

/* an HPACK block of "name", "value", … (NULL-ended) into out */
static size_t
block(struct wire *w, int dir, uint8_t *out, const char *const *kv)
{
	nghttp2_nv nv[16];
	size_t n = 0;

	if (!w->def[dir])
		nghttp2_hd_deflate_new(&w->def[dir], 4096);
	for (; kv[2 * n]; n++) {
		nv[n].name = (uint8_t *)kv[2 * n];
		nv[n].namelen = strlen(kv[2 * n]);
		nv[n].value = (uint8_t *)kv[2 * n + 1];
		nv[n].valuelen = strlen(kv[2 * n + 1]);
		nv[n].flags = 0;
	}
	return (size_t)nghttp2_hd_deflate_hd(w->def[dir], out, 1024, nv, n);
}

/* Run w through a fresh decoder, whole pieces in order or bytewise. */
static void
run_wire(struct wire *w, bool bytewise, struct h2x *x)
{
	struct h2_conn c;
	size_t off[2] = { 0, 0 }, j;
	int i;

	memset(x, 0, sizeof(*x));
	h2_conn_init(&c, H2_KEEP_DEFAULT);
	for (i = 0; i < w->norder; i++) {
		int d = w->order[i][0], len = w->order[i][1];

		if (!bytewise)
			h2_feed(&c, d, w->b[d] + off[d], (size_t)len,
				(uint32_t)i + 1, &h2x_cb, x);
		else
			for (j = 0; j < (size_t)len; j++)
				h2_feed(&c, d, w->b[d] + off[d] + j, 1,
					(uint32_t)i + 1, &h2x_cb, x);
		off[d] += (size_t)len;
	}
	h2_end(&c, &h2x_cb, x);
	h2_conn_free(&c);
}

static void
wire_free(struct wire *w)
{
	if (w->def[0])
		nghttp2_hd_deflate_del(w->def[0]);
	if (w->def[1])
		nghttp2_hd_deflate_del(w->def[1]);
}

static void
preface(struct wire *w)
{
	memcpy(w->b[0], H2_PREFACE, H2_PREFACE_LEN);
	w->n[0] = H2_PREFACE_LEN;
	w->order[w->norder][0] = 0;
	w->order[w->norder++][1] = H2_PREFACE_LEN;
}

static const char *const get1[] = {
	":method", "GET", ":scheme", "http", ":path", "/index.html",
	":authority", "127.0.0.1:8080", "user-agent", "curl/7.88.1", NULL };
static const char *const get2[] = {
	":method", "GET", ":scheme", "http", ":path", "/second",
	":authority", "127.0.0.1:8080", "user-agent", "curl/7.88.1", NULL };
static const char *const ok200[] = {
	":status", "200", "content-type", "text/html", NULL };

TEST(h2_exchange_whole_and_bytewise)
{
	static struct wire w;
	static struct h2x x[2];
	uint8_t blk[1024], pay[1200];
	size_t n;
	int k;

	memset(&w, 0, sizeof(w));
	preface(&w);
	put_frame(&w, 0, H2_SETTINGS, 0, 0,
		  "\x00\x03\x00\x00\x00\x64\x00\x04\x00\x00\xff\xff", 12);
	put_frame(&w, 0, H2_WINDOW_UPDATE, 0, 0, "\x00\x00\xff\x01", 4);
	put_frame(&w, 1, H2_SETTINGS, 0, 0, "", 0);
	n = block(&w, 0, blk, get1);
	put_frame(&w, 0, H2_HEADERS, H2_F_END_STREAM | H2_F_END_HEADERS, 1,
		  blk, n);
	/* second request: HEADERS padded + priority, then CONTINUATION */
	n = block(&w, 0, blk, get2);
	pay[0] = 3;				/* pad length */
	memcpy(pay + 1, "\x80\x00\x00\x01\x0f", 5); /* excl, dep 1, w 15 */
	memcpy(pay + 6, blk, 4);
	memset(pay + 10, 0, 3);
	put_frame(&w, 0, H2_HEADERS, H2_F_PADDED | H2_F_PRIORITY |
		  H2_F_END_STREAM, 3, pay, 13);
	put_frame(&w, 0, H2_CONTINUATION, H2_F_END_HEADERS, 3, blk + 4, n - 4);
	put_frame(&w, 1, H2_SETTINGS, H2_F_ACK, 0, "", 0);
	n = block(&w, 1, blk, ok200);
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 1, blk, n);
	put_frame(&w, 1, H2_DATA, 0, 1, "hel", 3);
	put_frame(&w, 1, H2_DATA, H2_F_END_STREAM | H2_F_PADDED, 1,
		  "\x02lo\0\0", 5);
	put_frame(&w, 0, H2_PING, 0, 0, "12345678", 8);
	put_frame(&w, 0, H2_PRIORITY, 0, 5, "\x00\x00\x00\x03\x10", 5);
	put_frame(&w, 1, H2_RST_STREAM, 0, 3, "\x00\x00\x00\x08", 4);
	put_frame(&w, 1, H2_GOAWAY, 0, 0, "\x00\x00\x00\x03\x00\x00\x00\x00"
		  "bye", 11);
	run_wire(&w, false, &x[0]);
	run_wire(&w, true, &x[1]);
	for (k = 0; k < 2; k++) {
		struct h2x *y = &x[k];

		CHECK_EQ(y->nf, 15);
		CHECK(y->f[0].magic);
		CHECK_EQ(y->f[1].type, H2_SETTINGS);
		CHECK_EQ(y->f[1].nsettings, 2);
		CHECK_EQ(y->f[1].off, 24);
		CHECK_EQ(y->f[2].window_inc, 0xff01);
		CHECK_STR(y->hdr[4], ":method: GET\n:scheme: http\n:path: "
			  "/index.html\n:authority: 127.0.0.1:8080\n"
			  "user-agent: curl/7.88.1\n");
		CHECK_EQ(y->f[5].pad, 3);
		CHECK(y->f[5].has_prio && y->f[5].excl);
		CHECK_EQ(y->f[5].dep, 1);
		CHECK_EQ(y->f[5].weight, 15);
		CHECK_EQ(y->f[5].nheaders, 0);
		CHECK(strstr(y->hdr[6], ":path: /second\n") != NULL);
		CHECK(!y->f[6].malformed);
		CHECK(strstr(y->hdr[8], ":status: 200") != NULL);
		CHECK_EQ(y->f[9].data.len, 3);
		CHECK_EQ(y->f[11].len, 8);
		CHECK_EQ(y->f[12].dep, 3);
		CHECK_EQ(y->f[12].weight, 16);
		CHECK_EQ(y->f[13].error, 8);
		CHECK_EQ(y->f[14].last_stream, 3);
		/* GET /index.html, GET /second, 200 "hello"; stream 3 reset
		 * had no response started */
		CHECK_EQ(y->nm, 3);
		CHECK_STR(y->method[0], "GET");
		CHECK_STR(y->path[0], "/index.html");
		CHECK_EQ(y->mstream[1], 3);
		CHECK_STR(y->path[1], "/second");
		CHECK_EQ(y->mdir[2], 1);
		CHECK_EQ(y->mstatus[2], 200);
		CHECK_STR(y->body[2], "hello");
		CHECK(y->ended[2]);
		CHECK_STR(y->mhdr[2], ":status=200;content-type=text/html;");
	}
	wire_free(&w);
}

TEST(h2_informational_trailers_reset_and_end)
{
	static struct wire w;
	static struct h2x x;
	static const char *const post[] = {
		":method", "POST", ":scheme", "http", ":path", "/up",
		":authority", "h", NULL };
	static const char *const cont[] = { ":status", "100", NULL };
	static const char *const trl[] = { "grpc-status", "0", NULL };
	static const char *const get[] = {
		":method", "GET", ":scheme", "http", ":path", "/never",
		":authority", "h", NULL };
	uint8_t blk[1024];
	size_t n;

	memset(&w, 0, sizeof(w));
	preface(&w);
	n = block(&w, 0, blk, post);
	put_frame(&w, 0, H2_HEADERS, H2_F_END_HEADERS, 1, blk, n);
	n = block(&w, 1, blk, cont);
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 1, blk, n);
	put_frame(&w, 0, H2_DATA, 0, 1, "a=1", 3);
	n = block(&w, 0, blk, trl);
	put_frame(&w, 0, H2_HEADERS, H2_F_END_HEADERS | H2_F_END_STREAM, 1,
		  blk, n);
	n = block(&w, 1, blk, ok200);
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 1, blk, n);
	put_frame(&w, 1, H2_DATA, 0, 1, "par", 3);
	put_frame(&w, 1, H2_RST_STREAM, 0, 1, "\x00\x00\x00\x02", 4);
	n = block(&w, 0, blk, get);
	put_frame(&w, 0, H2_HEADERS, H2_F_END_HEADERS, 3, blk, n);
	run_wire(&w, false, &x);
	CHECK_EQ(x.nm, 4);
	CHECK_EQ(x.mstatus[0], 100);	/* the 100 first, on its own */
	CHECK_STR(x.method[1], "POST");	/* trailers end the upload */
	CHECK_STR(x.body[1], "a=1");
	CHECK(x.ended[1]);
	CHECK_EQ(x.mstatus[2], 200);	/* the reset 200, cut short */
	CHECK(x.reset[2] && !x.ended[2]);
	CHECK_STR(x.body[2], "par");
	CHECK_STR(x.path[3], "/never");	/* open at the end */
	CHECK(!x.ended[3] && !x.reset[3]);
	wire_free(&w);
}

/* A PUSH_PROMISE (its block ended by a CONTINUATION) is the request of
   the promised stream; the server's HEADERS and DATA there answer it. */
TEST(h2_push_promise_is_a_request)
{
	static struct wire w;
	static struct h2x x[2];
	static const char *const css[] = {
		":method", "GET", ":scheme", "http", ":path", "/style.css",
		":authority", "127.0.0.1:8080", NULL };
	uint8_t blk[1024], pay[1200];
	size_t n;
	int k;

	memset(&w, 0, sizeof(w));
	preface(&w);
	n = block(&w, 0, blk, get1);
	put_frame(&w, 0, H2_HEADERS, H2_F_END_STREAM | H2_F_END_HEADERS, 1,
		  blk, n);
	n = block(&w, 1, blk, css);
	memcpy(pay, "\x00\x00\x00\x02", 4);	/* promised stream 2 */
	memcpy(pay + 4, blk, 3);
	put_frame(&w, 1, H2_PUSH_PROMISE, 0, 1, pay, 7);
	put_frame(&w, 1, H2_CONTINUATION, H2_F_END_HEADERS, 1, blk + 3,
		  n - 3);
	n = block(&w, 1, blk, ok200);
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 1, blk, n);
	put_frame(&w, 1, H2_DATA, H2_F_END_STREAM, 1, "page", 4);
	n = block(&w, 1, blk, ok200);
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 2, blk, n);
	put_frame(&w, 1, H2_DATA, H2_F_END_STREAM, 2, "css", 3);
	/* a client may not promise: ignored */
	memcpy(pay, "\x00\x00\x00\x04", 4);
	n = block(&w, 0, blk, get2);
	memcpy(pay + 4, blk, n);
	put_frame(&w, 0, H2_PUSH_PROMISE, H2_F_END_HEADERS, 1, pay, 4 + n);
	for (k = 0; k < 2; k++) {
		struct h2x *y = &x[k];

		run_wire(&w, k == 1, y);
		CHECK_EQ(y->f[2].promised, 2);
		CHECK(strstr(y->hdr[3], ":path: /style.css\n") != NULL);
		CHECK_EQ(y->nm, 4);
		CHECK_STR(y->path[0], "/index.html");
		CHECK(!y->pushed[0]);
		CHECK_EQ(y->mdir[1], 0);		/* the promised request */
		CHECK_EQ(y->mstream[1], 2);
		CHECK(y->pushed[1] && y->ended[1]);
		CHECK_STR(y->method[1], "GET");
		CHECK_STR(y->path[1], "/style.css");
		CHECK_EQ(y->mstream[2], 1);
		CHECK_STR(y->body[2], "page");
		CHECK_EQ(y->mdir[3], 1);		/* its response */
		CHECK_EQ(y->mstream[3], 2);
		CHECK_STR(y->body[3], "css");
		CHECK(!y->pushed[3]);
	}
	wire_free(&w);
}

TEST(h2_big_frame_bad_block_and_no_preface)
{
	static struct wire w;
	static struct h2x x;
	static uint8_t big[H2_FRAME_BUFFER + 100];
	struct h2_conn c;
	uint8_t blk[1024], hdr[9];
	size_t n;

	memset(&w, 0, sizeof(w));
	/* server side only: no preface expected there */
	n = block(&w, 1, blk, ok200);
	h2_conn_init(&c, 16);
	memset(&x, 0, sizeof(x));
	/* the response needs a stream: a request first (client, no
	 * preface: a capture started after it) */
	put_frame(&w, 0, H2_HEADERS, H2_F_END_HEADERS | H2_F_END_STREAM, 1,
		  "\x82\x86\x84\x41\x01h", 6);	/* GET http / host h */
	h2_feed(&c, 0, w.b[0], w.n[0], 1, &h2x_cb, &x);
	w.n[1] = 0;
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 1, blk, n);
	h2_feed(&c, 1, w.b[1], w.n[1], 2, &h2x_cb, &x);
	memset(big, 'd', sizeof(big));
	hdr[0] = (uint8_t)(sizeof(big) >> 16);
	hdr[1] = (uint8_t)(sizeof(big) >> 8);
	hdr[2] = (uint8_t)sizeof(big);
	memcpy(hdr + 3, "\x00\x01\x00\x00\x00\x01", 6);
	h2_feed(&c, 1, hdr, 9, 3, &h2x_cb, &x);
	h2_feed(&c, 1, big, 1000, 3, &h2x_cb, &x);
	h2_feed(&c, 1, big, sizeof(big) - 1000, 4, &h2x_cb, &x);
	/* a header block that is not HPACK */
	put_frame(&w, 1, H2_HEADERS, H2_F_END_HEADERS, 3, "\xff\xff\xff\xff",
		  4);
	h2_feed(&c, 1, w.b[1] + w.n[1] - 13, 13, 5, &h2x_cb, &x);
	h2_end(&c, &h2x_cb, &x);
	h2_conn_free(&c);
	CHECK_EQ(x.nf, 4);
	CHECK(strstr(x.hdr[0], ":path: /") != NULL);
	CHECK(x.f[2].cut && x.f[2].len == sizeof(big));
	CHECK(x.f[3].block_bad && x.f[3].malformed);
	/* GET /, the 200 (its body counted, not kept: too long a frame),
	 * and stream 3's undecodable response */
	CHECK_EQ(x.nm, 3);
	CHECK_EQ(x.mstatus[1], 200);
	CHECK_EQ(x.mtotal[1], sizeof(big));
	CHECK_STR(x.body[1], "");
	CHECK_EQ(x.mstream[2], 3);
	CHECK_EQ(h2_is_preface((const uint8_t *)"PRI * HT", 8), -1);
	CHECK_EQ(h2_is_preface((const uint8_t *)"GET / HTTP/1.1", 14), 0);
	CHECK_EQ(h2_is_preface((const uint8_t *)H2_PREFACE, 24), 1);
	CHECK_STR(h2_type_name(H2_WINDOW_UPDATE), "WINDOW_UPDATE");
	CHECK(h2_type_name(10) == NULL);
	CHECK_STR(h2_error_name(8), "CANCEL");
	wire_free(&w);
}
