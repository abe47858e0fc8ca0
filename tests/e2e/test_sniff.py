"""httptool sniff end to end: tshark as an oracle on recorded captures,
live capture on lo (-c, -a duration:, -w read back by tshark, --pcapng,
-- COMMAND, privileges), stdin, and damaged captures that must never crash
or hang it."""
import json
import os
import pwd
import random
import re
import subprocess
import sys
import time

import pytest

from conftest import DATA, HTTPTOOL, free_port, require, run, wait_port

SNIFF = os.path.join(DATA, "sniff")
RECORDED = ["python-server.pcap", "nginx.pcap", "httptool-serve.pcap"]


def sniff_json(path, *flags):
    r = run("sniff", "-r", path, "--json", *flags)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.decode().splitlines()]


def tshark_http(path, port):
    """(frame, kind, paired frame or None) for each HTTP message tshark sees."""
    require("tshark")
    r = subprocess.run(
        ["tshark", "-2", "-r", path, "-d", "tcp.port==%d,http" % port,
         "-Y", "http", "-T", "fields", "-E", "separator=;",
         "-e", "frame.number", "-e", "http.request", "-e", "http.response",
         "-e", "http.response_in", "-e", "http.request_in", "-e",
         "tcp.stream"],
        capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = []
    streams = tshark_http.streams = {}
    for line in r.stdout.decode().splitlines():
        frame, isreq, isresp, resp_in, req_in, stream = line.split(";")
        streams[int(frame)] = int(stream)
        # one frame may hold several messages: fields are comma lists
        nreq = len(isreq.split(",")) if isreq else 0
        nresp = len(isresp.split(",")) if isresp else 0
        for i in range(nreq):
            out.append((int(frame), "request", resp_in.split(",")[i]
                        if resp_in and i < len(resp_in.split(",")) else None))
        for i in range(nresp):
            out.append((int(frame), "response", req_in.split(",")[i]
                        if req_in and i < len(req_in.split(",")) else None))
    return out


@pytest.mark.parametrize("name", RECORDED)
def test_json_matches_tshark(name):
    path = os.path.join(SNIFF, name)
    mine = sniff_json(path)
    assert mine, "no HTTP messages found"
    port = next(m["dport"] for m in mine if m["type"] == "request")
    theirs = tshark_http(path, port)
    # same HTTP messages on the same frames, in the same tcp.stream
    assert sorted((f, k) for f, k, _ in theirs) == \
        sorted((m["frame"], m["type"]) for m in mine)
    assert {m["frame"]: m["stream"] for m in mine} == tshark_http.streams
    # where tshark pairs a message, the pairing is the same
    for frame, kind, other in theirs:
        if other is None:
            continue
        m = [x for x in mine if x["frame"] == frame and x["type"] == kind]
        key = "response_in" if kind == "request" else "request_in"
        assert int(other) in [x[key] for x in m], (frame, kind, other)


def test_pipelining_pairs_by_order():
    msgs = sniff_json(os.path.join(SNIFF, "pipelined.pcap"))
    reqs = [m for m in msgs if m["type"] == "request"]
    resps = [m for m in msgs if m["type"] == "response"]
    assert [r["uri"] for r in reqs] == ["/a", "/b?x=1", "/c", "/d", "/e"]
    assert [r["response_in"] for r in reqs] == [6, 9, 11, 15, 15]
    assert [r["code"] for r in resps] == [200, 200, 200, 304, 204]
    assert [r["request_in"] for r in resps] == [4, 4, 4, 13, 13]
    # HEAD response: Content-Length but no body; gzip+chunked decoded
    assert resps[2]["content_length"] == 1000 and resps[2]["body_len"] == 0
    assert resps[1]["body_len"] > 0 and resps[1]["malformed"] is None


def test_out_of_order_and_retransmission_reassembled():
    msgs = sniff_json(os.path.join(SNIFF, "out-of-order.pcap"))
    assert msgs[0]["method"] == "POST" and msgs[0]["frame"] == 8
    assert msgs[0]["body_len"] == msgs[0]["content_length"]
    assert msgs[0]["malformed"] is None
    r = run("sniff", "-r", os.path.join(SNIFF, "out-of-order.pcap"), "-V",
            "-O", "http")
    assert b'Form item: "name" = "J\xc3\xbcrgen M"' in r.stdout


def test_gap_is_marked_and_stream_goes_on():
    msgs = sniff_json(os.path.join(SNIFF, "gap.pcap"))
    assert msgs[1]["code"] == 200
    assert msgs[1]["malformed"] == "bytes missing from the capture"
    assert [m["uri"] for m in msgs if m["type"] == "request"] == \
        ["/file", "/after"]
    assert msgs[-1]["code"] == 200 and msgs[-1]["malformed"] is None


def test_pcapng_and_stdin_read_like_pcap():
    want = run("sniff", "-r", os.path.join(SNIFF, "python-server.pcap"))
    ng = run("sniff", "-r", os.path.join(SNIFF, "python-server.pcapng"))
    with open(os.path.join(SNIFF, "python-server.pcap"), "rb") as fp:
        stdin = run("sniff", "-r", "-", input=fp.read())
    assert want.stdout and ng.stdout == want.stdout == stdin.stdout


def test_rewrite_file_read_back_by_tshark(tmp_path):
    for fmt in ([], ["--pcapng"]):
        out = tmp_path / ("out" + ("ng" if fmt else ""))
        r = run("sniff", "-r", os.path.join(SNIFF, "nginx.pcap"), "-w", out,
                *fmt)
        assert r.returncode == 0, r.stderr
        fields = ["-T", "fields", "-e", "frame.len", "-e", "tcp.seq_raw",
                  "-e", "tcp.flags", "-e", "frame.time_epoch"]
        t = subprocess.run(["tshark", "-r", str(out), *fields],
                           capture_output=True, timeout=60)
        assert t.returncode == 0, t.stderr
        orig = subprocess.run(["tshark", "-r", os.path.join(SNIFF,
                                                             "nginx.pcap"),
                               *fields], capture_output=True, timeout=60)
        assert len(t.stdout.splitlines()) == 85
        assert t.stdout == orig.stdout
        with open(out, "rb") as fp:
            magic = fp.read(4)
        assert (magic == b"\x0a\x0d\x0d\x0a") == bool(fmt)


def test_missing_file_and_bad_options():
    r = run("sniff", "-r", "/nonexistent.pcap")
    assert r.returncode == 1
    assert b"httptool sniff: cannot open '/nonexistent.pcap'" in r.stderr
    assert run("sniff", "-c", "x").returncode == 2
    assert run("sniff", "-a", "forever").returncode == 2
    assert run("sniff", "-r", "x.pcap", "--", "true").returncode == 2


# ---- damaged captures ----------------------------------------------------

def damaged_variants(tmp_path):
    rng = random.Random(6)
    names = ["pipelined.pcap", "nginx.pcap", "continue.pcap",
             "sll2-v6-ext.pcap", "malformed.pcap"]
    for name in names:
        with open(os.path.join(SNIFF, name), "rb") as fp:
            data = fp.read()
        for i in range(6):
            b = bytearray(data)
            for _ in range(rng.randint(1, 40)):
                pos = rng.randrange(24, len(b))
                b[pos] = rng.randrange(256)
            yield bytes(b)
        for cut in (0, 1, 24, 30, 100, len(data) // 2, len(data) - 3):
            yield data[:cut]


def test_damaged_captures_never_crash(tmp_path):
    path = tmp_path / "bad.pcap"
    for data in damaged_variants(tmp_path):
        path.write_bytes(data)
        for flags in ([], ["--json"], ["-V", "-x"], ["--stats"],
                      ["--follow-http", "0"], ["--har", tmp_path / "h"]):
            r = run("sniff", "-r", path, *flags, timeout=20)
            assert r.returncode in (0, 1), (r.returncode, r.stderr[-500:])
            assert b"Sanitizer" not in r.stderr and \
                b"runtime error" not in r.stderr, r.stderr[-2000:]


def test_tiny_limits_do_not_break_reassembly():
    r = run("sniff", "-r", os.path.join(SNIFF, "out-of-order.pcap"),
            "--json", "--flow-mem", "1", "--total-mem", "1")
    assert r.returncode == 0
    msgs = [json.loads(x) for x in r.stdout.splitlines()]
    # the hole was given up on: no request claims to be whole
    assert not any(m["type"] == "request" and m["malformed"] is None
                   for m in msgs)
    assert msgs[-1]["code"] == 201


# ---- live ----------------------------------------------------------------

@pytest.fixture
def http_server(procs, tmp_path):
    (tmp_path / "index.html").write_text("<p>hi</p>\n")
    port = free_port()
    p = procs([sys.executable, "-m", "http.server", str(port), "--bind",
               "127.0.0.1", "--directory", str(tmp_path)])
    wait_port(port, proc=p.p)
    return port


def start_sniff(procs, *args):
    p = procs([HTTPTOOL, "sniff", *map(str, args)],
              env=dict(os.environ, NO_COLOR="1"))
    # "Capturing on 'lo'" once the capture is open
    line = p.p.stderr.readline()
    assert b"Capturing on" in line, line
    return p


def test_live_count_stops(procs, http_server):
    port = http_server
    p = start_sniff(procs, "-i", "lo", "-f", "tcp port %d" % port, "-c", 4,
                    "-a", "duration:20")
    subprocess.run(["curl", "-s", "-o", "/dev/null",
                    "http://127.0.0.1:%d/" % port], timeout=10)
    out, err = p.p.communicate(timeout=20)
    assert p.p.returncode == 0, err
    lines = out.decode().splitlines()
    assert len(lines) == 4
    assert "GET / HTTP/1.1" in lines[3]
    assert b"4 packets captured" in err
    assert b"dropped" in err


def test_live_duration_stops_without_traffic(procs):
    t0 = time.monotonic()
    p = start_sniff(procs, "-f", "tcp port %d" % free_port(), "-a",
                    "duration:1")
    out, err = p.p.communicate(timeout=15)
    assert p.p.returncode == 0
    assert 0.5 < time.monotonic() - t0 < 10
    assert b"0 packets captured" in err


@pytest.mark.parametrize("fmt", [[], ["--pcapng"]])
def test_live_write_read_back_by_tshark(procs, http_server, tmp_path, fmt):
    port = http_server
    out = tmp_path / "live.cap"
    p = start_sniff(procs, "-f", "tcp port %d" % port, "-w", out, "-c", 10,
                    "-a", "duration:20", *fmt)
    for _ in range(2):
        subprocess.run(["curl", "-s", "-o", "/dev/null",
                        "http://127.0.0.1:%d/" % port], timeout=10)
    so, err = p.p.communicate(timeout=20)
    assert p.p.returncode == 0, err
    t = subprocess.run(["tshark", "-r", str(out), "-d",
                        "tcp.port==%d,http" % port], capture_output=True,
                       timeout=60)
    assert t.returncode == 0, t.stderr
    assert len(t.stdout.splitlines()) == 10
    assert b"GET / HTTP/1.1" in t.stdout
    # and we read our own file back the same way we printed it live
    r = run("sniff", "-r", out)
    assert r.stdout == so


def test_command_form(http_server):
    port = http_server
    r = run("sniff", "-f", "tcp port %d" % port, "--json", "--",
            "curl", "-s", "-o", "/dev/null",
            "http://127.0.0.1:%d/index.html" % port, timeout=30)
    assert r.returncode == 0, r.stderr
    msgs = [json.loads(x) for x in r.stdout.splitlines()]
    # live too, the response names the request it answers
    assert [(m["type"], m["uri"], m["code"]) for m in msgs] == \
        [("request", "/index.html", None), ("response", "/index.html", 200)]
    assert msgs[1]["request_in"] == msgs[0]["frame"]
    # the command's failure is the exit status
    r = run("sniff", "-f", "tcp port %d" % port, "--", "sh", "-c", "exit 3",
            timeout=30)
    assert r.returncode == 3


def test_drops_root_to_nobody(procs):
    if os.geteuid() != 0:
        pytest.fail("the e2e suite runs as root (make test)")
    p = start_sniff(procs, "-f", "tcp port %d" % free_port(), "-a",
                    "duration:3")
    time.sleep(0.5)
    with open("/proc/%d/status" % p.p.pid) as fp:
        uid = re.search(r"^Uid:\s+(\d+)", fp.read(), re.M).group(1)
    assert int(uid) == pwd.getpwnam("nobody").pw_uid
    p.p.communicate(timeout=15)


def test_reading_a_file_as_root_drops_privileges(tmp_path):
    """A hostile file is decoded as -Z's user, as tcpdump -r does: the
    drop is attempted (an unknown user fails it), yet a file only root can
    read, read twice (-V) or from stdin, still works."""
    pcaps = [os.path.join(DATA, "sniff", f)
             for f in sorted(os.listdir(os.path.join(DATA, "sniff")))
             if f.endswith(".pcap")]
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    cap = private / "cap.pcap"
    cap.write_bytes(open(pcaps[0], "rb").read())
    cap.chmod(0o600)
    r = run("sniff", "-r", cap, "-Z", "no-such-user-here")
    assert r.returncode == 1
    assert b"cannot drop privileges: no user 'no-such-user-here'" in r.stderr
    plain = run("sniff", "-r", pcaps[0])
    assert plain.returncode == 0 and plain.stdout
    for args in (("-r", cap), ("-r", cap, "-V")):
        r = run("sniff", *args)
        assert r.returncode == 0, r.stderr
    assert run("sniff", "-r", cap).stdout == plain.stdout
    # stdin is spooled to a temporary file: nothing is left behind
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    r = run("sniff", "-r", "-", "-V", input=cap.read_bytes(),
            env={"TMPDIR": str(tmp)})
    assert r.returncode == 0, r.stderr
    assert list(tmp.iterdir()) == []


def test_live_capture_leaves_no_temporary_file(tmp_path):
    r = run("sniff", "-f", "tcp port %d" % free_port(), "-a", "duration:1",
            env={"TMPDIR": str(tmp_path)}, timeout=20)
    assert r.returncode == 0, r.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_privilege_says_how_to_fix():
    nobody = pwd.getpwnam("nobody")

    def demote():
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    r = subprocess.run([HTTPTOOL, "sniff", "-i", "lo", "-c", "1"],
                       capture_output=True, timeout=20, preexec_fn=demote)
    assert r.returncode == 1
    assert b"CAP_NET_RAW" in r.stderr
    assert b"setcap cap_net_raw,cap_net_admin=eip" in r.stderr


def test_list_interfaces():
    r = run("sniff", "-D")
    assert r.returncode == 0
    assert re.search(rb"^\d+\. lo\b", r.stdout, re.M)


def test_bad_display_filter_exits_2_with_caret():
    r = run("sniff", "-r", os.path.join(SNIFF, "nginx.pcap"), "-Y",
            "http.request.method = ")
    assert r.returncode == 2
    assert r.stdout == b""
    assert r.stderr.startswith(b"httptool sniff: ")
    assert b"    http.request.method = \n" in r.stderr
    assert re.search(rb"\n +\^", r.stderr)


def test_display_filter_on_json_and_fields():
    msgs = sniff_json(os.path.join(SNIFF, "continue.pcap"), "-Y",
                      'http.set_cookie contains "sid" || '
                      'http.cookie contains "theme" || '
                      'http.user_agent matches "^mkpcaps"')
    assert [(m["frame"], m["type"]) for m in msgs] == \
        [(10, "response"), (12, "request")]
    msgs = sniff_json(os.path.join(SNIFF, "null-v6.pcap"), "-Y",
                      "ipv6.addr == 2001:db8::2 && tcp.port == 8080 && "
                      "frame.number >= 6")
    assert [m["frame"] for m in msgs] == [6]


def test_har_is_valid_and_complete(tmp_path):
    har = tmp_path / "x.har"
    r = run("sniff", "-r", os.path.join(SNIFF, "nginx.pcap"), "--har", har)
    assert r.returncode == 0, r.stderr
    assert r.stdout        # the summary still prints
    log = json.loads(har.read_text())["log"]
    assert log["version"] == "1.2"
    ents = log["entries"]
    assert len(ents) == 12     # every request, answered or not
    for e in ents:
        for key in ("startedDateTime", "time", "request", "response",
                    "cache", "timings"):
            assert key in e
        assert e["request"]["url"].startswith("http://127.0.0.1:")
        assert e["response"]["status"] == 200
    gz = [e for e in ents if e["request"]["url"].endswith("/big.txt")][0]
    # gzip + chunked on the wire, the text in the HAR
    assert gz["response"]["content"]["text"].startswith("line 0 of a text")
    form = [e for e in ents if e["request"]["method"] == "POST"][0]
    assert form["request"]["postData"]["text"] == "name=a+b&x=%2F"
    har2 = tmp_path / "y.har"
    run("sniff", "-r", os.path.join(SNIFF, "continue.pcap"), "--har", har2)
    ents = json.loads(har2.read_text())["log"]["entries"]
    assert [c["name"] for c in ents[0]["response"]["cookies"]] == \
        ["sid", "theme"]
    assert [c["name"] for c in ents[1]["request"]["cookies"]] == \
        ["sid", "theme"]


def test_stats_counts_and_percentiles():
    r = run("sniff", "-r", os.path.join(SNIFF, "nginx.pcap"), "--stats")
    out = r.stdout.decode()
    assert r.returncode == 0
    assert re.search(r"^  GET +8$", out, re.M)
    assert re.search(r"^  POST +3$", out, re.M)
    assert re.search(r"^    /index.html +7$", out, re.M)
    assert re.search(r"^  2xx +12$", out, re.M)
    assert re.search(r"^    100 Continue +1$", out, re.M)
    m = re.search(r"^  /index.html +7 +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$",
                  out, re.M)
    lo, med, p95, hi = map(float, m.groups())
    assert lo <= med <= p95 <= hi


def test_follow_shows_both_sides_and_http_dechunked():
    r = run("sniff", "-r", os.path.join(SNIFF, "pipelined.pcap"),
            "--follow", "0")
    out = r.stdout.decode("latin-1")
    assert "Node 0: 10.0.0.1:40000 (client)" in out
    assert "\n\t" in out and "GET /a HTTP/1.1" in out
    assert "a\r\n" not in out.split("Transfer-Encoding")[0]
    r = run("sniff", "-r", os.path.join(SNIFF, "pipelined.pcap"),
            "--follow-http", "0")
    out = r.stdout.decode("latin-1")
    assert "Follow: http,ascii (de-chunked, decompressed)" in out
    # the chunk-size lines are gone from the de-chunked body
    assert "\r\n14\r\n" not in out
    r = run("sniff", "-r", os.path.join(SNIFF, "pipelined.pcap"),
            "--follow", "7")
    assert b"no TCP stream 7" in r.stderr


def test_live_any_interface_and_ipv6(procs, tmp_path):
    (tmp_path / "v6.txt").write_text("six\n")
    port = free_port()
    srv = procs([sys.executable, "-m", "http.server", str(port), "--bind",
                 "::1", "--directory", str(tmp_path)])
    wait_port(port, host="::1", proc=srv.p)
    p = start_sniff(procs, "-i", "any", "-f", "tcp port %d" % port,
                    "--json", "-c", 10, "-a", "duration:20")
    subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", "Connection: close",
                    "http://[::1]:%d/v6.txt" % port], timeout=10)
    out, err = p.p.communicate(timeout=20)
    msgs = [json.loads(x) for x in out.splitlines()]
    assert [m["type"] for m in msgs] == ["request", "response"], err
    assert msgs[0]["src"] == "::1" and msgs[0]["uri"] == "/v6.txt"
    assert msgs[0]["full_uri"] == "http://[::1]:%d/v6.txt" % port
    assert msgs[1]["request_in"] == msgs[0]["frame"]
    assert msgs[1]["body_len"] == 4


@pytest.mark.parametrize("name", RECORDED)
def test_summary_matches_tshark_line_for_line(name):
    """The default output is tshark -2's, byte for byte, on real traffic."""
    path = os.path.join(SNIFF, name)
    port = next(m["dport"] for m in sniff_json(path)
                if m["type"] == "request")
    t = subprocess.run(["tshark", "-2", "-r", path, "-d",
                        "tcp.port==%d,http" % port], capture_output=True,
                       timeout=60)
    mine = run("sniff", "-r", path).stdout.decode().splitlines()
    theirs = t.stdout.decode().splitlines()
    assert len(mine) == len(theirs)
    differ = [i + 1 for i, (a, b) in enumerate(zip(mine, theirs)) if a != b]
    # tshark labels a multipart POST with its last part's type (frame 50)
    assert set(differ) <= ({50} if name == "nginx.pcap" else set()), \
        [(mine[i - 1], theirs[i - 1]) for i in differ]


def http_sections(text):
    """The HTTP subtrees of -V -O http output (body layers left out)."""
    out, keep = [], False
    for line in text.splitlines():
        if line.startswith("Hypertext Transfer Protocol"):
            keep = True
        elif line and not line.startswith(" "):
            keep = False
        if keep:
            out.append(line)
    return out


@pytest.mark.parametrize("name", ["python-server.pcap", "httptool-serve.pcap"])
def test_http_tree_matches_tshark(name):
    path = os.path.join(SNIFF, name)
    port = next(m["dport"] for m in sniff_json(path)
                if m["type"] == "request")
    t = subprocess.run(["tshark", "-2", "-r", path, "-d",
                        "tcp.port==%d,http" % port, "-O", "http", "-Y",
                        "http"], capture_output=True, timeout=60)
    mine = run("sniff", "-r", path, "-V", "-O", "http", "-Y", "http")
    theirs = http_sections(t.stdout.decode())
    assert theirs and http_sections(mine.stdout.decode()) == theirs


def test_hex_dump_matches_tshark():
    """-x prints tshark's dump (plus our summary line before each frame),
    with the reassembled PDU after the frame that completes it."""
    path = os.path.join(SNIFF, "python-server.pcap")
    port = next(m["dport"] for m in sniff_json(path)
                if m["type"] == "request")
    t = subprocess.run(["tshark", "-2", "-r", path, "-d",
                        "tcp.port==%d,http" % port, "-x"],
                       capture_output=True, timeout=60)
    mine = run("sniff", "-r", path, "-x").stdout.decode().splitlines()
    dump = [x for x in mine if not re.match(r"^ +\d+ +\d+\.\d+ ", x)]
    assert dump == t.stdout.decode().splitlines()
    assert "Reassembled TCP (226 bytes):" in dump
