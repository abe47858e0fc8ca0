#!/usr/bin/python3
"""bench/h2errors.py NAME=PORT... - send the malformed HTTP/2 frames of
tests/e2e/test_serve_h2.py (what h2spec would send; there is no h2spec
package) to each h2c server and print what each answered, one row per
case, so httptool's answers sit next to nginx's and h2o's.  A cell is the
frame and error code that came back; "-" is a close with no error frame."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "e2e"))
from test_serve_h2 import CASES, H2  # noqa: E402


def answer(port, data):
    c = H2(port).start()
    c.send(data)
    got = c.error(timeout=3)
    c.s.close()
    return " ".join(got) if got else "-"


def main():
    servers = [a.split("=", 1) for a in sys.argv[1:]]
    rows = [["case", "expected"] + [n for n, _ in servers]]
    for what, data, want in CASES:
        exp = " or ".join(sorted(" ".join(w) for w in want)) \
            if isinstance(want, set) else " ".join(want)
        rows.append([what, exp] + [answer(int(p), data) for _, p in servers])
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + " --- |" * len(rows[0]))
    for r in rows[1:]:
        print("| " + " | ".join(r) + " |")


main()
