#!/bin/sh
# bench/sniff.sh - httptool sniff vs tshark (and tcpdump) on one capture.
#
# Records ~PACKETS packets (default 500000) of keep-alive HTTP load (wrk
# against nginx on lo, captured with tcpdump -c), or takes an existing
# pcap, then times, side by side in one run, printing the summary of
# every frame to /dev/null:
#   httptool sniff -r, tshark -r, tcpdump -nr
# and, with BEFORE=path, the same sniff -r by an older httptool binary
# (to show what a change did to speed and memory beside tshark).  The
# readers take turns ROUNDS times (default 3); each line gives the median
# wall and CPU (user + system) time and the largest peak RSS, from
# /usr/bin/time -v, and the ratios to tshark.  The load average is
# printed before and after: on a shared machine the CPU time is the
# figure to compare.  With VERBOSE=1 the httptool binaries and tshark
# also print every frame's tree (-V) once.  Then, when it recorded the
# capture, a live run: httptool sniff on lo while wrk drives nginx at
# full rate, reporting packets captured and dropped.  Needs root.
#
#   bench/sniff.sh [PACKETS | FILE.pcap]
#       HTTPTOOL=path  the binary (default ./httptool)
#       BEFORE=path    an older binary to run beside it
#       ROUNDS=n       turns per reader (default 3)
#       VERBOSE=1      add one -V run of each
#       PORT=n         nginx's port when recording (default: a free one)
set -eu
arg=${1:-500000}
rounds=${ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPTOOL:-$root/httptool}
before=${BEFORE:-}
. "$root/bench/lib.sh"
bench_workdir

if [ -f "$arg" ]; then
	pcap=$arg
else
	pcap=$work/load.pcap
	port=${PORT:-$(free_port)}
	nginx_start "$work" "$port"
	record_load "$pcap" "$arg" "$port"
	ok=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/index.html")
	[ "$ok" = 200 ] || { echo "bench: nginx answers $ok, not 200: the capture would be errors" >&2; exit 1; }
fi
ls -l "$pcap" | awk '{print "capture:", $5, "bytes"}'
[ -z "$before" ] || echo "before: $before ($("$before" --version 2>&1 | head -1))"
echo "after:  $bin ($("$bin" --version 2>&1 | head -1))"

# Every reader once per round, in turn, so a change of load hits all.
time_out=/dev/null
echo "== reading it back, summaries to /dev/null, $rounds rounds (load $(cut -d' ' -f1-3 /proc/loadavg))"
: > "$work/results"
i=0
while [ $i -lt "$rounds" ]; do
	time_run httptool "$bin" sniff -r "$pcap"
	[ -z "$before" ] || time_run before "$before" sniff -r "$pcap"
	time_run tshark tshark -r "$pcap"
	time_run tcpdump tcpdump -nr "$pcap"
	i=$((i + 1))
done
if [ "${VERBOSE:-}" = 1 ]; then
	time_run httptool-V "$bin" sniff -V -r "$pcap"
	[ -z "$before" ] || time_run before-V "$before" sniff -V -r "$pcap"
	time_run tshark-V tshark -V -r "$pcap"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# results: NAME WALL RSS CPU per run -> median wall, median CPU, max RSS
sort -k1,1 -k2,2n "$work/results" | awk '
	{ n[$1]++; w[$1, n[$1]] = $2; if ($3 > r[$1]) r[$1] = $3; c[$1, n[$1]] = $4
	  if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
	function med(a, name,   m, i, j, t, v) {
		m = n[name]
		for (i = 1; i <= m; i++) v[i] = a[name, i]
		for (i = 2; i <= m; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
	}
	END {
		printf "%-12s %9s %9s %9s %10s %10s\n", "reader", "wall s", "CPU s", "RSS MB", "tshark/x", "RSS x/ts"
		split("httptool before tshark tcpdump httptool-V before-V tshark-V", want, " ")
		for (i = 1; i in want; i++) {
			x = want[i]; if (!(x in n)) continue
			ts = x ~ /-V$/ ? "tshark-V" : "tshark"
			printf "%-12s %9.2f %9.2f %9.1f %9.1fx %9.3fx\n", x, med(w, x), med(c, x), r[x] / 1024,
			       med(c, ts) / med(c, x), r[x] / r[ts]
		}
		if ("before" in n)
			printf "after vs before: wall %+.1f %%, CPU %+.1f %%, peak RSS %+.1f %%\n",
			       100 * (med(w, "httptool") / med(w, "before") - 1),
			       100 * (med(c, "httptool") / med(c, "before") - 1),
			       100 * (r["httptool"] / r["before"] - 1)
	}'
echo "(tshark/x: tshark's CPU time over this reader's; RSS x/ts: this reader's peak RSS over tshark's)"

[ -n "${port:-}" ] || exit 0
echo "== live: httptool sniff on lo while wrk drives nginx for 10 s"
"$bin" sniff -i lo -f "tcp port $port" -a duration:12 > /dev/null 2> "$work/live.err" &
live=$!
sleep 1
wrk -t 2 -c 8 -d 10 "http://127.0.0.1:$port/index.html" | grep -E "Requests/sec"
wait "$live" || true
grep -E "captured|dropped" "$work/live.err"
