#!/bin/sh
# run-tests.sh - run the unit tests and the e2e suite, then print one
# combined "N passed, N failed" line.  Exit 0 only when both passed.
# Environment: HTTPTOOL (binary under test), UNIT (unit test binary),
# PYTEST_ARGS (extra arguments, e.g. -k serve), TEST_JOBS (e2e worker
# processes, default: the number of CPUs, at most 4; 1 runs them in this
# process).  Workers take whole files (--dist loadfile), so a file's
# module fixtures (a server, a capture) are set up once.
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests"
"$UNIT" | tee "$log"

# judge by the summary line (tee hides the exit status)
u_pass=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -1)
u_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -1)
[ -n "$u_pass" ] || { u_pass=0; u_fail=1; }

jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -gt 4 ] && jobs=4
xdist=
if [ "$jobs" -gt 1 ]; then
	if /usr/bin/python3 -c 'import xdist' 2>/dev/null; then
		xdist="-n $jobs --dist loadfile"
	else
		echo "run-tests.sh: python3-pytest-xdist is missing (make deps installs it); running the e2e tests in one process" >&2
	fi
fi

echo "== e2e tests${xdist:+ ($jobs workers)}"
HTTPTOOL="$HTTPTOOL" /usr/bin/python3 -m pytest -q -p no:cacheprovider $xdist ${PYTEST_ARGS:-} tests/e2e | tee "$log"
summary=$(tail -1 "$log")
count() { echo "$summary" | grep -o "[0-9][0-9]* $1" | head -1 | cut -d' ' -f1; }
e_pass=$(count passed)
e_fail=$(count failed)
e_err=$(count error)
e_pass=${e_pass:-0}
e_fail=$(( ${e_fail:-0} + ${e_err:-0} ))
if [ "$e_pass" = 0 ] && [ "$e_fail" = 0 ]; then e_fail=1; fi  # ran nothing

pass=$((u_pass + e_pass))
fail=$((u_fail + e_fail))
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
