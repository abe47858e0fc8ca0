/*
 * cmd_sniff.c - `httptool sniff`: capture and decode HTTP.
 */
#include "cmd.h"

enum {
	OPT_HELP = 'h',
	OPT_PCAPNG = 256, OPT_JSON, OPT_FOLLOW, OPT_FOLLOW_HTTP, OPT_STATS,
	OPT_HAR, OPT_TUI, OPT_FLOW_MEM, OPT_TOTAL_MEM,
};

static const struct opt_spec sniff_opts[] = {
	{ 'i', 'i', "interface", "IFACE", "capture on IFACE (default lo; any for all)", OPTC_IFACE, NULL },
	{ 'D', 'D', "list-interfaces", NULL, "list the interfaces and exit", OPTC_NONE, NULL },
	{ 'f', 'f', "capture-filter", "BPF", "capture filter in pcap-filter syntax", OPTC_NONE, NULL },
	{ 'c', 'c', "count", "N", "stop after N packets", OPTC_NONE, NULL },
	{ 'a', 'a', "autostop", "duration:SECS", "stop after SECS", OPTC_NONE, NULL },
	{ 'w', 'w', "write", "FILE", "also write the packets to FILE", OPTC_FILE, NULL },
	{ OPT_PCAPNG, 0, "pcapng", NULL, "write pcapng instead of pcap", OPTC_NONE, NULL },
	{ 'r', 'r', "read", "FILE", "read packets from FILE (- for stdin)", OPTC_FILE, NULL },
	{ 's', 's', "snaplen", "BYTES", "capture at most BYTES of each packet", OPTC_NONE, NULL },
	{ 'B', 'B', "buffer-size", "MIB", "kernel capture buffer size", OPTC_NONE, NULL },
	{ 'Z', 'Z', "user", "USER", "drop privileges to USER after opening (default nobody)", OPTC_USER, NULL },
	{ 'Y', 'Y', "display-filter", "FILTER", "show only what matches FILTER (Wireshark syntax)", OPTC_FILTER, NULL },
	{ 'V', 'V', "verbose", NULL, "print the detail tree of each packet", OPTC_NONE, NULL },
	{ 'O', 'O', "only", "PROTOS", "expand only these protocols in the tree (http)", OPTC_CHOICE, "http|tcp|ip|frame" },
	{ 'x', 'x', "hex", NULL, "add a hex and ASCII dump of each packet", OPTC_NONE, NULL },
	{ OPT_JSON, 0, "json", NULL, "one JSON object per HTTP message", OPTC_NONE, NULL },
	{ OPT_FOLLOW, 0, "follow", "N", "print TCP stream N as text", OPTC_NONE, NULL },
	{ OPT_FOLLOW_HTTP, 0, "follow-http", "N", "print stream N as HTTP, bodies de-chunked", OPTC_NONE, NULL },
	{ OPT_STATS, 0, "stats", NULL, "print request, status and timing statistics", OPTC_NONE, NULL },
	{ OPT_HAR, 0, "har", "FILE", "write every exchange as HAR 1.2 to FILE", OPTC_FILE, NULL },
	{ OPT_TUI, 0, "tui", NULL, "open the three-pane terminal interface", OPTC_NONE, NULL },
	{ OPT_FLOW_MEM, 0, "flow-mem", "BYTES", "out-of-order bytes kept per flow", OPTC_NONE, NULL },
	{ OPT_TOTAL_MEM, 0, "total-mem", "BYTES", "out-of-order bytes kept in all", OPTC_NONE, NULL },
	{ OPT_HELP, 'h', "help", NULL, "show this help", OPTC_NONE, NULL },
	OPT_END_TABLE,
};

static int
sniff_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct opt_state st;
	const char *arg;
	int id;

	opt_init(&st, argc, argv, 1, "httptool sniff");
	while ((id = opt_next(&st, sniff_opts, &arg)) != OPT_DONE) {
		if (id == OPT_ERROR)
			return EXIT_USAGE;
		if (id == OPT_HELP) {
			cmd_print_help(self, stdout);
			return EXIT_OK;
		}
	}
	return cmd_not_built(self, "the sniffer");
}

const struct cmd_entry cmd_sniff_entry = {
	.name = "sniff",
	.summary = "capture and decode HTTP like Wireshark",
	.usage = "[OPTIONS] [-- COMMAND [ARGS...]]",
	.opts = sniff_opts,
	.exec = sniff_exec,
};
