/*
 * client_multi.c - -Z/--parallel: every URL on its own easy handle, at
 * most --parallel-max at once, driven by one multi handle.  As in curl,
 * -Z is global: the URLs of every -:/--next group run together, each
 * transfer with its own group's options.  The multi
 * handle's connection pool is shared by its transfers; cookies and DNS
 * answers are shared through a share handle so the jar sees them all.
 * On a terminal, one aggregate progress line replaces per-file bars.
 * A transfer waiting for --retry leaves the multi handle until its delay
 * has passed; the others go on meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "client_xfer.h"
#include "lib/exitcode.h"
#include "lib/out.h"

struct multi_run {
	struct client_cfg *cfgs;	/* the groups, [0] has the globals */
	const struct client_view *views;	/* one per group */
	struct client_slists *lists;	/* one per group */
	size_t ngroups;
	size_t group, url;	/* where the next transfer comes from */
	size_t n;		/* transfers in all groups */
	CURLM *m;
	CURLSH *share;
	struct client_xfer *xs;
	size_t next, live, done;
	double bytes_done;
	double started;		/* for the meter's time and speed */
	bool header_drawn;
	int rc;
};

static bool
may_multiplex(const struct client_cfg *cfg, const char *url)
{
	int v = cfg->http_version;

	return v == 2 || (v != 10 && v != 11 && strncmp(url, "https:", 6) == 0);
}

static int
start_next(struct multi_run *r)
{
	struct client_xfer *x = &r->xs[r->next++];
	struct client_cfg *cfg;
	size_t g, i;
	CURL *h;

	while (r->url >= r->cfgs[r->group].urls.n) {	/* next group */
		r->group++;
		r->url = 0;
	}
	g = r->group;
	i = r->url++;
	cfg = &r->cfgs[g];
	h = client_easy_new(cfg, &r->views[g], &r->lists[g]);
	if (h == NULL || client_xfer_init(x, cfg, &r->views[g], h, i) != 0) {
		if (h)
			curl_easy_cleanup(h);
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_SHARE, r->share);
	/* as curl -Z: wait for a connection that can multiplex (h2) rather
	   than open one per transfer, unless --parallel-immediate.  Only
	   where h2 is possible: on HTTP/1.1 waiting would serialise them */
	if (!cfg->parallel_immediate && may_multiplex(cfg, x->url))
		curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	/* the aggregate line replaces per-transfer bars */
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	x->no_bar = true;
	curl_multi_add_handle(r->m, h);
	r->live++;
	return 0;
}

/* --retry: park a transfer until its delay has passed */
static void
restart_due(struct multi_run *r)
{
	double t = clock_now();

	for (size_t i = 0; i < r->next; i++)
		if (r->xs[i].retry_at > 0 && r->xs[i].retry_at <= t) {
			r->xs[i].retry_at = 0;
			curl_multi_add_handle(r->m, r->xs[i].h);
		}
}

static void
finish(struct multi_run *r, CURL *h, CURLcode code)
{
	struct client_xfer *x = NULL;
	curl_off_t got = 0;
	long delay;
	int rc;

	curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&x);
	curl_multi_remove_handle(r->m, h);
	if ((delay = client_retry_wait(x, code)) >= 0) {
		x->retry_at = clock_now() + delay / 1000.0 + 1e-6;
		return;
	}
	curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
	r->bytes_done += (double)got;
	rc = client_xfer_done(x, code);
	if (rc != EXIT_OK)
		r->rc = rc;
	curl_easy_cleanup(h);
	client_xfer_free(x);
	memset(x, 0, sizeof *x);	/* aggregate() skips it now */
	r->live--;
	r->done++;
}

/*
 * curl -Z's aggregate meter, one line redrawn in place under a header:
 *   DL%  Downloaded  Xfers  Live      Time      Speed
 *    42     3.1 MiB      4     2  00:00:01  2.9 MiB/s
 * DL% shows "--" until every running transfer knows its size.
 */
static void
aggregate(struct multi_run *r)
{
	double bytes = r->bytes_done, total = r->bytes_done, t;
	bool sized = true;
	char got[32], speed[32], pct[8] = "--";

	for (size_t i = 0; i < r->next; i++) {
		curl_off_t now = 0, len = -1;
		if (r->xs[i].h == NULL)	/* finished: counted in bytes_done */
			continue;
		curl_easy_getinfo(r->xs[i].h, CURLINFO_SIZE_DOWNLOAD_T, &now);
		curl_easy_getinfo(r->xs[i].h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
		bytes += (double)now;
		total += len >= 0 ? (double)len : 0;
		sized = sized && len >= 0;
	}
	if (!r->header_drawn) {
		fputs("DL%  Downloaded  Xfers  Live      Time      Speed\n", stderr);
		r->header_drawn = true;
	}
	t = clock_now() - r->started;
	if (sized && total > 0 && r->next == r->n)
		snprintf(pct, sizeof pct, "%3.0f", bytes * 100 / total);
	out_size(got, sizeof got, bytes);
	out_size(speed, sizeof speed, t > 0 ? bytes / t : 0);
	fprintf(stderr, "\r%3s  %10s  %5zu  %4zu  %02d:%02d:%02d  %7s/s\033[K",
		pct, got, r->next, r->live, (int)t / 3600, (int)t / 60 % 60,
		(int)t % 60, speed);
	fflush(stderr);
}

int
client_run_parallel(struct client_cfg *cfgs, const struct client_view *views,
		    size_t ngroups)
{
	struct multi_run r = { .cfgs = cfgs, .views = views,
			       .ngroups = ngroups, .rc = EXIT_OK };
	const struct client_view *v = &views[0];
	long max = cfgs[0].parallel_max > 0 ? cfgs[0].parallel_max : 50;

	for (size_t g = 0; g < ngroups; g++)
		r.n += cfgs[g].urls.n;
	r.m = curl_multi_init();
	r.share = curl_share_init();
	r.xs = calloc(r.n, sizeof *r.xs);
	r.lists = calloc(ngroups, sizeof *r.lists);
	if (r.m == NULL || r.share == NULL || r.xs == NULL || r.lists == NULL) {
		r.rc = EXIT_FAIL;
		goto out;
	}
	r.started = clock_now();
	curl_share_setopt(r.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	curl_share_setopt(r.share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	while (r.done < r.n) {
		struct CURLMsg *msg;
		int still, q;
		while (r.live < (size_t)max && r.next < r.n)
			if (start_next(&r) < 0) {
				r.rc = EXIT_FAIL;
				r.done++;
			}
		restart_due(&r);
		curl_multi_perform(r.m, &still);
		while ((msg = curl_multi_info_read(r.m, &q)) != NULL)
			if (msg->msg == CURLMSG_DONE)
				finish(&r, msg->easy_handle, msg->data.result);
		if (v->progress)
			aggregate(&r);
		if (r.live)
			curl_multi_poll(r.m, NULL, 0, 100, NULL);
	}
	if (v->progress)
		out_progress_end(stderr);
out:
	free(r.xs);
	if (r.m)
		curl_multi_cleanup(r.m);
	if (r.share)
		curl_share_cleanup(r.share);
	for (size_t g = 0; r.lists && g < ngroups; g++)
		client_slists_free(&r.lists[g]);
	free(r.lists);
	return r.rc;
}
