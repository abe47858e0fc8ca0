/* cli/privsep.c: a file saved after the privilege drop lands where the
 * user could write before it, and nowhere else */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/privsep.h"
#include "unit.h"

/* In a child dropped to nobody: what a sniffer would try.  The exit code
 * says which expectation failed (0: all held). */
static int
as_nobody(void)
{
	int fd;

	if (setgid(65534) < 0 || setuid(65534) < 0)
		return 10;
	/* nobody cannot write here itself ... */
	if (open("direct", O_WRONLY | O_CREAT, 0644) >= 0 || errno != EACCES)
		return 11;
	/* ... but the opener creates the file the user asked for */
	fd = privsep_create("saved.pcap");
	if (fd < 0 || write(fd, "pcap", 4) != 4)
		return 12;
	close(fd);
	/* it never replaces a file, and never leaves its directory */
	if (privsep_create("saved.pcap") != -EEXIST)
		return 13;
	if (privsep_create("../escape.pcap") >= 0)
		return 14;
	if (privsep_create("..") >= 0)
		return 15;
	return 0;
}

TEST(privsep_saves_after_the_drop_only_in_the_start_directory)
{
	char dir[] = "/tmp/httptool-privsep-XXXXXX", back[4096], err[256];
	char path[sizeof dir + 32], start[sizeof dir + 8];
	struct stat st;
	int status = -1;
	pid_t pid;

	if (geteuid() != 0) {	/* nothing to separate: opens directly */
		CHECK_EQ(privsep_start(err, sizeof err), 0);
		return;
	}
	CHECK(getcwd(back, sizeof back) != NULL);
	CHECK(mkdtemp(dir) != NULL);
	/* root's, not writable by nobody, and so is its parent */
	CHECK_EQ(chmod(dir, 0755), 0);
	snprintf(start, sizeof start, "%s/start", dir);
	CHECK_EQ(mkdir(start, 0755), 0);
	CHECK_EQ(chdir(start), 0);
	CHECK_EQ(privsep_start(err, sizeof err), 0);
	pid = fork();
	if (pid == 0)
		_exit(as_nobody());
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	privsep_stop();
	snprintf(path, sizeof path, "%s/saved.pcap", start);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_size, 4);
	CHECK(S_ISREG(st.st_mode));
	unlink(path);
	snprintf(path, sizeof path, "%s/escape.pcap", dir);
	CHECK(access(path, F_OK) != 0);
	CHECK_EQ(chdir(back), 0);
	rmdir(start);
	rmdir(dir);
}
