/*
 * tls_pipe.c - TLS between reassembly and the HTTP dissector (see
 * tls_pipe.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tls_pipe.h"
#include "tls_names.h"
#include "tls_tree.h"

/* flow->tls of a flow looked at and found not to be TLS */
static const char not_tls;
#define NOT_TLS ((void *)&not_tls)
#define PROBE_DONE 0xff		/* tls_conn.nprobe once decided */

static void
on_record(void *ctx, void *flow, const struct tls_record *r)
{
	struct tls_pipe *t = ctx;
	struct flow *f = flow;
	struct tls_conn *c = f->tls;

	if (!r->bad) {
		t->frame_records++;
		t->frame_ver = tls_show_version(&c->s, r->version);
		tls_record_info(r, &t->info);
	}
	if (t->hook)
		t->hook(t->hook_ctx, f, r, &c->s);
}

static void
on_app_data(void *ctx, void *flow, int dir, const uint8_t *p, size_t n)
{
	struct tls_pipe *t = ctx;

	t->frame_plain = true;
	dissect_reasm_cb.data(t->ds, flow, dir, p, n, t->frame);
}

static const struct tls_cb pipe_cb = { on_record, on_app_data };

struct tls_pipe *
tls_pipe_new(struct keylog *kl, bool refresh, struct dissect *ds)
{
	struct tls_pipe *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->env.kl = kl;
	t->env.refresh = refresh;
	t->env.held_max = TLS_HELD_DEFAULT;
	t->env.cb = &pipe_cb;
	t->env.ctx = t;
	t->ds = ds;
	return t;
}

void
tls_pipe_frame_start(struct tls_pipe *t, uint32_t frame)
{
	t->frame = frame;
	t->frame_records = 0;
	t->frame_ver = 0;
	t->frame_plain = false;
	t->frame_bytes = false;
	buf_reset(&t->info);
}

/* Not TLS after all: the probed bytes go to HTTP, the flow stays HTTP. */
static void
unprobe(struct tls_pipe *t, struct flow *f)
{
	struct tls_conn *c = f->tls;
	uint8_t b[sizeof(c->probe)];
	size_t n = c->nprobe;
	int dir = c->probe_dir;

	memcpy(b, c->probe, n);
	tls_conn_free(&t->env, c);
	f->tls = NOT_TLS;
	if (n)
		dissect_reasm_cb.data(t->ds, f, dir, b, n, t->frame);
}

/*
 * The first bytes of a flow came in a segment shorter than the 6 bytes
 * tls_looks_like_start() needs: keep them until there are 6, then
 * decide.  Returns true when the bytes were taken.
 */
static bool
probe(struct tls_pipe *t, struct flow *f, int dir, const uint8_t *p,
      size_t n)
{
	struct tls_conn *c = f->tls;
	size_t k, i;

	if (c && c->probe_dir != dir) {
		unprobe(t, f);
		return false;
	}
	if (!c) {
		if (!(c = f->tls = tls_conn_new()))
			return false;
		c->probe_dir = (uint8_t)dir;
	}
	k = sizeof(c->probe) - c->nprobe < n ? sizeof(c->probe) - c->nprobe
					     : n;
	memcpy(c->probe + c->nprobe, p, k);
	c->nprobe = (uint8_t)(c->nprobe + k);
	/* give up as soon as the prefix cannot start a record */
	for (i = 0; i < c->nprobe && i < 3; i++)
		if ((i == 0 && (c->probe[0] < TLS_CT_CCS ||
				c->probe[0] > TLS_CT_HEARTBEAT)) ||
		    (i == 1 && c->probe[1] != 3) || (i == 2 && c->probe[2] > 4))
			break;
	if (i < c->nprobe && i < 3) {
		c->nprobe = (uint8_t)(c->nprobe - k);
		unprobe(t, f);
		return false;
	}
	if (c->nprobe < sizeof(c->probe))
		return true;
	if (!tls_looks_like_start(c->probe, c->nprobe)) {
		c->nprobe = (uint8_t)(c->nprobe - k);
		unprobe(t, f);
		return false;
	}
	t->flows++;
	c->nprobe = PROBE_DONE;
	t->frame_bytes = true;
	tls_feed(&t->env, c, f, dir, c->probe, sizeof(c->probe));
	tls_feed(&t->env, c, f, dir, p + k, n - k);
	return true;
}

bool
tls_pipe_data(struct tls_pipe *t, struct flow *f, int dir, const uint8_t *p,
	      size_t n)
{
	struct tls_conn *c = f->tls;

	if (c == NOT_TLS)
		return false;
	if (!c && n >= 6) {
		if (!tls_looks_like_start(p, n) ||
		    !(c = f->tls = tls_conn_new())) {
			f->tls = NOT_TLS;
			return false;
		}
		c->nprobe = PROBE_DONE;
		t->flows++;
	} else if (!c || c->nprobe != PROBE_DONE) {
		return probe(t, f, dir, p, n);
	}
	t->frame_bytes = true;
	tls_feed(&t->env, c, f, dir, p, n);
	return true;
}

bool
tls_pipe_gap(struct tls_pipe *t, struct flow *f, int dir)
{
	if (!f->tls || f->tls == NOT_TLS)
		return false;
	tls_gap(&t->env, f->tls, dir);
	return true;
}

void
tls_pipe_release(struct tls_pipe *t, struct flow *f)
{
	if (f->tls && f->tls != NOT_TLS) {
		/* a key that came after the flow's last record */
		tls_flush(&t->env, f->tls, f);
		tls_conn_free(&t->env, f->tls);
	}
	f->tls = NOT_TLS;
}

const struct tls_session *
tls_flow_session(const struct flow *f)
{
	if (!f || !f->tls || f->tls == NOT_TLS)
		return NULL;
	return &((const struct tls_conn *)f->tls)->s;
}

const char *
tls_pipe_frame_proto(const struct tls_pipe *t)
{
	const char *p;

	if (!t || !t->frame_records)
		return NULL;
	p = tls_version_proto(t->frame_ver);
	return p ? p : "TLS";
}

const char *
tls_pipe_frame_info(const struct tls_pipe *t, const struct dissect *ds)
{
	if (!t || !t->frame_records)
		return NULL;
	if (t->frame_plain && ds->frame_pdu && !ds->frame_msgs)
		return "[TLS segment of a reassembled PDU]";
	return t->info.len ? t->info.data : NULL;
}

bool
tls_pipe_frame_pdu(const struct tls_pipe *t, const struct dissect *ds)
{
	return t && t->frame_bytes && !t->frame_records && !ds->frame_msgs;
}

void
tls_pipe_free(struct tls_pipe *t)
{
	if (!t)
		return;
	buf_free(&t->info);
	free(t);
}
