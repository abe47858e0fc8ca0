/* test_status.c - reason phrases (http/status.c) */
#include <stdio.h>

#include "unit.h"
#include "http/status.h"

TEST(status_rfc9110_codes)
{
	static const struct { int code; const char *phrase; } want[] = {
		{ 100, "Continue" }, { 101, "Switching Protocols" },
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 203, "Non-Authoritative Information" }, { 204, "No Content" },
		{ 205, "Reset Content" }, { 206, "Partial Content" },
		{ 300, "Multiple Choices" }, { 301, "Moved Permanently" },
		{ 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" },
		{ 305, "Use Proxy" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" }, { 400, "Bad Request" },
		{ 401, "Unauthorized" }, { 402, "Payment Required" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" }, { 409, "Conflict" }, { 410, "Gone" },
		{ 411, "Length Required" }, { 412, "Precondition Failed" },
		{ 413, "Content Too Large" }, { 414, "URI Too Long" },
		{ 415, "Unsupported Media Type" },
		{ 416, "Range Not Satisfiable" }, { 417, "Expectation Failed" },
		{ 421, "Misdirected Request" },
		{ 422, "Unprocessable Content" }, { 426, "Upgrade Required" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
		{ 505, "HTTP Version Not Supported" },
	};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!CHECK_STR(http_status_phrase(want[i].code), want[i].phrase))
			printf("      code %d\n", want[i].code);
}

TEST(status_common_extras)
{
	CHECK_STR(http_status_phrase(102), "Processing");
	CHECK_STR(http_status_phrase(103), "Early Hints");
	CHECK_STR(http_status_phrase(207), "Multi-Status");
	CHECK_STR(http_status_phrase(418), "I'm a teapot");
	CHECK_STR(http_status_phrase(425), "Too Early");
	CHECK_STR(http_status_phrase(428), "Precondition Required");
	CHECK_STR(http_status_phrase(429), "Too Many Requests");
	CHECK_STR(http_status_phrase(431), "Request Header Fields Too Large");
	CHECK_STR(http_status_phrase(451), "Unavailable For Legal Reasons");
	CHECK_STR(http_status_phrase(511), "Network Authentication Required");
}

TEST(status_unknown)
{
	static const int none[] = { 0, -1, 1, 99, 199, 299, 306, 309, 419,
				    420, 499, 509, 599, 600, 999, 1000,
				    -404, 2147483647, -2147483647 - 1 };

	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		CHECK_STR(http_status_phrase(none[i]), "");
}
