/*
 * exitcode.h - every exit status httptool can return, in one place.
 *
 * The one result type of the parts: each part's run function
 * (client_run, raw_session_run, sniff_run, tui_run, server_run,
 * ws_client_run) returns one of these, and only cli/ hands it to exit().
 * Code below the run functions returns 0 / negative errno.  The man
 * pages' EXIT STATUS sections mirror this list.
 */
#ifndef HTTPTOOL_EXITCODE_H
#define HTTPTOOL_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,		/* success (and, for the client, any HTTP status) */
	EXIT_FAIL = 1,		/* generic failure: I/O, capture, server start */
	EXIT_USAGE = 2,		/* bad command line, bad filter, bad URL */

	/* client --check-status (HTTPie): status class of the last response */
	EXIT_HTTP_3XX = 3,
	EXIT_HTTP_4XX = 4,
	EXIT_HTTP_5XX = 5,

	/* client transport failures use curl's numbers so scripts port over */
	EXIT_CURL_URL = 3,		/* malformed URL (curl's 3; the same
					   number as --check-status's 3xx) */
	EXIT_CURL_RESOLVE = 6,		/* could not resolve host */
	EXIT_CURL_CONNECT = 7,		/* failed to connect */
	EXIT_CURL_WEIRD_REPLY = 8,	/* the reply was not valid HTTP */
	EXIT_CURL_PARTIAL = 18,		/* transfer closed with bytes missing */
	EXIT_CURL_HTTP_ERROR = 22,	/* --fail and status >= 400 */
	EXIT_CURL_WRITE = 23,		/* could not write output */
	EXIT_CURL_READ = 26,		/* a -T or -F file cannot be read */
	EXIT_CURL_TIMEOUT = 28,		/* operation timed out */
	EXIT_CURL_SSL_CONNECT = 35,	/* TLS handshake failed */
	EXIT_CURL_TOO_MANY_REDIRECTS = 47,
	EXIT_CURL_EMPTY_REPLY = 52,	/* server sent nothing */
	EXIT_CURL_SEND = 55,
	EXIT_CURL_RECV = 56,
	EXIT_CURL_PEER_CERT = 60,	/* certificate verification failed */
	EXIT_CURL_FILESIZE = 63,	/* --max-filesize exceeded */
};

#endif
