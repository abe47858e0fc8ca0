#!/bin/sh
# gen-man-options.sh - build man/*.1 from the hand-written man/*.1.in,
# splicing in what must never be typed twice (STYLE.md 15):
#
#   .\" @OPTIONS cmd [cmd...]@   the OPTIONS entries of those commands, from
#                                `httptool __complete` (the --help tables);
#                                one page may cover several commands (get,
#                                post, ...): an option missing from some of
#                                them says which have it
#   .\" @EXIT_STATUS [N...]@     the EXIT STATUS list from lib/exitcode.h
#                                (all codes, or only the ones named)
#   .\" @COMMANDS@               the subcommands, their summaries and pages
#   .\" @FIELDS@                 the display-filter fields (-Y), from
#                                scripts/gen-completions.sh --fields
#   .\" @TUI_KEYS@               the keys of `sniff --tui`, from the key
#                                table in capture/tui/keys.c
#   @VERSION@                    `httptool --version`, anywhere
#
# A command covered by a page of another name (post by httptool-get.1,
# help by httptool.1) gets an alias: a symbolic link to that page (not a
# ".so" page, which mandoc calls fragile; `make install` installs the link
# as a link).
# Outputs are rewritten only when they change.  POSIX sh and awk only.
#
# usage: scripts/gen-man-options.sh HTTPTOOL SRCDIR OUTDIR
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 HTTPTOOL SRCDIR OUTDIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=$1
case $bin in */*) ;; *) bin=./$bin ;; esac	# a bare name is a file here
src=$2
out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" __complete >"$tmp/dump.tsv"
version=$("$bin" --version | sed 's/^httptool //')
"$here/gen-completions.sh" --fields >"$tmp/fields.tsv"

# lib/exitcode.h: "EXIT_NAME = N, /* what */" -> N<TAB>what.  A code with
# no comment of its own gets a phrase below, else its name in words.
awk '
/^[ \t]*EXIT_[A-Z0-9_]+ *= *[0-9]+/ {
	line = $0
	name = line; sub(/^[ \t]*EXIT_/, "", name); sub(/ *=.*/, "", name)
	code = line; sub(/^[^=]*= */, "", code); sub(/[^0-9].*/, "", code)
	what = ""
	if (line ~ /\/\*/) { what = line; sub(/.*\/\* */, "", what); sub(/ *\*\/.*/, "", what) }
	if (what == "" && name ~ /^HTTP_[0-9]XX$/)
		what = "with --check-status: the last response had status " tolower(substr(name, 6))
	if (what == "" && name == "CURL_TOO_MANY_REDIRECTS")
		what = "too many redirects (more than --max-redirs)"
	if (what == "" && name == "CURL_SEND") what = "failed sending data"
	if (what == "" && name == "CURL_RECV") what = "failed receiving data"
	if (what == "") { what = tolower(name); sub(/^curl_/, "", what); gsub(/_/, " ", what) }
	print code "\t" what
}' "$root/lib/exitcode.h" >"$tmp/exit.tsv"

# The TUI's key table (keydefs[] in capture/tui/keys.c: the help screen
# and the dispatch read it), lines such as
#   K("g G Home End", "first / last packet", k_ends, 'g', ...),
# as KEYS<TAB>WHAT, C escapes undone.
if [ -f "$root/capture/tui/keys.c" ]; then
	sed -n 's/^[[:space:]]*K("\(.*\)", "\([^"]*\)", k_.*/\1	\2/p' \
		"$root/capture/tui/keys.c" |
		sed 's/\\\\/\\/g; s/\\"/"/g'
fi >"$tmp/keys.tsv"

# Which page covers which commands.
for f in "$src"/*.1.in; do
	[ -f "$f" ] || continue
	page=$(basename "$f" .1.in)
	sed -n 's/^\.\\" @OPTIONS \(.*\)@ *$/\1/p' "$f" | tr ' ' '\n' |
		sed "/^\$/d; s/^/$page	/"
done >"$tmp/pages.tsv"

mkdir -p "$out"

# put FILE DEST: replace DEST with FILE when they differ.
put() {
	if ! cmp -s "$1" "$2"; then
		cp "$1" "$2.tmp.$$"
		mv "$2.tmp.$$" "$2"
	fi
}

for f in "$src"/*.1.in; do
	[ -f "$f" ] || continue
	awk -F '\t' -v version="$version" '
	# Roff-escape help text: backslashes, and the dashes of options
	# (a "-" at a word start or after another dash) as \-.
	function esc(s,   o, i, c, p, n) {
		o = ""; p = " "; n = length(s)
		for (i = 1; i <= n; i++) {
			c = substr(s, i, 1)
			if (c == "\\") o = o "\\e"
			else if (c == "-" && (p == " " || p == "(" || p == "-" || p == "/" || p == "[" || p == "\"")) o = o "\\-"
			else o = o c
			p = c
		}
		if (o ~ /^[.\047]/) o = "\\&" o
		return o
	}
	# Fill roff text into lines of at most 78 bytes at spaces (mandoc
	# -Tlint calls longer input lines a style fault); a line that would
	# start with a control character gets \&.
	function wrap(s,   o, w, n, i, line) {
		n = split(s, w, " "); o = ""; line = ""
		for (i = 1; i <= n; i++) {
			if (line != "" && length(line) + 1 + length(w[i]) > 78) {
				o = o (o == "" ? "" : "\n") line; line = w[i]
			} else line = line (line == "" ? "" : " ") w[i]
			if (o != "" && line == w[i] && line ~ /^[.\047]/) line = "\\&" line
		}
		return o (o == "" ? "" : "\n") line
	}
	function sentence(s) {
		s = toupper(substr(s, 1, 1)) substr(s, 2)
		if (s !~ /[.]$/) s = s "."
		return wrap(esc(s))
	}
	function options(cmds,   n, list, i, c, k, parts, sh, lg, ar, pk, head, v, nv, w) {
		n = split(cmds, list, " ")
		print ".\\\" generated by scripts/gen-man-options.sh from httptool __complete for: " cmds
		nk = 0
		for (i = 1; i <= n; i++) {
			c = list[i]
			for (r = 1; r <= nrow[c]; r++) {
				k = key[c, r]
				if (!(k in seen)) {
					seen[k] = 1; order[++nk] = k; who[k] = c; cnt[k] = 0
					help[k] = hlp[c, r]; choices[k] = cho[c, r]
				}
				else who[k] = who[k] ", " c
				cnt[k]++
			}
		}
		for (i = 1; i <= nk; i++) {
			k = order[i]; split(k, parts, "\t")
			sh = parts[1]; lg = parts[2]; ar = parts[3]
			head = ""
			if (sh != "") head = "\\fB" esc(sh) "\\fR"
			if (lg != "") head = head (head == "" ? "" : ", ") "\\fB" esc(lg) "\\fR"
			if (ar != "") head = head " \\fI" esc(ar) "\\fR"
			print ".TP"
			print head
			print sentence(help[k])
			if (choices[k] != "") {
				nv = split(choices[k], v, "|"); w = ""
				for (j = 1; j <= nv; j++) w = w (j > 1 ? ", " : "") "\\fB" esc(v[j]) "\\fR"
				print "\\fI" esc(ar) "\\fR is one of " w "."
			}
			if (cnt[k] < n) print "Only for " esc(who[k]) "."
			delete seen[k]
		}
	}
	function exits(want,   i, wl, nw, ok, parts) {
		nw = split(want, wl, " ")
		for (i = 1; i <= nexit; i++) {
			split(exitrow[i], parts, "\t")
			ok = (nw == 0)
			for (j = 1; j <= nw; j++) if (wl[j] == parts[1]) ok = 1
			if (!ok) continue
			print ".TP"
			print ".B " parts[1]
			print sentence(parts[2])
		}
	}
	function fieldlist(   i, parts, line) {
		if (nfield == 0) return
		if (ftyped) {
			for (i = 1; i <= nfield; i++) {
				split(fieldrow[i], parts, "\t")
				print ".TP"
				print ".B " parts[1]
				print esc(parts[3]) " (" esc(parts[2]) ")."
			}
			return
		}
		line = ""
		for (i = 1; i <= nfield; i++) {
			split(fieldrow[i], parts, "\t")
			line = line (i > 1 ? ",\n" : "") "\\fB" parts[1] "\\fR"
		}
		print ".PP"
		print line "."
	}
	function keylist(   i, parts) {
		if (nkey == 0) {
			print ".PP"
			print "Press \\fB?\\fR in the interface for its keys."
			return
		}
		for (i = 1; i <= nkey; i++) {
			split(keyrow[i], parts, "\t")
			print ".TP"
			print "\\fB" esc(parts[1]) "\\fR"
			print sentence(parts[2])
		}
	}
	function commandlist(   i, c, pg) {
		for (i = 1; i <= ncmd; i++) {
			c = cmdname[i]; pg = pageof[c]
			print ".TP"
			print "\\fBhttptool " esc(c) "\\fR"
			print sentence(cmdsum[c])
			if (pg != "" && pg != "httptool") print "See \\fB" esc(pg) "\\fR(1)."
		}
	}
	FILENAME ~ /exit\.tsv$/ { exitrow[++nexit] = $0; next }
	FILENAME ~ /keys\.tsv$/ { keyrow[++nkey] = $0; next }
	FILENAME ~ /fields\.tsv$/ { fieldrow[++nfield] = $0; if ($2 != "") ftyped = 1; next }
	FILENAME ~ /pages\.tsv$/ { pageof[$2] = $1; next }
	FILENAME ~ /dump\.tsv$/ {
		if ($5 == "command") { cmdname[++ncmd] = $1; cmdsum[$1] = $7; next }
		r = ++nrow[$1]; k = $2 "\t" $3 "\t" $4; key[$1, r] = k
		hlp[$1, r] = $7; cho[$1, r] = $6
		next
	}
	/^\.\\" @OPTIONS .*@ *$/ { s = $0; sub(/^\.\\" @OPTIONS /, "", s); sub(/@ *$/, "", s); options(s); next }
	/^\.\\" @EXIT_STATUS.*@ *$/ { s = $0; sub(/^\.\\" @EXIT_STATUS */, "", s); sub(/@ *$/, "", s); exits(s); next }
	/^\.\\" @FIELDS@/ { fieldlist(); next }
	/^\.\\" @COMMANDS@/ { commandlist(); next }
	/^\.\\" @TUI_KEYS@/ { keylist(); next }
	{ gsub(/@VERSION@/, version); print }
	' "$tmp/exit.tsv" "$tmp/keys.tsv" "$tmp/fields.tsv" "$tmp/pages.tsv" \
		"$tmp/dump.tsv" "$f" \
		>"$tmp/page"
	put "$tmp/page" "$out/$(basename "$f" .in)"
done

# Aliases for commands documented under another page's name: links in the
# same folder (an old ".so" page or a stale link is replaced).
while IFS='	' read -r page cmd; do
	[ "$page" = "httptool-$cmd" ] && continue
	alias="$out/httptool-$cmd.1"
	if [ -L "$alias" ] && [ "$(readlink "$alias")" = "$page.1" ]; then
		continue
	fi
	rm -f "$alias"
	ln -s "$page.1" "$alias"
done <"$tmp/pages.tsv"

# A command without a page is a documentation bug; the e2e test fails on
# it, `make` only warns so that a new command can land first.
awk -F '\t' 'FILENAME ~ /pages/ { has[$2] = 1; next }
	$5 == "command" && !has[$1] { print "gen-man-options: no man page covers httptool " $1 > "/dev/stderr" }
' "$tmp/pages.tsv" "$tmp/dump.tsv"
