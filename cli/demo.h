/*
 * demo.h - what the parts of `httptool demo` share: cmd_demo.c (the
 * lab: server, capture, client steps, cleanup) and demo_https.c (the
 * HTTPS step).  Private to those files.
 */
#ifndef HTTPTOOL_DEMO_H
#define HTTPTOOL_DEMO_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define DEMO_STEPS 9
#define DEMO_WAIT_MS 10000	/* longest wait for a child to get ready */
#define DEMO_LOG_FLAGS (O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)

struct demo {
	char self[PATH_MAX];	/* this binary */
	char dir[256];		/* private temporary directory */
	char path[PATH_MAX];	/* scratch for demo_file() */
	char base[64];		/* http://127.0.0.1:PORT */
	int port;
	pid_t serve, sniff, serve_tls;
	int probe_fd, probe_port;
	bool step, captured;
	int step_no;
};

/* Children the signal handler stops: [0] serve, [1] sniff, [2] serve
   --tls. */
#define DEMO_NPIDS 3
extern pid_t demo_sig_pids[DEMO_NPIDS];

/* d->dir/name in d->path (overwritten by the next call). */
const char *demo_file(struct demo *d, const char *name);
void demo_sleep_ms(int ms);
/* Print "$ httptool a b 'c d'" (with "echo 'input' | " first). */
void demo_show(char *const argv[], const char *input);
/* Start this binary with argv; stdin in_fd (-1 /dev/null, -2 ours),
   stdout and stderr out_fd.  The pid, or -1. */
pid_t demo_spawn(struct demo *d, char *const argv[], int in_fd, int out_fd);
int demo_wait(pid_t pid);
/* Show and run a step's command; its exit status. */
int demo_run(struct demo *d, char *const argv[], const char *input);
/* Stop a background child (sig, then SIGKILL); *pid becomes 0. */
void demo_stop(pid_t *pid, int sig);
/* Print a file the children wrote, each line after prefix; true when a
   line holds needle. */
bool demo_cat(struct demo *d, const char *name, const char *prefix,
	      const char *needle);
/* The numbered heading of the next step (--step: wait for Enter). */
void demo_heading(struct demo *d, const char *title);
/* Everything sent so far has reached the capture; false when it is
   gone or silent. */
bool demo_barrier(struct demo *d);
/* Live capture of port into d->dir/name, d->sniff; false when not
   allowed (and says why). */
bool demo_start_capture(struct demo *d, int port, const char *name);
/* One step: heading (unless NULL), command, what to notice. */
int demo_step(struct demo *d, const char *title, char *const argv[],
	      const char *input, const char *notice);

/* The HTTPS step (demo_https.c); its exit status, 0 when skipped. */
int demo_https(struct demo *d);

#endif
