/*
 * opt_config.c - curl's config file syntax into argv words (see
 * opt_config.h).  Depends on libc and the option table only.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt_config.h"

struct words {
	char **v;
	int n, cap;
};

static int
push(struct words *w, const char *s, size_t len)
{
	char *copy;

	if (w->n == w->cap) {
		int cap = w->cap ? w->cap * 2 : 16;
		char **v = realloc(w->v, (size_t)cap * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		w->v = v;
		w->cap = cap;
	}
	if ((copy = strndup(s, len)) == NULL)
		return -ENOMEM;
	w->v[w->n++] = copy;
	return 0;
}

static const struct opt_spec *
lookup(const struct opt_spec *specs, const char *name, size_t len)
{
	for (; specs->id != 0; specs++) {
		if (len == 1 && specs->short_name == name[0])
			return specs;
		if (specs->long_name && strlen(specs->long_name) == len &&
		    strncmp(specs->long_name, name, len) == 0)
			return specs;
	}
	return NULL;
}

/* A quoted value with curl's escapes, into out (same size as p). */
static size_t
unquote(const char *p, char *out)
{
	size_t n = 0;

	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			out[n++] = *p == 't' ? '\t' : *p == 'n' ? '\n' :
				   *p == 'r' ? '\r' : *p == 'v' ? '\v' : *p;
		} else {
			out[n++] = *p;
		}
	}
	return n;
}

/* One line: 0, or -EINVAL/-ENOMEM with err set. */
static int
parse_line(struct words *w, const struct opt_spec *specs, char *line,
	   const char *where, char *err, size_t errsize)
{
	char *p = line + strspn(line, " \t"), *name, *val;
	size_t len, vlen;
	const struct opt_spec *o;
	bool dashed = *p == '-';
	char opt[160];
	int r;

	if (*p == 0 || *p == '#' || *p == '\r')
		return 0;
	while (*p == '-')
		p++;
	name = p;
	len = strcspn(p, dashed ? " \t\r" : " \t\r=:");
	o = lookup(specs, name, len);
	if (o == NULL || len == 0) {
		snprintf(err, errsize, "%s: unknown option '%.*s'", where,
			 (int)len, name);
		return -EINVAL;
	}
	if (o->long_name)
		snprintf(opt, sizeof opt, "--%s", o->long_name);
	else
		snprintf(opt, sizeof opt, "-%c", o->short_name);
	if ((r = push(w, opt, strlen(opt))) < 0 || o->arg == NULL)
		return r;
	p += len;
	p += strspn(p, " \t");
	if (!dashed && (*p == '=' || *p == ':'))
		p += 1 + strspn(p + 1, " \t");
	if (*p == '"') {
		val = malloc(strlen(p) + 1);
		if (val == NULL)
			return -ENOMEM;
		vlen = unquote(p, val);
		r = push(w, val, vlen);
		free(val);
		return r;
	}
	vlen = strcspn(p, " \t\r");
	if (vlen == 0) {
		snprintf(err, errsize, "%s: option '%s' needs a value", where, opt);
		return -EINVAL;
	}
	return push(w, p, vlen);
}

int
opt_config_read(const char *path, const struct opt_spec *specs,
		char ***words, char *err, size_t errsize)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct words w = { 0 };
	char *line = NULL, where[1100];
	size_t cap = 0;
	int r = 0, lineno = 0;

	if (fp == NULL) {
		r = -errno;
		snprintf(err, errsize, "cannot read config '%s': %s", path,
			 strerror(errno));
		/* messages are lower case (STYLE.md 8) */
		for (char *c = strrchr(err, ':'); c && c[1] && c[2]; c = NULL)
			if (c[2] >= 'A' && c[2] <= 'Z' && !(c[3] >= 'A' && c[3] <= 'Z'))
				c[2] = (char)(c[2] - 'A' + 'a');
		return r;
	}
	while (r == 0 && getline(&line, &cap, fp) >= 0) {
		line[strcspn(line, "\n")] = 0;
		snprintf(where, sizeof where, "config '%.1000s' line %d", path,
			 ++lineno);
		r = parse_line(&w, specs, line, where, err, errsize);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(err, errsize, "out of memory");
		for (int i = 0; i < w.n; i++)
			free(w.v[i]);
		free(w.v);
		return r;
	}
	*words = w.v;
	return w.n;
}
