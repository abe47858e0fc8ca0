/*
 * raw_menu.h - the escape menu of `httptool raw` (telnet's ^] prompt) and
 * the terminal setting that makes ^] reach us without waiting for Enter.
 *
 * The menu is modal but not blocking: while it is open the session keeps
 * printing what the server sends, and hands each line typed at the
 * "httptool> " prompt to raw_menu_parse().
 */
#ifndef HTTPTOOL_RAW_MENU_H
#define HTTPTOOL_RAW_MENU_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define RAW_ESCAPE_CHAR 0x1d	/* ^] */
#define RAW_MENU_PROMPT "httptool> "

enum raw_menu_action {
	RAW_MENU_RESUME = 0,	/* back to the connection */
	RAW_MENU_STAY,		/* prompt again */
	RAW_MENU_SEND,		/* send the bytes in *send, then resume */
	RAW_MENU_STATUS,	/* print the status, then resume */
	RAW_MENU_CLOSE,		/* close the connection and exit */
	RAW_MENU_QUIT,		/* exit at once */
};

struct raw_menu_status {
	const char *peer;		/* "127.0.0.1 port 8080" */
	uint64_t sent, received;	/* bytes */
	double seconds;			/* connected for */
	unsigned long requests, answered;
	unsigned long pending;
	const char *mode;		/* "HTTP", "not HTTP", "tunnel" */
};

/*
 * Interpret one line typed at the prompt (its newline, if any, is
 * ignored).  For RAW_MENU_SEND the decoded bytes are appended to send;
 * anything to show the user (help, errors) is appended to msg.
 */
enum raw_menu_action raw_menu_parse(const char *line, size_t n,
				    struct buf *send, struct buf *msg);

/* Append the `status` report to msg. */
void raw_menu_status_text(const struct raw_menu_status *s, struct buf *msg);

/*
 * Make ^] end a read on the terminal fd (canonical mode stays: echo and
 * line editing work as usual) and arrange for the old setting to come back
 * on exit or a fatal signal.  0, or -1 when fd is not a terminal.
 */
int raw_tty_escape_on(int fd);

/* Put the terminal back as it was (safe to call more than once). */
void raw_tty_restore(void);

#endif
