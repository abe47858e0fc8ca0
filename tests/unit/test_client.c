/*
 * test_client.c - the client's command-line half: URL shorthands, HTTPie
 * request items, -d/-F arguments and the bodies built from them.  No
 * network, no libcurl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "client/client.h"
#include "client/client_xfer.h"
#include "lib/version.h"
#include "unit.h"

static void
norm(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	char err[128];

	CHECK_EQ(client_url_normalise(in, &b, err, sizeof err), 0);
	CHECK_STR(b.data ? b.data : "", want);
	buf_free(&b);
}

TEST(client_url_shorthands)
{
	struct buf b = BUF_INIT;
	char err[128];

	norm(":8000/x", "http://localhost:8000/x");
	norm(":/x", "http://localhost/x");
	norm("example.org/a", "http://example.org/a");
	norm("https://h:1/p?q", "https://h:1/p?q");
	norm("127.0.0.1:8000", "http://127.0.0.1:8000");
	CHECK(client_url_normalise("", &b, err, sizeof err) < 0);
	norm("http:///x/y", "http://x/y");	/* curl 7.88: a third slash */
	CHECK(client_url_normalise("http:///", &b, err, sizeof err) < 0);
	CHECK(client_url_normalise("http:////x", &b, err, sizeof err) < 0);
	CHECK(client_url_normalise("a b", &b, err, sizeof err) < 0);
	CHECK(strstr(err, "'a b'") != NULL);
	buf_free(&b);
}

TEST(client_url_or_item)
{
	CHECK(client_looks_like_url("http://x/y"));
	CHECK(client_looks_like_url(":8000/x"));
	CHECK(client_looks_like_url("localhost:8000/x"));
	CHECK(client_looks_like_url("127.0.0.1:80"));
	CHECK(client_looks_like_url("[::1]:80/"));
	CHECK(!client_looks_like_url("Accept:text/html"));
	CHECK(!client_looks_like_url("X-Port:8000"));
	CHECK(!client_looks_like_url("a=b"));
	CHECK(!client_looks_like_url("n:=1"));
	CHECK(!client_looks_like_url("q==x"));
	CHECK(client_looks_like_url("example.org/x"));
	CHECK(client_looks_like_url("localhost/x"));
	CHECK(!client_looks_like_url("word"));
	CHECK(!client_looks_like_url("a.b=c"));
	CHECK(!client_looks_like_url("f@a.txt"));
}

TEST(client_items_each_kind)
{
	struct client_cfg cfg;
	char err[256] = "";

	client_cfg_init(&cfg, "t", "POST");
	CHECK_EQ(client_item_add(&cfg, "X-A:b c", err, sizeof err), 0);
	CHECK_EQ(client_item_add(&cfg, "X-Gone:", err, sizeof err), 0);
	CHECK_EQ(client_item_add(&cfg, "X-Empty;", err, sizeof err), 0);
	CHECK_EQ(client_item_add(&cfg, "q==a b&c", err, sizeof err), 0);
	CHECK_EQ(client_item_add(&cfg, "name=x=y", err, sizeof err), 0);
	CHECK_EQ(client_item_add(&cfg, "a\\=b=c", err, sizeof err), 0);
	CHECK_EQ(cfg.headers.n, 3);
	CHECK_STR(cfg.headers.v[0], "X-A: b c");
	CHECK_STR(cfg.headers.v[1], "X-Gone:");
	CHECK_STR(cfg.headers.v[2], "X-Empty;");
	CHECK_EQ(cfg.query.n, 1);
	CHECK_STR(cfg.query.v[0], "q=a+b%26c");
	CHECK_EQ(cfg.nfields, 2);
	CHECK_STR(cfg.fields[0].name, "name");
	CHECK_STR(cfg.fields[0].value, "x=y");
	CHECK_STR(cfg.fields[1].name, "a=b");
	CHECK(!cfg.as_json);
	CHECK_EQ(client_item_add(&cfg, "n:=[1, 2]", err, sizeof err), 0);
	CHECK(cfg.as_json);
	CHECK(cfg.fields[2].raw_json);
	client_cfg_free(&cfg);
}

TEST(client_items_errors_name_the_culprit)
{
	struct client_cfg cfg;
	char err[256] = "";

	client_cfg_init(&cfg, "t", "POST");
	CHECK(client_item_add(&cfg, "n:={", err, sizeof err) < 0);
	CHECK(strstr(err, "malformed JSON") && strstr(err, "'n:={'"));
	err[0] = 0;
	CHECK(client_item_add(&cfg, "f@/no/such/file", err, sizeof err) < 0);
	CHECK(strstr(err, "'/no/such/file'") != NULL);
	err[0] = 0;
	CHECK(client_item_add(&cfg, "v=@/no/such/file", err, sizeof err) < 0);
	CHECK(strstr(err, "cannot read") != NULL);
	err[0] = 0;
	CHECK(client_item_add(&cfg, "justaword", err, sizeof err) < 0);
	CHECK(strstr(err, "'justaword'") != NULL);
	client_cfg_free(&cfg);
}

static const char *
build(struct client_cfg *cfg)
{
	char err[256] = "";

	CHECK_EQ(client_body_build(cfg, err, sizeof err), 0);
	return cfg->body.data ? cfg->body.data : "";
}

TEST(client_body_form_and_json)
{
	struct client_cfg cfg;
	const char *body;
	char err[256] = "";

	client_cfg_init(&cfg, "t", "POST");
	client_item_add(&cfg, "test=hello", err, sizeof err);
	client_item_add(&cfg, "sp=a b", err, sizeof err);
	body = build(&cfg);
	CHECK_STR(body, "test=hello&sp=a+b");
	CHECK_STR(cfg.content_type, "application/x-www-form-urlencoded");
	/* libcurl sends its own urlencoded Content-Type, in curl's place */
	CHECK_EQ(cfg.headers.n, 0);
	client_cfg_free(&cfg);

	client_cfg_init(&cfg, "t", "POST");
	client_item_add(&cfg, "a=1", err, sizeof err);
	client_item_add(&cfg, "b:=true", err, sizeof err);
	client_item_add(&cfg, "q=say \"hi\"", err, sizeof err);
	body = build(&cfg);
	CHECK_STR(body, "{\"a\": \"1\", \"b\": true, \"q\": \"say \\\"hi\\\"\"}");
	CHECK_STR(cfg.headers.v[0], "Accept: application/json, */*;q=0.5");
	CHECK_STR(cfg.headers.v[1], "Content-Type: application/json");
	client_cfg_free(&cfg);
}

TEST(client_body_user_content_type_wins)
{
	struct client_cfg cfg;
	const char *body;
	char err[256] = "";

	client_cfg_init(&cfg, "t", "POST");
	client_item_add(&cfg, "Content-Type:text/plain", err, sizeof err);
	client_data_add(&cfg, 'd', "raw", err, sizeof err);
	client_data_add(&cfg, 'u', "x=a b", err, sizeof err);
	body = build(&cfg);
	CHECK_STR(body, "raw&x=a+b");
	CHECK_EQ(cfg.headers.n, 1);
	client_cfg_free(&cfg);
}

TEST(client_body_multipart)
{
	struct client_cfg cfg;
	char err[256] = "", path[] = "/tmp/httptool-unit-XXXXXX";
	int fd = mkstemp(path);
	const char *body;

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "DATA", 4), 4);
	close(fd);
	client_cfg_init(&cfg, "t", "POST");
	client_item_add(&cfg, "note=hi", err, sizeof err);
	{
		char item[128];
		snprintf(item, sizeof item, "up@%s;type=text/x-test", path);
		CHECK_EQ(client_item_add(&cfg, item, err, sizeof err), 0);
	}
	body = build(&cfg);
	CHECK(strncmp(cfg.content_type, "multipart/form-data; boundary=", 30) == 0);
	CHECK(strstr(body, "name=\"note\"\r\n\r\nhi\r\n") != NULL);
	CHECK(strstr(body, "name=\"up\"; filename=\"httptool-unit-") != NULL);
	CHECK(strstr(body, "Content-Type: text/x-test\r\n\r\nDATA\r\n") != NULL);
	CHECK(strstr(body, "--\r\n") != NULL);
	client_cfg_free(&cfg);
	unlink(path);
}

TEST(client_body_get_moves_data_to_query)
{
	struct client_cfg cfg;
	char err[256] = "", *url;

	client_cfg_init(&cfg, "t", "GET");
	cfg.get_data = true;
	client_strv_add(&cfg.urls, "http://h/p?x=1#frag");
	client_data_add(&cfg, 'd', "a=1", err, sizeof err);
	client_item_add(&cfg, "b=2", err, sizeof err);
	build(&cfg);
	CHECK(!cfg.has_body);
	url = client_url_with_query(&cfg, 0);
	CHECK_STR(url, "http://h/p?x=1&b=2&a=1");
	free(url);
	client_cfg_free(&cfg);
}

TEST(client_body_refuses_mixes)
{
	struct client_cfg cfg;
	char err[256] = "";

	client_cfg_init(&cfg, "t", "POST");
	client_data_add(&cfg, 'd', "a=1", err, sizeof err);
	client_item_add(&cfg, "b=2", err, sizeof err);
	CHECK(client_body_build(&cfg, err, sizeof err) < 0);
	CHECK(strstr(err, "cannot mix") != NULL);
	client_cfg_free(&cfg);
}

TEST(client_form_curl_syntax)
{
	struct client_cfg cfg;
	char err[256] = "";

	client_cfg_init(&cfg, "t", "POST");
	CHECK_EQ(client_form_add(&cfg, "a=b;type=text/x", false, err, sizeof err), 0);
	CHECK_STR(cfg.parts[0].value, "b");
	CHECK_STR(cfg.parts[0].type, "text/x");
	CHECK(client_form_add(&cfg, "noequals", false, err, sizeof err) < 0);
	CHECK(client_form_add(&cfg, "f=@/no/such", false, err, sizeof err) < 0);
	client_cfg_free(&cfg);
}

TEST(client_errmsg_curl_style)
{
	char m[256];

	client_errmsg(m, sizeof m, CURLE_COULDNT_CONNECT,
		      "Failed to connect to 127.0.0.1 port 1 after 0 ms: "
		      "Couldn't connect to server", 111);
	CHECK_STR(m, "failed to connect to 127.0.0.1 port 1: connection refused");
	client_errmsg(m, sizeof m, CURLE_COULDNT_RESOLVE_HOST,
		      "Could not resolve host: nowhere.invalid", 0);
	CHECK_STR(m, "could not resolve host: nowhere.invalid");
	client_errmsg(m, sizeof m, CURLE_SSL_CONNECT_ERROR, "", 0);
	CHECK_STR(m, "SSL connect error");
}

static char *
printed(void (*fn)(const struct client_cfg *, FILE *),
	const struct client_cfg *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	fn(cfg, fp);
	fclose(fp);
	return text;
}

TEST(client_curl_and_offline_text)
{
	struct client_cfg cfg;
	char err[256] = "", want[512], *text;

	client_cfg_init(&cfg, "t", "PUT");
	cfg.pretty = PRETTY_NONE;
	client_strv_add(&cfg.urls, "http://h:8/p");
	client_item_add(&cfg, "X-Q:it's", err, sizeof err);
	client_item_add(&cfg, "a=1", err, sizeof err);
	client_item_add(&cfg, "k==v w", err, sizeof err);
	cfg.follow = true;
	CHECK_EQ(client_body_build(&cfg, err, sizeof err), 0);
	text = printed(client_print_curl, &cfg);
	/* curl --data-binary sends the urlencoded type itself */
	CHECK_STR(text, "curl -X PUT -H 'X-Q: it'\\''s' --data-binary a=1 -L "
		  "'http://h:8/p?k=v+w'\n");
	free(text);
	text = printed(client_print_offline, &cfg);
	snprintf(want, sizeof want, "PUT /p?k=v+w HTTP/1.1\nHost: h:8\n"
		 "User-Agent: httptool/%s\nAccept: */*\nX-Q: it's\n"
		 "Content-Length: 3\n"
		 "Content-Type: application/x-www-form-urlencoded\n"
		 "\na=1\n\n", HTTPTOOL_VERSION);
	CHECK_STR(text, want);
	free(text);
	client_cfg_free(&cfg);
}

#include "cli/cmd.h"

/* Issue 20's "httptool get --help lists every option": no option of any
 * command's table is hidden (a NULL help hides it from --help, the man
 * page and the completions alike), and the printed table names each one
 * with its short form. */
TEST(help_lists_every_option_of_every_table)
{
	for (const struct cmd_entry *const *c = cmd_table; *c; c++) {
		char *text = NULL;
		size_t len = 0;
		FILE *fp;

		if ((*c)->opts == NULL)
			continue;
		fp = open_memstream(&text, &len);
		CHECK(fp != NULL);
		if (fp == NULL)
			return;
		opt_print_table(fp, (*c)->opts);
		fclose(fp);
		for (const struct opt_spec *o = (*c)->opts; o->id; o++) {
			char want[96];
			CHECK(o->help != NULL);
			if (o->short_name && o->long_name)
				snprintf(want, sizeof want, "  -%c, --%s",
					 o->short_name, o->long_name);
			else if (o->long_name)
				snprintf(want, sizeof want, "  --%s", o->long_name);
			else
				snprintf(want, sizeof want, "  -%c", o->short_name);
			if (strstr(text, want) == NULL)
				fprintf(stderr, "%s --help lacks '%s'\n",
					(*c)->name, want);
			CHECK(strstr(text, want) != NULL);
		}
		free(text);
	}
}
