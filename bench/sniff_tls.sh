#!/bin/sh
# bench/sniff_tls.sh - httptool sniff vs tshark on a TLS download with its
# key log (issue 15's speed check), side by side in one run.
#
# Records on lo, with dumpcap: a SIZE download (default 1024 MiB) from
# httptool serve --tls --keylog by curl over TLS 1.3 with AES-128-GCM
# (HTTP/1.1), then the same file over cleartext HTTP.  Then times, with
# /usr/bin/time -v (wall time, peak RSS), summaries to /dev/null:
#   httptool sniff -r tls --keylog K     tshark -r tls -o tls.keylog_file:K
#   httptool sniff -r clear
# and prints the ratios the issue asks for: sniff at least 5x tshark,
# peak RSS at most 64 MB, and within 2x of the cleartext run.  The
# download is rate-limited (RATE, default 60M bytes/s) and captured into
# /dev/shm with a 1 GiB buffer so dumpcap keeps every packet; a drop
# would leave gaps, so the run stops if there is one.  Needs root
# (capture on lo) and 2.5 GB of memory in /dev/shm.
#
#   bench/sniff_tls.sh [SIZE_MIB]      HTTPTOOL=path selects the binary;
#                                      NO_TSHARK=1 times httptool only
set -eu
mib=${1:-1024}
rate=${RATE:-60M}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPTOOL:-$root/httptool}
. "$root/bench/lib.sh"
bench_workdir
# the captures live in memory: the disk would be the bottleneck (drops)
bench_shm

mkdir -p "$work/www"
head -c "$((mib * 1024 * 1024))" /dev/urandom > "$work/www/big.bin"

record() {	# PCAP URL SERVE-FLAGS...
	pcap=$1 url=$2
	shift 2
	port=$(free_port)
	"$bin" serve --quiet -d "$work/www" "$@" "$port" & srv=$!
	pids="$pids $srv"
	i=0
	until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: serve did not start" >&2; exit 1; }
		sleep 0.1
	done
	dumpcap_start "$pcap" "$port"
	curl -sk --http1.1 --tls13-ciphers TLS_AES_128_GCM_SHA256 \
	     --limit-rate "$rate" -o /dev/null \
	     -w "downloaded %{size_download} bytes at %{speed_download} B/s\n" \
	     "$(echo "$url" | sed "s/PORT/$port/")"
	dumpcap_stop "$pcap" "try a lower RATE"
	kill "$srv"
	wait "$srv" 2>/dev/null || true
}

echo "== recording a $mib MiB download over TLS 1.3 (AES-128-GCM) and in clear"
record "$shm/tls.pcapng" "https://localhost:PORT/big.bin" --tls \
	--keylog "$work/keys.log"
record "$shm/clear.pcapng" "http://127.0.0.1:PORT/big.bin"

measure() {	# NAME COMMAND...
	time_run "$@"
	printf '%-12s %8.2f s (CPU %.2f s)  %6d MB peak RSS  %s HTTP lines\n' \
	       "$name" "$secs" "$cpu" $((rss / 1024)) \
	       "$(grep -c 'HTTP' "$work/out.$name")"
}

echo "== reading them back, summaries to /dev/null"
: > "$work/results"
measure sniff-tls "$bin" sniff -r "$shm/tls.pcapng" --keylog "$work/keys.log"
[ -n "${NO_TSHARK:-}" ] ||
	measure tshark-tls tshark -r "$shm/tls.pcapng" -o "tls.keylog_file:$work/keys.log"
measure sniff-clear "$bin" sniff -r "$shm/clear.pcapng"
# both decrypted it: the 200 OK is there
grep -q "HTTP/1.1 200 OK" "$work/out.sniff-tls" ||
	echo "bench: sniff did not decrypt the response" >&2
[ -n "${NO_TSHARK:-}" ] || grep -q "HTTP/1.1 200 OK" "$work/out.tshark-tls" ||
	echo "bench: tshark did not decrypt the response" >&2
awk '{ t[$1] = $2; m[$1] = $3; c[$1] = $4 }
     END { printf "sniff --keylog is %.1fx tshark'"'"'s speed (CPU time: %.1fx); %.2fx the cleartext run'"'"'s time (CPU: %.2fx); peak RSS %.0f MB (tshark %.0f MB)\n",
	   t["tshark-tls"] / t["sniff-tls"], c["tshark-tls"] / c["sniff-tls"],
	   t["sniff-tls"] / t["sniff-clear"], c["sniff-tls"] / c["sniff-clear"],
	   m["sniff-tls"] / 1024, m["tshark-tls"] / 1024 }' "$work/results"
