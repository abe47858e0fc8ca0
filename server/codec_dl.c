/*
 * codec_dl.c - fill codec_dl.h's tables from libjpeg and libbrotlienc,
 * once each (pthread_once: the server's event loops run in threads).
 */
#define CODEC_DL_NO_REDIRECT
#include <pthread.h>
#include <stdio.h>

#include "lib/dl.h"
#include "server/codec_dl.h"

struct jpeg_dl jpeg_dl;
struct brotli_dl brotli_dl;

#define CODEC_DL_NAME(name) #name,
#define CODEC_DL_SLOT(name) &TABLE.p_##name,

static int jpeg_rc = -1, brotli_rc = -1;

static int
load(const char *const *names, size_t n, const char *pkg,
     const char *const *syms, void *const *slots, size_t nsyms)
{
	char err[512];

	if (dl_load(names, n, pkg, syms, slots, nsyms, err, sizeof(err)) < 0) {
		fprintf(stderr, "httptool serve: %s\n", err);
		return -1;
	}
	return 0;
}

static void
jpeg_once(void)
{
	static const char *const names[] = { "libjpeg.so.62", "libjpeg.so" };
	static const char *const syms[] = { JPEG_DL_SYMS(CODEC_DL_NAME) };
#define TABLE jpeg_dl
	void *const slots[] = { JPEG_DL_SYMS(CODEC_DL_SLOT) };
#undef TABLE

	jpeg_rc = load(names, 2, "libjpeg62-turbo", syms, slots,
		       sizeof(syms) / sizeof(syms[0]));
}

static void
brotli_once(void)
{
	static const char *const names[] = { "libbrotlienc.so.1",
					     "libbrotlienc.so" };
	static const char *const syms[] = { BROTLI_DL_SYMS(CODEC_DL_NAME) };
#define TABLE brotli_dl
	void *const slots[] = { BROTLI_DL_SYMS(CODEC_DL_SLOT) };
#undef TABLE

	brotli_rc = load(names, 2, "libbrotli1", syms, slots,
			 sizeof(syms) / sizeof(syms[0]));
}

int
jpeg_dl_load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, jpeg_once);
	return jpeg_rc;
}

int
brotli_dl_load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, brotli_once);
	return brotli_rc;
}
