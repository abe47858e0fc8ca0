"""tshark's statistics modes (issue 17): `sniff -z conv,tcp`, `-z
conv,udp`, `-z endpoints,ip`, `-z endpoints,ipv6` print what `tshark -z`
prints on the same capture, byte for byte (layout and numbers); several -z
are printed after the packets, the last one first, as tshark; -q drops the
per-packet lines.  Every golden capture in tests/data/sniff/ is compared."""
import glob
import os
import subprocess

import pytest

from conftest import require, run
from test_sniff import SNIFF

CAPTURES = sorted(os.path.basename(p) for p in
                  glob.glob(os.path.join(SNIFF, "*.pcap")) +
                  glob.glob(os.path.join(SNIFF, "*.pcapng")))
ALL_Z = ["conv,tcp", "endpoints,ip", "endpoints,ipv6", "conv,udp"]


def tshark(path, *args):
    r = subprocess.run([require("tshark"), "-r", path, *args],
                       capture_output=True, timeout=60)
    return r.stdout.decode()


def zargs(stats):
    return [a for z in stats for a in ("-z", z)]


@pytest.mark.parametrize("name", CAPTURES)
def test_tables_equal_tsharks(name):
    path = os.path.join(SNIFF, name)
    want = tshark(path, "-q", *zargs(ALL_Z))
    got = run("sniff", "-r", path, "-q", *zargs(ALL_Z)).stdout.decode()
    assert "Conversations" in want and "Endpoints" in want
    assert got == want


def test_many_connections_sorted_as_tshark():
    # nginx.pcap: seven connections of different sizes, ties kept in order
    path = os.path.join(SNIFF, "nginx.pcap")
    got = run("sniff", "-r", path, "-q", "-z", "conv,tcp").stdout.decode()
    rows = [l for l in got.splitlines() if "<->" in l]
    assert len(rows) == 7
    frames = [int(r.split()[9]) for r in rows]
    assert frames == sorted(frames, reverse=True) and frames[0] == 18
    assert got == tshark(path, "-q", "-z", "conv,tcp")


def test_ipv6_fragments_counted_as_tshark():
    # an IPv6 fragment that completes nothing is not counted by tshark's
    # IPv6 tap (IPv4 fragments are); httptool does the same
    path = os.path.join(SNIFF, "fragmented.pcap")
    got = run("sniff", "-r", path, "-q", "-z", "endpoints,ipv6").stdout
    assert b"2001:db8::10                  10          2595" in got


def test_packets_then_tables_without_q():
    path = os.path.join(SNIFF, "persistent.pcap")
    plain = run("sniff", "-r", path).stdout.decode()
    both = run("sniff", "-r", path, "-z", "conv,tcp").stdout.decode()
    assert both.startswith(plain)
    assert both[len(plain):] == tshark(path, "-q", "-z", "conv,tcp")
    # and tshark prints the packets first too (its summary column layout
    # is compared in test_sniff.py)
    assert tshark(path, "-z", "conv,tcp").endswith(both[len(plain):])


def test_q_alone_prints_nothing_and_accepted_flags():
    path = os.path.join(SNIFF, "persistent.pcap")
    r = run("sniff", "-r", path, "-q")
    assert r.returncode == 0 and r.stdout == b""
    # -2 and -n change nothing: two passes and no resolution are defaults
    assert run("sniff", "-r", path, "-2", "-n").stdout == \
        run("sniff", "-r", path).stdout


@pytest.mark.parametrize("bad", ["conv", "conv,sctp", "endpoints,eth",
                                 "conv,tcp,ip.addr==1.2.3.4", ""])
def test_unknown_statistic_refused(bad):
    r = run("sniff", "-r", os.path.join(SNIFF, "persistent.pcap"), "-z", bad)
    assert r.returncode == 2
    lines = r.stderr.decode().splitlines()
    assert lines[0].startswith("httptool sniff: unknown statistic for -z")
    assert r.stdout == b""
