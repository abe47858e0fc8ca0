/*
 * draw_impl.h - shared by draw.c and draw_list.c, the only files that
 * include <curses.h>.  Private to capture/tui/.
 */
#ifndef HTTPTOOL_TUI_DRAW_IMPL_H
#define HTTPTOOL_TUI_DRAW_IMPL_H

#include "curses_dl.h"

#include "tui_impl.h"

enum { C_BAR = TUI_K__N, C_OK, C_BAD, C_HL };

/* Put s[0..n) at (y, x), at most w columns (UTF-8 aware), padded to w. */
void draw_put(int y, int x, const char *s, size_t n, int w);
void draw_puts_at(int y, int x, const char *s, int w);
/* A bar (title, pane heading, status): s on the bar colour, w wide. */
void draw_bar(int y, int w, const char *s);
/* Bytes of s[0..n) that make its first cols display columns. */
size_t draw_skip_cols(const char *s, size_t n, size_t cols);
/* The packet list pane at rows y..y+h, w wide (draw_list.c). */
void draw_list(struct tui *t, int y, int h, int w);

#endif
