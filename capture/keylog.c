/*
 * keylog.c - the NSS key log reader (see keylog.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/url.h"
#include "keylog.h"

static const char *const labels[KL_NLABELS] = {
	[KL_CLIENT_RANDOM] = "CLIENT_RANDOM",
	[KL_CLIENT_HS] = "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
	[KL_SERVER_HS] = "SERVER_HANDSHAKE_TRAFFIC_SECRET",
	[KL_CLIENT_TRAFFIC0] = "CLIENT_TRAFFIC_SECRET_0",
	[KL_SERVER_TRAFFIC0] = "SERVER_TRAFFIC_SECRET_0",
};

int
keylog_open(struct keylog *k, const char *path)
{
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	if (path && !(k->path = strdup(path)))
		return -ENOMEM;
	if (path)
		k->fd = open(path, O_RDONLY | O_CLOEXEC);
	return 0;
}

/* Decode exactly n hex digits at s into out; -1 on a non-digit. */
static int
unhex(const char *s, size_t n, uint8_t *out)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		int hi = http_hex_digit(s[2 * i]);
		int lo = http_hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* The next space-separated word of [*p, end); its length. */
static size_t
word(const char **p, const char *end, const char **start)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*start = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\r')
		s++;
	*p = s;
	return (size_t)(s - *start);
}

static int
add_entry(struct keylog *k, const struct keylog_entry *e)
{
	/* a repeated line is appended too: keylog_find() takes the last */
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 16;
		struct keylog_entry *v = realloc(k->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = *e;
	k->generation++;
	return 1;
}

int
keylog_add_line(struct keylog *k, const char *line, size_t n)
{
	const char *p = line, *end = line + n, *w;
	struct keylog_entry e;
	size_t wl, i;

	memset(&e, 0, sizeof(e));
	wl = word(&p, end, &w);
	if (wl == 0 || w[0] == '#')
		return 0;
	for (i = 0; i < KL_NLABELS; i++)
		if (strlen(labels[i]) == wl && memcmp(labels[i], w, wl) == 0)
			break;
	if (i == KL_NLABELS)
		return 0;
	e.label = (uint8_t)i;
	wl = word(&p, end, &w);
	if (wl != 64 || unhex(w, 64, e.random) < 0)
		return -1;
	wl = word(&p, end, &w);
	if (wl == 0 || wl % 2 || wl > 2 * KEYLOG_SECRET_MAX ||
	    unhex(w, wl, e.secret) < 0)
		return -1;
	e.len = (uint8_t)(wl / 2);
	if (e.label == KL_CLIENT_RANDOM && e.len != 48)
		return -1;
	return add_entry(k, &e);
}

/* Parse the whole lines of buf[0..n); returns bytes consumed. */
static size_t
parse_lines(struct keylog *k, const char *buf, size_t n, int *added)
{
	size_t start = 0, i;

	for (i = 0; i < n; i++) {
		int r;

		if (buf[i] != '\n')
			continue;
		r = keylog_add_line(k, buf + start, i - start);
		if (r > 0)
			(*added)++;
		else if (r == -1)
			k->bad_lines++;
		else if (r < 0)
			return start;
		start = i + 1;
	}
	return start;
}

int
keylog_refresh(struct keylog *k)
{
	char buf[8192];
	int fd, added = 0;
	struct stat st;

	if (!k->path)
		return 0;
	if (k->fd < 0)
		k->fd = open(k->path, O_RDONLY | O_CLOEXEC);
	if ((fd = k->fd) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) == 0 && st.st_size < k->pos)
		k->pos = 0;		/* truncated and rewritten */
	if (fstat(fd, &st) == 0 && st.st_size == k->pos)
		return 0;		/* nothing new */
	for (;;) {
		ssize_t r = pread(fd, buf, sizeof(buf), k->pos);
		size_t used;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		used = parse_lines(k, buf, (size_t)r, &added);
		if (used == 0) {
			/* no newline in a full buffer: a line too long to
			 * be ours; skip it */
			if ((size_t)r == sizeof(buf)) {
				k->pos += r;
				k->bad_lines++;
				continue;
			}
			break;		/* a line still being written */
		}
		k->pos += (off_t)used;
	}
	return added;
}

const uint8_t *
keylog_find(const struct keylog *k, enum keylog_label label,
	    const uint8_t random[32], size_t *len)
{
	size_t i;

	for (i = k->n; i-- > 0;)
		if (k->v[i].label == label &&
		    memcmp(k->v[i].random, random, 32) == 0) {
			*len = k->v[i].len;
			return k->v[i].secret;
		}
	return NULL;
}

void
keylog_free(struct keylog *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->path);
	free(k->v);
	memset(k, 0, sizeof(*k));
}
