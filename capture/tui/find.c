/*
 * find.c - Ctrl-F, n and N: the next displayed packet that matches a
 * display filter, a string (in the Info column, the detail tree's text
 * or the frame's bytes) or a byte sequence given in hex, as Wireshark's
 * Edit → Find Packet.  The search starts after the selection and wraps.
 *
 * A display filter is run once over every frame (the TUI's filter scan,
 * scan.c, into a scratch model) and its matches kept, so n and N are
 * immediate; strings and bytes are tested frame by frame from the
 * selection on, reading each frame back through the session.
 */
#include <stdlib.h>
#include <string.h>

#include "tui_impl.h"

const char *const tui_find_names[TUI_FIND__N] = {
	"display filter", "string in Info", "string in tree",
	"string in bytes", "hex bytes",
};

void
tui_find_free(struct tui_find *fd)
{
	free(fd->hits);
	tui_tree_free(&fd->tree);
	buf_free(&fd->scratch);
	memset(fd, 0, sizeof(*fd));
}

/* "47 45 54", "474554" or "47:45:54" -> bytes; the count, or -1. */
static int
parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;

		if (v < 0) {
			if (strchr(" :.-", *s) && hi < 0)
				continue;
			return -1;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == max)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 && n ? (int)n : -1;
}

/* Every frame the filter matches, in frame order, into fd->hits. */
static int
filter_hits(struct tui *t, struct filter *f)
{
	struct tui_model scratch;
	struct tui_scan sc;

	tui_model_init(&scratch);
	tui_set_frames(&scratch, tui_index_frames(&t->ix));
	tui_filter_begin(&scratch, "");
	if (tui_scan_start(&sc, &t->ix, f) < 0) {
		tui_model_free(&scratch);
		return -1;
	}
	while (sc.next <= tui_index_frames(&t->ix))
		tui_scan_step(&sc, &scratch, 1u << 20);
	tui_scan_free(&sc);
	free(t->find.hits);
	t->find.hits = scratch.shown;
	t->find.nhits = scratch.nshown;
	t->find.hits_frames = tui_index_frames(&t->ix);
	scratch.shown = NULL;
	tui_model_free(&scratch);
	return 0;
}

int
tui_find_start(struct tui *t, int mode, const char *text, char *err,
	       size_t errsize)
{
	struct tui_find *fd = &t->find;
	struct filter_error fe;
	struct filter *f;
	int n;

	free(fd->hits);
	fd->hits = NULL;
	fd->nhits = 0;
	fd->active = false;
	fd->mode = mode;
	snprintf(fd->text, sizeof(fd->text), "%s", text);
	if (!*text) {
		snprintf(err, errsize, "nothing to find");
		return -1;
	}
	if (mode == TUI_FIND_HEX) {
		if ((n = parse_hex(text, fd->bytes, sizeof(fd->bytes))) < 0) {
			snprintf(err, errsize, "not hex bytes: '%.60s' (try "
				 "'47 45 54')", text);
			return -1;
		}
		fd->nbytes = (size_t)n;
	} else if (mode == TUI_FIND_FILTER) {
		if (!(f = filter_compile(text, &fe))) {
			snprintf(err, errsize, "%s", fe.msg);
			return -1;
		}
		n = filter_hits(t, f);	/* the scan owns f now */
		if (n < 0) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
	}
	fd->active = true;
	return 0;
}

/* Does frame no match a string or byte search? */
static bool
frame_has(struct tui *t, uint32_t no)
{
	struct tui_find *fd = &t->find;
	const char *cols[6];
	struct pkt pk;
	const uint8_t *p;
	bool hit;

	switch (fd->mode) {
	case TUI_FIND_INFO:
		if (tui_index_row(&t->ix, no, &t->row, cols) < 0)
			return false;
		return strstr(cols[5], fd->text) != NULL;
	case TUI_FIND_TREE:
		if (tui_index_detail(&t->ix, no, &fd->tree, &fd->scratch) < 0)
			return false;
		buf_append(&fd->tree.text, "", 1);
		hit = strstr(fd->tree.text.data, fd->text) != NULL;
		return hit;
	case TUI_FIND_BYTES:
	case TUI_FIND_HEX:
		if (!(p = tui_index_frame(&t->ix, no, &pk)))
			return false;
		return fd->mode == TUI_FIND_HEX ?
		       memmem(p, pk.caplen, fd->bytes, fd->nbytes) != NULL :
		       memmem(p, pk.caplen, fd->text, strlen(fd->text)) != NULL;
	default:
		return false;
	}
}

/* A filter hit: is frame no among fd->hits? */
static bool
is_hit(const struct tui_find *fd, uint32_t no)
{
	size_t lo = 0, hi = fd->nhits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fd->hits[mid] < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fd->nhits && fd->hits[lo] == no;
}

uint32_t
tui_find_next(struct tui *t, int dir, bool *wrapped)
{
	struct tui_find *fd = &t->find;
	size_t n = tui_rows(&t->m), i, row, from = t->m.sel;
	char err[8];

	*wrapped = false;
	if (!fd->active || !n)
		return 0;
	/* a live capture grew: the filter's hits are run again */
	if (fd->mode == TUI_FIND_FILTER &&
	    fd->hits_frames != tui_index_frames(&t->ix) &&
	    tui_find_start(t, fd->mode, fd->text, err, sizeof(err)) < 0)
		return 0;
	for (i = 1; i <= n; i++) {
		uint32_t no;

		row = dir > 0 ? (from + i) % n : (from + n - i % n) % n;
		no = tui_row_frame(&t->m, row);
		if (fd->mode == TUI_FIND_FILTER ? is_hit(fd, no) :
		    frame_has(t, no)) {
			*wrapped = dir > 0 ? row <= from : row >= from;
			return no;
		}
	}
	return 0;
}
