/*
 * manpage.c - where a subcommand's man page is, and showing it
 * (`httptool help CMD`, like `git help`).
 *
 * A binary run from its clone (the folder holding it, or the one above
 * it, has man/httptool.1.in) names the built page by path, because
 * `man httptool-get` finds nothing until `make install`; an installed
 * binary names the page by name.  Showing a page runs man(1); when
 * there is no man or no page, the caller falls back to the --help text.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The clone's man/ folder into dir, or false when installed. */
static bool
clone_man_dir(char *dir, size_t size)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return false;
	exe[n] = 0;
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');

		if (slash == NULL)
			return false;
		*slash = 0;
		snprintf(probe, sizeof probe, "%s/man/httptool.1.in", exe);
		if (is_file(probe) && strlen(exe) + sizeof "/man" <= size) {
			strcpy(dir, exe);
			strcat(dir, "/man");
			return true;
		}
	}
	return false;
}

/* The page's file name: help is documented in httptool(1). */
static const char *
page_name(const struct cmd_entry *cmd, char *buf, size_t size)
{
	if (strcmp(cmd->name, "help") == 0)
		snprintf(buf, size, "httptool");
	else
		snprintf(buf, size, "httptool-%s", cmd->name);
	return buf;
}

const char *
cmd_man_ref(const struct cmd_entry *cmd, char *buf, size_t size)
{
	char dir[PATH_MAX], cwd[PATH_MAX], name[64];
	size_t cl;

	page_name(cmd, name, sizeof name);
	if (!clone_man_dir(dir, sizeof dir)) {
		snprintf(buf, size, "man %s", name);
		return buf;
	}
	/* relative when run from the clone's top, as the README does */
	if (getcwd(cwd, sizeof cwd) && (cl = strlen(cwd)) > 0 &&
	    strncmp(dir, cwd, cl) == 0 && strcmp(dir + cl, "/man") == 0)
		snprintf(buf, size, "man ./man/%s.1", name);
	else
		snprintf(buf, size, "man %s/%s.1", dir, name);
	return buf;
}

/* Run man with argv: its exit status, 128 + N for signal N, 127 when it
 * could not run at all. */
static int
run_man(char *const argv[], bool quiet)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		int null = quiet ? open("/dev/null", O_WRONLY) : -1;

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int
cmd_man_show(const struct cmd_entry *cmd)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], name[64];

	page_name(cmd, name, sizeof name);
	if (clone_man_dir(dir, sizeof dir)) {
		snprintf(path, sizeof path, "%s/%s.1", dir, name);
		if (!is_file(path))
			return -1;	/* not built yet (make) */
		/* once man ran, the page was shown (or its pager quit) */
		return run_man((char *const[]){ "man", "-l", path, NULL },
			       false) == 127 ? -1 : 0;
	}
	if (run_man((char *const[]){ "man", "-w", name, NULL }, true) != 0)
		return -1;
	return run_man((char *const[]){ "man", name, NULL }, false) == 127
		       ? -1 : 0;
}
