"""Regression tests for defects of the sniffer found by trying it as a new
user would (issue 17), each checked against tshark on the same capture:
--json body_len after decompression, TCP gap marks after TSO-sized
segments, pcapng files mixing link types, a message cut off by the end of
the capture, -Y with -w, -O implying the tree, snaplen-cut frames, UDP and
DNS summaries."""
import gzip
import json
import os
import struct
import subprocess
import sys

from conftest import require, run
from test_sniff import SNIFF, sniff_json

sys.path.insert(0, SNIFF)
from mkpcaps import (T0, Conv, csum, ip_bytes, req, resp,  # noqa: E402
                     write_pcap)

TEXT = b"".join(b"line %d of a text body\n" % i for i in range(600))


def tshark(path, *args):
    require("tshark")
    r = subprocess.run(["tshark", "-r", str(path), *args],
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode()


def tshark_fields(path, *fields, filt=None, extra=()):
    args = ["-2", *extra]
    if filt:
        args += ["-Y", filt]
    args += ["-T", "fields"]
    for f in fields:
        args += ["-e", f]
    return [line.split("\t") for line in tshark(path, *args).splitlines()]


# ---- --json body_len is the size after decompression ----------------------

def test_json_body_len_is_decompressed_size(tmp_path):
    path = tmp_path / "gz.pcap"
    f = []
    c = Conv(f)
    c.handshake()
    gz = gzip.compress(TEXT)
    c.send("c", req("GET", "/a"))
    wire = resp(200, "OK", [("Content-Type", "text/plain"),
                            ("Content-Encoding", "gzip"),
                            ("Content-Length", str(len(gz)))], gz)
    for k in range(0, len(wire), 1400):
        c.send("s", wire[k:k + 1400], ack_after=False)
    c.pkt("c", "A")
    c.close()
    write_pcap(str(path), f)
    msgs = sniff_json(str(path))
    r = [m for m in msgs if m["type"] == "response"][0]
    assert r["content_length"] == len(gz)
    assert r["body_len"] == len(TEXT)
    # tshark's File Data is the same size
    want = "File Data: %d bytes" % len(TEXT)
    assert want in tshark(path, "-2", "-V", "-Y", "http.response")
    assert want in run("sniff", "-r", str(path), "-V").stdout.decode()


# ---- no false "Previous segment not captured" ------------------------------

def marked(path, mark):
    out = run("sniff", "-r", str(path)).stdout.decode()
    return [int(line.split()[0]) for line in out.splitlines() if mark in line]


def test_lost_segment_marks_match_tshark_after_tso_segments(tmp_path):
    """A TSO-sized segment, then a hole, then segments in sequence after
    the one that opened the hole: only that one opens a hole."""
    path = tmp_path / "tso.pcap"
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", req("GET", "/big"))
    body = bytes(range(256)) * 340
    wire = resp(200, "OK", [("Content-Length", str(len(body)))], body)
    sizes = [47616, 1448, 1448, 30000, 1448, 1448, 1448]
    k = 0
    for i, n in enumerate(sizes):
        if i in (2, 4):         # never captured
            c.seq["s"] += n
        else:
            c.send("s", wire[k:k + n], ack_after=False)
        k += n
    c.send("s", wire[k:], ack_after=False)
    c.pkt("c", "A")
    c.close()
    write_pcap(str(path), f)
    theirs = [int(r[0]) for r in tshark_fields(
        path, "frame.number", filt="tcp.analysis.lost_segment")]
    assert len(theirs) == 2
    assert marked(path, "[TCP Previous segment not captured]") == theirs


# ---- a pcapng whose interfaces have different link types -----------------

def columns(text):
    """(number, source, destination, protocol) of each summary line."""
    return [tuple(line.split()[i] for i in (0, 2, 4, 5))
            for line in text.splitlines()]


def test_pcapng_mixing_link_types_reads_like_tshark(tmp_path):
    require("mergecap")
    path = tmp_path / "mixed.pcapng"
    subprocess.run(["mergecap", "-F", "pcapng", "-w", str(path),
                    os.path.join(SNIFF, "sll2-v6-ext.pcap"),
                    os.path.join(SNIFF, "close-delimited.pcap")], check=True)
    r = run("sniff", "-r", str(path))
    assert r.returncode == 0, r.stderr
    mine = columns(r.stdout.decode())
    assert len(mine) > 20
    assert mine == columns(tshark(path))
    # each frame is decoded with its own interface's link type
    tree = run("sniff", "-r", str(path), "-V").stdout.decode()
    assert "Linux cooked capture v2" in tree and "Ethernet II" in tree
    # a capture filter cannot apply to both: refused, not silently empty
    r = run("sniff", "-r", str(path), "-f", "tcp")
    assert r.returncode != 0 and b"mixes link types" in r.stderr


# ---- a message cut off by the end of the capture ---------------------------

def cut_response(path, fin):
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", req("GET", "/x"))
    w = resp(200, "OK", [("Content-Type", "text/plain"),
                         ("Content-Length", "5000")], b"x" * 3000)
    for k in range(0, len(w), 1400):
        c.send("s", w[k:k + 1400], ack_after=False)
    c.pkt("c", "A")
    if fin:
        c.close()
    write_pcap(str(path), f)


def test_message_cut_by_end_of_capture(tmp_path):
    path = tmp_path / "endcut.pcap"
    cut_response(path, fin=False)
    # tshark keeps the bytes for a PDU that never completes: frame 8 is
    # the last segment of the response
    last = [int(r[0]) for r in tshark_fields(
        path, "frame.number", filt="tcp.srcport == 80 && tcp.len > 0")][-1]
    out = run("sniff", "-r", str(path)).stdout.decode()
    assert out.splitlines()[-1] == (
        "[end of capture] stream 0, frame %d: HTTP/1.1 200 OK  (text/plain) "
        "[Incomplete: capture ended before the end of the body]" % last)
    msgs = sniff_json(str(path))
    r = msgs[-1]
    assert r["type"] == "response" and r["frame"] == last
    assert r["malformed"] == "capture ended before the end of the body"
    assert r["body_len"] == 3000 and r["content_length"] == 5000
    assert msgs[0]["response_in"] == last
    tree = run("sniff", "-r", str(path), "-V").stdout.decode()
    assert "[end of capture] stream 0, frame %d" % last in tree
    assert "File Data: 3000 bytes" in tree
    stats = run("sniff", "-r", str(path), "--stats").stdout.decode()
    assert "200" in stats


def test_message_cut_by_fin_is_still_a_closed_connection(tmp_path):
    path = tmp_path / "fincut.pcap"
    cut_response(path, fin=True)
    r = sniff_json(str(path))[-1]
    assert r["malformed"] == "connection closed before the end of the body"
    out = run("sniff", "-r", str(path)).stdout.decode()
    assert "[end of capture]" not in out
    assert "[Malformed: connection closed before the end of the body]" in out


# ---- -Y with -w writes the matches and the segments they need ------------

def split_exchange(path):
    """A POST in two segments, its response in three."""
    f = []
    c = Conv(f)
    c.handshake()
    post = req("POST", "/x", [("Content-Length", "3000")], b"a" * 3000)
    c.send("c", post[:1400])
    c.send("c", post[1400:])
    w = resp(200, "OK", [("Content-Type", "text/plain"),
                         ("Content-Length", "3000")], b"x" * 3000)
    for k in range(0, len(w), 1400):
        c.send("s", w[k:k + 1400], ack_after=False)
    c.pkt("c", "A")
    c.close()
    write_pcap(str(path), f)


def written(path):
    return tshark(path, "-T", "fields", "-e", "frame.len", "-e",
                  "tcp.seq_raw", "-e", "tcp.len").splitlines()


def test_filter_and_write_keeps_the_segments_of_a_match(tmp_path):
    path = tmp_path / "split.pcap"
    split_exchange(path)
    for filt in ("http.response", "http.request", "http", "tcp.stream == 0"):
        mine, theirs = tmp_path / "mine.pcap", tmp_path / "theirs.pcap"
        r = run("sniff", "-r", str(path), "-Y", filt, "-w", str(mine))
        assert r.returncode == 0, r.stderr
        tshark(path, "-2", "-Y", filt, "-w", str(theirs))
        assert written(mine) == written(theirs), filt
    # the response's three segments, not the whole capture
    run("sniff", "-r", str(path), "-Y", "http.response", "-w", str(mine))
    assert [x.split("\t")[2] for x in written(mine)] == ["1400", "1400",
                                                          "267"]
    for filt in ("http.response", 'http.request.method == "POST"'):
        nginx = os.path.join(SNIFF, "nginx.pcap")
        run("sniff", "-r", nginx, "-Y", filt, "-w", str(mine))
        tshark(nginx, "-2", "-Y", filt, "-w", str(theirs))
        assert written(mine) == written(theirs), filt


# ---- -O implies the tree, as in tshark -------------------------------------

def test_only_implies_the_tree():
    path = os.path.join(SNIFF, "pipelined.pcap")
    o = run("sniff", "-r", path, "-O", "http").stdout
    assert o == run("sniff", "-r", path, "-V", "-O", "http").stdout
    assert b"\nHypertext Transfer Protocol\n    GET /a HTTP/1.1\\r\\n" in o
    # tshark -O http prints the frame, link, IP and TCP lines closed too
    theirs = tshark(path, "-O", "http")
    assert theirs.splitlines()[0] == o.decode().splitlines()[0]


# ---- frames cut by the snaplen ---------------------------------------------

def test_snaplen_cut_frames_read_like_tshark():
    path = os.path.join(SNIFF, "snaplen.pcap")
    mine = run("sniff", "-r", path).stdout.decode().splitlines()
    theirs = tshark(path).splitlines()
    assert len(mine) == len(theirs)
    cut = 0
    for a, b in zip(mine, theirs):
        assert "[TCP segment of a reassembled PDU]" not in a
        if "[Packet size limited during capture]" in b:
            cut += 1
            assert "[Packet size limited during capture]" in a
            assert "[|tcp]" not in a
            if "Continuation" not in b:    # tshark's start line
                assert a.split()[5:] == b.split()[5:], a
    assert cut >= 5


# ---- UDP ports and DNS, as tshark's summary ---------------------------------

def udp_pkt(src, dst, sp, dp, payload):
    u = struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload
    s, d = ip_bytes(src), ip_bytes(dst)
    if len(s) == 4:
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 1, 0x4000,
                        64, 17, 0, s, d)
        return h[:10] + struct.pack("!H", csum(h)) + h[12:] + u
    return struct.pack("!IHBB16s16s", 0x60000000, len(u), 17, 64, s,
                       d) + u


def dns_name(n):
    return b"".join(bytes([len(p)]) + p.encode()
                    for p in n.split(".") if p) + b"\0"


def dns_query(qid, n, qtype):
    return (struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(n) +
            struct.pack("!HH", qtype, 1))


def dns_reply(qid, n, qtype, answers, flags=0x8180):
    out = (struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0) +
           dns_name(n) + struct.pack("!HH", qtype, 1))
    for atype, data in answers:   # each answer names the question (0xc00c)
        out += b"\xc0\x0c" + struct.pack("!HHIH", atype, 1, 300,
                                         len(data)) + data
    return out


def dns_capture(path):
    """Queries and responses (A, AAAA behind a CNAME, NXDOMAIN, MX, over
    IPv6), a plain UDP datagram and two cut-short DNS messages."""
    c, s = "10.0.0.1", "10.0.0.53"
    pkts = [
        udp_pkt(c, s, 53047, 53, dns_query(0x1234, "example.com", 1)),
        udp_pkt(s, c, 53, 53047, dns_reply(0x1234, "example.com", 1, [
            (1, bytes([93, 184, 216, 34])), (1, bytes([1, 2, 3, 4]))])),
        udp_pkt(c, s, 53048, 53, dns_query(0xbeef, "www.example.org", 28)),
        udp_pkt(s, c, 53, 53048, dns_reply(0xbeef, "www.example.org", 28, [
            (5, dns_name("example.org")), (28, ip_bytes("2001:db8::1"))])),
        udp_pkt(c, s, 53049, 53, dns_query(1, "nope.invalid", 1)),
        udp_pkt(s, c, 53, 53049, dns_reply(1, "nope.invalid", 1, [],
                                           flags=0x8183)),
        udp_pkt(c, "10.0.0.2", 53047, 20777, b"abc"),
        udp_pkt("::1", "::1", 40000, 53, dns_query(0x4242, "localhost", 28)),
        udp_pkt(c, s, 53050, 53, dns_query(2, "mx.example.com", 15)),
        udp_pkt(c, s, 53051, 53, b"\x12"),
        udp_pkt(c, s, 53052, 53, dns_query(3, "txt.example.com", 16)[:20]),
    ]
    write_pcap(str(path), [((T0 + i) * 1000000, p)
                           for i, p in enumerate(pkts)])


def test_udp_and_dns_summaries_equal_tsharks(tmp_path):
    path = tmp_path / "dns.pcap"
    dns_capture(path)
    mine = run("sniff", "-r", str(path)).stdout.decode()
    assert mine == tshark(path)
    assert "UDP 45 53047 → 20777 Len=3" in mine
    assert "DNS 71 Standard query 0x1234 A example.com" in mine
