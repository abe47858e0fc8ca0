/*
 * test_tui_sniff.c - the TUI's index against the sniffer on every
 * capture tests/data/sniff/TESTLIST names: each list row is the summary
 * line of `sniff -r` (TCP analysis marks included), each detail tree is
 * the frame's `sniff -V` block (the TCP layer's SEQ/ACK analysis, iRTT,
 * conversation completeness, timestamps and the "[N Reassembled TCP
 * Segments]" block included), and the filter scan keeps the frames
 * `sniff -Y` prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/sniff.h"
#include "capture/tui/index.h"
#include "capture/tui/model.h"
#include "capture/tui/scan.h"
#include "unit.h"

static void
model_with(struct tui_model *m, size_t frames, int rows)
{
	tui_model_init(m);
	m->list_rows = rows;
	tui_set_frames(m, frames);
}

/*
 * The captures tests/data/sniff/TESTLIST names (column 2), each once,
 * as "tests/data/sniff/NAME" in files[]; returns how many (at most max).
 */
static size_t
testlist_captures(char files[][128], size_t max)
{
	FILE *fp = fopen("tests/data/sniff/TESTLIST", "r");
	char line[1024], name[64], cap[64];
	size_t n = 0, i;

	if (!fp)
		return 0;
	while (n < max && fgets(line, sizeof(line), fp)) {
		if (line[0] == '#' || sscanf(line, "%63s %63s", name, cap) != 2)
			continue;
		snprintf(files[n], sizeof(files[n]), "tests/data/sniff/%s", cap);
		for (i = 0; i < n && strcmp(files[i], files[n]); i++)
			;
		if (i == n)
			n++;
	}
	fclose(fp);
	return n;
}

/* Frame no's block of `sniff -V` text (blocks end with a blank line). */
static bool
verbose_block(const char *all, uint32_t no, const char **p, size_t *n)
{
	char head[32];
	const char *s, *e;

	snprintf(head, sizeof(head), "Frame %u: ", no);
	s = strstr(all, head);
	if (!s)
		return false;
	e = strstr(s, "\n\n");
	*p = s;
	*n = e ? (size_t)(e - s) + 2 : strlen(s);	/* the blank line too */
	return true;
}

/* The detail pane is exactly what `sniff -V` prints, frame by frame. */
TEST(tui_detail_is_sniff_verbose)
{
	static char files[64][128];
	size_t nfiles = testlist_captures(files, 64);
	size_t f;

	CHECK(nfiles >= 20);
	for (f = 0; f < nfiles; f++) {
		struct sniff_opts o;
		struct tui_index ix;
		struct tui_tree tr;
		struct buf bytes;
		char *text = NULL;
		size_t len = 0, n, bad = 0;
		uint32_t no;
		int st;
		FILE *mem = open_memstream(&text, &len);

		memset(&o, 0, sizeof(o));
		o.prog = "test";
		o.read = files[f];
		o.verbose = true;
		o.expand = EXPAND_ALL;
		o.follow = -1;
		o.out = mem;
		sniff_run(&o, &st);	/* cut.pcap fails at its end, as it should */
		fclose(mem);
		memset(&tr, 0, sizeof(tr));
		buf_init(&bytes);
		if (!CHECK_EQ(tui_index_open_file(&ix, files[f], NULL, NULL), 0))
			continue;
		while (tui_index_step(&ix, 100))
			;
		for (no = 1; no <= tui_index_frames(&ix); no++) {
			const char *p;

			if (!verbose_block(text, no, &p, &n) ||
			    tui_index_detail(&ix, no, &tr, &bytes) < 0 ||
			    tr.text.len != n || memcmp(tr.text.data, p, n)) {
				if (!bad++) {	/* the first differing frame */
					CHECK_EQ(no, 0);
					CHECK_STR(files[f], "");
				}
			}
		}
		CHECK_EQ(bad, 0);
		tui_tree_free(&tr);
		buf_free(&bytes);
		tui_index_close(&ix);
		free(text);
	}
}

/* Each list row ends as the summary line of `sniff -r` does. */
TEST(tui_rows_are_sniff_summaries)
{
	static char files[64][128];
	size_t nfiles = testlist_captures(files, 64);
	size_t f, shared = 0, texts = 0, end_max = 0;

	CHECK(nfiles >= 20);
	for (f = 0; f < nfiles; f++) {
		struct sniff_opts o;
		struct tui_index ix;
		struct buf row, want;
		char *text = NULL, *line, *save = NULL;
		const char *c[6];
		size_t len = 0, bad = 0;
		uint32_t no = 0;
		int st;
		FILE *mem = open_memstream(&text, &len);

		memset(&o, 0, sizeof(o));
		o.prog = "test";
		o.read = files[f];
		o.follow = -1;
		o.out = mem;
		sniff_run(&o, &st);
		fclose(mem);
		buf_init(&row);
		buf_init(&want);
		if (!CHECK_EQ(tui_index_open_file(&ix, files[f], NULL, NULL), 0))
			continue;
		while (tui_index_step(&ix, 100))
			;
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			size_t n;

			n = strlen(line);
			no++;
			buf_reset(&want);
			if (tui_index_row(&ix, no, &row, c) < 0) {
				bad++;
				continue;
			}
			buf_printf(&want, " %s %s %s", c[3], c[4], c[5]);
			if (n < want.len || memcmp(line + n - want.len, want.data,
						   want.len) || !strstr(line, c[1]))
				if (!bad++)
					CHECK_STR(line, want.data);
		}
		CHECK_EQ(no, tui_index_frames(&ix));
		CHECK_EQ(bad, 0);
		/* rows with a recent row's text share its copy; the flows
		 * view's record texts follow them into it */
		for (no = 1; no <= tui_index_frames(&ix); no++) {
			const struct cap_row *r = cap_session_row(&ix.ss, no);

			if (r->info_len && r->info_off < end_max)
				shared++;
			if (r->info_len && r->info_off + r->info_len > end_max)
				end_max = r->info_off + r->info_len;
		}
		for (size_t i = 0; i < ix.ss.rs.n; i++) {
			const struct cap_row *r = cap_session_row(&ix.ss,
							ix.ss.rs.v[i].frame);
			const char *t;
			size_t tl;

			if (!r || i >= ix.rinfo_cap || ix.rinfo[i].own ||
			    !(t = tui_index_rtext(&ix, i, &tl)))
				continue;
			texts++;
			if (!r->info_len || !memmem(ix.ss.info.data +
						    r->info_off, r->info_len,
						    t, tl))
				if (!bad++)
					CHECK_STR(t, ix.ss.info.data +
						  r->info_off);
		}
		CHECK_EQ(bad, 0);
		end_max = 0;
		buf_free(&row);
		buf_free(&want);
		tui_index_close(&ix);
		free(text);
	}
	CHECK(shared >= 20);
	CHECK(texts >= 100);
}

/* The filter scan keeps exactly the frames `sniff -Y` prints. */
TEST(tui_scan_is_sniff_display_filter)
{
	static const char *filters[] = {
		"http", "http.request.method == \"GET\"", "tcp.stream == 1",
		"http.response.code >= 200 && !http.request",
		"http.host contains \"127\"", "http.time > 0", "frame.len > 100",
		"http.content_type matches \"text\" || tcp.srcport < 1024",
	};
	static const char *files[] = {
		"tests/data/sniff/nginx.pcap", "tests/data/sniff/pipelined.pcap",
		"tests/data/sniff/python-server.pcap",
	};
	size_t f, k;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct tui_index ix;

		if (!CHECK_EQ(tui_index_open_file(&ix, files[f], NULL, NULL), 0))
			continue;
		while (tui_index_step(&ix, 100))
			;
		for (k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
			struct sniff_opts o;
			struct tui_model m;
			struct tui_scan sc;
			char *text = NULL, *p;
			size_t len = 0, i = 0;
			int st;
			bool same = true;
			FILE *mem = open_memstream(&text, &len);

			memset(&o, 0, sizeof(o));
			o.prog = "test";
			o.read = files[f];
			o.follow = -1;
			o.out = mem;
			o.filter = filter_compile(filters[k], NULL);
			sniff_run(&o, &st);
			fclose(mem);
			filter_free((struct filter *)o.filter);
			model_with(&m, tui_index_frames(&ix), 10);
			tui_filter_begin(&m, filters[k]);
			tui_scan_start(&sc, &ix, filter_compile(filters[k], NULL));
			while (!tui_scan_finished(&sc))
				tui_scan_step(&sc, &m, 3);
			for (p = text; *p; i++) {
				unsigned long no = strtoul(p, &p, 10);

				if (i >= tui_rows(&m) || no != tui_row_frame(&m, i))
					same = false;
				p = strchr(p, '\n');
				if (!p)
					break;
				p++;
			}
			if (!CHECK(same && i == tui_rows(&m)))
				CHECK_STR(filters[k], files[f]);
			tui_scan_free(&sc);
			tui_model_free(&m);
			free(text);
		}
		tui_index_close(&ix);
	}
}
