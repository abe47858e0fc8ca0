#!/bin/sh
# fuzz.sh - build every libFuzzer harness in tests/fuzz/*_fuzz.c with clang
# (ASan + UBSan) against the library sources, then run each for
# FUZZ_SECONDS (default 30) from its seed corpus tests/fuzz/corpus/<name>/
# with the HTTP dictionary.  A crash fails the run; its input is copied to
# tests/data/fuzz-regress/<name>-<hash> so it can be committed as a
# regression case.  Every file already in that folder is replayed first.
#
# usage: scripts/fuzz.sh [harness-name ...]
set -eu
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-30}
out=build-fuzz
mkdir -p "$out/obj" "$out/work" tests/data/fuzz-regress
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
pkg_cflags=$(pkg-config --cflags libcurl libpcap ncursesw openssl zlib libnghttp2 2>/dev/null || true)
pkg_libs=$(pkg-config --libs libcurl libpcap ncursesw openssl zlib libnghttp2 2>/dev/null || echo "-lcurl -lpcap -lncursesw -lssl -lcrypto -lz -lnghttp2")
cflags="-std=c11 -g -O1 -D_GNU_SOURCE -I. $pkg_cflags $san -fsanitize=fuzzer-no-link"

# the library once, with coverage instrumentation
objs=""
for src in lib/*.c http/*.c capture/*.c capture/tui/*.c server/*.c ws/*.c; do
	[ -e "$src" ] || continue
	obj="$out/obj/$(echo "$src" | tr / _).o"
	# rebuild when the source or any header changed (struct layouts)
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] ||
	   [ -n "$(find lib http capture server ws cli -name '*.h' -newer "$obj" | head -1)" ]; then
		clang $cflags -c -o "$obj" "$src"
	fi
	objs="$objs $obj"
done
rm -f "$out/libfuzz.a"
ar rcs "$out/libfuzz.a" $objs

names=${*:-$(for f in tests/fuzz/*_fuzz.c; do basename "$f" _fuzz.c; done)}
status=0
for name in $names; do
	bin="$out/$name"
	clang $cflags -fsanitize=fuzzer -o "$bin" "tests/fuzz/${name}_fuzz.c" \
		"$out/libfuzz.a" $pkg_libs -lm -lpthread
	seeds="tests/fuzz/corpus/$name"
	mkdir -p "$seeds" "$out/work/$name" "$out/crash/$name"
	# replay the committed regression inputs for this harness
	for r in tests/data/fuzz-regress/"$name"-*; do
		[ -e "$r" ] || continue
		"$bin" "$r" >/dev/null 2>&1 || { echo "fuzz: $name: regression $r fails" >&2; status=1; }
	done
	echo "fuzz: $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/http.dict -artifact_prefix="$out/crash/$name/" \
		-print_final_stats=1 "$out/work/$name" "$seeds" \
		>"$out/$name.log" 2>&1; then
		echo "fuzz: $name found a failure:" >&2
		grep -E "ERROR|SUMMARY|Test unit written" "$out/$name.log" >&2 || tail -20 "$out/$name.log" >&2
		for c in "$out/crash/$name"/*; do
			[ -e "$c" ] || continue
			cp "$c" "tests/data/fuzz-regress/$name-$(basename "$c")"
		done
		status=1
	else
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
		echo "fuzz: $name: ${runs:-?} runs, no finding"
	fi
done
exit $status
