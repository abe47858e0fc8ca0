/*
 * proc.c - child processes, credentials and the terminal (see proc.h).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

pid_t
proc_spawn(const char *prog, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", prog, argv[0],
			strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "%s: cannot run '%s': %s\n", prog, argv[0],
			strerror(errno));
	return pid;
}

int
proc_status(pid_t pid, bool wait)
{
	int st;
	pid_t r;

	while ((r = waitpid(pid, &st, wait ? 0 : WNOHANG)) < 0 &&
	       errno == EINTR)
		;
	if (r != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
proc_stop(pid_t pid)
{
	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	return proc_status(pid, true);
}

int
proc_drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	pw = getpwnam(user ? user : "nobody");
	if (!pw) {
		snprintf(err, errlen, "cannot drop privileges: no user '%s'",
			 user ? user : "nobody");
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	    setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		snprintf(err, errlen, "cannot drop privileges to '%s': %s",
			 pw->pw_name, strerror(errno));
		return -1;
	}
	return 0;
}

bool
proc_have_tty(void)
{
	return isatty(1) && (isatty(0) || access("/dev/tty", R_OK) == 0);
}
