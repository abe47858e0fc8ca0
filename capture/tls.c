/*
 * tls.c - the TLS record layer on a reassembled TCP stream, handshake
 * facts, and decryption with key logs (see tls.h).
 *
 * A record (RFC 8446 5.1, RFC 5246 6.2):
 *
 *   +------+---------+--------+---------------------+
 *   | type | version | length | fragment (length)   |
 *   |  1   |    2    |   2    |                     |
 *   +------+---------+--------+---------------------+
 *
 * A handshake message (RFC 8446 4): type(1) length(3) body; messages run
 * on across records and several share one record.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "tls.h"

#define REC_MAX (16384 + 2048)		/* largest fragment we accept */
#define HS_MAX (128u * 1024)		/* largest handshake message kept */

/* SHA-256("HelloRetryRequest"), a ServerHello's random in an HRR */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

bool
tls_looks_like(const uint8_t *p, size_t n)
{
	if (n < 3 || p[0] < TLS_CT_CCS || p[0] > TLS_CT_HEARTBEAT ||
	    p[1] != 3 || p[2] > 4)
		return false;
	return n < 5 || (size_t)(p[3] << 8 | p[4]) <= REC_MAX;
}

bool
tls_looks_like_start(const uint8_t *p, size_t n)
{
	size_t len;

	if (n < 6 || !tls_looks_like(p, n) || p[2] == 0)
		return false;
	len = (size_t)(p[3] << 8 | p[4]);
	switch (p[0]) {
	case TLS_CT_HANDSHAKE:	/* a ClientHello or ServerHello */
		return (p[5] == 1 || p[5] == 2) && len >= 38;
	case TLS_CT_APPDATA:
		return p[2] == 3 && len >= 17;
	case TLS_CT_ALERT:
		return len == 2 || len >= 18;
	}
	return false;
}

struct tls_conn *
tls_conn_new(void)
{
	return calloc(1, sizeof(struct tls_conn));
}

void
tls_conn_free(struct tls_env *e, struct tls_conn *c)
{
	int i;

	if (!c)
		return;
	for (i = 0; i < 2; i++) {
		e->held -= c->d[i].held.len;
		buf_free(&c->d[i].held);
		buf_free(&c->d[i].rec);
		buf_free(&c->d[i].hs);
		tls_rdec_free(&c->d[i].rd);
	}
	free(c);
}

uint16_t
tls_show_version(const struct tls_session *s, uint16_t rec)
{
	return s->version ? s->version : rec;
}

/* Copy at most cap-1 bytes of p as a C string, NUL-terminated. */
static void
copy_str(char *dst, size_t cap, const uint8_t *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* The first protocol of an ALPN extension body. */
static void
ext_alpn(struct tls_session *s, struct cursor c)
{
	uint8_t l;

	get_be16(&c);
	l = get_u8(&c);
	if (cur_left(&c) >= l && l)
		copy_str(s->alpn, sizeof(s->alpn), c.p, l);
}

static void
ext_sni(struct tls_session *s, struct cursor c)
{
	uint16_t l;

	get_be16(&c);
	if (get_u8(&c) != 0)
		return;
	l = get_be16(&c);
	if (!c.err && cur_left(&c) >= l)
		copy_str(s->sni, sizeof(s->sni), c.p, l);
}

/* Walk a hello's extensions (c at the 2-byte list length). */
static void
hello_exts(struct tls_session *s, struct cursor c, bool server)
{
	size_t n = get_be16(&c);

	if (c.err || !cur_narrow(&c, n))
		return;
	while (cur_left(&c) >= 4) {
		uint16_t type = get_be16(&c), len = get_be16(&c);
		struct cursor x = c;

		if (!cur_narrow(&x, len))
			return;
		cur_skip(&c, len);
		if (type == 0 && !server)
			ext_sni(s, x);
		else if (type == 16 && server)
			ext_alpn(s, x);
		else if (type == 22)
			server ? (void)(s->etm = s->etm_offered)
			       : (void)(s->etm_offered = true);
		else if (type == 43 && server && len == 2)
			s->version = get_be16(&x);
		else if (type == 41 && server)
			s->resumed_psk = true;
	}
}

static void
client_hello(struct tls_session *s, struct cursor c)
{
	get_be16(&c);
	get_bytes(&c, s->cr, 32);
	cur_skip(&c, get_u8(&c));
	cur_skip(&c, get_be16(&c));
	cur_skip(&c, get_u8(&c));
	if (c.err)
		return;
	s->have_cr = true;
	s->sni[0] = '\0';
	hello_exts(s, c, false);
}

static void
server_hello(struct tls_session *s, struct cursor c)
{
	uint8_t rnd[32];
	uint16_t v = get_be16(&c);

	get_bytes(&c, rnd, 32);
	cur_skip(&c, get_u8(&c));
	if (c.err)
		return;
	if (memcmp(rnd, hrr_random, 32) == 0) {
		/* HelloRetryRequest: only its supported_versions counts
		   (the client's CCS and second hello that follow are
		   TLS 1.3's, in clear) */
		char alpn[sizeof(s->alpn)];

		s->hrr = true;
		memcpy(alpn, s->alpn, sizeof(alpn));
		cur_skip(&c, 3);
		if (!c.err)
			hello_exts(s, c, true);
		memcpy(s->alpn, alpn, sizeof(alpn));
		return;
	}
	memcpy(s->sr, rnd, 32);
	s->have_sr = true;
	s->suite = get_be16(&c);
	get_u8(&c);
	s->version = v;
	s->etm = false;
	if (!c.err)
		hello_exts(s, c, true);
}

/* TLS 1.3: install dir's keys for its stage if the key log has them. */
static void
keys13(struct tls_env *e, struct tls_conn *c, int dir)
{
	struct tls_dir *d = &c->d[dir];
	enum keylog_label l;
	const uint8_t *sec;
	size_t len;

	if (d->rd.ctx || !e->kl || !c->s.have_cr)
		return;
	if (d->stage <= 1)
		l = dir ? KL_SERVER_HS : KL_CLIENT_HS;
	else
		l = dir ? KL_SERVER_TRAFFIC0 : KL_CLIENT_TRAFFIC0;
	sec = keylog_find(e->kl, l, c->s.cr, &len);
	if (!sec && e->refresh && keylog_refresh(e->kl) > 0)
		sec = keylog_find(e->kl, l, c->s.cr, &len);
	if (sec && tls13_keys(&d->rd, c->s.suite, sec, len) == 0 &&
	    d->stage == 0)
		d->stage = 1;
}

/* TLS 1.2: key both directions from the master secret. */
static void
keys12(struct tls_env *e, struct tls_conn *c)
{
	const uint8_t *ms;
	size_t len;

	if (c->d[0].rd.ctx || c->d[1].rd.ctx || !e->kl || !c->s.have_cr ||
	    !c->s.have_sr)
		return;
	ms = keylog_find(e->kl, KL_CLIENT_RANDOM, c->s.cr, &len);
	if (!ms && e->refresh && keylog_refresh(e->kl) > 0)
		ms = keylog_find(e->kl, KL_CLIENT_RANDOM, c->s.cr, &len);
	if (ms && tls12_keys(ms, c->s.cr, c->s.sr, c->s.suite,
			     c->s.version, c->s.etm, &c->d[0].rd,
			     &c->d[1].rd) < 0) {
		tls_rdec_free(&c->d[0].rd);
		tls_rdec_free(&c->d[1].rd);
	}
}

/* One whole handshake message m[0..n) of dir (header included). */
static void
hs_message(struct tls_env *e, struct tls_conn *c, int dir,
	   const uint8_t *m, size_t n)
{
	struct cursor cur;
	struct tls_dir *d = &c->d[dir];

	cur_init(&cur, m + 4, n - 4);
	switch (m[0]) {
	case 1:
		if (dir == 0)
			client_hello(&c->s, cur);
		break;
	case 2:
		if (dir == 1)
			server_hello(&c->s, cur);
		break;
	case 8:		/* EncryptedExtensions: ALPN in TLS 1.3 */
		if (get_be16(&cur) + 2u == n - 4) {
			cur_init(&cur, m + 4, n - 4);
			hello_exts(&c->s, cur, true);
		}
		break;
	case 20:	/* Finished: TLS 1.3 switches to application keys */
		if (c->s.version == 0x0304 && d->stage == 1) {
			tls_rdec_free(&d->rd);
			d->stage = 2;
			keys13(e, c, dir);
		}
		break;
	case 24:	/* KeyUpdate */
		if (c->s.version == 0x0304 && d->rd.ctx) {
			tls13_key_update(&d->rd);
			c->s.key_updates++;
		}
		break;
	}
}

/* Handshake bytes of dir, in order: split into messages. */
static void
hs_bytes(struct tls_env *e, struct tls_conn *c, int dir, const uint8_t *p,
	 size_t n)
{
	struct tls_dir *d = &c->d[dir];

	while (n > 0) {
		size_t have, need;
		const uint8_t *m;

		if (d->hs_skip) {
			size_t k = n < d->hs_skip ? n : d->hs_skip;

			d->hs_skip -= (uint32_t)k;
			p += k;
			n -= k;
			continue;
		}
		if (buf_append(&d->hs, p, n) < 0)
			return;
		p += n;
		n = 0;
		for (;;) {
			have = d->hs.len - d->hs.off;
			m = (const uint8_t *)d->hs.data + d->hs.off;
			if (have < 4)
				break;
			need = 4 + ((size_t)m[1] << 16 | m[2] << 8 | m[3]);
			if (need > HS_MAX) {	/* have < need here */
				d->hs_skip = (uint32_t)(need - have);
				buf_reset(&d->hs);
				break;
			}
			if (have < need)
				break;
			hs_message(e, c, dir, m, need);
			buf_consume(&d->hs, need);
		}
		if (d->hs.off == d->hs.len)
			buf_reset(&d->hs);
		else
			buf_compact(&d->hs);
	}
}

/* Is this record of dir protected? */
static bool
protected(const struct tls_conn *c, int dir, uint8_t type)
{
	if (c->s.version == 0x0304)
		return type == TLS_CT_APPDATA;
	if (c->d[dir].ccs)
		return type != TLS_CT_CCS;
	/* application data with no handshake seen: a capture that started
	   mid-connection */
	return type == TLS_CT_APPDATA;
}

static void
decrypt(struct tls_env *e, struct tls_conn *c, struct tls_record *r)
{
	struct tls_dir *d = &c->d[r->dir];
	long n;

	if (c->s.version == 0x0304)
		keys13(e, c, r->dir);
	else if (d->ccs)
		keys12(e, c);
	if (!d->rd.ctx) {
		r->dec = TLS_NOKEY;
		c->s.no_keys = true;
		return;
	}
	n = tls_rdec_record(&d->rd, r->rec, r->rec + 5, r->len, e->plain,
			    &r->inner_type);
	if (n < 0) {
		r->dec = TLS_BADKEY;
		e->failed++;
		return;
	}
	r->dec = TLS_DECRYPTED;
	r->plain = e->plain;
	r->plain_len = (size_t)n;
	e->decrypted++;
}

/*
 * Live capture: a protected record whose key is not in the key log yet
 * (a client writes a TLS 1.3 server's handshake secret only after that
 * server's first flight went by) waits, with every later record of its
 * direction, until the key is there.  All connections together hold at
 * most e->held_max bytes; a direction that would pass it gives up (its
 * sequence numbers are lost) and stays undecrypted.  True when held.
 */
static bool
hold(struct tls_env *e, struct tls_conn *c, int dir, const uint8_t *rec)
{
	struct tls_dir *d = &c->d[dir];
	size_t n = 5 + (size_t)(rec[3] << 8 | rec[4]);

	if (!e->refresh || !e->kl || d->no_hold)
		return false;
	if (!d->held.len && e->kl)
		c->held_gen = e->kl->generation;
	if (e->held + n > e->held_max || buf_append(&d->held, rec, n) < 0) {
		e->held -= d->held.len;
		buf_free(&d->held);
		d->no_hold = true;
		return false;
	}
	e->held += n;
	return true;
}

static void process(struct tls_env *e, struct tls_conn *c, void *flow,
		    int dir, const uint8_t *rec, uint64_t off, bool report);

/* Replay dir's held records if the key log has grown since they were
   held: decrypted now, they go on as if they had just arrived (their
   frames were shown already; what they carry counts for this one). */
static void
release(struct tls_env *e, struct tls_conn *c, void *flow)
{
	int dir;

	if (!c->d[0].held.len && !c->d[1].held.len)
		return;
	keylog_refresh(e->kl);
	if (e->kl->generation == c->held_gen)
		return;
	c->held_gen = e->kl->generation;
	/* the client's first: a request before its response */
	for (dir = 0; dir < 2; dir++) {
		struct buf b = c->d[dir].held;
		size_t i = 0;

		if (!b.len)
			continue;
		memset(&c->d[dir].held, 0, sizeof(b));
		e->held -= b.len;
		while (i + 5 <= b.len) {
			const uint8_t *h = (const uint8_t *)b.data + i;
			size_t n = 5 + (size_t)(h[3] << 8 | h[4]);

			e->released++;
			process(e, c, flow, dir, h, 0, false);
			i += n;
		}
		buf_free(&b);
	}
}

/* A complete record rec[0..5+len) of dir at stream offset off. */
static void
record(struct tls_env *e, struct tls_conn *c, void *flow, int dir,
       const uint8_t *rec, uint64_t off)
{
	release(e, c, flow);
	process(e, c, flow, dir, rec, off, true);
}

/* The record's work; report: tell the callback (not when replayed). */
static void
process(struct tls_env *e, struct tls_conn *c, void *flow, int dir,
	const uint8_t *rec, uint64_t off, bool report)
{
	struct tls_record r;
	uint8_t t;

	memset(&r, 0, sizeof(r));
	r.dir = dir;
	r.off = off;
	r.type = rec[0];
	r.version = (uint16_t)(rec[1] << 8 | rec[2]);
	r.len = (uint16_t)(rec[3] << 8 | rec[4]);
	r.rec = rec;
	r.inner_type = r.type;
	r.sni = c->s.sni;
	if (report)
		e->records++;
	if (protected(c, dir, r.type)) {
		/* behind held records it waits too: order is the key */
		if (c->d[dir].held.len)
			r.dec = TLS_NOKEY;
		else
			decrypt(e, c, &r);
		if (r.dec == TLS_NOKEY)
			hold(e, c, dir, rec);
	}
	t = r.dec == TLS_DECRYPTED ? r.inner_type : r.type;
	/* the client's hello first, so that its record knows the SNI */
	if (r.dec == TLS_PLAIN && t == TLS_CT_HANDSHAKE && dir == 0)
		hs_bytes(e, c, dir, rec + 5, r.len);
	/* the rest after reporting: the record is shown with the version
	   known before it (as tshark), and a message may change the keys */
	if (report && e->cb && e->cb->record)
		e->cb->record(e->ctx, flow, &r);
	if (r.dec == TLS_PLAIN && t == TLS_CT_CCS && c->s.version != 0x0304)
		c->d[dir].ccs = true;
	else if (r.dec == TLS_PLAIN && t == TLS_CT_HANDSHAKE && dir == 1)
		hs_bytes(e, c, dir, rec + 5, r.len);
	else if (r.dec == TLS_DECRYPTED && t == TLS_CT_HANDSHAKE)
		hs_bytes(e, c, dir, r.plain, r.plain_len);
	else if (r.dec == TLS_DECRYPTED && t == TLS_CT_APPDATA &&
		 r.plain_len && e->cb && e->cb->app_data)
		e->cb->app_data(e->ctx, flow, dir, r.plain, r.plain_len);
}

/* Garbage where a record header should be: give the direction up. */
static void
bad(struct tls_env *e, struct tls_conn *c, void *flow, int dir,
    const uint8_t *p, size_t n)
{
	struct tls_record r;

	memset(&r, 0, sizeof(r));
	r.dir = dir;
	r.off = c->d[dir].off;
	r.rec = p;
	r.len = (uint16_t)(n > 0xffff ? 0xffff : n);
	r.bad = true;
	c->d[dir].dead = true;
	buf_free(&c->d[dir].rec);
	if (e->cb && e->cb->record)
		e->cb->record(e->ctx, flow, &r);
}

static bool
header_ok(const uint8_t *h, size_t n)
{
	return tls_looks_like(h, n);
}

void
tls_feed(struct tls_env *e, struct tls_conn *c, void *flow, int dir,
	 const uint8_t *p, size_t n)
{
	struct tls_dir *d = &c->d[dir];

	while (n > 0 && !d->dead) {
		size_t have = d->rec.len, need, k;
		const uint8_t *h;

		if (have == 0 && n >= 5) {	/* fast path: in place */
			if (!header_ok(p, n)) {
				bad(e, c, flow, dir, p, n);
				return;
			}
			need = 5 + (size_t)(p[3] << 8 | p[4]);
			if (n >= need) {
				record(e, c, flow, dir, p, d->off);
				d->off += need;
				p += need;
				n -= need;
				continue;
			}
		}
		/* collect the header, then the fragment */
		need = 5;
		if (have >= 5) {
			h = (const uint8_t *)d->rec.data;
			need = 5 + (size_t)(h[3] << 8 | h[4]);
		}
		k = need - have < n ? need - have : n;
		if (buf_append(&d->rec, p, k) < 0)
			return;
		p += k;
		n -= k;
		h = (const uint8_t *)d->rec.data;
		if (d->rec.len == 5 && !header_ok(h, 5)) {
			bad(e, c, flow, dir, h, 5);
			return;
		}
		if (d->rec.len >= 5 &&
		    d->rec.len == 5 + (size_t)(h[3] << 8 | h[4])) {
			record(e, c, flow, dir, h, d->off);
			d->off += d->rec.len;
			buf_reset(&d->rec);
		}
	}
}

void
tls_flush(struct tls_env *e, struct tls_conn *c, void *flow)
{
	release(e, c, flow);
}

void
tls_gap(struct tls_env *e, struct tls_conn *c, int dir)
{
	(void)e;
	/* the record boundary is lost; without a way to find the next
	   header for sure, stop decoding this direction */
	buf_free(&c->d[dir].rec);
	c->d[dir].dead = true;
}
