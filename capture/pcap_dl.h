/*
 * pcap_dl.h - libpcap, loaded with dlopen() when a capture needs it.
 *
 * httptool is not linked against libpcap: on Debian libpcap pulls in
 * libdbus, libsystemd, libgcrypt, liblz4 and more, and every process
 * (the client's too) would pay for loading them at exec time.  Instead
 * the sniffer calls pcap_dl_load() before its first libpcap call, and
 * calls libpcap through the table pcap_dl: pcap_dl.close(p) is
 * pcap_close(p).  <pcap/pcap.h> still gives the types and, through
 * __typeof__, the exact prototype of every entry.
 *
 * Only the capture sources (source.c, source_live.c) load; everything
 * else that calls through the table runs after a capture was opened.
 * A new libpcap call goes into PCAP_DL_FUNCS (a direct pcap_*() call no
 * longer links).  Not thread-safe; the sniffer is single-threaded.
 */
#ifndef HTTPTOOL_PCAP_DL_H
#define HTTPTOOL_PCAP_DL_H

#include <pcap/pcap.h>
#include <stddef.h>

/* Names tried in order (Debian's soname first); see pcap_dl_load(). */
#define PCAP_DL_NAMES { "libpcap.so.0.8", "libpcap.so.1", "libpcap.so" }

/* Set to one library name or path to try only that one (for tests). */
#define PCAP_DL_ENV "HTTPTOOL_LIBPCAP"

/* Every libpcap function httptool calls, without its pcap_ prefix. */
#define PCAP_DL_FUNCS(X) \
	X(activate) X(close) X(compile) X(create) X(datalink) X(dispatch) \
	X(dump) X(dump_close) X(dump_flush) X(dump_fopen) X(dump_ftell64) \
	X(dump_open) X(file) X(findalldevs) \
	X(fopen_offline_with_tstamp_precision) X(freealldevs) X(freecode) \
	X(get_selectable_fd) X(get_tstamp_precision) X(geterr) X(next_ex) \
	X(open_dead_with_tstamp_precision) \
	X(open_offline_with_tstamp_precision) X(set_buffer_size) \
	X(set_immediate_mode) X(set_snaplen) X(set_timeout) \
	X(set_tstamp_precision) X(setfilter) X(setnonblock) X(snapshot) \
	X(stats) X(statustostr)

#define PCAP_DL_MEMBER(name) __typeof__(pcap_##name) *name;
struct pcap_dl {
	PCAP_DL_FUNCS(PCAP_DL_MEMBER)
};
#undef PCAP_DL_MEMBER

/*
 * The table; all NULL until pcap_dl_load() succeeded.  Owned by
 * pcap_dl.c, read-only for everyone else.
 */
extern struct pcap_dl pcap_dl;

/*
 * Load libpcap and fill pcap_dl (once; later calls return at once).
 * $HTTPTOOL_LIBPCAP, when set and the process is not privileged by
 * setuid or file capabilities (secure_getenv), names the only library
 * tried; else PCAP_DL_NAMES are tried in order.  Returns 0, or -1 with
 * err filled ("cannot load libpcap: ...; install libpcap0.8") and the
 * table left empty.
 */
int pcap_dl_load(char *err, size_t errlen);

#endif
