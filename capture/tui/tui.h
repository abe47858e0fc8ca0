/*
 * tui.h - `httptool sniff --tui`: the three-pane terminal interface.
 *
 * cli/cmd_sniff.c calls tui_run() with the options it parsed (and the
 * -Y filter it compiled, the terminal it checked); the TUI opens the
 * capture through the capture session (the same decoders, records,
 * protocol tree and display filters as the text output) and returns its
 * own result, which cli/ maps to an exit status.  Nothing here exits.
 */
#ifndef HTTPTOOL_TUI_H
#define HTTPTOOL_TUI_H

#include "capture/sniff.h"

/*
 * Run the interface until the user quits.  o->read or o->iface say what
 * to show; o->bpf, o->snaplen, o->buffer_mib, o->flow_mem, o->total_mem
 * apply as in text mode, o->count stops reading after that many frames,
 * o->duration (live) after that many seconds, o->proc->drop gives up
 * root once the capture is open; o->filter (borrowed) with its text
 * filter_text is -Y, applied at start.  o->command must be NULL: the
 * caller refuses -- COMMAND with --tui.
 */
enum exit_code tui_run(const struct sniff_opts *o, const char *filter_text);

#endif
