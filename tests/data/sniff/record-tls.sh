#!/bin/sh
# record-tls.sh OUTDIR [NAME...] - record the TLS captures of the golden
# tests and their NSS key logs (tls13.*, tls12.*, tls-openssl.*,
# tls-legacy.*); NAMEs pick some of them (default: all).
#
#   tls13        httptool serve --tls; curl with each TLS 1.3 AEAD
#                (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305), then
#                httptool get and raw --tls; keys from serve --keylog
#   tls12        the same server; curl --tls-max 1.2 with ECDHE-ECDSA
#                AES128-GCM, ChaCha20-Poly1305, AES128-SHA (CBC,
#                encrypt_then_mac), AES256-SHA384 (CBC) and AES128-SHA
#                with -no_etm through openssl s_client
#   tls-openssl  openssl s_server -www: a HelloRetryRequest (client
#                X25519:P-256, server P-256 only), a KeyUpdate (s_client's
#                "k" command) and a session resumed with a PSK
#   tls-legacy   openssl s_server -www, s_client with TLS 1.0 (CBC with
#                implicit IVs), TLS 1.1, TLS 1.2 AES-CCM and CCM_8, TLS 1.3
#                TLS_AES_128_CCM_SHA256 and TLS_AES_128_CCM_8_SHA256
# Needs root (dumpcap on lo); re-recording changes ports and times, so run
# on purpose, then regenerate the expected files.
set -eu
out=$(cd "$1" && pwd)
shift
only=${*:-"tls13 tls12 tls-openssl tls-legacy"}
. "$(dirname "$0")/record-lib.sh"

# ---- httptool serve --tls: TLS 1.3 and TLS 1.2 ----
record_serve() {	# NAME CLIENT-COMMANDS...
	name=$1
	shift
	port=$(free_port)
	rm -f "$out/$name.keys"
	"$bin" serve --tls --quiet --keylog "$out/$name.keys" "$port" &
	srv=$!
	pids="$pids $srv"
	wait_tcp "$port"
	cap_start "$work/$name.pcapng" "$port"
	"$@"
	cap_stop
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	# keep only the TLS sessions of the capture (wait_tcp's probes had none)
	mv "$work/$name.pcapng" "$out/$name.pcapng"
}

tls13_clients() {
	for c in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 \
		 TLS_CHACHA20_POLY1305_SHA256; do
		curl -sk --http1.1 --tls13-ciphers "$c" \
		     "https://localhost:$port/get?suite=$c" -o /dev/null
	done
	"$bin" get -k "https://localhost:$port/cookies/set?lab=tls" >/dev/null
	printf 'GET /headers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
		"$bin" raw --tls -k localhost "$port" >/dev/null
}

tls12_clients() {
	for c in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-CHACHA20-POLY1305 \
		 ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA384; do
		curl -sk --http1.1 --tls-max 1.2 --ciphers "$c" \
		     "https://localhost:$port/get?suite=$c" -o /dev/null
	done
	printf 'GET /get?etm=no HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
		openssl s_client -quiet -no_etm -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA \
		-connect "127.0.0.1:$port" -keylogfile "$out/tls12.keys" >/dev/null 2>&1
}

if wanted tls13; then record_serve tls13 tls13_clients; fi
if wanted tls12; then record_serve tls12 tls12_clients; fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$work/k.pem" -out "$work/c.pem" -days 2 -subj /CN=localhost \
	2>/dev/null

# ---- openssl s_server: TLS 1.0, 1.1 and the CCM suites ----
if wanted tls-legacy; then
port=$(free_port)
rm -f "$out/tls-legacy.keys"
openssl s_server -www -accept "$port" -cert "$work/c.pem" -key "$work/k.pem" \
	-cipher 'ALL:@SECLEVEL=0' -ciphersuites \
	TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256 \
	-keylogfile "$out/tls-legacy.keys" >/dev/null 2>&1 &
srv=$!
pids="$pids $srv"
wait_tcp "$port"
cap_start "$work/l.pcapng" "$port"
for v in "-tls1 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0 /tls10" \
	 "-tls1_1 -cipher ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0 /tls11" \
	 "-tls1_2 -cipher ECDHE-ECDSA-AES128-CCM /ccm" \
	 "-tls1_2 -cipher ECDHE-ECDSA-AES256-CCM8 /ccm8" \
	 "-tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256 /tls13-ccm" \
	 "-tls1_3 -ciphersuites TLS_AES_128_CCM_8_SHA256 /tls13-ccm8"; do
	set -- $v
	path=$(eval echo "\${$#}")
	printf 'GET %s HTTP/1.0\r\n\r\n' "$path" |
		openssl s_client -quiet -connect "127.0.0.1:$port" \
		$(echo "$v" | sed 's| /[^ ]*$||') >/dev/null 2>&1
done
cap_stop
kill "$srv"
mv "$work/l.pcapng" "$out/tls-legacy.pcapng"
fi

# ---- openssl s_server: HelloRetryRequest, KeyUpdate, PSK resumption ----
wanted tls-openssl || exit 0
port=$(free_port)
rm -f "$out/tls-openssl.keys"
openssl s_server -www -accept "$port" -cert "$work/c.pem" -key "$work/k.pem" \
	-groups P-256 -keylogfile "$out/tls-openssl.keys" >/dev/null 2>&1 &
srv=$!
pids="$pids $srv"
wait_tcp "$port"
cap_start "$work/o.pcapng" "$port"
# a HelloRetryRequest: the client's key share is X25519, the server wants P-256
printf 'GET /hrr HTTP/1.0\r\n\r\n' | openssl s_client -quiet -groups X25519:P-256 \
	-connect "127.0.0.1:$port" -sess_out "$work/sess" >/dev/null 2>&1
# resumed with the ticket of the first session (PSK)
printf 'GET /psk HTTP/1.0\r\n\r\n' | openssl s_client -quiet -groups P-256 \
	-sess_in "$work/sess" -connect "127.0.0.1:$port" >/dev/null 2>&1
# a KeyUpdate before the request: s_client's "k" command line
(printf 'k\n'; sleep 0.3; printf 'GET /ku HTTP/1.0\r\n\r\n'; sleep 0.5) |
	openssl s_client -groups P-256 -connect "127.0.0.1:$port" >/dev/null 2>&1
cap_stop
mv "$work/o.pcapng" "$out/tls-openssl.pcapng"
