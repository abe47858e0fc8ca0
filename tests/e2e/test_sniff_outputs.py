"""What the sniffer's outputs say about each exchange: a --json response
names the request it answers (method, uri, full_uri as tshark's
http.response_for.uri, request_in as http.request_in); --follow-http shows
gzip and deflate bodies uncompressed, bounded, and says so when a body
does not inflate; --har entries carry the request body whichever of the
request and the response ended first; bodies kept for -V count against
--total-mem."""
import gzip
import json
import os
import subprocess
import sys
import zlib

import pytest

from conftest import HTTPTOOL, require, run
from test_sniff import RECORDED, SNIFF, sniff_json

sys.path.insert(0, SNIFF)
import mkpcaps  # noqa: E402  (the golden captures' own builder)
from mkpcaps import Conv, chunked, req, resp, write_pcap  # noqa: E402

# ---- --json: a response names its request --------------------------------

def tshark_responses(path, port):
    """{frame: (request_in, response_for.uri)} of the responses tshark
    pairs with a request."""
    require("tshark")
    r = subprocess.run(
        ["tshark", "-2", "-r", path, "-d", "tcp.port==%d,http" % port,
         "-Y", "http.response", "-T", "fields", "-E", "separator=;",
         "-e", "frame.number", "-e", "http.request_in",
         "-e", "http.response_for.uri"],
        capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.decode().splitlines():
        frame, req_in, uri = line.split(";")
        if req_in and "," not in req_in:
            out[int(frame)] = (int(req_in), uri)
    return out


@pytest.mark.parametrize("name", RECORDED)
def test_response_uri_and_request_in_match_tshark(name):
    path = os.path.join(SNIFF, name)
    mine = sniff_json(path)
    port = next(m["dport"] for m in mine if m["type"] == "request")
    theirs = tshark_responses(path, port)
    assert theirs, "tshark paired no response"
    for frame, (req_in, uri) in theirs.items():
        m = [x for x in mine if x["frame"] == frame
             and x["type"] == "response"]
        assert m, frame
        assert m[0]["request_in"] == req_in, (frame, m[0])
        assert m[0]["full_uri"] == uri, (frame, m[0])


def requests_at(msgs, frame):
    return [m for m in msgs if m["type"] == "request" and m["frame"] == frame]


@pytest.mark.parametrize("name", ["pipelined.pcap", "continue.pcap",
                                  "nginx.pcap", "gap.pcap"])
def test_every_response_repeats_its_request(name):
    """Pipelined requests in one frame, 100-continue and early responses:
    each response carries the method and URI of the request it answers,
    the request_in frame holds that request, and the request names the
    response back (response_in) when the response is final."""
    msgs = sniff_json(os.path.join(SNIFF, name))
    resps = [m for m in msgs if m["type"] == "response"]
    assert resps
    for r in resps:
        assert r["method"] and r["uri"] and r["full_uri"], r
        assert r["full_uri"].endswith(r["uri"])
        cands = [q for q in requests_at(msgs, r["request_in"])
                 if (q["method"], q["uri"], q["full_uri"]) ==
                 (r["method"], r["uri"], r["full_uri"])]
        assert cands, r
        if r["code"] >= 200:
            assert r["frame"] in [q["response_in"] for q in cands], r


def test_pipelined_pairing_in_order():
    msgs = sniff_json(os.path.join(SNIFF, "pipelined.pcap"))
    got = [(m["frame"], m["method"], m["uri"], m["request_in"])
           for m in msgs if m["type"] == "response"]
    assert got == [(6, "GET", "/a", 4), (9, "GET", "/b?x=1", 4),
                   (11, "HEAD", "/c", 4), (15, "GET", "/d", 13),
                   (15, "DELETE", "/e", 13)]
    # 100 Continue and the final 200 both answer the POST
    msgs = sniff_json(os.path.join(SNIFF, "continue.pcap"))
    got = [(m["code"], m["method"], m["uri"]) for m in msgs
           if m["type"] == "response"]
    assert got == [(100, "POST", "/upload"), (200, "POST", "/upload"),
                   (200, "GET", "/me")]


def test_response_without_a_request_has_null_uri(tmp_path):
    """A capture that starts after the request: nothing is made up."""
    f = []
    c = Conv(f)
    c.handshake()
    c.send("s", resp(200, "OK", [("Content-Length", "2")], b"hi"))
    c.close()
    path = tmp_path / "noreq.pcap"
    write_pcap(str(path), f)
    (m,) = sniff_json(path)
    assert (m["type"], m["method"], m["uri"], m["full_uri"],
            m["request_in"]) == ("response", None, None, None, None)


def test_absolute_form_and_missing_host(tmp_path):
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", b"GET http://proxy.test/x HTTP/1.1\r\nHost: h\r\n\r\n")
    c.send("s", resp(200, "OK", [("Content-Length", "0")]))
    c.send("c", b"GET /nohost HTTP/1.0\r\n\r\n")
    c.send("s", resp(200, "OK", [("Content-Length", "0")]))
    c.close()
    path = tmp_path / "forms.pcap"
    write_pcap(str(path), f)
    got = [m["full_uri"] for m in sniff_json(path) if m["type"] == "response"]
    assert got == ["http://proxy.test/x", "http://10.0.0.2:80/nohost"]


# ---- --follow-http: bodies decompressed -----------------------------------

def follow_http(path, stream=0, *flags):
    """[(dir, bytes)] of the messages --follow-http prints, and its notes
    ([(dir, text)])."""
    r = run("sniff", "-r", path, "--follow-http", str(stream), *flags)
    assert r.returncode == 0, r.stderr
    out, msgs, notes, i = r.stdout, [], [], 0
    lines_end = out.index(b"(server)\n") + len(b"(server)\n")
    i = lines_end
    while i < len(out):
        nl = out.index(b"\n", i)
        line = out[i:nl]
        d = "s" if line.startswith(b"\t") else "c"
        line = line.lstrip(b"\t")
        if line.isdigit():
            n = int(line)
            msgs.append((d, out[nl + 1:nl + 1 + n]))
            i = nl + 1 + n + 1
        elif line.startswith(b"["):
            notes.append((d, line.decode()))
            i = nl + 1
        else:
            assert line.startswith(b"====="), line
            i = nl + 1
    return msgs, notes


def split_body(msg):
    head, _, body = msg.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n", body


def tshark_file_data(path, port=80):
    """{frame: body} as tshark decodes it (de-chunked, decompressed)."""
    require("tshark")
    r = subprocess.run(
        ["tshark", "-2", "-r", str(path), "-d", "tcp.port==%d,http" % port,
         "-Y", "http.response", "-T", "json", "-e", "frame.number",
         "-e", "http.file_data"], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = {}
    for p in json.loads(r.stdout):
        lay = p["_source"]["layers"]
        if "http.file_data" in lay:
            out[int(lay["frame.number"][0])] = lay["http.file_data"][0]
    return out


def test_follow_http_gunzips_like_tshark():
    path = os.path.join(SNIFF, "nginx.pcap")
    theirs = tshark_file_data(path, 55911)
    msgs, notes = follow_http(path, 0)
    assert not notes
    resp = [m for d, m in msgs if d == "s"][0]
    head, body = split_body(resp)
    # the head as it was on the wire, the body uncompressed
    assert b"Content-Encoding: gzip\r\n" in head
    assert b"Transfer-Encoding: chunked\r\n" in head
    assert body.decode() == theirs[6]
    assert body.startswith(b"line 0 of a text file\n")


TEXT = b"".join(b"line %d of the body\n" % i for i in range(300))


def coded_capture(path, bodies):
    """One connection: a GET per (coding, body bytes, chunked?)."""
    f = []
    c = Conv(f)
    c.handshake()
    for i, (coding, data, is_chunked) in enumerate(bodies):
        c.send("c", req("GET", "/%d" % i))
        hdrs = [("Content-Type", "text/plain"), ("Content-Encoding", coding)]
        if is_chunked:
            hdrs.append(("Transfer-Encoding", "chunked"))
            payload = chunked([data[:100], data[100:]])
        else:
            hdrs.append(("Content-Length", str(len(data))))
            payload = data
        wire = resp(200, "OK", hdrs, payload)
        for k in range(0, len(wire), 1400):
            c.send("s", wire[k:k + 1400], ack_after=False)
        c.pkt("c", "A")
    c.close()
    write_pcap(str(path), f)


def raw_deflate(data):
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush()


def test_follow_http_gzip_deflate_raw_deflate(tmp_path):
    path = tmp_path / "coded.pcap"
    gz = gzip.compress(TEXT)
    coded_capture(path, [("gzip", gz, False), ("gzip", gz, True),
                         ("x-gzip", gz, False),
                         ("deflate", zlib.compress(TEXT), False),
                         ("deflate", raw_deflate(TEXT), True),
                         ("identity", TEXT, False)])
    msgs, notes = follow_http(path)
    assert not notes
    resps = [m for d, m in msgs if d == "s"]
    assert len(resps) == 6
    theirs = tshark_file_data(path)
    for i, m in enumerate(resps):
        head, body = split_body(m)
        assert body == TEXT, i
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    # tshark decodes the same bodies (it knows gzip and zlib deflate)
    assert all(v.encode() == TEXT for v in theirs.values())
    assert len(theirs) >= 4


def test_follow_http_corrupt_body_shows_what_decoded(tmp_path):
    gz = gzip.compress(TEXT)
    bad = bytearray(gz)
    bad[len(bad) // 2:len(bad) // 2 + 40] = b"\xff" * 40
    path = tmp_path / "corrupt.pcap"
    coded_capture(path, [("gzip", bytes(bad), False),
                         ("gzip", b"this is not gzip at all", False),
                         ("deflate", zlib.compress(TEXT)[:len(gz) // 2],
                          False),
                         ("gzip", gz, False)])
    msgs, notes = follow_http(path)
    resps = [m for d, m in msgs if d == "s"]
    assert len(resps) == 4
    # what inflated before the damage was found, as text
    _, body = split_body(resps[0])
    assert body[:200] == TEXT[:200] and body != TEXT
    # nothing inflates: the body as received
    assert split_body(resps[1])[1] == b"this is not gzip at all"
    # a cut-short stream: its start
    _, body = split_body(resps[2])
    assert 0 < len(body) < len(TEXT) and TEXT.startswith(body)
    # and the next message is whole again
    assert split_body(resps[3])[1] == TEXT
    assert [d for d, _ in notes] == ["s", "s", "s"]
    assert "body corrupt" in notes[0][1]
    assert "does not decompress, shown as received" in notes[1][1]
    assert "body corrupt" in notes[2][1]


def test_follow_http_zip_bomb_is_cut(tmp_path):
    big = 40 << 20      # 40 MiB of zeros: about 40 KiB of gzip
    bomb = gzip.compress(b"\0" * big, 9)
    assert len(bomb) < (1 << 20)
    path = tmp_path / "bomb.pcap"
    coded_capture(path, [("gzip", bomb, False), ("gzip", gzip.compress(TEXT),
                                                 False)])
    msgs, notes = follow_http(path)
    resps = [m for d, m in msgs if d == "s"]
    head, body = split_body(resps[0])
    assert len(body) == 16 << 20
    assert notes == [("s", "[Content-Encoding gzip: cut at 16777216 "
                           "decompressed bytes]")]
    assert split_body(resps[1])[1] == TEXT


# ---- --har: the request body whatever the order ---------------------------

def har_entries(path, *flags, tmp):
    har = tmp / "out.har"
    r = run("sniff", "-r", path, "--har", har, *flags)
    assert r.returncode == 0, r.stderr
    return json.loads(har.read_text())["log"]["entries"]


def test_har_post_bodies_match_tshark(tmp_path):
    """nginx.pcap: a multipart POST answered before its body ended, and a
    100-continue upload whose 200 came before the last segment."""
    path = os.path.join(SNIFF, "nginx.pcap")
    require("tshark")
    r = subprocess.run(
        ["tshark", "-2", "-r", path, "-d", "tcp.port==55911,http", "-Y",
         "http.request.method == \"POST\"", "-T", "json",
         "-e", "http.file_data"], capture_output=True, timeout=60)
    theirs = [p["_source"]["layers"]["http.file_data"][0]
              for p in json.loads(r.stdout)]
    posts = [e["request"] for e in har_entries(path, tmp=tmp_path)
             if e["request"]["method"] == "POST"]
    assert len(posts) == len(theirs) == 3
    for mine, text in zip(posts, theirs):
        assert mine["postData"]["text"] == text
        assert mine["bodySize"] == len(text.encode())


def test_har_early_response_keeps_body_seen(tmp_path):
    """413 before the body ended, then the connection closed: the entry
    has the 413 and the 800 body bytes that were sent."""
    (e,) = har_entries(os.path.join(SNIFF, "early-response.pcap"),
                       tmp=tmp_path)
    assert e["response"]["status"] == 413
    assert e["request"]["postData"]["text"] == "\0" * 500 + "\1" * 300
    assert e["request"]["bodySize"] == 800


def early_capture(path):
    """Keep-alive: a chunked upload answered 400 after its first chunk
    (the client finishes it anyway), an Expect: 100-continue upload
    answered 417 then sent, and a plain POST in order after them."""
    f = []
    c = Conv(f)
    c.handshake()
    head = (b"POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    c.send("c", head + b"5\r\nfirst\r\n")
    c.send("s", resp(400, "Bad Request", [("Content-Length", "3")], b"no\n"))
    c.send("c", b"6\r\nsecond\r\n0\r\n\r\n")
    c.send("c", req("PUT", "/cont", [("Content-Type", "text/plain"),
                                     ("Expect", "100-continue"),
                                     ("Content-Length", "9")]))
    c.send("s", resp(417, "Expectation Failed", [("Content-Length", "0")]))
    c.send("c", b"late body")
    c.send("c", req("POST", "/form", [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Content-Length", "3")], b"a=1"))
    c.send("s", resp(200, "OK", [("Content-Length", "0")]))
    c.close()
    write_pcap(str(path), f)


@pytest.mark.parametrize("flags", [[], ["-Y", "http.response.code >= 400"]])
def test_har_response_before_request_end(tmp_path, flags):
    path = tmp_path / "early.pcap"
    early_capture(path)
    ents = har_entries(path, *flags, tmp=tmp_path)
    got = {e["request"]["url"]: (e["response"]["status"],
                                 e["request"].get("postData", {}).get("text"),
                                 e["request"]["bodySize"]) for e in ents}
    want = {"http://h/up": (400, "firstsecond", 11),
            "http://example.test/cont": (417, "late body", 9),
            "http://example.test/form": (200, "a=1", 3)}
    if flags:
        del want["http://example.test/form"]
    assert got == want
    # entries stay in the order their requests started
    starts = [e["startedDateTime"] for e in ents]
    assert starts == sorted(starts)


# ---- bodies kept for -V count against --total-mem ------------------------

def concurrent_uploads(path, flows, body_segments):
    """flows POSTs of 4 MB at once, their 1400-byte body segments
    interleaved; none ends before the capture does."""
    frames = []
    t = mkpcaps.T0 * 1000000
    seqs = [1000] * flows
    chunk = b"u" * 1400
    for k in range(body_segments + 1):
        for i in range(flows):
            src = "10.2.%d.%d" % (i >> 8, i & 255)
            p = req("POST", "/up%d" % i, [("Content-Length", str(4 << 20))]) \
                if k == 0 else chunk
            seg = mkpcaps.tcp_seg(src, "10.255.0.1", 3000 + i, 80, seqs[i],
                                  1, "A", p)
            seqs[i] += len(p)
            t += 1
            frames.append((t, mkpcaps.ip_pkt(src, "10.255.0.1", seg, k)))
    write_pcap(str(path), frames)


def test_kept_bodies_count_against_total_mem(tmp_path):
    """-V keeps up to 1 MiB of each body; 48 uploads at once would keep
    48 MiB.  Under --total-mem 8 MiB the kept bodies stay within 4 MiB,
    so peak RSS barely grows from 4 uploads to 48."""
    from test_hostile_sniff import peak_rss_kib
    small, large = tmp_path / "s.pcap", tmp_path / "l.pcap"
    concurrent_uploads(small, 4, 800)
    concurrent_uploads(large, 48, 800)
    args = ["-V", "--total-mem", str(8 << 20)]
    a = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(small), *args])
    b = peak_rss_kib([HTTPTOOL, "sniff", "-r", str(large), *args])
    print("\n-V, 4 vs 48 concurrent 1.1 MB uploads: peak RSS %d vs %d KiB"
          % (a, b))
    # 44 more messages: their 64 KiB record copies, 1 MB of frame index
    # and the kept bodies' 4 MiB share; without the budget it was ~48 MiB
    assert b - a < 12 * 1024, (a, b)
    # and a cut body says so
    msgs, notes = follow_http(large, 47, "--total-mem", str(8 << 20))
    assert len(msgs) == 1 and len(msgs[0][1]) < 800 * 1400
    assert notes and notes[0][1].endswith("more body bytes not kept]")


def hex_blocks(text):
    """{title: hex dump lines} of the named blocks of a -x output
    ("Frame (N bytes):", "Reassembled TCP (N bytes):", ...), in order."""
    blocks, cur = [], None
    for line in text.splitlines():
        if line.endswith(" bytes):") and "(" in line:
            cur = [line, []]
            blocks.append(cur)
        elif cur is not None and line[:4].strip() and line[4:6] == "  ":
            cur[1].append(line)
        else:
            cur = None
    return [(t, "\n".join(h)) for t, h in blocks]


@pytest.mark.parametrize("name", ["nginx.pcap", "python-server.pcap",
                                  "continue.pcap", "httptool-serve.pcap"])
def test_x_data_sources_are_tsharks(name):
    """-x prints the sources the decoders made (Reassembled TCP,
    De-chunked entity body, Uncompressed entity body) byte for byte and
    named as tshark -x names them."""
    require("tshark")
    path = os.path.join(SNIFF, name)
    ours = subprocess.run([HTTPTOOL, "sniff", "-r", path, "-x"],
                          capture_output=True, text=True, timeout=60)
    theirs = subprocess.run(["tshark", "-r", path, "-x"],
                            capture_output=True, text=True, timeout=60)
    assert ours.returncode == 0 and theirs.returncode == 0
    mine = hex_blocks(ours.stdout)
    assert mine == hex_blocks(theirs.stdout)
    if name == "nginx.pcap":
        titles = [t.split(" (")[0] for t, _ in mine]
        assert {"Reassembled TCP", "De-chunked entity body",
                "Uncompressed entity body"} <= set(titles)
