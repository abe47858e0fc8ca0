/*
 * tls_fuzz.c - libFuzzer harness for the TLS record layer, handshake
 * parsing, tree nodes and decryption (capture/tls.c, tls_tree.c,
 * tls_decrypt.c).
 *
 * Input: byte 0 picks how the rest is cut into pieces (1..16 bytes, or
 * whole) and whether the pieces alternate between the client and the
 * server; the rest is the stream.  A key log holds TLS 1.2 and 1.3
 * secrets for the client random 01..01 (the seeds' hellos use it), so
 * garbage that gets past a hello reaches the decrypters too.  Every
 * record is rendered as tree nodes and Info text.  Oracle: records of a
 * direction are reported at contiguous stream offsets (header + length
 * each) until the direction is given up; nothing leaks (LeakSanitizer).
 * Bit 0x20 of byte 0: live mode, where the secrets reach the key log only
 * halfway through the input, so records are held for them (bounded) and
 * replayed once they come.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "capture/keylog.h"
#include "capture/tls.h"
#include "capture/tls_tree.h"

static struct keylog kl, late;	/* late: live mode's, filled halfway */
static struct tls_env env;
static uint64_t next_off[2];
static bool dead[2];
static size_t nodes;

static void
node(void *ctx, const struct tls_node *n)
{
	(void)ctx;
	nodes += strlen(n->label) + n->len;
}

static const struct tls_tree_cb tree_cb = { node };

static void
on_record(void *ctx, void *flow, const struct tls_record *r)
{
	struct buf info = BUF_INIT;
	const struct tls_conn *c = flow;

	(void)ctx;
	assert(!dead[r->dir]);
	assert(r->off == next_off[r->dir]);
	if (r->bad) {
		dead[r->dir] = true;
	} else {
		next_off[r->dir] += 5u + r->len;
		if (r->dec == TLS_DECRYPTED)
			assert(r->plain_len <= r->len);
	}
	tls_tree_record(r, &c->s, &tree_cb, NULL);
	tls_record_info(r, &info);
	buf_free(&info);
}

static void
on_app(void *ctx, void *flow, int dir, const uint8_t *p, size_t n)
{
	(void)ctx; (void)flow; (void)dir;
	assert(n <= TLS_RECORD_MAX + 256);
	nodes += p[0] + p[n - 1];
}

static const struct tls_cb cb = { on_record, on_app };

static const char *lines[] = {
	"CLIENT_RANDOM 0101010101010101010101010101010101010101010101010101010101010101 "
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f",
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 0101010101010101010101010101010101010101010101010101010101010101 "
	"4242424242424242424242424242424242424242424242424242424242424242",
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 0101010101010101010101010101010101010101010101010101010101010101 "
	"4343434343434343434343434343434343434343434343434343434343434343",
	"CLIENT_TRAFFIC_SECRET_0 0101010101010101010101010101010101010101010101010101010101010101 "
	"444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444",
	"SERVER_TRAFFIC_SECRET_0 0101010101010101010101010101010101010101010101010101010101010101 "
	"4545454545454545454545454545454545454545454545454545454545454545",
};

static void
add_lines(struct keylog *k)
{
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		keylog_add_line(k, lines[i], strlen(lines[i]));
}

static void
setup(void)
{
	keylog_open(&kl, NULL);
	add_lines(&kl);
	keylog_open(&late, NULL);
	env.cb = &cb;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct tls_conn *c;
	size_t step, i;
	bool alternate, live, added = false;
	int dir = 0;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 1)
		return 0;
	step = data[0] & 0x0f;
	alternate = data[0] & 0x10;
	live = data[0] & 0x20;
	keylog_free(&late);
	keylog_open(&late, NULL);
	env.kl = live ? &late : &kl;
	env.refresh = live;
	env.held_max = 1u << 16;
	data++;
	size--;
	c = tls_conn_new();
	if (!c)
		return 0;
	memset(next_off, 0, sizeof(next_off));
	memset(dead, 0, sizeof(dead));
	for (i = 0; i < size;) {
		size_t n = step ? step : size;

		if (n > size - i)
			n = size - i;
		if (live && !added && i >= size / 2) {
			add_lines(&late);	/* the keys come late */
			added = true;
		}
		tls_feed(&env, c, c, dir, data + i, n);
		i += n;
		if (alternate)
			dir = !dir;
	}
	tls_flush(&env, c, c);
	tls_conn_free(&env, c);
	assert(env.held == 0);
	return 0;
}
