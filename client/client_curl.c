/*
 * client_curl.c - the client's transfers on libcurl: one easy handle
 * reused for every URL in turn (so the connection is reused and curl's
 * num_connects reads 1 then 0), retries, exit codes and error text.
 *
 * libcurl (and TLS under it) is initialised here, lazily: --help,
 * --curl, --offline and usage errors never touch it.  Exit codes are
 * curl's: a CURLcode is the number curl(1) exits with (lib/exitcode.h
 * names the common ones).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <fcntl.h>
#include <unistd.h>

#include "client_xfer.h"
#include "lib/clock.h"
#include "lib/exitcode.h"
#include "lib/sslkeylog.h"
#include "http/status.h"
#include "lib/out.h"
#include "lib/version.h"

void
client_view_init(struct client_view *v, const struct client_cfg *cfg)
{
	memset(v, 0, sizeof *v);
	v->stdout_tty = out_is_tty(1);
	if (cfg->pretty == PRETTY_AUTO) {
		v->color = out_color_wanted(1);
		v->format = v->stdout_tty;
		v->color_err = out_color_wanted(2);
	} else {
		v->color = (cfg->pretty & PRETTY_COLORS) != 0;
		v->format = (cfg->pretty & PRETTY_FORMAT) != 0;
		v->color_err = v->color && out_is_tty(2);
	}
	v->sort = v->format && !cfg->unsorted;
	v->print = cfg->print;
	v->last_hop_only = cfg->print && cfg->follow && !cfg->all;
	if (v->print == 0)
		v->print = PRINT_RESP_BODY |
			   (cfg->include || cfg->head_only ? PRINT_RESP_HEAD : 0);
	v->debug = cfg->verbose || cfg->trace_ascii ||
		   (v->print & (PRINT_REQ_HEAD | PRINT_REQ_BODY));
	v->progress = !cfg->silent && !cfg->no_progress && !cfg->verbose &&
		      (out_is_tty(2) || cfg->progress_bar);
}

static void
set_method(CURL *h, const struct client_cfg *cfg)
{
	const char *m = client_method(cfg);

	if (cfg->uploads.n) {	/* -T: UPLOAD per transfer, PUT by default */
		if (strcmp(m, "PUT") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	} else if (cfg->has_body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, cfg->body.data ? cfg->body.data : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)cfg->body.len);
		if (strcmp(m, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	} else if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(m, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	}
}

static void
set_cookies(CURL *h, const struct client_cfg *cfg)
{
	if (cfg->cookie && strchr(cfg->cookie, '='))
		curl_easy_setopt(h, CURLOPT_COOKIE, cfg->cookie);
	else if (cfg->cookie)
		curl_easy_setopt(h, CURLOPT_COOKIEFILE, cfg->cookie);
	if (cfg->cookie_jar) {
		curl_easy_setopt(h, CURLOPT_COOKIEJAR, cfg->cookie_jar);
		if (cfg->cookie == NULL || strchr(cfg->cookie, '='))
			curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
	}
}

/* --keylog: libcurl's OpenSSL context logs its secrets to the file */
static CURLcode
curl_keylog(CURL *h, void *sslctx, void *path)
{
	(void)h;
	return sslkeylog_attach(sslctx, path) < 0 ? CURLE_WRITE_ERROR
						   : CURLE_OK;
}

static void
set_transport(CURL *h, const struct client_cfg *cfg)
{
	static const long versions[] = {
		[2] = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE,
		[10] = CURL_HTTP_VERSION_1_0,
		[11] = CURL_HTTP_VERSION_1_1,
		[20] = CURL_HTTP_VERSION_2_0,
	};

	if (cfg->http_version)
		curl_easy_setopt(h, CURLOPT_HTTP_VERSION, versions[cfg->http_version]);
	else
		/* curl's default: h2 offered over TLS (ALPN), 1.1 in clear */
		curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
	if (cfg->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cfg->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->cacert);
	if (cfg->keylog) {
		curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, curl_keylog);
		curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, (void *)cfg->keylog);
	}
	if (cfg->max_time_ms)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->max_time_ms);
	if (cfg->idle_timeout_ms) {	/* --timeout: no byte for that long */
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
				 (cfg->idle_timeout_ms + 999) / 1000);
	}
	if (cfg->connect_timeout_ms)
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
	if (cfg->unix_socket)
		curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, cfg->unix_socket);
	if (cfg->path_as_is)
		curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	if (cfg->compressed)
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
}

static struct curl_slist *
slist_of(struct curl_slist *l, const struct client_strv *sv)
{
	if (l == NULL)
		for (size_t i = 0; i < sv->n; i++)
			l = curl_slist_append(l, sv->v[i]);
	return l;
}

void
client_slists_free(struct client_slists *l)
{
	curl_slist_free_all(l->headers);
	curl_slist_free_all(l->resolve);
	curl_slist_free_all(l->connect_to);
	memset(l, 0, sizeof *l);
}

CURL *
client_easy_new(struct client_cfg *cfg, const struct client_view *v,
		struct client_slists *l)
{
	CURL *h = curl_easy_init();
	char ua[64];

	(void)v;
	if (h == NULL)
		return NULL;
	snprintf(ua, sizeof ua, "httptool/%s", HTTPTOOL_VERSION);
	curl_easy_setopt(h, CURLOPT_USERAGENT, cfg->user_agent ? cfg->user_agent : ua);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 102400L);
	l->headers = slist_of(l->headers, &cfg->headers);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l->headers);
	if ((l->resolve = slist_of(l->resolve, &cfg->resolve)) != NULL)
		curl_easy_setopt(h, CURLOPT_RESOLVE, l->resolve);
	if ((l->connect_to = slist_of(l->connect_to, &cfg->connect_to)) != NULL)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, l->connect_to);
	set_method(h, cfg);
	if (cfg->follow)
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	/* curl's tool stops at 50 (exit 47); libcurl alone never stops */
	curl_easy_setopt(h, CURLOPT_MAXREDIRS,
			 cfg->max_redirs >= 0 ? cfg->max_redirs : 50L);
	set_cookies(h, cfg);
	if (cfg->share)
		curl_easy_setopt(h, CURLOPT_SHARE, (CURLSH *)cfg->share);
	if (cfg->writeout)	/* for %{certs}, %{num_certs} and %{json} */
		curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
	if (cfg->user) {
		curl_easy_setopt(h, CURLOPT_USERPWD, cfg->user);
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
	}
	if (cfg->referer)
		curl_easy_setopt(h, CURLOPT_REFERER, cfg->referer);
	if (cfg->range)
		curl_easy_setopt(h, CURLOPT_RANGE, cfg->range);
	if (cfg->fail && !cfg->fail_with_body)
		curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	if (cfg->remote_time)
		curl_easy_setopt(h, CURLOPT_FILETIME, 1L);
	set_transport(h, cfg);
	client_copt_apply(h, cfg);
	return h;
}

/* -C -: continue from the size of the existing output file */
static curl_off_t
resume_offset(const struct client_xfer *x)
{
	const char *c = x->cfg->continue_at;
	char full[1024];
	struct stat sb;

	if (c == NULL)
		return 0;
	if (strcmp(c, "-") != 0)
		return strtoll(c, NULL, 10);
	if (x->out_arg == NULL)
		return 0;
	if (x->cfg->output_dir && x->out_arg[0] != '/')
		snprintf(full, sizeof full, "%s/%s", x->cfg->output_dir, x->out_arg);
	else
		snprintf(full, sizeof full, "%s", x->out_arg);
	return stat(full, &sb) == 0 ? (curl_off_t)sb.st_size : 0;
}

/* -T FILE: open it, size it, and add its name to a URL ending in '/' */
static int
open_upload(struct client_xfer *x, const char *path)
{
	bool in = strcmp(path, "-") == 0;
	struct stat sb;
	size_t ulen = strlen(x->url);

	x->upload = in ? stdin : fopen(path, "rb");
	if (x->upload == NULL || fstat(fileno(x->upload), &sb) < 0) {
		snprintf(x->werr, sizeof x->werr, "cannot read '%.200s': %s",
			 path, client_strerror(errno));
		x->upload = NULL;
		return -1;
	}
	curl_easy_setopt(x->h, CURLOPT_READDATA, x->upload);
	curl_easy_setopt(x->h, CURLOPT_INFILESIZE_LARGE, S_ISREG(sb.st_mode) ?
			 (curl_off_t)sb.st_size : (curl_off_t)-1);
	if (!in && ulen && x->url[ulen - 1] == '/') {
		const char *base = strrchr(path, '/');
		char *esc = curl_easy_escape(x->h, base ? base + 1 : path, 0);
		struct buf u = BUF_INIT;
		buf_printf(&u, "%s%s", x->url, esc ? esc : "");
		curl_free(esc);
		if (u.data) {
			free(x->url);
			x->url = u.data;
		}
	}
	return 0;
}

int
client_xfer_init(struct client_xfer *x, struct client_cfg *cfg,
		 const struct client_view *v, CURL *h, size_t i)
{
	memset(x, 0, sizeof *x);
	x->cfg = cfg;
	x->view = v;
	x->h = h;
	x->index = i;
	x->url = client_url_with_query(cfg, i);
	if (x->url == NULL)
		return -1;
	if (i < cfg->nouts) {
		x->out_arg = cfg->outs[i].path;
		x->remote_name = cfg->outs[i].path == NULL;
	} else {
		x->remote_name = cfg->remote_name_all;
	}
	x->resume_from = resume_offset(x);
	x->may_retry = cfg->retry > 0;
	x->started = clock_now();
	buf_init(&x->body);
	buf_init(&x->hop);
	if (i < cfg->uploads.n && open_upload(x, cfg->uploads.v[i]) < 0)
		return EXIT_CURL_READ;
	/* UPLOAD 0 would also reset the method to GET: only with -T */
	if (cfg->uploads.n)
		curl_easy_setopt(h, CURLOPT_UPLOAD, x->upload ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_URL, x->url);
	curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, x->resume_from);
	client_cb_setup(x);
	return 0;
}

void
client_xfer_free(struct client_xfer *x)
{
	if (x->fp && x->fp != stdout)
		fclose(x->fp);
	if (x->upload && x->upload != stdin)
		fclose(x->upload);
	free(x->fbuf);
	free(x->url);
	free(x->out_path);
	free(x->disposition);
	buf_free(&x->body);
	buf_free(&x->hop);
}

static void
lower_word(char *p)
{
	if (isupper((unsigned char)p[0]) && !isupper((unsigned char)p[1]))
		p[0] = (char)tolower((unsigned char)p[0]);
}

void
client_errmsg(char *out, size_t size, CURLcode code, const char *errbuf,
	      long os_errno)
{
	const char *generic = curl_easy_strerror(code);
	char *p;
	size_t n;

	snprintf(out, size, "%s", errbuf && *errbuf ? errbuf : generic);
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '.'))
		out[--n] = 0;
	/* "after 0 ms" is noise in a message meant to be compared */
	if ((p = strstr(out, " after ")) && isdigit((unsigned char)p[7])) {
		char *q = p + 7;
		while (isdigit((unsigned char)*q))
			q++;
		if (strncmp(q, " ms", 3) == 0)
			memmove(p, q + 3, strlen(q + 3) + 1);
	}
	/* the system's reason says more than libcurl's generic one */
	n = strlen(out);
	if (os_errno && n > strlen(generic) + 2 &&
	    strcmp(out + n - strlen(generic), generic) == 0)
		snprintf(out + n - strlen(generic), size - (n - strlen(generic)),
			 "%s", strerror((int)os_errno));
	/* lower case, except words in capitals (SSL, HTTP) */
	lower_word(out);
	for (p = strstr(out, ": "); p; p = strstr(p + 2, ": "))
		lower_word(p + 2);
}

static void
report(const struct client_xfer *x, int code, const char *msg)
{
	const struct client_cfg *cfg = x->cfg;

	if (cfg->silent && !cfg->show_error)
		return;
	fprintf(stderr, "%s: (%d) %s\n", cfg->prog, code, msg);
}

static int
check_status(const struct client_xfer *x)
{
	long s = x->status;
	const char *phrase = http_status_phrase((int)s);

	if (s < 300 || s >= 600)
		return EXIT_OK;
	if (!x->cfg->silent)
		fprintf(stderr, "%s: warning: HTTP %ld %s\n", x->cfg->prog, s,
			phrase);
	return s < 400 ? EXIT_HTTP_3XX : s < 500 ? EXIT_HTTP_4XX : EXIT_HTTP_5XX;
}

/* --remove-on-error and -R on the output file, once it is closed */
static void
finish_file(const struct client_xfer *x, int rc)
{
	curl_off_t t = -1;

	if (x->out_path == NULL)
		return;
	if (rc != EXIT_OK && x->cfg->remove_on_error) {
		unlink(x->out_path);
		return;
	}
	if (x->cfg->remote_time &&
	    curl_easy_getinfo(x->h, CURLINFO_FILETIME_T, &t) == CURLE_OK &&
	    t >= 0) {
		struct timespec ts[2] = { { (time_t)t, 0 }, { (time_t)t, 0 } };
		utimensat(AT_FDCWD, x->out_path, ts, 0);
	}
}

/* HTTPie's metadata (--print m, --meta): the elapsed time, after a blank
 * line when a body was shown. */
static void
print_meta(const struct client_xfer *x)
{
	curl_off_t t = 0;
	char frac[8];
	int n;

	curl_easy_getinfo(x->h, CURLINFO_TOTAL_TIME_T, &t);
	/* as HTTPie's str(float): no trailing zeros, one digit at least */
	n = snprintf(frac, sizeof frac, "%06ld", (long)(t % 1000000));
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = 0;
	printf("%sElapsed time: %ld.%ss\n\n",
	       x->decided && (x->view->print & PRINT_RESP_BODY) ? "\n\n" : "",
	       (long)(t / 1000000), frac);
	fflush(stdout);
}

int
client_xfer_done(struct client_xfer *x, CURLcode code)
{
	char msg[CURL_ERROR_SIZE + 64];
	int werr = client_cb_finish(x, code);
	int rc = EXIT_OK;

	if (x->werr[0] && (code == CURLE_OK || code == CURLE_WRITE_ERROR)) {
		rc = EXIT_CURL_WRITE;
		report(x, rc, x->werr);
	} else if (code == CURLE_WRITE_ERROR && x->write_failed) {
		rc = EXIT_CURL_WRITE;
		snprintf(msg, sizeof msg, "failure writing output: %s",
			 client_strerror(x->write_failed));
		report(x, rc, msg);
	} else if (code != CURLE_OK) {
		long os_errno = 0;
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &os_errno);
		client_errmsg(msg, sizeof msg, code, x->errbuf, os_errno);
		rc = (int)code;
		report(x, rc, msg);
	} else if (werr < 0) {
		rc = EXIT_CURL_WRITE;
		snprintf(msg, sizeof msg, "failure writing output: %s",
			 client_strerror(-werr));
		report(x, rc, msg);
	} else if (x->cfg->fail_with_body && x->status >= 400) {
		rc = EXIT_CURL_HTTP_ERROR;
		snprintf(msg, sizeof msg, "the requested URL returned error: %ld",
			 x->status);
		report(x, rc, msg);
	} else if (x->cfg->check_status) {
		rc = check_status(x);
	}
	finish_file(x, rc);
	if (x->view->print & PRINT_META)
		print_meta(x);
	if (x->cfg->writeout)
		client_writeout(x, x->cfg->writeout, rc);
	return rc;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One URL, with --retry; returns its exit code. */
static int
run_one(struct client_cfg *cfg, const struct client_view *v, CURL *h,
	size_t i)
{
	struct client_xfer x;
	CURLcode code;
	long delay;
	int rc;

	if ((rc = client_xfer_init(&x, cfg, v, h, i)) != 0) {
		if (x.werr[0] && !(cfg->silent && !cfg->show_error))
			fprintf(stderr, "%s: (%d) %s\n", cfg->prog, rc, x.werr);
		client_xfer_free(&x);
		return rc < 0 ? EXIT_FAIL : rc;
	}
	do {
		code = curl_easy_perform(h);
		delay = client_retry_wait(&x, code);
		if (delay >= 0)
			sleep_ms(delay);
	} while (delay >= 0);
	rc = client_xfer_done(&x, code);
	client_xfer_free(&x);
	return rc;
}

/* stdout's buffer when it is not a terminal: a body arrives in 16 KiB
 * pieces, and stdio's 4 KiB default would split each into several writes.
 * Static because stdout outlives client_run() (flushed at exit). */
static char stdout_buf[CLIENT_OUT_BUFSIZE];

void *
client_share_new(void)
{
	CURLSH *sh;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	if ((sh = curl_share_init()) == NULL) {
		curl_global_cleanup();
		return NULL;
	}
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	return sh;
}

void
client_share_free(void *share)
{
	if (share == NULL)
		return;
	curl_share_cleanup((CURLSH *)share);
	curl_global_cleanup();
}

/*
 * Before a group's transfers: its view, and the files -D, --etag-save
 * and --trace-ascii write.  0, or the exit status after the message.
 * stdout gets its big buffer only when first is set (before any output).
 */
static int
run_begin(struct client_cfg *cfg, struct client_view *v, bool first)
{
	client_view_init(v, cfg);
	if (first && !v->stdout_tty)
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
	if (cfg->trace_ascii) {
		v->trace = strcmp(cfg->trace_ascii, "-") == 0 ? stderr :
			   fopen(cfg->trace_ascii, "w");
		if (v->trace == NULL) {
			fprintf(stderr, "%s: cannot write '%s': %s\n", cfg->prog,
				cfg->trace_ascii, client_strerror(errno));
			return EXIT_CURL_WRITE;
		}
	}
	if (cfg->dump_header) {
		v->dump = strcmp(cfg->dump_header, "-") == 0 ? stdout :
			  fopen(cfg->dump_header, "wb");
		if (v->dump == NULL) {
			fprintf(stderr, "%s: cannot write '%s': %s\n", cfg->prog,
				cfg->dump_header, client_strerror(errno));
			return EXIT_CURL_WRITE;
		}
	}
	if (cfg->etag_save) {	/* made empty first, as curl does */
		v->etag = strcmp(cfg->etag_save, "-") == 0 ? stdout :
			  fopen(cfg->etag_save, "wb");
		if (v->etag == NULL) {
			fprintf(stderr, "%s: cannot write '%s': %s\n", cfg->prog,
				cfg->etag_save, client_strerror(errno));
			return EXIT_CURL_READ;	/* curl: no transfer, 26 */
		}
	}
	if (cfg->nouts > cfg->urls.n && !cfg->silent)
		fprintf(stderr, "%s: warning: %zu -o/-O given for %zu URL%s; the "
			"rest are unused\n", cfg->prog, cfg->nouts, cfg->urls.n,
			cfg->urls.n == 1 ? "" : "s");
	return EXIT_OK;
}

/* After a group's transfers: close its files, save its session. */
static void
run_end(const struct client_cfg *cfg, struct client_view *v)
{
	if (v->trace && v->trace != stderr)
		fclose(v->trace);
	if (v->dump && v->dump != stdout)
		fclose(v->dump);
	if (v->etag && v->etag != stdout)
		fclose(v->etag);
	memset(v, 0, sizeof *v);
	if (cfg->session_file && client_session_save(cfg) < 0 && !cfg->silent)
		fprintf(stderr, "%s: warning: cannot save session '%s'\n",
			cfg->prog, cfg->session_file);
}

static bool
global_init(const struct client_cfg *cfg)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		return true;
	fprintf(stderr, "%s: cannot initialise libcurl\n", cfg->prog);
	return false;
}

enum exit_code
client_run(struct client_cfg *cfg, bool first)
{
	struct client_slists lists = { 0 };
	struct client_view v;
	int rc;
	CURL *h;

	if ((rc = run_begin(cfg, &v, first)) != EXIT_OK || !global_init(cfg)) {
		run_end(cfg, &v);
		return rc != EXIT_OK ? rc : EXIT_FAIL;
	}
	if (cfg->parallel && cfg->urls.n > 1) {
		rc = client_run_parallel(cfg, &v, 1);
	} else if ((h = client_easy_new(cfg, &v, &lists)) != NULL) {
		/* curl: one after another, the last transfer's status */
		for (size_t i = 0; i < cfg->urls.n; i++) {
			rc = run_one(cfg, &v, h, i);
			if (rc != EXIT_OK && cfg->fail_early)
				break;
		}
		curl_easy_cleanup(h);	/* writes the cookie jar */
	} else {
		rc = EXIT_FAIL;
	}
	client_slists_free(&lists);
	curl_global_cleanup();
	run_end(cfg, &v);
	return rc;
}

enum exit_code
client_run_together(struct client_cfg *g, size_t n)
{
	struct client_view *v = calloc(n, sizeof *v);
	size_t begun = 0;
	int rc = EXIT_OK;

	if (v == NULL) {
		fprintf(stderr, "%s: out of memory\n", g[0].prog);
		return EXIT_FAIL;
	}
	while (begun < n && rc == EXIT_OK) {
		rc = run_begin(&g[begun], &v[begun], begun == 0);
		begun++;
	}
	if (rc == EXIT_OK && global_init(&g[0])) {
		rc = client_run_parallel(g, v, n);
		curl_global_cleanup();
	} else if (rc == EXIT_OK) {
		rc = EXIT_FAIL;
	}
	for (size_t i = 0; i < begun; i++)
		run_end(&g[i], &v[i]);
	free(v);
	return rc;
}
