#!/bin/sh
# regen-sniff-golden.sh - regenerate the expected outputs of the sniffer's
# golden tests (tests/data/sniff/TESTLIST) on purpose, after a change in
# output that was meant.  Review the diff before committing it.
#
#   scripts/regen-sniff-golden.sh [NAME...]   expected files (all, or NAMEs)
#   scripts/regen-sniff-golden.sh --pcaps     also rebuild the hand-made pcaps
#   scripts/regen-sniff-golden.sh --record    also re-record real traffic
#                                             (root: tcpdump on lo)
# HTTPTOOL selects the binary (default ./httptool).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tests/data/sniff
bin=${HTTPTOOL:-$root/httptool}
case "${1:-}" in
--record)
	shift
	HTTPTOOL=$bin "$dir/record.sh" "$dir"
	editcap -F pcapng "$dir/python-server.pcap" "$dir/python-server.pcapng"
	python3 "$dir/mkpcaps.py" "$dir"
	;;
--pcaps)
	shift
	python3 "$dir/mkpcaps.py" "$dir"
	;;
esac
mkdir -p "$dir/expected"
only=" $* "
grep -v '^#' "$dir/TESTLIST" | grep -v '^[[:space:]]*$' |
while read -r name input expected flags; do
	if [ "$only" != "  " ]; then
		case "$only" in *" $name "*) ;; *) continue ;; esac
	fi
	eval "set -- $flags"
	(cd "$dir" && "$bin" sniff -r "$input" "$@" > "expected/$expected" 2>/dev/null) || true
	echo "regenerated $expected ($name)"
done
