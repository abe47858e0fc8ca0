/*
 * test_capture_source.c - the frame index: every frame read back by its
 * offset equals the frame as first read, for pcap, pcapng (converted to a
 * temporary pcap) and with a BPF filter skipping records.  Runs from the
 * top of the tree, like `make test` does.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"
#include "unit.h"

static void
check_readback(const char *path, const char *bpf, size_t want_frames)
{
	struct capture c;
	struct pcap_pkthdr *h;
	const uint8_t *d;
	uint8_t *copy[64], buf[65536];
	size_t n = 0, i;

	if (!CHECK(cap_open_file(&c, path, bpf) == 0))
		return;
	while (n < 64 && cap_next(&c, &h, &d) == 1) {
		copy[n] = malloc(h->caplen);
		memcpy(copy[n], d, h->caplen);
		n++;
	}
	CHECK_EQ(n, want_frames);
	CHECK_EQ(c.nframes, n);
	for (i = n; i-- > 0;) {	/* backwards: really seeking */
		long got = cap_read_frame(&c, i, buf, sizeof(buf));

		CHECK_EQ(got, c.frames[i].caplen);
		CHECK(got > 0 && memcmp(buf, copy[i], (size_t)got) == 0);
		free(copy[i]);
	}
	CHECK_EQ(cap_read_frame(&c, n, buf, sizeof(buf)), -1);
	cap_close(&c);
}

TEST(source_index_reads_frames_back)
{
	check_readback("tests/data/sniff/pipelined.pcap", NULL, 19);
	check_readback("tests/data/sniff/python-server.pcapng", NULL, 60);
	check_readback("tests/data/sniff/pipelined.pcap", "tcp[13] & 8 != 0", 7);
}

TEST(source_reports_missing_and_cut_files)
{
	struct capture c;
	struct pcap_pkthdr *h;
	const uint8_t *d;
	int r, n = 0;

	CHECK(cap_open_file(&c, "tests/data/sniff/nope.pcap", NULL) < 0);
	CHECK(strstr(c.err, "cannot open") != NULL);
	cap_close(&c);
	if (!CHECK(cap_open_file(&c, "tests/data/sniff/cut.pcap", NULL) == 0))
		return;
	while ((r = cap_next(&c, &h, &d)) == 1)
		n++;
	CHECK_EQ(r, -1);
	CHECK(n > 0);
	cap_close(&c);
}

TEST(source_ring_index_forgets_old_frames)
{
	struct capture c;
	struct pcap_pkthdr *h;
	const uint8_t *d;
	uint8_t buf[65536];
	size_t n = 0;

	if (!CHECK(cap_open_file(&c, "tests/data/sniff/pipelined.pcap",
				 NULL) == 0))
		return;
	c.ring = 4;
	while (cap_next(&c, &h, &d) == 1)
		n++;
	CHECK_EQ(n, 19);
	CHECK_EQ(c.nframes, 19);
	CHECK(c.cap <= 4);
	CHECK(cap_frame(&c, 14) == NULL);
	CHECK(cap_frame(&c, 15) != NULL);
	CHECK_EQ(cap_frame(&c, 18)->caplen, 54);
	CHECK_EQ(cap_read_frame(&c, 18, buf, sizeof(buf)), 54);
	CHECK_EQ(cap_read_frame(&c, 3, buf, sizeof(buf)), -1);
	cap_close(&c);
}
