/* test_form.c - urlencoded and multipart/form-data bodies (http/form.c) */
#include <stdio.h>

#include "unit.h"
#include "http/form.h"

static struct span
fg(const char *s)
{
	return (struct span){ unit_guard_str(s), strlen(s) };
}

TEST(form_urlencoded)
{
	struct span rest = fg("a=1&b=x+y%21&&c&=v&d=&e==f&"), n, v;

	CHECK(http_form_next(&rest, &n, &v));
	CHECK_SPAN(n, "a");
	CHECK_SPAN(v, "1");
	CHECK(http_form_next(&rest, &n, &v));
	CHECK_SPAN(n, "b");
	CHECK_SPAN(v, "x+y%21");
	CHECK(http_form_next(&rest, &n, &v));	/* "&&" skipped */
	CHECK_SPAN(n, "c");
	CHECK(v.p == NULL && v.len == 0);
	CHECK(http_form_next(&rest, &n, &v));
	CHECK_SPAN(n, "");
	CHECK_SPAN(v, "v");
	CHECK(http_form_next(&rest, &n, &v));
	CHECK_SPAN(n, "d");
	CHECK(v.p != NULL && v.len == 0);
	CHECK(http_form_next(&rest, &n, &v));
	CHECK_SPAN(n, "e");
	CHECK_SPAN(v, "=f");
	CHECK(!http_form_next(&rest, &n, &v));
	CHECK(!http_form_next(&rest, &n, &v));

	rest = fg("");
	CHECK(!http_form_next(&rest, &n, &v));
	rest = SPAN_NULL;
	CHECK(!http_form_next(&rest, &n, &v));
	rest = fg("&&&");
	CHECK(!http_form_next(&rest, &n, &v));
	rest = fg("k");
	CHECK(http_form_next(&rest, &n, &v));
	CHECK_SPAN(n, "k");
	CHECK(!http_form_next(&rest, &n, &v));
	rest = fg("k=");
	CHECK(http_form_next(&rest, &n, &v));
	CHECK(v.p != NULL && v.len == 0);
	CHECK(!http_form_next(&rest, &n, &v));
}

TEST(form_multipart_boundary)
{
	struct span b;

	CHECK(http_multipart_boundary(fg("multipart/form-data; boundary=abc"),
				      &b));
	CHECK_SPAN(b, "abc");
	CHECK(http_multipart_boundary(
		fg("Multipart/Form-Data;charset=x; BOUNDARY=\"a b:c\""), &b));
	CHECK_SPAN(b, "a b:c");
	CHECK(http_multipart_boundary(fg("multipart/mixed; boundary=----X"),
				      &b));
	CHECK_SPAN(b, "----X");
	CHECK(!http_multipart_boundary(fg("multipart/form-data"), &b));
	CHECK(!http_multipart_boundary(fg("multipart/form-data; boundary="),
				       &b));
	CHECK(!http_multipart_boundary(fg("multipart/form-data; boundary=\"\""),
				       &b));
	CHECK(!http_multipart_boundary(fg("multipart/form-data; boundary=\"ab"),
				       &b));
	CHECK(!http_multipart_boundary(fg("text/plain; boundary=abc"), &b));
	CHECK(!http_multipart_boundary(fg("multipart/form-data; boundary=\"a\rb\""),
				       &b));
	CHECK(!http_multipart_boundary(fg(""), &b));
	CHECK(!http_multipart_boundary(SPAN_NULL, &b));
	/* 70 characters is the limit */
	char ct[128] = "multipart/form-data; boundary=";
	size_t n = strlen(ct);
	memset(ct + n, 'x', 70);
	ct[n + 70] = 0;
	CHECK(http_multipart_boundary(fg(ct), &b));
	CHECK_EQ(b.len, 70);
	ct[n + 70] = 'x';
	ct[n + 71] = 0;
	CHECK(!http_multipart_boundary(fg(ct), &b));
}

static const char mp_crlf[] =
	"preamble, ignored\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"field\"\r\n"
	"\r\n"
	"value one\r\n"
	"--XyZ  \r\n"				/* transport padding */
	"content-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
	"Content-Type:  text/plain \r\n"
	"\r\n"
	"line1\r\n--XyZnot-a-delimiter\r\n\r\n"
	"\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=empty\r\n"
	"\r\n"
	"\r\n"
	"--XyZ--\r\n"
	"epilogue, ignored\r\n";

TEST(form_multipart_crlf)
{
	struct http_multipart m;
	struct http_part p;

	http_multipart_init(&m, fg(mp_crlf), SPAN_LIT("XyZ"));
	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.name, "field");
	CHECK(p.filename.p == NULL);
	CHECK(p.content_type.p == NULL);
	CHECK_SPAN(p.body, "value one");
	CHECK_SPAN(p.headers,
		   "Content-Disposition: form-data; name=\"field\"\r\n");

	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.name, "file");
	CHECK_SPAN(p.filename, "a.txt");
	CHECK_SPAN(p.content_type, "text/plain");
	CHECK_SPAN(p.body, "line1\r\n--XyZnot-a-delimiter\r\n\r\n");

	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.name, "empty");
	CHECK_SPAN(p.body, "");
	CHECK(m.done);		/* that delimiter was the closing one */

	CHECK(!http_multipart_next(&m, &p));
	CHECK(!m.malformed);
	CHECK(!http_multipart_next(&m, &p));
}

TEST(form_multipart_lf_and_edges)
{
	struct http_multipart m;
	struct http_part p;

	/* bare LF everywhere, no preamble, closing delimiter at the end */
	http_multipart_init(&m, fg("--b\nContent-Disposition: form-data; "
				   "name=a\n\nA\n--b\n\nno headers\n--b--"),
			    SPAN_LIT("b"));
	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.name, "a");
	CHECK_SPAN(p.body, "A");
	CHECK(http_multipart_next(&m, &p));
	CHECK(p.name.p == NULL);
	CHECK_SPAN(p.headers, "");
	CHECK_SPAN(p.body, "no headers");
	CHECK(m.done);
	CHECK(!http_multipart_next(&m, &p));
	CHECK(!m.malformed);

	/* no parts at all */
	http_multipart_init(&m, fg("--b--\r\n"), SPAN_LIT("b"));
	CHECK(!http_multipart_next(&m, &p));
	CHECK(m.done && !m.malformed);

	/* body with CR LF pairs in it and a body ending in CR */
	http_multipart_init(&m, fg("--b\r\n\r\n\r\r\n\r\n--b--"),
			    SPAN_LIT("b"));
	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.body, "\r\r\n");
	CHECK(m.done);

	/* lenient: the blank line doubles as the delimiter's line break */
	http_multipart_init(&m, fg("--b\r\nX: y\r\n\r\n--b--"), SPAN_LIT("b"));
	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.body, "");
	CHECK_SPAN(p.headers, "X: y\r\n");
	CHECK(m.done);

	/* a boundary-lookalike in the preamble does not start the body */
	http_multipart_init(&m, fg("x--b\r\n--bb\r\n--b\r\n\r\nv\r\n--b--"),
			    SPAN_LIT("b"));
	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.body, "v");
}

TEST(form_multipart_malformed)
{
	static const char *const bad[] = {
		"",					/* empty */
		"no delimiter at all",
		"--b",					/* cut in the delimiter line */
		"--b\r",
		"--bx\r\n\r\nv\r\n--bx--",		/* only lookalikes */
		"--b\r\nContent-Type: x\r\n",		/* headers never end */
		"--b\r\nContent-Type: x",
		"--b\r\n\r\nbody, never closed",	/* no next delimiter */
		"--b\r\n\r\nbody\r\n--b",		/* cut after "--b" */
		"--b\r\n\r\nbody\r\n--b-",
		"--b\r\nno colon here\r\n\r\nv\r\n--b--",
		"--b\r\n: empty name\r\n\r\nv\r\n--b--",
		"--b\r\nA: \"unterminated\r\n\r\n",
	};
	struct http_multipart m;
	struct http_part p;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		http_multipart_init(&m, fg(bad[i]), SPAN_LIT("b"));
		int parts = 0;
		while (http_multipart_next(&m, &p) && parts < 10)
			parts++;
		CHECK_EQ(parts, 0);
		if (!CHECK(m.malformed))
			printf("      case %zu\n", i);
		CHECK(p.body.p == NULL && p.name.p == NULL);
	}

	/* a lookalike, then only the closing delimiter: all preamble */
	http_multipart_init(&m, fg("--bx\r\n\r\nv\r\n--b--"), SPAN_LIT("b"));
	CHECK(!http_multipart_next(&m, &p));
	CHECK(m.done && !m.malformed);

	/* a good part before the damage is still delivered */
	http_multipart_init(&m, fg("--b\r\n\r\none\r\n--b\r\n\r\ntwo"),
			    SPAN_LIT("b"));
	CHECK(http_multipart_next(&m, &p));
	CHECK_SPAN(p.body, "one");
	CHECK(!http_multipart_next(&m, &p));
	CHECK(m.malformed && !m.done);

	/* missing boundary or body */
	http_multipart_init(&m, fg("--\r\n"), SPAN_NULL);
	CHECK(!http_multipart_next(&m, &p));
	CHECK(m.malformed);
	http_multipart_init(&m, SPAN_NULL, SPAN_LIT("b"));
	CHECK(!http_multipart_next(&m, &p));
	CHECK(m.malformed);
}

TEST(form_multipart_every_prefix)
{
	/* every truncation of a good body stays in bounds and never
	 * reports more parts than are complete */
	size_t len = strlen(mp_crlf);

	for (size_t n = 0; n <= len; n++) {
		struct http_multipart m;
		struct http_part p;
		int parts = 0;

		http_multipart_init(&m, (struct span){ unit_guard(mp_crlf, n), n },
				    SPAN_LIT("XyZ"));
		while (http_multipart_next(&m, &p))
			parts++;
		CHECK(parts <= 3);
		CHECK(m.done || m.malformed);
		if (m.done)
			CHECK_EQ(parts, 3);
		if (n % 64 == 63)
			unit_guard_release();
	}
}
