/*
 * model_cols.c - the packet list's column widths for the terminal's
 * width (Wireshark resizes its columns; a terminal must choose): every
 * column as wide as its widest visible text, Info the rest.  When Info
 * would get fewer than TUI_INFO_MIN columns, Source and Destination are
 * hidden (on loopback they are 127.0.0.1 both, and Info names the
 * ports); ←/→ scroll what is still too long.
 */
#include "model.h"

static const char *const names[TUI_C__N] = {
	"No.", "Time", "Source", "Destination", "Protocol", "Length", "Info",
};
static const char *const short_names[TUI_C__N] = {
	"No.", "Time", "Source", "Dest.", "Proto", "Len", "Info",
};

const char *
tui_column_name(int c, int width)
{
	int i = 0;

	while (names[c][i])
		i++;
	return i <= width ? names[c] : short_names[c];
}

/* Widths with each heading at least as wide as names[]; Info's. */
static int
fit(int cols, const int need[TUI_C__N], int w[TUI_C__N],
    const char *const *heads, bool addrs)
{
	int c, info = cols - 1;		/* 1: the mark column */

	for (c = 0; c < TUI_C__N; c++) {
		int h = 0;

		while (heads[c][h])
			h++;
		w[c] = need[c] > h ? need[c] : h;
		if (!addrs && (c == TUI_C_SRC || c == TUI_C_DST))
			w[c] = 0;
		else if (c != TUI_C_INFO)
			info -= w[c] + 1;
	}
	return info;
}

void
tui_columns(int cols, const int need[TUI_C__N], int w[TUI_C__N])
{
	int info = fit(cols, need, w, names, true);

	/* full headings while Info keeps its room, else short ones, else
	 * no addresses */
	if (info < TUI_INFO_MIN && info < need[TUI_C_INFO])
		info = fit(cols, need, w, short_names, true);
	if (info < TUI_INFO_MIN && info < need[TUI_C_INFO])
		info = fit(cols, need, w, short_names, false);
	/* too narrow even so: Info keeps a little, the line scrolls */
	w[TUI_C_INFO] = info > 10 ? info : 10;
}
