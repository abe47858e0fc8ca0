/*
 * decode_fuzz.c - libFuzzer harness for the link, IPv4/IPv6 and TCP
 * decoders (capture/decode.c and one file per layer) and the printers
 * that read what they found.
 *
 * The first input byte picks the link type and how much of the frame was
 * "captured"; the rest is the frame, copied to an exact-size heap block so
 * a one-byte over-read trips ASan.  Every offset the decoders record must
 * stay inside the captured bytes; the summary line and the fully expanded
 * detail tree are then printed from the result.
 *
 * Bit 4 of the first byte feeds several frames through the IP fragment
 * table instead (capture/ipfrag.c, as the sniffer does): the rest is a
 * list of [2-byte big-endian length][frame] records, each decoded in turn
 * at a capture time one second apart, so reassembled datagrams, overlaps
 * and evictions are reached.
 */
#include <assert.h>
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ipfrag.h"
#include "capture/pkt.h"
#include "capture/print.h"

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP,
	DLT_RAW, DLT_IPV4, DLT_IPV6,
};

static void
check(const struct pkt *pk, uint32_t caplen)
{
	if (pk->frag_done) {	/* decoded from the reassembled copy */
		assert(pk->data == pk->frag_done->frame);
		caplen = pk->caplen;
	}
	assert(pk->link_len <= caplen);
	if (pk->ipver) {
		assert(pk->ipver == 4 || pk->ipver == 6);
		assert(pk->ip_off <= caplen);
	}
	if (pk->tcp) {
		assert(pk->tcp_off <= caplen);
		assert((uint32_t)pk->payload_off + pk->payload_len <= caplen);
		assert(pk->payload_len <= pk->payload_wire);
	}
}

static void
print(const struct pkt *pk, uint32_t caplen)
{
	struct frame_rec fr = { 0, 1, 2, caplen, pk->len };
	struct reasm_info ri;
	struct frame_view fv;
	struct buf out = BUF_INIT;

	memset(&ri, 0, sizeof(ri));
	memset(&fv, 0, sizeof(fv));
	fv.no = 1;
	fv.fr = &fr;
	fv.pk = pk;
	fv.ri = &ri;
	print_summary(&out, &fv);
	print_tree(&out, &fv, EXPAND_ALL);
	print_hex(&out, pk->data, pk->caplen);
	buf_free(&out);
}

/* Bit 4: [len][frame] records through a small fragment table. */
static void
several(int dlt, const uint8_t *data, size_t size)
{
	struct ipfrag *t = ipfrag_new(64 * 1024, true);
	uint32_t no = 0;
	int pass;

	if (!t)
		return;
	for (pass = 0; pass < 2; pass++) {	/* as sniff's two passes */
		size_t at = 0;

		no = 0;
		while (at + 2 <= size) {
			size_t n = (size_t)data[at] << 8 | data[at + 1];
			uint8_t *frame;
			struct pkt pk;

			at += 2;
			if (n > size - at)
				n = size - at;
			frame = malloc(n ? n : 1);
			if (!frame)
				break;
			memcpy(frame, data + at, n);
			at += n;
			no++;
			pkt_decode_defrag(&pk, t, no, (int64_t)no * 1000000000,
					  dlt, frame, (uint32_t)n, (uint32_t)n);
			check(&pk, (uint32_t)n);
			print(&pk, (uint32_t)n);
			free(frame);
		}
		ipfrag_restart(t);
	}
	ipfrag_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt pk;
	uint8_t *frame;
	uint32_t caplen, len;

	if (size < 1)
		return 0;
	if (data[0] & 0x10) {
		several(dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))],
			data + 1, size - 1);
		return 0;
	}
	caplen = (uint32_t)size - 1;
	/* bit 3: claim the wire frame was longer (snaplen cut) */
	len = (data[0] & 0x08) ? caplen + 1 + data[0] : caplen;
	frame = malloc(caplen ? caplen : 1);
	if (!frame)
		return 0;
	memcpy(frame, data + 1, caplen);
	memset(&pk, 0, sizeof(pk));
	pkt_decode(&pk, dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))],
		   frame, caplen, len);
	assert(pk.data == frame);
	check(&pk, caplen);
	print(&pk, caplen);
	free(frame);
	return 0;
}
