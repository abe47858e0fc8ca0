/*
 * filter_fuzz.c - libFuzzer harness for the display-filter compiler and
 * evaluator (capture/filter*.c).  `make fuzz` (scripts/fuzz.sh) builds and
 * runs every harness in tests/fuzz/, this one included, from its seeds in
 * tests/fuzz/corpus/filter/.  By hand, from the top of the tree, with the
 * filter dictionary:
 *
 *   clang -std=c11 -g -O1 -D_GNU_SOURCE -I. \
 *       -fsanitize=fuzzer,address,undefined \
 *       tests/fuzz/filter_fuzz.c capture/filter.c capture/filter_lex.c \
 *       capture/filter_parse.c capture/filter_check.c capture/filter_regex.c \
 *       capture/filter_eval.c lib/buf.c -o build/filter-fuzz
 *   mkdir -p build/filter-corpus
 *   build/filter-fuzz -max_len=512 -dict=tests/fuzz/filter.dict \
 *       build/filter-corpus tests/fuzz/corpus/filter
 *
 * Each input is a filter text (not NUL-terminated: filter_compile_n).  A
 * filter that compiles is matched against a fake record whose every field
 * has two values; a filter that does not must report a location inside
 * the text (offset <= len, offset + len <= len + 1), which the TUI relies
 * on to underline the fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/filter.h"

static int
fuzz_lookup(void *ctx, int field, struct filter_value *out, int max)
{
	const char *type = filter_fields(NULL)[field].type;
	const uint8_t *seed = ctx;

	for (int i = 0; i < 2 && i < max; i++) {
		struct filter_value *v = &out[i];

		memset(v, 0, sizeof *v);
		v->type = FV_STR;
		v->s = (struct span){ (const char *)seed, (size_t)i * 3 };
		if (strcmp(type, "unsigned") == 0) {
			v->type = FV_INT;
			v->i = 80 + i;
		} else if (strcmp(type, "address") == 0) {
			v->type = FV_ADDR;
			v->addr_len = field >= FF_IPV6 ? 16 : 4;
			v->addr[0] = (uint8_t)(127 + i);
			v->addr[v->addr_len - 1] = 1;
		} else if (strcmp(type, "time") == 0) {
			v->d = 0.5 * i;
		}
	}
	return 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t value[] = "GETexample";
	struct filter_error err;
	struct filter *f = filter_compile_n((const char *)data, size, &err);

	if (f == NULL) {
		if (err.offset > size || err.offset + err.len > size + 1)
			abort();
		return 0;
	}
	filter_match(f, fuzz_lookup, (void *)value);
	filter_free(f);
	return 0;
}
