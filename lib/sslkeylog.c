/*
 * sslkeylog.c - the NSS key log writer (see sslkeylog.h).  The file
 * descriptor travels with the SSL_CTX (ex_data) and is closed with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/sslkeylog.h"

/* the descriptor goes with its context */
static void
fd_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
	void *argp)
{
	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	if ((intptr_t)ptr > 0)
		close((int)(intptr_t)ptr);
}

static int
fd_index(void)
{
	/* registered once per process: a slot number, not decode state */
	static int idx = -1;

	if (idx < 0)
		idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, fd_free);
	return idx;
}

static void
keylog_line(const SSL *ssl, const char *line)
{
	SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
	intptr_t fd = (intptr_t)SSL_CTX_get_ex_data(ctx, fd_index());
	size_t n = strlen(line);
	char buf[1024];

	if (fd <= 0 || n + 1 > sizeof(buf))
		return;
	memcpy(buf, line, n);
	buf[n] = '\n';
	/* one write: lines of concurrent connections never interleave */
	if (write((int)fd, buf, n + 1) < 0)
		return;
}

const char *
sslkeylog_path(const char *path)
{
	const char *env = getenv("SSLKEYLOGFILE");

	if (path)
		return path;
	return env && *env ? env : NULL;
}

int
sslkeylog_attach(SSL_CTX *ctx, const char *path)
{
	int fd;

	path = sslkeylog_path(path);
	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fd == 0) {		/* keep 0 free: it means "no file" below */
		int d = fcntl(fd, F_DUPFD_CLOEXEC, 1);

		close(fd);
		if (d < 0)
			return -errno;
		fd = d;
	}
	if (fd_index() < 0 ||
	    !SSL_CTX_set_ex_data(ctx, fd_index(), (void *)(intptr_t)fd)) {
		close(fd);
		return -ENOMEM;
	}
	SSL_CTX_set_keylog_callback(ctx, keylog_line);
	return 0;
}
