/*
 * scan.h - a display filter applied to the TUI's index incrementally
 * (see scan.c).  The model receives the matching frame numbers.
 */
#ifndef HTTPTOOL_TUI_SCAN_H
#define HTTPTOOL_TUI_SCAN_H

#include "capture/filter.h"
#include "capture/frame_tree.h"
#include "capture/stats.h"
#include "index.h"

struct tui_scan {
	bool active;
	struct tui_index *ix;
	struct filter *f;		/* owned unless borrowed */
	bool borrowed;
	struct records rs;
	struct cap_pipe *pp;		/* the decoders run again (session.h) */
	uint32_t next;			/* frame to test next */
	struct frame_tree ft;		/* the frame's tree: its fields */
	bool app_nodes;			/* the filter reads TLS/app nodes */
	struct stats st;		/* --stats over the messages that match */
};

/* Start filtering ix with f (owned from now on); 0 or -1 ENOMEM. */
int tui_scan_start(struct tui_scan *sc, struct tui_index *ix, struct filter *f);
/* Test up to max more frames, adding matches to m; frames tested. */
size_t tui_scan_step(struct tui_scan *sc, struct tui_model *m, size_t max);
/* Every frame of a finished index has been tested. */
bool tui_scan_finished(const struct tui_scan *sc);
void tui_scan_free(struct tui_scan *sc);

#endif
