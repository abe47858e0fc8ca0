/*
 * get_opts.h - the client commands' option table and what each option
 * does to a struct client_cfg (get_opts.c).  cmd_get.c walks argv, the
 * config files and the positional words; this is the one place that
 * knows the options themselves.
 */
#ifndef HTTPTOOL_GET_OPTS_H
#define HTTPTOOL_GET_OPTS_H

#include <stddef.h>

#include "client/client.h"
#include "opt.h"

enum {
	OPT_HELP = 'h',
	/* long-only options */
	OPT_DATA_BINARY = 256, OPT_DATA_URLENCODE, OPT_OUTPUT_DIR,
	OPT_MAX_REDIRS, OPT_COMPRESSED, OPT_CACERT, OPT_HTTP11, OPT_HTTP2,
	OPT_HTTP2_PK, OPT_CONNECT_TIMEOUT, OPT_RETRY, OPT_RETRY_DELAY,
	OPT_FAIL, OPT_FAIL_WITH_BODY, OPT_PARALLEL_MAX, OPT_RESOLVE,
	OPT_UNIX_SOCKET, OPT_TRACE_ASCII, OPT_PATH_AS_IS, OPT_JSON,
	OPT_PRETTY, OPT_PRINT, OPT_CURL, OPT_OFFLINE, OPT_SESSION,
	OPT_CHECK_STATUS, OPT_JSON_ITEMS, OPT_DATA_RAW, OPT_DATA_ASCII,
	OPT_FORM_STRING, OPT_URL_QUERY, OPT_URL, OPT_CREATE_DIRS,
	OPT_REMOVE_ON_ERROR, OPT_REMOTE_NAME_ALL, OPT_NO_PROGRESS_METER,
	OPT_STDERR, OPT_CONNECT_TO, OPT_RETRY_ALL_ERRORS,
	OPT_RETRY_CONNREFUSED, OPT_RETRY_MAX_TIME, OPT_FAIL_EARLY,
	OPT_PARALLEL_IMMEDIATE, OPT_KEYLOG, OPT_PROGRESS_BAR = '#',
	OPT_ETAG_SAVE = 400, OPT_ETAG_COMPARE, OPT_NEXT = ':',
	OPT_ALL = 420, OPT_META,
	/* HTTPie's names that curl does not use */
	OPT_DOWNLOAD, OPT_CONTINUE, OPT_AUTH, OPT_AUTH_TYPE, OPT_VERIFY,
	OPT_FOLLOW, OPT_TIMEOUT, OPT_QUIET, OPT_IGNORE_STDIN, OPT_CHUNKED,
	OPT_MULTIPART, OPT_SORTED, OPT_UNSORTED,
	/* options stored in cfg->copt[] (client_copt.c) */
	OPT_COPT = 1000,
};

#define C(o) (OPT_COPT + (o))

/* The table --help, the man page and the completions are made from. */
extern const struct opt_spec get_opts[];
/* Request items and URL shorthands, for --help. */
extern const char get_description[];

/* The method a command stands for, or NULL ("request" takes it from
 * argv). */
const char *get_command_method(const char *name);

/* One option into cfg; 0, or -1 with a one-line reason in err (a usage
 * error).  arg points into argv or cfg->argstore and must outlive cfg. */
int get_take_option(struct client_cfg *c, int id, const char *arg,
		    char *err, size_t errsize);

#endif
