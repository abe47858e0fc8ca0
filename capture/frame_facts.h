/*
 * frame_facts.h - what a display filter (-Y) may ask about one frame,
 * kept in one shape for `sniff -Y` (sniff_frame.c) and the TUI's filter
 * scan (tui/scan.c), with the one lookup callback both hand to
 * filter_match().
 *
 * Per frame the caller calls frame_facts_start(), then, from its
 * dissector callback, frame_facts_add() for each HTTP message the frame
 * completes (the message's spans die when the callback returns, so the
 * values -Y can name are copied into the facts' arena).  The packet and
 * reassembly facts are read from the caller's structs, borrowed.
 */
#ifndef HTTPTOOL_FRAME_FACTS_H
#define HTTPTOOL_FRAME_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "lib/buf.h"

struct capture;
struct http_view;
struct pkt;
struct reasm_info;
struct records;

/* The string fields kept per message. */
enum { FACT_METHOD, FACT_URI, FACT_HOST, FACT_CT, FACT_UA, FACT_COOKIE,
       FACT_SETCOOKIE, FACT__COUNT };
#define FACT_VALUES 4		/* values kept per field and message */
#define FACT_MSGS 16		/* messages kept per frame */

/* What -Y can ask of one HTTP message completed in the frame. */
struct msg_facts {
	bool request;
	int code;
	double time;			/* since request, < 0 unknown */
	uint32_t off[FACT__COUNT][FACT_VALUES];	/* into frame_facts.arena */
	uint32_t len[FACT__COUNT][FACT_VALUES];
	uint8_t n[FACT__COUNT];
};

/* One TLS field value of the frame (FF_TLS_*). */
struct tls_fact {
	int field;
	long long num;
	uint32_t off, len;		/* a string in arena, len 0: number */
};

struct frame_facts {
	uint32_t no;			/* frame number, from 1 */
	const struct pkt *pk;		/* borrowed: the decoded frame */
	const struct reasm_info *ri;	/* borrowed: its TCP stream, if any */
	struct msg_facts msgs[FACT_MSGS];
	unsigned nmsgs;
	int only;			/* the message looked at, -1 all */
	struct buf arena;		/* owned: the messages' string values */
	struct tls_fact *tls;		/* owned: TLS values of the frame */
	unsigned ntls, tls_cap;
};

/*
 * Forget the previous frame and describe frame no by pk and ri, which
 * must stay valid (and be filled) while the facts are looked up.
 */
void frame_facts_start(struct frame_facts *ff, uint32_t no,
		       const struct pkt *pk, const struct reasm_info *ri);

/*
 * Keep what -Y may ask about v (rs and cap give http.time); a message
 * beyond FACT_MSGS, or a value beyond FACT_VALUES, is not kept.
 */
void frame_facts_add(struct frame_facts *ff, const struct http_view *v,
		     const struct records *rs, const struct capture *cap);

struct tls_record;
struct tls_session;
/* Keep the -Y fields of one TLS record that ended in the frame. */
void frame_facts_add_tls(struct frame_facts *ff, const struct tls_record *r,
			 const struct tls_session *s);

/* The filter_lookup_fn over the frame; ctx is a struct frame_facts. */
int frame_facts_lookup(void *ctx, int field, struct filter_value *out,
		       int max);

/*
 * Does f match the frame with only its last added message as its HTTP
 * part?  (--json prints, and --stats and --har count, one message.)
 */
bool frame_facts_match_last(struct frame_facts *ff, const struct filter *f);

/* Free the arena; ff may be started again afterwards. */
void frame_facts_free(struct frame_facts *ff);

#endif
