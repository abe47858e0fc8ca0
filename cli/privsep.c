/*
 * privsep.c - the file opener that outlives the privilege drop (see
 * privsep.h).  The child keeps only its socket and a descriptor of the
 * starting directory; a request is a file name, the answer an errno and,
 * on success, the new file's descriptor (SCM_RIGHTS).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/privsep.h"

static int privsep_sock = -1;	/* the parent's end; -1 without opener */
static pid_t privsep_pid;

/* A name the opener accepts: one path component, not "." or "..". */
static int
privsep_name_ok(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

static void
privsep_reply(int sock, int err, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &err, sizeof err };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(cbuf, 0, sizeof cbuf);
		m.msg_control = cbuf;
		m.msg_controllen = sizeof cbuf;
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	(void)sendmsg(sock, &m, MSG_NOSIGNAL);
}

/* The opener's life: answer requests until the parent goes away. */
static void __attribute__((noreturn))
privsep_child(int sock, int dirfd)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	char name[256];

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	for (;;) {
		ssize_t n = recv(sock, name, sizeof name - 1, 0);
		int fd, err = 0;

		if (n <= 0)
			_exit(0);
		name[n] = 0;
		if (!privsep_name_ok(name)) {
			privsep_reply(sock, EPERM, -1);
			continue;
		}
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			err = errno;
		/* a failed chown leaves the file root's: still saved */
		if (fd >= 0 && su && sg &&
		    fchown(fd, (uid_t)atol(su), (gid_t)atol(sg)) < 0)
			err = 0;
		privsep_reply(sock, err, fd);
		if (fd >= 0)
			close(fd);
	}
}

int
privsep_start(char *err, size_t errsize)
{
	int sv[2], dirfd;
	pid_t pid;

	if (geteuid() != 0 || privsep_sock >= 0)
		return 0;
	dirfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sv) < 0) {
		snprintf(err, errsize, "cannot start the file opener: %s",
			 strerror(errno));
		if (dirfd >= 0)
			close(dirfd);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsize, "cannot start the file opener: %s",
			 strerror(errno));
		close(sv[0]);
		close(sv[1]);
		close(dirfd);
		return -1;
	}
	if (pid == 0) {
		/* keep only the socket and the directory */
		for (int fd = 0; fd < 1024; fd++)
			if (fd != sv[1] && fd != dirfd && fd > 2)
				close(fd);
		privsep_child(sv[1], dirfd);
	}
	close(sv[1]);
	close(dirfd);
	privsep_sock = sv[0];
	privsep_pid = pid;
	return 0;
}

/* Ask the opener for name.  fd or -errno. */
static int
privsep_ask(const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	int e = EIO, fd = -1;
	struct iovec iov = { &e, sizeof e };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof cbuf };
	struct cmsghdr *c;

	if (send(privsep_sock, name, strlen(name), MSG_NOSIGNAL) < 0 ||
	    recvmsg(privsep_sock, &m, MSG_CMSG_CLOEXEC) <= 0)
		return -EIO;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof fd);
	if (e != 0) {
		if (fd >= 0)
			close(fd);
		return -e;
	}
	return fd >= 0 ? fd : -EIO;
}

int
privsep_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int direct = errno;

	if (fd >= 0)
		return fd;
	if ((direct != EACCES && direct != EPERM) || privsep_sock < 0 ||
	    !privsep_name_ok(path))
		return -direct;
	return privsep_ask(path);
}

void
privsep_stop(void)
{
	if (privsep_sock < 0)
		return;
	close(privsep_sock);
	privsep_sock = -1;
	waitpid(privsep_pid, NULL, 0);
}
