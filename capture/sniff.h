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

#include "lib/exitcode.h"

struct filter;

/*
 * Process work the command layer does for the sniffer (cli/proc.c): the
 * sniffer calls these at the right moments and never forks, waits or
 * changes credentials itself.  Any may be NULL.
 */
struct sniff_proc {
	void *ctx;
	/* the live capture is open: start -- COMMAND; 0, or -1 (reported) */
	int (*start)(void *ctx);
	/* give up root now (-Z); 0, or -1 with err filled */
	int (*drop)(void *ctx, char *err, size_t errlen);
	/* COMMAND's exit status once it has ended (never blocks), else -1 */
	int (*ended)(void *ctx);
	/* end COMMAND if it still runs; its exit status, or -1 */
	int (*stop)(void *ctx);
	/* create path for writing, also after the drop (the TUI's save):
	 * a descriptor the caller closes, or a negative errno; may be NULL */
	int (*create)(void *ctx, const char *path);
};

struct tfields;
struct zstat;

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
	const struct tfields *tf;	/* -T fields/json/ek -e, or NULL */
	bool verbose, hex, json;
	unsigned expand;		/* EXPAND_* layers -V opens */
	long follow;			/* --follow/--follow-http N, -1 none */
	bool follow_http;
	bool stats;
	bool ladder;			/* --ladder */
	bool quiet;			/* -q: no per-frame output */
	int tfmt;			/* -t: TFMT_* (print.h), 0 default */
	const struct zstat *zstat;	/* -z tables asked for, or NULL */
	const char *har;		/* --har FILE */
	size_t flow_mem, total_mem;
	char **command;			/* -- COMMAND ARGS..., NULL-terminated */
	const char *keylog;		/* NSS key log to decrypt TLS, or NULL */
	const struct sniff_proc *proc;	/* starts COMMAND, drops root */
	FILE *out;
};

/*
 * Run the sniffer.  Errors are printed to stderr as "prog: what".  When a
 * COMMAND was given, *cmd_status receives its exit status (or -1).
 * Returns EXIT_OK, EXIT_FAIL (message printed) or EXIT_USAGE.
 */
enum exit_code sniff_run(const struct sniff_opts *o, int *cmd_status);

#endif
