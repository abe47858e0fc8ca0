/*
 * tui_impl.h - the TUI's state shared by tui.c (the loop), keys.c (the
 * key table) and act.c (what the keys do), find.c, sort.c, windows.c,
 * and draw.c / draw_list.c (the only files that include <curses.h>).
 * Private to capture/tui/.
 */
#ifndef HTTPTOOL_TUI_IMPL_H
#define HTTPTOOL_TUI_IMPL_H

#include "index.h"
#include "model.h"
#include "scan.h"
#include "tui.h"

#include <stdio.h>

/* What the text view shows. */
enum tui_text_kind {
	TUI_T_NONE, TUI_T_HELP, TUI_T_FOLLOW, TUI_T_STATS, TUI_T_FLOWS,
	TUI_T_EXCHANGE, TUI_T_LADDER, TUI_T_CONVS, TUI_T_EXPERT,
	TUI_T_ENDPOINTS, TUI_T_IOGRAPH,
};

/* Screen rows of each pane after the last draw (for the mouse). */
struct tui_layout {
	int list_y, list_h, tree_y, tree_h, hex_y, hex_h, text_y, text_h;
	int cols;
	int col_x[TUI_C__N + 1];	/* list headings' x, -1 hidden */
};

/* The prompts of the bottom line: save (which frames, a range of them,
 * the file name), go to packet, find. */
enum { TUI_P_NONE, TUI_P_WHICH, TUI_P_RANGE, TUI_P_NAME, TUI_P_GOTO,
       TUI_P_FIND };

/* Ctrl-F (find.c): what is searched. */
enum { TUI_FIND_FILTER, TUI_FIND_INFO, TUI_FIND_TREE, TUI_FIND_BYTES,
       TUI_FIND_HEX, TUI_FIND__N };
extern const char *const tui_find_names[TUI_FIND__N];

struct tui_find {
	bool active;			/* n / N have something to repeat */
	int mode;
	char text[256];
	uint8_t bytes[128];		/* TUI_FIND_HEX */
	size_t nbytes;
	uint32_t *hits;			/* TUI_FIND_FILTER: matching frames */
	size_t nhits, hits_frames;	/* ... over that many frames */
	struct tui_tree tree;		/* TUI_FIND_TREE: scratch */
	struct buf scratch;
};

struct tui {
	const struct sniff_opts *o;
	struct tui_model m;
	struct tui_index ix;
	struct tui_scan sc;
	bool live;
	bool at_end;			/* G: keep the last row selected */
	bool stopped;			/* live: -a duration reached */
	double started;			/* clock_now() at start */
	enum tui_text_kind text;
	uint32_t follow_stream;
	int follow_mode;
	bool io_bytes;			/* IO graph: bytes, not packets */
	uint32_t *flow_frames;		/* text line -> frame (flow view) */
	size_t flow_max;
	size_t flow_sel;		/* selected line in the flow view */
	size_t flow_first;		/* ... its first selectable line */
	struct buf bytes;		/* of the selected frame */
	struct buf row;			/* scratch for one list row */
	int prompt;
	int save_which;
	uint32_t range_lo, range_hi;	/* TUI_SAVE_RANGE */
	int find_mode;			/* the find prompt's (Tab) */
	struct tui_find find;
	char pbuf[256];
	size_t plen;
	bool pfresh;			/* pbuf is the default, typing replaces */
	bool dropped;			/* root was given up after opening */
	bool dirty;
	int keys_fd;			/* stdin, or /dev/tty with -r - */
	struct tui_layout lay;
};

/* find.c: start a search (text copied); 0, or -1 with err. */
int tui_find_start(struct tui *t, int mode, const char *text, char *err,
		   size_t errsize);
/* find.c: the next (dir 1) / previous (-1) displayed frame that matches
 * after the selection, wrapping (*wrapped); 0 none. */
uint32_t tui_find_next(struct tui *t, int dir, bool *wrapped);
void tui_find_free(struct tui_find *fd);

/* sort.c: sort the displayed rows by column col (TUI_C_*); TUI_C_NO
 * ascending is capture order.  The selected frame stays selected.  0,
 * or -1 (ENOMEM, unsorted). */
int tui_sort(struct tui *t, int col, bool desc);
extern const char *const tui_time_names[TUI_TIME__N];
/* sort.c: frame no's Time value (ns) in the current format; prev_shown
 * is the row before it (delta displayed), 0 none. */
int64_t tui_time_ns(struct tui *t, uint32_t no, uint32_t prev_shown);
/* sort.c: ... as the Time column shows it. */
void tui_time_text(struct tui *t, uint32_t no, uint32_t prev_shown,
		   char *s, size_t n);

/* windows.c: the ladder (Enter selects an arrow's frame) and the TCP
 * conversations, over the displayed packets, into t->m.tv. 0 or -1. */
int tui_window_ladder(struct tui *t);
int tui_window_convs(struct tui *t);
/* windows.c: each address:port, packets and bytes sent and received. */
int tui_window_endpoints(struct tui *t);
/* iograph.c: packets per interval, displayed ones against all. */
int tui_window_iograph(struct tui *t);
/* expert.c: the Expert information window; Enter selects a frame. */
int tui_window_expert(struct tui *t);

/* act.c: what the keys do (keys.c's table names them). */
void tui_act_move(struct tui *t, long n, bool page);
void tui_act_ends(struct tui *t, bool end);
void tui_act_escape(struct tui *t);
void tui_act_enter(struct tui *t);
void tui_act_sideways(struct tui *t, int dir);
void tui_act_stream(struct tui *t, int dir);
void tui_act_goto(struct tui *t, const char *text);
void tui_act_find(struct tui *t, int dir);
void tui_act_jumped(struct tui *t, uint32_t no, bool ok);
void tui_act_follow_mode(struct tui *t, int mode);
void tui_act_leave_text(struct tui *t);
void tui_act_exchange(struct tui *t);

/* keys.c: a click on heading col: sort by it, or reverse. */
void tui_sort_click(struct tui *t, int col);
/* keys.c: the help screen, from the key table. */
void tui_show_help(struct tui *t);

/* keys.c: apply one key (curses code) to the state. */
void tui_key(struct tui *t, int key);
/* keys.c: a mouse event at (y, x); button 1 click, 4/5 wheel. */
void tui_mouse(struct tui *t, int y, int x, int button);

/* tui.c: refresh what depends on the selection (tree, bytes). */
void tui_sync(struct tui *t);
/* tui.c: apply the filter being edited (NULL or "" clears). */
void tui_apply_filter(struct tui *t, const char *text);
/* tui.c: apply -Y as cli/ compiled it (f borrowed). */
struct filter;
void tui_apply_compiled(struct tui *t, const char *text,
			const struct filter *f);
/* tui.c: save the frames the prompt chose to the file it names. */
void tui_save(struct tui *t);
/* tui.c: open a text view. */
void tui_open_text(struct tui *t, enum tui_text_kind k);

/* draw.c */
/* ncurses is opened at run time: 0, or -1 with the reason in err */
int tui_draw_load(char *err, size_t errlen);
int tui_draw_init(void);	/* the fd keys come from, or -1 */
void tui_draw_end(void);
void tui_draw(struct tui *t);
int tui_draw_getkey(int *y, int *x, int *button);	/* ERR: none */

#define TUI_KEY_MOUSE 0x10000

#endif
