# bench/lib.sh - what the bench scripts share; sourced (". bench/lib.sh"),
# never run.  The PIDs to stop are kept in $pids (the functions below add
# theirs); bench_workdir's exit trap, or the caller's own, kills them.
#
#   bench_workdir                $work, a new temporary folder, and $pids,
#                                empty; on exit the PIDs are killed, then
#                                bench_atexit runs (if the script defines
#                                it), then $work is removed
#   free_port                    print an unused TCP port on 127.0.0.1
#   wait_up NAME URL             return once URL answers; after 10 s, exit 1
#   nginx_start WORK PORT        nginx on 127.0.0.1:PORT serving WORK/www,
#                                a 600-byte index.html, unlimited keep-alive
#   h2o_conf DIR PORT            DIR/h2o.conf: h2o on 127.0.0.1:PORT, one
#                                thread, serving DIR/www, errors to
#                                DIR/h2o-error.log
#   record_load PCAP PACKETS PORT
#                                tcpdump -c PACKETS packets of wrk driving
#                                that nginx on lo into PCAP
#   dumpcap_start PCAP PORT      dumpcap on lo into PCAP; $cap
#   dumpcap_stop PCAP HINT       stop it once PCAP stops growing; exit 1
#                                (saying HINT) if it dropped packets
#   time_run NAME COMMAND...     time COMMAND (/usr/bin/time -v), output to
#                                $work/out.NAME (or $time_out when set,
#                                e.g. /dev/null); sets secs, rss, cpu and
#                                adds a line to $work/results
#   bench_shm                    $shm, a new folder in /dev/shm (captures
#                                a disk would slow into drops), removed on
#                                exit
#   nginx_conf DIR BODY          DIR/nginx.conf: one worker, no access log,
#                                unlimited keep-alive, temporary files in
#                                DIR/tmp, errors to DIR/nginx-error.log;
#                                BODY (types, server blocks) inside http {}

bench_workdir() {
	work=$(mktemp -d)
	pids=""
	trap bench_cleanup EXIT
}

bench_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	if command -v bench_atexit >/dev/null; then bench_atexit; fi
	[ -z "${shm:-}" ] || rm -rf "$shm"
	rm -rf "$work"
}

bench_shm() {
	shm=$(mktemp -d /dev/shm/httptool-bench.XXXXXX)
}

nginx_conf() {	# DIR BODY
	cat >"$1/nginx.conf" <<NGINX
worker_processes 1;
pid $1/nginx.pid;
error_log $1/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $1/tmp;
    proxy_temp_path $1/tmp;
    fastcgi_temp_path $1/tmp;
    uwsgi_temp_path $1/tmp;
    scgi_temp_path $1/tmp;
$2
}
NGINX
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_up() {	# NAME URL
	i=0
	until curl -s -o /dev/null "$2"; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "bench/${0##*/}: $1 did not start" >&2; exit 1; }
		sleep 0.05
	done
}

nginx_start() {	# WORK PORT
	mkdir -p "$1/www"
	head -c 600 /dev/zero | tr '\0' 'x' > "$1/www/index.html"
	# mktemp -d is 0700: nginx's workers (www-data) must be able to read
	# the page, or every response is a 403
	chmod 755 "$1" "$1/www"
	chmod 644 "$1/www/index.html"
	cat > "$1/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log /dev/null;
pid $1/nginx.pid;
events { worker_connections 256; }
http {
    access_log off;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$2; root $1/www; }
}
CONF
	nginx -c "$1/nginx.conf" -p "$1" & pids="$pids $!"
	sleep 1
}

h2o_conf() {	# DIR PORT
	cat >"$1/h2o.conf" <<H2O
listen:
  host: 127.0.0.1
  port: $2
num-threads: 1
error-log: $1/h2o-error.log
user: nobody
hosts:
  default:
    paths:
      /:
        file.dir: $1/www
H2O
}

# wrk runs until tcpdump has its packets (or for 60 s at the most).
record_load() {	# PCAP PACKETS PORT
	echo "== recording $2 packets of wrk -> nginx on lo (port $3)"
	tcpdump -i lo -s 0 -B 65536 -w "$1" -c "$2" "tcp port $3" \
		2>/dev/null & rec_tcpdump=$!
	sleep 1
	timeout 120 wrk -t 2 -c 8 -d 60 "http://127.0.0.1:$3/index.html" \
		>/dev/null 2>&1 & rec_wrk=$!; pids="$pids $rec_wrk"
	wait "$rec_tcpdump" || true
	kill "$rec_wrk" 2>/dev/null || true
}

# dumpcap into PCAP (errors to PCAP.err), returning once it captures; $cap
dumpcap_start() {	# PCAP PORT
	dumpcap -q -i lo -s 0 -B 1024 -f "tcp port $2" -w "$1" \
		2> "$1.err" & cap=$!
	i=0	# dumpcap writes the file's header once it captures
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 0.5
}

# dumpcap may be behind (a big buffer): stop it once the file stops
# growing, or everything still in the buffer is lost.  A drop would leave
# gaps: then say HINT and exit 1.
dumpcap_stop() {	# PCAP HINT
	last=-1
	while [ "$(stat -c %s "$1")" != "$last" ]; do
		last=$(stat -c %s "$1")
		sleep 2
	done
	kill -INT "$cap"
	wait "$cap" || true
	grep -i drop "$1.err" || true
	if grep -q 'dropped on interface.*/[1-9]' "$1.err"; then
		echo "bench: dumpcap dropped packets; $2" >&2
		exit 1
	fi
	ls -l "$1" | awk '{print "capture:", $5, "bytes"}'
}

# Run COMMAND under /usr/bin/time -v, its output to $work/out.NAME; sets
# secs (wall), rss (peak, KB) and cpu (user + system: on a loaded machine
# the wall time includes waiting) and adds "NAME secs rss cpu" to
# $work/results.
time_run() {	# NAME COMMAND...
	name=$1; shift
	/usr/bin/time -v "$@" > "${time_out:-$work/out.$name}" \
		2> "$work/time.$name" || true
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$name")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$name")
	secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time.$name")
	echo "$name $secs $rss $cpu" >> "$work/results"
}
