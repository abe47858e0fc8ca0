/*
 * scan.h - a display filter applied to the TUI's index incrementally
 * (see scan.c).  The model receives the matching frame numbers.
 */
#ifndef HTTPTOOL_TUI_SCAN_H
#define HTTPTOOL_TUI_SCAN_H

#include "capture/filter.h"
#include "index.h"

enum { SF_METHOD, SF_URI, SF_HOST, SF_CT, SF_UA, SF_COOKIE, SF_SETCOOKIE,
       SF__COUNT };
#define SCAN_VALUES 4
#define SCAN_MSGS 16

struct scan_msg {
	bool request;
	int code;
	double time;
	uint32_t off[SF__COUNT][SCAN_VALUES], len[SF__COUNT][SCAN_VALUES];
	uint8_t n[SF__COUNT];
};

struct tui_scan {
	bool active;
	struct tui_index *ix;
	struct filter *f;		/* owned */
	struct records rs;
	struct reasm *ra;
	struct dissect ds;
	uint32_t next, no;
	struct pkt pk;
	struct reasm_info ri;
	struct scan_msg msgs[SCAN_MSGS];
	unsigned nmsgs;
	struct buf arena;
};

/* Start filtering ix with f (owned from now on); 0 or -1 ENOMEM. */
int tui_scan_start(struct tui_scan *sc, struct tui_index *ix, struct filter *f);
/* Test up to max more frames, adding matches to m; frames tested. */
size_t tui_scan_step(struct tui_scan *sc, struct tui_model *m, size_t max);
/* Every frame of a finished index has been tested. */
bool tui_scan_finished(const struct tui_scan *sc);
void tui_scan_free(struct tui_scan *sc);

#endif
