/*
 * log.c - access log lines (see log.h).  Buffered per thread so a busy
 * loop makes one write(2) per iteration, not one per request.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/json.h"
#include "server/log.h"

void
log_request(struct conn *c)
{
	struct srv_thread *th = c->th;
	const struct server_config *cfg = &th->srv->cfg;
	time_t now = time(NULL);
	struct tm tm;
	char when[64];

	if (cfg->quiet || !c->reqline[0])
		return;
	localtime_r(&now, &tm);
	switch (cfg->log_format) {
	case LOG_COMMON:
		strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S %z", &tm);
		buf_printf(&th->log, "%s - - [%s] \"%s\" %d %llu\n", c->peer,
			   when, c->reqline, c->status,
			   (unsigned long long)c->resp_bytes);
		break;
	case LOG_JSON: {
		struct json j;

		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
		json_init(&j, &th->log, false);
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
		json_int(&j, conn_now(c) - c->started);
		json_end(&j);
		buf_puts(&th->log, "\n");
		break;
	}
	default:
		strftime(when, sizeof when, "%d/%b/%Y %H:%M:%S", &tm);
		buf_printf(&th->log, "%s - - [%s] \"%s\" %d %llu\n", c->peer,
			   when, c->reqline, c->status,
			   (unsigned long long)c->resp_bytes);
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
		ssize_t n = write(STDERR_FILENO, th->log.data + off,
				  th->log.len - off);

		if (n <= 0)
			break;	/* a closed stderr must not stop the server */
		off += (size_t)n;
	}
	buf_reset(&th->log);
}
