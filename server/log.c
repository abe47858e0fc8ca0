/*
 * log.c - access log lines (see log.h).  Buffered per thread so a busy
 * loop makes one write(2) per iteration, not one per request.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/json.h"
#include "server/log.h"

static int
log_open_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

int
log_open(struct server *srv)
{
	srv->log_fd = STDERR_FILENO;
	if (!srv->cfg.log_file)
		return 0;
	srv->log_fd = log_open_file(srv->cfg.log_file);
	if (srv->log_fd < 0) {
		fprintf(stderr, "httptool serve: cannot open log file '%s': "
			"%s\n", srv->cfg.log_file, strerror(errno));
		return -1;
	}
	return 0;
}

void
log_reopen(struct server *srv)
{
	int fd;

	if (!srv->cfg.log_file)
		return;		/* stderr: nothing to reopen */
	fd = log_open_file(srv->cfg.log_file);
	if (fd < 0) {
		fprintf(stderr, "httptool serve: cannot reopen log file '%s': "
			"%s (still writing to the old one)\n",
			srv->cfg.log_file, strerror(errno));
		return;
	}
	/* atomic for the writers: the number stays, the file changes */
	dup2(fd, srv->log_fd);
	close(fd);
}

void
log_close(struct server *srv)
{
	if (srv->cfg.log_file && srv->log_fd > STDERR_FILENO)
		close(srv->log_fd);
	srv->log_fd = STDERR_FILENO;
}

/* The time stamp of the log's format for now, cached per second. */
static const char *
log_when(struct srv_thread *th, enum log_format fmt)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == th->log_sec)
		return th->log_when;
	localtime_r(&now, &tm);
	strftime(th->log_when, sizeof th->log_when,
		 fmt == LOG_COMMON ? "%d/%b/%Y:%H:%M:%S %z" :
		 fmt == LOG_JSON ? "%Y-%m-%dT%H:%M:%S%z" : "%d/%b/%Y %H:%M:%S",
		 &tm);
	th->log_sec = now;
	return th->log_when;
}

static void
log_json(struct conn *c, const char *when)
{
	struct json j;

	json_init(&j, &c->th->log, false);
	json_obj(&j);
	json_key(&j, "time");
	json_cstr(&j, when);
	json_key(&j, "remote");
	json_cstr(&j, c->peer);
	json_key(&j, "request");
	json_cstr(&j, c->reqline);
	json_key(&j, "status");
	json_int(&j, c->status);
	json_key(&j, "bytes");
	json_int(&j, (long long)c->resp_bytes);
	json_key(&j, "ms");
	json_int(&j, c->log_wait ? c->log_ms : conn_now(c) - c->started);
	json_end(&j);
	buf_puts(&c->th->log, "\n");
}

void
log_request(struct conn *c)
{
	struct srv_thread *th = c->th;
	const struct server_config *cfg = &th->srv->cfg;

	if (cfg->quiet || !c->reqline[0])
		return;
	const char *when = log_when(th, cfg->log_format);

	if (cfg->log_format == LOG_JSON) {
		log_json(c, when);
	} else {
		/* python and common differ only in the time stamp */
		buf_puts(&th->log, c->peer);
		buf_puts(&th->log, " - - [");
		buf_puts(&th->log, when);
		buf_puts(&th->log, "] \"");
		buf_puts(&th->log, c->reqline);
		buf_puts(&th->log, "\" ");
		buf_put_u64(&th->log, (unsigned)c->status);
		buf_puts(&th->log, " ");
		buf_put_u64(&th->log, c->resp_bytes);
		buf_puts(&th->log, "\n");
	}
	c->reqline[0] = 0;	/* once per request */
	if (th->log.len > 65536)
		log_flush(th);
}

void
log_flush(struct srv_thread *th)
{
	size_t off = 0;

	while (off < th->log.len) {
		ssize_t n = write(th->srv->log_fd, th->log.data + off,
				  th->log.len - off);

		if (n <= 0)
			break;	/* a closed stderr must not stop the server */
		off += (size_t)n;
	}
	buf_reset(&th->log);
}
