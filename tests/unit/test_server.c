/*
 * test_server.c - unit tests for server/ pieces that need no socket:
 * the JSON writer and validator, HTML escaping, Range parsing, upload
 * name sanitising, base64, cookies, and the event loop's timers and
 * descriptors.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/html.h"
#include "server/httpbin.h"
#include "lib/json.h"
#include "lib/loop.h"
#include "server/req.h"
#include "server/routes.h"
#include "unit.h"

static struct span
esc(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	json_escape(b, (struct span){ s, n });
	return buf_unread(b);
}

TEST(server_json_escape)
{
	struct buf b = BUF_INIT;

	CHECK_SPAN(esc(&b, "plain", 5), "\"plain\"");
	CHECK_SPAN(esc(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_SPAN(esc(&b, "\n\r\t\b\f\x01\x1f", 7),
		   "\"\\n\\r\\t\\b\\f\\u0001\\u001f\"");
	CHECK_SPAN(esc(&b, "nul\0x", 5), "\"nul\\u0000x\"");
	/* valid UTF-8 passes, invalid bytes become U+FFFD */
	CHECK_SPAN(esc(&b, "caf\xc3\xa9 \xe2\x82\xac", 9),
		   "\"caf\xc3\xa9 \xe2\x82\xac\"");
	CHECK_SPAN(esc(&b, "\xff", 1), "\"\\ufffd\"");
	CHECK_SPAN(esc(&b, "\xc3", 1), "\"\\ufffd\"");		/* cut short */
	CHECK_SPAN(esc(&b, "\xc0\xaf", 2), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_SPAN(esc(&b, "\xed\xa0\x80", 3),
		   "\"\\ufffd\\ufffd\\ufffd\"");			/* surrogate */
	CHECK_SPAN(esc(&b, "\xf0\x9f\x98\x80", 4), "\"\xf0\x9f\x98\x80\"");
	buf_free(&b);
}

TEST(server_json_writer)
{
	struct buf b = BUF_INIT;
	struct json j;

	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "a");
	json_arr(&j);
	json_int(&j, 1);
	json_cstr(&j, "x");
	json_end(&j);
	json_key(&j, "e");
	json_obj(&j);
	json_end(&j);
	json_key(&j, "n");
	json_null(&j);
	json_key(&j, "t");
	json_bool(&j, true);
	json_end(&j);
	CHECK_SPAN(buf_unread(&b), "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n"
		   "  \"e\": {},\n  \"n\": null,\n  \"t\": true\n}");
	buf_reset(&b);
	json_init(&j, &b, false);
	json_obj(&j);
	json_key(&j, "k");
	json_raw(&j, SPAN_LIT("[1]"));
	json_key(&j, "s");
	json_cstr(&j, NULL);
	json_end(&j);
	CHECK_SPAN(buf_unread(&b), "{\"k\": [1], \"s\": null}");
	CHECK(json_valid(buf_unread(&b)));
	buf_free(&b);
}

TEST(server_json_valid)
{
	static const char *const good[] = {
		"0", "-1.5e+3", "\"a\\u00e9\\n\"", "[]", "{}", " [1, {\"a\": null}] ",
		"true", "{\"a\":[false,\"x\"]}", "\"\xc3\xa9\"",
	};
	static const char *const bad[] = {
		"", "01", "1.", "[1,]", "{\"a\"}", "{a:1}", "[1] 2", "\"abc",
		"\"\\x\"", "tru", "\"\x01\"", "\"\xff\"", "-", "{\"a\":}", "[",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(json_valid(span_from(good[i])));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!json_valid(span_from(bad[i])));
	/* deep nesting is refused, not recursed into */
	char deep[600];

	memset(deep, '[', 300);
	memset(deep + 300, ']', 300);
	CHECK(!json_valid((struct span){ deep, sizeof deep }));
	/* against a guard page: no over-read on truncated input */
	CHECK(!json_valid((struct span){ unit_guard_str("{\"a\": tr"), 8 }));
	CHECK(!json_valid((struct span){ unit_guard_str("\"\\u12"), 5 }));
	CHECK(!json_valid((struct span){ unit_guard_str("-"), 1 }));
	CHECK(!json_valid((struct span){ unit_guard_str("\"\xe2\x82"), 3 }));
	CHECK(json_valid((struct span){ unit_guard_str("[1]"), 3 }));
}

TEST(server_html_escape)
{
	struct buf b = BUF_INIT;

	html_escape(&b, SPAN_LIT("<a href=\"x\">Tom & 'Jerry'</a>"));
	CHECK_SPAN(buf_unread(&b), "&lt;a href=&quot;x&quot;&gt;Tom &amp; "
		   "&#39;Jerry&#39;&lt;/a&gt;");
	buf_free(&b);
}

TEST(server_ranges)
{
	struct static_range r[4];

	CHECK_EQ(static_ranges(SPAN_LIT("bytes=0-4"), 10, r, 4), 1);
	CHECK_EQ(r[0].first, 0);
	CHECK_EQ(r[0].last, 4);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=-3"), 10, r, 4), 1);
	CHECK_EQ(r[0].first, 7);
	CHECK_EQ(r[0].last, 9);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=-30"), 10, r, 4), 1);
	CHECK_EQ(r[0].first, 0);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=8-"), 10, r, 4), 1);
	CHECK_EQ(r[0].last, 9);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=5-100"), 10, r, 4), 1);
	CHECK_EQ(r[0].last, 9);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes= 0-1 , 3-4"), 10, r, 4), 2);
	CHECK_EQ(r[1].first, 3);
	/* unsatisfiable ones are dropped; none left means 416 */
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=20-30"), 10, r, 4), 0);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=20-30,0-0"), 10, r, 4), 1);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=-0"), 10, r, 4), 0);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=0-"), 0, r, 4), 0);
	/* ignored: other units, bad syntax, too many */
	CHECK_EQ(static_ranges(SPAN_LIT("lines=1-2"), 10, r, 4), -1);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=5-2"), 10, r, 4), -1);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=a-b"), 10, r, 4), -1);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=1"), 10, r, 4), -1);
	CHECK_EQ(static_ranges(SPAN_LIT("bytes=0-0,1-1,2-2,3-3,4-4"), 10, r, 4),
		 -1);
}

TEST(server_upload_sanitise)
{
	char out[128];

	upload_sanitise(SPAN_LIT("report.pdf"), out);
	CHECK_STR(out, "report.pdf");
	upload_sanitise(SPAN_LIT("../../etc/passwd"), out);
	CHECK_STR(out, "passwd");
	upload_sanitise(SPAN_LIT("C:\\Users\\x\\my file (1).txt"), out);
	CHECK_STR(out, "my_file__1_.txt");
	upload_sanitise(SPAN_LIT("..hidden"), out);
	CHECK_STR(out, "hidden");
	upload_sanitise(SPAN_LIT("a/"), out);
	CHECK_STR(out, "upload");
	upload_sanitise(SPAN_LIT(".."), out);
	CHECK_STR(out, "upload");
	upload_sanitise((struct span){ "a\0b", 3 }, out);
	CHECK_STR(out, "a_b");
}

TEST(server_base64)
{
	unsigned char out[64];
	struct buf b = BUF_INIT;

	CHECK_EQ(base64_decode(SPAN_LIT("aHR0cHRvb2w="), out), 8);
	CHECK(memcmp(out, "httptool", 8) == 0);
	CHECK_EQ(base64_decode(SPAN_LIT("dXNlcjpwYXNzd2Q"), out), 11);
	CHECK(memcmp(out, "user:passwd", 11) == 0);
	CHECK_EQ(base64_decode(SPAN_LIT("-_8"), out), 2);	/* URL-safe */
	CHECK_EQ(out[0], 0xfb);
	CHECK_EQ(base64_decode(SPAN_LIT("a b"), out), -1);
	CHECK_EQ(base64_decode(SPAN_LIT("ab=c"), out), -1);
	base64_encode(&b, (const unsigned char *)"\xff\xfe", 2);
	CHECK_SPAN(buf_unread(&b), "//4=");
	buf_free(&b);
}

TEST(server_cookies)
{
	struct span rest = SPAN_LIT(" a=1;b = two ;; flag; c="), n, v;

	CHECK(req_cookie_next(&rest, &n, &v));
	CHECK_SPAN(n, "a");
	CHECK_SPAN(v, "1");
	CHECK(req_cookie_next(&rest, &n, &v));
	CHECK_SPAN(n, "b");
	CHECK_SPAN(v, "two");
	CHECK(req_cookie_next(&rest, &n, &v));
	CHECK_SPAN(n, "flag");
	CHECK_EQ(v.len, 0);
	CHECK(req_cookie_next(&rest, &n, &v));
	CHECK_SPAN(n, "c");
	CHECK_EQ(v.len, 0);
	CHECK(!req_cookie_next(&rest, &n, &v));
}

/* ---- the event loop ---- */

struct loop_log {
	char seq[16];
	int n;
	long long cancel;
};

static void
note_timer(struct loop *l, long long id, void *arg)
{
	struct loop_log *g = arg;

	(void)id;
	g->seq[g->n++] = 'T';
	if (g->cancel)
		loop_del_timer(l, g->cancel);
	if (g->n >= 3)
		loop_stop(l);
}

static void
note_a(struct loop *l, long long id, void *arg)
{
	struct loop_log *g = arg;

	(void)id;
	g->seq[g->n++] = 'a';
	loop_add_timer(l, 5, note_timer, g);	/* added from a callback */
	(void)l;
}

static void
note_never(struct loop *l, long long id, void *arg)
{
	struct loop_log *g = arg;

	(void)l;
	(void)id;
	g->seq[g->n++] = 'X';
}

TEST(server_loop_timers)
{
	struct loop *l = loop_new();
	struct loop_log g = { .n = 0 };

	CHECK(l != NULL);
	loop_add_timer(l, 1, note_a, &g);
	long long never = loop_add_timer(l, 40, note_never, &g);

	g.cancel = never;	/* the first 'T' cancels it */
	loop_add_timer(l, 20, note_timer, &g);
	CHECK_EQ(loop_run(l), 0);
	g.seq[g.n] = 0;
	CHECK_STR(g.seq, "aTT");
	loop_free(l);
}

struct pipe_state {
	int reads, writes;
	char got[8];
};

static void
on_pipe(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct pipe_state *p = arg;

	if (ev & LOOP_WRITE) {
		CHECK_EQ(write(fd, "hi", 2), 2);
		p->writes++;
		loop_mod_fd(l, fd, 0);
	}
	if (ev & LOOP_READ) {
		CHECK_EQ(read(fd, p->got, sizeof p->got), 2);
		p->reads++;
		loop_del_fd(l, fd);
		loop_stop(l);
	}
}

TEST(server_loop_fds)
{
	struct loop *l = loop_new();
	struct pipe_state p = { 0 };
	int fds[2];

	CHECK_EQ(pipe(fds), 0);
	CHECK_EQ(loop_add_fd(l, fds[0], LOOP_READ, on_pipe, &p), 0);
	CHECK_EQ(loop_add_fd(l, fds[1], LOOP_WRITE, on_pipe, &p), 0);
	CHECK_EQ(loop_mod_fd(l, 999, LOOP_READ) < 0, 1);
	loop_del_fd(l, 12345);	/* unknown: ignored */
	CHECK_EQ(loop_run(l), 0);
	CHECK_EQ(p.writes, 1);
	CHECK_EQ(p.reads, 1);
	CHECK(memcmp(p.got, "hi", 2) == 0);
	loop_del_fd(l, fds[1]);
	close(fds[0]);
	close(fds[1]);
	loop_free(l);
}

struct file_state {
	int reads, eof;
	char got[16];
};

static void
on_file(struct loop *l, int fd, unsigned ev, void *arg)
{
	struct file_state *f = arg;
	char b[4];
	ssize_t n;

	CHECK(ev & LOOP_READ);
	n = read(fd, b, sizeof b);	/* small reads: several turns */
	if (n <= 0) {
		f->eof = 1;
		loop_del_fd(l, fd);
		loop_stop(l);
		return;
	}
	memcpy(f->got + f->reads * 4, b, (size_t)n);
	f->reads++;
}

static void
note_stop(struct loop *l, long long id, void *arg)
{
	(void)id;
	(void)arg;
	loop_stop(l);
}

/* epoll refuses a regular file (EPERM); the loop reports it always
 * ready, as poll() does, so `raw < file` works */
TEST(server_loop_regular_file)
{
	struct loop *l = loop_new();
	struct file_state f = { 0 };
	char path[] = "/tmp/httptool-loop-XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	unlink(path);
	CHECK_EQ(write(fd, "abcdefgh", 8), 8);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(loop_add_fd(l, fd, LOOP_READ, on_file, &f), 0);
	CHECK_EQ(loop_mod_fd(l, fd, 0), 0);	/* quiet: not reported */
	loop_add_timer(l, 5, note_stop, NULL);
	CHECK_EQ(loop_run(l), 0);
	CHECK_EQ(f.reads, 0);
	CHECK_EQ(loop_mod_fd(l, fd, LOOP_READ), 0);
	CHECK_EQ(loop_run(l), 0);
	CHECK_EQ(f.reads, 2);
	CHECK_EQ(f.eof, 1);
	CHECK(memcmp(f.got, "abcdefgh", 8) == 0);
	close(fd);
	loop_free(l);
}
