#!/bin/sh
# run-tests.sh - run the unit tests and the e2e suite, then print one
# combined "N passed, N failed" line.  Exit 0 only when both passed.
# Environment: HTTPTOOL (binary under test), UNIT (unit test binary),
# PYTEST_ARGS (extra arguments, e.g. -k serve).
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests"
"$UNIT" | tee "$log"

# judge by the summary line (tee hides the exit status)
u_pass=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -1)
u_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -1)
[ -n "$u_pass" ] || { u_pass=0; u_fail=1; }

echo "== e2e tests"
HTTPTOOL="$HTTPTOOL" /usr/bin/python3 -m pytest -q -p no:cacheprovider ${PYTEST_ARGS:-} tests/e2e | tee "$log"
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
