"""HTTP/2 inside decrypted TLS and server push (issues 15 and 16), with
tshark -o tls.keylog_file: as the oracle.  tls-h2.pcapng (record-h2.sh:
serve --tls chose h2 by ALPN for httptool get and post and for nghttp's
two multiplexed requests) shows the same handshake, the same HTTP/2
frames with the same decoded header fields and the same -Y matches as
tshark with the same key log; each stream's request and response are
HTTP records (--json with the tls object, --har h2).  h2c-push.pcap
(nghttpd -p) shows the PUSH_PROMISEs as tshark does, and each promised
request paired with the response on its promised stream.  Live: sniff
decrypts curl's and httptool's h2 as it is captured with the server's
key log, and `sniff -- httptool get -k https://…` with no flag at all."""
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import DATA, HTTPTOOL, free_port, run, wait_port
from sniff_oracle import my_frames, port_of, summary, tshark_fields
from test_sniff import start_sniff

SNIFF = os.path.join(DATA, "sniff")
CAP = os.path.join(SNIFF, "tls-h2.pcapng")
KEYS = os.path.join(SNIFF, "tls-h2.keys")
PUSH = os.path.join(SNIFF, "h2c-push.pcap")
def tshark(path, *opts, fields=("_ws.col.Protocol", "_ws.col.Info")):
    return tshark_fields(path, *opts, fields=fields)


def norm(proto, info):
    """tshark 4.0 vs us: the SNI we add to Client Hello (newer Wireshark
    does too); tshark's JSON sub-dissector (HTTP2/JSON, ", JavaScript
    Object Notation (type)") where we write "(type)" as for HTML."""
    info = re.sub(r" \(SNI=[^)]*\)", "", info)
    info = info.replace(", JavaScript Object Notation (", " (")
    return proto.split("/")[0], info


def same_frames(mine, path, *opts, tcp=True):
    """tcp=False: TCP-only frames are left out (a live capture may hold a
    SACK option, which tshark shows and our summary does not yet)."""
    theirs = tshark(path, *opts)
    assert set(mine) == set(theirs)
    h2 = 0
    for n, (proto, info) in theirs.items():
        if not tcp and proto == "TCP":
            assert mine[n][0] == "TCP", n
            continue
        assert norm(*mine[n]) == norm(proto, info), n
        h2 += proto.startswith("HTTP2")
    return h2


def test_summary_matches_tshark_with_the_key_log():
    r = run("sniff", "-r", CAP, "--keylog", KEYS)
    assert r.returncode == 0, r.stderr
    mine = summary(r.stdout.decode())
    assert same_frames(mine, CAP, "-o", "tls.keylog_file:" + KEYS) >= 14
    text = r.stdout.decode()
    assert "HEADERS[1]: GET /get?via=h2" in text
    assert "HEADERS[1]: POST /post" in text
    assert "HEADERS[13]: GET /html, HEADERS[15]: GET /robots.txt" in text
    # without the key: the same frames are TLS Application Data
    mine = summary(run("sniff", "-r", CAP).stdout.decode())
    theirs = tshark(CAP)
    assert not [n for n, (p, _) in mine.items() if p == "HTTP2"]
    assert {n for n, (p, i) in mine.items() if i == "Application Data"} == \
        {n for n, (p, i) in theirs.items() if i == "Application Data"}


@pytest.mark.parametrize("path", [CAP, PUSH])
def test_frames_and_headers_match_tshark(path):
    if path == CAP:
        opts, flags = ["-o", "tls.keylog_file:" + KEYS], ["--keylog", KEYS]
    else:
        opts, flags = ["-d", "tcp.port==%d,http2" % port_of(PUSH)], []
    theirs = tshark(path, *opts, "-Y", "http2", fields=(
        "http2.streamid", "http2.type", "http2.header.name",
        "http2.header.value"))
    mine = my_frames(path, *flags)
    checked = 0
    for no, (sids, types, names, values) in theirs.items():
        got = mine[no]
        assert [g[0] for g in got] == [int(x) for x in sids.split("|")], no
        assert [g[1] for g in got] == [int(x) for x in types.split("|")], no
        headers = [h for g in got for h in g[2]]
        want = list(zip(names.split("|"), values.split("|"))) if names \
            else []
        assert headers == want, no
        checked += len(headers)
    assert set(mine) == set(theirs)
    assert checked >= 30


@pytest.mark.parametrize("flt", [
    "http2.type == 1", "http2.streamid == 15",
    "http2.headers.method == \"POST\"", "http2.headers.status == 200",
    "http2.headers.path contains \"robots\"", "http2.type == 7",
    "http2.header.name == \"content-type\"",
    "http2.headers.authority contains \"localhost\" && http2.type == 1",
    "tls.handshake.extensions_alpn_str == \"h2\"",
])
def test_filters_match_tshark(flt):
    mine = summary(run("sniff", "-r", CAP, "--keylog", KEYS, "-Y",
                       flt).stdout.decode())
    theirs = tshark(CAP, "-o", "tls.keylog_file:" + KEYS, "-Y", flt)
    assert set(mine) == set(theirs) and mine


def test_json_har_and_stats_of_h2_over_tls(tmp_path):
    r = run("sniff", "-r", CAP, "--keylog", KEYS, "--json")
    msgs = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    assert len(msgs) == 8 and all(m["version"] == "HTTP/2" for m in msgs)
    assert all(m["tls"]["alpn"] == "h2" and m["tls"]["version"] == "TLSv1.3"
               for m in msgs)
    by = {(m["stream"], m["stream_id"], m["type"]): m for m in msgs}
    post = by[(1, 1, "request")]
    assert post["full_uri"] == "https://localhost:%d/post" % port_of(CAP)
    assert post["body_len"] == len('{"lab": "tls-h2", "n": 2}')
    answer = by[(1, 1, "response")]
    assert answer["request_in"] == post["frame"] and answer["code"] == 200
    assert post["response_in"] == answer["frame"]
    # nghttp's streams 13 and 15 answered in one frame, each paired
    assert by[(2, 15, "response")]["request_in"] == \
        by[(2, 13, "request")]["frame"]
    assert by[(2, 13, "response")]["uri"] == "/html"
    har = tmp_path / "h2.har"
    assert run("sniff", "-r", CAP, "--keylog", KEYS, "--har",
               har).returncode == 0
    entries = json.loads(har.read_text())["log"]["entries"]
    assert [e["request"]["httpVersion"] for e in entries] == ["h2"] * 4
    assert entries[1]["request"]["url"].startswith("https://localhost:")
    st = run("sniff", "-r", CAP, "--keylog", KEYS, "--stats").stdout.decode()
    assert re.search(r"POST +1", st) and re.search(r"200 OK +4", st)


def test_push_promise_requests_are_paired_with_pushed_responses(tmp_path):
    port = port_of(PUSH)
    mine = summary(run("sniff", "-r", PUSH).stdout.decode())
    assert same_frames(mine, PUSH, "-d", "tcp.port==%d,http2" % port) >= 3
    assert "PUSH_PROMISE[13]: GET /style.css" in mine[8][1]
    r = run("sniff", "-r", PUSH, "--json")
    msgs = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    by = {(m["stream_id"], m["type"]): m for m in msgs}
    assert len(msgs) == 6
    for sid, path in ((2, "/style.css"), (4, "/app.js")):
        req, resp = by[(sid, "request")], by[(sid, "response")]
        assert req["uri"] == path and req["method"] == "GET"
        # promised by the server: its bytes came from the server's side
        assert req["sport"] == port
        assert resp["request_in"] == req["frame"] == 8
        assert req["response_in"] == resp["frame"] and resp["code"] == 200
    assert by[(4, "response")]["content_type"] == "text/javascript"
    har = tmp_path / "push.har"
    assert run("sniff", "-r", PUSH, "--har", har).returncode == 0
    urls = [e["request"]["url"] for e in
            json.loads(har.read_text())["log"]["entries"]]
    assert sorted(urls) == ["http://127.0.0.1:%d%s" % (port, p) for p in
                            ("/app.js", "/index.html", "/style.css")]


def test_live_h2_decrypted_as_tshark_does(procs, tmp_path):
    """serve --tls writes its keys; sniff captures live with that key log
    while curl --http2 and httptool get talk h2; its lines equal tshark's
    on the capture it wrote (-w) with the same key log."""
    keys = tmp_path / "serve.keys"
    cap = tmp_path / "live.pcapng"
    port = free_port()
    srv = procs([HTTPTOOL, "serve", "--tls", "--quiet", "--keylog", keys,
                 str(port)])
    wait_port(port, proc=srv.p)
    p = start_sniff(procs, "-i", "lo", "-f", "tcp port %d" % port,
                    "--keylog", keys, "-w", cap, "-a", "duration:30")
    subprocess.run(["curl", "-sk", "--http2", "-o", "/dev/null",
                    "https://localhost:%d/html" % port], timeout=10)
    subprocess.run([HTTPTOOL, "get", "-k", "https://localhost:%d/get?live=1"
                    % port], capture_output=True, timeout=10)
    time.sleep(1)       # the last packets reach the capture
    p.p.send_signal(signal.SIGINT)
    out, err = p.p.communicate(timeout=30)
    assert p.p.returncode == 0, err
    text = out.decode()
    assert "HEADERS[1]: GET /html" in text, text
    assert "HEADERS[1]: GET /get?live=1" in text, text
    mine = summary(text)
    assert same_frames(mine, str(cap), "-o", "tls.keylog_file:%s" % keys,
                       tcp=False) >= 6


def test_sniff_command_shows_h2_with_no_flag(procs):
    port = free_port()
    srv = procs([HTTPTOOL, "serve", str(port), "--tls", "--quiet"])
    wait_port(port, proc=srv.p)
    env = {k: v for k, v in os.environ.items() if k != "SSLKEYLOGFILE"}
    r = subprocess.run(
        [HTTPTOOL, "sniff", "-f", "tcp port %d" % port, "--",
         HTTPTOOL, "get", "-k", "https://localhost:%d/get?zero=h2" % port],
        capture_output=True, timeout=60, env=env)
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert re.search(r"HTTP2 \d+ .*HEADERS\[1\]: GET /get\?zero=h2", out), out
    assert re.search(r"HTTP2 \d+ .*HEADERS\[1\]: 200 OK", out), out
