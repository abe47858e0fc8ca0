#!/bin/sh
# bench/h2.sh - httptool serve over HTTP/2 (h2c, prior knowledge) against
# h2o and nginx in one run, as issue 16 asks:
#
#   bench/h2.sh [HTTPTOOL]       (N=200000 requests by default)
#
# h2load -n N -c 64 -m 10 fetches the same 1 KiB file from each server in
# turn.  Every server runs one worker (httptool: --threads 1 --quiet;
# nginx: worker_processes 1, http2 on; h2o: num-threads 1), pinned with
# taskset to the same core, access logs off; h2load runs on another core.
# Prints req/s and the ratio to nginx, then (bench/h2errors.py) how many
# of h2spec's cases (tests/e2e/h2spec_cases.py) each server passes and
# what each answered where they differ.
# Every server is stopped by PID.
set -eu

HT=${1:-$(dirname "$0")/../httptool}
HT=$(cd "$(dirname "$HT")" && pwd)/$(basename "$HT")
N=${N:-200000}
for t in h2load nginx h2o curl taskset python3; do
	command -v $t >/dev/null || { echo "bench/h2.sh: $t is missing (make deps)" >&2; exit 1; }
done
[ -x "$HT" ] || { echo "bench/h2.sh: no binary at $HT (make)" >&2; exit 1; }
. "$(dirname "$0")/lib.sh"
bench_workdir
dir=$work
ncpu=$(nproc)
srv_cpu=$((ncpu > 1 ? 1 : 0))
mkdir -p "$dir/www" "$dir/tmp"
chmod 755 "$dir" "$dir/www"
head -c 1024 /dev/urandom | base64 -w 64 | head -c 1024 >"$dir/www/small.txt"
cp "$dir/www/small.txt" "$dir/www/index.html"	# what h2spec's cases GET
chmod 644 "$dir/www/small.txt" "$dir/www/index.html"

ht_port=$(free_port)
taskset -c $srv_cpu "$HT" serve "$ht_port" -d "$dir/www" --quiet \
	--threads 1 >/dev/null & pids="$pids $!"
wait_up httptool "http://127.0.0.1:$ht_port/small.txt"

ng_port=$(free_port)
nginx_conf "$dir" "    types { text/plain txt; }
    server { listen 127.0.0.1:$ng_port http2; root $dir/www; }"
taskset -c $srv_cpu nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' \
	& pids="$pids $!"
sleep 1

h2_port=$(free_port)
h2o_conf "$dir" "$h2_port"
taskset -c $srv_cpu h2o -c "$dir/h2o.conf" >/dev/null 2>&1 & pids="$pids $!"
wait_up h2o "http://127.0.0.1:$h2_port/small.txt"

# run PORT: prints req/s (0 when h2load saw failures)
run() {
	out=$(taskset -c 0 h2load -n "$N" -c 64 -m 10 \
		"http://127.0.0.1:$1/small.txt" 2>&1)
	ok=$(echo "$out" | awk '/^requests:/ { print $8 }')
	rps=$(echo "$out" | awk '/^finished in/ { print $4 }')
	[ "$ok" = "$N" ] || { echo "bench/h2.sh: port $1: $(echo "$out" | grep '^requests:')" >&2; rps=0; }
	echo "${rps:-0}"
}

for p in "$ng_port" "$h2_port" "$ht_port"; do	# warm up
	taskset -c 0 h2load -n 20000 -c 64 -m 10 \
		"http://127.0.0.1:$p/small.txt" >/dev/null 2>&1 || true
done
printf 'h2load -n %s -c 64 -m 10, h2c, 1 KiB file; servers on cpu %s, one worker each\n' "$N" "$srv_cpu"
ng=$(run "$ng_port")
h2=$(run "$h2_port")
ht=$(run "$ht_port")
for row in "nginx $ng" "h2o $h2" "httptool $ht"; do
	set -- $row
	awk -v n="$1" -v r="$2" -v base="$ng" 'BEGIN {
		printf "%-10s %12.0f req/s %7.2fx nginx\n", n, r, (base > 0 ? r / base : 0) }'
done

echo
echo "h2spec's cases (bench/h2errors.py; h2spec is not packaged):"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3	# the one with pytest
$py "$(dirname "$0")/h2errors.py" "nginx=$ng_port" "h2o=$h2_port" \
	"httptool=$ht_port"
