/*
 * keys.h - the special keys keys.c acts on, as draw.c reports them
 * (draw.c translates curses codes, so only draw.c includes <curses.h>).
 * Printable keys and Tab arrive as themselves.
 */
#ifndef HTTPTOOL_TUI_KEYS_H
#define HTTPTOOL_TUI_KEYS_H

enum {
	TK_ENTER = 0x1001, TK_ESC, TK_BACKSPACE, TK_UP, TK_DOWN, TK_LEFT,
	TK_RIGHT, TK_PPAGE, TK_NPAGE, TK_HOME, TK_END, TK_DELETE, TK_RESIZE,
	TK_ALT_LEFT, TK_ALT_RIGHT,
};

#define TK_CTRL(c) ((c) & 0x1f)	/* TK_CTRL('g') is Ctrl-G */

#endif
