/*
 * cmd_demo.c - `httptool demo`: the classic first lab in one command.
 *
 * Runs httptool's own subcommands as child processes (the binary from
 * /proc/self/exe), so every step is a command the reader can retype and
 * the demo exercises the real programs: serve on port 0 (the real port
 * read from its start line), sniff on lo into a pcap, get -v, post -d @-,
 * the capture read back (summary, -V of the POST), then keep-alive,
 * chunked and Range.  Children print to our stdout so everything stays in
 * order through a pipe; background children write to files in a private
 * temporary directory, removed at the end.  Whether the capture has
 * started, and later caught up, is learned by connecting to a bound,
 * never-listening "probe" port inside the capture filter until the
 * sniffer prints that connection: no sleeps a loaded machine could outrun.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "demo.h"
#include "proc.h"

extern char **environ;

enum { OPT_HELP = 'h', OPT_STEP = 256, OPT_TUI };

static const struct opt_spec demo_opts[] = {
	{ OPT_STEP, 0, "step", NULL, "pause between steps", OPTC_NONE, NULL },
	{ OPT_TUI, 0, "tui", NULL, "end in the terminal interface on the capture", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

/*
 * Ctrl-C (or SIGTERM): the children in our process group got it too; stop
 * the background ones and remove the directory, with async-signal-safe
 * calls only (the paths were built beforehand).
 */
/* What the demo leaves in its directory, deepest first. */
static const char *const demo_leftovers[] = { "www/index.html", "www",
	"lab.pcap", "serve.log", "sniff.log", "tls.pcap", "keys.log",
	"serve-tls.log" };
#define DEMO_NLEFT (sizeof demo_leftovers / sizeof demo_leftovers[0])

pid_t demo_sig_pids[DEMO_NPIDS];
static char demo_sig_paths[DEMO_NLEFT + 1][320];

const char *
demo_file(struct demo *d, const char *name)
{
	snprintf(d->path, sizeof d->path, "%s/%s", d->dir, name);
	return d->path;
}

void
demo_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Print "$ httptool a b 'c d'" as the reader would type it. */
void
demo_show(char *const argv[], const char *input)
{
	printf("$ ");
	if (input)
		printf("echo '%.*s' | ", (int)strcspn(input, "\n"), input);
	for (int i = 0; argv[i]; i++) {
		const char *a = argv[i];
		bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,%+") ==
			strlen(a);

		printf(i ? (plain ? " %s" : " '%s'") : "%s", a);
	}
	printf("\n");
	fflush(stdout);
}

/*
 * Start this binary with argv (argv[0] is "httptool"); stdin from in_fd
 * (-1: /dev/null, -2: ours), stdout and stderr to out_fd.  Returns the
 * pid or -1.
 */
pid_t
demo_spawn(struct demo *d, char *const argv[], int in_fd, int out_fd)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	fflush(stdout);
	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	else if (in_fd == -1)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	rc = posix_spawn(&pid, d->self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "httptool demo: cannot run '%s': %s\n", d->self,
			strerror(rc));
		return -1;
	}
	return pid;
}

/* Exit status of pid (128 + signal), waiting for it. */
int
demo_wait(pid_t pid)
{
	return proc_status(pid, true);
}

/* Show and run a step's command in the foreground; its exit status. */
int
demo_run(struct demo *d, char *const argv[], const char *input)
{
	int fds[2] = { -1, -1 };
	pid_t pid;
	int rc;

	demo_show(argv, input);
	if (input) {
		/* the input is a line; it fits in the pipe before the child reads */
		if (pipe(fds) < 0 ||
		    write(fds[1], input, strlen(input)) != (ssize_t)strlen(input))
			return -1;
		close(fds[1]);
	}
	pid = demo_spawn(d, argv, fds[0], STDOUT_FILENO);
	if (fds[0] >= 0)
		close(fds[0]);
	if (pid < 0)
		return -1;
	rc = demo_wait(pid);
	fflush(stdout);
	return rc;
}

/* Stop a background child: signal, then SIGKILL if it lingers. */
void
demo_stop(pid_t *pid, int sig)
{
	if (*pid <= 0)
		return;
	kill(*pid, sig);
	for (int i = 0; i < DEMO_NPIDS; i++)	/* the handler must not see it */
		if (demo_sig_pids[i] == *pid)
			demo_sig_pids[i] = 0;
	for (int ms = 0; ms < DEMO_WAIT_MS; ms += 20) {
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = 0;
			return;
		}
		demo_sleep_ms(20);
	}
	kill(*pid, SIGKILL);
	waitpid(*pid, NULL, 0);
	*pid = 0;
}

/*
 * Print a file the children wrote (a start line, an error); true when a
 * line of it holds needle (NULL: never).
 */
bool
demo_cat(struct demo *d, const char *name, const char *prefix,
	 const char *needle)
{
	char line[512];
	bool seen = false;
	FILE *fp = fopen(demo_file(d, name), "r");

	if (fp == NULL)
		return false;
	while (fgets(line, sizeof line, fp)) {
		printf("%s%s", prefix, line);
		if (needle && strstr(line, needle))
			seen = true;
	}
	fclose(fp);
	return seen;
}

/* A numbered heading; with --step, wait for Enter first. */
void
demo_heading(struct demo *d, const char *title)
{
	if (d->step && d->step_no > 0) {
		char buf[64];

		printf("\n-- press Enter for the next step --");
		fflush(stdout);
		if (fgets(buf, sizeof buf, stdin) == NULL)
			printf("\n");
	}
	printf("\n[%d/%d] %s\n", ++d->step_no, DEMO_STEPS, title);
}

/* The server on a free port; d->port from its start line. */
static int
demo_start_server(struct demo *d)
{
	char dir[sizeof d->dir + 8];
	char *argv[] = { "httptool", "serve", "0", "-d", dir, "--quiet",
			 "--threads", "1", NULL };
	int fd = open(demo_file(d, "serve.log"), DEMO_LOG_FLAGS, 0600);
	FILE *fp;
	char line[512];
	FILE *idx;

	snprintf(dir, sizeof dir, "%s/www", d->dir);
	if (mkdir(dir, 0700) < 0 || fd < 0)
		return -1;
	idx = fopen(demo_file(d, "www/index.html"), "w");
	if (idx == NULL)
		return -1;
	fputs("<!doctype html>\n<title>httptool lab</title>\n"
	      "<h1>Hello from httptool serve</h1>\n", idx);
	fclose(idx);
	demo_show(argv, NULL);
	d->serve = demo_spawn(d, argv, -1, fd);
	demo_sig_pids[0] = d->serve;
	close(fd);
	if (d->serve < 0)
		return -1;
	for (int ms = 0; ms < DEMO_WAIT_MS && d->port == 0; ms += 20) {
		if (waitpid(d->serve, NULL, WNOHANG) == d->serve) {
			d->serve = 0;
			break;
		}
		if ((fp = fopen(demo_file(d, "serve.log"), "r")) != NULL) {
			while (fgets(line, sizeof line, fp))
				if (sscanf(line, "Serving HTTP on %*s port %d",
					   &d->port) == 1)
					break;
			fclose(fp);
		}
		if (d->port == 0)
			demo_sleep_ms(20);
	}
	demo_cat(d, "serve.log", "", NULL);
	if (d->port == 0) {
		fprintf(stderr, "httptool demo: the server did not start\n");
		return -1;
	}
	snprintf(d->base, sizeof d->base, "http://127.0.0.1:%d", d->port);
	return 0;
}

/* Connect to the probe port (refused at once); the local port used. */
static int
demo_poke(struct demo *d)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int port = 0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(d->probe_port);
	connect(fd, (struct sockaddr *)&sa, sizeof sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* Has the sniffer printed a line with both ports as words? */
static bool
demo_seen(struct demo *d, int port_a, int port_b)
{
	char line[512], a[16], b[16];
	bool found = false;
	FILE *fp = fopen(demo_file(d, "sniff.log"), "r");

	if (fp == NULL)
		return false;
	snprintf(a, sizeof a, " %d ", port_a);
	snprintf(b, sizeof b, " %d ", port_b);
	while (!found && fgets(line, sizeof line, fp))
		found = strstr(line, a) && strstr(line, b);
	fclose(fp);
	return found;
}

/*
 * A barrier through the capture: connect to the probe port until the
 * sniffer prints that connection.  Packets are decoded in order, so all
 * traffic before it has reached the capture file too.  False when the
 * sniffer is gone or silent for DEMO_WAIT_MS.
 */
bool
demo_barrier(struct demo *d)
{
	for (int waited = 0; d->sniff > 0 && waited < DEMO_WAIT_MS;) {
		int port = demo_poke(d);

		for (int t = 0; t < 250; t += 25, waited += 25) {
			demo_sleep_ms(25);
			if (port && demo_seen(d, port, d->probe_port))
				return true;
		}
		if (waitpid(d->sniff, NULL, WNOHANG) == d->sniff)
			d->sniff = 0;
	}
	return false;
}

/* Live capture on lo of port into name; false (and why) when not
   allowed. */
bool
demo_start_capture(struct demo *d, int port, const char *name)
{
	char bpf[64], pcap[sizeof d->dir + 16];
	char *argv[] = { "httptool", "sniff", "-i", "lo", "-f", bpf, "-w",
			 pcap, NULL };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = open(demo_file(d, "sniff.log"), DEMO_LOG_FLAGS, 0600);
	bool no_lib;

	snprintf(bpf, sizeof bpf, "tcp port %d", port);
	snprintf(pcap, sizeof pcap, "%s/%s", d->dir, name);
	demo_show(argv, NULL);
	/* the probe: bound, never listening, so a connect gets a RST */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (d->probe_fd < 0)
		d->probe_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || d->probe_fd < 0 || (!d->probe_port &&
	    bind(d->probe_fd, (struct sockaddr *)&sa, sizeof sa) < 0) ||
	    getsockname(d->probe_fd, (struct sockaddr *)&sa, &len) < 0)
		return false;
	d->probe_port = ntohs(sa.sin_port);
	/* the filter really run also admits the probe (not worth showing) */
	snprintf(bpf, sizeof bpf, "tcp port %d or tcp port %d", port,
		 d->probe_port);
	d->sniff = demo_spawn(d, argv, -1, fd);
	demo_sig_pids[1] = d->sniff;
	close(fd);
	if (demo_barrier(d)) {
		printf("(capturing on lo, saving to %s)\n", name);
		return true;
	}
	demo_stop(&d->sniff, SIGTERM);
	no_lib = demo_cat(d, "sniff.log", "  ", "cannot load libpcap");
	printf("The capture is not available, so the demo shows the client "
	       "and server only.\n");
	if (no_lib)
		printf("To see the wire too, install libpcap "
		       "(sudo apt-get install libpcap0.8).\n");
	else
		printf("To see the wire too, run it as root "
		       "(sudo httptool demo) or allow capturing once:\n"
		       "  sudo setcap cap_net_raw,cap_net_admin=eip "
		       "\"$(command -v httptool)\"\n");
	return false;
}

/* One step: its heading (unless NULL), its command, what to notice. */
int
demo_step(struct demo *d, const char *title, char *const argv[],
	  const char *input, const char *notice)
{
	int rc;

	if (title)
		demo_heading(d, title);
	rc = demo_run(d, argv, input);
	printf("%s", notice);
	return rc;
}

static int
demo_exchanges(struct demo *d)
{
	char url[96];
	char *get[] = { "httptool", "get", "-v", url, NULL };
	char *post[] = { "httptool", "post", url, "-d", "@-", NULL };
	int rc;

	snprintf(url, sizeof url, "%s/", d->base);
	rc = demo_step(d, "GET a page, as the client sees it", get, NULL,
		"Notice: '>' lines are the request the client sent (request "
		"line, Host, headers, an\nempty line); '<' lines are the "
		"response's status line and headers; the body follows.\n");
	rc |= demo_step(d, "POST a line of text", post, "hello world\n",
		"\nNotice: -d sends the line without its newline, as "
		"application/x-www-form-urlencoded\n(Content-Length: 11), and "
		"the server answered with what it received.\n");
	return rc;
}

static int
demo_wire(struct demo *d)
{
	char pcap[sizeof d->dir + 16], yf[32];
	char *summary[] = { "httptool", "sniff", "-r", pcap, "-Y", yf, NULL };
	char *detail[] = { "httptool", "sniff", "-r", pcap, "-V", "-O",
			   "http", "-Y", "http.request.method == \"POST\"",
			   NULL };
	int rc;

	demo_heading(d, "The same exchanges on the wire");
	if (!d->captured) {
		printf("(skipped: no capture)\n");
		return 0;
	}
	demo_barrier(d);	/* everything sent so far is in the file */
	demo_stop(&d->sniff, SIGINT);
	snprintf(pcap, sizeof pcap, "%s/lab.pcap", d->dir);
	snprintf(yf, sizeof yf, "tcp.port == %d", d->port);
	rc = demo_step(d, NULL, summary, NULL,
		"Notice: each request opens a TCP connection ([SYN], [SYN, "
		"ACK], [ACK]); the HTTP lines\nsit on the frames that complete "
		"each message; [FIN] closes the connection.\n");
	printf("The numbers skip frames 1 and 2 (and a pair later): they "
	       "are the demo's own probes,\na [SYN] to closed port %d "
	       "answered by [RST, ACK], sent to see that the capture\nwas "
	       "running.  -Y 'tcp.port == %d' hides them; run the command "
	       "without -Y to see them.\n\n", d->probe_port, d->port);
	rc |= demo_step(d, NULL, detail, NULL,
		"Notice: the POST's body decoded as 'HTML Form URL Encoded': "
		"the form item the server\nreceived, exactly as it crossed the "
		"loopback interface.\n");
	return rc;
}

static int
demo_more(struct demo *d)
{
	char u1[96], u2[96], u3[96], u4[96];
	char *keep[] = { "httptool", "get", "-s", u1, u2, "-o", "/dev/null",
			 "-o", "/dev/null", "-w",
			 "%{url_effective}: %{num_connects} new connection(s)\\n",
			 NULL };
	char *chunked[] = { "httptool", "get", "-i", u3, NULL };
	char *range[] = { "httptool", "get", "-i", "-r", "0-9", u4, NULL };
	int rc;

	snprintf(u1, sizeof u1, "%s/get", d->base);
	snprintf(u2, sizeof u2, "%s/headers", d->base);
	snprintf(u3, sizeof u3, "%s/stream/3", d->base);
	snprintf(u4, sizeof u4, "%s/index.html", d->base);
	rc = demo_step(d, "Keep-alive: two requests, one connection", keep,
		NULL, "Notice: the second request reused the first one's TCP "
		"connection (0 new):\nHTTP/1.1 keeps connections open unless "
		"a side says 'Connection: close'.\n");
	rc |= demo_step(d, "A chunked response", chunked, NULL,
		"Notice: 'Transfer-Encoding: chunked' and no Content-Length: "
		"the body came in pieces,\neach preceded by its size in hex, "
		"ending with a zero-size chunk.\n");
	rc |= demo_step(d, "A Range request", range, NULL,
		"\nNotice: '206 Partial Content' and 'Content-Range: bytes "
		"0-9/...': only the asked bytes\ncame back.\n");
	return rc;
}

static void
demo_on_signal(int sig)
{
	for (int i = 0; i < DEMO_NPIDS; i++)
		if (demo_sig_pids[i] > 0)
			kill(demo_sig_pids[i], SIGTERM);
	for (size_t i = 0; i <= DEMO_NLEFT; i++)
		if (unlink(demo_sig_paths[i]) < 0)
			rmdir(demo_sig_paths[i]);
	_exit(128 + sig);
}

static void
demo_catch_signals(struct demo *d)
{
	struct sigaction sa;

	for (size_t i = 0; i < DEMO_NLEFT; i++)
		snprintf(demo_sig_paths[i], sizeof demo_sig_paths[i], "%s/%s",
			 d->dir, demo_leftovers[i]);
	snprintf(demo_sig_paths[DEMO_NLEFT], sizeof demo_sig_paths[0], "%s",
		 d->dir);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = demo_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
demo_cleanup(struct demo *d)
{
	demo_stop(&d->sniff, SIGINT);
	demo_stop(&d->serve, SIGTERM);
	demo_stop(&d->serve_tls, SIGTERM);
	if (d->probe_fd >= 0)
		close(d->probe_fd);
	for (size_t i = 0; i < DEMO_NLEFT; i++)
		if (unlink(demo_file(d, demo_leftovers[i])) < 0)
			rmdir(d->path);
	rmdir(d->dir);
}

static int
demo_main(struct demo *d, bool tui)
{
	char pcap[sizeof d->dir + 16];
	char yf[32];
	char *tuiv[] = { "httptool", "sniff", "-r", pcap, "--tui", "-Y", yf,
			 NULL };
	int rc;

	printf("httptool demo: the first HTTP lab, offline, on 127.0.0.1.\n"
	       "Each step is a command you can run yourself.\n");
	demo_heading(d, "Start the test server on a free port");
	if (demo_start_server(d) < 0)
		return EXIT_FAIL;
	demo_heading(d, "Capture the loopback traffic to that port");
	d->captured = demo_start_capture(d, d->port, "lab.pcap");
	rc = demo_exchanges(d);
	rc |= demo_wire(d);
	rc |= demo_more(d);
	rc |= demo_https(d);
	snprintf(pcap, sizeof pcap, "%s/lab.pcap", d->dir);
	snprintf(yf, sizeof yf, "tcp.port == %d", d->port);
	if (tui && d->captured) {
		printf("\nOpening the capture of steps 3-4 in the terminal "
		       "interface (q quits).\n");
		demo_show(tuiv, NULL);
		pid_t pid = demo_spawn(d, tuiv, -2, STDOUT_FILENO);
		rc |= pid < 0 || demo_wait(pid) != 0;
	} else if (tui) {
		printf("\n--tui: no capture to open.\n");
	}
	printf("\n%s\n", rc ? "httptool demo: a step failed (see above)" :
	       "Done. Try the commands above with your own URLs, and "
	       "'man httptool' for the rest.");
	return rc ? EXIT_FAIL : EXIT_OK;
}

static int
demo_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	struct demo d = { .probe_fd = -1 };
	const char *arg, *tmp = getenv("TMPDIR");
	bool tui = false;
	ssize_t n;
	int id, rc, status;

	opt_init(&st, argc, argv, 1, "httptool demo");
	while ((id = cmd_next_opt(&st, self, &arg, &status)) != OPT_DONE) {
		if (id == CMD_OPT_EXIT)
			return status;
		if (id == OPT_STEP)
			d.step = true;
		if (id == OPT_TUI)
			tui = true;
		if (id == OPT_POSITIONAL) {
			fprintf(stderr, "httptool demo: unexpected argument "
				"'%s'\n", arg);
			return EXIT_USAGE;
		}
	}
	n = readlink("/proc/self/exe", d.self, sizeof d.self - 1);
	if (n <= 0) {
		fprintf(stderr, "httptool demo: cannot find its own binary: "
			"%s\n", strerror(errno));
		return EXIT_FAIL;
	}
	d.self[n] = 0;
	snprintf(d.dir, sizeof d.dir, "%s/httptool-demo-XXXXXX",
		 tmp && *tmp == '/' && strlen(tmp) < 200 ? tmp : "/tmp");
	if (mkdtemp(d.dir) == NULL) {
		fprintf(stderr, "httptool demo: cannot create '%s': %s\n",
			d.dir, strerror(errno));
		return EXIT_FAIL;
	}
	demo_catch_signals(&d);
	rc = demo_main(&d, tui);
	demo_cleanup(&d);
	return rc;
}

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.summary = "run the whole first lab: serve, send, sniff, explain",
	.usage = "[--step] [--tui]",
	.opts = demo_opts,
	.exec = demo_exec,
};
