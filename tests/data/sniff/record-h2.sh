#!/bin/sh
# record-h2.sh OUTDIR [NAME...] - record the HTTP/2 captures of the golden
# tests that the other scripts do not: h2 inside TLS and a server push.
#
#   tls-h2    httptool serve --tls (h2 by ALPN), its key log beside the
#             capture: httptool get (h2 by default), httptool post with a
#             JSON body, nghttp with two multiplexed requests
#   h2c-push  nghttpd --no-tls -p (server push): nghttp -n asks for /,
#             nghttpd promises /style.css and /app.js (PUSH_PROMISE) and
#             sends them on the promised streams
# NAMEs pick some of them (default: both).  Needs root (dumpcap on lo);
# re-recording changes ports and times, so run on purpose, then
# regenerate the expected files (scripts/regen-sniff-golden.sh).
set -eu
out=$(cd "$1" && pwd)
shift
only=${*:-"tls-h2 h2c-push"}
. "$(dirname "$0")/record-lib.sh"

if wanted tls-h2; then
	port=$(free_port)
	rm -f "$out/tls-h2.keys"
	"$bin" serve --tls --quiet --keylog "$out/tls-h2.keys" "$port" &
	srv=$!
	pids="$pids $srv"
	wait_tcp "$port"
	cap_start "$work/tls-h2.pcapng" "$port"
	"$bin" get -k "https://localhost:$port/get?via=h2" >/dev/null
	"$bin" post -k "https://localhost:$port/post" lab=tls-h2 n:=2 >/dev/null
	nghttp -n "https://localhost:$port/html" "https://localhost:$port/robots.txt"
	cap_stop
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	mv "$work/tls-h2.pcapng" "$out/tls-h2.pcapng"
fi

if wanted h2c-push; then
	mkdir -p "$work/www"
	printf '<html><head><link rel=stylesheet href=/style.css><script src=/app.js></script></head><body>pushed</body></html>\n' \
		> "$work/www/index.html"
	printf 'body { color: teal }\n' > "$work/www/style.css"
	printf 'console.log("pushed");\n' > "$work/www/app.js"
	port=$(free_port)
	(cd "$work/www" && exec nghttpd --no-tls -d "$work/www" \
		-p/index.html=/style.css,/app.js "$port") >/dev/null 2>&1 &
	pids="$pids $!"
	wait_tcp "$port"
	cap_start "$work/h2c-push.pcap" "$port"
	nghttp -n "http://127.0.0.1:$port/index.html"
	cap_stop
	# pcap, not pcapng, like the other h2c captures
	tshark -r "$work/h2c-push.pcap" -F pcap -w "$out/h2c-push.pcap" 2>/dev/null
fi
