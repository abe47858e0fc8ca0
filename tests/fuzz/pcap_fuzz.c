/*
 * pcap_fuzz.c - libFuzzer harness for a whole `httptool sniff -r` pass:
 * capture file reading, the frame index, every decoder, reassembly, the
 * HTTP dissector, records and the printer the options pick.
 *
 * The first input byte picks the options (like the command line would):
 * bit 0 -V, bit 1 -T json, bit 2 -x, bit 3 --follow 0 (bit 4 makes it
 * --follow-http 0), bit 5 --stats, bit 6 --har, bit 7 tiny reassembly
 * limits.  The rest is the capture file (pcap or pcapng), written to a
 * memfd and opened by name as sniff -r would.  Output goes to /dev/null.
 * Seeds are the golden captures of tests/data/sniff/ behind a zero byte.
 * PCAP_FUZZ_MASK=0xNN in the environment clears option bits, to keep
 * fuzzing past a known finding until it is fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/print.h"
#include "capture/sniff.h"

static FILE *devnull;
static unsigned mask = 0xff;

static void
opts_from(uint8_t b, struct sniff_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->prog = "pcap_fuzz";
	o->follow = -1;
	o->expand = EXPAND_ALL;
	o->out = devnull;
	o->verbose = b & 1;
	o->json = b & 2;
	o->hex = b & 4;
	if (b & 8) {
		o->follow = 0;
		o->follow_http = b & 16;
	}
	o->stats = b & 32;
	if (b & 64)
		o->har = "/dev/null";
	if (b & 128) {
		o->flow_mem = 300;
		o->total_mem = 1000;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sniff_opts o;
	char path[64];
	int fd, st;

	if (size < 1)
		return 0;
	if (!devnull) {
		const char *m = getenv("PCAP_FUZZ_MASK");

		if (!(devnull = fopen("/dev/null", "w")))
			abort();
		if (m)
			mask = ~(unsigned)strtoul(m, NULL, 0) & 0xff;
	}
	fd = memfd_create("pcap_fuzz", 0);
	if (fd < 0)
		abort();
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	opts_from(data[0] & mask, &o);
	o.read = path;
	(void)sniff_run(&o, &st);
	close(fd);
	return 0;
}
