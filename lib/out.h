/*
 * out.h - the terminal: colour decisions, ANSI colours, JSON
 * pretty-printing, binary detection and progress bars.
 *
 * Generic on purpose: the client uses it now, the raw sender and others may
 * later.  Nothing here knows about libcurl or about any one command.
 * Colour is never decided here on its own: callers ask out_color_wanted()
 * for a stream and pass the answer down.
 */
#ifndef HTTPTOOL_OUT_H
#define HTTPTOOL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/buf.h"

enum out_color {
	OUT_RESET, OUT_BOLD, OUT_DIM,
	OUT_KEY,		/* JSON member names */
	OUT_STRING, OUT_NUMBER, OUT_LITERAL,	/* JSON values */
	OUT_HNAME,		/* header names */
	OUT_OK, OUT_REDIRECT, OUT_ERROR,	/* status codes by class */
};

/* The SGR escape for c, or "" when on is false.  Static storage. */
const char *out_sgr(bool on, enum out_color c);

/* True when fd is a terminal (and TERM is not "dumb"). */
bool out_is_tty(int fd);

/* Colour by default on fd: a terminal and NO_COLOR unset or empty. */
bool out_color_wanted(int fd);

/*
 * Append JSON text in[0..len) to b, re-indented by 4 spaces per level
 * (strings and numbers are copied as they are), coloured when color,
 * each object's members sorted by key (code point order, equal keys in
 * input order: HTTPie's json.sort_keys) when sort_keys.  0, or -1 when
 * in is not one complete JSON value (b then holds a partial rendering
 * the caller should discard).  Nesting is limited to 256.
 */
int out_json_format(struct buf *b, const char *in, size_t len, bool color,
		    bool sort_keys);

/* The same, coloured but laid out as it came (HTTPie's --pretty colors):
 * whitespace, and so line breaks and indentation, copied through. */
int out_json_color(struct buf *b, const char *in, size_t len);

/*
 * Print one status line or header line (without its CRLF) to fp, followed
 * by eol.  With color: the status line bold with the code coloured by its
 * class, header names coloured.
 */
void out_head_line(FILE *fp, const char *line, size_t len, const char *eol,
		   bool color);

/* Heuristic: bytes that would garble a terminal (a NUL in the first 8K). */
bool out_is_binary(const void *p, size_t len);

/* HTTPie's note in place of a binary body on a terminal, with a hint. */
void out_binary_note(FILE *fp);

/*
 * Ask for a secret on the controlling terminal (/dev/tty) with echo off:
 * prints prompt, reads one line into buf (NUL-terminated, newline
 * dropped).  Returns its length, or -1 when there is no terminal.
 */
int out_read_secret(const char *prompt, char *buf, size_t size);

/* "1.5 MiB" style size into buf; returns buf. */
const char *out_size(char *buf, size_t size, double bytes);

/*
 * Draw a one-line progress bar on fp (a terminal), overwriting the line:
 * "###########                         31.4%  3.2 MiB" when total is known,
 * the byte count otherwise.  label may be NULL.  out_progress_end() ends
 * the line.
 */
void out_progress(FILE *fp, const char *label, double now, double total);
void out_progress_end(FILE *fp);

#endif
