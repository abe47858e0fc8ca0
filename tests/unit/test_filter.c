/*
 * test_filter.c - display filters (capture/filter.h): syntax, Wireshark's
 * multi-value semantics through a fake lookup callback, every compile
 * error with its exact offset, length and tshark wording, the printed
 * caret line, and hostile inputs placed against a guard page.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/filter.h"
#include "unit.h"

/* A fake record: any number of values per field. */
#define REC_MAX 200
struct rec {
	struct filter_value v[FF__COUNT][REC_MAX];
	int n[FF__COUNT];
	int lookups;
};

static int
rec_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	struct rec *r = ctx;

	r->lookups++;
	for (int i = 0; i < r->n[field] && i < max; i++)
		out[i] = r->v[field][i];
	return r->n[field];
}

static struct filter_value *
rec_add(struct rec *r, int field)
{
	struct filter_value *v = &r->v[field][r->n[field]++];

	memset(v, 0, sizeof *v);
	return v;
}

static void
rec_str(struct rec *r, int field, const char *s)
{
	struct filter_value *v = rec_add(r, field);

	v->type = FV_STR;
	v->s = span_from(s);
}

static void
rec_int(struct rec *r, int field, long long i)
{
	struct filter_value *v = rec_add(r, field);

	v->type = FV_INT;
	v->i = i;
}

static void
rec_addr(struct rec *r, int field, const char *a)
{
	struct filter_value *v = rec_add(r, field);

	v->type = FV_ADDR;
	v->addr_len = strchr(a, ':') ? 16 : 4;
	inet_pton(v->addr_len == 16 ? AF_INET6 : AF_INET, a, v->addr);
}

/* A GET from 127.0.0.1:40000 to 10.1.2.3:80, frame 7, stream 2. */
static void
rec_http_get(struct rec *r)
{
	memset(r, 0, sizeof *r);
	rec_add(r, FF_HTTP);
	rec_add(r, FF_HTTP_REQUEST);
	rec_str(r, FF_HTTP_REQUEST_METHOD, "GET");
	rec_str(r, FF_HTTP_REQUEST_URI, "/index.html?q=1");
	rec_str(r, FF_HTTP_HOST, "Example.com");
	rec_str(r, FF_HTTP_COOKIE, "a=1");
	rec_str(r, FF_HTTP_COOKIE, "session=xyz");
	rec_str(r, FF_HTTP_USER_AGENT, "curl/8.0");
	rec_add(r, FF_TCP);
	rec_int(r, FF_TCP_PORT, 40000);
	rec_int(r, FF_TCP_PORT, 80);
	rec_int(r, FF_TCP_SRCPORT, 40000);
	rec_int(r, FF_TCP_DSTPORT, 80);
	rec_int(r, FF_TCP_STREAM, 2);
	rec_add(r, FF_IP);
	rec_addr(r, FF_IP_ADDR, "127.0.0.1");
	rec_addr(r, FF_IP_ADDR, "10.1.2.3");
	rec_addr(r, FF_IP_SRC, "127.0.0.1");
	rec_addr(r, FF_IP_DST, "10.1.2.3");
	rec_int(r, FF_FRAME_NUMBER, 7);
	rec_int(r, FF_FRAME_LEN, 144);
}

/* Compile (which must succeed) and match; -1 when it does not compile. */
static int
match(const char *text, struct rec *r)
{
	struct filter_error err;
	struct filter *f = filter_compile_n(unit_guard_str(text), strlen(text),
					    &err);
	bool m;

	if (!f) {
		printf("    filter '%s': %s (at %zu)\n", text, err.msg, err.offset);
		return -1;
	}
	m = filter_match(f, rec_lookup, r);
	filter_free(f);
	return m;
}

TEST(filter_field_table)
{
	size_t n;
	const struct filter_field_info *fi = filter_fields(&n);

	CHECK_EQ(n, FF__COUNT);
	for (size_t i = 0; i < n; i++) {
		CHECK_EQ(fi[i].id, i);
		CHECK(filter_field_find(fi[i].name, strlen(fi[i].name)) == &fi[i]);
		CHECK(strstr(" protocol string unsigned address time boolean ether bytes ",
			     fi[i].type) != NULL);
		CHECK(fi[i].desc && fi[i].desc[0]);
	}
	CHECK_STR(fi[FF_HTTP_SET_COOKIE].name, "http.set_cookie");
	CHECK_STR(fi[FF_IPV6_DST].name, "ipv6.dst");
	CHECK_STR(fi[FF_HTTP_TIME].type, "time");
	CHECK(filter_field_find("http.hos", 8) == NULL);
}

TEST(filter_blank_matches_all)
{
	struct rec r;
	struct filter *f;

	memset(&r, 0, sizeof r);
	CHECK_EQ(match("", &r), 1);
	CHECK_EQ(match(" \t\n ", &r), 1);
	CHECK(filter_match(NULL, rec_lookup, &r));
	f = filter_compile("  ", NULL);
	CHECK(f != NULL);
	CHECK(filter_match(f, rec_lookup, &r));
	CHECK_EQ(r.lookups, 0);
	filter_free(f);
	filter_free(NULL);
}

TEST(filter_existence_and_logic)
{
	static struct rec r;

	rec_http_get(&r);
	CHECK_EQ(match("http", &r), 1);
	CHECK_EQ(match("http.request", &r), 1);
	CHECK_EQ(match("http.response", &r), 0);
	CHECK_EQ(match("ipv6", &r), 0);
	CHECK_EQ(match("!ipv6 && http.host", &r), 1);
	CHECK_EQ(match("not ipv6 and tcp", &r), 1);
	CHECK_EQ(match("ipv6 || http.response || tcp", &r), 1);
	CHECK_EQ(match("ipv6 or http.response", &r), 0);
	/* && binds tighter than ||, ! tighter than both */
	CHECK_EQ(match("tcp || ipv6 && http.response", &r), 1);
	CHECK_EQ(match("(tcp || ipv6) && http.response", &r), 0);
	CHECK_EQ(match("!tcp || tcp", &r), 1);
	CHECK_EQ(match("!(tcp || ipv6)", &r), 0);
	CHECK_EQ(match("!!tcp", &r), 1);
	CHECK_EQ(match("not not not tcp", &r), 0);
	CHECK_EQ(match("!tcp.port == 80", &r), 0);	/* !(tcp.port == 80) */
	CHECK_EQ(match("((((http))))", &r), 1);
}

TEST(filter_multivalue_semantics)
{
	static struct rec r;

	rec_http_get(&r);	/* tcp.port is {40000, 80} */
	CHECK_EQ(match("tcp.port == 80", &r), 1);
	CHECK_EQ(match("tcp.port eq 40000", &r), 1);
	CHECK_EQ(match("tcp.port == 81", &r), 0);
	/* != is all_ne: no value equals (Wireshark 4) */
	CHECK_EQ(match("tcp.port != 80", &r), 0);
	CHECK_EQ(match("tcp.port ne 81", &r), 1);
	CHECK_EQ(match("tcp.port all_ne 81", &r), 1);
	CHECK_EQ(match("!(tcp.port == 80)", &r), 0);
	/* === all equal, !== any differs */
	CHECK_EQ(match("tcp.port === 80", &r), 0);
	CHECK_EQ(match("tcp.dstport === 80", &r), 1);
	CHECK_EQ(match("tcp.port !== 80", &r), 1);
	CHECK_EQ(match("tcp.dstport any_ne 80", &r), 0);
	/* ordering: any value */
	CHECK_EQ(match("tcp.port < 81", &r), 1);
	CHECK_EQ(match("tcp.port > 39999", &r), 1);
	CHECK_EQ(match("tcp.port > 40000", &r), 0);
	CHECK_EQ(match("tcp.port ge 40000 && tcp.port le 80", &r), 1);
	CHECK_EQ(match("tcp.port gt 40000 || tcp.port lt 80", &r), 0);
	/* absent fields: every comparison is false, != too (as in tshark) */
	CHECK_EQ(match("http.response.code == 200", &r), 0);
	CHECK_EQ(match("http.response.code != 200", &r), 0);
	CHECK_EQ(match("http.response.code !== 200", &r), 0);
	CHECK_EQ(match("http.response.code === 200", &r), 0);
	CHECK_EQ(match("!(http.response.code == 200)", &r), 1);
	/* cookies: two values */
	CHECK_EQ(match("http.cookie == \"session=xyz\"", &r), 1);
	CHECK_EQ(match("http.cookie contains \"a=\"", &r), 1);
	CHECK_EQ(match("http.cookie != \"a=1\"", &r), 0);
}

TEST(filter_many_values)
{
	static struct rec r;
	static char names[REC_MAX][16];
	struct filter *f;

	memset(&r, 0, sizeof r);
	for (int i = 0; i < REC_MAX; i++) {
		snprintf(names[i], sizeof names[i], "c%d=v", i);
		rec_str(&r, FF_HTTP_COOKIE, names[i]);
	}
	CHECK_EQ(match("http.cookie == \"c0=v\"", &r), 1);
	CHECK_EQ(match("http.cookie == \"c199=v\"", &r), 1);
	CHECK_EQ(match("http.cookie == \"c200=v\"", &r), 0);
	CHECK_EQ(match("http.cookie != \"c200=v\"", &r), 1);
	CHECK_EQ(match("http.cookie != \"c150=v\"", &r), 0);
	CHECK_EQ(match("http.cookie matches \"^C17[0-9]=\"", &r), 1);
	f = filter_compile("http.cookie === \"c1=v\"", NULL);
	CHECK(f && !filter_match(f, rec_lookup, &r));
	filter_free(f);
}

TEST(filter_strings)
{
	static struct rec r;

	rec_http_get(&r);
	CHECK_EQ(match("http.request.method == \"GET\"", &r), 1);
	CHECK_EQ(match("http.request.method == GET", &r), 1);	/* bare word */
	CHECK_EQ(match("http.request.method == \"get\"", &r), 0);
	CHECK_EQ(match("http.request.method in {POST, \"GET\"}", &r), 1);
	CHECK_EQ(match("http.request.uri == /index.html", &r), 0);
	CHECK_EQ(match("http.request.uri contains \"index\"", &r), 1);
	CHECK_EQ(match("http.request.uri == \"/index.html?q=1\"", &r), 1);
	CHECK_EQ(match("http.host contains \"example\"", &r), 0);  /* case */
	CHECK_EQ(match("http.host matches \"^example\\\\.COM$\"", &r), 1);
	CHECK_EQ(match("http.host ~ \"exa\"", &r), 1);
	CHECK_EQ(match("http.host matches \"^exa$\"", &r), 0);
	CHECK_EQ(match("http.host matches \"^[[:alpha:]]{1,7}\\\\.c[]o]{1,2}m?$\"",
		       &r), 1);
	CHECK_EQ(match("http.host matches \"(x|e){1,2}[a-z]{1,900}\"", &r), 1);
	CHECK_EQ(match("http.host matches \"^(e(x|y)?){1,3}a.*?m$\"", &r), 1);
	CHECK_EQ(match("http.host matches \"\\\\bcom$\"", &r), 1);
	CHECK_EQ(match("http.host contains \"\"", &r), 1);
	CHECK_EQ(match("http.host > \"Ex\" && http.host < \"F\"", &r), 1);
	CHECK_EQ(match("http.host == \"\\x45xample.com\"", &r), 1);
	CHECK_EQ(match("http.host == \"\\105xample\\056com\"", &r), 1);
	CHECK_EQ(match("http.host == \"\\u0045xample.com\"", &r), 1);
	CHECK_EQ(match("http.user_agent == r\"curl/8.0\"", &r), 1);
	CHECK_EQ(match("http.user_agent matches r\"^curl/8\\.0$\"", &r), 1);
	CHECK_EQ(match("http.user_agent contains http.cookie", &r), 0);
	CHECK_EQ(match("http.host == http.host", &r), 1);
}

TEST(filter_string_escapes_and_binary_values)
{
	static struct rec r;
	struct filter_value *v;

	memset(&r, 0, sizeof r);
	v = rec_add(&r, FF_HTTP_HOST);
	v->type = FV_STR;
	/* not NUL-terminated, a NUL inside, ends at the guard page */
	v->s = (struct span){ unit_guard("a\0\"b\\\xc3\xa9", 7), 7 };
	CHECK_EQ(match("http.host == \"a\\0\\\"b\\\\\\u00e9\"", &r), 1);
	CHECK_EQ(match("http.host == \"a\\x00\\x22b\\x5c\\xc3\\xa9\"", &r), 1);
	CHECK_EQ(match("http.host contains \"\\0\\\"\"", &r), 1);
	CHECK_EQ(match("http.host matches \"b.\"", &r), 1);
	CHECK_EQ(match("http.host matches \"^a$\"", &r), 0);
	CHECK_EQ(match("http.host contains \"\\xa9\\x00\"", &r), 0);
	CHECK_EQ(match("http.host == \"\\n\\t\\r\\a\\b\\f\\v\\'\\?\"", &r), 0);
}

TEST(filter_numbers_time_frames)
{
	static struct rec r;
	struct filter_value *v;

	rec_http_get(&r);
	CHECK_EQ(match("tcp.port == 0x50", &r), 1);
	CHECK_EQ(match("tcp.port == 0120", &r), 1);		/* octal */
	CHECK_EQ(match("tcp.port == 0b1010000", &r), 1);
	CHECK_EQ(match("tcp.port in {1..79, 81..39999}", &r), 0);
	CHECK_EQ(match("tcp.port in {1..79, 80..80}", &r), 1);
	CHECK_EQ(match("tcp.port not in {80, 443}", &r), 0);
	CHECK_EQ(match("tcp.dstport not in {8080, 443}", &r), 1);
	CHECK_EQ(match("tcp.stream == 2 and frame.number <= 7", &r), 1);
	CHECK_EQ(match("frame.len > 143 && frame.len < 145", &r), 1);
	CHECK_EQ(match("tcp.srcport == tcp.dstport", &r), 0);
	CHECK_EQ(match("tcp.port == tcp.dstport", &r), 1);
	CHECK_EQ(match("tcp.port != tcp.dstport", &r), 0);
	CHECK_EQ(match("tcp.srcport > tcp.dstport", &r), 1);
	CHECK_EQ(match("http.time", &r), 0);
	v = rec_add(&r, FF_HTTP_TIME);
	v->d = 0.25;
	CHECK_EQ(match("http.time > 0.2 && http.time < 1", &r), 1);
	CHECK_EQ(match("http.time >= 1", &r), 0);
	CHECK_EQ(match("http.time == .25", &r), 1);
	CHECK_EQ(match("http.time in {0..0.3}", &r), 1);
}

TEST(filter_addresses)
{
	static struct rec r;

	rec_http_get(&r);
	CHECK_EQ(match("ip.addr == 10.1.2.3", &r), 1);
	CHECK_EQ(match("ip.src == 10.1.2.3", &r), 0);
	CHECK_EQ(match("ip.addr == 127.0.0.0/8", &r), 1);
	CHECK_EQ(match("ip.src == 127.0.0.0/8 && ip.dst == 10.0.0.0/8", &r), 1);
	CHECK_EQ(match("ip.dst == 10.1.2.0/31", &r), 0);
	CHECK_EQ(match("ip.dst == 10.1.2.2/31", &r), 1);
	CHECK_EQ(match("ip.dst == 10.1.2.0/30", &r), 1);
	CHECK_EQ(match("ip.dst == 11.0.0.0/7", &r), 1);	/* 10/7 */
	CHECK_EQ(match("ip.dst == 12.0.0.0/7", &r), 0);
	CHECK_EQ(match("ip.dst == 1.2.3.4/0", &r), 1);
	CHECK_EQ(match("ip.addr != 127.0.0.1", &r), 0);
	CHECK_EQ(match("ip.addr != 192.168.0.0/16", &r), 1);
	CHECK_EQ(match("ip.addr in {192.168.0.0/16, 10.0.0.0/8}", &r), 1);
	CHECK_EQ(match("ip.src > 10.0.0.0 && ip.src < 127.0.0.2", &r), 1);
	CHECK_EQ(match("ip.src == ip.dst", &r), 0);
	CHECK_EQ(match("ipv6.addr == ::1", &r), 0);
	memset(&r, 0, sizeof r);
	rec_add(&r, FF_IPV6);
	rec_addr(&r, FF_IPV6_ADDR, "::1");
	rec_addr(&r, FF_IPV6_ADDR, "fe80::1:2");
	CHECK_EQ(match("ipv6.addr == ::1", &r), 1);
	CHECK_EQ(match("ipv6.addr == FE80::1:2", &r), 1);
	CHECK_EQ(match("ipv6.addr == fe80::/10", &r), 1);
	CHECK_EQ(match("ipv6.addr == fe80::1:3/127", &r), 1);
	CHECK_EQ(match("ipv6.addr == fe80::1:3/128", &r), 0);
	CHECK_EQ(match("ipv6.addr == ::ffff:127.0.0.1", &r), 0);
	CHECK_EQ(match("ip.addr == 127.0.0.1", &r), 0);
}

TEST(filter_short_circuit)
{
	static struct rec r;
	struct filter *f = filter_compile("ipv6 && http.host == \"x\"", NULL);

	rec_http_get(&r);
	CHECK(f != NULL);
	CHECK(!filter_match(f, rec_lookup, &r));
	CHECK_EQ(r.lookups, 1);
	filter_free(f);
}

/* The layers a filter names decide which parts of a frame's tree the
 * sniffer builds for it (frame_tree.c): a wrong answer loses matches. */
static unsigned
layers_of(const char *text)
{
	struct filter *f = filter_compile(text, NULL);
	unsigned l;

	CHECK(f != NULL);
	l = filter_layers(f);
	filter_free(f);
	return l;
}

TEST(filter_layers_named)
{
	CHECK_EQ(filter_layers(NULL), 0);
	CHECK_EQ(layers_of(""), 0);
	CHECK_EQ(layers_of("http.response.code == 200"), FILTER_L_APP);
	CHECK_EQ(layers_of("tcp.port == 80"), FILTER_L_TRANSPORT);
	CHECK_EQ(layers_of("udp || dns.qry.name"), FILTER_L_TRANSPORT);
	CHECK_EQ(layers_of("ip.addr == 127.0.0.1 || ipv6"), FILTER_L_IP);
	CHECK_EQ(layers_of("eth.src"), FILTER_L_LINK);
	CHECK_EQ(layers_of("frame.len > 100"), FILTER_L_FRAME);
	CHECK_EQ(layers_of("frame[0:2] == 00:00"), FILTER_L_FRAME);
	CHECK_EQ(layers_of("frame.protocols contains \"json\""),
		 FILTER_L_FRAME | FILTER_L_APP);
	CHECK_EQ(layers_of("!(tls || websocket) and len(http.host) > 3"),
		 FILTER_L_APP);
	/* a field on the right-hand side counts too */
	CHECK_EQ(layers_of("http.response.code == tcp.srcport"),
		 FILTER_L_APP | FILTER_L_TRANSPORT);
	CHECK_EQ(layers_of("tcp.stream in {1, 2} && ip.ttl > 3 && "
			   "json.key == \"a\""),
		 FILTER_L_TRANSPORT | FILTER_L_IP | FILTER_L_APP);
}
