/*
 * cmd_get.c - the client: get, post, put, patch, delete, head, options and
 * request.  One option table (get_opts.c) and one exec serve every method;
 * each method is its own cmd_entry so `httptool help` lists them and
 * completions see them.  This file walks argv, -K files and the default
 * config, sorts the positional words into URLs and HTTPie request items,
 * and hands the finished request description to client/.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "cmd.h"
#include "get_opts.h"
#include "opt_config.h"

/* What argv parsing collects besides the cfg. */
struct client_args {
	struct client_cfg *cfg;
	const struct cmd_entry *self;
	char **pos;		/* positional words and --url values */
	bool *is_url;		/* pos[i] came from --url */
	size_t npos, cap;
	int depth;		/* -K nesting */
	int next;		/* argv index after -:/--next, or 0 */
	bool help;
	char err[512];
};

static int
add_positional(struct client_args *a, const char *word, bool url)
{
	if (a->npos == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char **p = realloc(a->pos, cap * sizeof *p);
		bool *u = p ? realloc(a->is_url, cap * sizeof *u) : NULL;
		if (p)
			a->pos = p;
		if (u == NULL)
			return -1;
		a->is_url = u;
		a->cap = cap;
	}
	a->pos[a->npos] = (char *)word;
	a->is_url[a->npos++] = url;
	return 0;
}

static int parse_args(struct client_args *a, int argc, char **argv, int first);

/* -K FILE (and the default config): its options, in place. */
static int
read_config(struct client_args *a, const char *path, bool must_exist)
{
	struct client_strv *store = &a->cfg->argstore;
	char **words = NULL, **argv;
	int n, r = 0;
	size_t base = store->n;

	if (a->depth > 4) {
		snprintf(a->err, sizeof a->err, "config files nest too deep at '%s'", path);
		return -1;
	}
	n = opt_config_read(path, get_opts, &words, a->err, sizeof a->err);
	/* like curl's .curlrc: a default config that cannot be opened
	   (missing, or unreadable after sudo -u / a privilege drop) is none */
	if ((n == -ENOENT || n == -EACCES || n == -ENOTDIR) && !must_exist) {
		*a->err = 0;
		return 0;
	}
	if (n < 0)
		return -1;
	/* cfg keeps pointers into the words: they live in cfg->argstore */
	for (int i = 0; i < n; i++)
		if (r == 0 && client_strv_take(store, words[i]) < 0)
			r = -1;
		else if (r < 0)
			free(words[i]);
	free(words);
	argv = r == 0 ? calloc((size_t)n + 1, sizeof *argv) : NULL;
	if (argv == NULL) {
		snprintf(a->err, sizeof a->err, "out of memory");
		return -1;
	}
	memcpy(argv, store->v + base, (size_t)n * sizeof *argv);
	a->depth++;
	r = parse_args(a, n, argv, 0);
	a->depth--;
	free(argv);
	return r;
}

static int
parse_args(struct client_args *a, int argc, char **argv, int first)
{
	struct opt_state st;
	const char *arg;
	int id;

	opt_init(&st, argc, argv, first, a->cfg->prog);
	while ((id = opt_next(&st, get_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return -2;
		if (id == OPT_HELP) {
			a->help = true;
			return 0;
		}
		if (id == 'q')
			continue;	/* only meaningful first; see client_exec */
		if (id == OPT_NEXT) {
			if (a->depth > 0) {
				snprintf(a->err, sizeof a->err, "--next is not "
					 "supported in a config file");
				return -1;
			}
			a->next = st.ind;
			return 0;
		}
		if (id == 'K') {
			if (read_config(a, arg, true) < 0)
				return -1;
			continue;
		}
		if (id == OPT_POSITIONAL || id == OPT_URL) {
			if (add_positional(a, arg, id == OPT_URL) < 0)
				return -1;
		} else if (get_take_option(a->cfg, id, arg, a->err, sizeof a->err) < 0) {
			return -1;
		}
	}
	return 0;
}
/* Positional words: [METHOD] URL, then more URLs and request items. */
static int
take_positionals(struct client_args *a, bool want_method)
{
	struct client_cfg *c = a->cfg;
	struct buf url = BUF_INIT;
	size_t i = 0;
	int r = 0;
	bool have_url = false;

	if (want_method) {
		while (i < a->npos && a->is_url[i])
			i++;
		if (i == a->npos) {
			snprintf(a->err, sizeof a->err, "no METHOD given");
			return -1;
		}
		if (!c->method_forced)
			c->method = a->pos[i];
		c->method_forced = true;
		a->pos[i] = NULL;
		i = 0;
	}
	for (; r == 0 && i < a->npos; i++) {
		const char *w = a->pos[i];
		if (w == NULL)
			continue;
		if (a->is_url[i] || !have_url || client_looks_like_url(w)) {
			r = client_url_normalise(w, &url, a->err, sizeof a->err);
			if (r == -EINVAL) {	/* curl: (3) URL malformed */
				buf_free(&url);
				return -3;
			}
			if (r == 0)
				r = client_strv_add(&c->urls, url.data);
			have_url = true;
		} else {
			r = client_item_add(c, w, a->err, sizeof a->err);
		}
	}
	buf_free(&url);
	if (r == 0 && !have_url) {
		/* -d URL: curl's data, or HTTPie's -d (download)? */
		snprintf(a->err, sizeof a->err, "no URL given%s", c->ndata ?
			 " (curl's -d takes DATA, so the word after it was taken "
			 "as data; for HTTPie's -d/--download use -O)" : "");
		return -1;
	}
	if (r < 0 && *a->err == 0)
		snprintf(a->err, sizeof a->err, "out of memory");
	return r < 0 ? -1 : 0;
}

/* $XDG_CONFIG_HOME/httptool/config, else ~/.config/httptool/config */
static int
default_config(struct client_args *a)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[1024];

	if (xdg && *xdg == '/')
		snprintf(path, sizeof path, "%s/httptool/config", xdg);
	else if (home && *home)
		snprintf(path, sizeof path, "%s/.config/httptool/config", home);
	else
		return 0;
	return read_config(a, path, false);
}

/* --keylog FILE can be created or appended to; -1 after saying why. */
static int
keylog_writable(const char *path, const char *prog)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (fd < 0) {
		fprintf(stderr, "%s: cannot write the key log '%s': %s\n", prog,
			path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * After one group's options (the whole command line, or the part before
 * a -:/--next): its URLs and items, globs, session, body and the checks
 * that come before sending.  0, or the exit status after the message.
 */
static int
group_prepare(struct client_args *a, bool want_method)
{
	struct client_cfg *cfg = a->cfg;
	const char *prog = cfg->prog;
	int r;

	/* HTTPie's --download saves under the server's or the URL's name,
	   but writes to stdout when that is redirected (http -d URL | tar) */
	if (cfg->download && isatty(1))
		cfg->remote_name_all = cfg->remote_header = true;
	if (cfg->bearer && cfg->user) {	/* --auth-type bearer --auth TOKEN */
		cfg->copt[COPT_OAUTH2_BEARER] = cfg->user;
		cfg->user = NULL;
	}
	r = take_positionals(a, want_method);
	if (r == 0 && client_glob_apply(cfg, a->err, sizeof a->err) < 0)
		r = -3;
	if (r == -3) {
		fprintf(stderr, "%s: (3) %s\n", prog, a->err);
		return EXIT_CURL_URL;
	}
	if (r < 0 || client_session_load(cfg, a->err, sizeof a->err) < 0 ||
	    client_body_build(cfg, a->err, sizeof a->err) < 0)
		goto usage;
	if (client_etag_compare(cfg, a->err, sizeof a->err) < 0) {
		if (!cfg->silent || cfg->show_error)
			fprintf(stderr, "%s: (26) %s\n", prog, a->err);
		return EXIT_CURL_READ;
	}
	if (!cfg->curl_cmd && !cfg->offline && client_ask_password(cfg) < 0) {
		snprintf(a->err, sizeof a->err, "out of memory");
		goto usage;
	}
	if (cfg->keylog && !cfg->curl_cmd && !cfg->offline &&
	    keylog_writable(cfg->keylog, prog) < 0)
		return EXIT_FAIL;
	return 0;
usage:
	fprintf(stderr, "%s: %s\n", prog, a->err);
	return EXIT_USAGE;
}

/* curl's global options hold for every -:/--next group, whichever group
 * gave them. */
static void
groups_share_globals(struct client_cfg *g, size_t n)
{
	struct client_cfg all = g[0];

	for (size_t i = 1; i < n; i++) {
		all.silent |= g[i].silent;
		all.show_error |= g[i].show_error;
		all.no_progress |= g[i].no_progress;
		all.progress_bar |= g[i].progress_bar;
		all.verbose |= g[i].verbose;
		all.fail_early |= g[i].fail_early;
		all.parallel |= g[i].parallel;
		all.parallel_immediate |= g[i].parallel_immediate;
		if (g[i].parallel_max != g[0].parallel_max)
			all.parallel_max = g[i].parallel_max;
		if (g[i].trace_ascii)
			all.trace_ascii = g[i].trace_ascii;
	}
	for (size_t i = 0; i < n; i++) {
		g[i].silent = all.silent;
		g[i].show_error = all.show_error;
		g[i].no_progress = all.no_progress;
		g[i].progress_bar = all.progress_bar;
		g[i].verbose = all.verbose;
		g[i].fail_early = all.fail_early;
		g[i].parallel = all.parallel;
		g[i].parallel_immediate = all.parallel_immediate;
		g[i].parallel_max = all.parallel_max;
		g[i].trace_ascii = all.trace_ascii;
	}
}

/*
 * libcurl turns a non-ASCII host name into its IDNA form with libidn2,
 * which reads it in the locale's character set: only then is the locale
 * needed, so the common start-up does no locale work (setlocale and
 * glibc's gconv cache cost about 0.5 ms, 2 % of a run).
 */
static void
locale_if_needed(const struct client_cfg *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *proxy = g[i].copt[COPT_PROXY];
		for (size_t k = 0; k <= g[i].urls.n; k++) {
			const char *s = k < g[i].urls.n ? g[i].urls.v[k] : proxy;
			for (; s && *s; s++)
				if ((unsigned char)*s >= 0x80) {
					setlocale(LC_CTYPE, "");
					return;
				}
		}
	}
}

/* Run each group in turn on one shared connection cache (the exit status
 * is the last transfer's, as curl's), or all at once with -Z. */
static int
groups_run(struct client_cfg *g, size_t n)
{
	void *share;
	int rc = EXIT_OK;
	bool together = n > 1 && g[0].parallel;

	for (size_t i = 0; i < n; i++)
		together = together && !g[i].curl_cmd && !g[i].offline;
	if (together)	/* -Z is global: every group's URLs at once */
		return client_run_together(g, n);
	share = n > 1 ? client_share_new() : NULL;
	for (size_t i = 0; i < n; i++) {
		g[i].share = share;
		if (g[i].curl_cmd)
			client_print_curl(&g[i], stdout);
		else if (g[i].offline)
			client_print_offline(&g[i], stdout);
		rc = g[i].curl_cmd || g[i].offline ? EXIT_OK :
		     client_run(&g[i], i == 0);
		if (rc != EXIT_OK && g[i].fail_early)
			break;
	}
	client_share_free(share);
	return rc;
}

static int
client_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct client_cfg *g = NULL;
	struct client_args a = { .self = self };
	const char *method = get_command_method(self->name);
	size_t n = 0;
	char prog[64];
	int rc = EXIT_OK, first = 1, r = 0;

	cmd_prog(self, prog, sizeof prog);
	do {	/* one group of options and URLs per -:/--next */
		struct client_cfg *ng = realloc(g, (n + 1) * sizeof *g);
		if (ng == NULL) {
			fprintf(stderr, "%s: out of memory\n", prog);
			rc = EXIT_FAIL;
			break;
		}
		g = ng;
		a.cfg = &g[n];
		client_cfg_init(a.cfg, prog, n && method == NULL ? g[0].method : method);
		n++;
		if (strcmp(self->name, "head") == 0)
			a.cfg->head_only = true;
		if (n > 1 && method == NULL)	/* request METHOD, for all */
			a.cfg->method_forced = true;
		a.npos = 0;
		a.next = 0;
		/* curl: -q first skips the default config file, which only
		   the first group reads */
		r = 0;
		if (n == 1 && (argc < 2 || (strcmp(argv[1], "-q") &&
					    strcmp(argv[1], "--disable"))))
			r = default_config(&a);
		if (r == 0)
			r = parse_args(&a, argc, argv, first);
		if (r == -2) {
			rc = EXIT_USAGE;
			break;
		}
		if (r < 0) {
			fprintf(stderr, "%s: %s\n", prog, a.err);
			rc = EXIT_USAGE;
			break;
		}
		if (a.help) {
			cmd_print_help(self, stdout);
			break;
		}
		rc = group_prepare(&a, n == 1 && method == NULL);
		first = a.next;
	} while (rc == EXIT_OK && first > 0);
	if (rc == EXIT_OK && !a.help) {
		locale_if_needed(g, n);
		groups_share_globals(g, n);
		rc = groups_run(g, n);
	}
	for (size_t i = 0; i < n; i++)
		client_cfg_free(&g[i]);
	free(g);
	free(a.pos);
	free(a.is_url);
	return rc;
}

#define CLIENT_ENTRY(sym, nm, sum)					\
	const struct cmd_entry sym = {					\
		.name = nm,						\
		.summary = sum,						\
		.usage = "[OPTIONS] URL [URL...] [ITEM...]",		\
		.description = get_description,			\
		.opts = get_opts,					\
		.exec = client_exec,					\
		.own_locale = true,					\
	}

CLIENT_ENTRY(cmd_get_entry, "get", "send a GET request (curl-like, HTTPie items)");
CLIENT_ENTRY(cmd_post_entry, "post", "send a POST request with form, JSON or file items");
CLIENT_ENTRY(cmd_put_entry, "put", "send a PUT request");
CLIENT_ENTRY(cmd_patch_entry, "patch", "send a PATCH request");
CLIENT_ENTRY(cmd_delete_entry, "delete", "send a DELETE request");
CLIENT_ENTRY(cmd_head_entry, "head", "send a HEAD request and show the headers");
CLIENT_ENTRY(cmd_options_entry, "options", "send an OPTIONS request");

const struct cmd_entry cmd_request_entry = {
	.name = "request",
	.summary = "send a request with any METHOD",
	.usage = "[OPTIONS] METHOD URL [URL...] [ITEM...]",
	.description = get_description,
	.opts = get_opts,
	.exec = client_exec,
	.own_locale = true,
};
