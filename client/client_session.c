/*
 * client_session.c - --session NAME (HTTPie's sessions): headers and
 * basic auth given once are sent again on later runs, and cookies persist
 * in a Netscape-format jar beside them.
 *
 * Files: $XDG_STATE_HOME/httptool/sessions/HOST_PORT/NAME (default
 * ~/.local/state/httptool/...) holding lines
 *   host: HOST:PORT
 *   header: Name: value
 *   user: name:password
 * and NAME.cookies (libcurl's jar).  A named session lives per host, as
 * HTTPie's do, so its credentials never go to another host.  A NAME
 * containing '/' is a file the user chose; it remembers its host too and
 * is refused for another one.  The session file is replaced atomically
 * (a temporary file renamed over it).
 * Content-* and If-* headers are request-specific and never saved
 * (as HTTPie).  Both files are mode 0600: they may hold a password and
 * cookies.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"

/* mkdir -p for the directories above path */
static int
make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	return 0;
}

/* "host:port" of url (lower case, no user info) into out */
static void
url_host(const char *url, char *out, size_t size)
{
	const char *h = strstr(url, "://");
	size_t n, i;

	h = h ? h + 3 : url;
	n = strcspn(h, "/?#");
	for (const char *at = memchr(h, '@', n); at; at = memchr(h, '@', n)) {
		n -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	for (i = 0; i < n && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)h[i]);
	out[i] = 0;
}

static char *
session_path(const char *name, const char *host)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;
	char dir[300];
	size_t i;

	/* HTTPie's directory name: "localhost_8000" */
	for (i = 0; host[i] && i + 1 < sizeof dir; i++)
		dir[i] = isalnum((unsigned char)host[i]) || host[i] == '.' ||
			 host[i] == '-' ? host[i] : '_';
	dir[i] = 0;
	if (strchr(name, '/'))
		buf_puts(&b, name);
	else if (state && *state == '/')
		buf_printf(&b, "%s/httptool/sessions/%s/%s", state, dir, name);
	else if (home && *home)
		buf_printf(&b, "%s/.local/state/httptool/sessions/%s/%s", home,
			   dir, name);
	return b.data;
}

static int
load_lines(struct client_cfg *cfg, char *text, const char *host, char *err,
	   size_t errsize)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "host: ", 6) == 0 && strcmp(line + 6, host) != 0) {
			snprintf(err, errsize, "session '%s' belongs to %s, not %s",
				 cfg->session, line + 6, host);
			return -1;
		}
		if (strncmp(line, "header: ", 8) == 0 &&
		    !client_has_header(cfg, line + 8,
				       strcspn(line + 8, ":;"))) {
			if (client_strv_add(&cfg->headers, line + 8) < 0)
				return -1;
		} else if (strncmp(line, "user: ", 6) == 0 && cfg->user == NULL) {
			cfg->session_user = strdup(line + 6);
			cfg->user = cfg->session_user;
		}
	}
	return 0;
}

int
client_session_load(struct client_cfg *cfg, char *err, size_t errsize)
{
	struct buf text = BUF_INIT, jar = BUF_INIT;
	int r;

	cfg->nheaders_user = cfg->headers.n;
	if (cfg->session == NULL)
		return 0;
	url_host(cfg->urls.v[0], cfg->session_host, sizeof cfg->session_host);
	for (size_t i = 1; i < cfg->urls.n; i++) {
		char other[sizeof cfg->session_host];
		url_host(cfg->urls.v[i], other, sizeof other);
		if (strcmp(other, cfg->session_host) != 0) {
			snprintf(err, errsize, "--session with URLs on several "
				 "hosts (%s, %s)", cfg->session_host, other);
			return -1;
		}
	}
	cfg->session_file = session_path(cfg->session, cfg->session_host);
	if (cfg->session_file == NULL || *cfg->session == 0) {
		snprintf(err, errsize, "bad session name '%s' (is HOME set?)",
			 cfg->session);
		return -1;
	}
	buf_printf(&jar, "%s.cookies", cfg->session_file);
	cfg->session_jar = jar.data;
	if (cfg->cookie == NULL)
		cfg->cookie = cfg->session_jar;
	if (cfg->cookie_jar == NULL)
		cfg->cookie_jar = cfg->session_jar;
	r = client_read_file(cfg->session_file, &text);
	if (r < 0 && r != -ENOENT) {
		snprintf(err, errsize, "cannot read session '%s': %s",
			 cfg->session_file, client_strerror(-r));
		buf_free(&text);
		return -1;
	}
	if (text.data && load_lines(cfg, text.data, cfg->session_host, err,
				    errsize) < 0) {
		if (*err == 0)
			snprintf(err, errsize, "out of memory");
		buf_free(&text);
		return -1;
	}
	buf_free(&text);
	if (make_parents(cfg->session_file) < 0) {
		snprintf(err, errsize, "cannot create the directory of '%s': %s",
			 cfg->session_file, client_strerror(errno));
		return -1;
	}
	/* libcurl writes the jar with fopen(); made here first, it stays 0600 */
	int fd = open(cfg->session_jar, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	cfg->nheaders_user = cfg->headers.n;
	return 0;
}

static bool
request_specific(const char *h)
{
	return strncasecmp(h, "content-", 8) == 0 || strncasecmp(h, "if-", 3) == 0;
}

int
client_session_save(const struct client_cfg *cfg)
{
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	int fd = -1, r = 0;

	buf_puts(&b, "# httptool session: sent with every request that "
		 "names it\n");
	buf_printf(&b, "host: %s\n", cfg->session_host);
	for (size_t i = 0; i < cfg->nheaders_user; i++) {
		const char *h = cfg->headers.v[i];
		/* "Name:" removals and request-specific headers stay behind */
		if (!request_specific(h) && strchr(h, ' '))
			buf_printf(&b, "header: %s\n", h);
	}
	if (cfg->user)
		buf_printf(&b, "user: %s\n", cfg->user);
	/* a reader never sees half a file, and the mode is 0600 from the
	   first byte: write a temporary file beside it, then rename */
	buf_printf(&tmp, "%s.%ld.tmp", cfg->session_file, (long)getpid());
	if (b.data == NULL || tmp.data == NULL) {
		r = -ENOMEM;
		goto out;
	}
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len ||
	    fsync(fd) < 0)
		r = -errno;
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp.data, cfg->session_file) < 0)
		r = -errno;
	if (r < 0 && fd >= 0)
		unlink(tmp.data);
out:
	buf_free(&b);
	buf_free(&tmp);
	return r;
}
