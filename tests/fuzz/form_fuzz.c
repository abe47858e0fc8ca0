/*
 * form_fuzz.c - libFuzzer harness for the request body formats of
 * http/form.h: urlencoded pairs and multipart/form-data.
 *
 * The input is "content-type line \n body".  The body is walked as an
 * urlencoded form (every name and value percent-decoded in place into a
 * copy) and, when the line yields a boundary, as multipart.  Every span
 * handed back must lie inside the body, the walks must end, and a decoded
 * length can never exceed the encoded one.  Built by scripts/fuzz.sh.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "http/url.h"

static void
inside(struct span s, const char *p, size_t len)
{
	if (s.p == NULL) {
		assert(s.len == 0);
		return;
	}
	assert(s.p >= p && s.len <= len && s.p + s.len <= p + len);
}

static void
decode(struct span s)
{
	char *out = malloc(s.len + 1);
	long n;

	if (!out)
		return;
	n = http_pct_decode(s, out, true);
	assert(n >= -1 && n <= (long)s.len);
	free(out);
}

static void
walk_form(const char *p, size_t len)
{
	struct span rest = { p, len }, name, value;
	size_t pairs = 0;

	while (http_form_next(&rest, &name, &value)) {
		inside(name, p, len);
		inside(value, p, len);
		inside(rest, p, len);
		decode(name);
		decode(value);
		assert(++pairs <= len + 1);
	}
}

static void
walk_multipart(struct span ctype, const char *p, size_t len)
{
	struct span boundary;
	struct http_multipart m;
	struct http_part part;
	size_t parts = 0;

	if (!http_multipart_boundary(ctype, &boundary))
		return;
	assert(boundary.p != NULL || boundary.len == 0);
	http_multipart_init(&m, (struct span){ p, len }, boundary);
	while (http_multipart_next(&m, &part)) {
		inside(part.headers, p, len);
		inside(part.name, p, len);
		inside(part.filename, p, len);
		inside(part.content_type, p, len);
		inside(part.body, p, len);
		assert(++parts <= len + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - (const char *)data) : 0;
	size_t off = nl ? hlen + 1 : 0;
	/* an exact-size heap copy so an over-read trips ASan */
	char *body = malloc(size - off + 1);
	char *ct = malloc(hlen + 1);

	if (!body || !ct) {
		free(body);
		free(ct);
		return 0;
	}
	memcpy(ct, data, hlen);
	memcpy(body, data + off, size - off);
	walk_form(body, size - off);
	walk_multipart((struct span){ ct, hlen }, body, size - off);
	free(body);
	free(ct);
	return 0;
}
