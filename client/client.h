/*
 * client.h - the client's request description, shared by its files.
 *
 * Data flows one way (DESIGN.md): cmd_get.c turns argv into a struct
 * client_cfg (client_items.c parses HTTPie items into it), client_body.c
 * turns the items into a request body, client_curl.c runs the transfers on
 * libcurl and client_cb.c prints what comes back through lib/out.h.
 * Nothing here includes <curl/curl.h>, so the parsing half is unit-testable
 * without a network.
 *
 * Ownership: every char * in these structs is owned by the cfg (malloc'd)
 * and released by client_cfg_free().
 */
#ifndef HTTPTOOL_CLIENT_H
#define HTTPTOOL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/buf.h"

/* A growable list of owned strings. */
struct client_strv {
	char **v;
	size_t n, cap;
};

/* Append a copy of s (or of its first len bytes); 0 or -ENOMEM. */
int client_strv_add(struct client_strv *sv, const char *s);
int client_strv_addn(struct client_strv *sv, const char *s, size_t len);
/* Append s itself (malloc'd; sv owns it from now on); 0 or -ENOMEM. */
int client_strv_take(struct client_strv *sv, char *s);
void client_strv_free(struct client_strv *sv);

/* One multipart part: a value, or the contents of a file. */
struct client_part {
	char *name;
	char *value;		/* text value, or NULL when path is set */
	char *path;		/* file to send ("-" for stdin), or NULL */
	char *type;		/* ;type= override, or NULL */
	char *filename;		/* ;filename= override, or NULL */
};

/* A form or JSON field from an item (the encoding is chosen late). */
struct client_field {
	char *name;
	char *path;		/* the name with its backslashes, for JSON
				   paths ("a\\[b\\]" stays one key), or NULL */
	char *value;		/* text, or JSON text when raw_json */
	size_t len;		/* of value (file contents may hold NULs) */
	bool raw_json;		/* name:=value */
};

/* An output slot: the nth -o/-O pairs with the nth URL (curl). */
struct client_output {
	char *path;		/* -o FILE, or NULL for -O */
};

struct client_cfg;

/*
 * curl options that map straight onto libcurl settings, applied by
 * client_copt.c.  cfg->copt[i] holds the option's argument ("1" for a
 * flag), the last one given wins; NULL when absent.
 */
enum client_copt {
	COPT_INTERFACE, COPT_LOCAL_PORT, COPT_KEEPALIVE_TIME, COPT_TCP_NODELAY,
	COPT_REQUEST_TARGET, COPT_EXPECT100_TIMEOUT, COPT_HAPROXY,
	COPT_ABSTRACT_UNIX, COPT_ALT_SVC, COPT_HSTS, COPT_PROXY,
	COPT_PROXY_USER, COPT_NOPROXY, COPT_PROXY_INSECURE, COPT_IPV4,
	COPT_IPV6, COPT_HAPPY_EYEBALLS, COPT_CERT, COPT_KEY, COPT_CERT_TYPE,
	COPT_KEY_TYPE, COPT_PASS, COPT_CAPATH, COPT_PINNEDPUBKEY, COPT_TLSV12,
	COPT_TLSV13, COPT_TLS_MAX, COPT_CIPHERS, COPT_TLS13_CIPHERS,
	COPT_CURVES, COPT_CERT_STATUS, COPT_PROTO, COPT_PROTO_REDIR,
	COPT_POST301, COPT_POST302, COPT_POST303, COPT_RAW, COPT_IGNORE_CL,
	COPT_LOCATION_TRUSTED, COPT_DIGEST, COPT_ANYAUTH, COPT_BASIC,
	COPT_OAUTH2_BEARER, COPT_AWS_SIGV4, COPT_NETRC, COPT_NETRC_FILE,
	COPT_NETRC_OPTIONAL, COPT_MAX_FILESIZE, COPT_LIMIT_RATE,
	COPT_JUNK_SESSION, COPT_TCP_FASTOPEN, COPT_N
};

/*
 * Check arg for curl option o (a number, a size, a version) and store it
 * in cfg->copt[o].  0, or -1 with a one-line reason in err.  The auth
 * flags (--digest, --basic, --anyauth) replace each other, as -4/-6 do.
 */
int client_copt_set(struct client_cfg *cfg, enum client_copt o,
		    const char *arg, char *err, size_t errsize);

/* curl's SIZE syntax: "100", "10k", "2M", "1G".  0 or -1. */
int client_parse_size(const char *arg, long long *out);

enum client_pretty {
	PRETTY_AUTO = -1,	/* all on a terminal, none otherwise */
	PRETTY_NONE = 0,
	PRETTY_COLORS = 1,
	PRETTY_FORMAT = 2,
	PRETTY_ALL = 3,
};

/* What --print selects (HTTPie letters). */
enum {
	PRINT_REQ_HEAD = 1,	/* H */
	PRINT_REQ_BODY = 2,	/* B */
	PRINT_RESP_HEAD = 4,	/* h */
	PRINT_RESP_BODY = 8,	/* b */
	PRINT_META = 16,	/* m: "Elapsed time: 0.012345678s" */
};

struct client_cfg {
	const char *prog;		/* "httptool get", for messages */
	const char *method;		/* the command's or -X's, static or argv */
	bool method_forced;		/* -X, -I or request METHOD */
	struct client_strv urls;	/* normalised, with scheme */
	size_t *urlnum;			/* URL i came from argument urlnum[i]
					   (globbing), or NULL */
	struct client_strv headers;	/* "Name: value", "Name:" removes */
	struct client_strv query;	/* encoded "name=value" from items */
	struct client_field *fields;	/* name=value and name:=json items */
	size_t nfields, capfields;
	struct buf data;		/* -d/--data-* pieces, joined with & */
	size_t ndata;			/* how many pieces */
	struct client_part *parts;	/* items' files and -F fields */
	size_t nparts, capparts;
	bool curl_form;			/* parts came from -F (curl) */
	struct client_output *outs;
	size_t nouts, capouts;
	bool as_json;			/* --json or a := item */
	bool get_data;			/* -G */
	bool head_only;			/* -I or the head command */
	/* output */
	bool include, verbose, silent, show_error;
	bool remote_header;		/* -J */
	const char *output_dir;
	int print;			/* PRINT_* mask; 0 = not given */
	enum client_pretty pretty;
	const char *writeout;		/* -w */
	const char *trace_ascii;
	bool curl_cmd, offline;
	/* transfer */
	bool follow;
	long max_redirs;		/* -1: libcurl's default */
	const char *cookie, *cookie_jar, *session;
	char *session_file, *session_jar;	/* set by client_session_load */
	char *session_user;
	char session_host[256];		/* "host:port" the session is for */
	char *user_owned;		/* -u USER completed with a password */
	size_t nheaders_user;		/* headers[0..n) are the user's */
	const char *user, *user_agent, *referer, *range, *continue_at;
	bool compressed, insecure, path_as_is;
	const char *cacert, *unix_socket;
	const char *keylog;		/* NSS key log (libcurl itself reads
					   $SSLKEYLOGFILE) */
	int http_version;		/* 0 default, 10, 11, 20, 2 = prior knowledge */
	long max_time_ms, connect_timeout_ms;
	long retry, retry_delay_ms;
	bool fail, fail_with_body, check_status;
	bool parallel;
	long parallel_max;
	struct client_strv resolve;
	struct client_strv connect_to;	/* --connect-to */
	struct client_strv uploads;	/* -T files; the nth with the nth URL */
	struct client_strv argstore;	/* words read from -K files */
	const char *copt[COPT_N];	/* see enum client_copt */
	void *share;			/* client_share_new()'s, or NULL */
	bool curl_json;			/* --json DATA (curl) */
	const char *dump_header;	/* -D FILE */
	const char *etag_save;		/* --etag-save FILE (- for stdout) */
	const char *etag_compare;	/* --etag-compare FILE */
	bool create_dirs, remove_on_error, remote_time, remote_name_all;
	bool no_buffer, no_progress, progress_bar;
	bool retry_all, retry_connrefused, fail_early, parallel_immediate;
	bool globoff, ignore_stdin;
	bool multipart;			/* --multipart (HTTPie) */
	bool all;			/* --all (HTTPie): every hop's head */
	bool unsorted;			/* --unsorted (HTTPie): formatted
					   output keeps the server's order */
	bool bearer;			/* --auth-type bearer */
	bool download;			/* --download (HTTPie) */
	long idle_timeout_ms;		/* --timeout (HTTPie) */
	long retry_max_time_ms;
	/* the body, built by client_body_build() */
	struct buf body;
	bool has_body;
	char *content_type;		/* set when the body has a default type */
};

void client_cfg_init(struct client_cfg *cfg, const char *prog,
		     const char *method);
void client_cfg_free(struct client_cfg *cfg);

/*
 * Is arg a URL rather than a request item?  True for "scheme://...",
 * ":PORT/..." / ":/..." shorthands, "host:PORT[/...]" and, when it holds
 * no item separator, "example.org/x" or "localhost/x".
 */
bool client_looks_like_url(const char *arg);

/*
 * Normalise a command-line URL into out: add "http://" when there is no
 * scheme; ":8000/x" becomes "http://localhost:8000/x".  0, or -EINVAL for
 * an empty or unusable URL (a one-line reason in err).
 */
int client_url_normalise(const char *in, struct buf *out, char *err,
			 size_t errsize);

/*
 * Parse one HTTPie request item into cfg (header, query, form or JSON
 * field, file part).  0, or -1 with a one-line reason in err naming the
 * culprit (unreadable file, malformed JSON, no separator).
 */
int client_item_add(struct client_cfg *cfg, const char *item, char *err,
		    size_t errsize);

/* Add a curl -F "name=value|@file|<file[;type=..][;filename=..]"; with
 * literal (--form-string) the value is taken as it is. */
int client_form_add(struct client_cfg *cfg, const char *spec, bool literal,
		    char *err, size_t errsize);

/* --url-query: "name=value" (value encoded), "name@file", "+raw"
 * (as it is), appended to every URL's query.  0 or -1 (err). */
int client_url_query_add(struct client_cfg *cfg, const char *arg,
			 char *err, size_t errsize);

/* -H @file: one header per line of file ("-" stdin).  0 or -1 (err). */
int client_headers_from_file(struct client_cfg *cfg, const char *path,
			     char *err, size_t errsize);

/* --etag-compare: add If-None-Match from cfg->etag_compare's file.  0, or
 * -1 with err set when it cannot be read (curl's exit 26). */
int client_etag_compare(struct client_cfg *cfg, char *err, size_t errsize);

/*
 * Add a -d/--data-binary/--data-urlencode argument ("@file", "@-",
 * "name=value", "name@file").  kind is 'd' (-d, --data-ascii), 'b'
 * (--data-binary), 'r' (--data-raw: no @), 'u' (--data-urlencode) or 'j'
 * (--json: as 'b', pieces joined with nothing).  0 or -1 (err).
 */
int client_data_add(struct client_cfg *cfg, int kind, const char *arg,
		    char *err, size_t errsize);

/*
 * Build cfg->body, cfg->content_type and the default headers from the
 * items (urlencoded form, JSON object or multipart) or -d data; move form
 * and data into the query for -G.  0, or -1 with err set.
 */
int client_body_build(struct client_cfg *cfg, char *err, size_t errsize);

/*
 * The JSON object (or array) HTTPie 3 builds from cfg's fields: nested
 * paths "a[b][]", "[0]", later items replacing earlier ones, written as
 * Python's json.dumps writes it.  Appended to out; 0, or -1 with err set
 * (a malformed path, a key used on an array).
 */
int client_json_build(const struct client_cfg *cfg, struct buf *out,
		      char *err, size_t errsize);

/*
 * curl's URL globbing ({a,b}, [1-10], [a-z], [01-10:2]) over cfg->urls,
 * with "#N" in each URL's -o name; nothing with -g.  0, or -1 with err
 * set (a malformed pattern: curl's exit 3).
 */
int client_glob_apply(struct client_cfg *cfg, char *err, size_t errsize);

/* strerror(e) in lower case, for messages (STYLE.md 8).  Static. */
const char *client_strerror(int e);

/* Read a whole file ("-" = stdin) into b.  0 or -errno. */
int client_read_file(const char *path, struct buf *b);

/* Is a header called name[0..n) among the user's -H/items (set, emptied
 * or removed)?  ASCII case-insensitive. */
bool client_has_header(const struct client_cfg *cfg, const char *name,
		       size_t n);

/* The effective method for the request cfg describes. */
const char *client_method(const struct client_cfg *cfg);

/* URL i with the item query parameters appended (caller frees). */
char *client_url_with_query(const struct client_cfg *cfg, size_t i);

/*
 * --session NAME: load the saved headers, auth and cookie jar into cfg
 * (what the command line gives wins) and remember where to save them.
 * NAME with a '/' is a path; otherwise the file lives under
 * $XDG_STATE_HOME/httptool/sessions (default ~/.local/state/...).
 * 0 when there is no session or it loaded; -1 with err set.
 */
int client_session_load(struct client_cfg *cfg, char *err, size_t errsize);

/*
 * -u USER without ":PASSWORD": ask for it on the terminal, as curl does
 * (an empty password when there is none).  0, or -ENOMEM.
 */
int client_ask_password(struct client_cfg *cfg);

/* Save cfg's headers and auth to its session file; 0 or -errno. */
int client_session_save(const struct client_cfg *cfg);

/*
 * A connection, DNS and TLS session cache for several client_run()s in
 * one process (the groups of -:/--next), so a later group reuses an
 * earlier one's connection as curl does.  Set it as cfg->share; free it
 * after the last run.  NULL when it cannot be made (each run then has
 * its own).
 */
void *client_share_new(void);
void client_share_free(void *share);

/* Run every transfer; returns its exit status (lib/exitcode.h).  first:
 * nothing has been written to stdout yet (its buffer may be set). */
enum exit_code client_run(struct client_cfg *cfg, bool first);

/* -Z with -:/--next: the URLs of all n groups at once, each with its own
 * group's options, as curl does; g[0] holds the global ones.  Returns the
 * exit status (the last failure's, else 0). */
enum exit_code client_run_together(struct client_cfg *g, size_t n);

/* --curl: print the equivalent curl command line to fp. */
void client_print_curl(const struct client_cfg *cfg, FILE *fp);

/* --offline: print the request(s) that would be sent to fp. */
void client_print_offline(const struct client_cfg *cfg, FILE *fp);

#endif
