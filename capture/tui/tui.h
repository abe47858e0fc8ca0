/*
 * tui.h - `httptool sniff --tui`: the three-pane terminal interface.
 *
 * cli/cmd_sniff.c calls tui_run() with the options it parsed; the TUI
 * opens the capture itself (the same source.h, decoders, records,
 * printers and display filters as the text output) and returns an exit
 * status from lib/exitcode.h.  Nothing here calls exit().
 */
#ifndef HTTPTOOL_TUI_H
#define HTTPTOOL_TUI_H

#include "capture/sniff.h"

/*
 * Run the interface until the user quits.  o->read or o->iface say what
 * to show; o->bpf, o->snaplen, o->buffer_mib, o->user apply as in text
 * mode; filter_text is -Y (applied at start) or NULL.  Returns 0, 1 on
 * failure (message printed to stderr), 2 on a usage error (a bad -Y, no
 * terminal).
 */
int tui_run(const struct sniff_opts *o, const char *filter_text);

#endif
