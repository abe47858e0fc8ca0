/*
 * expert.c - the Expert information window (Wireshark's Analyze → Expert
 * Information): what the decoders flagged, grouped by severity (Error,
 * Warning, Note, Chat) and by kind, with a line per frame; Enter on a
 * frame's line selects it.  Only displayed packets count.
 *
 * The decoders run once more over every frame (as a display filter's
 * scan does, scan.c), since the TCP analysis marks (tcp_analysis.h) and
 * the HTTP messages are known only while decoding in order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/tcp_analysis.h"
#include "tui_impl.h"

enum { SEV_ERROR, SEV_WARN, SEV_NOTE, SEV_CHAT, SEV__N };
static const char *const sev_names[SEV__N] = {
	"Error", "Warning", "Note", "Chat",
};

struct xitem {
	uint8_t sev;
	const char *group;		/* static text: the kind */
	uint32_t frame;
	char text[96];
};

struct xrun {
	struct tui *t;
	struct xitem *v;
	size_t n, cap;
	uint32_t no;
	bool shown;			/* the current frame is displayed */
};

static void
x_add(struct xrun *x, int sev, const char *group, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
x_add(struct xrun *x, int sev, const char *group, const char *fmt, ...)
{
	va_list ap;

	if (!x->shown)
		return;
	if (x->n == x->cap) {
		size_t c = x->cap ? x->cap * 2 : 256;
		struct xitem *v = realloc(x->v, c * sizeof(*v));

		if (!v)
			return;
		x->v = v;
		x->cap = c;
	}
	x->v[x->n].sev = (uint8_t)sev;
	x->v[x->n].group = group;
	x->v[x->n].frame = x->no;
	va_start(ap, fmt);
	vsnprintf(x->v[x->n].text, sizeof(x->v[x->n].text), fmt, ap);
	va_end(ap);
	x->n++;
}

static void
x_on_frame(void *ctx, uint32_t no)
{
	struct xrun *x = ctx;

	x->no = no;
	x->shown = tui_row_of(&x->t->m, no) >= 0;
}

static void
x_on_message(void *ctx, const struct http_view *v)
{
	struct xrun *x = ctx;
	const struct http_msg *m = v->msg;

	if (v->malformed)
		x_add(x, SEV_ERROR, "Malformed HTTP message", "%s", v->malformed);
	if (m->is_request)
		x_add(x, SEV_CHAT, "HTTP request", "%.*s %.*s", (int)m->method.len,
		      m->method.p, (int)(m->target.len > 60 ? 60 : m->target.len),
		      m->target.p);
	else
		x_add(x, SEV_CHAT, "HTTP response", "%d %.*s", m->status,
		      (int)m->reason.len, m->reason.p);
}

static const struct cap_session_hooks x_hooks = {
	.frame = x_on_frame, .message = x_on_message,
};

/* The frame just decoded: its TCP flags and analysis marks. */
static void
x_tcp(struct xrun *x, const struct cap_pipe *pp)
{
	unsigned i;

	if (!pp->pk.tcp)
		return;
	if (pp->pk.flags & TCP_RST)
		x_add(x, SEV_WARN, "Connection reset (RST)", "RST");
	if (pp->pk.flags & TCP_SYN)
		x_add(x, SEV_CHAT, "Connection establish request (SYN)", "%s",
		      pp->pk.flags & TCP_ACK ? "SYN, ACK" : "SYN");
	if (pp->pk.flags & TCP_FIN)
		x_add(x, SEV_CHAT, "Connection finish (FIN)", "FIN");
	for (i = 0; i < TCPA_FLAG_COUNT; i++) {
		const struct tcpa_flag_info *fi = tcpa_flag_info(i);

		if (fi && (pp->ri.an.flags & fi->flag))
			x_add(x, !strcmp(fi->severity, "Warning") ? SEV_WARN :
			      !strcmp(fi->severity, "Note") ? SEV_NOTE :
			      SEV_CHAT, fi->text, "%s", fi->summary);
	}
}

static int
x_cmp(const void *a, const void *b)
{
	const struct xitem *p = a, *q = b;
	int r = (int)p->sev - (int)q->sev;

	if (!r)
		r = strcmp(p->group, q->group);
	return r ? r : p->frame < q->frame ? -1 : p->frame > q->frame;
}

/* The window's lines: a heading per severity, a line per kind with its
 * count, a line per frame (selectable: t->flow_frames). */
static void
x_print(struct tui *t, struct xrun *x)
{
	char line[200];
	size_t i, k;
	int n;

	free(t->flow_frames);
	t->flow_max = 2 * x->n + 2 * SEV__N + 2;
	t->flow_frames = calloc(t->flow_max + 1, sizeof(uint32_t));
	t->flow_first = t->flow_sel = 0;
	for (i = 0; i < x->n; i = k) {
		for (k = i; k < x->n && x->v[k].sev == x->v[i].sev &&
		     !strcmp(x->v[k].group, x->v[i].group); k++)
			;
		if (!i || x->v[i - 1].sev != x->v[i].sev) {
			n = snprintf(line, sizeof(line), "%s", sev_names[x->v[i].sev]);
			tui_text_add(&t->m.tv, TUI_K_TITLE, line, (size_t)n);
		}
		n = snprintf(line, sizeof(line), "  %s (%zu)", x->v[i].group,
			     k - i);
		tui_text_add(&t->m.tv, x->v[i].sev == SEV_ERROR ?
			     TUI_K_MALFORMED : x->v[i].sev == SEV_WARN ?
			     TUI_K_BADTCP : TUI_K_PLAIN, line, (size_t)n);
		for (; i < k; i++) {
			if (t->flow_frames && t->m.tv.n < t->flow_max) {
				t->flow_frames[t->m.tv.n] = x->v[i].frame;
				if (!t->flow_first)
					t->flow_first = t->flow_sel = t->m.tv.n;
			}
			n = snprintf(line, sizeof(line), "    frame %-8u %s",
				     x->v[i].frame, x->v[i].text);
			tui_text_add(&t->m.tv, TUI_K_PLAIN, line, (size_t)n);
		}
	}
	if (!x->n)
		tui_text_add(&t->m.tv, TUI_K_PLAIN, "(nothing to report)", 19);
}

int
tui_window_expert(struct tui *t)
{
	struct xrun x = { .t = t };
	struct records rs;
	struct cap_pipe *pp;
	uint32_t no;
	char title[160];
	size_t s[SEV__N] = { 0 }, i;

	rec_init(&rs, false);
	rec_set_ring(&rs, 1u << 16);
	pp = cap_pipe_new(&t->ix.ss, &rs, 0, &x_hooks, &x, CAP_NO_STREAM);
	if (!pp) {
		rec_free(&rs);
		return -1;
	}
	for (no = 1; no <= tui_index_frames(&t->ix); no++)
		if (cap_pipe_feed(pp, no) == 0)
			x_tcp(&x, pp);
	cap_pipe_free(pp);
	rec_free(&rs);
	qsort(x.v, x.n, sizeof(*x.v), x_cmp);
	for (i = 0; i < x.n; i++)
		s[x.v[i].sev]++;
	snprintf(title, sizeof(title), "Expert information: %zu errors, %zu "
		 "warnings, %zu notes, %zu chats%s%.60s (Enter selects a frame)",
		 s[0], s[1], s[2], s[3], t->m.filtered ? ", filter " : "",
		 t->m.filtered ? t->m.applied : "");
	tui_text_reset(&t->m.tv, title);
	x_print(t, &x);
	free(x.v);
	return 0;
}
