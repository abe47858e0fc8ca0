#!/bin/sh
# record.sh OUTDIR - record the real-traffic captures of the golden tests.
#
# Each capture is tcpdump on lo, filtered on a free port, while real
# clients (curl, wget, Python urllib, ab) talk to real servers (Python
# http.server, nginx, httptool serve) on 127.0.0.1.  Re-recording changes
# times, ports and sequence numbers, so run it only on purpose and then
# regenerate the expected files (scripts/regen-sniff-golden.sh --record).
# Needs root (tcpdump on lo); every wait is bounded.
set -eu
out=$(cd "$1" && pwd)
only=""
. "$(dirname "$0")/record-lib.sh"
# this script waits with curl and records with tcpdump: its own wait_port,
# cap_start and cap_stop replace the dumpcap ones of record-lib.sh
wait_port() {
	i=0
	while ! curl -s -o /dev/null "http://127.0.0.1:$1/" && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
cap_start() {	# FILE PORT
	tcpdump -i lo --immediate-mode -U -s 0 -w "$1" "tcp port $2" 2>/dev/null &
	cap=$!
	sleep 1
}
cap_stop() {
	sleep 0.5
	kill "$cap"
	wait "$cap" 2>/dev/null || true
}

# site content shared by the servers
mkdir -p "$work/www"
printf '<html><body><h1>Hello</h1></body></html>\n' > "$work/www/index.html"
python3 -c 'print("\n".join("line %d of a text file" % i for i in range(200)))' \
	> "$work/www/big.txt"
printf 'small file\n' > "$work/www/file.txt"

# 1. Python http.server with curl, wget and urllib (HTTP/1.0 responses)
p=$(free_port)
(cd "$work/www" && exec python3 -m http.server "$p" --bind 127.0.0.1) \
	>/dev/null 2>&1 &
pids="$pids $!"
wait_port "$p"
cap_start "$out/python-server.pcap" "$p"
curl -s -o /dev/null "http://127.0.0.1:$p/"
curl -s -o /dev/null -A "curl-test" -b "sid=42; lang=en" "http://127.0.0.1:$p/file.txt"
wget -q -O /dev/null "http://127.0.0.1:$p/big.txt"
python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$p/file.txt').read()"
curl -s -o /dev/null "http://127.0.0.1:$p/missing"
cap_stop

# 2. nginx: gzip (chunked), HEAD, keep-alive reuse, forms, ab -k
p=$(free_port)
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log /dev/null;
pid $work/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work;
    gzip on; gzip_types text/plain; gzip_min_length 10;
    server {
        listen 127.0.0.1:$p;
        root $work/www;
        location /echo { return 200 "posted\n"; }
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids="$pids $!"
wait_port "$p"
cap_start "$out/nginx.pcap" "$p"
curl -s -o /dev/null --compressed "http://127.0.0.1:$p/big.txt"
curl -s -o /dev/null -I "http://127.0.0.1:$p/index.html"
curl -s -o /dev/null -o /dev/null "http://127.0.0.1:$p/index.html" "http://127.0.0.1:$p/file.txt"
curl -s -o /dev/null -d "name=a+b&x=%2F" "http://127.0.0.1:$p/echo"
curl -s -o /dev/null -F "title=hi" -F "up=@$work/www/file.txt" "http://127.0.0.1:$p/echo"
curl -s -o /dev/null -H "Expect: 100-continue" --data-binary "@$work/www/big.txt" "http://127.0.0.1:$p/echo"
ab -q -k -n 5 -c 1 "http://127.0.0.1:$p/index.html" >/dev/null
cap_stop

# 3. httptool serve
p=$(free_port)
(cd "$work/www" && exec "$bin" serve "$p" --quiet) >/dev/null 2>&1 &
pids="$pids $!"
wait_port "$p"
cap_start "$out/httptool-serve.pcap" "$p"
curl -s -o /dev/null "http://127.0.0.1:$p/index.html"
curl -s -o /dev/null -o /dev/null "http://127.0.0.1:$p/file.txt" "http://127.0.0.1:$p/big.txt"
wget -q -O /dev/null "http://127.0.0.1:$p/file.txt"
cap_stop

# 4. WebSocket (python3-websockets, Debian's python): a browser-like
# upgrade with Origin, then text, binary, ping, fragmented and
# permessage-deflate messages and a close (ws-peer.py)
p=$(free_port)
cap_start "$out/websocket.pcap" "$p"
/usr/bin/python3 "$(dirname "$0")/ws-peer.py" "$p"
cap_stop

# 5. HTTP/2 with prior knowledge on a port tshark does not know (h2c by
# content): curl and nghttp against nghttpd (which sends its SETTINGS
# before the client's preface), a multiplexed connection, a POST
p=$(free_port)
(cd "$work/www" && exec nghttpd --no-tls -d "$work/www" "$p") >/dev/null 2>&1 &
pids="$pids $!"
sleep 0.5
cap_start "$out/h2c-prior.pcap" "$p"
curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$p/index.html"
nghttp -n "http://127.0.0.1:$p/index.html" "http://127.0.0.1:$p/big.txt"
curl -s --http2-prior-knowledge -o /dev/null -d 'name=h2&x=1' "http://127.0.0.1:$p/index.html"
cap_stop

# 6. h2c by Upgrade: curl --http2 and nghttp -u against h2o
p=$(free_port)
cat > "$work/h2o.conf" <<CONF
listen: { host: 127.0.0.1, port: $p }
hosts: { default: { paths: { /: { file.dir: $work/www } } } }
CONF
chmod -R a+rX "$work"
h2o -c "$work/h2o.conf" >/dev/null 2>&1 &
pids="$pids $!"
wait_port "$p"
cap_start "$out/h2c-upgrade.pcap" "$p"
curl -s --http2 -o /dev/null "http://127.0.0.1:$p/index.html"
nghttp -n -u "http://127.0.0.1:$p/big.txt"
cap_stop
