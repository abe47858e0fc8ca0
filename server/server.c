/*
 * server.c - starting and stopping `httptool serve`: document root, TLS
 * context, one listening socket per thread (SO_REUSEPORT) each with its
 * own event loop, signals, startup lines.
 *
 * The main thread only waits for SIGINT/SIGTERM and then wakes every loop
 * through its eventfd; each loop stops accepting, closes idle connections
 * and finishes in-flight responses (at most 5 s) before it returns.  The
 * signals are blocked in the loop threads and caught in main by a handler
 * that writes to a pipe (not sigwait: under valgrind a signal blocked in
 * every thread was now and then delivered with its default action, so
 * the server died by SIGTERM instead of draining).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/conn.h"
#include "server/fcache.h"
#include "server/log.h"
#include "server/resp.h"
#include "server/tls.h"

#define SERVER_DRAIN_MS 5000
#define SERVER_SWEEP_MS 100

static int server_sig_pipe[2] = { -1, -1 };	/* the handler writes [1] */

static void
server_on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (server_sig_pipe[1] >= 0 && write(server_sig_pipe[1], &c, 1) < 0)
		(void)0;	/* full pipe: a stop is pending already */
	errno = saved;
}

/*
 * server_wait_stop - block until SIGINT or SIGTERM arrives; SIGHUP
 * reopens --log-file and goes on waiting.  The loop
 * threads have both blocked, so the handler only ever runs here, in main.
 * It stays installed through the drain: a second signal (timeout(1) sends
 * one to the process and one to its group) is absorbed instead of killing
 * the server half-way through; the drain is bounded by SERVER_DRAIN_MS.
 */
static void
server_wait_stop(struct server *srv, const sigset_t *sigs)
{
	struct sigaction sa = { .sa_handler = server_on_signal };
	unsigned char c;
	int sig;

	if (pipe2(server_sig_pipe, O_CLOEXEC) < 0) {
		do	/* no pipe: the plain way */
			sigwait(sigs, &sig);
		while (sig == SIGHUP);
		return;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	pthread_sigmask(SIG_UNBLOCK, sigs, NULL);
	for (;;) {
		ssize_t n = read(server_sig_pipe[0], &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 1 && c == SIGHUP) {
			log_reopen(srv);	/* logrotate; keep serving */
			continue;
		}
		break;
	}
}

/* server_stop_done - after the drain: later signals find no pipe */
static void
server_stop_done(void)
{
	int r = server_sig_pipe[0], w = server_sig_pipe[1];

	if (r < 0)
		return;
	server_sig_pipe[1] = -1;	/* only main runs the handler */
	server_sig_pipe[0] = -1;
	close(r);
	close(w);
}

void
server_config_default(struct server_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->bind = "127.0.0.1";
	cfg->port = 8000;
	cfg->dir = ".";
	cfg->max_header = 65536;
	cfg->max_headers = 128;
	cfg->cors = true;
	cfg->max_body = 64u << 20;
	cfg->header_timeout_ms = 60000;
	cfg->idle_timeout_ms = 60000;
	cfg->max_conns = 1024;
}

static void
server_sweep(struct loop *l, long long id, void *arg)
{
	struct srv_thread *th = arg;

	(void)id;
	conn_sweep(th);
	loop_add_timer(l, SERVER_SWEEP_MS, server_sweep, th);
}

static void
server_before_sleep(struct loop *l, void *arg)
{
	struct srv_thread *th = arg;

	(void)l;
	th->wakes++;
	if (th->log.len)
		log_flush(th);
}

static void
server_peer_name(const struct sockaddr_storage *ss, char *out, size_t size)
{
	const void *a = ss->ss_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr :
	    (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	if (!inet_ntop(ss->ss_family, a, out, (socklen_t)size))
		snprintf(out, size, "-");
	/* show v4-mapped peers of a dual-stack socket as plain IPv4 */
	if (strncmp(out, "::ffff:", 7) == 0 && strchr(out + 7, '.'))
		memmove(out, out + 7, strlen(out + 7) + 1);
}

static void
server_resume(struct loop *l, long long id, void *arg)
{
	struct srv_thread *th = arg;

	(void)id;
	if (th->listen_fd >= 0)
		loop_mod_fd(l, th->listen_fd, LOOP_READ);
}

/* 503 and close: every connection is busy with a request. */
static void
server_busy(struct srv_thread *th, int fd)
{
	char busy[200];
	int n = snprintf(busy, sizeof busy, "HTTP/1.1 503 Service "
			 "Unavailable\r\nDate: %s\r\nContent-Length: 0\r\n"
			 "Connection: close\r\nRetry-After: 1\r\n\r\n",
			 resp_date(th));

	/* plain text only where plain HTTP is spoken: a TLS client would
	 * read it as a broken handshake */
	if (!th->srv->cfg.echo && !th->srv->ssl_ctx &&
	    send(fd, busy, (size_t)n, MSG_NOSIGNAL) < 0)
		(void)0;
	close(fd);
}

static void
server_accept(struct loop *l, int fd, unsigned events, void *arg)
{
	struct srv_thread *th = arg;
	const struct server *srv = th->srv;

	(void)events;
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		int c = accept4(fd, (struct sockaddr *)&ss, &len,
				SOCK_NONBLOCK | SOCK_CLOEXEC);
		char peer[64];
		int one = 1;

		if (c < 0) {
			/* out of descriptors: pause accepting instead of
			 * spinning on a listening socket that stays readable */
			if (errno == EMFILE || errno == ENFILE) {
				loop_mod_fd(l, fd, 0);
				loop_add_timer(l, 100, server_resume, th);
			}
			return;
		}
		/* at the limit, a connection that waits for a request
		 * makes room for this one: one of ours, or another
		 * thread's (taken a moment over the limit, until that
		 * thread has shed it; a little, so at most 64 over) */
		int n = atomic_load(&srv->nconns);

		if (n >= srv->cfg.max_conns &&
		    (srv->cfg.echo || (!conn_shed(th) &&
		     (n >= srv->cfg.max_conns + 64 ||
		      !conn_shed_elsewhere(th))))) {
			server_busy(th, c);
			continue;
		}
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		server_peer_name(&ss, peer, sizeof peer);
		conn_accept(th, c, peer);	/* HTTP, or echo.c's */
	}
}

/* Another thread ran out of connections to shed and asked us. */
static void
server_shed(struct loop *l, int fd, unsigned events, void *arg)
{
	struct srv_thread *th = arg;
	uint64_t v;

	(void)l;
	(void)events;
	if (read(fd, &v, sizeof v) < 0)
		(void)0;
	conn_shed_asked(th);
}

static void
server_wake(struct loop *l, int fd, unsigned events, void *arg)
{
	struct srv_thread *th = arg;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof v) < 0)
		(void)0;
	th->draining = true;
	th->drain_deadline = loop_now(l) + SERVER_DRAIN_MS;
	if (th->listen_fd >= 0) {
		loop_del_fd(l, th->listen_fd);
		close(th->listen_fd);
		th->listen_fd = -1;
	}
	conn_drain(th);
	if (th->nconns == 0)
		loop_stop(l);
}

/*
 * A listening socket on addr (port already set), or -errno.  SO_REUSEPORT
 * would let a second server (of the same user) share the port silently,
 * so the first socket probes without it: a port in use is an error.
 */
static int
server_listen(const struct sockaddr *addr, socklen_t len, bool first)
{
	int one = 1, zero = 0;
	int fd;

	if (first) {
		fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (addr->sa_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
				   sizeof zero);
		if (bind(fd, addr, len) < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		close(fd);
	}
	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	if (addr->sa_family == AF_INET6)	/* "::" takes IPv4 too */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	if (bind(fd, addr, len) < 0 || listen(fd, 1024) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static void
server_set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

static int
server_get_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	return ss.ss_family == AF_INET6 ?
	    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
	    ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int
server_resolve(const char *host, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { 0 }, *res;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	int r = getaddrinfo(host, NULL, &hints, &res);

	if (r != 0) {
		fprintf(stderr, "httptool serve: cannot use address '%s': %s\n",
			host, gai_strerror(r));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int
server_thread_init(struct srv_thread *th, struct server *srv,
		   struct sockaddr_storage *ss, socklen_t len, bool first)
{
	th->srv = srv;
	th->listen_fd = -1;
	th->wake_fd = -1;
	th->shed_fd = -1;
	buf_init(&th->log);
	th->loop = loop_new();
	if (!th->loop)
		return -errno;
	server_set_port(ss, srv->port);
	th->listen_fd = server_listen((struct sockaddr *)ss, len,
				      first && srv->port != 0);
	/* port 0: the first socket picked the port the others share */
	if (th->listen_fd < 0)
		return th->listen_fd;
	if (srv->port == 0)
		srv->port = server_get_port(th->listen_fd);
	th->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	th->shed_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (th->wake_fd < 0 || th->shed_fd < 0)
		return -errno;
	if (loop_add_fd(th->loop, th->listen_fd, LOOP_READ, server_accept,
			th) < 0 ||
	    loop_add_fd(th->loop, th->wake_fd, LOOP_READ, server_wake, th) < 0 ||
	    loop_add_fd(th->loop, th->shed_fd, LOOP_READ, server_shed, th) < 0 ||
	    loop_add_timer(th->loop, SERVER_SWEEP_MS, server_sweep, th) < 0)
		return -ENOMEM;
	loop_set_before_sleep(th->loop, server_before_sleep, th);
	return 0;
}

static void
server_thread_free(struct srv_thread *th)
{
	if (th->loop) {
		conn_close_all(th);
		loop_free(th->loop);
		fcache_free(th);
	}
	if (th->listen_fd >= 0)
		close(th->listen_fd);
	if (th->wake_fd >= 0)
		close(th->wake_fd);
	if (th->shed_fd >= 0)
		close(th->shed_fd);
	log_flush(th);
	buf_free(&th->log);
}

static void *
server_thread_main(void *arg)
{
	struct srv_thread *th = arg;

	loop_run(th->loop);
	log_flush(th);
	return NULL;
}

static void
server_banner(const struct server *srv, const struct sockaddr_storage *ss,
	      const char *fp)
{
	const struct server_config *cfg = &srv->cfg;
	char addr[64];
	bool v6 = ss->ss_family == AF_INET6;
	const char *scheme = cfg->tls ? "https" : "http";

	server_peer_name(ss, addr, sizeof addr);
	if (cfg->echo && cfg->tls) {
		printf("Echoing TLS on %s port %d (openssl s_client -quiet "
		       "-connect %s; a line 'exit' closes the connection) ...\n",
		       addr, srv->port, srv->host);
	} else if (cfg->echo) {
		printf("Echoing TCP on %s port %d (nc %s %d; a line 'exit' "
		       "closes the connection) ...\n", addr, srv->port, addr,
		       srv->port);
	} else {
		printf("Serving %s on %s port %d (%s://%s%s%s:%d/) ...\n",
		       cfg->tls ? "HTTPS" : "HTTP", addr, srv->port, scheme,
		       v6 ? "[" : "", addr, v6 ? "]" : "", srv->port);
	}
	if (strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0)
		printf("Only this machine can connect; use -b 0.0.0.0 (or "
		       "-b ::) to expose it.\n");
	if (cfg->tls && fp[0])
		printf("TLS certificate %s, SHA-256 fingerprint %s\n",
		       cfg->cert ? cfg->cert : "self-signed for localhost",
		       fp);
	if (!cfg->echo)
		printf("Files from %s; uploads to %s\n", srv->root,
		       srv->upload_dir);
	fflush(stdout);
}

static int
server_setup(struct server *srv, const struct server_config *cfg, char *fp,
	     size_t fpsize)
{
	srv->cfg = *cfg;
	if (log_open(srv) < 0)
		return -1;
	srv->root_fd = open(cfg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (srv->root_fd < 0 || !(srv->root = realpath(cfg->dir, NULL))) {
		fprintf(stderr, "httptool serve: cannot open directory '%s': "
			"%s\n", cfg->dir, strerror(errno));
		return -1;
	}
	if (cfg->upload_dir) {
		if (mkdir(cfg->upload_dir, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, "httptool serve: cannot create '%s': "
				"%s\n", cfg->upload_dir, strerror(errno));
			return -1;
		}
		srv->upload_dir = realpath(cfg->upload_dir, NULL);
	} else {
		const char *tmp = getenv("TMPDIR");
		char t[4096];

		snprintf(t, sizeof t, "%s/httptool-upload-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(t))
			srv->upload_dir = strdup(t);
		srv->upload_tmp = true;
	}
	if (!srv->upload_dir) {
		fprintf(stderr, "httptool serve: cannot make an upload "
			"directory: %s\n", strerror(errno));
		return -1;
	}
	srv->lim = (struct http_limits)HTTP_LIMITS_DEFAULT;
	srv->lim.max_head = cfg->max_header;
	if (srv->lim.max_start_line > cfg->max_header)
		srv->lim.max_start_line = cfg->max_header;
	if (cfg->tls) {
		srv->ssl_ctx = tls_ctx_new(cfg->cert, cfg->key, cfg->keylog,
					    fp, fpsize);
		if (!srv->ssl_ctx)
			return -1;
		if (!cfg->echo)
			tls_ctx_offer_h2(srv->ssl_ctx);
	}
	return 0;
}

static void
server_teardown(struct server *srv)
{
	if (srv->root_fd >= 0)
		close(srv->root_fd);
	free(srv->root);
	log_close(srv);
	if (srv->upload_dir && srv->upload_tmp)
		rmdir(srv->upload_dir);	/* only when nothing was uploaded */
	free(srv->upload_dir);
	tls_ctx_free(srv->ssl_ctx);
}

static int
server_threads(const struct server_config *cfg)
{
	long n = cfg->threads > 0 ? cfg->threads : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

enum exit_code
server_run(const struct server_config *cfg)
{
	struct server srv = { .root_fd = -1, .log_fd = STDERR_FILENO };
	struct sockaddr_storage ss;
	socklen_t sslen;
	char fp[128] = "";
	sigset_t sigs, old;
	int nth = server_threads(cfg), inited = 0, started = 0;
	enum exit_code rc = EXIT_FAIL;
	struct srv_thread *th = calloc((size_t)nth, sizeof *th);

	signal(SIGPIPE, SIG_IGN);	/* EPIPE is handled where it happens */
	if (!th || server_resolve(cfg->bind, &ss, &sslen) < 0 ||
	    server_setup(&srv, cfg, fp, sizeof fp) < 0)
		goto out;
	srv.port = cfg->port;
	srv.threads = th;
	for (int i = 0; i < nth; i++) {
		int r = server_thread_init(&th[i], &srv, &ss, sslen, i == 0);

		inited = i + 1;
		if (r < 0) {
			fprintf(stderr, "httptool serve: cannot listen on %s "
				"port %d: %s\n", cfg->bind, srv.port,
				strerror(-r));
			goto out;
		}
	}
	{
		char a[64];

		server_peer_name(&ss, a, sizeof a);
		snprintf(srv.host, sizeof srv.host, "%s%s%s:%d",
			 ss.ss_family == AF_INET6 ? "[" : "", a,
			 ss.ss_family == AF_INET6 ? "]" : "", srv.port);
	}
	srv.nthreads = nth;	/* every one initialised: they may shed */
	server_banner(&srv, &ss, fp);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	for (; started < nth; started++)
		if (pthread_create(&th[started].tid, NULL, server_thread_main,
				   &th[started]) != 0)
			break;
	if (started == nth)
		server_wait_stop(&srv, &sigs);
	for (int i = 0; i < started; i++) {
		uint64_t one = 1;

		if (write(th[i].wake_fd, &one, sizeof one) < 0)
			(void)0;
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i].tid, NULL);
	server_stop_done();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	rc = started == nth ? EXIT_OK : EXIT_FAIL;
out:
	for (int i = 0; i < inited; i++)
		server_thread_free(&th[i]);
	free(th);
	server_teardown(&srv);
	return rc;
}
