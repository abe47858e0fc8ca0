/*
 * model.h - the TUI's model: what the three panes show and where the
 * cursor is, with no terminal and no capture behind it (STYLE.md 9).
 *
 * The packet list is a window over frame numbers 1..nframes, or over
 * the frames a display filter kept (shown[]).  The model knows nothing
 * about how a row is decoded: draw.c asks the index (index.h) for the
 * visible rows only.  The detail tree holds the nodes of the selected
 * frame's protocol tree (capture/ptree.h), each with its data source
 * and byte range for the bytes pane; the text views (follow,
 * statistics, flows, help) are lines with a colour class each.
 *
 * Everything here is plain data and pure functions, so
 * tests/unit/test_tui_model.c drives it the way keys.c does.
 */
#ifndef HTTPTOOL_TUI_MODEL_H
#define HTTPTOOL_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum tui_pane { TUI_PANE_LIST, TUI_PANE_TREE, TUI_PANE_HEX, TUI_PANE__N };
enum tui_view { TUI_VIEW_PACKETS, TUI_VIEW_TEXT };

/* Colour classes, shared by rows and text lines; draw.c maps them. */
enum tui_kind {
	TUI_K_PLAIN = 0, TUI_K_TCP, TUI_K_REQUEST, TUI_K_2XX, TUI_K_3XX,
	TUI_K_4XX, TUI_K_5XX, TUI_K_1XX, TUI_K_MALFORMED, TUI_K_CLIENT,
	TUI_K_SERVER, TUI_K_TITLE,
	/* Wireshark's default colouring rules for the other rows */
	TUI_K_BADTCP, TUI_K_RST, TUI_K_SYNFIN, TUI_K__N
};

/* One line of the detail tree; text is [off, off + len) of tree.text. */
struct tui_node {
	uint32_t off, len;
	uint16_t depth;
	bool open;		/* children visible */
	bool kids;		/* has children */
	uint8_t src;		/* data source of the bytes below */
	uint32_t ref;		/* the frame it names ([Response in frame:
				   N]), 0 none: Enter jumps there */
	int32_t hl_off, hl_len;	/* bytes of source src it covers, -1 none */
};

/* A data source of the tree: the frame, or bytes a decoder made (a tab
 * of the bytes pane, as in Wireshark). */
#define TUI_SOURCES 16
struct tui_src {
	char name[40];
	uint32_t off, len;	/* in tree.bytes */
};

struct tui_tree {
	struct tui_node *v;
	size_t n, cap;
	struct buf text;	/* the -V text of the frame; labels in it */
	size_t sel, top;	/* in visible-node order */
	struct buf bytes;	/* every source's bytes */
	struct tui_src src[TUI_SOURCES];
	unsigned nsrc;
};

/* A scrollable text view: lines of text with a kind each. */
struct tui_text {
	struct buf text;
	uint32_t *off, *len;
	uint8_t *kind;
	size_t n, cap;
	size_t top;
	char title[96];
};

#define TUI_FILTER_MAX 512
#define TUI_HISTORY 64		/* jumps Back ([) remembers */

struct tui_model {
	/* packet list */
	size_t nframes;			/* frames 1..nframes exist */
	bool filtered;			/* the list is shown[] */
	uint32_t *shown;		/* frame numbers that passed */
	size_t nshown, shown_cap;
	size_t sel, top;		/* row index in the list */
	bool has_sel;			/* false until there is a row */
	int list_rows;			/* rows the list pane shows */
	size_t hscroll;			/* columns scrolled left (←/→) */
	/* sorting (sort.c): the rows' frames in the order shown, sorted[0..
	 * nsorted); rows past nsorted (new live frames) follow unsorted */
	uint32_t *sorted;
	size_t nsorted;
	int sort_col;			/* TUI_C_*, TUI_C_NO: capture order */
	bool sort_desc;
	int time_fmt;			/* TUI_TIME_* */
	/* jumps, browser-like: back[] the frames left, fwd[] those Back
	 * came from (newest last) */
	uint32_t back[TUI_HISTORY], fwd[TUI_HISTORY];
	size_t nback, nfwd;
	int tree_rows, hex_rows;

	enum tui_pane pane;
	bool maximised;
	enum tui_view view;
	struct tui_text tv;		/* follow, stats, flows, help */

	/* filter bar: text being typed and the one applied */
	bool editing;
	char edit[TUI_FILTER_MAX];
	size_t edit_len, edit_cur;
	bool edit_ok;			/* the text compiles */
	char edit_err[160];
	size_t err_off, err_len;
	char applied[TUI_FILTER_MAX];

	uint8_t *marks;			/* one bit per frame */
	size_t marks_cap;		/* bytes */
	size_t nmarked;

	struct tui_tree tree;		/* of the selected frame */
	uint32_t tree_frame;		/* frame the tree describes, 0 none */
	size_t hex_top;			/* first hex line shown */
	unsigned hex_src;		/* data source the bytes pane shows */

	char status[160];		/* last message for the status bar */
	bool paused;			/* live: not reading packets */
	bool quit;
};

void tui_model_init(struct tui_model *m);
void tui_model_free(struct tui_model *m);

/* Rows in the list (all frames, or the filtered ones). */
size_t tui_rows(const struct tui_model *m);
/* Frame number of list row i (i < tui_rows), 0 when out of range. */
uint32_t tui_row_frame(const struct tui_model *m, size_t i);
/* Frame number of the selected row, or 0. */
uint32_t tui_selected(const struct tui_model *m);

/*
 * New frames were indexed (nframes grows; live or indexing in steps).
 * The selection stays on the same frame and the view does not move.
 */
void tui_set_frames(struct tui_model *m, size_t nframes);

/* Filter results: start an empty filtered list, add matches in order. */
void tui_filter_begin(struct tui_model *m, const char *text);
int tui_filter_add(struct tui_model *m, uint32_t frame);	/* -1 ENOMEM */
/* Back to every frame; keeps the selected frame selected. */
void tui_filter_clear(struct tui_model *m);

/* Selection: move by delta rows, jump to row i, to the top or bottom. */
void tui_move(struct tui_model *m, long delta);
void tui_page(struct tui_model *m, int dir);	/* -1 up, +1 down */
void tui_select_row(struct tui_model *m, size_t row);
void tui_home(struct tui_model *m);
void tui_end(struct tui_model *m);
/* Select frame no if it is in the list (else the nearest after it). */
void tui_select_frame(struct tui_model *m, uint32_t no);
/* Scroll the list so that the selection is visible. */
void tui_scroll_to_sel(struct tui_model *m);

/* The Time column's formats (Wireshark's View → Time Display Format). */
enum { TUI_TIME_REL, TUI_TIME_ABS, TUI_TIME_EPOCH, TUI_TIME_DELTA,
       TUI_TIME_DELTA_DISP, TUI_TIME__N };

/* Forget the sort order (a new filter, or back to capture order). */
void tui_sort_clear(struct tui_model *m);

/* model_cols.c: the packet list's columns. */
enum { TUI_C_NO, TUI_C_TIME, TUI_C_SRC, TUI_C_DST, TUI_C_PROTO, TUI_C_LEN,
       TUI_C_INFO, TUI_C__N };
#define TUI_INFO_MIN 40		/* Info gets at least this, if it can */
/*
 * Widths w[] for a list cols wide, need[] the widest text of each column
 * among the rows shown: each column fits its text, Info takes the rest;
 * when Info would get less than TUI_INFO_MIN (and its text is longer),
 * Source and Destination are hidden (width 0).
 */
void tui_columns(int cols, const int need[TUI_C__N], int w[TUI_C__N]);
/* Column c's heading for a column width wide ("Protocol" or "Proto"). */
const char *tui_column_name(int c, int width);

/* model_nav.c: the row showing frame no, or -1 (not displayed). */
long tui_row_of(const struct tui_model *m, uint32_t no);
/*
 * Jump to frame no, remembering where from (Back returns there; a new
 * jump forgets the Forward list).  false, nothing changed, when no is
 * not displayed.
 */
bool tui_jump(struct tui_model *m, uint32_t no);
/* Back / Forward through the jumps; false when there is nowhere to go
 * (frames the filter now hides are skipped). */
bool tui_back(struct tui_model *m);
bool tui_forward(struct tui_model *m);
/* The next (dir 1) or previous (-1) marked row's frame after the
 * selection, wrapping; 0 when nothing displayed is marked. */
uint32_t tui_next_marked(const struct tui_model *m, int dir);

/* Marks. */
void tui_mark_toggle(struct tui_model *m, uint32_t frame);
bool tui_marked(const struct tui_model *m, uint32_t frame);

/* Filter bar editing; the text is validated on every change. */
void tui_edit_start(struct tui_model *m);
void tui_edit_key(struct tui_model *m, int ch);	/* printable, or TUI_E_* */
enum { TUI_E_BACKSPACE = -1, TUI_E_LEFT = -2, TUI_E_RIGHT = -3,
       TUI_E_HOME = -4, TUI_E_END = -5, TUI_E_DELETE = -6, TUI_E_KILL = -7 };
void tui_edit_validate(struct tui_model *m);

/*
 * Tree: replace with the nodes and data sources of a protocol tree
 * (capture/ptree.h); the text is the tree's -V text.  Top-level layers
 * start closed, except HTTP and what follows it.  0 or -1 (ENOMEM).
 */
struct ptree;
int tui_tree_load(struct tui_tree *t, const struct ptree *pt);
/* The data source the bytes pane shows: the selected node's. */
unsigned tui_tree_source(const struct tui_tree *t);
/* Bytes of source s (NULL, *len 0 when there are none). */
const uint8_t *tui_tree_bytes(const struct tui_tree *t, unsigned s,
			      size_t *len);
void tui_tree_free(struct tui_tree *t);
size_t tui_tree_visible(const struct tui_tree *t, size_t *idx, size_t max);
void tui_tree_move(struct tui_tree *t, long delta, int rows);
void tui_tree_toggle(struct tui_tree *t);	/* the selected node */
void tui_tree_set_all(struct tui_tree *t, bool open);
/* *: open the selected node and everything under it. */
void tui_tree_subtree(struct tui_tree *t);
/* ←: close the node, or (closed, a leaf) go to its parent; →: open it,
 * or (open) go to its first child.  rows: the pane's height. */
void tui_tree_left(struct tui_tree *t, int rows);
void tui_tree_right(struct tui_tree *t, int rows);
/* Node index of the selected visible node, or -1. */
long tui_tree_selected(const struct tui_tree *t);

/* Text views. */
void tui_text_reset(struct tui_text *tv, const char *title);
int tui_text_add(struct tui_text *tv, int kind, const char *s, size_t n);
void tui_text_free(struct tui_text *tv);
void tui_text_scroll(struct tui_text *tv, long delta, int rows);

/* Panes: next pane (Tab), maximise toggle. */
void tui_next_pane(struct tui_model *m);

#endif
