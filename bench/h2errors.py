#!/usr/bin/python3
"""bench/h2errors.py [--all] NAME=PORT... - run the h2spec cases of
tests/e2e/h2spec_cases.py (h2spec 2.6's http2, hpack and generic
sections as a frame client: there is no h2spec package) against each h2c
server in one run and print, for each server, how many cases passed by
h2spec's rules, then a table of the cases where any server failed or the
servers answered differently (--all: every case).  A cell is the frame
that came back ("GOAWAY PROTOCOL_ERROR", "RST_STREAM STREAM_CLOSED",
"PING ACK", ...), "closed" or "timeout", with "FAIL" where h2spec would
fail it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "e2e"))
from h2spec_cases import CASES, run_case  # noqa: E402


def main():
    args = sys.argv[1:]
    every = "--all" in args
    servers = [a.split("=", 1) for a in args if a != "--all"]
    rows, passed = [], [0] * len(servers)
    for case in CASES:
        cells, verdicts = [], []
        for i, (_, port) in enumerate(servers):
            try:
                ok, ans = run_case(int(port), case)
            except (OSError, ConnectionError) as e:
                ok, ans = False, "error: %s" % e
            passed[i] += ok
            verdicts.append(ok)
            cells.append(ans if ok else "FAIL: " + ans)
        differ = len(set(c.split(":")[0] for c in cells)) > 1 or \
            not all(verdicts)
        if every or differ:
            rows.append(["%s %s" % (case[0], case[1]), case[3].want] + cells)
    for (name, _), n in zip(servers, passed):
        print("%-10s %3d / %d h2spec cases passed" % (name, n, len(CASES)))
    if not rows:
        return
    print()
    head = ["case", "expected"] + [n for n, _ in servers]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")


main()
