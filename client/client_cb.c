/*
 * client_cb.c - the client's libcurl callbacks: response body, response
 * headers, the debug stream (-v, --print H/B, --trace-ascii) and the
 * progress bar.
 *
 * -v follows curl's tool_cb_dbg.c (STYLE.md 10): "* " for libcurl's
 * informational text, "> " for each request header line sent, "< " for
 * each response header line received, all on stderr.  Bodies go to stdout
 * or to the -o/-O file, opened lazily so -J can use the server's name and
 * -C - can append.  On a terminal a JSON body is collected and pretty-
 * printed at the end; a binary body is refused with a note (HTTPie).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "client_xfer.h"
#include "http/header.h"
#include "lib/out.h"

static const char *
remote_name(const struct client_xfer *x, char *tmp, size_t size)
{
	const char *u = strstr(x->url, "://");
	const char *path = u ? strchr(u + 3, '/') : NULL;
	size_t len;

	if (x->cfg->remote_header && x->disposition && *x->disposition)
		return x->disposition;
	if (path == NULL)
		return "";
	len = strcspn(path, "?#");
	while (len && path[len - 1] != '/')
		len--;
	path += len;
	snprintf(tmp, size, "%.*s", (int)strcspn(path, "?#"), path);
	return tmp;
}

/* --create-dirs: mkdir -p the directories above path */
static int
make_dirs(const char *path)
{
	char dir[1024];

	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0750) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* Open the -o/-O file (or take stdout) on first use. */
static int
open_output(struct client_xfer *x)
{
	char tmp[512], full[1024];
	const char *name = x->out_arg;

	if (x->fp)
		return 0;
	if (name == NULL && !x->remote_name) {
		x->fp = stdout;
		return 0;
	}
	if (name == NULL)
		name = remote_name(x, tmp, sizeof tmp);
	if (*name == 0) {
		x->write_failed = ENOENT;
		snprintf(x->werr, sizeof x->werr,
			 "remote file name has no length");
		return -1;
	}
	if (strcmp(name, "-") == 0) {
		x->fp = stdout;
		return 0;
	}
	if (x->cfg->output_dir && name[0] != '/')
		snprintf(full, sizeof full, "%s/%s", x->cfg->output_dir, name);
	else
		snprintf(full, sizeof full, "%s", name);
	x->out_path = strdup(full);
	if (x->cfg->create_dirs && make_dirs(full) < 0) {
		x->write_failed = errno;
		snprintf(x->werr, sizeof x->werr, "cannot create directory for "
			 "'%.200s': %s", full, client_strerror(errno));
		return -1;
	}
	if (name == x->disposition && x->resume_from <= 0) {
		/* a name the server chose never replaces a file (as curl) */
		int fd = open(full, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 && errno == EEXIST) {
			x->write_failed = EEXIST;
			snprintf(x->werr, sizeof x->werr, "refusing to "
				 "overwrite '%.200s': file exists", full);
			return -1;
		}
		x->fp = fd < 0 ? NULL : fdopen(fd, "wb");
		if (fd >= 0 && x->fp == NULL)
			close(fd);
	} else {
		x->fp = fopen(full, x->resume_from > 0 ? "ab" : "wb");
	}
	if (x->fp == NULL) {
		x->write_failed = errno;
		snprintf(x->werr, sizeof x->werr, "cannot write '%.200s': %s",
			 full, client_strerror(errno));
		return -1;
	}
	/* stdio's 4 KiB default turns a big download into 8 KiB writes
	 * (glibc ignores the size unless the buffer is given) */
	if ((x->fbuf = malloc(CLIENT_OUT_BUFSIZE)) != NULL)
		setvbuf(x->fp, x->fbuf, _IOFBF, CLIENT_OUT_BUFSIZE);
	return 0;
}

/*
 * Might the body be JSON?  Its type says so (application/json, a +json
 * suffix such as application/vnd.api+json, any type naming json), or it
 * is one a server sends JSON under by mistake (text/plain, text/html,
 * javascript): HTTPie's list.  The body itself decides (flush_json).
 */
static bool
maybe_json_type(const char *ct)
{
	const char *semi;
	size_t n;

	if (ct == NULL)
		return false;
	semi = strchr(ct, ';');
	n = semi ? (size_t)(semi - ct) : strlen(ct);
	while (n && ct[n - 1] == ' ')
		n--;
	for (size_t i = 0; i + 4 <= n; i++)
		if (strncasecmp(ct + i, "json", 4) == 0)
			return true;
	for (size_t i = 0; i + 10 <= n; i++)
		if (strncasecmp(ct + i, "javascript", 10) == 0)
			return true;
	return (n == 10 && strncasecmp(ct, "text/plain", 10) == 0) ||
	       (n == 9 && strncasecmp(ct, "text/html", 9) == 0);
}

/* First bytes of a body to the terminal: refuse binary, collect JSON. */
static void
decide_body(struct client_xfer *x, const char *p, size_t len)
{
	char *ct = NULL;

	x->decided = true;
	if (x->fp != stdout)
		return;
	/* curl: binary to a terminal is a write error (23) unless -o - */
	if (x->view->stdout_tty && out_is_binary(p, len) &&
	    !(x->out_arg && strcmp(x->out_arg, "-") == 0)) {
		x->binary_skip = true;
		x->write_failed = EIO;
		snprintf(x->werr, sizeof x->werr, "binary output can mess up "
			 "your terminal: use '-o -' to show it anyway, or "
			 "'-o FILE' to save it");
		return;
	}
	curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct);
	x->buffer_json = (x->view->format || x->view->color) &&
			 maybe_json_type(ct);
}

static size_t
cb_write(char *p, size_t size, size_t n, void *ud)
{
	struct client_xfer *x = ud;
	size_t len = size * n;

	if (x->discard)
		return len;
	if (x->fp == NULL && open_output(x) < 0)
		return 0;
	if (x->fp == stdout && !(x->view->print & PRINT_RESP_BODY))
		return len;
	if (!x->decided)
		decide_body(x, p, len);
	if (x->binary_skip)
		return 0;
	if (x->buffer_json && x->body.len + len > CLIENT_PRETTY_MAX) {
		/* too big to hold for formatting (a gzip bomb, say): show
		   what came so far and the rest as it comes, untouched */
		fprintf(stderr, "%s: body over %d MiB: shown as sent, not "
			"formatted\n", x->cfg->prog, CLIENT_PRETTY_MAX >> 20);
		x->buffer_json = false;
		if (x->body.len &&
		    fwrite(x->body.data, 1, x->body.len, x->fp) != x->body.len) {
			x->write_failed = errno ? errno : EIO;
			return 0;
		}
		buf_free(&x->body);
	}
	if (x->buffer_json)
		return buf_append(&x->body, p, len) < 0 ? 0 : len;
	if (fwrite(p, 1, len, x->fp) != len) {
		x->write_failed = errno ? errno : EIO;
		return 0;
	}
	if ((x->fp == stdout && x->view->stdout_tty) || x->cfg->no_buffer)
		fflush(x->fp);
	return len;
}

static bool
retryable_status(long status)
{
	return status == 408 || status == 429 || status == 500 ||
	       status == 502 || status == 503 || status == 504;
}

/* Content-Disposition: attachment; filename="x" -> x, no directories */
static void
take_disposition(struct client_xfer *x, const char *line, size_t len)
{
	struct span v = { line, len }, fn;
	const char *slash;

	v.p += 20;		/* "content-disposition:" */
	v.len -= 20;
	if (!http_param_find(v, "filename", &fn) || fn.len == 0)
		return;
	free(x->disposition);
	x->disposition = strndup(fn.p, fn.len);
	while ((slash = strrchr(x->disposition, '/')) != NULL)
		memmove(x->disposition, slash + 1, strlen(slash + 1) + 1);
}

/* --etag-save: the value as it came (quotes kept), one line, as curl */
static void
save_etag(FILE *fp, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	fwrite(v, 1, n, fp);
	fputc('\n', fp);
	fflush(fp);
}

/* One response head line to the output (coloured on a terminal). */
static int
print_head_line(struct client_xfer *x, const char *p, size_t len)
{
	size_t l = len;

	while (l && (p[l - 1] == '\n' || p[l - 1] == '\r'))
		l--;
	if (x->fp == NULL && open_output(x) < 0)
		return -1;
	if (x->fp == stdout && x->view->color)
		out_head_line(stdout, p, l, "\n", true);
	else
		fwrite(p, 1, len, x->fp);
	return 0;
}

/* A head line to sort: HTTPie sorts by the name (the text before ':'),
 * case-sensitively, lines with the same name keeping their order. */
struct head_line {
	const char *p;
	size_t len, namelen, idx;
};

static int
head_line_cmp(const void *a, const void *b)
{
	const struct head_line *x = a, *y = b;
	size_t n = x->namelen < y->namelen ? x->namelen : y->namelen;
	int c = memcmp(x->p, y->p, n);

	if (c == 0 && x->namelen != y->namelen)
		c = x->namelen < y->namelen ? -1 : 1;
	if (c == 0)
		c = x->idx < y->idx ? -1 : x->idx > y->idx;
	return c;
}

/* Print a held head (status line, header lines, blank line), its header
 * lines sorted by name when the output is formatted (HTTPie's
 * headers.sort, off with --unsorted). */
static int
print_head(struct client_xfer *x, struct span all)
{
	struct head_line *l = NULL;
	size_t n = 0;
	int r = 0;

	if (x->fp == NULL && open_output(x) < 0)
		return -1;
	if (x->view->sort && x->fp == stdout)
		l = calloc(all.len / 2 + 1, sizeof *l);	/* lines are >= 2 bytes */
	for (size_t at = 0; at < all.len;) {
		const char *nl = memchr(all.p + at, '\n', all.len - at);
		size_t k = nl ? (size_t)(nl - all.p - at) + 1 : all.len - at;
		const char *colon = memchr(all.p + at, ':', k);
		if (l && at > 0 && colon && k > 2) {
			l[n] = (struct head_line){ all.p + at, k,
				(size_t)(colon - all.p - at), n };
			n++;
		} else {
			if (n) {	/* the blank line ends the sorted ones */
				qsort(l, n, sizeof *l, head_line_cmp);
				for (size_t i = 0; r == 0 && i < n; i++)
					r = print_head_line(x, l[i].p, l[i].len);
				n = 0;
			}
			if (r == 0)
				r = print_head_line(x, all.p + at, k);
		}
		at += k;
	}
	if (n) {
		qsort(l, n, sizeof *l, head_line_cmp);
		for (size_t i = 0; r == 0 && i < n; i++)
			r = print_head_line(x, l[i].p, l[i].len);
	}
	free(l);
	return r;
}

/*
 * HTTPie's --print with --follow and no --all: only the last hop's head
 * is shown.  Each head is held until its blank line; one that libcurl
 * will follow (a redirect status with a Location) is dropped.  Heads
 * are held the same way to sort their lines (formatted output).
 */
static int
hold_hop(struct client_xfer *x, const char *p, size_t len)
{
	bool redirect;

	if (len > 5 && memcmp(p, "HTTP/", 5) == 0) {
		buf_reset(&x->hop);
		x->hop_location = false;
	} else if (len > 9 && strncasecmp(p, "location:", 9) == 0) {
		x->hop_location = true;
	}
	if (buf_append(&x->hop, p, len) < 0)
		return -1;
	if (!(len <= 2 && (p[0] == '\r' || p[0] == '\n')))
		return 0;
	redirect = x->view->last_hop_only && x->hop_location &&
		   (x->status == 301 || x->status == 302 || x->status == 303 ||
		    x->status == 307 || x->status == 308);
	if (!redirect && print_head(x, buf_unread(&x->hop)) < 0)
		return -1;
	buf_reset(&x->hop);
	return 0;
}

static size_t
cb_header(char *p, size_t size, size_t n, void *ud)
{
	struct client_xfer *x = ud;
	size_t len = size * n, l = len;

	while (l && (p[l - 1] == '\n' || p[l - 1] == '\r'))
		l--;
	if (l > 5 && memcmp(p, "HTTP/", 5) == 0) {
		const char *sp = memchr(p, ' ', l);
		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		x->discard = x->may_retry && retryable_status(x->status);
		x->hidden_head = x->discard;
		x->decided = false;
	}
	if (x->cfg->remote_header && l > 20 &&
	    strncasecmp(p, "content-disposition:", 20) == 0)
		take_disposition(x, p, l);
	if (x->view->dump && !x->hidden_head)
		fwrite(p, 1, len, x->view->dump);
	if (x->view->etag && !x->hidden_head && l > 5 &&
	    strncasecmp(p, "etag:", 5) == 0)
		save_etag(x->view->etag, p + 5, l - 5);
	if (!(x->view->print & PRINT_RESP_HEAD) || x->hidden_head)
		return len;
	if (x->view->last_hop_only || x->view->sort)
		return hold_hop(x, p, len) < 0 ? 0 : len;
	return print_head_line(x, p, len) < 0 ? 0 : len;
}

/* Print data line by line with a prefix ("* ", "> ", "< "). */
static void
prefixed(FILE *fp, const char *prefix, const char *p, size_t len,
	 bool color)
{
	while (len) {
		const char *nl = memchr(p, '\n', len);
		size_t l = nl ? (size_t)(nl - p) : len;
		size_t adv = nl ? l + 1 : l;
		if (l && p[l - 1] == '\r')
			l--;
		fputs(prefix, fp);
		out_head_line(fp, p, l, "\n", color);
		p += adv;
		len -= adv;
	}
}

/* curl --trace-ascii: "=> Send header, 5 bytes (0x5)" then offset lines */
static void
trace_ascii(FILE *fp, curl_infotype type, const char *p, size_t len)
{
	static const char *const what[] = {
		[CURLINFO_HEADER_IN] = "<= Recv header",
		[CURLINFO_HEADER_OUT] = "=> Send header",
		[CURLINFO_DATA_IN] = "<= Recv data",
		[CURLINFO_DATA_OUT] = "=> Send data",
		[CURLINFO_SSL_DATA_IN] = "<= Recv SSL data",
		[CURLINFO_SSL_DATA_OUT] = "=> Send SSL data",
	};
	size_t i = 0;

	if (type == CURLINFO_TEXT) {
		fprintf(fp, "== Info: %.*s", (int)len, p);
		return;
	}
	if (type > CURLINFO_SSL_DATA_OUT)
		return;
	fprintf(fp, "%s, %zu bytes (0x%zx)\n", what[type], len, len);
	if (type == CURLINFO_SSL_DATA_IN || type == CURLINFO_SSL_DATA_OUT)
		return;
	while (i < len) {
		size_t start = i;
		fprintf(fp, "%04zx: ", i);
		for (; i < len && i - start < 64; i++) {
			if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n') {
				i += 2;
				break;
			}
			fputc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.', fp);
		}
		fputc('\n', fp);
	}
}

static int
cb_debug(CURL *h, curl_infotype type, char *p, size_t len, void *ud)
{
	struct client_xfer *x = ud;
	const struct client_view *v = x->view;
	bool verbose = x->cfg->verbose;

	(void)h;
	if (v->trace)
		trace_ascii(v->trace, type, p, len);
	switch (type) {
	case CURLINFO_TEXT:
		if (verbose)
			prefixed(stderr, "* ", p, len, false);
		break;
	case CURLINFO_HEADER_OUT:
		if (verbose)
			prefixed(stderr, "> ", p, len, v->color_err);
		if (!(v->print & PRINT_REQ_HEAD))
			break;
		/* as HTTPie prints it: the head as sent (CRLF) unless
		   coloured, and with B asked for but no body, the empty
		   body's "\n\n" separator before the response */
		if (v->color)
			prefixed(stdout, "", p, len, true);
		else
			fwrite(p, 1, len, stdout);
		if ((v->print & PRINT_REQ_BODY) && !x->cfg->has_body &&
		    x->upload == NULL)
			fputs("\n\n", stdout);
		break;
	case CURLINFO_DATA_OUT:
		if (v->print & PRINT_REQ_BODY) {
			fwrite(p, 1, len, stdout);
			fputs("\n\n", stdout);
		}
		break;
	case CURLINFO_HEADER_IN:
		if (verbose)
			prefixed(stderr, "< ", p, len, v->color_err);
		break;
	default:
		break;
	}
	return 0;
}

static int
cb_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
	    curl_off_t ulnow)
{
	struct client_xfer *x = ud;
	double t = clock_now();

	(void)ultotal;
	(void)ulnow;
	if (x->fp == NULL || x->fp == stdout || x->discard ||
	    t - x->last_progress < 0.1)
		return 0;
	x->last_progress = t;
	x->bar_drawn = true;
	out_progress(stderr, NULL, (double)(dlnow + x->resume_from),
		     dltotal ? (double)(dltotal + x->resume_from) : 0);
	return 0;
}

void
client_cb_setup(struct client_xfer *x)
{
	CURL *h = x->h;

	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	if (x->view->debug) {
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, cb_debug);
		curl_easy_setopt(h, CURLOPT_DEBUGDATA, x);
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	}
	if (x->view->progress && (x->out_arg || x->remote_name)) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	} else {
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	}
}

static int
flush_json(struct client_xfer *x)
{
	struct buf pretty = BUF_INIT;
	const struct span raw = buf_unread(&x->body);

	/* --pretty all/format re-indents; colors only colours (HTTPie) */
	if (x->view->format &&
	    out_json_format(&pretty, raw.p, raw.len, x->view->color,
			    x->view->sort) == 0) {
		buf_puts(&pretty, "\n");
		fwrite(pretty.data, 1, pretty.len, stdout);
	} else if (!x->view->format &&
		   out_json_color(&pretty, raw.p, raw.len) == 0) {
		fwrite(pretty.data, 1, pretty.len, stdout);
	} else {
		fwrite(raw.p, 1, raw.len, stdout);
	}
	buf_free(&pretty);
	buf_reset(&x->body);
	return 0;
}

int
client_cb_finish(struct client_xfer *x, CURLcode code)
{
	int r = 0;

	if (x->buffer_json && x->body.len)
		flush_json(x);
	x->buffer_json = false;
	if (x->bar_drawn || (code == CURLE_OK && x->fp && x->fp != stdout &&
			     x->view->progress && !x->discard && !x->no_bar)) {
		curl_off_t got = 0, total = -1;
		curl_easy_getinfo(x->h, CURLINFO_SIZE_DOWNLOAD_T, &got);
		curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
		if (code == CURLE_OK)	/* the final state, 100% */
			out_progress(stderr, NULL, (double)(got + x->resume_from),
				     total >= 0 ? (double)(total + x->resume_from) : 0);
		out_progress_end(stderr);
		x->bar_drawn = false;
	}
	/* an empty body still makes its file, as curl does */
	if (code == CURLE_OK && x->fp == NULL && !x->discard &&
	    (x->out_arg || x->remote_name))
		open_output(x);
	if (x->fp && x->fp != stdout) {
		if (fclose(x->fp) != 0)
			r = -errno;
		free(x->fbuf);
		x->fbuf = NULL;
	} else if (x->fp == stdout && fflush(stdout) != 0) {
		r = -errno;
	}
	x->fp = NULL;
	return r;
}
