/* test_header.c - header lookup, lists, tokens, parameters (http/header.c) */
#include "unit.h"
#include "http/header.h"

/* guarded span: a read past its end crashes */
static struct span
hg(const char *s)
{
	return (struct span){ unit_guard_str(s), strlen(s) };
}

static struct http_header hdrs[8];

static struct http_msg
msg_with(const char *const *nv, size_t n)
{
	struct http_msg m = { .headers = hdrs, .max_headers = 8 };

	for (size_t i = 0; i < n; i++) {
		hdrs[i].name = hg(nv[2 * i]);
		hdrs[i].value = hg(nv[2 * i + 1]);
	}
	m.nheaders = n;
	return m;
}

TEST(header_find_case_insensitive)
{
	const char *nv[] = { "Host", "a", "content-TYPE", "text/plain",
			     "Set-Cookie", "x=1", "set-cookie", "y=2" };
	struct http_msg m = msg_with(nv, 4);
	const struct http_header *h;

	CHECK(http_header_find(&m, "host") == &hdrs[0]);
	CHECK(http_header_find(&m, "Content-Type") == &hdrs[1]);
	CHECK(http_header_find(&m, "content-length") == NULL);
	CHECK(http_header_find(&m, "hos") == NULL);
	CHECK(http_header_find(&m, "hostx") == NULL);
	CHECK(http_header_find(&m, "") == NULL);
	CHECK_SPAN(http_header_value(&m, "CONTENT-type"), "text/plain");
	CHECK(http_header_value(&m, "nope").p == NULL);
	CHECK_EQ(http_header_value(&m, "nope").len, 0);

	h = http_header_next(&m, "set-cookie", NULL);
	CHECK(h == &hdrs[2]);
	h = http_header_next(&m, "set-cookie", h);
	CHECK(h == &hdrs[3]);
	CHECK(http_header_next(&m, "set-cookie", h) == NULL);
	/* a prev that is not one of msg's headers ends the walk */
	CHECK(http_header_next(&m, "host", &hdrs[7]) == NULL);
}

TEST(header_find_empty_msg)
{
	struct http_msg m = { 0 };

	CHECK(http_header_find(&m, "host") == NULL);
	CHECK(http_header_value(&m, "host").p == NULL);
	CHECK(!http_header_has_token(&m, "connection", "close"));
}

TEST(header_list_next)
{
	struct span rest = hg(" a, ,b ,\t,  c  d ,"), item;

	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "a");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "b");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "c  d");
	CHECK(!http_list_next(&rest, &item));
	CHECK(!http_list_next(&rest, &item));

	rest = hg("");
	CHECK(!http_list_next(&rest, &item));
	rest = hg(",,, ,");
	CHECK(!http_list_next(&rest, &item));
	rest = hg("x");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "x");
	CHECK(!http_list_next(&rest, &item));

	/* a comma inside a quoted-string does not split */
	rest = hg("W/\"a,b\", \"c\\\",d\",e");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "W/\"a,b\"");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "\"c\\\",d\"");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "e");
	CHECK(!http_list_next(&rest, &item));

	/* unterminated quote and trailing backslash: stay in bounds */
	rest = hg("a, \"b,c\\");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "a");
	CHECK(http_list_next(&rest, &item));
	CHECK_SPAN(item, "\"b,c\\");
	CHECK(!http_list_next(&rest, &item));
}

TEST(header_has_token)
{
	const char *nv[] = { "Connection", "keep-alive, Upgrade",
			     "connection", "  CLOSE ",
			     "Transfer-Encoding", "gzip;q=1, chunked",
			     "Upgrade", "websocket" };
	struct http_msg m = msg_with(nv, 4);

	CHECK(http_header_has_token(&m, "connection", "close"));
	CHECK(http_header_has_token(&m, "connection", "upgrade"));
	CHECK(http_header_has_token(&m, "Connection", "keep-alive"));
	CHECK(!http_header_has_token(&m, "connection", "keep"));
	CHECK(!http_header_has_token(&m, "connection", "alive"));
	CHECK(http_header_has_token(&m, "transfer-encoding", "chunked"));
	CHECK(http_header_has_token(&m, "transfer-encoding", "gzip"));
	CHECK(!http_header_has_token(&m, "transfer-encoding", "q=1"));
	CHECK(!http_header_has_token(&m, "upgrade", "close"));
	CHECK(!http_header_has_token(&m, "te", "trailers"));
}

TEST(header_param_find)
{
	struct span v;

	CHECK(http_param_find(hg("text/html; charset=utf-8"), "charset", &v));
	CHECK_SPAN(v, "utf-8");
	CHECK(http_param_find(hg("text/html;CHARSET = \"UTF-8\" ;x=y"),
			      "charset", &v));
	CHECK_SPAN(v, "UTF-8");
	CHECK(http_param_find(hg("text/html;charset=a;x=y"), "x", &v));
	CHECK_SPAN(v, "y");
	CHECK(!http_param_find(hg("text/html"), "charset", &v));
	CHECK(!http_param_find(hg(""), "charset", &v));
	CHECK(!http_param_find(SPAN_NULL, "charset", &v));
	/* the media type itself is not a parameter */
	CHECK(!http_param_find(hg("charset=x"), "charset", &v));
	/* a name without '=' has no value */
	CHECK(!http_param_find(hg("a/b; charset; x=1"), "charset", &v));
	CHECK(http_param_find(hg("a/b; charset; x=1"), "x", &v));
	CHECK_SPAN(v, "1");

	/* Content-Disposition: filename vs filename*, quoted ';' and '=' */
	v = hg("form-data; name=\"a;b=c\"; filename*=UTF-8''x; filename=\"f.txt\"");
	{
		struct span out;
		CHECK(http_param_find(v, "name", &out));
		CHECK_SPAN(out, "a;b=c");
		CHECK(http_param_find(v, "filename", &out));
		CHECK_SPAN(out, "f.txt");
		CHECK(http_param_find(v, "filename*", &out));
		CHECK_SPAN(out, "UTF-8''x");
		CHECK(!http_param_find(v, "file", &out));
	}
	/* escapes are left as they are; empty quoted value */
	CHECK(http_param_find(hg("x/y; a=\"q\\\"r\"; b=\"\""), "a", &v));
	CHECK_SPAN(v, "q\\\"r");
	CHECK(http_param_find(hg("x/y; a=\"q\\\"r\"; b=\"\""), "b", &v));
	CHECK_SPAN(v, "");
	CHECK(v.p != NULL);
	CHECK(http_param_find(hg("x/y; a="), "a", &v));
	CHECK_SPAN(v, "");

	/* hostile: unterminated quotes, dangling separators */
	CHECK(!http_param_find(hg("x/y; a=\"abc"), "a", &v));
	CHECK(!http_param_find(hg("x/y; a=\"abc\\"), "a", &v));
	CHECK(!http_param_find(hg("x/y; a=\""), "a", &v));
	CHECK(!http_param_find(hg("x/y;"), "a", &v));
	CHECK(!http_param_find(hg(";"), "a", &v));
	CHECK(!http_param_find(hg("x/y; ;;=;"), "a", &v));
	CHECK(!http_param_find(hg("\"x;a=1"), "a", &v));
	CHECK(http_param_find(hg("x/y; a=\"1\"junk; b=2"), "b", &v));
	CHECK_SPAN(v, "2");
}

TEST(header_media_type)
{
	CHECK_SPAN(http_media_type(hg(" text/HTML ; charset=utf-8")),
		   "text/HTML");
	CHECK_SPAN(http_media_type(hg("application/json")), "application/json");
	CHECK_SPAN(http_media_type(hg("")), "");
	CHECK_SPAN(http_media_type(hg(";a=b")), "");
	CHECK(http_media_type(SPAN_NULL).p == NULL);
}
