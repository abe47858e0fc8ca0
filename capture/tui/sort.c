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

struct sort_key {		/* 12 bytes: a key per displayed row */
	uint32_t no;
	uint32_t hi, lo;	/* a number, biased to compare unsigned;
				   string columns: lo, the offset of the
				   key text */
};

/* Recent key texts by hash: a row whose text was seen shares its copy
 * (the Info of HTTP rows repeats: on a keep-alive load most of the
 * keys' memory) */
#define SORT_SEEN 4096

struct sort_seen {
	uint32_t off[SORT_SEEN];	/* in the key text, + 1; 0: empty */
};

/* The key just appended to text at off: an earlier equal one's offset
 * (text is cut back to off), else off, remembered. */
static uint32_t
sort_intern(struct sort_seen *sn, struct buf *text, uint32_t off)
{
	const char *p = text->data + off;
	uint32_t h = 2166136261u, *slot;

	for (; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	slot = &sn->off[h % SORT_SEEN];
	if (*slot && !strcmp(text->data + *slot - 1, text->data + off)) {
		text->len = off;
		return *slot - 1;
	}
	*slot = off + 1;
	return off;
}

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
		r = strcmp(c->text + x->lo, c->text + y->lo);
	else if (x->hi != y->hi)
		r = x->hi < y->hi ? -1 : 1;
	else
		r = x->lo < y->lo ? -1 : x->lo > y->lo;
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

static void
key_num(struct sort_key *k, int64_t v)
{
	uint64_t u = (uint64_t)v ^ (UINT64_C(1) << 63);

	k->hi = (uint32_t)(u >> 32);
	k->lo = (uint32_t)u;
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
	struct sort_seen *seen = NULL;
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
	if (c.str && !(seen = calloc(1, sizeof(*seen)))) {
		free(k);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint32_t no = natural_frame(m, i);
		const struct frame_rec *fr = cap_frame(&t->ix.ss.cap, no - 1);

		k[i].no = no;
		if (c.str) {
			k[i].lo = (uint32_t)text.len;
			if (tui_index_row(&t->ix, no, &t->row, cols) >= 0)
				buf_puts(&text, cols[col - 1]);
			buf_append(&text, "", 1);
			if (text.data && k[i].lo < text.len)
				k[i].lo = sort_intern(seen, &text, k[i].lo);
		} else if (col == TUI_C_TIME) {
			key_num(&k[i], tui_time_ns(t, no, i ?
					natural_frame(m, i - 1) : 0));
		} else if (col == TUI_C_LEN) {
			key_num(&k[i], fr ? fr->len : 0);
		} else {
			key_num(&k[i], no);
		}
	}
	free(seen);
	c.text = text.data ? text.data : "";
	qsort_r(k, n, sizeof(*k), sort_cmp, &c);
	buf_free(&text);
	/* the order in place of the keys (v[i] is written below k[i].no,
	 * so no key is overwritten before it is read), then shrunk */
	v = (uint32_t *)(void *)k;
	for (i = 0; i < n; i++)
		v[i] = k[i].no;
	if ((v = realloc(k, n * sizeof(*v))) == NULL)
		v = (uint32_t *)(void *)k;
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
