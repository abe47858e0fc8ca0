/*
 * dl.c - see dl.h.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dl.h"

static int
dl_error(char *err, size_t errlen, const char *lib, const char *why,
	 const char *pkg)
{
	snprintf(err, errlen, "cannot load %s: %s; install %s", lib,
		 why && *why ? why : "unknown error", pkg);
	return -1;
}

int
dl_load(const char *const *names, size_t n, const char *pkg,
	const char *const *syms, void *const *slots, size_t nsyms,
	char *err, size_t errlen)
{
	char first[512] = "";
	const char *why;
	void *h = NULL;
	size_t i;

	for (i = 0; i < n && !h; i++) {
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (!h && !first[0] && (why = dlerror()))
			snprintf(first, sizeof(first), "%s", why);
	}
	if (!h)
		return dl_error(err, errlen, names[0], first, pkg);
	for (i = 0; i < nsyms; i++)	/* all found before any is set */
		if (!dlsym(h, syms[i])) {
			dl_error(err, errlen, names[0], dlerror(), pkg);
			dlclose(h);
			return -1;
		}
	for (i = 0; i < nsyms; i++) {
		/* POSIX: a dlsym() pointer converts to a function pointer */
		void *p = dlsym(h, syms[i]);

		memcpy(slots[i], &p, sizeof(p));
	}
	return 0;
}
