#!/bin/sh
# valgrind.sh - a representative subset of httptool under valgrind
# (issue 9): a serve session (files, listing, forms, upload, httpbin
# JSON, fault routes, a rejected request, TLS, then SIGTERM), sniff -r
# -V -x of every golden capture (summary and JSON on a few), and client
# and raw runs against that server.  Each run uses
#   valgrind --error-exitcode=99 --leak-check=full
# so an invalid read or write, a use of uninitialised memory or a
# definite/indirect leak fails it; the exit status must otherwise be the
# one the run expects.  Everything is bounded by timeouts.
#
# usage: scripts/valgrind.sh [path/to/httptool]    (default ./httptool)
# Prints one line per run and "valgrind: N runs, M failed"; exits 1 if
# any failed (the logs stay in $VG_LOGS, default build/valgrind/).
set -u
cd "$(dirname "$0")/.."
bin=${1:-./httptool}
logs=${VG_LOGS:-build/valgrind}
rm -rf "$logs"
mkdir -p "$logs"
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is missing: run make deps" >&2; exit 1; }
[ -x "$bin" ] || { echo "valgrind.sh: no binary '$bin': run make" >&2; exit 1; }
# a private copy: a concurrent `make` may replace the binary mid-run
cp "$bin" "$logs/httptool" || exit 1
bin=$logs/httptool

vg="valgrind -q --error-exitcode=99 --leak-check=full \
 --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
 --track-fds=no --child-silent-after-fork=yes --vgdb=no"
# (--vgdb=no: no debugger pipes in /tmp, which a sniffer that has dropped
# root could not remove - valgrind would complain on the way out)
runs=0
failed=0
n=0
input=/dev/null		# stdin of the next check

# true when a log holds a valgrind report ("==PID== ..." lines; with -q
# nothing else is written except warnings such as openat2 being unknown to
# valgrind, which makes serve take its realpath fallback here)
vg_errors() {
	grep -q '^==[0-9]*==' "$1"
}

# check NAME EXPECTED-STATUS CMD... : run CMD under valgrind, 60 s at most
check() {
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	log="$logs/$n-$(echo "$name" | tr -c 'A-Za-z0-9.-' _)"
	timeout 60 $vg --log-file="$log.vg" "$@" >"$log.out" 2>"$log.err" <"$input"
	rc=$?
	input=/dev/null
	runs=$((runs + 1))
	if [ "$rc" = "$want" ] && ! vg_errors "$log.vg"; then
		echo "ok   $name"
	else
		echo "FAIL $name (exit $rc, wanted $want; see $log.vg)"
		failed=$((failed + 1))
	fi
}

# ---- sniff -r of every golden capture ---------------------------------
# the tree and hex of every capture (decrypted where its key log is
# kept beside it); the summary and JSON writers on a few of each kind
for f in tests/data/sniff/*.pcap tests/data/sniff/*.pcapng; do
	b=$(basename "$f")
	want=0
	[ "$b" = cut.pcap ] && want=1	# damaged on purpose: says so, exits 1
	keys=${f%.*}.keys
	if [ -f "$keys" ]; then
		check "sniff -V -x --keylog -r $b" $want "$bin" sniff -V -x \
			--keylog "$keys" -r "$f"
	else
		check "sniff -V -x -r $b" $want "$bin" sniff -V -x -r "$f"
	fi
done
for b in nginx.pcap pipelined.pcap gap.pcap cut.pcap python-server.pcapng \
	 h2c-prior.pcap websocket.pcap; do
	want=0
	[ "$b" = cut.pcap ] && want=1
	check "sniff -r $b" $want "$bin" sniff -r tests/data/sniff/$b
	check "sniff --json -r $b" $want "$bin" sniff --json -r tests/data/sniff/$b
done
check "sniff --json --keylog -r tls13.pcapng" 0 "$bin" sniff --json \
	--keylog tests/data/sniff/tls13.keys -r tests/data/sniff/tls13.pcapng
for f in nginx.pcap pipelined.pcap gap.pcap python-server.pcapng; do
	check "sniff --follow-http 0 $f" 0 "$bin" sniff -r tests/data/sniff/$f --follow-http 0
	check "sniff --stats --har $f" 0 "$bin" sniff -r tests/data/sniff/$f --stats --har "$logs/$f.har"
done

# ---- serve under valgrind, clients (also under valgrind) against it ---
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/dir"
echo hello >"$root/hello.txt"
head -c 300000 /dev/urandom >"$root/dir/big.bin"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
slog="$logs/serve"
timeout 300 $vg --log-file="$slog.vg" "$bin" serve "$port" -d "$root" --threads 2 \
	--quiet --idle-timeout 2 >"$slog.out" 2>"$slog.err" &
spid=$!
for _ in $(seq 1 200); do
	curl -s -o /dev/null "http://127.0.0.1:$port/" && break
	sleep 0.1
done
u="http://127.0.0.1:$port"
check "get file" 0 "$bin" get -s "$u/hello.txt"
check "get listing -v" 0 "$bin" get -v "$u/dir/"
check "get -L redirect" 0 "$bin" get -L "$u/redirect/3"
check "post form" 0 "$bin" post "$u/post" a=1 b=2
check "post json" 0 "$bin" post -j "$u/anything" x:=3 y=z
check "upload -F" 0 "$bin" post -F "f=@$root/hello.txt" "$u/upload"
check "get range -o" 0 "$bin" get -r 0-999 -o "$logs/part" "$u/dir/big.bin"
check "get --compressed gzip" 0 "$bin" get --compressed "$u/gzip"
check "get 404 --fail" 22 "$bin" get -s --fail "$u/nope"
check "get fault close-early" 18 "$bin" get -s "$u/fault/close-early"
check "get fault bad-chunk" 56 "$bin" get -s "$u/fault/bad-chunk"
check "get fault reset" 56 "$bin" get -s "$u/fault/reset"
check "get fault no-response" 52 "$bin" get -s "$u/fault/no-response"
check "get -m 1 wrong-length" 28 "$bin" get -s -m 1 "$u/fault/wrong-length"
printf 'GET /hello.txt HTTP/1.1\nHost: x\n\nGET /fault/close-early HTTP/1.1\nHost: x\n\n' >"$logs/raw1.in"
input=$logs/raw1.in
# the second reply is cut short: raw says so and exits 18, as curl would
check "raw two requests" 18 "$bin" raw -v 127.0.0.1 "$port"
printf 'GET / HTTP/1.1\n\n' >"$logs/raw2.in"
input=$logs/raw2.in
check "raw -x bad request" 0 "$bin" raw -x 127.0.0.1 "$port"
# hostile bytes straight at the server
printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' |
	timeout 5 curl -s --max-time 3 telnet://127.0.0.1:$port >/dev/null 2>&1
head -c 5000 /dev/urandom | timeout 5 curl -s --max-time 3 telnet://127.0.0.1:$port >/dev/null 2>&1
kill -TERM $spid
wait $spid
rc=$?
runs=$((runs + 1))
if [ "$rc" = 0 ] && ! vg_errors "$slog.vg"; then
	echo "ok   serve session (SIGTERM)"
else
	echo "FAIL serve session (exit $rc; see $slog.vg)"
	failed=$((failed + 1))
fi

echo "valgrind: $runs runs, $failed failed"
[ "$failed" = 0 ]
