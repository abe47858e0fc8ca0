/*
 * demo_https.c - the HTTPS step of `httptool demo`: the same GET over
 * `serve --tls`, first as the wire shows it (the handshake in clear, then
 * only Application Data records), then decrypted with the server's key
 * log — what TLS hides (the HTTP inside) and what it does not (the server
 * name, sizes, timing).  Needs the capture, like the wire step.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

/* serve --tls on a free port with a key log; its port, or 0. */
static int
https_server(struct demo *d)
{
	char www[sizeof d->dir + 8], keys[sizeof d->dir + 16], line[512];
	char *argv[] = { "httptool", "serve", "0", "--tls", "--keylog", keys,
			 "-d", www, "--quiet", "--threads", "1", NULL };
	int port = 0, fd = open(demo_file(d, "serve-tls.log"),
				DEMO_LOG_FLAGS, 0600);
	FILE *fp;

	snprintf(www, sizeof www, "%s/www", d->dir);
	snprintf(keys, sizeof keys, "%s/keys.log", d->dir);
	if (fd < 0)
		return 0;
	demo_show(argv, NULL);
	d->serve_tls = demo_spawn(d, argv, -1, fd);
	demo_sig_pids[2] = d->serve_tls;
	close(fd);
	for (int ms = 0; d->serve_tls > 0 && ms < DEMO_WAIT_MS && !port;
	     ms += 20) {
		if (waitpid(d->serve_tls, NULL, WNOHANG) == d->serve_tls)
			d->serve_tls = 0;
		if ((fp = fopen(demo_file(d, "serve-tls.log"), "r"))) {
			while (!port && fgets(line, sizeof line, fp))
				sscanf(line, "Serving HTTPS on %*s port %d",
				       &port);
			fclose(fp);
		}
		if (!port)
			demo_sleep_ms(20);
	}
	if (!port)
		demo_cat(d, "serve-tls.log", "  ", NULL);
	return port;
}

/* The GET, captured; then the capture stopped. */
static int
https_get(struct demo *d, int port)
{
	char url[64];
	char *get[] = { "httptool", "get", "-k", "--http1.1", url, NULL };
	int rc;

	snprintf(url, sizeof url, "https://localhost:%d/", port);
	rc = demo_run(d, get, NULL);
	demo_barrier(d);	/* the exchange is in the file */
	demo_stop(&d->sniff, SIGINT);
	return rc;
}

int
demo_https(struct demo *d)
{
	char pcap[sizeof d->dir + 16], keys[sizeof d->dir + 16], yf[64];
	char *wire[] = { "httptool", "sniff", "-r", pcap, "-Y", yf, NULL };
	char *clear[] = { "httptool", "sniff", "-r", pcap, "--keylog", keys,
			  "-Y", "http", NULL };
	int port, rc;

	demo_heading(d, "The same GET over HTTPS: what TLS hides, and what "
		     "it does not");
	if (!d->captured) {
		printf("(skipped: no capture)\n");
		return 0;
	}
	if (!(port = https_server(d)) ||
	    !demo_start_capture(d, port, "tls.pcap")) {
		printf("httptool demo: the HTTPS server or its capture did "
		       "not start\n");
		return 1;
	}
	rc = https_get(d, port);
	snprintf(pcap, sizeof pcap, "%s/tls.pcap", d->dir);
	snprintf(keys, sizeof keys, "%s/keys.log", d->dir);
	snprintf(yf, sizeof yf, "tcp.port == %d && tls", port);
	printf("\nWhat anyone on the wire sees:\n");
	rc |= demo_run(d, wire, NULL);
	printf("Notice: the Client Hello names the server in clear "
	       "(SNI=localhost); after the\nhandshake every record is "
	       "'Application Data': the request and the response are\n"
	       "there, but only their sizes and timing show.\n");
	printf("\nWith the key log the server wrote (--keylog; clients "
	       "write one when\nSSLKEYLOGFILE is set):\n");
	rc |= demo_run(d, clear, NULL);
	printf("Notice: the same records decrypt to the GET and its 200, "
	       "as in step 5.\n'sudo httptool sniff -- COMMAND' does this "
	       "for what COMMAND sends, with no flag.\nWithout --http1.1 "
	       "the client and server agree on HTTP/2 (ALPN h2): HEADERS "
	       "and\nDATA frames instead of text.\n");
	demo_stop(&d->serve_tls, SIGTERM);
	return rc;
}
