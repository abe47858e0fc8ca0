/*
 * client_glob.c - curl's URL globbing: "{a,b,c}" alternatives and
 * "[1-10]", "[01-10]", "[a-z]", "[1-100:10]" ranges, every combination
 * with the last pattern varying fastest, and "#N" in the URL's -o name
 * replaced by the Nth pattern's current text.  A -T FILE is globbed too:
 * each of its files goes to each of its URL's expansions (so the nth -T
 * still pairs with the nth URL argument).  -g/--globoff turns it off;
 * a backslash keeps a '{' '[' '}' ']' literal; an IPv6 literal
 * ("[::1]") is not a range.
 *
 * Pure string work on the cfg: no libcurl.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define GLOB_MAX_PATTERNS 10
#define GLOB_MAX_URLS 100000

struct pattern {
	size_t at;		/* where the text goes in the fixed parts */
	char **alts;		/* {a,b}: the words; ranges: NULL */
	size_t nalts;
	long lo, hi, step;	/* [lo-hi:step] */
	int width;		/* zero padding of numeric ranges */
	bool letters;
};

struct glob {
	struct buf fixed;	/* the URL with the patterns cut out */
	struct pattern p[GLOB_MAX_PATTERNS];
	size_t n;
};

static size_t
pattern_count(const struct pattern *p)
{
	return p->alts ? p->nalts : (size_t)((p->hi - p->lo) / p->step + 1);
}

/* The text of pattern p's i-th value into tmp. */
static const char *
pattern_text(const struct pattern *p, size_t i, char *tmp, size_t size)
{
	long v;

	if (p->alts)
		return p->alts[i];
	v = p->lo + (long)i * p->step;
	if (p->letters)
		snprintf(tmp, size, "%c", (char)v);
	else
		snprintf(tmp, size, "%0*ld", p->width, v);
	return tmp;
}

static void
glob_free(struct glob *g)
{
	for (size_t i = 0; i < g->n; i++) {
		for (size_t k = 0; k < g->p[i].nalts; k++)
			free(g->p[i].alts[k]);
		free(g->p[i].alts);
	}
	buf_free(&g->fixed);
}

static bool
is_ipv6_literal(const char *p)
{
	size_t n = strcspn(p + 1, "]");

	return p[1 + n] == ']' && memchr(p + 1, ':', n) &&
	       strspn(p + 1, "0123456789abcdefABCDEF:.%") == n;
}

static int
parse_range(struct pattern *pt, const char *s, size_t len)
{
	char spec[64], *end;
	const char *dash;

	if (len == 0 || len >= sizeof spec)
		return -1;
	memcpy(spec, s, len);
	spec[len] = 0;
	pt->step = 1;
	if (isalpha((unsigned char)spec[0]) && spec[1] == '-' &&
	    isalpha((unsigned char)spec[2])) {
		pt->letters = true;
		pt->lo = spec[0];
		pt->hi = spec[2];
		end = spec + 3;
	} else {
		if (!isdigit((unsigned char)spec[0]) || !(dash = strchr(spec, '-')))
			return -1;
		pt->width = spec[0] == '0' ? (int)(dash - spec) : 0;
		pt->lo = strtol(spec, &end, 10);
		if (end != dash || !isdigit((unsigned char)dash[1]))
			return -1;
		pt->hi = strtol(dash + 1, &end, 10);
	}
	if (*end == ':') {
		pt->step = strtol(end + 1, &end, 10);
		if (pt->step <= 0)
			return -1;
	}
	return *end || pt->hi < pt->lo ? -1 : 0;
}

static int
parse_alts(struct pattern *pt, const char *s, size_t len)
{
	const char *end = s + len;

	while (s <= end) {
		size_t n = 0;
		char **a, *w;
		while (s + n < end && s[n] != ',')
			n++;
		if ((a = realloc(pt->alts, (pt->nalts + 1) * sizeof *a)) == NULL)
			return -1;
		pt->alts = a;
		if ((w = strndup(s, n)) == NULL)
			return -1;
		pt->alts[pt->nalts++] = w;
		s += n + 1;
	}
	return 0;
}

/* Split url into fixed text and patterns; -1 with err on a bad one. */
static int
glob_parse(struct glob *g, const char *url, char *err, size_t errsize)
{
	for (const char *p = url; *p; p++) {
		char close;
		const char *end;
		struct pattern *pt;
		if (*p == '\\' && p[1] && strchr("{}[]", p[1])) {
			buf_append(&g->fixed, ++p, 1);
			continue;
		}
		if ((*p != '{' && *p != '[') || (*p == '[' && is_ipv6_literal(p))) {
			if (*p == '[') {	/* the IPv6 literal, whole */
				size_t n = strcspn(p, "]") + 1;
				buf_append(&g->fixed, p, n);
				p += n - 1;
			} else {
				buf_append(&g->fixed, p, 1);
			}
			continue;
		}
		close = *p == '{' ? '}' : ']';
		if ((end = strchr(p, close)) == NULL || g->n == GLOB_MAX_PATTERNS)
			goto bad;
		pt = &g->p[g->n++];
		memset(pt, 0, sizeof *pt);
		pt->at = g->fixed.len;
		if ((close == '}' ? parse_alts(pt, p + 1, (size_t)(end - p - 1)) :
		     parse_range(pt, p + 1, (size_t)(end - p - 1))) < 0)
			goto bad;
		p = end;
	}
	return 0;
bad:
	snprintf(err, errsize, "bad URL glob in '%s' (use -g to send [] {} "
		 "as they are)", url);
	return -1;
}

/* -o name with "#N" replaced by pattern N's current text */
static char *
output_name(const char *tmpl, const struct glob *g, const size_t *idx)
{
	struct buf b = BUF_INIT;
	char tmp[32];

	for (const char *p = tmpl; *p; p++) {
		if (*p == '#' && isdigit((unsigned char)p[1])) {
			char *end;
			long n = strtol(p + 1, &end, 10);
			if (n >= 1 && (size_t)n <= g->n) {
				buf_puts(&b, pattern_text(&g->p[n - 1], idx[n - 1],
							  tmp, sizeof tmp));
				p = end - 1;
				continue;
			}
		}
		buf_append(&b, p, 1);
	}
	return b.data ? b.data : strdup("");
}

/* Every combination of g into urls (and outs when tmpl is given). */
static int
glob_expand(const struct glob *g, const struct client_output *tmpl,
	    struct client_strv *urls, struct client_output **outs,
	    size_t *nouts, char *err, size_t errsize)
{
	size_t idx[GLOB_MAX_PATTERNS] = { 0 }, total = 1;
	char tmp[32];

	for (size_t i = 0; i < g->n; i++)
		total *= pattern_count(&g->p[i]);
	if (total > GLOB_MAX_URLS) {
		snprintf(err, errsize, "URL glob makes %zu URLs (at most %d)",
			 total, GLOB_MAX_URLS);
		return -1;
	}
	for (size_t k = 0; k < total; k++) {
		struct buf u = BUF_INIT;
		size_t at = 0;
		for (size_t i = 0; i < g->n; i++) {
			buf_append(&u, g->fixed.data + at, g->p[i].at - at);
			buf_puts(&u, pattern_text(&g->p[i], idx[i], tmp, sizeof tmp));
			at = g->p[i].at;
		}
		buf_append(&u, g->fixed.data + at, g->fixed.len - at);
		if (client_strv_add(urls, u.data ? u.data : "") < 0) {
			buf_free(&u);
			return -1;
		}
		buf_free(&u);
		if (tmpl) {
			struct client_output *o = realloc(*outs, (*nouts + 1) * sizeof *o);
			if (o == NULL)
				return -1;
			*outs = o;
			o[*nouts].path = tmpl->path ? output_name(tmpl->path, g, idx) : NULL;
			(*nouts)++;
		}
		for (size_t i = g->n; i-- > 0;) {	/* the last one fastest */
			if (++idx[i] < pattern_count(&g->p[i]))
				break;
			idx[i] = 0;
		}
	}
	return 0;
}

/* -T FILE of URL argument i, globbed as curl globs it ("{a,b}.txt",
 * "f[1-3]"), into files; none when the URL has no -T. */
static int
upload_files(const struct client_cfg *cfg, size_t i, struct client_strv *files,
	     char *err, size_t errsize)
{
	struct glob g = { .fixed = BUF_INIT, .n = 0 };
	size_t none = 0;
	int r;

	if (i >= cfg->uploads.n)
		return 0;
	r = glob_parse(&g, cfg->uploads.v[i], err, errsize);
	if (r == 0)
		r = glob_expand(&g, NULL, files, NULL, &none, err, errsize);
	glob_free(&g);
	return r;
}

/* URL argument i expanded, once per -T file (curl: the files outside,
 * the URL's own globs inside). */
static int
glob_one(struct client_cfg *cfg, size_t i, struct client_strv *urls,
	 struct client_strv *ups, struct client_output **outs, size_t *nouts,
	 char *err, size_t errsize)
{
	struct client_strv files = { 0 };
	int r = upload_files(cfg, i, &files, err, errsize);
	size_t nf = files.n ? files.n : 1;

	for (size_t f = 0; r == 0 && f < nf; f++) {
		struct glob g = { .fixed = BUF_INIT, .n = 0 };
		size_t before = urls->n;
		size_t *num;
		r = glob_parse(&g, cfg->urls.v[i], err, errsize);
		if (r == 0)
			r = glob_expand(&g, i < cfg->nouts ? &cfg->outs[i] : NULL,
					urls, outs, nouts, err, errsize);
		glob_free(&g);
		/* %{urlnum} is the URL argument's number, as curl's */
		if (r == 0 && (num = realloc(cfg->urlnum, urls->n * sizeof *num)) == NULL)
			r = -1;
		else if (r == 0)
			for (cfg->urlnum = num; before < urls->n; before++) {
				num[before] = i;
				if (files.n && client_strv_add(ups, files.v[f]) < 0)
					r = -1;
			}
	}
	client_strv_free(&files);
	return r;
}

int
client_glob_apply(struct client_cfg *cfg, char *err, size_t errsize)
{
	struct client_strv urls = { 0 }, ups = { 0 };
	struct client_output *outs = NULL;
	size_t nouts = 0;
	int r = 0;

	if (cfg->globoff)
		return 0;
	for (size_t i = 0; r == 0 && i < cfg->urls.n; i++)
		r = glob_one(cfg, i, &urls, &ups, &outs, &nouts, err, errsize);
	for (size_t i = cfg->urls.n; r == 0 && i < cfg->uploads.n; i++)
		r = client_strv_add(&ups, cfg->uploads.v[i]);	/* unpaired -T */
	for (size_t i = cfg->urls.n; r == 0 && i < cfg->nouts; i++) {	/* unpaired -o */
		struct client_output *o = realloc(outs, (nouts + 1) * sizeof *o);
		if (o == NULL) {
			r = -1;
			break;
		}
		outs = o;
		outs[nouts].path = cfg->outs[i].path ? strdup(cfg->outs[i].path) : NULL;
		nouts++;
	}
	if (r < 0) {
		if (*err == 0)
			snprintf(err, errsize, "out of memory");
		client_strv_free(&urls);
		client_strv_free(&ups);
		for (size_t i = 0; i < nouts; i++)
			free(outs[i].path);
		free(outs);
		return -1;
	}
	client_strv_free(&cfg->urls);
	cfg->urls = urls;
	client_strv_free(&cfg->uploads);
	cfg->uploads = ups;
	for (size_t i = 0; i < cfg->nouts; i++)
		free(cfg->outs[i].path);
	free(cfg->outs);
	cfg->outs = outs;
	cfg->nouts = cfg->capouts = nouts;
	return 0;
}
