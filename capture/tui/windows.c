/*
 * windows.c - the TUI's windows over the displayed packets (each honours
 * the display filter, as Wireshark's Statistics windows can): the ladder
 * (capture/ladder.c, the layout `sniff --ladder` prints, one arrow per
 * SYN/FIN/RST and per HTTP message, Enter selects the arrow's frame) and
 * the TCP conversations (client, server, packets and bytes each way,
 * duration, requests, how it ended) and the endpoints (each address and
 * port: packets and bytes sent and received).
 *
 * Both walk the displayed rows in capture order, reading each frame back
 * through the session; the HTTP messages come from the records (which
 * frame completes which) and the per-record summaries the index kept.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ladder.h"
#include "tui_impl.h"

/* "127.0.0.1:8000" or "[::1]:8000", as sniff --ladder names them. */
static void
ep_name(char *out, size_t size, int ipver, const uint8_t *addr,
	uint16_t port)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(ipver == 6 ? AF_INET6 : AF_INET, addr, a, sizeof a);
	snprintf(out, size, ipver == 6 ? "[%s]:%u" : "%s:%u", a, port);
}

/* The displayed frames in capture order (the list may be sorted). */
static uint32_t *
shown_frames(const struct tui_model *m, size_t *n)
{
	size_t i, k = tui_rows(m);
	uint32_t *v = malloc((k ? k : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (i = 0; i < k; i++)
		v[i] = m->filtered ? m->shown[i] : (uint32_t)(i + 1);
	*n = k;
	return v;
}

/* Records by the frame that completes them: (frame << 32 | record). */
static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t *
messages_by_frame(const struct tui_index *ix, size_t *n)
{
	size_t i, k = 0;
	uint64_t *v = malloc((ix->ss.rs.n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (i = 0; i < ix->ss.rs.n; i++)
		if (rec_get(&ix->ss.rs, i)->frame && i < ix->rinfo_cap &&
		    ix->rinfo[i].info_len)
			v[k++] = (uint64_t)rec_get(&ix->ss.rs, i)->frame << 32 | i;
	qsort(v, k, sizeof(*v), cmp_u64);
	*n = k;
	return v;
}

/* The arrow's tag from the record's summary: "GET /x", "200 OK". */
static void
message_tag(const struct tui_index *ix, size_t rec, char *tag, size_t n,
	    struct buf *label)
{
	size_t len = 0;
	const char *p = tui_index_rtext(ix, rec, &len), *sp1, *sp2;
	bool req = rec_get(&ix->ss.rs, rec)->type == REC_REQUEST;

	buf_reset(label);	/* the text, NUL-ended */
	buf_append(label, p ? p : "", len);
	buf_append(label, "", 1);
	p = label->data;
	sp1 = strchr(p, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (req || !sp1)	/* "GET /x" */
		snprintf(tag, n, "%.*s", (int)(sp2 ? sp2 - p : (long)strlen(p)),
			 p);
	else			/* "HTTP/1.1 200 OK  (text/html)": "200 OK" */
		snprintf(tag, n, "%.*s", (int)strcspn(sp1 + 1, "("), sp1 + 1);
	while (*tag && tag[strlen(tag) - 1] == ' ')
		tag[strlen(tag) - 1] = '\0';
}

static void
ladder_frame(struct tui *t, struct ladder *l, uint32_t no, const uint64_t *msg,
	     size_t nmsg, size_t *at)
{
	static const struct { uint16_t set; const char *tag; } kinds[] = {
		{ TCP_SYN | TCP_ACK, "SYN, ACK" }, { TCP_SYN, "SYN" },
		{ TCP_RST, "RST" }, { TCP_FIN, "FIN" },
	};
	struct pkt pk;
	char src[80], dst[80], tag[64];
	double secs = (double)cap_session_rel_ns(&t->ix.ss, no) / 1e9;
	struct buf label = BUF_INIT;
	size_t k;

	while (*at < nmsg && (msg[*at] >> 32) < no)
		(*at)++;
	if (!tui_index_frame(&t->ix, no, &pk) || !pk.tcp)
		return;
	ep_name(src, sizeof src, pk.ipver, pk.src, pk.sport);
	ep_name(dst, sizeof dst, pk.ipver, pk.dst, pk.dport);
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if ((pk.flags & kinds[k].set) == kinds[k].set) {
			ladder_add(l, no, secs, src, dst,
				   kinds[k].set == TCP_SYN ? LADDER_DST_SERVER :
				   kinds[k].set == (TCP_SYN | TCP_ACK) ?
				   LADDER_SRC_SERVER : LADDER_UNKNOWN,
				   kinds[k].tag, kinds[k].tag);
			break;
		}
	for (; *at < nmsg && (msg[*at] >> 32) == no; (*at)++) {
		size_t rec = (size_t)(msg[*at] & 0xffffffffu);
		bool req = rec_get(&t->ix.ss.rs, rec)->type == REC_REQUEST;

		message_tag(&t->ix, rec, tag, sizeof tag, &label);
		ladder_add(l, no, secs, src, dst, req ? LADDER_DST_SERVER :
			   LADDER_SRC_SERVER, tag, label.data);
	}
	buf_free(&label);
}

int
tui_window_ladder(struct tui *t)
{
	struct ladder l;
	struct buf out = BUF_INIT;
	size_t n = 0, nmsg = 0, at = 0, i, first;
	uint32_t *fr = shown_frames(&t->m, &n);
	uint64_t *msg = messages_by_frame(&t->ix, &nmsg);
	char title[160];
	int rc = -1;

	ladder_init(&l);
	if (!fr || !msg)
		goto out;
	for (i = 0; i < n; i++)
		ladder_frame(t, &l, fr[i], msg, nmsg, &at);
	if (ladder_print(&l, &out, 14) < 0)
		goto out;
	snprintf(title, sizeof(title), "Ladder: %zu arrows%s%.60s (Enter "
		 "selects the arrow's frame)", l.nev, t->m.filtered ?
		 ", filter " : "", t->m.filtered ? t->m.applied : "");
	tui_text_reset(&t->m.tv, title);
	tui_text_add(&t->m.tv, TUI_K_PLAIN, out.data ? out.data : "",
		     out.len && out.data[out.len - 1] == '\n' ? out.len - 1 :
		     out.len);
	/* one line per event, last: they map to frames */
	free(t->flow_frames);
	t->flow_max = t->m.tv.n;
	t->flow_frames = calloc(t->flow_max + 1, sizeof(uint32_t));
	first = t->m.tv.n >= l.nev ? t->m.tv.n - l.nev : 0;
	for (i = 0; t->flow_frames && i < l.nev; i++)
		t->flow_frames[first + i] = l.ev[i].frame;
	t->flow_sel = first < t->m.tv.n ? first : 0;
	rc = 0;
out:
	if (rc < 0)
		snprintf(t->m.status, sizeof(t->m.status), "out of memory");
	ladder_free(&l);
	buf_free(&out);
	free(fr);
	free(msg);
	return rc;
}

/* One TCP conversation of the conversations window. */
struct conv {
	uint32_t stream;
	char client[64], server[64];
	uint64_t pkts[2], bytes[2];	/* [0] client to server */
	int64_t first_ns, last_ns;
	bool fin[2], rst, syn;
	uint32_t requests;
};

static struct conv *
conv_get(struct conv **v, size_t *n, size_t *cap, uint32_t st)
{
	size_t i;

	for (i = *n; i > 0; i--)	/* recent ones are likely */
		if ((*v)[i - 1].stream == st)
			return &(*v)[i - 1];
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct conv *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return NULL;
		*v = nv;
		*cap = c;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].stream = st;
	return &(*v)[(*n)++];
}

static void
conv_frame(struct tui *t, struct conv *c, uint32_t no)
{
	const struct frame_rec *fr = cap_frame(&t->ix.ss.cap, no - 1);
	int64_t ns = cap_session_rel_ns(&t->ix.ss, no);
	struct pkt pk;
	char src[64], dst[64];
	int dir;

	if (!tui_index_frame(&t->ix, no, &pk) || !pk.tcp)
		return;
	ep_name(src, sizeof src, pk.ipver, pk.src, pk.sport);
	ep_name(dst, sizeof dst, pk.ipver, pk.dst, pk.dport);
	if (!c->client[0]) {	/* the SYN's sender, else the first seen */
		bool synack = (pk.flags & (TCP_SYN | TCP_ACK)) ==
			      (TCP_SYN | TCP_ACK);

		snprintf(c->client, sizeof c->client, "%s", synack ? dst : src);
		snprintf(c->server, sizeof c->server, "%s", synack ? src : dst);
		c->first_ns = ns;
	}
	dir = strcmp(src, c->client) != 0;
	c->pkts[dir]++;
	c->bytes[dir] += fr ? fr->len : 0;
	c->last_ns = ns;
	c->syn |= (pk.flags & TCP_SYN) != 0;
	c->fin[dir] |= (pk.flags & TCP_FIN) != 0;
	c->rst |= (pk.flags & TCP_RST) != 0;
}

int
tui_window_convs(struct tui *t)
{
	struct conv *v = NULL;
	size_t n = 0, cap = 0, nf = 0, i;
	uint32_t *fr = shown_frames(&t->m, &nf);
	char line[320], title[160];
	int w;

	if (!fr)
		return -1;
	for (i = 0; i < nf; i++) {
		uint32_t st = tui_index_stream(&t->ix, fr[i]);
		struct conv *c = st == TUI_NO_STREAM ? NULL :
				 conv_get(&v, &n, &cap, st);

		if (c)
			conv_frame(t, c, fr[i]);
	}
	for (i = 0; i < t->ix.ss.rs.n; i++) {
		const struct http_rec *r = rec_get(&t->ix.ss.rs, i);
		size_t k;

		if (r->type != REC_REQUEST)
			continue;
		for (k = 0; k < n; k++)
			if (v[k].stream == r->stream)
				v[k].requests++;
	}
	snprintf(title, sizeof(title), "TCP conversations: %zu%s%.60s", n,
		 t->m.filtered ? ", filter " : "", t->m.filtered ?
		 t->m.applied : "");
	tui_text_reset(&t->m.tv, title);
	w = snprintf(line, sizeof(line), "%6s  %-22s %-22s %7s %9s %7s %9s "
		     "%10s %4s %s", "Stream", "Client", "Server", "Pkts C>S",
		     "Bytes C>S", "Pkts S>C", "Bytes S>C", "Duration", "Reqs",
		     "End");
	tui_text_add(&t->m.tv, TUI_K_TITLE, line, (size_t)w);
	for (i = 0; i < n; i++) {
		const struct conv *c = &v[i];

		w = snprintf(line, sizeof(line), "%6u  %-22s %-22s %7llu %9llu "
			     "%7llu %9llu %10.6f %4u %s", c->stream, c->client,
			     c->server, (unsigned long long)c->pkts[0],
			     (unsigned long long)c->bytes[0],
			     (unsigned long long)c->pkts[1],
			     (unsigned long long)c->bytes[1],
			     (double)(c->last_ns - c->first_ns) / 1e9,
			     c->requests, c->rst ? "RST" : c->fin[0] &&
			     c->fin[1] ? "FIN both" : c->fin[0] ?
			     "FIN client" : c->fin[1] ? "FIN server" : "open");
		tui_text_add(&t->m.tv, c->rst ? TUI_K_RST : TUI_K_PLAIN, line,
			     (size_t)(w < (int)sizeof(line) ? w :
				      (int)sizeof(line) - 1));
	}
	if (!n)
		tui_text_add(&t->m.tv, TUI_K_PLAIN, "(no TCP packets shown)", 22);
	free(v);
	free(fr);
	return 0;
}

/* One address:port of the endpoints window. */
struct endpoint {
	char name[64];
	uint64_t pkts[2], bytes[2];	/* [0] sent, [1] received */
};

static struct endpoint *
ep_get(struct endpoint **v, size_t *n, size_t *cap, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name))
			return &(*v)[i];
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct endpoint *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return NULL;
		*v = nv;
		*cap = c;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	snprintf((*v)[*n].name, sizeof((*v)[*n].name), "%s", name);
	return &(*v)[(*n)++];
}

int
tui_window_endpoints(struct tui *t)
{
	struct endpoint *v = NULL, *e;
	size_t n = 0, cap = 0, nf = 0, i;
	uint32_t *fr = shown_frames(&t->m, &nf);
	char line[200], title[160], name[2][64];
	int w, d;

	if (!fr)
		return -1;
	for (i = 0; i < nf; i++) {
		const struct frame_rec *rec = cap_frame(&t->ix.ss.cap, fr[i] - 1);
		struct pkt pk;

		if (!tui_index_frame(&t->ix, fr[i], &pk) || (!pk.tcp && !pk.udp))
			continue;
		ep_name(name[0], sizeof name[0], pk.ipver, pk.src, pk.sport);
		ep_name(name[1], sizeof name[1], pk.ipver, pk.dst, pk.dport);
		for (d = 0; d < 2; d++)
			if ((e = ep_get(&v, &n, &cap, name[d]))) {
				e->pkts[d]++;
				e->bytes[d] += rec ? rec->len : 0;
			}
	}
	snprintf(title, sizeof(title), "Endpoints (TCP and UDP): %zu%s%.60s",
		 n, t->m.filtered ? ", filter " : "", t->m.filtered ?
		 t->m.applied : "");
	tui_text_reset(&t->m.tv, title);
	w = snprintf(line, sizeof(line), "%-46s %9s %11s %9s %11s",
		     "Address:port", "Pkts sent", "Bytes sent", "Pkts recv",
		     "Bytes recv");
	tui_text_add(&t->m.tv, TUI_K_TITLE, line, (size_t)w);
	for (i = 0; i < n; i++) {
		w = snprintf(line, sizeof(line), "%-46s %9llu %11llu %9llu "
			     "%11llu", v[i].name, (unsigned long long)v[i].pkts[0],
			     (unsigned long long)v[i].bytes[0],
			     (unsigned long long)v[i].pkts[1],
			     (unsigned long long)v[i].bytes[1]);
		tui_text_add(&t->m.tv, TUI_K_PLAIN, line, (size_t)w);
	}
	if (!n)
		tui_text_add(&t->m.tv, TUI_K_PLAIN, "(no TCP or UDP packets shown)",
			     29);
	free(v);
	free(fr);
	return 0;
}
