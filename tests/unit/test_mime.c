/* test_mime.c - media types by extension (http/mime.c) */
#include <stdio.h>

#include "unit.h"
#include "http/mime.h"

TEST(mime_table)
{
	static const char *const want[][2] = {
		{ "index.html", "text/html; charset=utf-8" },
		{ "a.htm", "text/html; charset=utf-8" },
		{ "s.css", "text/css; charset=utf-8" },
		{ "app.js", "text/javascript; charset=utf-8" },
		{ "mod.mjs", "text/javascript; charset=utf-8" },
		{ "d.json", "application/json" },
		{ "r.txt", "text/plain; charset=utf-8" },
		{ "f.xml", "text/xml; charset=utf-8" },
		{ "i.svg", "image/svg+xml" },
		{ "i.png", "image/png" },
		{ "i.jpg", "image/jpeg" },
		{ "i.jpeg", "image/jpeg" },
		{ "i.gif", "image/gif" },
		{ "i.webp", "image/webp" },
		{ "favicon.ico", "image/x-icon" },
		{ "doc.pdf", "application/pdf" },
		{ "m.wasm", "application/wasm" },
		{ "v.mp4", "video/mp4" },
		{ "v.webm", "video/webm" },
		{ "a.mp3", "audio/mpeg" },
		{ "a.wav", "audio/wav" },
		{ "z.zip", "application/zip" },
		{ "z.gz", "application/gzip" },
		{ "z.tar", "application/x-tar" },
		{ "t.csv", "text/csv; charset=utf-8" },
		{ "README.md", "text/markdown; charset=utf-8" },
		{ "f.woff", "font/woff" },
		{ "f.woff2", "font/woff2" },
		{ "f.ttf", "font/ttf" },
		{ "f.otf", "font/otf" },
	};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!CHECK_STR(http_mime_type(want[i][0]), want[i][1]))
			printf("      for %s\n", want[i][0]);
}

TEST(mime_names)
{
	const char *bin = "application/octet-stream";

	CHECK_STR(http_mime_type("/srv/www/INDEX.HTML"),
		  "text/html; charset=utf-8");
	CHECK_STR(http_mime_type("x.JpEg"), "image/jpeg");
	CHECK_STR(http_mime_type("archive.tar.gz"), "application/gzip");
	CHECK_STR(http_mime_type("dir.d/file"), bin);	/* dot in a dir */
	CHECK_STR(http_mime_type("Makefile"), bin);
	CHECK_STR(http_mime_type(".bashrc"), bin);
	CHECK_STR(http_mime_type("dir/.html"), bin);
	CHECK_STR(http_mime_type("name."), bin);
	CHECK_STR(http_mime_type("a.unknownext"), bin);
	CHECK_STR(http_mime_type("a.htmlx"), bin);
	CHECK_STR(http_mime_type("a.ht"), bin);
	CHECK_STR(http_mime_type(""), bin);
	CHECK_STR(http_mime_type("/"), bin);
	CHECK_STR(http_mime_type("."), bin);
	CHECK_STR(http_mime_type(".."), bin);
	CHECK_STR(http_mime_type(NULL), bin);
	/* the name ends at the guard page */
	CHECK_STR(http_mime_type(unit_guard("x.css", 6)),
		  "text/css; charset=utf-8");
}
