/*
 * pkt.h - one decoded frame: what the layer decoders found in it.
 *
 * pkt_decode() runs the link decoder chosen by the capture's DLT (the
 * { decoder, DLT } table in decode.c), then IPv4 or IPv6, then TCP, each
 * in its own file, each reading only through extract.h.  The struct holds
 * numbers and offsets into the frame's bytes, never pointers that outlive
 * them except data itself, which the caller owns.
 *
 * A layer cut short by the snaplen sets trunc to that layer (the printers
 * show "[|tcp]"); a layer that makes no sense sets invalid to a static
 * reason (printed "(invalid)").  Neither stops the frame from being shown.
 */
#ifndef HTTPTOOL_PKT_H
#define HTTPTOOL_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include "extract.h"

enum pkt_layer {
	LAYER_NONE = 0, LAYER_LINK, LAYER_IP, LAYER_TCP, LAYER_UDP,
};

enum pkt_link {
	LINK_UNKNOWN = 0, LINK_ETHER, LINK_SLL, LINK_SLL2, LINK_NULL,
	LINK_LOOP, LINK_RAW,
};

/* TCP flag bits as in the header's 12-bit field (RFC 9293 §3.1). */
enum {
	TCP_FIN = 0x001, TCP_SYN = 0x002, TCP_RST = 0x004, TCP_PSH = 0x008,
	TCP_ACK = 0x010, TCP_URG = 0x020, TCP_ECE = 0x040, TCP_CWR = 0x080,
	TCP_AE = 0x100,
};

struct pkt {
	const uint8_t *data;	/* borrowed: the frame's captured bytes */
	uint32_t caplen, len;
	int dlt;

	/* link layer */
	enum pkt_link link;
	uint16_t link_len;	/* bytes of link header */
	uint16_t ethertype;	/* network protocol (0x0800, 0x86dd), 0 none */
	uint8_t l2_dst[6], l2_src[8];
	uint8_t l2_src_len;	/* SLL address length */
	uint16_t sll_pkttype, sll_hatype;
	uint32_t sll_ifindex;
	uint32_t af;		/* NULL/LOOP address family */
	bool vlan;
	uint16_t vlan_id;

	/* network layer */
	uint8_t ipver;		/* 4, 6 or 0 */
	uint16_t ip_off;	/* offset of the IP header in data */
	uint16_t ip_hlen;	/* IPv4 header, or IPv6 header + extensions */
	uint32_t ip_total;	/* length the header claims (whole packet) */
	uint8_t ip_proto;	/* after IPv6 extension headers */
	uint8_t ip_tos, ip_ttl;
	uint16_t ip_id, ip_frag, ip_sum;
	uint32_t ip6_flow;
	bool ip_fragment;	/* not the whole datagram: TCP not decoded */
	uint32_t frag_off;	/* fragment: its offset in bytes */
	uint32_t frag_id;	/* fragment: 16-bit (IPv4) or 32-bit id */
	bool frag_more;		/* fragment: more follow (MF, M) */
	uint32_t frag_in;	/* fragment: frame that completed it, 0 unknown */
	/* the frame completed a datagram: its pieces (owned by ipfrag.c,
	 * valid until the next pkt_decode); data then points at the
	 * reassembled frame and the layers below IP describe this frame */
	const struct ipfrag_done *frag_done;
	bool ip_short;		/* fewer bytes captured than the IP length */
	uint8_t src[16], dst[16];

	/* TCP, or UDP (udp set: the ports and payload fields are UDP's) */
	bool tcp, udp;
	uint16_t tcp_off, tcp_hlen;
	uint16_t sport, dport, win, tcp_sum, urg;
	uint16_t flags;
	uint32_t seq, ack;
	uint16_t mss;		/* 0 when absent */
	int8_t wscale;		/* -1 when absent */
	bool sack_perm, has_ts;
	uint8_t nsack;		/* SACK blocks (raw left, right edges) */
	uint32_t sack[4][2];
	uint32_t tsval, tsecr;
	uint16_t payload_off;
	uint32_t payload_len;	/* captured payload bytes */
	uint32_t payload_wire;	/* payload length the IP header implies */
	bool payload_cut;	/* headers whole, payload cut by the snaplen */

	enum pkt_layer trunc;	/* first layer cut short by the snaplen */
	const char *invalid;	/* reason a layer is malformed, or NULL */
	enum pkt_layer invalid_layer;
};

/*
 * Decode data[0..caplen) of a frame captured with link type dlt
 * (DLT_* from pcap) into *pk.  Never fails: what could not be decoded is
 * marked.  pk->data keeps pointing at data.
 */
void pkt_decode(struct pkt *pk, int dlt, const uint8_t *data,
		uint32_t caplen, uint32_t len);

/*
 * pkt_decode(), with IP fragments given to defrag (ipfrag.h) as part of
 * frame number frame captured at ns (ns since the epoch); the fragment
 * that completes a datagram is decoded on whole.  Only the capture
 * session (session.c) passes a table, once per frame: a frame decoded
 * again later is decoded with NULL (or a table of its own).
 */
struct ipfrag;
void pkt_decode_defrag(struct pkt *pk, struct ipfrag *defrag, uint32_t frame,
		       int64_t ns, int dlt, const uint8_t *data,
		       uint32_t caplen, uint32_t len);

/* True when dlt is one pkt_decode() understands. */
bool pkt_dlt_supported(int dlt);

/* Address bytes of the IP version (4 or 16). */
static inline int
pkt_addr_len(const struct pkt *pk)
{
	return pk->ipver == 6 ? 16 : 4;
}

/* Format an IPv4/IPv6 address of pk (src or dst) into out. */
void pkt_addr_str(const struct pkt *pk, const uint8_t *addr, char *out,
		  int size);

/* Per-layer decoders (one file each).  Each reads its header at c,
 * fills pk and leaves c at the next layer. */
int ether_decode(struct pkt *pk, struct cursor *c);	/* -> ethertype */
int sll_decode(struct pkt *pk, struct cursor *c);
int sll2_decode(struct pkt *pk, struct cursor *c);
int null_decode(struct pkt *pk, struct cursor *c);
int loop_decode(struct pkt *pk, struct cursor *c);
int raw_decode(struct pkt *pk, struct cursor *c);
void ipv4_decode(struct pkt *pk, struct cursor *c);
void ipv6_decode(struct pkt *pk, struct cursor *c);
/* IPv6 extension headers from type next on; returns the upper layer's
 * protocol, or -1 when they are cut short. */
int ipv6_skip_exts(struct pkt *pk, struct cursor *c, int next);
void tcp_decode(struct pkt *pk, struct cursor *c);
void udp_decode(struct pkt *pk, struct cursor *c);

/* Mark layer as cut short (keeps the first one). */
static inline void
pkt_trunc(struct pkt *pk, enum pkt_layer l)
{
	if (!pk->trunc)
		pk->trunc = l;
}

static inline void
pkt_invalid(struct pkt *pk, enum pkt_layer l, const char *why)
{
	if (!pk->invalid) {
		pk->invalid = why;
		pk->invalid_layer = l;
	}
}

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd

#endif
