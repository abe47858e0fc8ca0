/*
 * raw_menu.c - the ^] escape menu and its terminal setting (see
 * raw_menu.h).
 *
 * Like BSD telnet in line mode, the terminal stays canonical (the user
 * keeps echo and line editing) and ^] is made an extra end-of-line
 * character (VEOL), so a read returns as soon as it is typed.  The saved
 * terminal state is the only mutable file-level state here: this file owns
 * the terminal, and a fatal signal must be able to put it back.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "raw_menu.h"
#include "raw_text.h"

static const char menu_help[] =
	"commands (an empty line goes back to the connection):\n"
	"  send STRING   send STRING; \\r \\n \\t \\\\ \\xHH are escapes\n"
	"  status        bytes each way, time connected, requests answered\n"
	"  close         close the connection and exit\n"
	"  quit          exit at once\n"
	"  help          this list\n";

/* Does word w (length n) name command cmd, or a prefix of it? */
static bool
menu_is(const char *w, size_t n, const char *cmd)
{
	return n > 0 && n <= strlen(cmd) && strncmp(w, cmd, n) == 0;
}

enum raw_menu_action
raw_menu_parse(const char *line, size_t n, struct buf *send, struct buf *msg)
{
	size_t i = 0, w;

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == n)
		return RAW_MENU_RESUME;
	for (w = i; w < n && line[w] != ' ' && line[w] != '\t'; w++)
		;
	if (menu_is(line + i, w - i, "send")) {
		if (w < n)
			w++;	/* one separator; the rest is the string */
		if (w == n) {
			buf_puts(msg, "send: what? (send STRING)\n");
			return RAW_MENU_STAY;
		}
		if (raw_unescape(line + w, n - w, send) < 0) {
			buf_puts(msg, "send: bad escape (use \\r \\n \\t "
				 "\\\\ \\0 \\e \\xHH)\n");
			return RAW_MENU_STAY;
		}
		return RAW_MENU_SEND;
	}
	if (menu_is(line + i, w - i, "status"))
		return RAW_MENU_STATUS;
	if (menu_is(line + i, w - i, "close"))
		return RAW_MENU_CLOSE;
	if (menu_is(line + i, w - i, "quit") || menu_is(line + i, w - i, "exit"))
		return RAW_MENU_QUIT;
	if (menu_is(line + i, w - i, "help") || line[i] == '?') {
		buf_puts(msg, menu_help);
		return RAW_MENU_STAY;
	}
	buf_printf(msg, "unknown command '%.*s'; try help\n", (int)(w - i),
		   line + i);
	return RAW_MENU_STAY;
}

void
raw_menu_status_text(const struct raw_menu_status *s, struct buf *msg)
{
	buf_printf(msg, "connected to %s for %.1f s (%s)\n", s->peer,
		   s->seconds, s->mode);
	buf_printf(msg, "sent %llu bytes, received %llu bytes\n",
		   (unsigned long long)s->sent,
		   (unsigned long long)s->received);
	buf_printf(msg, "requests sent %lu, answered %lu, waiting for %lu\n",
		   s->requests, s->answered, s->pending);
}

static struct termios tty_saved;
static int tty_fd = -1;

void
raw_tty_restore(void)
{
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSANOW, &tty_saved);
	tty_fd = -1;
}

static void
tty_on_signal(int sig)
{
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSANOW, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

int
raw_tty_escape_on(int fd)
{
	static bool registered;
	struct termios t;

	if (!isatty(fd) || tcgetattr(fd, &tty_saved) < 0)
		return -1;
	t = tty_saved;
	t.c_cc[VEOL] = RAW_ESCAPE_CHAR;
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return -1;
	tty_fd = fd;
	if (!registered) {
		registered = true;
		atexit(raw_tty_restore);
		signal(SIGINT, tty_on_signal);
		signal(SIGTERM, tty_on_signal);
		signal(SIGHUP, tty_on_signal);
	}
	return 0;
}
