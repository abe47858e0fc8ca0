#!/bin/sh
# bench/client.sh - httptool's client against curl, side by side, one run.
#
#   bench/client.sh [HTTPTOOL]
#
# A local nginx on 127.0.0.1 serves a small file and a 1 GiB one.  Three
# measurements, each for curl and then httptool with the same arguments:
#   1. 2000 requests, one URL list, one process (one keep-alive connection)
#   2. 200 separate processes, one small request each (startup cost), and
#      the floor under both: a program that only loads libcurl and runs
#      curl_global_init, timed the same way
#   3. a 1 GiB download to /dev/null
# 1 and 3 are run several times, curl and httptool alternating, and the
# best wall time of each is kept (the machine is shared; the best run is
# the least disturbed).  2 is made of runs too short for that: 600
# processes of each are timed one by one, curl's and httptool's in turn
# (so a burst of load from elsewhere hits both), and 200 times the median
# is shown.  Prints the times and httptool/curl ratios (< 1.00: httptool
# faster).  HTTPie (http, when installed) is timed on 2 and 3 for
# reference: 30 of its processes among the 600 (it is ~50 times slower),
# and one download; it cannot send a URL list in one process.
set -eu
. "$(dirname "$0")/lib.sh"

HT=${1:-$(dirname "$0")/../httptool}
HT=$(cd "$(dirname "$HT")" && pwd)/$(basename "$HT")
command -v nginx >/dev/null || { echo "bench/client.sh: nginx is missing (make deps)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench/client.sh: curl is missing (make deps)" >&2; exit 1; }
[ -x "$HT" ] || { echo "bench/client.sh: no binary at $HT (make)" >&2; exit 1; }

dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

port=$(free_port)
mkdir -p "$dir/www" "$dir/tmp"
chmod 755 "$dir" "$dir/www"	# nginx workers are not root
printf 'hello\n' >"$dir/www/small"
truncate -s 1G "$dir/www/big"
cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
    server {
        listen 127.0.0.1:$port;
        root $dir/www;
    }
}
EOF
nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
pid=$!
wait_up nginx "http://127.0.0.1:$port/small"

url=http://127.0.0.1:$port
list=$(i=0; while [ $i -lt 2000 ]; do printf '%s/small ' "$url"; i=$((i + 1)); done)

now() { date +%s.%N; }
# time_of CMD...: wall seconds of one run, output discarded
time_of() {
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	awk "BEGIN { print $t1 - $t0 }"
}
min() { awk "BEGIN { print ($1 < $2) ? $1 : $2 }"; }
# best REPS NAME -- 'CURL CMD' 'HTTPTOOL CMD': alternate, keep each best
best() {
	reps=$1 name=$2
	shift 3
	cbest=999999 hbest=999999
	r=0
	while [ $r -lt "$reps" ]; do
		c=$(time_of sh -c "$1")
		h=$(time_of sh -c "$2")
		cbest=$(min "$cbest" "$c")
		hbest=$(min "$hbest" "$h")
		r=$((r + 1))
	done
	show "$name" "$cbest" "$hbest"
}
show() {	# name curl_secs httptool_secs
	awk -v n="$1" -v c="$2" -v h="$3" 'BEGIN {
		printf "%-30s curl %7.3fs  httptool %7.3fs  ratio %.2f\n", n, c, h, h / c }'
}

# check the setup and the reuse claim before timing anything
big=$("$HT" get -s -o /dev/null -w '%{http_code} %{size_download}' "$url/big")
[ "$big" = "200 1073741824" ] || { echo "bench/client.sh: bad download ($big)" >&2; exit 1; }
conns=$("$HT" get -s $url/small $url/small -o /dev/null -o /dev/null -w '%{num_connects}')
[ "$conns" = 10 ] || { echo "bench/client.sh: connection not reused ($conns)" >&2; exit 1; }

export HT url list
best 5 "2000 requests, one connection" -- 'curl -s $list' '"$HT" get -s $list'
# The floor under both: a program that only loads libcurl (and so its
# ~30 libraries) and runs curl_global_init (OpenSSL, libssh2), as any
# libcurl client must, then exits without a transfer.
cat >"$dir/floor.c" <<'EOF'
#include <curl/curl.h>
int main(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	curl_global_cleanup();
	return 0;
}
EOF
cc -O2 -o "$dir/floor" "$dir/floor.c" $(pkg-config --libs libcurl)
# starts N: time N processes of curl, httptool and the floor, one of each
# in turn (curl and httptool alternate who goes first); prints 200 x each
# one's median wall time, then each one's median CPU time (user + system,
# ms: less disturbed by other load than the wall time)
starts() {
	python3 - "$1" "$HT" "$url/small" "$dir/floor" <<'EOF'
import os, statistics, shutil, sys, time
n, ht, url, floor = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cmds = [["curl", "-s", "-o", "/dev/null", url],
        [ht, "get", "-s", "-o", "/dev/null", url],
        ["http", "-q", "--ignore-stdin", "GET", url],
        [floor]]
have_httpie = shutil.which("http") is not None
times, cpu = [[], [], [], []], [[], [], [], []]
null = os.open(os.devnull, os.O_WRONLY)
def run(argv):
    pid = os.fork()
    if pid == 0:
        os.dup2(null, 1)
        os.execvp(argv[0], argv)
    _, st, ru = os.wait4(pid, 0)
    assert st == 0, argv
    return ru.ru_utime + ru.ru_stime
for i in range(n):
    order = [0, 1, 3] if i % 2 == 0 else [1, 0, 3]
    if have_httpie and i % (n // 30) == 0:
        order.append(2)
    for k in order:
        t0 = time.perf_counter()
        c = run(cmds[k])
        times[k].append(time.perf_counter() - t0)
        cpu[k].append(c)
print(" ".join("%.6f" % (200 * statistics.median(t)) if t else "-"
               for t in times),
      " ".join("%.3f" % (1000 * statistics.median(t)) if t else "-"
               for t in cpu))
EOF
}
st=$(starts 600)
set -- $st
show "200 process starts (median)" "$1" "$2"
awk -v c="$5" -v h="$6" -v f="$8" -v cw="$1" -v fw="$4" 'BEGIN {
	printf "%-30s curl %6.2fms  httptool %6.2fms  ratio %.2f\n", "  CPU per start (median)", c, h, h / c
	printf "%-30s %7.3fs wall (%.2f x curl), %.2fms CPU (%.2f x curl)\n", "  floor: libcurl load + init", fw, fw / cw, f, f / c }'
[ "$3" = - ] || awk -v c="$1" -v p="$3" 'BEGIN {
	printf "%-30s httpie %7.3fs  ratio to curl %.1f\n", "  HTTPie, 200 starts", p, p / c }'
best 3 "1 GiB download to /dev/null" -- \
	'curl -s -o /dev/null "$url/big"' '"$HT" get -s -o /dev/null "$url/big"'
if command -v http >/dev/null; then
	p=$(time_of sh -c 'http -q --ignore-stdin --download -o /dev/null "$url/big"')
	echo "  HTTPie, 1 GiB download      httpie $(printf %7.3f "$p")s (one run)"
fi
