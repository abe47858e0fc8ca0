/*
 * req.c - request helpers for handlers (see req.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "http/form.h"
#include "http/header.h"
#include "http/url.h"
#include "server/req.h"

bool
req_query(const struct req *r, const char *name, char *out, size_t size)
{
	struct span rest = r->query, n, v;

	if (!rest.p || size == 0)
		return false;
	while (http_form_next(&rest, &n, &v)) {
		char nb[256];
		long nl;

		if (n.len >= sizeof nb)
			continue;
		nl = http_pct_decode(n, nb, true);
		if (nl < 0 || (size_t)nl != strlen(name) ||
		    memcmp(nb, name, (size_t)nl) != 0)
			continue;
		if (v.len >= size)
			v.len = size - 1;
		long vl = v.p ? http_pct_decode(v, out, true) : 0;

		out[vl < 0 ? 0 : vl] = 0;
		return true;
	}
	return false;
}

bool
req_cookie_next(struct span *rest, struct span *name, struct span *value)
{
	while (rest->len) {
		const char *semi = memchr(rest->p, ';', rest->len);
		size_t n = semi ? (size_t)(semi - rest->p) : rest->len;
		struct span item = span_trim((struct span){ rest->p, n });

		rest->p += n + (semi ? 1 : 0);
		rest->len -= n + (semi ? 1 : 0);
		if (!item.len)
			continue;
		const char *eq = memchr(item.p, '=', item.len);

		if (!eq) {
			*name = item;
			*value = (struct span){ item.p + item.len, 0 };
		} else {
			*name = span_trim((struct span){ item.p,
				(size_t)(eq - item.p) });
			*value = span_trim((struct span){ eq + 1,
				item.len - (size_t)(eq - item.p) - 1 });
		}
		return true;
	}
	return false;
}

bool
req_cookie(const struct req *r, const char *name, struct span *value)
{
	const struct http_header *h = NULL;

	while ((h = http_header_next(r->msg, "cookie", h))) {
		struct span rest = h->value, n, v;

		while (req_cookie_next(&rest, &n, &v))
			if (span_eq(n, name)) {
				*value = v;
				return true;
			}
	}
	return false;
}

struct span
req_host(const struct req *r)
{
	struct span h = http_header_value(r->msg, "host");

	if (h.p && h.len)
		return h;
	return span_from(r->srv->host);
}

bool
req_tail_num(const struct req *r, const char *prefix, long long max,
	     long long *out)
{
	size_t pl = strlen(prefix);
	unsigned long long v;

	if (r->path_len <= pl || strncmp(r->path, prefix, pl) != 0)
		return false;
	struct span t = { r->path + pl, r->path_len - pl };

	if (!span_to_u64(t, &v) || v > (unsigned long long)max)
		return false;
	*out = (long long)v;
	return true;
}

void
req_random(void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom((char *)p + got, n - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
}
