#!/bin/sh
# bench/sniff.sh - httptool sniff vs tshark (and tcpdump) on one capture.
#
# Records ~PACKETS packets (default 500000) of keep-alive HTTP load (wrk
# against nginx on lo, captured with tcpdump -c), then times, side by
# side in one run, printing the summary of every frame to /dev/null:
#   httptool sniff -r, tshark -r, tcpdump -r
# with /usr/bin/time -v for wall time and peak RSS, and prints the ratios.
# Then a live run: httptool sniff on lo while wrk drives nginx at full
# rate, reporting packets captured and dropped.  Needs root (capture).
#
#   bench/sniff.sh [PACKETS]        HTTPTOOL=path selects the binary
set -eu
packets=${1:-500000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPTOOL:-$root/httptool}
. "$root/bench/lib.sh"
bench_workdir

port=$(free_port)
nginx_start "$work" "$port"
record_load "$work/load.pcap" "$packets" "$port"
ls -l "$work/load.pcap" | awk '{print "capture:", $5, "bytes"}'
ok=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/index.html")
[ "$ok" = 200 ] || { echo "bench: nginx answers $ok, not 200: the capture would be errors" >&2; exit 1; }

measure() {	# NAME COMMAND...
	name=$1; shift
	/usr/bin/time -v "$@" > /dev/null 2> "$work/time.$name" || true
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$name")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$name")
	secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	echo "$name $secs $rss" >> "$work/results"
	printf '%-10s %8.2f s  %8d MB peak RSS\n' "$name" "$secs" $((rss / 1024))
}

echo "== reading it back, summaries to /dev/null"
: > "$work/results"
measure httptool "$bin" sniff -r "$work/load.pcap"
measure tshark tshark -r "$work/load.pcap"
measure tcpdump tcpdump -nr "$work/load.pcap"
awk '{ t[$1] = $2; m[$1] = $3 }
     END { printf "httptool is %.1fx tshark'"'"'s speed, %.1fx tcpdump'"'"'s; RSS %.0f MB vs %.0f MB (tshark)\n",
	   t["tshark"] / t["httptool"], t["tcpdump"] / t["httptool"],
	   m["httptool"] / 1024, m["tshark"] / 1024 }' "$work/results"

echo "== live: httptool sniff on lo while wrk drives nginx for 10 s"
"$bin" sniff -i lo -f "tcp port $port" -a duration:12 > /dev/null 2> "$work/live.err" &
live=$!
sleep 1
wrk -t 2 -c 8 -d 10 "http://127.0.0.1:$port/index.html" | grep -E "Requests/sec"
wait "$live" || true
grep -E "captured|dropped" "$work/live.err"
