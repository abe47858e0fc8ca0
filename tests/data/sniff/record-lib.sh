# record-lib.sh - sourced by record.sh, record-tls.sh and record-h2.sh
# after they set out (OUTDIR) and only (the NAMEs asked for): the set-up
# they share.  bin is the httptool under test (HTTPTOOL, or ./httptool),
# work a scratch folder; every PID added to pids is killed on exit and work
# removed.  Then free ports, waiting for a port, dumpcap on lo, wanted NAME.
bin=${HTTPTOOL:-$(pwd)/httptool}
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_tcp() {	# PORT: until it accepts a connection (5 s at most)
	i=0
	while ! python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),1)" 2>/dev/null &&
	      [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
cap_start() {	# FILE PORT: dumpcap on lo, returns once it writes
	dumpcap -q -i lo -f "tcp port $2" -w "$1" 2>/dev/null &
	cap=$!
	pids="$pids $cap"
	i=0
	while [ ! -s "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 0.3
}
cap_stop() {
	sleep 0.3
	kill "$cap"
	wait "$cap" 2>/dev/null || true
}
wanted() {	# NAME: was it asked for (in $only)?
	case " $only " in *" $1 "*) return 0 ;; esac
	return 1
}
