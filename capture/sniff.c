/*
 * sniff.c - the sniffer's modes (see sniff.h).
 *
 * Files: pass 1 builds the frame index and the HTTP records, pass 2
 * decodes again and prints with the pairing known (tshark -2).  A plain
 * summary needs nothing from the future, so it takes one pass.  Live: one
 * pass, frames saved to a pcap as they arrive, output flushed after each
 * batch, stopped by -c, -a duration:, a signal or the end of COMMAND.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "print_fields.h"
#include "sniff_impl.h"

/* Records kept by one-pass output (pairing needs only recent ones). */
#define SNIFF_RECORD_RING (1u << 16)
#define SNIFF_FRAME_RING (1u << 20)	/* 24 MiB of index at most */

static volatile sig_atomic_t sniff_stop;

static void
on_signal(int sig)
{
	(void)sig;
	sniff_stop = 1;
}

void
sniff_flush(struct sniff *s, bool force)
{
	if (!s->out.len || (!force && s->out.len < 65536))
		return;
	fwrite(s->out.data, 1, s->out.len, s->o->out);
	buf_reset(&s->out);
	if (force)
		fflush(s->o->out);
}

static bool needs_two_passes(const struct sniff_opts *o);

/* Does -e name a field only a kept body shows? */
static bool
tfields_bodies(const struct tfields *tf)
{
	for (size_t k = 0; tf && k < tf->n; k++)
		if (frame_tree_body_field(tf->field[k]))
			return true;
	return false;
}

/* (Re)start the session's decoders for a pass. */
static int
setup_decoders(struct sniff *s)
{
	const struct sniff_opts *o = s->o;

	/* bodies are kept only for the outputs that show them (--json
	 * measures a gzip body after decompression) and the filters that
	 * look into them */
	if (cap_session_start(&s->ss, s->printing && (o->verbose || o->har ||
			      o->hex || o->follow_http || o->json ||
			      frame_tree_needs_bodies(o->filter) ||
			      tfields_bodies(o->tf)) ?
			      (1u << 20) : 0) < 0) {
		fprintf(stderr, "%s: %s\n", o->prog, s->ss.err);
		return -1;
	}
	return 0;
}

/* -Z: give up root through the command layer's hook (cli/proc.c). */
static int
drop_root(const struct sniff_opts *o)
{
	char err[256];

	if (!o->proc || !o->proc->drop ||
	    o->proc->drop(o->proc->ctx, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "%s: %s\n", o->prog, err);
	return -1;
}

/* -w for a file source, or --pcapng for either. */
static int
open_writer(struct sniff *s)
{
	const struct sniff_opts *o = s->o;

	if (!o->write || (s->ss.cap.live && !o->pcapng))
		return 0;
	if (o->pcapng) {
		s->wng = pcapng_open(o->write, s->ss.cap.dlt, 262144);
		if (s->wng)
			return 0;
	} else {
		s->dead = pcap_dl.open_dead_with_tstamp_precision(
			s->ss.cap.dlt, 262144, s->ss.cap.nsec ?
			PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
		s->wdump = s->dead ? pcap_dl.dump_open(s->dead, o->write) : NULL;
		if (s->wdump)
			return 0;
	}
	fprintf(stderr, "%s: cannot write '%s': %s\n", o->prog, o->write,
		strerror(errno ? errno : EIO));
	return -1;
}

void
sniff_write_frame(struct sniff *s, const struct pcap_pkthdr *h,
		  const uint8_t *d)
{
	if (s->wdump)
		pcap_dl.dump((u_char *)s->wdump, h, d);
	if (s->wng)
		pcapng_write(s->wng, h, d, s->ss.cap.nsec);
}

/* One pass over a file; returns -1 on a read error (reported). */
static int
file_pass(struct sniff *s, bool write)
{
	struct pcap_pkthdr *h;
	const uint8_t *d;
	int r;

	while ((!s->o->count || (long)s->ss.p.no < s->o->count) &&
	       (r = cap_next(&s->ss.cap, &h, &d)) == 1) {
		if (write)
			sniff_write_frame(s, h, d);
		sniff_frame(s, h, d);
	}
	sniff_finish(s);
	if (s->o->count && (long)s->ss.p.no >= s->o->count)
		return 0;
	if (r < 0) {
		if (s->printing)
			fprintf(stderr, "%s: '%s' is damaged after frame %u: %s\n",
				s->o->prog, s->o->read, s->ss.p.no, s->ss.cap.err);
		return -1;
	}
	return 0;
}

static bool
needs_two_passes(const struct sniff_opts *o)
{
	/* -Y, -T fields: a request's fields name its response's frame, as
	 * tshark -2 */
	return o->verbose || o->json || o->stats || o->har || o->filter ||
	       o->tf;
}

static enum exit_code
run_file(struct sniff *s)
{
	const struct sniff_opts *o = s->o;
	int bad = 0;

	if (cap_session_open_file(&s->ss, o->read, o->bpf) < 0) {
		fprintf(stderr, "%s: %s\n", o->prog, s->ss.err);
		return EXIT_FAIL;
	}
	if (open_writer(s) < 0)
		return EXIT_FAIL;
	/* decoding a hostile file needs no root either (as tcpdump -r) */
	if (geteuid() == 0) {
		if (cap_detach_path(&s->ss.cap) < 0) {
			fprintf(stderr, "%s: %s\n", o->prog, s->ss.cap.err);
			return EXIT_FAIL;
		}
		if (drop_root(o) < 0)
			return EXIT_FAIL;
	}
	if (needs_two_passes(o)) {
		s->printing = false;
		if (setup_decoders(s) < 0)
			return EXIT_FAIL;
		/* -Y -w: what matched (and its segments) is written after */
		s->wfilt = o->write && o->filter;
		bad |= file_pass(s, !s->wfilt);
		if (cap_session_rewind(&s->ss) < 0) {
			fprintf(stderr, "%s: %s\n", o->prog, s->ss.err);
			return EXIT_FAIL;
		}
		s->printing = true;
		if (setup_decoders(s) < 0 || (s->wfilt &&
		    wfilter_init(&s->wf, s->ss.cap.nframes) < 0))
			return EXIT_FAIL;
		bad |= file_pass(s, false);
		if (s->wfilt && wfilter_write(&s->wf, s) < 0)
			bad = 1;
	} else {
		/* one pass: only recent records and frames are looked at
		 * (the rings of sniff_run) */
		s->printing = true;
		if (setup_decoders(s) < 0)
			return EXIT_FAIL;
		bad |= file_pass(s, true);
	}
	sniff_flush(s, true);
	return bad ? EXIT_FAIL : EXIT_OK;
}

static void
live_handler(u_char *ctx, const struct pcap_pkthdr *h, const u_char *d)
{
	struct sniff *s = (struct sniff *)ctx;

	if (s->o->count && (long)s->ss.p.no >= s->o->count)
		return;
	cap_save(&s->ss.cap, h, d);
	if (s->wng)
		pcapng_write(s->wng, h, d, s->ss.cap.nsec);
	sniff_frame(s, h, d);
}

/* Read until -c, -a, a signal, or COMMAND ends (then drain briefly). */
static void
live_loop(struct sniff *s, bool child, int *cmd_status)
{
	const struct sniff_proc *pr = s->o->proc;
	const struct sniff_opts *o = s->o;
	double start = clock_now(), drain_until = 0, flushed = start;
	struct pollfd pfd = { .fd = pcap_dl.get_selectable_fd(s->ss.cap.pc),
			      .events = POLLIN };

	while (!sniff_stop) {
		double t = clock_now();
		int wait_ms = 100;

		if (o->duration > 0 && t - start >= o->duration)
			break;
		if (drain_until > 0 && t >= drain_until)
			break;
		if (o->duration > 0 && (o->duration - (t - start)) * 1000 < wait_ms)
			wait_ms = (int)((o->duration - (t - start)) * 1000) + 1;
		poll(&pfd, 1, wait_ms);
		/* under load, write output in large pieces; idle, at once */
		if (pcap_dl.dispatch(s->ss.cap.pc, -1, live_handler,
				     (u_char *)s) <= 0 ||
		    clock_now() - flushed > 0.1) {
			sniff_flush(s, true);
			flushed = clock_now();
		}
		if (o->count && (long)s->ss.p.no >= o->count)
			break;
		if (child && drain_until == 0 &&
		    (*cmd_status = pr->ended(pr->ctx)) >= 0)
			drain_until = clock_now() + 0.2;
	}
	pcap_dl.dispatch(s->ss.cap.pc, -1, live_handler, (u_char *)s);
	if (child && drain_until == 0)
		*cmd_status = pr->stop(pr->ctx);
}

static enum exit_code
run_live(struct sniff *s, int *cmd_status)
{
	const struct sniff_opts *o = s->o;
	struct cap_live_opts lo = {
		.iface = o->iface, .snaplen = o->snaplen,
		.buffer_mib = o->buffer_mib, .bpf = o->bpf,
		.save = o->pcapng ? NULL : o->write,
		.immediate = isatty(fileno(o->out)),
	};
	struct sigaction sa;
	struct pcap_stat ps;
	const struct sniff_proc *pr = o->proc;
	bool child = o->command && pr && pr->start && pr->ended && pr->stop;

	if (cap_session_open_live(&s->ss, &lo) < 0) {
		fprintf(stderr, "%s: %s\n", o->prog, s->ss.err);
		return EXIT_FAIL;
	}
	if (open_writer(s) < 0)
		return EXIT_FAIL;
	if (child && pr->start(pr->ctx) < 0)
		return EXIT_FAIL;
	if (drop_root(o) < 0) {
		if (child)
			pr->stop(pr->ctx);
		return EXIT_FAIL;
	}
	fprintf(stderr, "Capturing on '%s'\n", o->iface ? o->iface : "lo");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	s->printing = true;
	if (setup_decoders(s) < 0)
		return EXIT_FAIL;
	live_loop(s, child, cmd_status);
	sniff_finish(s);
	sniff_flush(s, true);
	fprintf(stderr, "%u packet%s captured\n", s->ss.p.no,
		s->ss.p.no == 1 ? "" : "s");
	if (pcap_dl.stats(s->ss.cap.pc, &ps) == 0)
		fprintf(stderr, "%u packet%s dropped by the kernel\n", ps.ps_drop,
			ps.ps_drop == 1 ? "" : "s");
	return EXIT_OK;
}

enum exit_code
sniff_run(const struct sniff_opts *o, int *cmd_status)
{
	struct sniff s;
	enum exit_code r;
	bool two = o->read && needs_two_passes(o);
	struct cap_session_opts so = {
		.flow_mem = o->flow_mem, .total_mem = o->total_mem,
		.keep_heads = o->har || o->stats || o->verbose,
		/* one pass: only recent records and frames are looked at */
		.record_ring = two ? 0 : SNIFF_RECORD_RING,
		.frame_ring = two ? 0 : SNIFF_FRAME_RING,
		/* "Reassembled in frame N" of a fragment needs pass 1 */
		.frag_history = two,
		.keylog = o->keylog,
		.keylog_live = !o->read,
		/* a filter without tcp.* fields needs none of it */
		.pdus = o->verbose || o->tf ||
			(filter_layers(o->filter) & FILTER_L_TRANSPORT),
	};

	memset(&s, 0, sizeof(s));
	s.o = o;
	cap_session_init(&s.ss, &so, &sniff_hooks, &s);
	/* -Y alone: the app nodes only serve the filter, if it asks */
	s.app_nodes = o->hex || o->verbose || o->tf ||
		      frame_tree_app_needed(o->filter);
	s.ft.nolabels = !o->hex && !o->verbose && !o->tf &&
			!frame_tree_labels_needed(o->filter);
	s.fo.stream = o->follow;
	s.fo.http = o->follow_http;
	s.quiet = o->follow >= 0 || o->stats || o->ladder || o->quiet;
	if (o->zstat) {
		memcpy(s.z.kind, o->zstat->kind, sizeof(s.z.kind));
		s.z.n = o->zstat->n;
	}
	s.z.conns = o->stats;	/* --stats' connection table */
	ladder_init(&s.lad);
	*cmd_status = -1;
	if (o->har && har_open(&s.har, o->har) < 0) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", o->prog, o->har,
			strerror(errno));
		cap_session_close(&s.ss);
		return EXIT_FAIL;
	}
	if (o->tf)
		tfields_header(o->tf, &s.out);
	r = o->read ? run_file(&s) : run_live(&s, cmd_status);
	if (o->tf)
		tfields_end(o->tf, s.shown > 0, &s.out);
	if (o->follow >= 0 && !follow_end(&s.fo, &s.out) && r == EXIT_OK)
		fprintf(stderr, "%s: no TCP stream %ld in the capture\n", o->prog,
			o->follow);
	if (o->stats && (r == EXIT_OK || s.ss.p.no > 0)) {	/* what was read */
		stats_print(&s.st, &s.out);
		if (zstat_print_conns(&s.z, &s.out) < 0 && r == EXIT_OK) {
			fprintf(stderr, "%s: out of memory for the connection "
				"table\n", o->prog);
			r = EXIT_FAIL;
		}
	}
	if (o->ladder && (r == EXIT_OK || s.ss.p.no > 0) &&
	    ladder_print(&s.lad, &s.out, 14) < 0 && r == EXIT_OK) {
		fprintf(stderr, "%s: out of memory for the ladder\n", o->prog);
		r = EXIT_FAIL;
	}
	ladder_free(&s.lad);
	if (s.z.n && (r == EXIT_OK || s.ss.p.no > 0) &&
	    zstat_print(&s.z, &s.out) < 0 && r == EXIT_OK) {
		fprintf(stderr, "%s: out of memory for the -z tables\n", o->prog);
		r = EXIT_FAIL;
	}
	zstat_free(&s.z);
	sniff_flush(&s, true);
	if (har_close(&s.har, &s.ss.rs, &s.ss.cap) < 0 && r == EXIT_OK) {
		fprintf(stderr, "%s: cannot write '%s'\n", o->prog, o->har);
		r = EXIT_FAIL;
	}
	stats_free(&s.st);
	wfilter_free(&s.wf);
	if (s.wdump)
		pcap_dl.dump_close(s.wdump);
	if (s.dead)
		pcap_dl.close(s.dead);
	if (pcapng_close(s.wng) < 0 && r == EXIT_OK) {
		fprintf(stderr, "%s: cannot write '%s'\n", o->prog, o->write);
		r = EXIT_FAIL;
	}
	buf_free(&s.out);
	buf_free(&s.info);
	frame_tree_free(&s.ft);
	cap_session_close(&s.ss);
	return r;
}
