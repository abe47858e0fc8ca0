/*
 * mime.c - media types by file name extension (see mime.h).
 *
 * A fixed table covering what a test server hands out: web pages and
 * their assets, images, fonts, audio/video, archives and data formats.
 * Text types carry "; charset=utf-8" so browsers and curl do not guess.
 * The extension is what follows the last '.' of the last path component;
 * "archive.tar.gz" is gzip, ".bashrc" and "Makefile" are unknown.
 *
 * Depends on nothing.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "mime.h"

#define MIME_UTF8 "; charset=utf-8"

struct mime_entry {
	const char *ext;
	const char *type;
};

static const struct mime_entry mime_table[] = {
	/* text */
	{ "html", "text/html" MIME_UTF8 },
	{ "htm", "text/html" MIME_UTF8 },
	{ "css", "text/css" MIME_UTF8 },
	{ "js", "text/javascript" MIME_UTF8 },
	{ "mjs", "text/javascript" MIME_UTF8 },
	{ "txt", "text/plain" MIME_UTF8 },
	{ "text", "text/plain" MIME_UTF8 },
	{ "log", "text/plain" MIME_UTF8 },
	{ "c", "text/plain" MIME_UTF8 },
	{ "h", "text/plain" MIME_UTF8 },
	{ "csv", "text/csv" MIME_UTF8 },
	{ "tsv", "text/tab-separated-values" MIME_UTF8 },
	{ "md", "text/markdown" MIME_UTF8 },
	{ "markdown", "text/markdown" MIME_UTF8 },
	{ "xml", "text/xml" MIME_UTF8 },
	{ "ics", "text/calendar" MIME_UTF8 },
	{ "vtt", "text/vtt" MIME_UTF8 },
	/* structured data and applications */
	{ "json", "application/json" },
	{ "map", "application/json" },
	{ "jsonld", "application/ld+json" },
	{ "webmanifest", "application/manifest+json" },
	{ "xhtml", "application/xhtml+xml" },
	{ "rss", "application/rss+xml" },
	{ "atom", "application/atom+xml" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
	{ "tgz", "application/gzip" },
	{ "tar", "application/x-tar" },
	{ "bz2", "application/x-bzip2" },
	{ "xz", "application/x-xz" },
	{ "zst", "application/zstd" },
	{ "7z", "application/x-7z-compressed" },
	{ "bin", "application/octet-stream" },
	{ "pcap", "application/vnd.tcpdump.pcap" },
	{ "yaml", "application/yaml" },
	{ "yml", "application/yaml" },
	{ "toml", "application/toml" },
	/* images */
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "svg", "image/svg+xml" },
	{ "ico", "image/x-icon" },
	{ "bmp", "image/bmp" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	/* audio and video */
	{ "mp4", "video/mp4" },
	{ "m4v", "video/mp4" },
	{ "webm", "video/webm" },
	{ "ogv", "video/ogg" },
	{ "mov", "video/quicktime" },
	{ "mp3", "audio/mpeg" },
	{ "m4a", "audio/mp4" },
	{ "ogg", "audio/ogg" },
	{ "oga", "audio/ogg" },
	{ "opus", "audio/ogg" },
	{ "wav", "audio/wav" },
	{ "flac", "audio/flac" },
	/* fonts */
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },
	{ "otf", "font/otf" },
};

const char *
http_mime_type(const char *path)
{
	const char *base, *dot;

	if (!path)
		return "application/octet-stream";
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	/* "Makefile", ".bashrc", "name." have no extension */
	if (!dot || dot == base || dot[1] == '\0')
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof mime_table / sizeof mime_table[0]; i++)
		if (strcasecmp(dot + 1, mime_table[i].ext) == 0)
			return mime_table[i].type;
	return "application/octet-stream";
}
