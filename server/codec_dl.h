/*
 * codec_dl.h - <jpeglib.h> and <brotli/encode.h> with the functions the
 * server's /image/jpeg and /brotli routes call taken from tables that
 * jpeg_dl_load() and brotli_dl_load() fill with dlopen() on first use,
 * so that only a server that gets those requests maps libjpeg and
 * libbrotlienc (every other httptool process would otherwise load and
 * relocate them at start-up).  Include it instead of those headers; the
 * calls keep their library names.  The loads are thread-safe.
 */
#ifndef HTTPTOOL_SERVER_CODEC_DL_H
#define HTTPTOOL_SERVER_CODEC_DL_H

#include <stddef.h>
#include <stdio.h>

#include <brotli/encode.h>
#include <jpeglib.h>

#define JPEG_DL_SYMS(X) \
	X(jpeg_CreateCompress) X(jpeg_destroy_compress) \
	X(jpeg_finish_compress) X(jpeg_mem_dest) X(jpeg_set_defaults) \
	X(jpeg_set_quality) X(jpeg_start_compress) X(jpeg_std_error) \
	X(jpeg_write_scanlines)
#define BROTLI_DL_SYMS(X) \
	X(BrotliEncoderCompress) X(BrotliEncoderMaxCompressedSize)

#define CODEC_DL_MEMBER(name) __typeof__(name) *p_##name;
struct jpeg_dl {
	JPEG_DL_SYMS(CODEC_DL_MEMBER)
};
struct brotli_dl {
	BROTLI_DL_SYMS(CODEC_DL_MEMBER)
};
#undef CODEC_DL_MEMBER

extern struct jpeg_dl jpeg_dl;
extern struct brotli_dl brotli_dl;

/* Load the library once; 0, or -1 (the reason is on stderr, once). */
int jpeg_dl_load(void);
int brotli_dl_load(void);

#ifndef CODEC_DL_NO_REDIRECT
#define jpeg_CreateCompress (*jpeg_dl.p_jpeg_CreateCompress)
#define jpeg_destroy_compress (*jpeg_dl.p_jpeg_destroy_compress)
#define jpeg_finish_compress (*jpeg_dl.p_jpeg_finish_compress)
#define jpeg_mem_dest (*jpeg_dl.p_jpeg_mem_dest)
#define jpeg_set_defaults (*jpeg_dl.p_jpeg_set_defaults)
#define jpeg_set_quality (*jpeg_dl.p_jpeg_set_quality)
#define jpeg_start_compress (*jpeg_dl.p_jpeg_start_compress)
#define jpeg_std_error (*jpeg_dl.p_jpeg_std_error)
#define jpeg_write_scanlines (*jpeg_dl.p_jpeg_write_scanlines)
#define BrotliEncoderCompress (*brotli_dl.p_BrotliEncoderCompress)
#define BrotliEncoderMaxCompressedSize \
	(*brotli_dl.p_BrotliEncoderMaxCompressedSize)
#endif

#endif
