/*
 * pcap_dl.c - find libpcap at run time and fill the table of its
 * functions (see pcap_dl.h).  Depends on the dynamic loader only.
 *
 * The library is opened once and never closed: the pointers in the table
 * must stay valid for the life of the process.
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_dl.h"

struct pcap_dl pcap_dl;

static bool pcap_dl_loaded;

static int
load_error(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "cannot load libpcap: %s; install libpcap0.8",
		 why && *why ? why : "unknown error");
	return -1;
}

/*
 * dlopen() the library: $HTTPTOOL_LIBPCAP alone when it is set (ignored
 * in a setuid or setcap process, where it would let any user run code
 * with the capture rights), else the usual names in turn.  The handle,
 * or NULL with err filled from the first name's failure (the soname a
 * Debian system has; the later names are guesses for other systems).
 */
static void *
open_lib(char *err, size_t errlen)
{
	static const char *const names[] = PCAP_DL_NAMES;
	const char *only = secure_getenv(PCAP_DL_ENV);
	char first[512] = "";
	const char *why;
	size_t i;
	void *h;

	if (only && *only) {
		h = dlopen(only, RTLD_NOW | RTLD_LOCAL);
		if (!h)
			load_error(err, errlen, dlerror());
		return h;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (h)
			return h;
		why = dlerror();
		if (!first[0] && why)
			snprintf(first, sizeof(first), "%s", why);
	}
	load_error(err, errlen, first);
	return NULL;
}

/*
 * Look every function up in h; 0, or -1 with err naming the first one
 * missing (a library too old, or not libpcap at all).  dlsym() gives a
 * void *; POSIX guarantees it converts to the function pointer.
 */
static int
resolve(void *h, struct pcap_dl *t, char *err, size_t errlen)
{
#define PCAP_DL_RESOLVE(name)						\
	t->name = (__typeof__(t->name))dlsym(h, "pcap_" #name);		\
	if (!t->name)							\
		return load_error(err, errlen, dlerror());
	PCAP_DL_FUNCS(PCAP_DL_RESOLVE)
#undef PCAP_DL_RESOLVE
	return 0;
}

int
pcap_dl_load(char *err, size_t errlen)
{
	struct pcap_dl t;
	void *h;

	if (pcap_dl_loaded)
		return 0;
	h = open_lib(err, errlen);
	if (!h)
		return -1;
	if (resolve(h, &t, err, errlen) < 0) {
		dlclose(h);
		return -1;
	}
	pcap_dl = t;
	pcap_dl_loaded = true;
	return 0;
}
