/*
 * html.c - HTML escaping (see html.h).
 */
#include "server/html.h"

void
html_escape(struct buf *b, struct span s)
{
	size_t run = 0;

	for (size_t i = 0; i < s.len; i++) {
		const char *rep = NULL;

		switch (s.p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		if (!rep) {
			run++;
			continue;
		}
		buf_append(b, s.p + i - run, run);
		run = 0;
		buf_puts(b, rep);
	}
	buf_append(b, s.p + s.len - run, run);
}
