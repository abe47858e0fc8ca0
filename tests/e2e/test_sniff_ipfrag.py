"""httptool sniff and IP fragments, with tshark as the oracle: HTTP carried
in IPv4 and IPv6 fragments shows up in the same frames (the one that
completes each datagram), the Info of a fragment reads like tshark's, the
-V tree names the frame each fragment was reassembled in; shuffled and
duplicated fragments give the same answer as tshark; hostile fragments
(overlaps, huge offsets, floods of ids) never crash the sniffer."""
import json
import os
import random
import struct
import subprocess
import sys

import pytest

from conftest import DATA, require, run

SNIFF = os.path.join(DATA, "sniff")
FRAG = os.path.join(SNIFF, "fragmented.pcap")
sys.path.insert(0, SNIFF)
import mkpcaps  # noqa: E402


def tshark(*args):
    require("tshark")
    r = subprocess.run(["tshark", *args], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode()


def tshark_http(path):
    """{(frame, 'request'|'response')} tshark finds (ports 80 and 8080)."""
    out = set()
    for line in tshark("-r", path, "-d", "tcp.port==8080,http", "-Y", "http",
                       "-T", "fields", "-E", "separator=;",
                       "-e", "frame.number", "-e", "http.request",
                       "-e", "http.response").splitlines():
        frame, req, resp = line.split(";")
        for _ in (req.split(",") if req else []):
            out.add((int(frame), "request"))
        for _ in (resp.split(",") if resp else []):
            out.add((int(frame), "response"))
    return out


def mine_http(path, *flags):
    r = run("sniff", "-r", path, "--json", *flags)
    assert r.returncode == 0, r.stderr
    assert b"AddressSanitizer" not in r.stderr
    return {(m["frame"], m["type"]) for m in
            map(json.loads, r.stdout.decode().splitlines())}


def test_http_in_the_same_frames_as_tshark():
    theirs = tshark_http(FRAG)
    assert len(theirs) == 4           # two requests, two responses
    assert mine_http(FRAG) == theirs


def test_fragment_info_like_tshark():
    mine = run("sniff", "-r", FRAG).stdout.decode().splitlines()
    theirs = tshark("-r", FRAG).splitlines()
    assert len(mine) == len(theirs)
    n = 0
    for a, b in zip(mine, theirs):
        if "ragment" in b:            # "Fragmented IP", "IPv6 fragment"
            assert a.split()[4:] == b.split()[4:], (a, b)
            n += 1
        if " HTTP " in b:
            assert " HTTP " in a and a.split()[6:9] == b.split()[6:9], (a, b)
    assert n == 8


def test_reassembled_in_frame_like_tshark():
    want = {}
    for line in tshark("-2", "-r", FRAG, "-T", "fields", "-E",
                       "separator=;", "-e", "frame.number", "-e",
                       "ip.reassembled_in", "-e",
                       "ipv6.reassembled.in").splitlines():
        frame, v4, v6 = line.split(";")
        if v4 or v6:
            want[int(frame)] = int(v4 or v6)
    got = {}
    frame = 0
    for line in run("sniff", "-r", FRAG, "-V", "-O", "ip").stdout.decode() \
            .splitlines():
        if line.startswith("Frame "):
            frame = int(line.split()[1].rstrip(":"))
        if "Reassembled IPv" in line and "in frame:" in line:
            got[frame] = int(line.split()[-1].rstrip("]"))
    assert got == want and len(want) == 5


def build(frames, path):
    mkpcaps.write_pcap(str(path), frames)
    return str(path)


def shuffled(seed):
    """The fragmented capture's conversations with each datagram's pieces
    in a random order, some repeated (identical bytes: no conflict)."""
    rnd = random.Random(seed)
    frames = []
    c = mkpcaps.FragConv(frames, cli=("10.9.0.1", 43000),
                         srv=("10.9.0.2", 80))
    c.handshake()
    for i in range(3):
        body = bytes(rnd.randrange(256) for _ in range(rnd.randrange(
            1500, 6000)))
        r = mkpcaps.req("POST", "/p%d" % i, [
            ("Content-Length", str(len(body)))], body)
        size = 8 * rnd.randrange(40, 200)
        pieces = list(range((len(r) + 20 + size - 1) // size))
        rnd.shuffle(pieces)
        dup = rnd.choice(pieces) if rnd.random() < 0.5 else None
        c.frag("c", r, size, order=pieces, dup=dup)
        c.pkt("s", "A")
        c.frag("s", mkpcaps.resp(200, "OK", [("Content-Length", "3000")],
                                 b"z" * 3000), 1232,
               order=rnd.sample(range(3), 3))
        c.pkt("c", "A")
    c.close()
    return frames


@pytest.mark.parametrize("seed", range(4))
def test_shuffled_fragments_match_tshark(tmp_path, seed):
    path = build(shuffled(seed), tmp_path / "s.pcap")
    theirs = tshark_http(path)
    assert len(theirs) == 6
    assert mine_http(path) == theirs


def hostile(seed):
    """Fragments built to hurt: overlaps with other bytes, offsets near
    65535, zero lengths, tiny first pieces, thousands of open ids."""
    rnd = random.Random(seed)
    frames = []
    t = mkpcaps.T0 * 1000000
    src, dst = mkpcaps.ip_bytes("10.7.0.1"), mkpcaps.ip_bytes("10.7.0.2")
    for i in range(3000):
        ident = rnd.randrange(8) if i % 3 else rnd.randrange(65536)
        off = rnd.choice([0, 8, 1480, 65528, 65520, rnd.randrange(8192) * 8])
        n = rnd.choice([0, 1, 8, 20, 1480, rnd.randrange(1500)])
        more = rnd.random() < 0.7
        data = bytes(rnd.randrange(256) for _ in range(min(n, 64))) * \
            (n // 64 + 1)
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, (20 + n) & 0xffff, ident,
                        (0x2000 if more else 0) | off // 8, 64, 6, 0, src,
                        dst)
        t += rnd.choice([10, 1000, 70000000])    # some past the timeout
        frames.append((t, h + data[:n]))
    return frames


@pytest.mark.parametrize("flags", [[], ["-V"], ["--json"],
                                   ["--total-mem", "3000"]])
def test_hostile_fragments_never_crash(tmp_path, flags):
    path = build(hostile(len(flags)), tmp_path / "h.pcap")
    r = run("sniff", "-r", path, *flags)
    assert r.returncode == 0, r.stderr
    assert b"AddressSanitizer" not in r.stderr
    assert b"runtime error" not in r.stderr
    if not flags:
        assert len(r.stdout.decode().splitlines()) == 3000
