/*
 * client_xfer.h - one transfer's state, shared by the client's libcurl
 * files: client_curl.c (handle setup, sequential runs, errors),
 * client_cb.c (libcurl callbacks: body, headers, debug, progress),
 * client_retry.c (--retry),
 * client_multi.c (-Z) and client_writeout.c (-w).
 *
 * Private to the client; cmd_get.c sees only client.h.
 */
#ifndef HTTPTOOL_CLIENT_XFER_H
#define HTTPTOOL_CLIENT_XFER_H

#include <curl/curl.h>

#include "client.h"

/* stdio buffer for body output to a file or a pipe (not a terminal) */
#define CLIENT_OUT_BUFSIZE (256 * 1024)
/* the most of a JSON body held to pretty-print it on a terminal */
#define CLIENT_PRETTY_MAX (16 << 20)

/* Output decisions made once per run. */
struct client_view {
	bool color;		/* colour on stdout */
	bool color_err;		/* colour on stderr (-v) */
	bool format;		/* pretty-print JSON bodies on stdout */
	bool sort;		/* with format: JSON keys and header lines
				   sorted (HTTPie's default, --unsorted) */
	bool stdout_tty;
	int print;		/* PRINT_* mask in effect */
	bool debug;		/* the debug callback is needed */
	bool progress;		/* progress bars on stderr */
	FILE *trace;		/* --trace-ascii, or NULL */
	FILE *dump;		/* -D FILE (stdout for -), or NULL */
	FILE *etag;		/* --etag-save FILE (stdout for -), or NULL */
	bool last_hop_only;	/* --print and --follow without --all */
};

struct client_xfer {
	struct client_cfg *cfg;
	const struct client_view *view;
	CURL *h;
	size_t index;		/* which URL */
	char *url;		/* with the item query (owned) */
	const char *out_arg;	/* -o FILE, or NULL */
	bool remote_name;	/* -O */
	char *out_path;		/* the file written (owned), or NULL */
	FILE *fp;		/* open output, stdout included */
	FILE *upload;		/* -T file, stdin included, or NULL */
	double started;		/* first attempt, for --retry-max-time */
	char *fbuf;		/* fp's stdio buffer when it is a file */
	curl_off_t resume_from;
	long status;		/* last status line seen */
	bool discard;		/* this response is thrown away (retry) */
	bool may_retry;		/* tries left: 5xx/429/408 are discarded */
	long attempt;		/* retries done */
	double retry_at;	/* -Z: when to start again, 0 when not waiting */
	bool decided;		/* first body bytes looked at */
	bool binary_skip;	/* binary body refused on a terminal */
	bool buffer_json;	/* collecting a JSON body to format */
	bool hidden_head;	/* header block of a discarded response */
	struct buf body;	/* the collected JSON body */
	struct buf hop;		/* a response head held for last_hop_only */
	bool hop_location;	/* that head has a Location */
	char *disposition;	/* -J file name from Content-Disposition */
	int write_failed;	/* errno of a failed output write */
	double last_progress;	/* when the bar was last drawn */
	bool bar_drawn;
	bool no_bar;		/* -Z draws one aggregate line instead */
	char errbuf[CURL_ERROR_SIZE];	/* libcurl's message */
	char werr[320];		/* ours, for a failed output file */
};

/* Install the callbacks for x on its handle (client_cb.c). */
void client_cb_setup(struct client_xfer *x);

/* Write out what the callbacks held back (a formatted JSON body), close
 * a file output and end a progress bar.  0, or -errno of a failed write. */
int client_cb_finish(struct client_xfer *x, CURLcode code);

/* Seconds on the monotonic clock: progress bar pacing, -Z timing. */

/* Decide colours, pretty-printing, --print and the debug callback. */
void client_view_init(struct client_view *v, const struct client_cfg *cfg);

/* The lists libcurl keeps pointers to while handles use them. */
struct client_slists {
	struct curl_slist *headers, *resolve, *connect_to;
};

/*
 * Make an easy handle carrying every option of cfg that is the same for
 * all URLs (client_curl.c).  The lists in l are built from cfg when NULL
 * and reused otherwise; the caller frees them (client_slists_free) after
 * the handles.  NULL on failure.
 */
CURL *client_easy_new(struct client_cfg *cfg, const struct client_view *v,
		      struct client_slists *l);
void client_slists_free(struct client_slists *l);

/* Set every cfg->copt[] option on h (client_copt.c). */
void client_copt_apply(CURL *h, const struct client_cfg *cfg);

/* Prepare x for URL i on handle h (per-transfer options, outputs).
 * 0, or an exit code (26: a -T file cannot be read) with x->werr set. */
int client_xfer_init(struct client_xfer *x, struct client_cfg *cfg,
		     const struct client_view *v, CURL *h, size_t i);
void client_xfer_free(struct client_xfer *x);

/*
 * After a transfer: print the error, apply --fail-with-body and
 * --check-status, write -w.  Returns the transfer's exit code.
 */
int client_xfer_done(struct client_xfer *x, CURLcode code);

/*
 * After a transfer ended with code: when --retry allows another try
 * (timeout, 408/429/5xx), reset x for it, warn, and return the delay in
 * ms before retrying; -1 when the transfer is final.
 */
long client_retry_wait(struct client_xfer *x, CURLcode code);

/* Print the -w FORMAT for a finished transfer to stdout (or stderr). */
void client_writeout(struct client_xfer *x, const char *format, int exitcode);

/* Run the URLs of groups cfgs[0..ngroups) (-:/--next), each with its
 * view, in parallel on one multi handle (-Z); cfgs[0] has the globals
 * (--parallel-max).  Returns the exit status. */
int client_run_parallel(struct client_cfg *cfgs,
			const struct client_view *views, size_t ngroups);

/* The curl-style message for code: lower case, no timings. */
void client_errmsg(char *out, size_t size, CURLcode code, const char *errbuf,
		   long os_errno);

#endif
