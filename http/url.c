/*
 * url.c - request-target and URL splitting, percent-coding (see url.h).
 *
 * Splitting is zero-copy: every part is a span into the input.  It knows
 * the four request-target forms of RFC 9112 §3.2 and the generic URI
 * syntax of RFC 3986 §3 as far as HTTP needs it:
 *
 *   http://user:pw@[::1]:8000/a/b?x=1#frag
 *   \__/   \_____/ \_/ \__/\__/ \_/ \__/
 *  scheme userinfo host port path query fragment
 *
 * Bytes that can never appear in a URL (controls, space, DEL) make the
 * split fail; percent escapes are only checked when decoding.  Only
 * http_pct_encode allocates, into the caller's struct buf.
 *
 * Depends only on buf.h.
 */
#include <errno.h>
#include <string.h>

#include "url.h"

static bool
url_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
url_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
http_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 3986 §2.3 unreserved */
static bool
url_is_unreserved(char c)
{
	return url_is_alpha(c) || url_is_digit(c) || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

/* RFC 3986 §2.2 sub-delims */
static bool
url_is_sub_delim(char c)
{
	return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

static struct span
url_sub(struct span s, size_t from, size_t to)
{
	return (struct span){ s.p + from, to - from };
}

/* Length of a scheme at the start of s followed by ':', or 0. */
static size_t
url_scheme_len(struct span s)
{
	size_t i = 1;

	if (s.len == 0 || !url_is_alpha(s.p[0]))
		return 0;
	while (i < s.len && (url_is_alpha(s.p[i]) || url_is_digit(s.p[i]) ||
			     s.p[i] == '+' || s.p[i] == '-' || s.p[i] == '.'))
		i++;
	return i < s.len && s.p[i] == ':' ? i : 0;
}

/* Port digits (may be empty) into u; false when not a valid port. */
static bool
url_set_port(struct span port, struct http_url *u)
{
	long v = 0;

	u->port = port;
	if (port.len > 5)
		return false;
	for (size_t i = 0; i < port.len; i++) {
		if (!url_is_digit(port.p[i]))
			return false;
		v = v * 10 + (port.p[i] - '0');
	}
	if (v > 65535)
		return false;
	if (port.len > 0)
		u->port_num = (int)v;
	return true;
}

/* RFC 3986 IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
static bool
url_ipvfuture_ok(struct span h)
{
	size_t i = 1;

	while (i < h.len && http_hex_digit(h.p[i]) >= 0)
		i++;
	if (i == 1 || i >= h.len - 1 || h.p[i] != '.')
		return false;
	for (i++; i < h.len; i++)
		if (!url_is_unreserved(h.p[i]) && !url_is_sub_delim(h.p[i]) &&
		    h.p[i] != ':')
			return false;
	return true;
}

/* An IPv6 literal between the brackets: hex digits, ':' and '.' (for an
 * embedded IPv4), optionally a zone "%25eth0" (RFC 6874). */
static bool
url_ip_literal_ok(struct span h)
{
	bool colon = false;
	size_t i;

	if (h.len == 0)
		return false;
	if (h.p[0] == 'v' || h.p[0] == 'V')
		return url_ipvfuture_ok(h);
	for (i = 0; i < h.len && h.p[i] != '%'; i++) {
		if (h.p[i] == ':')
			colon = true;
		else if (http_hex_digit(h.p[i]) < 0 && h.p[i] != '.')
			return false;
	}
	if (i == h.len)
		return colon;
	if (h.len - i < 4 || h.p[i + 1] != '2' || h.p[i + 2] != '5')
		return false;
	for (i += 3; i < h.len; i++)
		if (!url_is_unreserved(h.p[i]) && h.p[i] != '%')
			return false;
	return colon;
}

static bool
url_reg_name_ok(struct span h)
{
	for (size_t i = 0; i < h.len; i++)
		if (!url_is_unreserved(h.p[i]) && !url_is_sub_delim(h.p[i]) &&
		    h.p[i] != '%')
			return false;
	return true;
}

/* host [":" port] with an optional bracketed IPv6 literal. */
static bool
url_host_port(struct span hp, struct http_url *u)
{
	size_t colon;

	if (hp.len > 0 && hp.p[0] == '[') {
		const char *close = memchr(hp.p, ']', hp.len);
		size_t end;
		if (!close)
			return false;
		end = (size_t)(close - hp.p);
		u->host = url_sub(hp, 1, end);
		if (!url_ip_literal_ok(u->host))
			return false;
		if (end + 1 == hp.len)
			return true;
		if (hp.p[end + 1] != ':')
			return false;
		return url_set_port(url_sub(hp, end + 2, hp.len), u);
	}
	for (colon = 0; colon < hp.len && hp.p[colon] != ':'; colon++)
		;
	u->host = url_sub(hp, 0, colon);
	if (!url_reg_name_ok(u->host))
		return false;
	if (colon == hp.len)
		return true;
	return url_set_port(url_sub(hp, colon + 1, hp.len), u);
}

/* [userinfo "@"] host [":" port]; the last '@' ends the userinfo. */
static bool
url_authority(struct span a, struct http_url *u)
{
	size_t at = a.len;

	for (size_t i = 0; i < a.len; i++)
		if (a.p[i] == '@')
			at = i;
	if (at < a.len) {
		u->userinfo = url_sub(a, 0, at);
		a = url_sub(a, at + 1, a.len);
	}
	return url_host_port(a, u);
}

/* path ["?" query] ["#" fragment] starting at s.p[i] */
static void
url_path_query(struct span s, size_t i, struct http_url *u)
{
	size_t start = i;

	while (i < s.len && s.p[i] != '?' && s.p[i] != '#')
		i++;
	if (i > start)
		u->path = url_sub(s, start, i);
	if (i < s.len && s.p[i] == '?') {
		start = ++i;
		while (i < s.len && s.p[i] != '#')
			i++;
		u->query = url_sub(s, start, i);
	}
	if (i < s.len && s.p[i] == '#')
		u->fragment = url_sub(s, i + 1, s.len);
}

static int
url_default_port(struct span scheme)
{
	if (span_ieq(scheme, "http") || span_ieq(scheme, "ws"))
		return 80;
	if (span_ieq(scheme, "https") || span_ieq(scheme, "wss"))
		return 443;
	return 0;
}

static bool
url_absolute(struct span s, size_t slen, struct http_url *u)
{
	size_t i = slen + 1, start;

	u->scheme = url_sub(s, 0, slen);
	u->port_num = url_default_port(u->scheme);
	if (s.len - i < 2 || s.p[i] != '/' || s.p[i + 1] != '/') {
		if (u->port_num != 0)	/* http(s) needs "//" authority */
			return false;
		url_path_query(s, i, u);	/* "mailto:x", "urn:a:b" */
		return true;
	}
	start = i += 2;
	while (i < s.len && s.p[i] != '/' && s.p[i] != '?' && s.p[i] != '#')
		i++;
	if (!url_authority(url_sub(s, start, i), u))
		return false;
	/* RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid */
	if (u->host.len == 0 && url_default_port(u->scheme) != 0)
		return false;
	url_path_query(s, i, u);
	return true;
}

static bool
url_split(struct span s, struct http_url *u)
{
	size_t slen;

	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= ' ' || s.p[i] == 0x7f)
			return false;
	if (s.len == 1 && s.p[0] == '*') {		/* asterisk-form */
		u->path = s;
		return true;
	}
	if (s.p[0] == '/') {				/* origin-form */
		url_path_query(s, 0, u);
		return true;
	}
	slen = url_scheme_len(s);
	if (s.p[0] != '[' && slen > 0) {
		/* "host:443" is authority-form, not scheme "host" */
		struct span rest = url_sub(s, slen + 1, s.len);
		bool digits = rest.len > 0;
		for (size_t i = 0; i < rest.len; i++)
			digits = digits && url_is_digit(rest.p[i]);
		if (!digits)
			return url_absolute(s, slen, u);
	}
	/* authority-form (CONNECT): host ":" port, nothing else */
	return url_host_port(s, u) && u->port.len > 0 && u->host.len > 0;
}

bool
http_url_split(struct span s, struct http_url *u)
{
	memset(u, 0, sizeof *u);
	if (!s.p || s.len == 0)
		return false;
	if (!url_split(s, u)) {
		memset(u, 0, sizeof *u);
		return false;
	}
	return true;
}

long
http_pct_decode(struct span in, char *out, bool plus_space)
{
	size_t i = 0, o = 0;

	while (i < in.len) {
		char c = in.p[i];
		if (c == '%') {
			int hi, lo;
			if (in.len - i < 3)
				return -1;
			hi = http_hex_digit(in.p[i + 1]);
			lo = http_hex_digit(in.p[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
			continue;
		}
		out[o++] = plus_space && c == '+' ? ' ' : c;
		i++;
	}
	return (long)o;
}

int
http_pct_encode(struct buf *b, struct span in, const char *keep,
		bool space_plus)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0, old_len = b->len;

	if (in.len == 0)
		return 0;
	if (buf_reserve(b, in.len) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < in.len; i++) {
		char c = in.p[i];
		char esc[3] = { '%', hex[(unsigned char)c >> 4], hex[c & 15] };

		if (url_is_unreserved(c) ||
		    (keep && c != '\0' && strchr(keep, c))) {
			run++;
			continue;
		}
		if ((run && buf_append(b, in.p + i - run, run) < 0) ||
		    buf_append(b, space_plus && c == ' ' ? "+" : esc,
			       space_plus && c == ' ' ? 1 : 3) < 0)
			goto nomem;
		run = 0;
	}
	if (run && buf_append(b, in.p + in.len - run, run) < 0)
		goto nomem;
	return 0;
nomem:
	/* leave b as it was: no half-encoded tail */
	b->len = old_len;
	if (b->data)
		b->data[b->len] = '\0';
	return -ENOMEM;
}
