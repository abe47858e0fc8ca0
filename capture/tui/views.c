/*
 * views.c - the text views built from the HTTP records: the flow list
 * (one row per request/response exchange, like mitmproxy's), the
 * statistics (the very tables of `sniff --stats`, capture/stats.c, fed
 * while indexing), and saving frames to a pcap file.
 *
 * Everything is computed from the records and the per-record summaries
 * the index kept; nothing is decoded again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/zstat.h"
#include "index.h"

/* The summary text the index kept for record i ("GET / HTTP/1.1 "). */
static struct span
rec_text(const struct tui_index *ix, size_t i)
{
	struct span s = { "", 0 };
	const char *p = tui_index_rtext(ix, i, &s.len);

	if (p)
		s.p = p;
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
	if (!frame || frame > ix->ss.cap.nframes)
		return -1;
	return (double)(cap_frame_ns(cap_frame(&ix->ss.cap, frame - 1)) -
			ix->ss.first_ns) / 1e9;
}

int
tui_index_flows(struct tui_index *ix, struct tui_text *tv, uint32_t *frames,
		size_t max)
{
	char line[512];
	size_t i;
	int n;

	tui_text_reset(tv, "HTTP flows (Enter opens an exchange)");
	/* the URI last: a narrow terminal cuts it, not the status */
	n = snprintf(line, sizeof(line), "%7s %10s %-7s %6s %10s %9s %s",
		     "Frame", "Time", "Method", "Status", "Size", "Duration",
		     "URI");
	tui_text_add(tv, TUI_K_TITLE, line, (size_t)n);
	for (i = 0; i < ix->ss.rs.n && tv->n <= max; i++) {
		const struct http_rec *r = rec_get(&ix->ss.rs, i);
		const struct http_rec *resp = rec_link(&ix->ss.rs, r->pair);
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
			     "%7u %10.6f %-7.*s %6s %10s %9s %.*s",
			     r->frame ? r->frame : r->first_frame,
			     frame_secs(ix, r->first_frame), (int)m.len, m.p,
			     status, size, dur, (int)(u.len > 400 ? 400 : u.len),
			     u.p);
		if (frames)
			frames[tv->n] = r->frame ? r->frame : r->first_frame;
		tui_text_add(tv, r->malformed ? TUI_K_MALFORMED : kind, line,
			     (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	}
	if (tv->n == 1)
		tui_text_add(tv, TUI_K_PLAIN, "(no HTTP requests yet)", 22);
	return 0;
}

/* Response times of every URI in st, as a text histogram by decade. */
static void
stats_histogram(const struct stats *st, struct tui_text *tv)
{
	static const double edge[] = { 0.1, 1, 10, 100, 1000 };
	static const char *const name[] = {
		"     < 0.1 ms", "  0.1 - 1 ms", "    1 - 10 ms", "  10 - 100 ms",
		" 100 - 1000 ms", "    >= 1 s",
	};
	uint64_t n[6] = { 0 }, max = 0;
	char line[160], bar[48];
	size_t i, k;
	int w, b;

	for (i = 0; i < st->times.n; i++)
		for (k = 0; k < st->times.v[i].nt; k++) {
			double ms = st->times.v[i].t[k];

			for (b = 0; b < 5 && ms >= edge[b]; b++)
				;
			n[b]++;
		}
	for (b = 0; b < 6; b++)
		max = n[b] > max ? n[b] : max;
	if (!max)
		return;
	tui_text_add(tv, TUI_K_PLAIN, "", 0);
	tui_text_add(tv, TUI_K_TITLE, "Response time histogram", 23);
	for (b = 0; b < 6; b++) {
		int len = (int)((n[b] * 40 + max - 1) / max);

		memset(bar, '#', (size_t)len);
		bar[len] = '\0';
		w = snprintf(line, sizeof(line), "  %-14s %8llu  %s", name[b],
			     (unsigned long long)n[b], bar);
		tui_text_add(tv, TUI_K_PLAIN, line, (size_t)w);
	}
}

/* Status codes by URI: the responses displayed (m's rows) counted by
 * their request's URI and code, from the per-record summaries. */
struct uri_code {
	struct span uri;
	unsigned code;
	uint64_t n;
};

static void
stats_codes_by_uri(const struct tui_index *ix, const struct tui_model *m,
		   struct tui_text *tv)
{
	struct uri_code *v = NULL, *nv;
	size_t i, k, n = 0, cap = 0;
	char line[160];
	int w;

	for (i = 0; i < ix->ss.rs.n; i++) {
		const struct http_rec *r = rec_get(&ix->ss.rs, i);
		const struct http_rec *q = rec_link(&ix->ss.rs, r->pair);
		struct span u;

		if (r->type != REC_RESPONSE || !q || !r->frame ||
		    (m->filtered && tui_row_of(m, r->frame) < 0))
			continue;
		u = word(rec_text(ix, (size_t)(q - ix->ss.rs.v)), 1);
		for (k = 0; k < n; k++)
			if (v[k].code == r->code && v[k].uri.len == u.len &&
			    !memcmp(v[k].uri.p, u.p, u.len))
				break;
		if (k == n) {
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				if (!(nv = realloc(v, cap * sizeof(*v))))
					break;
				v = nv;
			}
			v[n++] = (struct uri_code){ u, r->code, 0 };
		}
		v[k].n++;
	}
	if (n) {
		tui_text_add(tv, TUI_K_PLAIN, "", 0);
		w = snprintf(line, sizeof(line), "%-40s %6s %8s",
			     "Status codes by URI", "Status", "Count");
		tui_text_add(tv, TUI_K_TITLE, line, (size_t)w);
	}
	for (k = 0; k < n; k++) {
		w = snprintf(line, sizeof(line), "  %-38.*s %6u %8llu",
			     (int)(v[k].uri.len > 38 ? 38 : v[k].uri.len),
			     v[k].uri.p, v[k].code, (unsigned long long)v[k].n);
		tui_text_add(tv, v[k].code >= 500 ? TUI_K_5XX : v[k].code >= 400 ?
			     TUI_K_4XX : TUI_K_PLAIN, line, (size_t)w);
	}
	free(v);
}

/* --stats' connection table as `sniff --stats -Y` has it: packets and
 * bytes of every frame (read back), requests of the displayed frames;
 * 0, or -1 out of memory */
static int
stats_conns(struct tui_index *ix, const struct tui_model *m, struct buf *out)
{
	size_t nf = tui_index_frames(ix), n = tui_rows(m), i;
	uint8_t *shown = calloc(nf + 1, 1);
	struct zstat z;
	struct pkt pk;
	uint32_t no;
	int rc;

	if (!shown)
		return -1;
	memset(&z, 0, sizeof(z));
	z.conns = true;
	for (i = 0; i < n; i++)
		shown[m->filtered ? m->shown[i] : (uint32_t)(i + 1)] = 1;
	for (no = 1; no <= nf; no++) {
		const struct frame_rec *fr = cap_frame(&ix->ss.cap, no - 1);

		if (fr && tui_index_frame(ix, no, &pk))
			zstat_frame(&z, &pk, cap_frame_ns(fr), fr->len,
				    tui_index_stream(ix, no));
	}
	for (i = 0; i < ix->ss.rs.n; i++) {
		const struct http_rec *r = rec_get(&ix->ss.rs, i);

		if (r && r->type == REC_REQUEST && r->frame <= nf &&
		    shown[r->frame])
			zstat_request(&z, r->stream);
	}
	rc = zstat_print_conns(&z, out);
	zstat_free(&z);
	free(shown);
	return rc;
}

int
tui_index_stats(struct tui_index *ix, const struct stats *st,
		const struct tui_model *m, struct tui_text *tv)
{
	struct buf out;
	char title[96];

	buf_init(&out);
	snprintf(title, sizeof(title), m->filtered ? "Statistics (sniff "
		 "--stats -Y '%.60s')" : "Statistics (sniff --stats)",
		 m->applied);
	tui_text_reset(tv, title);
	stats_print(st, &out);
	stats_conns(ix, m, &out);	/* short of memory: without it */
	tui_text_add(tv, TUI_K_PLAIN, out.data ? out.data : "", out.len);
	buf_free(&out);
	stats_histogram(st, tv);
	stats_codes_by_uri(ix, m, tv);
	return 0;
}

int
tui_index_save(struct tui_index *ix, int fd, const struct tui_model *m,
	       int which, uint32_t lo, uint32_t hi, size_t *written)
{
	pcap_t *dead = pcap_dl.open_dead_with_tstamp_precision(
		ix->ss.cap.dlt, 262144, ix->ss.cap.nsec ? PCAP_TSTAMP_PRECISION_NANO :
		PCAP_TSTAMP_PRECISION_MICRO);
	FILE *fp = dead ? fdopen(fd, "wb") : NULL;
	pcap_dumper_t *d = fp ? pcap_dl.dump_fopen(dead, fp) : NULL;
	size_t i, n = which == TUI_SAVE_SHOWN ? tui_rows(m) : tui_index_frames(ix);
	struct pkt pk;

	*written = 0;
	if (!d) {
		snprintf(ix->err, sizeof(ix->err), "%s", !dead || !fp ?
			 "out of memory" : pcap_dl.geterr(dead));
		if (fp)
			fclose(fp);
		else
			close(fd);
		if (dead)
			pcap_dl.close(dead);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint32_t no = which == TUI_SAVE_SHOWN ? tui_row_frame(m, i) :
			      (uint32_t)(i + 1);
		const struct frame_rec *fr = cap_frame(&ix->ss.cap, no - 1);
		struct pcap_pkthdr h;

		if ((which == TUI_SAVE_MARKED && !tui_marked(m, no)) ||
		    (which == TUI_SAVE_RANGE && (no < lo || no > hi)))
			continue;
		if (!tui_index_frame(ix, no, &pk))
			continue;
		h.ts.tv_sec = fr->sec;
		h.ts.tv_usec = ix->ss.cap.nsec ? fr->nsec : fr->nsec / 1000;
		h.caplen = fr->caplen;
		h.len = fr->len;
		pcap_dl.dump((u_char *)d, &h, pk.data);
		(*written)++;
	}
	/* the flush tells whether the data reached the file */
	i = pcap_dl.dump_flush(d) < 0 || ferror(fp);
	pcap_dl.dump_close(d);
	pcap_dl.close(dead);
	if (i) {
		snprintf(ix->err, sizeof(ix->err), "%s", strerror(errno));
		return -1;
	}
	return 0;
}
