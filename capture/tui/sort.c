/*
 * sort.c - the packet list sorted by a column (Wireshark: click the
 * heading; here also < and >), and the Time column's formats.
 *
 * A sort renders the key of every displayed row once (numbers from the
 * frame index; Source, Destination, Protocol and Info as the list shows
 * them, decoded again) and orders the frames with capture order breaking
 * ties, so equal keys stay in capture order.  The model keeps only the
 * resulting frame order (model.h: sorted[]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui_impl.h"

const char *const tui_time_names[TUI_TIME__N] = {
	"seconds since the first packet", "time of day", "epoch seconds",
	"since the previous captured packet",
	"since the previous displayed packet",
};

struct sort_key {		/* 16 bytes: no padding */
	int64_t num;
	uint32_t no;
	uint32_t str;		/* offset in the key text, string columns */
};

struct sort_ctx {
	const char *text;
	bool str, desc;
};

static int
sort_cmp(const void *a, const void *b, void *ctx)
{
	const struct sort_key *x = a, *y = b;
	const struct sort_ctx *c = ctx;
	int r;

	if (c->str)
		r = strcmp(c->text + x->str, c->text + y->str);
	else
		r = x->num < y->num ? -1 : x->num > y->num;
	if (c->desc)
		r = -r;
	return r ? r : x->no < y->no ? -1 : x->no > y->no;
}

/* Frame no's time in ns (the capture's clock). */
static int64_t
frame_ns(struct tui *t, uint32_t no)
{
	const struct frame_rec *fr = no ? cap_frame(&t->ix.ss.cap, no - 1) :
				     NULL;

	return fr ? cap_frame_ns(fr) : 0;
}

/* Frame row i of the list in capture order (not the sorted order). */
static uint32_t
natural_frame(const struct tui_model *m, size_t i)
{
	return m->filtered ? m->shown[i] : (uint32_t)(i + 1);
}

int
tui_sort(struct tui *t, int col, bool desc)
{
	struct tui_model *m = &t->m;
	size_t n = tui_rows(m), i;
	struct sort_key *k;
	struct sort_ctx c = { NULL, false, desc };
	struct buf text = BUF_INIT;
	uint32_t keep = tui_selected(m), *v;
	const char *cols[6];

	tui_sort_clear(m);
	if (col == TUI_C_NO && !desc) {		/* capture order */
		if (keep)
			tui_select_frame(m, keep);
		return 0;
	}
	if (!n || !(k = calloc(n, sizeof(*k))))
		return n ? -1 : 0;
	c.str = col == TUI_C_SRC || col == TUI_C_DST || col == TUI_C_PROTO ||
		col == TUI_C_INFO;
	for (i = 0; i < n; i++) {
		uint32_t no = natural_frame(m, i);
		const struct frame_rec *fr = cap_frame(&t->ix.ss.cap, no - 1);

		k[i].no = no;
		if (c.str) {
			k[i].str = (uint32_t)text.len;
			if (tui_index_row(&t->ix, no, &t->row, cols) >= 0)
				buf_puts(&text, cols[col - 1]);
			buf_append(&text, "", 1);
		} else if (col == TUI_C_TIME) {
			k[i].num = tui_time_ns(t, no, i ? natural_frame(m, i - 1) :
					       0);
		} else if (col == TUI_C_LEN) {
			k[i].num = fr ? fr->len : 0;
		} else {
			k[i].num = no;
		}
	}
	c.text = text.data;
	qsort_r(k, n, sizeof(*k), sort_cmp, &c);
	if (!(v = malloc(n * sizeof(*v)))) {
		free(k);
		buf_free(&text);
		return -1;
	}
	for (i = 0; i < n; i++)
		v[i] = k[i].no;
	free(k);
	buf_free(&text);
	m->sorted = v;
	m->nsorted = n;
	m->sort_col = col;
	m->sort_desc = desc;
	if (keep)
		tui_select_frame(m, keep);
	return 0;
}

int64_t
tui_time_ns(struct tui *t, uint32_t no, uint32_t prev_shown)
{
	switch (t->m.time_fmt) {
	case TUI_TIME_DELTA:
		return no > 1 ? frame_ns(t, no) - frame_ns(t, no - 1) : 0;
	case TUI_TIME_DELTA_DISP:
		return prev_shown ? frame_ns(t, no) - frame_ns(t, prev_shown) : 0;
	case TUI_TIME_REL:
		return cap_session_rel_ns(&t->ix.ss, no);
	default:
		return frame_ns(t, no);
	}
}

void
tui_time_text(struct tui *t, uint32_t no, uint32_t prev_shown, char *s,
	      size_t n)
{
	int64_t ns = tui_time_ns(t, no, prev_shown);
	time_t sec = (time_t)(ns / 1000000000);
	struct tm tm;

	if (t->m.time_fmt == TUI_TIME_ABS && localtime_r(&sec, &tm)) {
		snprintf(s, n, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (long)(ns % 1000000000) / 1000);
		return;
	}
	snprintf(s, n, "%s%lld.%06lld", ns < 0 ? "-" : "",
		 (long long)(ns < 0 ? -ns : ns) / 1000000000,
		 (long long)((ns < 0 ? -ns : ns) % 1000000000) / 1000);
}
