"""Hostile captures against `httptool sniff -r` (issue 9).

Random byte errors (editcap -E), files cut at every record and header
boundary, tiny snaplens, overlapping and conflicting retransmissions, a
long single connection whose peak RSS must not grow with its length,
a live capture of the hostile requests from test_hostile_serve.py, and
random keys and terminal sizes in the TUI over damaged captures.
Every run must end with status 0 or 1 (never a signal), no sanitizer
report, within its time bound.
"""
import os
import random
import struct
import subprocess
import sys
import time

import pytest

from conftest import (DATA, HTTPTOOL, free_port, require, rss_env, run,
                      wait_port)

SNIFF = os.path.join(DATA, "sniff")
sys.path.insert(0, SNIFF)
import mkpcaps  # noqa: E402  (the golden captures' own builder)

FLAGS = [[], ["-V", "-x"], ["--json"], ["--follow-http", "0"],
         ["--stats"]]


def sniff_ok(path, *flags, timeout=30):
    r = run("sniff", "-r", path, *flags, timeout=timeout)
    assert r.returncode in (0, 1), (path, flags, r.returncode,
                                    r.stderr[-500:])
    assert b"Sanitizer" not in r.stderr and b"runtime error" not in r.stderr,\
        r.stderr[-2000:]
    return r


def test_editcap_random_byte_errors(tmp_path):
    require("editcap")
    for name in ("nginx.pcap", "pipelined.pcap", "python-server.pcapng",
                 "sll2-v6-ext.pcap", "gap.pcap"):
        for seed in range(3):
            out = tmp_path / ("e%d-%s" % (seed, name))
            subprocess.run(["editcap", "--seed", str(seed + 1), "-E", "0.05",
                            os.path.join(SNIFF, name), str(out)],
                           check=True, capture_output=True, timeout=30)
            for f in FLAGS:
                sniff_ok(out, *f)


def record_bounds(data):
    """Offsets where a pcap's records, and the headers inside each
    frame (Ethernet 14, IPv4 +20, TCP +20), begin and end."""
    cuts = {0, 1, 23, 24, 25}
    off = 24
    while off + 16 <= len(data):
        cap = struct.unpack("<I", data[off + 8:off + 12])[0]
        for k in (0, 8, 15, 16, 17, 16 + 14, 16 + 34, 16 + 54,
                  16 + cap - 1, 16 + cap):
            cuts.add(off + k)
        off += 16 + cap
    return sorted(c for c in cuts if c <= len(data))


def test_cut_at_every_header_boundary(tmp_path):
    with open(os.path.join(SNIFF, "pipelined.pcap"), "rb") as f:
        data = f.read()
    full = sniff_ok(os.path.join(SNIFF, "pipelined.pcap")).stdout
    path = tmp_path / "cut.pcap"
    cuts = record_bounds(data)
    assert len(cuts) > 100
    for c in cuts:
        path.write_bytes(data[:c])
        flags = FLAGS[c % len(FLAGS)]
        r = sniff_ok(path, *flags)
        if c < 24:
            assert r.returncode == 1 and b"cannot read" in r.stderr
        if not flags and r.returncode == 0:
            # frames before the cut print as they do from the whole file
            lines = r.stdout.splitlines()
            assert lines[:-1] == full.splitlines()[:len(lines) - 1]


def test_tiny_snaplen(tmp_path):
    require("editcap")
    for snap in (1, 14, 20, 34, 40, 54, 60, 80):
        for name in ("nginx.pcap", "sll2-v6-ext.pcap", "null-v6.pcap"):
            out = tmp_path / ("s%d-%s" % (snap, name))
            subprocess.run(["editcap", "-s", str(snap),
                            os.path.join(SNIFF, name), str(out)],
                           check=True, capture_output=True, timeout=30)
            r = sniff_ok(out, "-V")
            assert r.returncode == 0
            assert b"[|" in r.stdout or b"Packet size limited" in r.stdout \
                or b"truncated" in r.stdout.lower(), r.stdout[:500]
            sniff_ok(out, "--json")


def conflicting_capture(path):
    """A request whose bytes arrive twice with different content, in
    overlapping pieces, out of order, then a response."""
    frames = []
    c = mkpcaps.Conv(frames)
    c.handshake()
    real = mkpcaps.req("GET", "/real-path-is-this")
    fake = mkpcaps.req("GET", "/FAKE-PATH-XXXXXXX")
    assert len(real) == len(fake)
    base = c.seq["c"]
    c.pkt("c", "PA", real[10:30], seq=base + 10)      # ahead of the hole
    c.pkt("c", "PA", fake[5:25], seq=base + 5)        # overlaps it, differs
    c.pkt("c", "PA", real[:12], seq=base)             # fills the start
    c.pkt("c", "PA", fake[:len(fake)], seq=base)      # conflicting resend
    c.pkt("c", "PA", real[20:], seq=base + 20)        # the rest, overlapping
    c.seq["c"] = base + len(real)
    c.pkt("s", "A")
    c.send("s", mkpcaps.resp(200, "OK", [("Content-Length", "2")], b"ok"))
    c.pkt("c", "PA", b"X" * 50, seq=base - 100)       # far in the past
    c.pkt("c", "PA", b"Y" * 60000, seq=base + 1000000)  # far in the future
    c.close()
    mkpcaps.write_pcap(str(path), frames)


def test_overlapping_and_conflicting_retransmissions(tmp_path):
    path = tmp_path / "conflict.pcap"
    conflicting_capture(path)
    for f in FLAGS:
        sniff_ok(path, *f)
    r = sniff_ok(path, "--json")
    assert r.returncode == 0
    # one request, one response: the resent bytes are not a new message
    types = [l for l in r.stdout.splitlines() if l.strip()]
    assert len(types) == 2, r.stdout
    r = sniff_ok(path, "--flow-mem", "16", "--total-mem", "16", "-V")
    assert r.returncode == 0


def long_stream(path, segments):
    """One connection: a GET, then a response with a 10 GB
    Content-Length of which `segments` 1000-byte segments are captured."""
    frames = []
    c = mkpcaps.Conv(frames)
    c.handshake()
    c.send("c", mkpcaps.req("GET", "/huge"))
    c.send("s", mkpcaps.resp(200, "OK", [("Content-Length",
                                          str(10 << 30))]))
    body = b"b" * 1000
    for i in range(segments):
        c.pkt("s", "A", body)
        if i % 8 == 0:
            c.pkt("c", "A")
    c.close()
    mkpcaps.write_pcap(str(path), frames)


def peak_rss_kib(argv):
    """Peak RSS of argv through GNU time (a child forked from pytest
    would count pytest's own pages in ru_maxrss)."""
    time_bin = require("time") and "/usr/bin/time"
    r = subprocess.run([time_bin, "-f", "RSS %M", *argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=60, env=rss_env())
    assert r.returncode == 0, r.stderr[-500:]
    assert b"Sanitizer" not in r.stderr, r.stderr[-2000:]
    return int(r.stderr.split(b"RSS ")[-1])


@pytest.mark.parametrize("flags", [[], ["--follow-http", "0"], ["--json"],
                                   ["-V"]], ids=lambda f: " ".join(f) or "summary")
def test_long_single_connection_memory_flat(tmp_path, flags):
    small, large = tmp_path / "s.pcap", tmp_path / "l.pcap"
    long_stream(small, 2000)
    long_stream(large, 40000)
    a = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(small), *flags])
    b = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(large), *flags])
    print("\nsniff %s: peak RSS %d KiB (2 MB stream) vs %d KiB (40 MB)"
          % (" ".join(flags) or "summary", a, b))
    # 20 times the bytes and frames: the frame index (24 bytes a frame,
    # ~1.1 MB here) may grow, nothing else
    assert b - a < 6 * 1024, (a, b)


def test_capture_of_hostile_requests(tmp_path):
    """Capture the server suite's rejected requests live, then read the
    capture back every way."""
    require("tcpdump")
    from test_hostile_serve import REJECT, SMUGGLED
    port = free_port()
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_text("aaa\n")
    srv = subprocess.Popen([HTTPTOOL, "serve", str(port), "-d", str(root),
                            "--quiet", "--threads", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, proc=srv)
        script = tmp_path / "send.py"
        script.write_text(
            "import socket, sys\n"
            "reqs = %r\n"
            "for r in reqs:\n"
            "    s = socket.create_connection(('127.0.0.1', %d), timeout=3)\n"
            "    try:\n"
            "        s.sendall(r)\n"
            "        while s.recv(65536): pass\n"
            "    except OSError: pass\n"
            "    s.close()\n" % ([r[1] + SMUGGLED for r in REJECT], port))
        cap = tmp_path / "hostile.pcap"
        r = run("sniff", "-f", "tcp port %d" % port, "-w", cap, "--",
                sys.executable, script, timeout=60)
        assert r.returncode == 0, r.stderr[-500:]
    finally:
        srv.terminate()
        srv.wait(timeout=10)
        srv.stderr.close()
    for f in FLAGS + [["-V", "-O", "http"], ["--har", tmp_path / "h.har"]]:
        sniff_ok(cap, *f)
    out = sniff_ok(cap, "--json").stdout
    assert out.count(b'"type": "response"') + \
        out.count(b'"type":"response"') >= len(REJECT) - 5


MONKEY_KEYS = ["Up", "Down", "PageUp", "PageDown", "Home", "End", "Tab",
               "Enter", "Left", "Right", "j", "k", "g", "G", "e", "E", "f",
               "x", "d", "s", "h", "?", "p", "m", "\\", "Escape", "n", "N",
               "BSpace", "Space"]
MONKEY_FILTERS = ["http", "((((", 'http.request.uri contains "\\x00"',
                  "frame.len > 99999999999999999999", '"',
                  "ip.src == 1.2.3.4/33", "tcp.stream in {1 2 3}"]


@pytest.mark.parametrize("seed", [1, 2])
def test_tui_monkey_on_hostile_captures(tmp_path, seed):
    """Random keys, filters and terminal sizes (down to 1x1) in the TUI
    over damaged captures: it must quit with 0 and no sanitizer report."""
    require("tmux")
    from test_tui import Tmux
    rng = random.Random(seed)
    cap = tmp_path / "c.pcap"
    if seed == 1:
        conflicting_capture(cap)
    else:
        subprocess.run(["editcap", "--seed", "3", "-E", "0.05",
                        os.path.join(SNIFF, "pipelined.pcap"), str(cap)],
                       check=True, capture_output=True, timeout=30)
    err = tmp_path / "stderr"
    t = Tmux("%s sniff --tui -r %s" % (HTTPTOOL, cap), err)
    try:
        t.wait(r"\S", timeout=10)
        for _ in range(120):
            r = rng.random()
            if r < 0.05:
                t.tmux("resize-window", "-t", "t",
                       "-x", str(rng.choice([1, 2, 10, 40, 160])),
                       "-y", str(rng.choice([1, 2, 5, 24, 50])))
            elif r < 0.12:
                t.keys("/")
                t.keys(rng.choice(MONKEY_FILTERS), literal=True)
                t.keys("Enter")
            else:
                t.keys(rng.choice(MONKEY_KEYS))
        t.tmux("resize-window", "-t", "t", "-x", "160", "-y", "50")
        for k in ("Escape", "Escape", "q"):
            time.sleep(0.1)
            t.keys(k)
        t.wait(r"^EXIT=0$", timeout=15)
    finally:
        t.kill()
    text = err.read_text(errors="replace") if err.exists() else ""
    assert "Sanitizer" not in text and "runtime error" not in text, text


def many_connections(path, n):
    """n short, complete HTTP connections one after another."""
    frames = []
    t = mkpcaps.T0 * 1000000
    for i in range(n):
        c = mkpcaps.Conv(frames, cli=("10.%d.%d.%d" % (1 + (i >> 16),
                                                      (i >> 8) & 255, i & 255),
                                      40000 + i % 20000), t=t)
        c.handshake()
        c.send("c", mkpcaps.req("GET", "/x%d" % i))
        c.send("s", mkpcaps.resp(200, "OK", [("Content-Length", "2")],
                                 b"ok"))
        c.close()
        t = c.t
    mkpcaps.write_pcap(str(path), frames)


def pcap_frames(path):
    """How many records a (little-endian, classic) pcap file holds."""
    data = open(path, "rb").read()
    off, n = 24, 0
    while off + 16 <= len(data):
        off += 16 + int.from_bytes(data[off + 8:off + 12], "little")
        n += 1
    return n


def test_finished_connections_are_forgotten(tmp_path):
    """Fixed in review: a closed flow gives its dissector state back and
    only the newest closed flows are kept.  What may still grow is the
    designed 24-byte frame index (capped at 2^20 frames) and the HTTP
    record ring (capped at 2^16 records)."""
    small, large = tmp_path / "s.pcap", tmp_path / "l.pcap"
    many_connections(small, 2000)
    many_connections(large, 20000)
    a = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(small)])
    b = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(large)])
    frames = pcap_frames(large) - pcap_frames(small)
    print("\n2000 vs 20000 connections: peak RSS %d vs %d KiB" % (a, b))
    # 18000 more finished connections: their frames' index entries, and a
    # few hundred bytes each at most for the rest (it was ~1.5 KB)
    assert b - a < (frames * 24 + 18000 * 300) // 1024, (a, b, frames)


def pending_heads(path, flows, segments):
    """flows connections that each send a request head that never ends."""
    frames = []
    t = mkpcaps.T0 * 1000000
    for i in range(flows):
        src = "10.1.%d.%d" % (i >> 8, i & 255)
        seq = 1000
        for k in range(segments):
            p = b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " if k == 0 \
                else b"a" * 1400
            seg = mkpcaps.tcp_seg(src, "10.255.0.1", 2000 + i, 80, seq, 1,
                                  "A", p)
            seq += len(p)
            t += 1
            frames.append((t, mkpcaps.ip_pkt(src, "10.255.0.1", seg, k)))
    mkpcaps.write_pcap(str(path), frames)


def test_unfinished_heads_count_against_total_mem(tmp_path):
    small, large = tmp_path / "s.pcap", tmp_path / "l.pcap"
    pending_heads(small, 20, 45)
    pending_heads(large, 400, 45)
    args = ["--total-mem", str(4 << 20)]
    a = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(small), *args])
    b = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(large), *args])
    print("\n20 vs 400 unfinished 62 KB heads: peak RSS %d vs %d KiB"
          % (a, b))
    assert b - a < 8 * 1024, (a, b)


def test_reading_a_capture_as_root_drops_privileges(tmp_path):
    import pwd
    assert os.geteuid() == 0, "the e2e suite runs as root (make test)"
    cap = tmp_path / "many.pcap"
    many_connections(cap, 10000)        # about a second of -V decoding
    p = subprocess.Popen([HTTPTOOL, "sniff", "-V", "-r", str(cap)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uids = set()
    while p.poll() is None:
        try:
            with open("/proc/%d/status" % p.pid) as f:
                uids |= {int(l.split()[1]) for l in f
                         if l.startswith("Uid:")}
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.005)
    assert p.wait(timeout=30) == 0
    # while it decoded the file it was nobody
    assert pwd.getpwnam("nobody").pw_uid in uids, uids
