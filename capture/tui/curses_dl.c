/*
 * curses_dl.c - fill curses_dl.h's table from libncursesw, once.
 */
#define CURSES_DL_NO_REDIRECT
#include <stdbool.h>

#include "curses_dl.h"
#include "lib/dl.h"

struct curses_dl curses_dl;

int
curses_dl_load(char *err, size_t errlen)
{
	static const char *const names[] = CURSES_DL_NAMES;
#define CURSES_DL_NAME(name) #name,
	static const char *const syms[] = { CURSES_DL_SYMS(CURSES_DL_NAME) };
#undef CURSES_DL_NAME
#define CURSES_DL_SLOT(name) &curses_dl.p_##name,
	void *const slots[] = { CURSES_DL_SYMS(CURSES_DL_SLOT) };
#undef CURSES_DL_SLOT
	static bool loaded;

	if (loaded)
		return 0;
	if (dl_load(names, sizeof(names) / sizeof(names[0]), CURSES_DL_PKG,
		    syms, slots, sizeof(syms) / sizeof(syms[0]), err,
		    errlen) < 0)
		return -1;
	loaded = true;
	return 0;
}
