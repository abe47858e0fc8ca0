/*
 * client_cfg.c - the client's request description: string lists, the cfg's
 * lifetime, URL shorthands, percent-encoding and file reading.
 *
 * Pure data handling: no libcurl, no terminal, so the unit tests drive it
 * directly.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "lib/out.h"

int
client_strv_addn(struct client_strv *sv, const char *s, size_t len)
{
	char *copy;

	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	copy = strndup(s, len);
	if (copy == NULL)
		return -ENOMEM;
	sv->v[sv->n++] = copy;
	return 0;
}

int
client_strv_take(struct client_strv *sv, char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	return 0;
}

int
client_strv_add(struct client_strv *sv, const char *s)
{
	return client_strv_addn(sv, s, strlen(s));
}

void
client_strv_free(struct client_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}

void
client_cfg_init(struct client_cfg *cfg, const char *prog, const char *method)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->prog = prog;
	cfg->method = method;
	cfg->pretty = PRETTY_AUTO;
	cfg->max_redirs = -1;
	cfg->parallel_max = 50;
	cfg->retry_delay_ms = -1;
	buf_init(&cfg->body);
	buf_init(&cfg->data);
}

void
client_cfg_free(struct client_cfg *cfg)
{
	client_strv_free(&cfg->urls);
	free(cfg->urlnum);
	client_strv_free(&cfg->headers);
	client_strv_free(&cfg->query);
	buf_free(&cfg->data);
	client_strv_free(&cfg->resolve);
	client_strv_free(&cfg->connect_to);
	client_strv_free(&cfg->uploads);
	client_strv_free(&cfg->argstore);
	for (size_t i = 0; i < cfg->nfields; i++) {
		free(cfg->fields[i].name);
		free(cfg->fields[i].path);
		free(cfg->fields[i].value);
	}
	free(cfg->fields);
	for (size_t i = 0; i < cfg->nparts; i++) {
		struct client_part *p = &cfg->parts[i];
		free(p->name);
		free(p->value);
		free(p->path);
		free(p->type);
		free(p->filename);
	}
	free(cfg->parts);
	for (size_t i = 0; i < cfg->nouts; i++)
		free(cfg->outs[i].path);
	free(cfg->outs);
	buf_free(&cfg->body);
	free(cfg->content_type);
	free(cfg->session_file);
	free(cfg->session_jar);
	free(cfg->session_user);
	free(cfg->user_owned);
}

static bool
all_digits(const char *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* "scheme://" with an RFC 3986 scheme name */
static bool
has_scheme(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return strncmp(p, "://", 3) == 0;
}

bool
client_looks_like_url(const char *arg)
{
	const char *colon, *end;

	if (has_scheme(arg))
		return true;
	if (arg[0] == ':')		/* :8000/x, :/x */
		return arg[1] == '/' || isdigit((unsigned char)arg[1]) ||
		       arg[1] == 0;
	if (arg[0] == '[') {		/* [::1]:8000, not the item [0]=x */
		const char *close = strchr(arg, ']');
		size_t n = close ? (size_t)(close - arg - 1) : 0;
		return close && memchr(arg, ':', n + 1) &&
		       strspn(arg + 1, "0123456789abcdefABCDEF:.%") == n &&
		       (close[1] == 0 || close[1] == ':' || close[1] == '/');
	}
	colon = strchr(arg, ':');
	if (colon == NULL && strpbrk(arg, "=@") == NULL) {
		/* no item separator: "example.org/x", "localhost/x" */
		size_t host = strcspn(arg, "/?#");
		return (host == 9 && strncmp(arg, "localhost", 9) == 0) ||
		       (memchr(arg, '.', host) != NULL && arg[0] != '.');
	}
	if (colon == NULL || colon == arg)
		return false;
	/* host:PORT[/...]: the host must look like one (a dot or localhost) */
	for (const char *p = arg; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	if (memchr(arg, '.', (size_t)(colon - arg)) == NULL &&
	    !(colon - arg == 9 && strncmp(arg, "localhost", 9) == 0))
		return false;
	end = colon + 1 + strcspn(colon + 1, "/?#");
	return all_digits(colon + 1, (size_t)(end - colon - 1));
}

int
client_url_normalise(const char *in, struct buf *out, char *err,
		     size_t errsize)
{
	buf_reset(out);
	if (*in == 0 || strchr(in, ' ') || strchr(in, '\n')) {
		snprintf(err, errsize, "bad URL '%s'", in);
		return -EINVAL;
	}
	if (in[0] == ':') {		/* HTTPie: :8000/x, :/x, : */
		const char *rest = in + 1;
		if (buf_puts(out, "http://localhost") < 0)
			return -ENOMEM;
		if (isdigit((unsigned char)*rest) && buf_puts(out, ":") < 0)
			return -ENOMEM;
		if (buf_puts(out, rest) < 0)
			return -ENOMEM;
		return 0;
	}
	if (has_scheme(in)) {
		const char *sep = strstr(in, "://"), *host = sep + 3;
		/* curl 7.88 takes a third slash as a typo: http:///h/x is
		   http://h/x; a fourth, or no host, is its exit 3 */
		if (*host == '/' && host[1] && host[1] != '/')
			host++;
		if (*host == 0 || *host == '/') {
			snprintf(err, errsize, "bad URL '%s': no host", in);
			return -EINVAL;
		}
		if (buf_append(out, in, (size_t)(sep - in) + 3) < 0 ||
		    buf_puts(out, host) < 0)
			return -ENOMEM;
		return 0;
	}
	if (strstr(in, "://")) {
		snprintf(err, errsize, "bad URL '%s': malformed scheme", in);
		return -EINVAL;
	}
	if (in[0] == '/') {
		snprintf(err, errsize, "bad URL '%s': no host", in);
		return -EINVAL;
	}
	if (buf_puts(out, "http://") < 0 || buf_puts(out, in) < 0)
		return -ENOMEM;
	return 0;
}

int
client_read_file(const char *path, struct buf *b)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;
		if (buf_reserve(b, 65536) < 0) {
			if (fd)
				close(fd);
			return -ENOMEM;
		}
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? -errno : 0;
			if (fd)
				close(fd);
			b->data[b->len] = 0;
			return e;
		}
		b->len += (size_t)n;
	}
}

const char *
client_method(const struct client_cfg *cfg)
{
	if (cfg->method_forced || cfg->head_only)
		return cfg->method;
	if (cfg->get_data)
		return "GET";
	return cfg->method;
}

char *
client_url_with_query(const struct client_cfg *cfg, size_t i)
{
	struct buf b = BUF_INIT;
	const char *url = cfg->urls.v[i];
	const char *hash = strchr(url, '#');
	size_t base = hash ? (size_t)(hash - url) : strlen(url);
	bool has_q = memchr(url, '?', base) != NULL;

	buf_append(&b, url, base);
	for (size_t k = 0; k < cfg->query.n; k++) {
		buf_puts(&b, has_q ? "&" : "?");
		buf_puts(&b, cfg->query.v[k]);
		has_q = true;
	}
	if (b.data == NULL)
		return strdup("");
	return b.data;	/* fragments are never sent */
}

const char *
client_strerror(int e)
{
	static char msg[128];

	snprintf(msg, sizeof msg, "%s", strerror(e));
	if (isupper((unsigned char)msg[0]) && !isupper((unsigned char)msg[1]))
		msg[0] = (char)tolower((unsigned char)msg[0]);
	return msg;
}

int
client_ask_password(struct client_cfg *cfg)
{
	char prompt[160], pass[256] = "";
	struct buf b = BUF_INIT;

	if (cfg->user == NULL || strchr(cfg->user, ':'))
		return 0;
	snprintf(prompt, sizeof prompt, "Enter host password for user '%.100s':",
		 cfg->user);
	if (out_read_secret(prompt, pass, sizeof pass) < 0) {
		/* no terminal: curl prompts on stderr and reads a line of stdin */
		size_t n = 0;
		char c;
		fputs(prompt, stderr);
		while (read(0, &c, 1) == 1 && c != '\n')
			if (n + 1 < sizeof pass)
				pass[n++] = c;
		if (n && pass[n - 1] == '\r')
			n--;
		pass[n] = 0;
	}
	if (buf_printf(&b, "%s:%s", cfg->user, pass) < 0)
		return -ENOMEM;
	memset(pass, 0, sizeof pass);
	cfg->user_owned = b.data;
	cfg->user = cfg->user_owned;
	return 0;
}
