/*
 * cmd_sniff.c - `httptool sniff`: capture and decode HTTP.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/filter.h"
#include "capture/print.h"
#include "capture/print_fields.h"
#include "capture/sniff.h"
#include "capture/source.h"
#include "capture/tui/tui.h"
#include "capture/zstat.h"
#include "cmd.h"
#include "privsep.h"
#include "proc.h"

enum {
	OPT_HELP = 'h',
	OPT_PCAPNG = 256, OPT_JSON, OPT_FOLLOW, OPT_FOLLOW_HTTP, OPT_STATS,
	OPT_HAR, OPT_TUI, OPT_FLOW_MEM, OPT_TOTAL_MEM, OPT_LADDER, OPT_KEYLOG,
};

static const struct opt_spec sniff_opts[] = {
	{ 'i', 'i', "interface", "IFACE", "capture on IFACE (default lo; any for all)", OPTC_IFACE, NULL },
	{ 'D', 'D', "list-interfaces", NULL, "list the interfaces and exit", OPTC_NONE, NULL },
	{ 'f', 'f', "capture-filter", "BPF", "capture filter in pcap-filter syntax", OPTC_NONE, NULL },
	{ 'c', 'c', "count", "N", "stop after N packets", OPTC_NONE, NULL },
	{ 'a', 'a', "autostop", "duration:SECS", "stop after SECS", OPTC_NONE, NULL },
	{ 'w', 'w', "write", "FILE", "also write the packets (-r -Y: matches and their segments)", OPTC_FILE, NULL },
	{ OPT_PCAPNG, 0, "pcapng", NULL, "write pcapng instead of pcap", OPTC_NONE, NULL },
	{ 'r', 'r', "read", "FILE", "read packets from FILE (- for stdin)", OPTC_FILE, NULL },
	{ 's', 's', "snaplen", "BYTES", "capture at most BYTES of each packet", OPTC_NONE, NULL },
	{ 'B', 'B', "buffer-size", "MIB", "kernel capture buffer size", OPTC_NONE, NULL },
	{ 'Z', 'Z', "user", "USER", "drop privileges to USER after opening (default nobody)", OPTC_USER, NULL },
	{ 'Y', 'Y', "display-filter", "FILTER", "show only what matches FILTER (Wireshark syntax)", OPTC_FILTER, NULL },
	{ 'V', 'V', "verbose", NULL, "print the detail tree of each packet", OPTC_NONE, NULL },
	{ 'O', 'O', "only", "PROTOS", "print the tree, expanding only these protocols (http)", OPTC_CHOICE, "http|http2|websocket|tls|tcp|ip|frame" },
	{ 'x', 'x', "hex", NULL, "add a hex and ASCII dump of each packet", OPTC_NONE, NULL },
	{ 'T', 'T', "output-format", "FORMAT", "tshark's output formats: text, or the -e fields as fields, json or ek", OPTC_CHOICE, "text|fields|json|ek" },
	{ 'e', 'e', "field", "FIELD", "a field for -T fields/json/ek (repeat for more)", OPTC_FILTER, NULL },
	{ 'E', 'E', "field-option", "OPT=VAL", "-T fields: header=y, separator=/t|/s|C, aggregator=C, quote=d|s|n, occurrence=f|l|a", OPTC_NONE, NULL },
	{ OPT_JSON, 0, "json", NULL, "one JSON object per HTTP message", OPTC_NONE, NULL },
	{ OPT_FOLLOW, 0, "follow", "N", "print TCP stream N as text", OPTC_NONE, NULL },
	{ OPT_FOLLOW_HTTP, 0, "follow-http", "N", "print stream N as HTTP (de-chunked, decompressed)", OPTC_NONE, NULL },
	{ OPT_STATS, 0, "stats", NULL, "print request, status, timing and per-connection statistics", OPTC_NONE, NULL },
	{ OPT_LADDER, 0, "ladder", NULL, "print the connections as a ladder diagram (SYN/FIN/RST and HTTP messages)", OPTC_NONE, NULL },
	{ 'z', 'z', "statistics", "STAT", "a tshark table after the packets: conv,tcp|udp, endpoints,ip|ipv6, http,tree, http_req,tree, http_srv,tree", OPTC_NONE, NULL },
	{ 't', 't', "time-format", "FORMAT", "time column as tshark -t: r, d, dd, a, ad, u, ud or e", OPTC_CHOICE, "r|d|dd|a|ad|u|ud|e" },
	{ 'q', 'q', "quiet", NULL, "no per-packet output (with -z: only the tables)", OPTC_NONE, NULL },
	{ '2', '2', "two-pass", NULL, "accepted as tshark's (-r reads twice when an output needs it)", OPTC_NONE, NULL },
	{ 'n', 'n', "no-resolve", NULL, "no name resolution (the default; accepted as tshark's)", OPTC_NONE, NULL },
	{ OPT_HAR, 0, "har", "FILE", "write every exchange as HAR 1.2 to FILE", OPTC_FILE, NULL },
	{ OPT_TUI, 0, "tui", NULL, "open the three-pane terminal interface", OPTC_NONE, NULL },
	{ OPT_FLOW_MEM, 0, "flow-mem", "BYTES", "out-of-order bytes kept per flow", OPTC_NONE, NULL },
	{ OPT_TOTAL_MEM, 0, "total-mem", "BYTES", "bytes held in all: out-of-order data, heads, bodies", OPTC_NONE, NULL },
	{ OPT_KEYLOG, 0, "keylog", "FILE", "decrypt TLS with the secrets in FILE (NSS key log; default $SSLKEYLOGFILE)", OPTC_FILE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static const char sniff_description[] =
	"Captures on an interface (default lo) or reads a pcap/pcapng file and\n"
	"decodes HTTP/1.x on any TCP port, recognised by content.  TCP streams\n"
	"are reassembled (out of order, retransmitted and overlapping segments\n"
	"handled; held bytes limited by --flow-mem and --total-mem) and each\n"
	"request is paired with its response by order within the stream.\n"
	"\n"
	"Output: one summary line per frame in tshark's layout (default), the\n"
	"detail tree (-V, -O http to expand only HTTP), a hex dump (-x), or one\n"
	"JSON object per HTTP message (--json).  With -r the file is read twice\n"
	"so a request can name its response frame.  -Y takes Wireshark display\n"
	"filters.  With -- COMMAND, the capture runs while COMMAND does.\n"
	"\n"
	"TLS is recognised by content too: handshakes are decoded without keys,\n"
	"and records are decrypted with the secrets of an NSS key log\n"
	"(--keylog, else $SSLKEYLOGFILE), the HTTP inside dissected as if sent\n"
	"in clear.  -- COMMAND gets a private SSLKEYLOGFILE, so what it sends\n"
	"over TLS is decrypted with no flag at all.\n"
	"\n"
	"Live capture needs CAP_NET_RAW; started as root, httptool drops to -Z\n"
	"USER (default nobody) once the capture is open.\n";

static int
sniff_usage(const char *what, const char *arg)
{
	return cmd_usage("sniff", what, arg);
}

/* A non-negative whole number with an optional k/m/g suffix (bytes). */
static int
sniff_size(const char *arg, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (end == arg || errno || arg[0] == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int
sniff_expand(const char *arg, unsigned *expand)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	*expand = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "http") == 0)
			*expand |= EXPAND_HTTP;
		else if (strcmp(tok, "websocket") == 0)
			*expand |= EXPAND_WS;
		else if (strcmp(tok, "http2") == 0)
			*expand |= EXPAND_H2;
		else if (strcmp(tok, "tls") == 0)
			*expand |= EXPAND_TLS;
		else if (strcmp(tok, "tcp") == 0)
			*expand |= EXPAND_TCP;
		else if (strcmp(tok, "ip") == 0 || strcmp(tok, "ipv6") == 0)
			*expand |= EXPAND_IP;
		else if (strcmp(tok, "frame") == 0)
			*expand |= EXPAND_FRAME;
		else if (strcmp(tok, "eth") == 0 || strcmp(tok, "sll") == 0)
			*expand |= EXPAND_LINK;
		else
			return -1;
	}
	return 0;
}

struct sniff_cli {
	struct sniff_opts o;
	const char *filter_text;
	bool list, tui, only_set;
	struct tfields tf;		/* -T, -e, -E */
	struct zstat z;			/* -z: the tables asked for */
};

/* One option into c; returns -1 to go on, else an exit status. */
static int
sniff_option(const struct cmd_entry *self, struct sniff_cli *c, int id,
	     const char *arg)
{
	unsigned long long n;

	switch (id) {
	case 'i': c->o.iface = arg; break;
	case 'D': c->list = true; break;
	case 'f': c->o.bpf = arg; break;
	case 'c':
		if (sniff_size(arg, &n) < 0 || n == 0 || n > LONG_MAX)
			return sniff_usage("bad packet count", arg);
		c->o.count = (long)n;
		break;
	case 'a':
		if (strncmp(arg, "duration:", 9) != 0 ||
		    !(strtod(arg + 9, NULL) > 0))
			return sniff_usage("bad autostop condition (want "
					   "duration:SECS)", arg);
		c->o.duration = strtod(arg + 9, NULL);
		break;
	case 'w': c->o.write = arg; break;
	case OPT_PCAPNG: c->o.pcapng = true; break;
	case 'r': c->o.read = arg; break;
	case 's':
		if (sniff_size(arg, &n) < 0 || n > 262144)
			return sniff_usage("bad snapshot length", arg);
		c->o.snaplen = n ? (int)n : 262144;
		break;
	case 'B':
		if (sniff_size(arg, &n) < 0 || n == 0 || n > 4096)
			return sniff_usage("bad buffer size (MiB)", arg);
		c->o.buffer_mib = (int)n;
		break;
	case 'Z': c->o.user = arg; break;
	case OPT_KEYLOG: c->o.keylog = arg; break;
	case 'Y': c->filter_text = arg; break;
	case 'V': c->o.verbose = true; break;
	case 'O':
		if (sniff_expand(arg, &c->o.expand) < 0)
			return sniff_usage("unknown protocol for -O", arg);
		c->only_set = true;
		c->o.verbose = true;	/* as tshark: -O implies the tree */
		break;
	case 'x': c->o.hex = true; break;
	case 'T':
		c->tf.fmt = !strcmp(arg, "fields") ? TFMT_FIELDS :
			    !strcmp(arg, "json") ? TFMT_JSON :
			    !strcmp(arg, "ek") ? TFMT_EK : TFMT_TEXT;
		if (c->tf.fmt == TFMT_TEXT && strcmp(arg, "text"))
			return sniff_usage("unknown output format for -T (want "
					   "text, fields, json or ek)", arg);
		break;
	case 'e':
	case 'E': {
		char err[200];

		if ((id == 'e' ? tfields_add(&c->tf, arg, err, sizeof err) :
		     tfields_option(&c->tf, arg, err, sizeof err)) < 0)
			return sniff_usage(err, NULL);
		break;
	}
	case OPT_JSON: c->o.json = true; break;
	case OPT_FOLLOW:
	case OPT_FOLLOW_HTTP:
		if (sniff_size(arg, &n) < 0 || n > LONG_MAX)
			return sniff_usage("bad stream number", arg);
		c->o.follow = (long)n;
		c->o.follow_http = id == OPT_FOLLOW_HTTP;
		break;
	case OPT_STATS: c->o.stats = true; break;
	case OPT_LADDER: c->o.ladder = true; break;
	case 'z': {
		char err[160];

		if (zstat_add(&c->z, arg, err, sizeof err) < 0)
			return sniff_usage(err, arg);
		c->o.zstat = &c->z;
		break;
	}
	case 'q': c->o.quiet = true; break;
	case 't': {
		static const char *const names[] = {
			[TFMT_ABS] = "a", [TFMT_ABS_DATE] = "ad",
			[TFMT_DELTA] = "d", [TFMT_DELTA_DISP] = "dd",
			[TFMT_EPOCH] = "e", [TFMT_UTC] = "u",
			[TFMT_UTC_DATE] = "ud", [TFMT_REL_EXPLICIT] = "r",
		};
		int k;

		for (k = 1; k <= TFMT_REL_EXPLICIT; k++)
			if (!strcmp(arg, names[k]))
				break;
		if (k > TFMT_REL_EXPLICIT)
			return sniff_usage("unknown time format for -t (want "
					   "r, d, dd, a, ad, u, ud or e)", arg);
		c->o.tfmt = k;
		break;
	}
	case '2': case 'n': break;
	case OPT_HAR: c->o.har = arg; break;
	case OPT_TUI: c->tui = true; break;
	case OPT_FLOW_MEM:
	case OPT_TOTAL_MEM:
		if (sniff_size(arg, &n) < 0)
			return sniff_usage("bad memory size", arg);
		*(id == OPT_FLOW_MEM ? &c->o.flow_mem : &c->o.total_mem) =
			n ? (size_t)n : 1;
		break;
	case OPT_HELP:
		cmd_print_help(self, stdout);
		return EXIT_OK;
	}
	return -1;
}

/*
 * The key log: --keylog, else $SSLKEYLOGFILE, else for -- COMMAND a
 * private one (tmp, made here) that COMMAND inherits through
 * SSLKEYLOGFILE.  The private file belongs to the -Z user so that the
 * sniffer can still remove it once it has dropped root.  Returns -1 to go
 * on, else an exit status.
 */
static int
sniff_keylog(struct sniff_cli *c, char *tmp)
{
	const char *env = getenv("SSLKEYLOGFILE"), *dir = getenv("TMPDIR");
	struct passwd *pw;
	int fd;

	if (c->o.keylog) {
		if (c->o.read && access(c->o.keylog, R_OK) < 0) {
			fprintf(stderr, "httptool sniff: cannot read the key log "
				"'%s': %s\n", c->o.keylog, strerror(errno));
			return EXIT_FAIL;
		}
		return -1;
	}
	if (env && *env) {
		c->o.keylog = env;
		return -1;
	}
	if (!c->o.command)
		return -1;
	snprintf(tmp, PATH_MAX, "%s/httptool-keys-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "httptool sniff: cannot make a key log in '%s': "
			"%s\n", dir && *dir ? dir : "/tmp", strerror(errno));
		*tmp = '\0';
		return EXIT_FAIL;
	}
	if (geteuid() == 0 &&
	    (pw = getpwnam(c->o.user ? c->o.user : "nobody")) &&
	    fchown(fd, pw->pw_uid, pw->pw_gid) < 0)
		fprintf(stderr, "httptool sniff: cannot hand the key log to "
			"'%s': %s\n", pw->pw_name, strerror(errno));
	close(fd);
	setenv("SSLKEYLOGFILE", tmp, 1);
	c->o.keylog = tmp;
	return -1;
}

/* The process work sniff asks of cli/ (struct sniff_proc, proc.h). */
struct sniff_child {
	const char *user;
	char **command;
	pid_t pid;
	int status;
};

static int
child_start(void *ctx)
{
	struct sniff_child *c = ctx;

	c->pid = proc_spawn("httptool sniff", c->command);
	return c->pid < 0 ? -1 : 0;
}

static int
child_drop(void *ctx, char *err, size_t errlen)
{
	return proc_drop_privileges(((struct sniff_child *)ctx)->user, err,
				    errlen);
}

static int
child_ended(void *ctx)
{
	struct sniff_child *c = ctx;
	int st = c->pid > 0 ? proc_status(c->pid, false) : -1;

	if (st >= 0) {
		c->pid = 0;
		c->status = st;
	}
	return st;
}

static int
child_stop(void *ctx)
{
	struct sniff_child *c = ctx;

	if (c->pid > 0) {
		c->status = proc_stop(c->pid);
		c->pid = 0;
	}
	return c->status;
}

/* A file the TUI saves: also where root could write before the drop. */
static int
child_create(void *ctx, const char *path)
{
	(void)ctx;
	return privsep_create(path);
}

/* -T, -e, -E together, as tshark takes them; -1 to go on. */
static int
tfields_check(struct sniff_cli *c)
{
	if (c->tf.fmt == TFMT_TEXT) {
		if (c->tf.n)
			return sniff_usage("-e needs -T fields, json or ek", NULL);
		return -1;
	}
	if (!c->tf.n)
		return sniff_usage(c->tf.fmt == TFMT_FIELDS ? "-T fields needs "
				   "at least one -e FIELD" : "-T json and -T ek "
				   "print the -e fields: give at least one "
				   "(--json prints HTTP messages)", NULL);
	if (c->o.verbose || c->o.hex || c->o.json || c->o.stats ||
	    c->o.ladder || c->o.follow >= 0 || c->tui)
		return sniff_usage("-T fields/json/ek is an output of its own: "
				   "drop -V, -O, -x, --json, --stats, --ladder, "
				   "--follow, --tui", NULL);
	c->o.tf = &c->tf;
	return -1;
}

/* --tui: what it cannot do is refused, never ignored. */
static int
tui_exec(struct sniff_cli *c)
{
	char err[256];
	int r;

	if (c->o.command)
		return sniff_usage("--tui does not run -- COMMAND (record with "
				   "'sniff -w FILE -- COMMAND', then "
				   "'sniff --tui -r FILE')", NULL);
	if (c->o.json || c->o.verbose || c->o.hex || c->o.stats ||
	    c->o.har || c->o.follow >= 0)
		return sniff_usage("--tui is an output of its own: drop "
				   "-V, -x, --json, --stats, --har, --follow",
				   NULL);
	if (!proc_have_tty()) {
		fprintf(stderr, "httptool sniff: --tui needs a terminal\n");
		return EXIT_USAGE;
	}
	/* live as root: saving must still work once root is given up, so
	 * the file opener starts now, before the capture opens and drops */
	if (!c->o.read && privsep_start(err, sizeof(err)) < 0) {
		fprintf(stderr, "httptool sniff: %s\n", err);
		return EXIT_FAIL;
	}
	r = tui_run(&c->o, c->filter_text);
	privsep_stop();
	return r;
}

static int
sniff_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct sniff_cli c;
	struct opt_state st;
	struct filter_error ferr;
	struct filter *filter = NULL;
	const char *arg;
	char err[256], tmpkeys[PATH_MAX] = "";
	int id, r, cmd_status;
	struct sniff_child child = { 0 };
	const struct sniff_proc procs = {
		&child, child_start, child_drop, child_ended, child_stop,
		child_create,
	};

	memset(&c, 0, sizeof(c));
	tfields_init(&c.tf);
	c.o.prog = "httptool sniff";
	c.o.follow = -1;
	c.o.expand = EXPAND_ALL;
	c.o.out = stdout;
	opt_init(&st, argc, argv, 1, "httptool sniff");
	while ((id = opt_next(&st, sniff_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return EXIT_USAGE;
		if (id == OPT_POSITIONAL) {
			if (!st.dashdash)
				return sniff_usage("unexpected argument", arg);
			c.o.command = &argv[st.dashdash];
			break;
		}
		if ((r = sniff_option(self, &c, id, arg)) >= 0)
			return r;
	}
	if (c.list) {
		if (cap_list_interfaces(stdout, err, sizeof(err)) < 0) {
			fprintf(stderr, "httptool sniff: %s\n", err);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (c.o.read && c.o.command)
		return sniff_usage("-- COMMAND needs a live capture, not -r", NULL);
	if ((r = tfields_check(&c)) >= 0)
		return r;
	/* -Y is compiled once, here, for the text output and the TUI */
	if (c.filter_text) {
		filter = filter_compile(c.filter_text, &ferr);
		if (!filter) {
			filter_error_print(stderr, "httptool sniff", c.filter_text,
					   &ferr);
			return EXIT_USAGE;
		}
		c.o.filter = filter;
	}
	if ((r = sniff_keylog(&c, tmpkeys)) >= 0) {
		filter_free(filter);
		return r;
	}
	child.user = c.o.user;
	child.command = c.o.command;
	child.status = -1;
	c.o.proc = &procs;
	if (c.tui)
		r = tui_exec(&c);
	else
		r = sniff_run(&c.o, &cmd_status);
	if (*tmpkeys)
		unlink(tmpkeys);
	filter_free(filter);
	if (c.tui)
		return r;
	if (r != EXIT_OK)
		return r;
	return c.o.command && cmd_status > 0 ? cmd_status : EXIT_OK;
}

const struct cmd_entry cmd_sniff_entry = {
	.name = "sniff",
	.summary = "capture and decode HTTP like Wireshark",
	.usage = "[OPTIONS] [-- COMMAND [ARGS...]]",
	.description = sniff_description,
	.opts = sniff_opts,
	.exec = sniff_exec,
};
