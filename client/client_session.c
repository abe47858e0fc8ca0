/*
 * client_session.c - --session NAME (HTTPie's sessions): headers and
 * basic auth given once are sent again on later runs, and cookies persist
 * in a Netscape-format jar beside them.
 *
 * Files: $XDG_STATE_HOME/httptool/sessions/NAME (default
 * ~/.local/state/httptool/sessions/NAME) holding lines
 *   header: Name: value
 *   user: name:password
 * and NAME.cookies (libcurl's jar).  A NAME containing '/' is a path.
 * Content-* and If-* headers are request-specific and never saved
 * (as HTTPie).  Both files are mode 0600: they may hold a password and
 * cookies.
 */
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

static char *
session_path(const char *name)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (strchr(name, '/'))
		buf_puts(&b, name);
	else if (state && *state == '/')
		buf_printf(&b, "%s/httptool/sessions/%s", state, name);
	else if (home && *home)
		buf_printf(&b, "%s/.local/state/httptool/sessions/%s", home, name);
	return b.data;
}

static int
load_lines(struct client_cfg *cfg, char *text)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
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
	cfg->session_file = session_path(cfg->session);
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
	if (text.data && load_lines(cfg, text.data) < 0) {
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
	struct buf b = BUF_INIT;
	int fd, r = 0;

	buf_puts(&b, "# httptool session: sent with every request that "
		 "names it\n");
	for (size_t i = 0; i < cfg->nheaders_user; i++) {
		const char *h = cfg->headers.v[i];
		/* "Name:" removals and request-specific headers stay behind */
		if (!request_specific(h) && strchr(h, ' '))
			buf_printf(&b, "header: %s\n", h);
	}
	if (cfg->user)
		buf_printf(&b, "user: %s\n", cfg->user);
	fd = open(cfg->session_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len)
		r = -errno;
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	buf_free(&b);
	return r;
}
