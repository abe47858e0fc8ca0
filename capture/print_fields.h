/*
 * print_fields.h - tshark's -T fields, -T json and -T ek with -e: the
 * values of chosen fields of each frame, read from its protocol tree
 * (ptree.h) and formatted as tshark prints them (decimal, 0x-hex for the
 * fields Wireshark shows in hex, 1/0 for booleans, seconds with nine
 * decimals, bytes as hex, \r and \n escaped in strings).
 */
#ifndef HTTPTOOL_PRINT_FIELDS_H
#define HTTPTOOL_PRINT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "ptree.h"

enum tfmt { TFMT_TEXT, TFMT_FIELDS, TFMT_JSON, TFMT_EK };

#define TFIELDS_MAX 64

struct tfields {
	enum tfmt fmt;
	int field[TFIELDS_MAX];		/* enum filter_field of each -e */
	size_t n;
	char sep;			/* -E separator (default tab) */
	char agg;			/* -E aggregator (default ,) */
	char quote;			/* -E quote: 'd', 's' or 0 */
	char occurrence;		/* -E occurrence: 'f', 'l' or 'a' */
	bool header;			/* -E header=y */
};

/* Defaults (tab, ",", no quotes, all occurrences, no header). */
void tfields_init(struct tfields *tf);

/*
 * Add -e name: 0, or -1 with a message in err ("not a field httptool
 * knows (Wireshark has it: ...)" for a real Wireshark field).
 */
int tfields_add(struct tfields *tf, const char *name, char *err,
		size_t errsize);

/* Apply one -E key=value; 0, or -1 with a message in err. */
int tfields_option(struct tfields *tf, const char *kv, char *err,
		   size_t errsize);

/* The header line (-E header=y) of -T fields. */
void tfields_header(const struct tfields *tf, struct buf *out);

/*
 * One frame: a line (fields), an object of the array (json; first: no
 * comma before it) or two lines (ek).  ns: the frame's capture time.
 */
void tfields_frame(const struct tfields *tf, const struct ptree *t,
		   int64_t ns, bool first, struct buf *out);

/* What ends the output ("]" after a json array). */
void tfields_end(const struct tfields *tf, bool any, struct buf *out);

/* One node's value as tshark prints it (for -T fields and json). */
void tfields_value(const struct ptree *t, size_t i, struct buf *out);

#endif
