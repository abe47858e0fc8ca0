/*
 * out.c - the terminal (see out.h): colours, JSON pretty-printing, binary
 * detection and progress bars.
 *
 * The JSON reader is a small recursive-descent scanner over the input
 * bytes with a depth limit; it writes as it reads, so validating and
 * formatting are the same walk (validation formats into a scratch buffer).
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/out.h"


const char *
out_sgr(bool on, enum out_color c)
{
	static const char *const sgr[] = {
		[OUT_RESET] = "\033[0m",
		[OUT_BOLD] = "\033[1m",
		[OUT_DIM] = "\033[2m",
		[OUT_KEY] = "\033[34m",
		[OUT_STRING] = "\033[33m",
		[OUT_NUMBER] = "\033[36m",
		[OUT_LITERAL] = "\033[35m",
		[OUT_HNAME] = "\033[36m",
		[OUT_OK] = "\033[32m",
		[OUT_REDIRECT] = "\033[33m",
		[OUT_ERROR] = "\033[31m",
	};
	return on ? sgr[c] : "";
}

bool
out_is_tty(int fd)
{
	const char *term = getenv("TERM");

	return isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

bool
out_color_wanted(int fd)
{
	const char *nc = getenv("NO_COLOR");

	return out_is_tty(fd) && !(nc && *nc);
}

struct json_fmt {
	const char *p, *end;
	struct buf *b;
	bool color;
	bool keep;		/* keep the layout: colour only */
	bool sort;		/* object members by key (HTTPie's default) */
	int depth;
};

static void
fmt_ws(struct json_fmt *j)
{
	const char *s = j->p;

	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
	if (j->keep && j->p > s)
		buf_append(j->b, s, (size_t)(j->p - s));
}

static void
fmt_indent(struct json_fmt *j)
{
	if (j->keep)
		return;
	buf_puts(j->b, "\n");
	for (int i = 0; i < j->depth; i++)
		buf_puts(j->b, "    ");
}

static void
fmt_put(struct json_fmt *j, enum out_color c, const char *s, size_t n)
{
	buf_puts(j->b, out_sgr(j->color, c));
	buf_append(j->b, s, n);
	buf_puts(j->b, out_sgr(j->color, OUT_RESET));
}

static int
fmt_string(struct json_fmt *j, enum out_color c)
{
	const char *s = j->p++;

	while (j->p < j->end && *j->p != '"') {
		unsigned char ch = (unsigned char)*j->p;
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (++j->p == j->end)
				return -1;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end ||
					    !isxdigit((unsigned char)j->p[i]))
						return -1;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p)) {
				return -1;
			}
		}
		j->p++;
	}
	if (j->p == j->end)
		return -1;
	j->p++;
	fmt_put(j, c, s, (size_t)(j->p - s));
	return 0;
}

static int
fmt_number(struct json_fmt *j)
{
	const char *s = j->p;
	size_t digits;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	digits = 0;
	while (j->p < j->end && isdigit((unsigned char)*j->p))
		j->p++, digits++;
	if (digits == 0 || (digits > 1 && s[*s == '-'] == '0'))
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		for (digits = 0; j->p < j->end && isdigit((unsigned char)*j->p); j->p++)
			digits++;
		if (digits == 0)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		for (digits = 0; j->p < j->end && isdigit((unsigned char)*j->p); j->p++)
			digits++;
		if (digits == 0)
			return -1;
	}
	fmt_put(j, OUT_NUMBER, s, (size_t)(j->p - s));
	return 0;
}

static int fmt_value(struct json_fmt *j);

/*
 * The next code point of a JSON string's contents p[0..end) (escapes
 * decoded, surrogate pairs joined, UTF-8 read), advancing *p; the input
 * has already been checked by fmt_string.  Comparing code points orders
 * keys as Python's sort_keys does (HTTPie's json.sort_keys).
 */
static unsigned long
key_cp(const char **p, const char *end)
{
	const unsigned char *s = (const unsigned char *)*p;
	unsigned long c = *s++;
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (c == '\\') {
		c = *s++;
		if (c == 'u') {
			c = strtoul((char[5]){ (char)s[0], (char)s[1], (char)s[2],
					      (char)s[3], 0 }, NULL, 16);
			s += 4;
			if (c >= 0xd800 && c < 0xdc00 && end - (const char *)s >= 6 &&
			    s[0] == '\\' && s[1] == 'u') {
				unsigned long lo = strtoul((char[5]){ (char)s[2],
					(char)s[3], (char)s[4], (char)s[5], 0 }, NULL, 16);
				if (lo >= 0xdc00 && lo < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
					s += 6;
				}
			}
		} else {
			const char *e = strchr("b\bf\fn\nr\rt\t", (int)c);
			c = e ? (unsigned char)e[1] : c;
		}
	} else if (more) {
		c &= 0x3fu >> more;
		while (more-- && (const char *)s < end)
			c = c << 6 | (*s++ & 0x3fu);
	}
	*p = (const char *)s;
	return c;
}

/* One object member, formatted on its own to be sorted by key. */
struct fmt_member {
	const char *key;	/* the key's contents in the input */
	size_t klen;
	size_t idx;		/* input order: equal keys keep it */
	struct buf text;	/* "key": value, formatted */
};

static int
member_cmp(const void *a, const void *b)
{
	const struct fmt_member *x = a, *y = b;
	const char *p = x->key, *pe = p + x->klen;
	const char *q = y->key, *qe = q + y->klen;

	while (p < pe && q < qe) {
		unsigned long c = key_cp(&p, pe), d = key_cp(&q, qe);
		if (c != d)
			return c < d ? -1 : 1;
	}
	if (p < pe || q < qe)
		return p < pe ? 1 : -1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The members of an object, after its '{', each formatted into its own
 * buffer, then written sorted by key; the object's '}' ends it. */
static int
fmt_members_sorted(struct json_fmt *j)
{
	struct buf *out = j->b;
	struct fmt_member *m = NULL;
	size_t n = 0, cap = 0;
	int r = -1;

	for (;;) {
		const char *ks;
		if (n == cap) {
			struct fmt_member *g = realloc(m, (cap = cap ? 2 * cap : 8) *
						       sizeof *m);
			if (g == NULL)
				goto out;
			m = g;
		}
		buf_init(&m[n].text);
		m[n].idx = n;
		j->b = &m[n++].text;
		fmt_ws(j);
		ks = j->p;
		if (j->p == j->end || *j->p != '"' || fmt_string(j, OUT_KEY) < 0)
			goto out;
		m[n - 1].key = ks + 1;
		m[n - 1].klen = (size_t)(j->p - ks) - 2;
		fmt_ws(j);
		if (j->p == j->end || *j->p++ != ':')
			goto out;
		buf_puts(j->b, ": ");
		if (fmt_value(j) < 0)
			goto out;
		fmt_ws(j);
		if (j->p == j->end)
			goto out;
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != '}')
			goto out;
		break;
	}
	qsort(m, n, sizeof *m, member_cmp);
	j->b = out;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, ",");
		fmt_indent(j);
		buf_append(out, m[i].text.data, m[i].text.len);
	}
	j->depth--;
	fmt_indent(j);
	buf_puts(out, "}");
	r = 0;
out:
	j->b = out;
	for (size_t i = 0; i < n; i++)
		buf_free(&m[i].text);
	free(m);
	return r;
}

/* object or array: open is '{' or '[' */
static int
fmt_container(struct json_fmt *j, char open)
{
	char close = open == '{' ? '}' : ']';
	bool first = true;

	if (++j->depth > JSON_VALID_MAX_DEPTH)
		return -1;
	j->p++;
	buf_append(j->b, &open, 1);
	fmt_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		buf_append(j->b, &close, 1);
		return 0;
	}
	if (open == '{' && j->sort)
		return fmt_members_sorted(j);
	for (;;) {
		if (!first)
			buf_puts(j->b, ",");
		first = false;
		fmt_indent(j);
		fmt_ws(j);
		if (open == '{') {
			if (j->p == j->end || *j->p != '"' ||
			    fmt_string(j, OUT_KEY) < 0)
				return -1;
			fmt_ws(j);
			if (j->p == j->end || *j->p++ != ':')
				return -1;
			buf_puts(j->b, j->keep ? ":" : ": ");
		}
		if (fmt_value(j) < 0)
			return -1;
		fmt_ws(j);
		if (j->p == j->end)
			return -1;
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != close)
			return -1;
		break;
	}
	j->depth--;
	fmt_indent(j);
	buf_append(j->b, &close, 1);
	return 0;
}

static int
fmt_literal(struct json_fmt *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return -1;
	fmt_put(j, OUT_LITERAL, word, n);
	j->p += n;
	return 0;
}

static int
fmt_value(struct json_fmt *j)
{
	fmt_ws(j);
	if (j->p == j->end)
		return -1;
	switch (*j->p) {
	case '{':
	case '[':
		return fmt_container(j, *j->p);
	case '"':
		return fmt_string(j, OUT_STRING);
	case 't':
		return fmt_literal(j, "true");
	case 'f':
		return fmt_literal(j, "false");
	case 'n':
		return fmt_literal(j, "null");
	default:
		return fmt_number(j);
	}
}

int
out_json_format(struct buf *b, const char *in, size_t len, bool color,
		bool sort_keys)
{
	struct json_fmt j = { in, in + len, b, color, false, sort_keys, 0 };

	if (fmt_value(&j) < 0)
		return -1;
	fmt_ws(&j);
	return j.p == j.end ? 0 : -1;
}

int
out_json_color(struct buf *b, const char *in, size_t len)
{
	struct json_fmt j = { in, in + len, b, true, true, false, 0 };

	if (fmt_value(&j) < 0)
		return -1;
	fmt_ws(&j);
	return j.p == j.end ? 0 : -1;
}

static void
head_status(FILE *fp, const char *line, size_t len, bool color)
{
	const char *sp = memchr(line, ' ', len);
	enum out_color c = OUT_OK;

	if (sp == NULL || (size_t)(sp - line) + 4 > len) {
		fprintf(fp, "%s%.*s%s", out_sgr(color, OUT_BOLD), (int)len, line,
			out_sgr(color, OUT_RESET));
		return;
	}
	if (sp[1] == '3')
		c = OUT_REDIRECT;
	else if (sp[1] >= '4')
		c = OUT_ERROR;
	fprintf(fp, "%s%.*s %s%.*s%s%s", out_sgr(color, OUT_BOLD),
		(int)(sp - line), line, out_sgr(color, c),
		(int)(len - (size_t)(sp + 1 - line)), sp + 1,
		out_sgr(color, OUT_RESET), out_sgr(color, OUT_RESET));
}

void
out_head_line(FILE *fp, const char *line, size_t len, const char *eol,
	      bool color)
{
	const char *colon = memchr(line, ':', len);

	if (!color || len == 0) {
		fwrite(line, 1, len, fp);
	} else if (len > 5 && memcmp(line, "HTTP/", 5) == 0) {
		head_status(fp, line, len, color);
	} else if (colon) {
		fprintf(fp, "%s%.*s%s%.*s", out_sgr(color, OUT_HNAME),
			(int)(colon - line), line, out_sgr(color, OUT_RESET),
			(int)(len - (size_t)(colon - line)), colon);
	} else {
		fwrite(line, 1, len, fp);
	}
	fputs(eol, fp);
}

bool
out_is_binary(const void *p, size_t len)
{
	return memchr(p, 0, len < 8192 ? len : 8192) != NULL;
}

void
out_binary_note(FILE *fp)
{
	fputs("+-----------------------------------------+\n"
	      "| NOTE: binary data not shown in terminal |\n"
	      "+-----------------------------------------+\n"
	      "(use -o FILE to save it, or pipe the output)\n", fp);
}

const char *
out_size(char *buf, size_t size, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%.0f %s", bytes, unit[u]);
	else
		snprintf(buf, size, "%.1f %s", bytes, unit[u]);
	return buf;
}

static int
term_columns(FILE *fp)
{
	struct winsize ws;

	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

void
out_progress(FILE *fp, const char *label, double now, double total)
{
	char size[32], lab[40] = "";
	int cols = term_columns(fp);
	int width;

	out_size(size, sizeof size, now);
	if (label)
		snprintf(lab, sizeof lab, "%.30s ", label);
	width = cols - 1 - (int)strlen(lab) - 20;
	if (total <= 0 || width < 10) {
		fprintf(fp, "\r%s%s", lab, size);
	} else {
		double frac = now / total > 1 ? 1 : now / total;
		int fill = (int)(frac * width);
		fprintf(fp, "\r%s", lab);
		for (int i = 0; i < width; i++)
			fputc(i < fill ? '#' : ' ', fp);
		fprintf(fp, " %5.1f%% %10s", frac * 100, size);
	}
	fputs("\033[K", fp);
	fflush(fp);
}

void
out_progress_end(FILE *fp)
{
	fputc('\n', fp);
	fflush(fp);
}

int
out_read_secret(const char *prompt, char *buf, size_t size)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	struct termios old, quiet;
	size_t n = 0;
	char c;

	if (fd < 0 || size == 0)
		return fd < 0 ? -1 : (close(fd), -1);
	if (tcgetattr(fd, &old) < 0) {
		close(fd);
		return -1;
	}
	/* echo goes off before the prompt shows, and nothing typed is lost */
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSANOW, &quiet);
	if (write(fd, prompt, strlen(prompt)) < 0) {
		tcsetattr(fd, TCSANOW, &old);
		close(fd);
		return -1;
	}
	while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
		if (n + 1 < size)
			buf[n++] = c;
	buf[n] = 0;
	tcsetattr(fd, TCSANOW, &old);
	ssize_t w = write(fd, "\n", 1);	/* end the prompt's line */
	(void)w;
	close(fd);
	return (int)n;
}
