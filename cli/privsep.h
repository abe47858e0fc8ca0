/*
 * privsep.h - creating a file after the privilege drop.
 *
 * `sniff` started as root drops to -Z USER (nobody) once the capture is
 * open.  A user who later saves from the TUI expects to write where they
 * could when they started it: their working directory, which nobody may
 * not write.  So, before the drop, privsep_start() forks a small opener
 * that keeps the original credentials and does exactly one thing: create
 * a new regular file (O_CREAT | O_EXCL, mode 0644, never through a
 * symlink) in the directory the program started in, give it to the user
 * who ran sudo (SUDO_UID/SUDO_GID) when there is one, and pass the
 * descriptor back over a socket.  A compromised sniffer can therefore make
 * new files in that one directory and nothing else: it cannot overwrite,
 * read, or reach anywhere else with the opener's rights.
 *
 * The opener's socket is this file's only state; the opener exits when
 * the program does (or at privsep_stop()).
 */
#ifndef HTTPTOOL_PRIVSEP_H
#define HTTPTOOL_PRIVSEP_H

#include <stddef.h>

/*
 * Fork the opener (call while still privileged, before dropping).  Does
 * nothing when not running as root.  0, or -1 with err filled.
 */
int privsep_start(char *err, size_t errsize);

/*
 * Open path for writing: directly when the current credentials allow it,
 * else, for a plain file name (no '/'), through the opener.  Returns a
 * descriptor the caller closes, or a negative errno (the direct attempt's
 * when the opener cannot help; -EEXIST when the opener refuses to replace
 * a file).
 */
int privsep_create(const char *path);

/* Stop the opener (idempotent). */
void privsep_stop(void);

#endif
