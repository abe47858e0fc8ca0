/*
 * curses_dl.h - <curses.h> with every ncurses function and variable the
 * TUI uses taken from a table that curses_dl_load() fills with dlopen(),
 * so that only `sniff --tui` maps ncursesw and tinfo (every other
 * httptool process would otherwise load and relocate them at start-up).
 * Include it instead of <curses.h>; the calls keep their curses names.
 */
#ifndef HTTPTOOL_TUI_CURSES_DL_H
#define HTTPTOOL_TUI_CURSES_DL_H

#include <curses.h>
#include <stddef.h>

#define CURSES_DL_NAMES { "libncursesw.so.6", "libncursesw.so" }
#define CURSES_DL_PKG "libncursesw6"

/* Every symbol the TUI takes from ncurses (stdscr is a variable). */
#define CURSES_DL_SYMS(X) \
	X(cbreak) X(curs_set) X(define_key) X(delscreen) X(endwin) \
	X(getmouse) X(has_colors) X(init_pair) X(keypad) X(mouseinterval) \
	X(mousemask) X(newterm) X(nodelay) X(noecho) X(nonl) \
	X(set_escdelay) X(start_color) X(stdscr) X(use_default_colors) \
	X(waddch) X(waddnstr) X(wattr_off) X(wattr_on) X(wchgat) \
	X(wclrtoeol) X(wgetch) X(wmove) X(wrefresh)

#define CURSES_DL_MEMBER(name) __typeof__(name) *p_##name;
struct curses_dl {
	CURSES_DL_SYMS(CURSES_DL_MEMBER)
};
#undef CURSES_DL_MEMBER

extern struct curses_dl curses_dl;

/* Load ncurses once; 0, or -1 with a one-line reason in err. */
int curses_dl_load(char *err, size_t errlen);

#ifndef CURSES_DL_NO_REDIRECT
#define cbreak (*curses_dl.p_cbreak)
#define curs_set (*curses_dl.p_curs_set)
#define define_key (*curses_dl.p_define_key)
#define delscreen (*curses_dl.p_delscreen)
#define endwin (*curses_dl.p_endwin)
#define getmouse (*curses_dl.p_getmouse)
#define has_colors (*curses_dl.p_has_colors)
#define init_pair (*curses_dl.p_init_pair)
#define keypad (*curses_dl.p_keypad)
#define mouseinterval (*curses_dl.p_mouseinterval)
#define mousemask (*curses_dl.p_mousemask)
#define newterm (*curses_dl.p_newterm)
#define nodelay (*curses_dl.p_nodelay)
#define noecho (*curses_dl.p_noecho)
#define nonl (*curses_dl.p_nonl)
#define set_escdelay (*curses_dl.p_set_escdelay)
#define start_color (*curses_dl.p_start_color)
#define stdscr (*curses_dl.p_stdscr)
#define use_default_colors (*curses_dl.p_use_default_colors)
#define waddch (*curses_dl.p_waddch)
#define waddnstr (*curses_dl.p_waddnstr)
#define wattr_off (*curses_dl.p_wattr_off)
#define wattr_on (*curses_dl.p_wattr_on)
#define wchgat (*curses_dl.p_wchgat)
#define wclrtoeol (*curses_dl.p_wclrtoeol)
#define wgetch (*curses_dl.p_wgetch)
#define wmove (*curses_dl.p_wmove)
#define wrefresh (*curses_dl.p_wrefresh)
#endif

#endif
