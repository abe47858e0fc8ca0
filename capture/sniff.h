/*
 * sniff.h - one run of the sniffer: open the source, decode every frame,
 * print it the way the options say.  cli/cmd_sniff.c fills the options
 * and turns the result into an exit status; nothing here exits.
 */
#ifndef HTTPTOOL_SNIFF_H
#define HTTPTOOL_SNIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct filter;

struct sniff_opts {
	const char *prog;		/* "httptool sniff", for messages */
	const char *iface;		/* live: NULL means lo */
	const char *read;		/* -r FILE or "-", NULL for live */
	const char *write;		/* -w FILE */
	bool pcapng;			/* -w writes pcapng */
	const char *bpf;		/* -f */
	long count;			/* -c, 0 = no limit */
	double duration;		/* -a duration:SECS, 0 = none */
	int snaplen, buffer_mib;
	const char *user;		/* -Z, NULL: nobody */
	const struct filter *filter;	/* -Y, compiled, or NULL */
	bool verbose, hex, json;
	unsigned expand;		/* EXPAND_* layers -V opens */
	long follow;			/* --follow/--follow-http N, -1 none */
	bool follow_http;
	bool stats;
	bool ladder;			/* --ladder */
	const char *har;		/* --har FILE */
	size_t flow_mem, total_mem;
	char **command;			/* -- COMMAND ARGS..., NULL-terminated */
	const char *keylog;		/* NSS key log to decrypt TLS, or NULL */
	FILE *out;
};

/* The outcome, for the caller's exit status. */
enum sniff_result {
	SNIFF_OK = 0,
	SNIFF_FAIL = 1,		/* message printed */
	SNIFF_USAGE = 2,
};

/*
 * Run the sniffer.  Errors are printed to stderr as "prog: what".  When a
 * COMMAND was given, *cmd_status receives its exit status (or -1).
 */
enum sniff_result sniff_run(const struct sniff_opts *o, int *cmd_status);

/*
 * Drop root to user after the capture is open (tcpdump -Z).  Returns 0,
 * or -1 with err filled.  Does nothing when not running as root.
 */
int sniff_drop_privileges(const char *user, char *err, size_t errlen);

#endif
