/*
 * proc.h - process work the commands share: run a child and learn how
 * it ended, stop it, give up root after opening what needs root, check
 * for a terminal.  Only cli/ creates processes or changes credentials;
 * the parts (capture/, server/) get these as hooks (see sniff.h's
 * struct sniff_proc) and never fork or setuid themselves.
 */
#ifndef HTTPTOOL_CLI_PROC_H
#define HTTPTOOL_CLI_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Start argv[0] (searched in PATH) with argv; its pid, or -1 with
 * "prog: cannot run 'X': why" printed.  A child that cannot exec exits
 * 127, as a shell's would.
 */
pid_t proc_spawn(const char *prog, char *const argv[]);

/* The child's exit status (128 + signal) once it has ended, else -1;
 * wait says whether to block until then. */
int proc_status(pid_t pid, bool wait);

/* SIGTERM to pid, then its exit status (blocking), or -1. */
int proc_stop(pid_t pid);

/*
 * When running as root: become user (NULL: "nobody"), as tcpdump -Z.
 * 0, or -1 with err filled.  Does nothing for other users.
 */
int proc_drop_privileges(const char *user, char *err, size_t errlen);

/* True when stdout is a terminal and keys can be read (stdin or
 * /dev/tty): what a full-screen interface needs. */
bool proc_have_tty(void);

#endif
