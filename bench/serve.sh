#!/bin/sh
# bench/serve.sh - httptool serve against nginx and h2o, side by side, one
# run, all on 127.0.0.1, as issue 19 asks:
#
#   bench/serve.sh [HTTPTOOL]        (DURATION=5s, UPLOAD_MB=1024,
#                                     SLOW=5000, RUNS=7, D1M=3s and
#                                     PARTS="1 1b 2 3" by default)
#
# 1. One core each: every server runs one worker (httptool --threads 1
#    --quiet, nginx worker_processes 1, h2o num-threads 1), pinned with
#    taskset to the same core, no access log; wrk -t1 -c64 -d5s runs on
#    the other core.  Same document root: a 1 KiB file, a 1 MiB file and,
#    for nginx and h2o, /get as a static JSON file of the size httptool's
#    generated /get reply has.  Prints req/s, transfer rate and the ratio
#    to nginx; httptool+log is the same server with its default access
#    log (to /dev/null).
# 1b. The 1 MiB file in RUNS rounds alternating nginx and httptool:
#    median, spread and CPU seconds per GB of each.
# 2. /upload of UPLOAD_MB MiB (curl -F, multipart) to a fresh httptool
#    (pinned, --threads 1): rate, and the server's peak RSS before/after.
#    UPLOAD_DIR=/dev/shm/x puts the saved file on tmpfs, to tell the
#    server's cost from the disk's (default: the temporary directory).
# 3. Slowloris (bench/slowloris.py): SLOW connections that trickle a
#    header line a second, against httptool --max-connections 1024 and
#    nginx with worker_connections 1024, while a normal client sends 200
#    whole requests; their statuses and latencies.
# Configuration files are generated into a temporary directory; every
# server is stopped by its PID.
set -eu

HT=${1:-$(dirname "$0")/../httptool}
HT=$(cd "$(dirname "$HT")" && pwd)/$(basename "$HT")
DURATION=${DURATION:-5s}
UPLOAD_MB=${UPLOAD_MB:-1024}
SLOW=${SLOW:-5000}
PARTS=${PARTS:-1 1b 2 3}	# which of the parts below to run
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
for t in wrk nginx h2o curl python3 taskset; do
	command -v $t >/dev/null || { echo "bench/serve.sh: $t is missing (make deps)" >&2; exit 1; }
done
[ -x "$HT" ] || { echo "bench/serve.sh: no binary at $HT (make)" >&2; exit 1; }

dir=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
. "$(dirname "$0")/lib.sh"

cores=$(nproc)
srv_cpu=$((cores > 1 ? 1 : 0))	# the servers' core; wrk and curl on 0
pin="taskset -c $srv_cpu"
mkdir -p "$dir/www" "$dir/tmp" "$dir/up"
chmod 755 "$dir" "$dir/www"	# nginx and h2o workers are not root
head -c 1024 /dev/urandom | base64 -w 64 | head -c 1024 >"$dir/www/small.txt"
head -c 1048576 /dev/urandom >"$dir/www/1m.bin"
chmod 644 "$dir/www/small.txt" "$dir/www/1m.bin"

# httptool
ht_port=$(free_port)
$pin "$HT" serve "$ht_port" -d "$dir/www" --quiet --threads 1 \
	--upload-dir "$dir/up" >/dev/null &
ht_master=$!
pids="$pids $!"
wait_up httptool "http://127.0.0.1:$ht_port/small.txt"
# and one with the default (python) access log, written to /dev/null
hl_port=$(free_port)
$pin "$HT" serve "$hl_port" -d "$dir/www" --threads 1 \
	--upload-dir "$dir/up" >/dev/null 2>&1 &
pids="$pids $!"
wait_up httptool+log "http://127.0.0.1:$hl_port/small.txt"
# the other servers serve /get as a file of the same size as ours
curl -s "http://127.0.0.1:$ht_port/get" -H 'User-Agent: wrk' >"$dir/www/get"
chmod 644 "$dir/www/get"

# nginx
ng_port=$(free_port)
nginx_conf "$dir" "    sendfile on;
    tcp_nopush on;
    types { text/plain txt; application/octet-stream bin; }
    server {
        listen 127.0.0.1:$ng_port;
        root $dir/www;
        location = /get { default_type application/json; }
    }"
$pin nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
ng_master=$!
pids="$pids $!"
wait_up nginx "http://127.0.0.1:$ng_port/small.txt"

# h2o
h2_port=$(free_port)
h2o_conf "$dir" "$h2_port"
$pin h2o -c "$dir/h2o.conf" >/dev/null 2>&1 &
pids="$pids $!"
wait_up h2o "http://127.0.0.1:$h2_port/small.txt"

# run NAME PORT PATH: prints "req/s transfer/s"
run() {
	out=$(taskset -c 0 wrk -t1 -c64 -d"$DURATION" "http://127.0.0.1:$2$3" 2>&1)
	rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
	xfer=$(echo "$out" | awk '/^Transfer\/sec/ { print $2 }')
	if echo "$out" | grep -q -e 'Non-2xx' -e 'Socket errors'; then
		echo "bench/serve.sh: $1 $3 had errors:" >&2
		echo "$out" | grep -e 'Non-2xx' -e 'Socket errors' >&2
	fi
	echo "${rps:-0} ${xfer:-?}"
}

# row PATH NAME "RPS XFER" NGINX_RPS
row() {
	rps=${3%% *} xfer=${3#* }
	ratio=$(awk "BEGIN { if ($4 > 0) printf \"%.2fx\", $rps / $4; else print \"-\" }")
	printf '%-11s %-13s %12s %12s %8s\n' "$1" "$2" "$rps" "$xfer" "$ratio"
}

# warm every server up (page cache, lazy allocations) before measuring
for p in "$ng_port" "$h2_port" "$ht_port" "$hl_port"; do
	taskset -c 0 wrk -t1 -c64 -d1s "http://127.0.0.1:$p/small.txt" >/dev/null 2>&1
done

if want 1; then
printf 'wrk -t1 -c64 -d%s on 127.0.0.1 (core 0), one worker per server (core %s)\n' \
	"$DURATION" "$srv_cpu"
printf '%-11s %-13s %12s %12s %8s\n' target server req/s transfer/s vs-nginx
for path in /small.txt /1m.bin /get; do
	ng=$(run nginx "$ng_port" "$path")
	h2=$(run h2o "$h2_port" "$path")
	ht=$(run httptool "$ht_port" "$path")
	row "$path" nginx "$ng" "${ng%% *}"
	row "$path" h2o "$h2" "${ng%% *}"
	row "$path" httptool "$ht" "${ng%% *}"
	if [ "$path" = /small.txt ]; then
		hl=$(run httptool+log "$hl_port" "$path")
		row "$path" httptool+log "$hl" "${ng%% *}"
	fi
done

fi

hwm() { awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$1/status"; }
# CPU seconds a process has used, all its threads (utime + stime)
cpu() { cat /proc/"$1"/task/*/stat | awk -v hz="$(getconf CLK_TCK)" \
	'{ sub(/.*\) /, ""); t += $12 + $13 } END { printf "%.2f", t / hz }'; }

if want 1b; then
# 1b. The 1 MiB file again, RUNS rounds alternating nginx and httptool
# (D1M each), since one 5 s run per server moves by +-40 % on a shared
# machine: each round's MB/s, then the median and the spread (min-max)
# of each, and the server's CPU seconds per GB sent (utime + stime of
# nginx's worker and of httptool; the load inflates wall time far more
# than CPU time).
RUNS=${RUNS:-7}
D1M=${D1M:-3s}
ng_worker=$(pgrep -P "$ng_master" | head -1)
ht_pid=$ht_master
printf '\n1 MiB file, %s rounds of wrk -d%s alternating (load %s):\n' \
	"$RUNS" "$D1M" "$(cut -d' ' -f1-3 /proc/loadavg)"
: >"$dir/r1m"
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	for who in nginx httptool; do
		if [ $who = nginx ]; then p=$ng_port pid=$ng_worker
		else p=$ht_port pid=$ht_pid; fi
		c0=$(cpu "$pid")
		r=$(run $who "$p" /1m.bin)
		c1=$(cpu "$pid")
		echo "$who ${r%% *} $c0 $c1" >>"$dir/r1m"
	done
	awk -v i=$i 'NR > 2 * (i - 1) { mb[$1] = $2 * 1.048576 }
	    END { printf "  round %d: nginx %7.1f MB/s  httptool %7.1f MB/s  %.2fx\n",
	    i, mb["nginx"], mb["httptool"], mb["httptool"] / mb["nginx"] }' "$dir/r1m"
done
# median, spread and CPU per GB of each
sort -k1,1 -k2,2n "$dir/r1m" | awk '
	{ n[$1]++; v[$1, n[$1]] = $2 * 1.048576
	}
	END {
	for (s in n) {
		k = n[s]
		med[s] = k % 2 ? v[s, (k + 1) / 2] : (v[s, k / 2] + v[s, k / 2 + 1]) / 2
		printf "  %-9s median %7.1f MB/s, min %7.1f, max %7.1f\n", s, med[s], v[s, 1], v[s, k]
	}
	printf "  httptool / nginx, medians: %.2fx\n", med["httptool"] / med["nginx"]
	}'
# CPU seconds per GB: bytes sent = MB/s x the run length
awk -v d="${D1M%s}" '{ b[$1] += $2 * 1048576 * d; c[$1] += $4 - $3 }
	END { for (s in b) printf "  %-9s %.3f CPU s per GB sent\n", s, c[s] / (b[s] / 1e9) }' "$dir/r1m"

fi

if want 2; then
# 2. /upload of UPLOAD_MB MiB to a fresh server: rate and peak RSS
head -c $((UPLOAD_MB * 1048576)) /dev/zero >"$dir/big.bin"
up_dir=${UPLOAD_DIR:-$dir/up}
mkdir -p "$up_dir"
up_port=$(free_port)
$pin "$HT" serve "$up_port" -d "$dir/www" --quiet --threads 1 \
	--upload-dir "$up_dir" --max-body-size $((UPLOAD_MB * 1048576 + 65536)) \
	>/dev/null &
up_pid=$!
pids="$pids $up_pid"
wait_up httptool-upload "http://127.0.0.1:$up_port/get"
before=$(hwm $up_pid)
cpu0=$(cpu $up_pid)
secs=$(taskset -c 0 curl -s -o /dev/null -w '%{time_total}' \
	-F "file=@$dir/big.bin" "http://127.0.0.1:$up_port/upload")
after=$(hwm $up_pid)
cpu1=$(cpu $up_pid)
saved=$(stat -c %s "$up_dir"/big* 2>/dev/null | head -1)
[ "${saved:-0}" -eq $((UPLOAD_MB * 1048576)) ] ||
	echo "bench/serve.sh: the upload saved ${saved:-no} bytes" >&2
rm -f "$up_dir"/big* "$dir/big.bin"
awk -v mb="$UPLOAD_MB" -v d="$(df --output=fstype "$up_dir" | tail -1)" -v s="$secs" -v a="$before" -v b="$after" \
    -v c="$(awk "BEGIN { print $cpu1 - $cpu0 }")" 'BEGIN {
	printf "/upload of %d MiB (curl -F) to %s: %.2f s, %.2f GB/s; server CPU %.2f s (%.2f GB per CPU second); peak RSS %d MB before, %d MB after\n",
	    mb, d, s, mb * 1048576 / s / 1e9, c, (c > 0 ? mb * 1048576 / c / 1e9 : 0), a, b }'

fi

want 3 || exit 0
# 3. slowloris: SLOW slow connections, 1024 allowed, a normal client
sl_port=$(free_port)
"$HT" serve "$sl_port" -d "$dir/www" --quiet --max-connections 1024 \
	>/dev/null 2>&1 &
pids="$pids $!"
wait_up httptool-slowloris "http://127.0.0.1:$sl_port/small.txt"
ns_port=$(free_port)
sed -e "s/listen 127.0.0.1:$ng_port;/listen 127.0.0.1:$ns_port;/" \
	-e "s|pid $dir/nginx.pid;|pid $dir/nginx2.pid;|" \
	"$dir/nginx.conf" >"$dir/nginx2.conf"
nginx -p "$dir" -c "$dir/nginx2.conf" -g 'daemon off;' &
pids="$pids $!"
wait_up nginx-slowloris "http://127.0.0.1:$ns_port/small.txt"
echo "slowloris: $SLOW connections trickling a header line a second;" \
	"200 normal requests, each on a new connection"
printf '%-34s %s\n' "httptool, no slowloris (baseline)" \
	"$(python3 "$(dirname "$0")/slowloris.py" "$sl_port" 1 3)"
printf '%-34s %s\n' "httptool --max-connections 1024" \
	"$(python3 "$(dirname "$0")/slowloris.py" "$sl_port" "$SLOW")"
printf '%-34s %s\n' "nginx worker_connections 1024" \
	"$(python3 "$(dirname "$0")/slowloris.py" "$ns_port" "$SLOW")"
