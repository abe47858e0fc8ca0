/*
 * test_filter_errors.c - display filters (capture/filter.h): every compile
 * error with its exact offset, length and tshark wording, the printed
 * caret line, and hostile inputs (deep nesting, huge chains, inputs cut
 * at a guard page, random token soup).  Semantics: test_filter.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/filter.h"
#include "unit.h"

static int compile_guarded(const char *text, struct filter_error *err);

/* Every field present with one plausible value of its type. */
static int
any_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	const char *type = filter_fields(NULL)[field].type;

	(void)ctx;
	if (max < 1)
		return 1;
	memset(out, 0, sizeof *out);
	out->s = SPAN_LIT("GET");
	out->type = FV_STR;
	if (strcmp(type, "unsigned") == 0) {
		out->type = FV_INT;
		out->i = 80;
	} else if (strcmp(type, "address") == 0) {
		out->type = FV_ADDR;
		out->addr_len = field >= FF_IPV6 ? 16 : 4;
		out->addr[0] = 127;
		out->addr[out->addr_len - 1] = 1;
	} else if (strcmp(type, "time") == 0) {
		out->d = 0.5;
	}
	return 1;
}

/* Compiling text fails at [off, off + len) with msg. */
static void
check_error(const char *text, size_t off, size_t len, const char *msg,
	    int line)
{
	struct filter_error err;
	struct filter *f = filter_compile_n(unit_guard_str(text), strlen(text),
					    &err);

	if (!unit_check(f == NULL, text, __FILE__, line)) {
		filter_free(f);
		return;
	}
	unit_check_eq((long long)err.offset, (long long)off, text, "offset",
		      __FILE__, line);
	unit_check_eq((long long)err.len, (long long)len, text, "len",
		      __FILE__, line);
	unit_check_str(err.msg, strlen(err.msg), msg, text, __FILE__, line);
}
#define ERR(text, off, len, msg) check_error(text, off, len, msg, __LINE__)

TEST(filter_errors_syntax)
{
	ERR("htp.host", 0, 8,
	    "\"htp.host\" is neither a field nor a protocol name.");
	ERR("tcp.port == 80 && foo", 18, 3,
	    "\"foo\" is neither a field nor a protocol name.");
	ERR("\"abc\"", 0, 5, "\"abc\" is neither a field nor a protocol name.");
	ERR("http.request.method == \"GET", 27, 1,
	    "The final quote was missing from a quoted string.");
	ERR("tcp.port == \"x\\", 15, 1,
	    "The final quote was missing from a quoted string.");
	ERR("\"", 1, 1, "The final quote was missing from a quoted string.");
	ERR("(http.host", 10, 0, "Unexpected end of filter expression.");
	ERR("http.host ==", 12, 0, "Unexpected end of filter expression.");
	ERR("tcp.port == 80 &&  ", 19, 0, "Unexpected end of filter expression.");
	ERR("!", 1, 0, "Unexpected end of filter expression.");
	ERR("not", 3, 0, "Unexpected end of filter expression.");
	ERR("((((tcp)))", 10, 0, "Unexpected end of filter expression.");
	ERR("http.host)", 9, 1, "\")\" was unexpected in this context.");
	ERR("()", 1, 1, "\")\" was unexpected in this context.");
	ERR("http.host foo", 10, 3, "\"foo\" was unexpected in this context.");
	ERR("== 3", 0, 2, "\"==\" was unexpected in this context.");
	ERR("&& tcp", 0, 2, "\"&&\" was unexpected in this context.");
	ERR("tcp and and ip", 8, 3, "\"and\" was unexpected in this context.");
	ERR("tcp.port = 80", 9, 1, "\"=\" was unexpected in this context.");
	ERR("tcp.port == 80 &&& 1", 17, 1, "\"&\" was unexpected in this context.");
	ERR("tcp.port == 80 ||| 1", 17, 1, "\"|\" was unexpected in this context.");
	ERR("ip.addr == 10.0.0.0/8 && @", 25, 1,
	    "\"@\" was unexpected in this context.");
	ERR("tcp.port == 80 ip", 15, 2, "\"ip\" was unexpected in this context.");
	ERR("tcp.port not 80", 9, 3, "\"not\" was unexpected in this context.");
	ERR("tcp.port in {80 443}", 16, 3,
	    "\"443\" was unexpected in this context.");
	ERR("tcp.port in {80 \"x\"}", 16, 3,
	    "\"x\" was unexpected in this context.");
	ERR("tcp.port in {}", 13, 1, "\"}\" was unexpected in this context.");
	ERR("tcp.port in {80,}", 16, 1, "\"}\" was unexpected in this context.");
	ERR("tcp.port in {80..}", 17, 1, "\"}\" was unexpected in this context.");
	ERR("tcp.port in {..80}", 13, 2, "\"..\" was unexpected in this context.");
	ERR("tcp.port in 80", 12, 2, "\"80\" was unexpected in this context.");
	ERR("tcp.port in {80", 15, 0, "Unexpected end of filter expression.");
	ERR("http.host == 'x'", 13, 1, "\"'\" was unexpected in this context.");
	ERR("http.host == \xc3\xa9", 13, 2,
	    "\"\xc3\xa9\" was unexpected in this context.");
	ERR("tcp.port == 80 == 80", 12, 2, "Left side of \"==\" expression "
	    "must be a field or function, not 80.");
	ERR("tcp.port eq 80 eq 80", 12, 2, "Left side of \"eq\" expression "
	    "must be a field or function, not 80.");
	ERR("http.host == \"a\" contains \"b\"", 13, 3, "Left side of "
	    "\"contains\" expression must be a field or function, not \"a\".");
}

TEST(filter_errors_escapes)
{
	ERR("http.request.method contains \"G\\q\"", 31, 2,
	    "\\q is not a valid character escape sequence");
	ERR("http.host == \"\\x\"", 14, 2,
	    "\\x is not a valid character escape sequence");
	ERR("http.host == \"\\8\"", 14, 2,
	    "\\8 is not a valid character escape sequence");
	ERR("http.host == \"\\777\"", 14, 4,
	    "\\777 is not a valid character escape sequence");
	ERR("http.host == \"\\u12\"", 14, 4,
	    "\\u12 is not a valid universal character name");
	ERR("http.host == \"\\ud800\"", 14, 6,
	    "\\ud800 is not a valid universal character name");
	ERR("http.host == \"\\U00110000\"", 14, 10,
	    "\\U00110000 is not a valid universal character name");
	ERR("http.host == \"ok\" || http.host == \"\\\xc3\xa9\"", 35, 3,
	    "\\\xc3\xa9 is not a valid character escape sequence");
}

TEST(filter_errors_types)
{
	ERR("http.request.method > 3", 22, 1, "http.request.method (type="
	    "Character string) cannot be compared with the number 3; write "
	    "\"3\" to compare text.");
	ERR("http.host contains 0x10", 19, 4, "http.host (type=Character "
	    "string) cannot be compared with the number 0x10; write \"0x10\" "
	    "to compare text.");
	ERR("tcp.port == abc", 12, 3, "\"abc\" is not a valid number.");
	ERR("tcp.port > 0x1g", 11, 4, "\"0x1g\" is not a valid number.");
	ERR("frame.len >= 1e3", 13, 3, "\"1e3\" is not a valid number.");
	ERR("tcp.port == 1.5", 12, 3, "\"1.5\" is not a valid number.");
	ERR("frame.len > 0x", 12, 2, "\"0x\" is not a valid number.");
	ERR("http.time > x", 12, 1, "\"x\" is not a valid number.");
	ERR("tcp.port == \"80\"", 12, 4, "Unsigned integer (2 bytes) cannot be "
	    "converted from a string (\"80\").");
	ERR("tcp.port in {\"a\"}", 13, 3, "Unsigned integer (2 bytes) cannot "
	    "be converted from a string (\"a\").");
	ERR("http.time > \"x\"", 12, 3,
	    "Time offset cannot be converted from a string (\"x\").");
	ERR("ip.addr == \"1.2.3.4\"", 11, 9,
	    "IPv4 address cannot be converted from a string (\"1.2.3.4\").");
	ERR("tcp.port == 99999999999", 12, 11,
	    "\"99999999999\" too big for this field, maximum 65535.");
	ERR("tcp.port == 99999999999999999999999", 12, 23,
	    "\"99999999999999999999999\" too big for this field, maximum 65535.");
	ERR("http.response.code == 2000000", 22, 7,
	    "\"2000000\" too big for this field, maximum 65535.");
	ERR("frame.number == 4294967296", 16, 10,
	    "\"4294967296\" too big for this field, maximum 4294967295.");
	ERR("tcp.port == -1", 12, 2,
	    "\"-1\" too small for this field, minimum 0.");
	ERR("ip.addr == 1.2.3.4/33", 11, 10, "Netmask bits in a CIDR IPv4 "
	    "address should be <= 32, not 33");
	ERR("ipv6.addr == ::1/129", 13, 7,
	    "Prefix in a IPv6 address should be <= 128, not 129");
	ERR("ip.addr == 1.2.3", 11, 5,
	    "\"1.2.3\" is not a valid hostname or IPv4 address.");
	ERR("ip.addr == 1.2.3.4/", 11, 8,
	    "\"1.2.3.4/\" is not a valid hostname or IPv4 address.");
	ERR("ip.addr == 1.2.3.4/x", 11, 9,
	    "\"1.2.3.4/x\" is not a valid hostname or IPv4 address.");
	ERR("ip.addr == ::1", 11, 3,
	    "\"::1\" is not a valid hostname or IPv4 address.");
	ERR("ipv6.addr == 1.2.3.4", 13, 7,
	    "\"1.2.3.4\" is not a valid hostname or IPv6 address.");
	ERR("http.request.method matches 3", 28, 1,
	    "Matches requires a double quoted string on the right side.");
	ERR("http.host matches http.user_agent", 18, 15,
	    "Matches requires a double quoted string on the right side.");
	ERR("http.host matches \"((\"", 18, 4, "Regex compilation error: "
	    "unmatched ( or \\(.");
	/* what would make glibc's regcomp take gigabytes or recurse deeply */
	ERR("http.host matches \"x{1,32767}\"", 18, 12, "Regex compilation "
	    "error: pattern too large once repetitions are expanded (limit "
	    "1000).");
	ERR("http.host matches \"(ab{1,100}){2,50}\"", 18, 19, "Regex "
	    "compilation error: pattern too large once repetitions are "
	    "expanded (limit 1000).");
	ERR("http.host matches \"(a++++++++++++)\"", 18, 17, "Regex "
	    "compilation error: more than two repetition operators in a row.");
	ERR("http.host matches \"((((((((((a+)+)+)+)+)+)+)+)+)+)+\"", 18, 34,
	    "Regex compilation error: pattern too large once repetitions are "
	    "expanded (limit 1000).");
	ERR("http.host matches \"x((a|b?)*?){1,50}\"", 18, 19, "Regex "
	    "compilation error: {m,n} applied to a part that can match the "
	    "empty string.");
	ERR("http.host matches \"(((a|b?)*)?){1,20}\"", 18, 20, "Regex "
	    "compilation error: {m,n} applied to a part that can match the "
	    "empty string.");
	ERR("http.host matches \"x(|a){2}\"", 18, 10, "Regex compilation "
	    "error: {m,n} applied to a part that can match the empty string.");
	ERR("http.host matches \"^(%****x)$\"", 18, 12, "Regex compilation "
	    "error: more than two repetition operators in a row.");
	CHECK(compile_guarded("http.host matches \"a.*?b+?c{2}?\"", NULL) == 0);
	ERR("http.host matches \"x{1001}\"", 18, 9, "Regex compilation error: "
	    "pattern too large once repetitions are expanded (limit 1000).");
	CHECK(compile_guarded("http.host matches \"x{1000}\"", NULL) == 0);
	ERR("http.host matches \"x{99999999999999999999,}\"", 18, 26, "Regex "
	    "compilation error: pattern too large once repetitions are "
	    "expanded (limit 1000).");
	ERR("http.host matches \"(a)\\\\1\"", 18, 8, "Regex compilation "
	    "error: back-references are not supported.");
	ERR("http.host matches \"((((((((((((((((((((((((((((((((("
	    "a)))))))))))))))))))))))))))))))))\"", 18, 69, "Regex "
	    "compilation error: parentheses nested too deeply.");
	ERR("http.host matches \"a\\0b\"", 18, 6,
	    "Regex compilation error: NUL byte in pattern.");
	ERR("tcp.port contains 3", 0, 8, "tcp.port (type=Unsigned integer "
	    "(2 bytes)) cannot participate in contains comparison.");
	ERR("tcp.port ~ \"x\"", 0, 8, "tcp.port (type=Unsigned integer "
	    "(2 bytes)) cannot participate in ~ comparison.");
	ERR("ip.addr contains 1", 0, 7, "ip.addr (type=IPv4 address) cannot "
	    "participate in contains comparison.");
	ERR("http.request contains \"x\"", 0, 12, "http.request (type=Boolean) "
	    "cannot participate in contains comparison.");
	ERR("tcp == 1", 0, 3,
	    "tcp (type=Protocol) cannot participate in == comparison.");
	ERR("ip in {1}", 0, 2,
	    "ip (type=Protocol) cannot participate in in comparison.");
	ERR("80 == tcp.port", 0, 2, "Left side of \"==\" expression must be a "
	    "field or function, not 80.");
	ERR("\"a\" == http.host", 0, 3, "Left side of \"==\" expression must be "
	    "a field or function, not \"a\".");
	ERR("htp.host == \"x\"", 0, 8, "Left side of \"==\" expression must be "
	    "a field or function, not htp.host.");
	ERR("tcp.port == http.host", 12, 9,
	    "tcp.port and http.host are not of compatible types.");
	ERR("ip.addr == ipv6.addr", 11, 9,
	    "ip.addr and ipv6.addr are not of compatible types.");
	/* the leftmost semantic error wins; any syntax error beats them */
	ERR("tcp.port == \"a\" && foo", 12, 3, "Unsigned integer (2 bytes) "
	    "cannot be converted from a string (\"a\").");
	ERR("foo && tcp.port == \"a\"", 0, 3,
	    "\"foo\" is neither a field nor a protocol name.");
	ERR("foo && (", 8, 0, "Unexpected end of filter expression.");
}

static void
check_print(const char *text, const char *want, int line)
{
	struct filter_error err;
	struct filter *f = filter_compile(text, &err);
	char *out = NULL;
	size_t n = 0;
	FILE *fp;

	unit_check(f == NULL, text, __FILE__, line);
	filter_free(f);
	if ((fp = open_memstream(&out, &n)) == NULL)
		return;
	filter_error_print(fp, "httptool sniff", text, &err);
	fclose(fp);
	unit_check_str(out, n, want, text, __FILE__, line);
	free(out);
}
#define PRINTS(text, want) check_print(text, want, __LINE__)

TEST(filter_error_print_caret)
{
	PRINTS("htp.host", "httptool sniff: \"htp.host\" is neither a field "
	       "nor a protocol name.\n    htp.host\n    ^~~~~~~~\n");
	PRINTS("tcp.port == 80 &&", "httptool sniff: Unexpected end of filter "
	       "expression.\n");
	PRINTS("http.host == \"x", "httptool sniff: The final quote was "
	       "missing from a quoted string.\n    http.host == \"x\n"
	       "                   ^\n");
	PRINTS("tcp.port\t==\nx", "httptool sniff: \"x\" is not a valid number.\n"
	       "    tcp.port == x\n                ^\n");
	PRINTS("http.host == \"\xc3\xa9\" && \xc3\xa9 ",
	       "httptool sniff: \"\xc3\xa9\" was unexpected in this context.\n"
	       "    http.host == \"\xc3\xa9\" && \xc3\xa9 \n"
	       "                        ^\n");
	PRINTS("ip.addr == 1.2.3.4/33 || tcp", "httptool sniff: Netmask bits "
	       "in a CIDR IPv4 address should be <= 32, not 33\n"
	       "    ip.addr == 1.2.3.4/33 || tcp\n"
	       "               ^~~~~~~~~~\n");
}

/* "(" or "!" n times around tcp (and ")" n times when parens). */
static char *
nested(size_t n, const char *open, const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc(n * (lo + lc) + 4), *p = s;

	for (size_t i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, "tcp", 3);
	p += 3;
	for (size_t i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

static int
compile_guarded(const char *text, struct filter_error *err)
{
	struct filter *f = filter_compile_n(unit_guard_str(text), strlen(text),
					    err);

	if (f == NULL)
		return -1;
	filter_match(f, any_lookup, NULL);
	filter_free(f);
	return 0;
}

TEST(filter_hostile_nesting)
{
	struct filter_error err;
	const char *deep = "Filter is nested too deeply (the limit is 100 levels).";
	char *s;

	s = nested(FILTER_MAX_DEPTH, "(", ")");
	CHECK_EQ(compile_guarded(s, &err), 0);
	free(s);
	s = nested(FILTER_MAX_DEPTH + 1, "(", ")");
	CHECK_EQ(compile_guarded(s, &err), -1);
	CHECK_EQ(err.offset, FILTER_MAX_DEPTH);
	CHECK_EQ(err.len, 1);
	CHECK_STR(err.msg, deep);
	free(s);
	s = nested(FILTER_MAX_DEPTH / 2, "!(", ")");
	CHECK_EQ(compile_guarded(s, &err), 0);
	free(s);
	s = nested(200000, "!", "");
	CHECK_EQ(compile_guarded(s, &err), -1);
	CHECK_EQ(err.offset, FILTER_MAX_DEPTH);
	CHECK_STR(err.msg, deep);
	free(s);
	s = nested(200000, "not ", "");
	CHECK_EQ(compile_guarded(s, &err), -1);
	CHECK_EQ(err.offset, 4 * FILTER_MAX_DEPTH);
	CHECK_EQ(err.len, 3);
	free(s);
	s = nested(200000, "(", "");	/* never closed: depth first */
	CHECK_EQ(compile_guarded(s, &err), -1);
	CHECK_STR(err.msg, deep);
	free(s);
}

TEST(filter_hostile_long_chains)
{
	size_t n = 100000;
	char *s = malloc(n * 12 + 8), *p = s;
	struct filter *f;

	/* long && / || chains are flat: no recursion however long */
	for (size_t i = 0; i < n; i++, p += 7)
		memcpy(p, i % 2 ? "ipv6 ||" : "tcp  &&", 7);
	strcpy(p, "ipv6");
	f = filter_compile(s, NULL);
	CHECK(f != NULL);
	CHECK(filter_match(f, any_lookup, NULL));
	filter_free(f);
	p = s + sprintf(s, "tcp.port in {");
	for (size_t i = 0; i < 20000; i++)
		p += sprintf(p, "%zu, ", 1000 + i);
	strcpy(p, "80}");
	f = filter_compile(s, NULL);
	CHECK(f != NULL);
	CHECK(filter_match(f, any_lookup, NULL));
	filter_free(f);
	free(s);
}

TEST(filter_hostile_endings)
{
	/* each ends exactly at an unreadable page: no byte past the end */
	static const char *cut[] = {
		"\"", "\"\\", "r", "r\"", "r\"\\", "r\"a\\\"", "\\", "!", "!=",
		"=", "==", "&", "|", "~", ".", "..", "a.", "{", "}", "(", ")",
		"tcp.port == 0x", "tcp.port == 0b", "tcp.port == 0",
		"tcp.port == -", "ip.addr == 1.2.3.4/", "ip.addr == 1.2.3.4/3",
		"ipv6.addr == ::", "http.host == \"\\x4", "http.host == \"\\u00",
		"http.host == \"\\1", "http.host == \"\\", "\xc3", "tcp \xe2\x82",
		"tcp.port in {1..", "tcp.port in {1..2", "tcp.port not",
		"tcp.port not in", "http.host matches \"[", "http.time == 1.",
		"http.host == \"a\" ==", "tcp.port ===", "tcp.port !==", "and",
		"http.host contains", "tcp.port ge", "http.host == r\"\\\"\"",
		"http.host matches \"[[\"", "http.host matches \"[[:\"",
		"http.host matches \"[a[.-.]\"", "http.host matches \"x{2,\"",
	};
	struct filter_error err;

	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		size_t len = strlen(cut[i]);

		if (compile_guarded(cut[i], &err) < 0) {
			CHECK(err.offset <= len);
			CHECK(err.offset + err.len <= len + 1);
			CHECK(err.msg[0] != '\0');
		}
	}
}

TEST(filter_hostile_random)
{
	static const char *atoms[] = {
		"http", "tcp.port", "ip.addr", "ipv6.src", "http.host",
		"http.time", "frame.len", "==", "!=", "===", "!==", "<", ">=",
		"contains", "matches", "~", "in", "not", "and", "||", "&&", "!",
		"(", ")", "{", "}", ",", "..", "\"a\\x41\"", "\"(\"", "r\"\\\"\"",
		"80", "0x1f", "1.2.3.4", "::1/64", "10.0.0.0/8", "-1", "1.5",
		"GET", "\"", "\\", " ", "\t", "\xc3\xa9", "\0", "@",
	};
	uint32_t x = 2463534242u;
	char buf[256];
	struct filter_error err;

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0, natoms;
		char *copy;
		struct filter *f;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		natoms = x % 12;
		for (size_t i = 0; i < natoms; i++) {
			const char *a;
			size_t al;

			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			a = atoms[x % (sizeof atoms / sizeof atoms[0])];
			al = a[0] ? strlen(a) : 1;
			if (x % 7 == 0) {	/* a random byte instead */
				buf[len++] = (char)(x >> 8);
				continue;
			}
			memcpy(buf + len, a, al);
			len += al;
			if (x % 3)
				buf[len++] = ' ';
		}
		copy = malloc(len ? len : 1);	/* exact size: ASan sees over-reads */
		memcpy(copy, buf, len);
		f = filter_compile_n(copy, len, &err);
		if (f) {
			filter_match(f, any_lookup, NULL);
			filter_free(f);
		} else if (!CHECK(err.offset <= len && err.offset + err.len <= len + 1)) {
			printf("    input '%.*s': %s\n", (int)len, buf, err.msg);
		}
		free(copy);
	}
}
