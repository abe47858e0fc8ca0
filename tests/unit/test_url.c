/* test_url.c - URL/target splitting and percent-coding (http/url.c) */
#include <stdio.h>

#include "unit.h"
#include "http/url.h"

static struct span
ug(const char *s)
{
	return (struct span){ unit_guard_str(s), strlen(s) };
}

static bool
split(const char *s, struct http_url *u)
{
	return http_url_split(ug(s), u);
}

TEST(url_origin_form)
{
	struct http_url u;

	CHECK(split("/a/b%20c?x=1&y=2#top", &u));
	CHECK_SPAN(u.path, "/a/b%20c");
	CHECK_SPAN(u.query, "x=1&y=2");
	CHECK_SPAN(u.fragment, "top");
	CHECK(u.scheme.p == NULL && u.host.p == NULL && u.port.p == NULL);
	CHECK(u.userinfo.p == NULL);
	CHECK_EQ(u.port_num, 0);

	CHECK(split("/", &u));
	CHECK_SPAN(u.path, "/");
	CHECK(u.query.p == NULL && u.fragment.p == NULL);

	/* present but empty query/fragment differ from absent ones */
	CHECK(split("/p?", &u));
	CHECK_SPAN(u.path, "/p");
	CHECK(u.query.p != NULL);
	CHECK_EQ(u.query.len, 0);
	CHECK(u.fragment.p == NULL);
	CHECK(split("/p#", &u));
	CHECK(u.query.p == NULL);
	CHECK(u.fragment.p != NULL && u.fragment.len == 0);
	/* '?' after '#' belongs to the fragment; '#' in the query ends it */
	CHECK(split("/p#f?g", &u));
	CHECK_SPAN(u.fragment, "f?g");
	CHECK(u.query.p == NULL);
	CHECK(split("/p?a?b#c#d", &u));
	CHECK_SPAN(u.query, "a?b");
	CHECK_SPAN(u.fragment, "c#d");
	CHECK(split("//x//y", &u));
	CHECK_SPAN(u.path, "//x//y");
	CHECK(u.host.p == NULL);
}

TEST(url_absolute_form)
{
	struct http_url u;

	CHECK(split("http://example.com/p?q#f", &u));
	CHECK_SPAN(u.scheme, "http");
	CHECK_SPAN(u.host, "example.com");
	CHECK(u.port.p == NULL);
	CHECK_EQ(u.port_num, 80);
	CHECK_SPAN(u.path, "/p");
	CHECK_SPAN(u.query, "q");
	CHECK_SPAN(u.fragment, "f");

	CHECK(split("HTTPS://h", &u));
	CHECK_SPAN(u.scheme, "HTTPS");
	CHECK_EQ(u.port_num, 443);
	CHECK(u.path.p == NULL);

	CHECK(split("http://h:8000", &u));
	CHECK_SPAN(u.host, "h");
	CHECK_SPAN(u.port, "8000");
	CHECK_EQ(u.port_num, 8000);

	CHECK(split("https://h:/x", &u));	/* empty port: the default */
	CHECK_EQ(u.port_num, 443);
	CHECK_SPAN(u.path, "/x");

	CHECK(split("http://h?q", &u));
	CHECK(u.path.p == NULL);
	CHECK_SPAN(u.query, "q");
	CHECK(split("http://h#f", &u));
	CHECK_SPAN(u.host, "h");
	CHECK_SPAN(u.fragment, "f");

	CHECK(split("http://user:pa%20ss@h.example:81/", &u));
	CHECK_SPAN(u.userinfo, "user:pa%20ss");
	CHECK_SPAN(u.host, "h.example");
	CHECK_EQ(u.port_num, 81);
	/* the last '@' ends the userinfo */
	CHECK(split("http://a@b@c/", &u));
	CHECK_SPAN(u.userinfo, "a@b");
	CHECK_SPAN(u.host, "c");
	CHECK(split("http://@h/", &u));
	CHECK(u.userinfo.p != NULL && u.userinfo.len == 0);

	CHECK(split("ws://h/chat", &u));
	CHECK_EQ(u.port_num, 80);
	CHECK(split("ftp://h/f", &u));
	CHECK_EQ(u.port_num, 0);
	CHECK(split("file:///etc/hosts", &u));
	CHECK_SPAN(u.host, "");
	CHECK_SPAN(u.path, "/etc/hosts");
	CHECK(split("mailto:a@b", &u));
	CHECK_SPAN(u.scheme, "mailto");
	CHECK_SPAN(u.path, "a@b");
}

TEST(url_ipv6)
{
	struct http_url u;

	CHECK(split("http://[::1]:8000/x", &u));
	CHECK_SPAN(u.host, "::1");
	CHECK_EQ(u.port_num, 8000);
	CHECK_SPAN(u.path, "/x");
	CHECK(split("http://[2001:db8::7]/", &u));
	CHECK_SPAN(u.host, "2001:db8::7");
	CHECK_EQ(u.port_num, 80);
	CHECK(split("http://u@[::ffff:127.0.0.1]:1", &u));
	CHECK_SPAN(u.userinfo, "u");
	CHECK_SPAN(u.host, "::ffff:127.0.0.1");
	CHECK(split("http://[fe80::1%25eth0]/", &u));
	CHECK_SPAN(u.host, "fe80::1%25eth0");
	CHECK(split("[::1]:8000", &u));		/* authority-form */
	CHECK_SPAN(u.host, "::1");
	CHECK_EQ(u.port_num, 8000);
	CHECK(u.scheme.p == NULL);

	CHECK(!split("http://[::1/", &u));
	CHECK(!split("http://[::1]x/", &u));
	CHECK(!split("http://[::1]:x/", &u));
	CHECK(!split("http://[]/", &u));
	CHECK(!split("http://[1.2.3.4]/", &u));	/* no colon */
	CHECK(!split("http://[::g]/", &u));
	CHECK(!split("http://[fe80::1%eth0]/", &u));
	CHECK(!split("http://[fe80::1%25]/", &u));
	CHECK(!split("http://[fe80::1%25e/th]/", &u));
	CHECK(split("http://[v1.fe:x]/", &u));
	CHECK_SPAN(u.host, "v1.fe:x");
	CHECK(!split("http://[v.x]/", &u));
	CHECK(!split("http://[v1.]/", &u));
	CHECK(!split("http://[v1x]/", &u));
	CHECK(!split("http://[v]/", &u));
	CHECK(!split("[", &u));
	CHECK(!split("[::1]", &u));		/* authority-form needs a port */
}

TEST(url_authority_and_asterisk)
{
	struct http_url u;

	CHECK(split("example.com:443", &u));
	CHECK_SPAN(u.host, "example.com");
	CHECK_SPAN(u.port, "443");
	CHECK_EQ(u.port_num, 443);
	CHECK(u.scheme.p == NULL && u.path.p == NULL);
	CHECK(split("localhost:8080", &u));
	CHECK_EQ(u.port_num, 8080);
	CHECK(split("1.2.3.4:65535", &u));
	CHECK_SPAN(u.host, "1.2.3.4");
	CHECK_EQ(u.port_num, 65535);

	CHECK(split("*", &u));
	CHECK_SPAN(u.path, "*");
	CHECK(u.host.p == NULL);
	CHECK(!split("**", &u));
	CHECK(!split("example.com", &u));
	CHECK(!split(":80", &u));
}

TEST(url_rejects)
{
	struct http_url u;
	static const char *const bad[] = {
		"", " /", "/a b", "/a\tb", "/\x7f", "http://h/\x01",
		"http://", "http:///p", "http:/p", "http:p", "https:",
		"http://h:65536/", "http://h:123456/", "http://h:-1/",
		"http://h:8o/", "http://h h/", "http://h<h/", "http://h:80:80/",
		"1http://h/", "-://h",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		u.port_num = 7;
		if (!CHECK(!split(bad[i], &u)))
			printf("      accepted \"%s\"\n", bad[i]);
		/* a failed split leaves nothing behind */
		CHECK(u.host.p == NULL && u.port_num == 0 && u.path.p == NULL);
	}
	CHECK(!http_url_split(SPAN_NULL, &u));
	CHECK(!http_url_split((struct span){ unit_guard("/a\0b", 4), 4 }, &u));
	CHECK(split("http://h:00080/", &u));
	CHECK_EQ(u.port_num, 80);
	/* bytes >= 0x80 pass through (callers decide) */
	CHECK(split("/caf\xc3\xa9", &u));
}

TEST(url_pct_decode)
{
	char out[64];
	struct span in;

	in = ug("a%20b%2Fc%2fd+e");
	CHECK_EQ(http_pct_decode(in, out, false), 9);
	CHECK(memcmp(out, "a b/c/d+e", 9) == 0);
	CHECK_EQ(http_pct_decode(in, out, true), 9);
	CHECK(memcmp(out, "a b/c/d e", 9) == 0);
	CHECK_EQ(http_pct_decode(ug(""), out, false), 0);
	CHECK_EQ(http_pct_decode(SPAN_NULL, out, false), 0);
	CHECK_EQ(http_pct_decode(ug("%00%ff%FF"), out, false), 3);
	CHECK(out[0] == 0 && (unsigned char)out[1] == 0xff &&
	      (unsigned char)out[2] == 0xff);
	CHECK_EQ(http_pct_decode(ug("%2525"), out, false), 3);
	CHECK(memcmp(out, "%25", 3) == 0);

	/* malformed escapes, the '%' against the guard page */
	static const char *const bad[] = {
		"%", "%4", "a%", "a%2", "%zz", "%4g", "%g4", "% 20", "%%20",
		"ok%2", "%-1", "%+1", "%0x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (!CHECK_EQ(http_pct_decode(ug(bad[i]), out, false), -1))
			printf("      decoded \"%s\"\n", bad[i]);
}

TEST(url_pct_decode_in_place)
{
	char s[] = "x%41%42y+z%7e";
	struct span in = { s, strlen(s) };
	long n = http_pct_decode(in, s, true);

	CHECK_EQ(n, 7);
	CHECK(memcmp(s, "xABy z~", 7) == 0);
}

TEST(url_pct_encode)
{
	struct buf b = BUF_INIT;

	CHECK_EQ(http_pct_encode(&b, ug("a b/c?d=é~-._"), NULL, false), 0);
	CHECK_SPAN(buf_unread(&b), "a%20b%2Fc%3Fd%3D%C3%A9~-._");
	buf_reset(&b);
	CHECK_EQ(http_pct_encode(&b, ug("a b/c?d"), "/?", true), 0);
	CHECK_SPAN(buf_unread(&b), "a+b/c?d");
	buf_reset(&b);
	CHECK_EQ(http_pct_encode(&b, ug("+ %"), "", true), 0);
	CHECK_SPAN(buf_unread(&b), "%2B+%25");
	buf_reset(&b);
	/* NUL bytes are escaped even though strchr(keep, 0) would match */
	CHECK_EQ(http_pct_encode(&b, (struct span){ unit_guard("a\0b", 3), 3 },
				 "x", false), 0);
	CHECK_SPAN(buf_unread(&b), "a%00b");
	buf_reset(&b);
	CHECK_EQ(http_pct_encode(&b, ug(""), NULL, false), 0);
	CHECK_EQ(b.len, 0);
	CHECK_EQ(http_pct_encode(&b, SPAN_NULL, NULL, false), 0);
	/* appends after what b holds */
	buf_puts(&b, "q=");
	CHECK_EQ(http_pct_encode(&b, ug("\x01\xff"), NULL, false), 0);
	CHECK_SPAN(buf_unread(&b), "q=%01%FF");
	CHECK_EQ(b.data[b.len], 0);

	/* round trip of every byte */
	char all[256], back[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	buf_reset(&b);
	CHECK_EQ(http_pct_encode(&b, (struct span){ all, 256 }, NULL, true), 0);
	CHECK_EQ(http_pct_decode(buf_unread(&b), back, true), 256);
	CHECK(memcmp(all, back, 256) == 0);
	buf_free(&b);
}
