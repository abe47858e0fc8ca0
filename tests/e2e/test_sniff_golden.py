"""Golden tests of `httptool sniff -r`: every line of
tests/data/sniff/TESTLIST runs the binary on a capture with fixed flags and
compares stdout with the expected file byte for byte.  After an intended
change in output, run scripts/regen-sniff-golden.sh NAME and review the
diff."""
import os
import shlex

import pytest

from conftest import DATA, run

SNIFF = os.path.join(DATA, "sniff")


def cases():
    out = []
    with open(os.path.join(SNIFF, "TESTLIST")) as fp:
        for line in fp:
            if not line.strip() or line.startswith("#"):
                continue
            name, capture, expected, *rest = shlex.split(line)
            out.append(pytest.param(capture, expected, rest, id=name))
    return out


@pytest.mark.parametrize("capture,expected,flags", cases())
def test_golden(capture, expected, flags):
    r = run("sniff", "-r", capture, *flags, cwd=SNIFF)
    with open(os.path.join(SNIFF, "expected", expected), "rb") as fp:
        want = fp.read()
    assert r.stdout == want, (
        "output differs from expected/%s; if intended, run "
        "scripts/regen-sniff-golden.sh" % expected)
    assert b"AddressSanitizer" not in r.stderr
    assert r.returncode in (0, 1)


def test_testlist_covers_every_capture():
    listed = set()
    with open(os.path.join(SNIFF, "TESTLIST")) as fp:
        for line in fp:
            if line.strip() and not line.startswith("#"):
                listed.add(shlex.split(line)[1])
    caps = {f for f in os.listdir(SNIFF) if f.endswith((".pcap", ".pcapng"))}
    assert caps <= listed, caps - listed
