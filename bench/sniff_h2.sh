#!/bin/sh
# bench/sniff_h2.sh - httptool sniff vs tshark on a capture of HTTP/2 load
# (issue 16's sniff speed check), side by side in one run.
#
# Records on lo, with dumpcap into /dev/shm: h2load -n REQUESTS (default
# 200000) -c 64 -m 10 over h2c (prior knowledge) against httptool serve
# --threads 1 --quiet serving a 1 KiB file, as bench/h2.sh loads it.
# Then times, with /usr/bin/time -v (wall time, peak RSS), every frame's
# summary to /dev/null:
#   httptool sniff -r              (h2c recognised by content)
#   tshark -r -d tcp.port==PORT,http2
# and prints the ratio (the issue asks for at least 5x).  A capture with
# dropped packets stops the run.  Needs root (capture on lo).
#
#   bench/sniff_h2.sh [REQUESTS]      HTTPTOOL=path selects the binary
set -eu
n=${1:-200000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPTOOL:-$root/httptool}
. "$root/bench/lib.sh"
bench_workdir
bench_shm

mkdir -p "$work/www"
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/www/file.txt"
port=$(free_port)
"$bin" serve --threads 1 --quiet -d "$work/www" "$port" & pids="$pids $!"
wait_up serve "http://127.0.0.1:$port/file.txt"
pcap=$shm/h2.pcapng
dumpcap_start "$pcap" "$port"
echo "== recording h2load -n $n -c 64 -m 10 (h2c) against serve --threads 1"
h2load -n "$n" -c 64 -m 10 "http://127.0.0.1:$port/file.txt" |
	grep -E "^finished|^requests:|^status codes"
dumpcap_stop "$pcap" "try fewer REQUESTS"

measure() {	# NAME COMMAND...
	time_run "$@"
	printf '%-10s %8.2f s (CPU %.2f s)  %6d MB peak RSS  %s frames, %s HEADERS[..]: 200 OK\n' \
	       "$name" "$secs" "$cpu" $((rss / 1024)) "$(wc -l < "$work/out.$name")" \
	       "$(grep -o 'HEADERS\[[0-9]*\]: 200 OK' "$work/out.$name" | wc -l)"
}

echo "== reading it back, summaries to /dev/null"
: > "$work/results"
measure httptool "$bin" sniff -r "$pcap"
measure tshark tshark -r "$pcap" -d "tcp.port==$port,http2"
awk '{ t[$1] = $2; m[$1] = $3; c[$1] = $4 }
     END { printf "httptool is %.1fx tshark'"'"'s speed (CPU time: %.1fx); RSS %.0f MB vs %.0f MB (tshark)\n",
	   t["tshark"] / t["httptool"], c["tshark"] / c["httptool"],
	   m["httptool"] / 1024, m["tshark"] / 1024 }' \
	"$work/results"
