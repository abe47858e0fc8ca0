/*
 * views.c - the text views built from the HTTP records: the flow list
 * (one row per request/response exchange, like mitmproxy's), the
 * statistics tables, and saving frames to a pcap file.
 *
 * Everything is computed from the records and the per-record summaries
 * the index kept; nothing is decoded again.  The statistics follow the
 * tables of `sniff --stats` (issue 6); when that printer is exported the
 * view should print it into the text instead.
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"

/* The summary text the index kept for record i ("GET / HTTP/1.1 "). */
static struct span
rec_text(const struct tui_index *ix, size_t i)
{
	struct span s = { "", 0 };

	if (i < ix->rinfo_cap && ix->rinfo[i].info_len) {
		s.p = ix->info.data + ix->rinfo[i].info_off;
		s.len = ix->rinfo[i].info_len;
	}
	return s;
}

/* Word w (0-based, space-separated) of s. */
static struct span
word(struct span s, int w)
{
	size_t i = 0, st;

	for (;;) {
		while (i < s.len && s.p[i] == ' ')
			i++;
		st = i;
		while (i < s.len && s.p[i] != ' ')
			i++;
		if (w-- == 0 || i >= s.len)
			return (struct span){ s.p + st, w < 0 ? i - st : 0 };
	}
}

static double
frame_secs(const struct tui_index *ix, uint32_t frame)
{
	if (!frame || frame > ix->cap.nframes)
		return -1;
	return (double)(cap_frame_ns(&ix->cap.frames[frame - 1]) -
			ix->first_ns) / 1e9;
}

int
tui_index_flows(struct tui_index *ix, struct tui_text *tv, uint32_t *frames,
		size_t max)
{
	char line[512];
	size_t i;
	int n;

	tui_text_reset(tv, "HTTP flows (Enter opens an exchange)");
	n = snprintf(line, sizeof(line), "%7s %10s %-7s %-48s %6s %10s %9s",
		     "Frame", "Time", "Method", "URI", "Status", "Size",
		     "Duration");
	tui_text_add(tv, TUI_K_TITLE, line, (size_t)n);
	for (i = 0; i < ix->rs.n && tv->n <= max; i++) {
		const struct http_rec *r = &ix->rs.v[i];
		const struct http_rec *resp = rec_link(&ix->rs, r->pair);
		struct span t = rec_text(ix, i), m = word(t, 0), u = word(t, 1);
		char status[16] = "-", size[24] = "-", dur[24] = "-";
		int kind = TUI_K_REQUEST;

		if (r->type != REC_REQUEST)
			continue;
		if (resp) {
			snprintf(status, sizeof(status), "%u", resp->code);
			if (resp->frame)
				snprintf(size, sizeof(size), "%llu",
					 (unsigned long long)resp->body_len);
			if (resp->frame)
				snprintf(dur, sizeof(dur), "%.6f",
					 frame_secs(ix, resp->frame) -
					 frame_secs(ix, r->first_frame));
			kind = ix->rinfo_cap > r->pair - 1 ?
			       ix->rinfo[r->pair - 1].kind : TUI_K_PLAIN;
		}
		n = snprintf(line, sizeof(line),
			     "%7u %10.6f %-7.*s %-48.*s %6s %10s %9s",
			     r->frame ? r->frame : r->first_frame,
			     frame_secs(ix, r->first_frame), (int)m.len, m.p,
			     (int)(u.len > 48 ? 48 : u.len), u.p, status, size,
			     dur);
		if (frames)
			frames[tv->n] = r->frame ? r->frame : r->first_frame;
		tui_text_add(tv, r->malformed ? TUI_K_MALFORMED : kind, line,
			     (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	}
	if (tv->n == 1)
		tui_text_add(tv, TUI_K_PLAIN, "(no HTTP requests yet)", 22);
	return 0;
}

/* A small string -> counter table for the statistics. */
struct stat_row {
	char key[80];
	unsigned long n;
	double *t;
	size_t nt, tcap;
};

static struct stat_row *
stat_get(struct stat_row **v, size_t *n, size_t *cap, const char *key)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].key, key))
			return &(*v)[i];
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		struct stat_row *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return NULL;
		*v = nv;
		*cap = c;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	snprintf((*v)[*n].key, sizeof((*v)[*n].key), "%s", key);
	return &(*v)[(*n)++];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
stat_table(struct tui_text *tv, const char *title, struct stat_row *v,
	   size_t n, bool times)
{
	char line[256];
	size_t i;
	int w;

	tui_text_add(tv, TUI_K_TITLE, title, strlen(title));
	for (i = 0; i < n; i++) {
		struct stat_row *r = &v[i];

		if (times && r->nt) {
			qsort(r->t, r->nt, sizeof(double), cmp_double);
			w = snprintf(line, sizeof(line),
				     "  %-50s %8lu  min %.6f  median %.6f  "
				     "p95 %.6f  max %.6f", r->key, r->n, r->t[0],
				     r->t[r->nt / 2], r->t[(r->nt * 95) / 100 <
				     r->nt ? (r->nt * 95) / 100 : r->nt - 1],
				     r->t[r->nt - 1]);
		} else {
			w = snprintf(line, sizeof(line), "  %-50s %8lu", r->key,
				     r->n);
		}
		tui_text_add(tv, TUI_K_PLAIN, line, (size_t)w < sizeof(line) ?
			     (size_t)w : sizeof(line) - 1);
		free(r->t);
	}
	tui_text_add(tv, TUI_K_PLAIN, "", 0);
}

int
tui_index_stats(struct tui_index *ix, struct tui_text *tv)
{
	struct stat_row *tab[3] = { NULL, NULL, NULL };
	size_t n[3] = { 0, 0, 0 }, cap[3] = { 0, 0, 0 }, i;
	char key[96];

	tui_text_reset(tv, "Statistics (HTTP)");
	for (i = 0; i < ix->rs.n; i++) {
		const struct http_rec *r = &ix->rs.v[i];
		struct span t = rec_text(ix, i);
		struct stat_row *s;

		if (r->type == REC_REQUEST) {
			struct span m = word(t, 0), u = word(t, 1);
			const struct http_rec *resp = rec_link(&ix->rs, r->pair);

			snprintf(key, sizeof(key), "%.*s", (int)m.len, m.p);
			if ((s = stat_get(&tab[0], &n[0], &cap[0], key)))
				s->n++;
			snprintf(key, sizeof(key), "%.*s %.*s", (int)m.len, m.p,
				 (int)u.len, u.p);
			if (!(s = stat_get(&tab[2], &n[2], &cap[2], key)))
				continue;
			s->n++;
			if (!resp || !resp->frame || !r->frame)
				continue;
			if (s->nt == s->tcap) {
				size_t c = s->tcap ? s->tcap * 2 : 16;
				double *nt = realloc(s->t, c * sizeof(*nt));

				if (!nt)
					continue;
				s->t = nt;
				s->tcap = c;
			}
			s->t[s->nt++] = frame_secs(ix, resp->frame) -
					frame_secs(ix, r->frame);
		} else {
			snprintf(key, sizeof(key), "%ux  %u", r->code / 100,
				 r->code);
			if ((s = stat_get(&tab[1], &n[1], &cap[1], key)))
				s->n++;
		}
	}
	stat_table(tv, "Requests by method", tab[0], n[0], false);
	stat_table(tv, "Responses by status class and code", tab[1], n[1], false);
	stat_table(tv, "Response time by request (seconds)", tab[2], n[2], true);
	for (i = 0; i < 3; i++)
		free(tab[i]);
	return 0;
}

int
tui_index_save(struct tui_index *ix, const char *path,
	       const struct tui_model *m, int which, size_t *written)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(
		ix->cap.dlt, 262144, ix->cap.nsec ? PCAP_TSTAMP_PRECISION_NANO :
		PCAP_TSTAMP_PRECISION_MICRO);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;
	size_t i, n = which == TUI_SAVE_SHOWN ? tui_rows(m) : ix->nrows;
	struct pkt pk;

	*written = 0;
	if (!d) {
		snprintf(ix->err, sizeof(ix->err), "cannot write '%s': %s", path,
			 dead ? pcap_geterr(dead) : "out of memory");
		if (dead)
			pcap_close(dead);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint32_t no = which == TUI_SAVE_SHOWN ? tui_row_frame(m, i) :
			      (uint32_t)(i + 1);
		const struct frame_rec *fr = &ix->cap.frames[no - 1];
		struct pcap_pkthdr h;

		if (which == TUI_SAVE_MARKED && !tui_marked(m, no))
			continue;
		if (!tui_index_frame(ix, no, &pk))
			continue;
		h.ts.tv_sec = fr->sec;
		h.ts.tv_usec = ix->cap.nsec ? fr->nsec : fr->nsec / 1000;
		h.caplen = fr->caplen;
		h.len = fr->len;
		pcap_dump((u_char *)d, &h, pk.data);
		(*written)++;
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}
