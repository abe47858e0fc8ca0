/*
 * dl.h - open a shared library at run time and look its functions up,
 * for the libraries only one part needs (the TUI's ncurses, the server's
 * libjpeg and brotli): linking them would make every process map and
 * relocate them at start-up.  Depends on the dynamic loader only.
 */
#ifndef HTTPTOOL_DL_H
#define HTTPTOOL_DL_H

#include <stddef.h>

/*
 * dlopen() the first of names[0..n) that loads (RTLD_NOW | RTLD_LOCAL),
 * then dlsym() syms[i] into the pointer at slots[i] (a function
 * pointer or, for a variable, a pointer to it) for every i < nsyms.  The library
 * stays open for the life of the process.  0, or -1 with err set to
 * "cannot load LIB: why; install PKG" (lib is names[0]).
 */
int dl_load(const char *const *names, size_t n, const char *pkg,
	    const char *const *syms, void *const *slots, size_t nsyms,
	    char *err, size_t errlen);

#endif
