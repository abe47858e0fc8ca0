/*
 * httpbin_image.c - /image (picked by Accept, as httpbin) and
 * /image/png, /image/jpeg, /image/webp, /image/svg: real images a
 * browser decodes, made in code on each request (they are small):
 *
 *   PNG   RGB, zlib-compressed rows, CRCs from zlib (RFC 2083)
 *   JPEG  libjpeg, quality 80
 *   WebP  lossless (VP8L, RFC 9649 §3) written by hand: no transforms,
 *         one "simple" prefix code per channel, so the two-tone pattern
 *         costs one bit a pixel
 *   SVG   text
 *
 * All show the same picture idea: httptool's blue with a lighter band.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


#include "http/header.h"
#include "server/codec_dl.h"
#include "server/resp.h"
#include "server/routes.h"

#define IMG_W 96
#define IMG_H 64

/* The picture: a vertical gradient, a lighter diagonal band. */
static void
img_pixel(int x, int y, unsigned char rgb[3])
{
	bool band = ((x + y) / 8) % 4 == 0;

	rgb[0] = (unsigned char)(band ? 120 : 20 + y);
	rgb[1] = (unsigned char)(band ? 180 : 80 + y);
	rgb[2] = (unsigned char)(band ? 255 : 160 + y);
}

static void
img_be32(struct buf *b, unsigned long v)
{
	unsigned char p[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	buf_append(b, p, 4);
}

static void
img_le32(struct buf *b, unsigned long v)
{
	unsigned char p[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	buf_append(b, p, 4);
}

static void
png_chunk(struct buf *b, const char *type, const unsigned char *p, size_t n)
{
	uLong crc = crc32(0L, (const Bytef *)type, 4);

	img_be32(b, (unsigned long)n);
	buf_append(b, type, 4);
	buf_append(b, p, n);
	crc = crc32(crc, p, (uInt)n);
	img_be32(b, crc);
}

static bool
img_png(struct buf *b)
{
	unsigned char raw[IMG_H * (1 + IMG_W * 3)], ihdr[13] = { 0 };
	uLongf zlen = compressBound(sizeof raw);
	unsigned char *z = malloc(zlen);
	size_t o = 0;

	if (!z)
		return false;
	for (int y = 0; y < IMG_H; y++) {
		raw[o++] = 0;	/* filter: none */
		for (int x = 0; x < IMG_W; x++, o += 3)
			img_pixel(x, y, raw + o);
	}
	if (compress2(z, &zlen, raw, sizeof raw, 9) != Z_OK) {
		free(z);
		return false;
	}
	ihdr[3] = IMG_W;
	ihdr[7] = IMG_H;
	ihdr[8] = 8;		/* bit depth */
	ihdr[9] = 2;		/* colour type: RGB */
	buf_append(b, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(b, "IHDR", ihdr, sizeof ihdr);
	png_chunk(b, "IDAT", z, zlen);
	png_chunk(b, "IEND", NULL, 0);
	free(z);
	return true;
}

static bool
img_jpeg(struct buf *b)
{
	struct jpeg_compress_struct cinfo;
	struct jpeg_error_mgr jerr;
	unsigned char row[IMG_W * 3], *out = NULL;
	unsigned long len = 0;

	if (jpeg_dl_load() < 0)
		return false;
	cinfo.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&cinfo);
	jpeg_mem_dest(&cinfo, &out, &len);
	cinfo.image_width = IMG_W;
	cinfo.image_height = IMG_H;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, 80, TRUE);
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		JSAMPROW rp = row;

		for (int x = 0; x < IMG_W; x++)
			img_pixel(x, (int)cinfo.next_scanline, row + 3 * x);
		jpeg_write_scanlines(&cinfo, &rp, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	buf_append(b, out, len);
	free(out);
	return len > 0;
}

/* LSB-first bit writer for VP8L */
struct bits {
	struct buf *b;
	unsigned long acc;
	int n;
};

static void
bits_put(struct bits *w, unsigned long v, int n)
{
	w->acc |= v << w->n;
	w->n += n;
	while (w->n >= 8) {
		unsigned char ch = (unsigned char)w->acc;

		buf_append(w->b, &ch, 1);
		w->acc >>= 8;
		w->n -= 8;
	}
}

/* A "simple" prefix code with one or two 8-bit symbols (RFC 9649
 * §3.7.2.1.1); a one-symbol code costs no bits per use. */
static void
vp8l_simple(struct bits *w, int nsym, int s0, int s1)
{
	bits_put(w, 1, 1);		/* simple code */
	bits_put(w, (unsigned long)nsym - 1, 1);
	bits_put(w, 1, 1);		/* first symbol has 8 bits */
	bits_put(w, (unsigned long)s0, 8);
	if (nsym == 2)
		bits_put(w, (unsigned long)s1, 8);
}

static bool
img_webp(struct buf *b)
{
	struct buf v = BUF_INIT;
	struct bits w = { &v, 0, 0 };
	unsigned char dark[3], light[3];

	img_pixel(1, 0, dark);		/* outside the band */
	img_pixel(0, 0, light);		/* inside it */
	buf_append(&v, "\x2f", 1);	/* VP8L signature */
	bits_put(&w, IMG_W - 1, 14);
	bits_put(&w, IMG_H - 1, 14);
	bits_put(&w, 0, 1);		/* no alpha */
	bits_put(&w, 0, 3);		/* version 0 */
	bits_put(&w, 0, 1);		/* no transform */
	bits_put(&w, 0, 1);		/* no colour cache */
	bits_put(&w, 0, 1);		/* no meta prefix codes */
	/* green picks the tone (the smaller symbol is code 0); red, blue
	 * and alpha follow from it only by being constant per tone - so the
	 * WebP is two-tone: green varies, red and blue are the band's */
	vp8l_simple(&w, 2, dark[1] < light[1] ? dark[1] : light[1],
		    dark[1] < light[1] ? light[1] : dark[1]);
	vp8l_simple(&w, 1, light[0], 0);	/* red */
	vp8l_simple(&w, 1, light[2], 0);	/* blue */
	vp8l_simple(&w, 1, 255, 0);		/* alpha */
	vp8l_simple(&w, 1, 0, 0);		/* distance: unused */
	for (int y = 0; y < IMG_H; y++)
		for (int x = 0; x < IMG_W; x++) {
			unsigned char px[3];

			img_pixel(x, y, px);
			bits_put(&w, (px[1] == light[1]) ==
				 (light[1] > dark[1]), 1);
		}
	if (w.n)
		bits_put(&w, 0, 8 - w.n);
	size_t pad = v.len & 1;

	buf_append(b, "RIFF", 4);
	img_le32(b, (unsigned long)(4 + 8 + v.len + pad));
	buf_append(b, "WEBPVP8L", 8);
	img_le32(b, (unsigned long)v.len);
	buf_append(b, v.data, v.len);
	if (pad)
		buf_append(b, "", 1);
	buf_free(&v);
	return true;
}

static bool
img_svg(struct buf *b)
{
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\">\n"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#1450a0\"/>\n"
		   "<path d=\"M0 0 L8 0 L%d %d L%d %d Z\" fill=\"#78b4ff\"/>\n"
		   "<text x=\"8\" y=\"40\" font-family=\"monospace\" "
		   "font-size=\"14\" fill=\"white\">httptool</text>\n</svg>\n",
		   IMG_W, IMG_H, IMG_W, IMG_H, IMG_W, IMG_H, IMG_H + 8, IMG_H,
		   IMG_H, IMG_H);
	return true;
}

static const struct img_kind {
	const char *name, *ctype;
	bool (*make)(struct buf *b);
} img_kinds[] = {
	{ "webp", "image/webp", img_webp },
	{ "svg", "image/svg+xml", img_svg },
	{ "jpeg", "image/jpeg", img_jpeg },
	{ "png", "image/png", img_png },
};

static void
img_send(struct req *r, const struct img_kind *k)
{
	struct buf b = BUF_INIT;

	if (!k->make(&b)) {
		resp_error(r->c, 500, "could not make the image");
	} else {
		resp_start(r->c, 200);
		resp_body_buf(r->c, k->ctype, &b);
	}
	buf_free(&b);
}

/* /image: the first of webp, svg, jpeg, png the Accept header names
 * (any image or none: png), else 406, as httpbin. */
void
hb_image(struct req *r)
{
	struct span accept = http_header_value(r->msg, "accept");
	const char *tail = r->path + strlen("/image");

	if (*tail == '/') {
		for (size_t i = 0; i < sizeof img_kinds / sizeof *img_kinds; i++)
			if (!strcmp(tail + 1, img_kinds[i].name) ||
			    (!strcmp(tail + 1, "jpg") && i == 2)) {
				img_send(r, &img_kinds[i]);
				return;
			}
		resp_error(r->c, 404, "expected /image/png, /image/jpeg, "
			   "/image/webp or /image/svg");
		return;
	}
	for (size_t i = 0; i < sizeof img_kinds / sizeof *img_kinds; i++)
		if (accept.p && span_find(accept, img_kinds[i].ctype, true) >= 0) {
			img_send(r, &img_kinds[i]);
			return;
		}
	if (!accept.p || span_find(accept, "image/*", false) >= 0 ||
	    span_find(accept, "*/*", false) >= 0) {
		img_send(r, &img_kinds[3]);
		return;
	}
	static const char msg[] = "{\n  \"message\": \"Client did not request "
	    "a supported media type.\",\n  \"accept\": [\"image/webp\", "
	    "\"image/svg+xml\", \"image/jpeg\", \"image/png\", \"image/*\"]\n}\n";

	resp_send(r->c, 406, "application/json", msg, sizeof msg - 1);
}
