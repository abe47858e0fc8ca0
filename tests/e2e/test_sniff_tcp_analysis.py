"""TCP analysis as tshark does it (issue 17): the expert marks of the
summary ([TCP Dup ACK 20#1], [TCP Fast Retransmission], [TCP ZeroWindow],
[TCP Keep-Alive] ...), the [SEQ/ACK analysis] subtree of -V (ACKed frame,
RTT, iRTT, bytes in flight, the flags' expert infos), [Timestamps],
[Conversation completeness] and the window scaling lines, each compared
with tshark -2 on crafted captures (tcpan_pcaps.py) holding loss, fast and
spurious retransmissions, reordering, a zero window with its probe, a full
window, keep-alives and an ACK of a segment the capture missed."""
import os
import re
import subprocess

import pytest

from conftest import require, run
from tcpan_pcaps import build
from test_sniff import SNIFF

MARK = re.compile(r"\[TCP (?!segment of)[^\]]*\]")


def tshark(path, *args):
    require("tshark")
    r = subprocess.run(["tshark", "-r", str(path), *args],
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode()


def marks(text):
    """{frame: [marks...]} of a summary, in the order printed."""
    out = {}
    for line in text.splitlines():
        no = int(line.split()[0])
        out[no] = MARK.findall(line)
    return out


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    return build(tmp_path_factory.mktemp("tcpan") / "tcpan.pcap")


def test_summary_marks_equal_tshark(crafted):
    mine = marks(run("sniff", "-r", crafted).stdout.decode())
    theirs = marks(tshark(crafted, "-2"))
    assert mine == theirs
    # every kind of mark is in the capture, so none can go unnoticed
    seen = " ".join(" ".join(m) for m in theirs.values())
    for kind in ("Dup ACK 20#3", "Fast Retransmission", "[TCP Retransmission",
                 "Spurious Retransmission", "Out-Of-Order",
                 "Previous segment not captured", "ACKed unseen segment",
                 "Window Full", "ZeroWindow]", "ZeroWindowProbe]",
                 "ZeroWindowProbeAck", "Window Update", "Keep-Alive]",
                 "Keep-Alive ACK"):
        assert kind in seen, kind


def test_tcp_lines_equal_tshark(crafted):
    """Where both show a TCP Info, the whole line is tshark's (marks,
    flags, relative numbers, calculated window), but for the reassembly
    suffix (httptool reassembles out-of-order data, tshark 4.0 not)."""
    cut = " [TCP segment of a reassembled PDU]"
    mine = run("sniff", "-r", crafted).stdout.decode().splitlines()
    theirs = tshark(crafted, "-2").splitlines()
    assert len(mine) == len(theirs)
    same = 0
    for a, b in zip(mine, theirs):
        if " TCP " in a and " TCP " in b:
            assert a.replace(cut, "") == b.replace(cut, "")
            same += 1
    assert same > 60


@pytest.mark.parametrize("name", ["out-of-order.pcap", "gap.pcap",
                                  "fragmented.pcap", "midstream.pcap",
                                  "nginx.pcap", "python-server.pcap"])
def test_recorded_marks_equal_tshark(name):
    path = os.path.join(SNIFF, name)
    mine = marks(run("sniff", "-r", path).stdout.decode())
    assert mine == marks(tshark(path, "-2"))
