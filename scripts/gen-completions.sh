#!/bin/sh
# gen-completions.sh - build the bash, zsh and fish completions from the
# option tables (STYLE.md 15: one source of truth).
#
#   scripts/gen-completions.sh HTTPTOOL OUTDIR   write OUTDIR/httptool.bash,
#                                                 OUTDIR/_httptool, OUTDIR/httptool.fish
#   scripts/gen-completions.sh --fields          print the display-filter fields (TSV)
#   scripts/gen-completions.sh --routes          print the server's route names
#
# The hand-written logic of each shell lives in completions/*.in; this
# script only fills the line holding "@GENERATED@" with data taken from
# `HTTPTOOL __complete` (TSV: CMD -s --long ARG KIND CHOICES HELP; command
# rows have KIND "command").  Outputs are rewritten only when they change,
# so `make` stays quiet and timestamps stay put.  POSIX sh and awk only:
# this runs on every `make`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# Display-filter fields, one per line as "NAME<TAB>TYPE<TAB>DESCRIPTION":
# from the table behind filter_fields() in capture/filter*.c (rows such as
# { "http.host", FF_HTTP_HOST, "string", "Host" }, line breaks allowed);
# without that table, the names of enum filter_field, without types.
fields() {
	set -- "$root"/capture/filter*.c
	if [ -f "$1" ]; then
		# one table row per line, whatever its line breaks
		list=$(cat "$@" | tr '\n\t' '  ' | sed 's/{/\
{/g' | sed -n 's/^{ *"\([a-z0-9_.-]*\)", *FF_[A-Z0-9_]*, *"\([a-z]*\)", *"\([^"]*\)".*/\1	\2	\3/p')
		if [ -n "$list" ]; then
			printf '%s\n' "$list"
			return
		fi
	fi
	printf '%s\n' http http.request http.response http.request.method \
		http.request.uri http.host http.response.code \
		http.content_type http.cookie http.set_cookie http.user_agent \
		http.time tcp tcp.port tcp.srcport tcp.dstport tcp.stream ip \
		ip.addr ip.src ip.dst ipv6 ipv6.addr ipv6.src ipv6.dst \
		frame.number frame.len
}

# Routes of `httptool serve`, completed after "…:PORT/": from the route
# table in server/routes.c (rows such as { "/status/", true, ... }), else
# the list of issue 3.  A trailing "/", "?" or "=" means the route wants
# more after it.
routes() {
	if [ -f "$root/server/routes.c" ]; then
		list=$(sed -n 's/^[[:space:]]*{ *"\/\([^"]\{1,\}\)", *\(true\|false\),.*/\1/p' \
			"$root/server/routes.c")
		if [ -n "$list" ]; then
			printf '%s\n' "$list"
			return
		fi
	fi
	printf '%s\n' test_get test_post login whoami get post put patch \
		delete anything headers ip user-agent status/ redirect/ \
		relative-redirect/ absolute-redirect/ 'redirect-to?url=' \
		cookies 'cookies/set?' 'cookies/delete?' basic-auth/ bearer \
		delay/ stream/ bytes/ stream-bytes/ range/ drip gzip deflate \
		cache etag/ response-headers html json xml uuid base64/ \
		forms/post upload fault/close-early fault/wrong-length \
		fault/bad-chunk 'fault/slow-headers?ms=' fault/no-response \
		fault/reset fault/http10
}

case "${1:-}" in
--fields) fields; exit 0 ;;
--routes) routes; exit 0 ;;
esac

if [ $# -ne 2 ]; then
	echo "usage: $0 HTTPTOOL OUTDIR | --fields | --routes" >&2
	exit 2
fi
bin=$1
case $bin in */*) ;; *) bin=./$bin ;; esac	# a bare name is a file here
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" __complete >"$tmp/dump.tsv"
fields | cut -f1 >"$tmp/fields"
routes >"$tmp/routes"
if ! grep -q '	command	' "$tmp/dump.tsv"; then
	echo "$0: '$bin __complete' printed no commands" >&2
	exit 1
fi

# Commands whose option tables are identical share one case branch; the
# group key is the command's rows without the command column.
group() {
	awk -F '\t' '
	$5 == "command" { if (!($1 in sig)) { order[++n] = $1; sig[$1] = "" }; next }
	{ sig[$1] = sig[$1] "\n" $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 }
	END {
		for (i = 1; i <= n; i++) {
			c = order[i]
			if (sig[c] in first) { members[first[sig[c]]] = members[first[sig[c]]] " " c; continue }
			first[sig[c]] = c; members[c] = c; lead[++m] = c
		}
		for (i = 1; i <= m; i++) print lead[i] "\t" members[lead[i]]
	}' "$tmp/dump.tsv"
}
group >"$tmp/groups"

# Shared awk helpers: rows of one command, quoting for each shell.
awklib='
function sq(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
function fishq(s) { gsub(/\\/, "\\\\", s); gsub(/\047/, "\\\047", s); return "\047" s "\047" }
function zdesc(s) { gsub(/\\/, "\\\\", s); gsub(/\[/, "\\[", s); gsub(/\]/, "\\]", s); return s }
function zmsg(s) { gsub(/\\/, "\\\\", s); gsub(/:/, "\\:", s); return s }
function words(s) { gsub(/\|/, " ", s); return s }
'

gen_bash() {
	awk -F '\t' "$awklib"'
	FILENAME ~ /groups$/ { glead[++ng] = $1; gmem[$1] = $2; next }
	FILENAME ~ /fields$/ { fl = fl (fl == "" ? "" : " ") $0; next }
	FILENAME ~ /routes$/ { rl = rl (rl == "" ? "" : " ") $0; next }
	$5 == "command" { cmds = cmds (cmds == "" ? "" : " ") $1; next }
	{
		r = ++nrow[$1]; sh[$1, r] = $2; lg[$1, r] = $3; arg[$1, r] = $4
		kind[$1, r] = $5; ch[$1, r] = $6
	}
	END {
		print "_httptool_commands=" sq(cmds)
		print "_httptool_fields=" sq(fl)
		print "_httptool_routes=" sq(rl)
		print "# REPLY: every option of command $1"
		print "_httptool_options() {"
		print "\tcase $1 in"
		for (g = 1; g <= ng; g++) {
			c = glead[g]; s = ""
			for (r = 1; r <= nrow[c]; r++) {
				if (sh[c, r] != "") s = s " " sh[c, r]
				if (lg[c, r] != "") s = s " " lg[c, r]
			}
			m = gmem[c]; gsub(/ /, "|", m)
			print "\t" m ") REPLY=" sq(substr(s, 2)) " ;;"
		}
		print "\t*) REPLY= ;;"
		print "\tesac"
		print "}"
		print "# REPLY: what the argument of option $2 of command $1 is"
		print "# (none, file, dir, iface, filter, url, user, choice:a|b);"
		print "# status 1 when the option takes no argument"
		print "_httptool_argkind() {"
		print "\tcase $1 in"
		for (g = 1; g <= ng; g++) {
			c = glead[g]; m = gmem[c]; gsub(/ /, "|", m)
			print "\t" m ")"
			print "\t\tcase $2 in"
			for (r = 1; r <= nrow[c]; r++) {
				if (arg[c, r] == "") continue
				pat = sh[c, r]
				if (lg[c, r] != "") pat = pat (pat == "" ? "" : "|") lg[c, r]
				k = kind[c, r]; if (k == "choice") k = k ":" ch[c, r]
				print "\t\t" pat ") REPLY=" sq(k) " ;;"
			}
			print "\t\t*) return 1 ;;"
			print "\t\tesac ;;"
		}
		print "\t*) return 1 ;;"
		print "\tesac"
		print "}"
	}' "$tmp/groups" "$tmp/fields" "$tmp/routes" "$tmp/dump.tsv"
}

gen_zsh() {
	awk -F '\t' "$awklib"'
	FILENAME ~ /groups$/ { glead[++ng] = $1; gmem[$1] = $2; next }
	FILENAME ~ /fields$/ { fl = fl " " sq($0); next }
	FILENAME ~ /routes$/ { rl = rl " " sq($0); next }
	$5 == "command" { cmds = cmds "\n\t" sq($1 ":" $7); next }
	{
		r = ++nrow[$1]; sh[$1, r] = $2; lg[$1, r] = $3; arg[$1, r] = $4
		kind[$1, r] = $5; ch[$1, r] = $6; hp[$1, r] = $7
	}
	function action(k, c) {
		if (k == "file") return "_httptool_files"
		if (k == "dir") return "_files -/"
		if (k == "iface") return "_httptool_ifaces"
		if (k == "filter") return "_httptool_fields"
		if (k == "url") return "_httptool_urls"
		if (k == "user") return "_users"
		if (k == "choice") return "(" words(c) ")"
		return " "
	}
	function spec(o, c, r, isshort,   s) {
		gsub(/:/, "\\\\:", o)	# so that -: is an option, not an argument spec
		s = "*" o
		if (arg[c, r] != "") s = s (isshort ? "+" : "=")
		s = s "[" zdesc(hp[c, r]) "]"
		if (arg[c, r] != "")
			s = s ":" zmsg(arg[c, r]) ":" action(kind[c, r], ch[c, r])
		return sq(s)
	}
	END {
		print "_httptool_commands=(" cmds "\n)"
		print "_httptool_field_names=(" fl " )"
		print "_httptool_route_names=(" rl " )"
		print "# reply: the _arguments specs of command $1"
		print "_httptool_optspecs() {"
		print "\tcase $1 in"
		for (g = 1; g <= ng; g++) {
			c = glead[g]; m = gmem[c]; gsub(/ /, "|", m)
			print "\t" m ") reply=("
			for (r = 1; r <= nrow[c]; r++) {
				if (sh[c, r] != "") print "\t\t" spec(sh[c, r], c, r, 1)
				if (lg[c, r] != "") print "\t\t" spec(lg[c, r], c, r, 0)
			}
			print "\t) ;;"
		}
		print "\t*) reply=() ;;"
		print "\tesac"
		print "}"
	}' "$tmp/groups" "$tmp/fields" "$tmp/routes" "$tmp/dump.tsv"
}

gen_fish() {
	awk -F '\t' "$awklib"'
	FILENAME ~ /groups$/ { glead[++ng] = $1; gmem[$1] = $2; next }
	FILENAME ~ /fields$/ { fl = fl " " $0; next }
	FILENAME ~ /routes$/ { rl = rl " " $0; next }
	$5 == "command" { cn[++nc] = $1; cs[nc] = $7; cl = cl " " $1; next }
	{
		r = ++nrow[$1]; sh[$1, r] = $2; lg[$1, r] = $3; arg[$1, r] = $4
		kind[$1, r] = $5; ch[$1, r] = $6; hp[$1, r] = $7
	}
	function action(k, c) {
		if (k == "file") return " -r -F -a \047(__fish_httptool_at_files)\047"
		if (k == "dir") return " -x -a \047(__fish_complete_directories (commandline -ct) \"\")\047"
		if (k == "iface") return " -x -a \047(__fish_httptool_ifaces)\047"
		if (k == "filter") return " -x -a \047(__fish_httptool_fields)\047"
		if (k == "url") return " -x -a \047(__fish_httptool_urls)\047"
		if (k == "user") return " -x -a \047(__fish_complete_users)\047"
		if (k == "choice") return " -x -a " sq(words(c))
		return " -x"
	}
	END {
		print "set -g __fish_httptool_field_names" fl
		print "set -g __fish_httptool_route_names" rl
		print "set -g __fish_httptool_command_names" cl
		for (i = 1; i <= nc; i++)
			print "complete -c httptool -n \047not __fish_httptool_cmd\047 -a " cn[i] " -d " fishq(cs[i])
		for (g = 1; g <= ng; g++) {
			c = glead[g]
			cond = "__fish_httptool_using " gmem[c]
			for (r = 1; r <= nrow[c]; r++) {
				s = "complete -c httptool -n " sq(cond)
				if (sh[c, r] != "") s = s " -s " fishq(substr(sh[c, r], 2))
				if (lg[c, r] != "") s = s " -l " substr(lg[c, r], 3)
				if (arg[c, r] != "") s = s action(kind[c, r], ch[c, r])
				print s " -d " fishq(hp[c, r])
			}
		}
	}' "$tmp/groups" "$tmp/fields" "$tmp/routes" "$tmp/dump.tsv"
}

# splice TEMPLATE DATA OUTPUT: replace the "@GENERATED@" line of TEMPLATE
# with DATA; write OUTPUT only when its content changes.
splice() {
	awk -v data="$2" '
	/@GENERATED@/ { while ((getline l < data) > 0) print l; done = 1; next }
	{ print }
	END { if (!done) { print "no @GENERATED@ line in " FILENAME > "/dev/stderr"; exit 1 } }
	' "$1" >"$tmp/out"
	if ! cmp -s "$tmp/out" "$3"; then
		cp "$tmp/out" "$3.tmp.$$"
		mv "$3.tmp.$$" "$3"
	fi
}

mkdir -p "$out"
gen_bash >"$tmp/bash"
gen_zsh >"$tmp/zsh"
gen_fish >"$tmp/fish"
splice "$root/completions/httptool.bash.in" "$tmp/bash" "$out/httptool.bash"
splice "$root/completions/_httptool.in" "$tmp/zsh" "$out/_httptool"
splice "$root/completions/httptool.fish.in" "$tmp/fish" "$out/httptool.fish"
