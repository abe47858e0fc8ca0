"""HTTP/2 seen by the sniffer (issue 16), with tshark as the oracle on
captures of real peers: h2c with prior knowledge on a port tshark does not
know (nghttpd with curl and nghttp; tshark needs -d tcp.port==N,http2, we
recognise the preface and the server's SETTINGS by content) and h2c by
Upgrade (h2o with curl --http2 and nghttp -u; followed through the 101).
Summary lines byte for byte, each frame's stream id, type and decoded
header fields, the http2.* filter fields; each stream's request and
response in --json (HTTP/2, stream_id, paired), --har (h2), --stats; and
a live capture of curl --http2-prior-knowledge against nghttpd."""
import json
import os
import re
import subprocess

import pytest

from conftest import free_port, require, run, wait_port
from sniff_oracle import my_frames, port_of
from test_sniff import SNIFF, sniff_json, start_sniff

PRIOR = os.path.join(SNIFF, "h2c-prior.pcap")
UPGRADE = os.path.join(SNIFF, "h2c-upgrade.pcap")
# how tshark is told what the port speaks
DECODE = {PRIOR: "http2", UPGRADE: "http"}


def tshark(path, *args):
    require("tshark")
    r = subprocess.run(["tshark", "-r", path, "-d", "tcp.port==%d,%s" %
                        (port_of(path), DECODE[path]), *args],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode()


@pytest.mark.parametrize("path", [PRIOR, UPGRADE])
def test_summary_matches_tshark_line_for_line(path):
    mine = run("sniff", "-r", path).stdout.decode().splitlines()
    theirs = tshark(path).splitlines()
    assert any("HEADERS[1]: 200 OK, DATA[1] (text/html)" in x for x in mine)
    assert mine == theirs


@pytest.mark.parametrize("path", [PRIOR, UPGRADE])
def test_frames_and_headers_match_tshark(path):
    out = tshark(path, "-Y", "http2", "-T", "fields",
                 "-E", "separator=;", "-E", "occurrence=a", "-E",
                 "aggregator=|", "-e", "frame.number", "-e",
                 "http2.streamid", "-e", "http2.type", "-e",
                 "http2.header.name", "-e", "http2.header.value")
    mine = my_frames(path)
    checked = 0
    for line in out.splitlines():
        no, sids, types, names, values = line.split(";")
        got = mine[int(no)]
        assert [g[0] for g in got] == [int(x) for x in sids.split("|")]
        assert [g[1] for g in got] == [int(x) for x in types.split("|")]
        headers = [h for g in got for h in g[2]]
        if names:
            assert headers == list(zip(names.split("|"),
                                       values.split("|"))), no
            checked += len(headers)
        else:
            assert headers == []
    assert checked >= 15
    assert set(mine) == {int(x.split(";")[0]) for x in out.splitlines()}


@pytest.mark.parametrize("flt", [
    "http2.type == 1", "http2.streamid == 15",
    "http2.headers.method == \"POST\"", "http2.headers.status == 200",
    "http2.headers.path contains \"big\"", "http2.type == 7",
    "http2.settings.initial_window_size > 65535",
    "http2.header.name == \"content-length\"",
    "http2.header.value == \"GET\" && http2.headers.path == \"/big.txt\"",
    "http2.flags.end_stream == 1 && http2.streamid == 13",
])
def test_filter_fields_match_tshark(flt):
    mine = run("sniff", "-r", PRIOR, "-Y", flt).stdout.decode()
    theirs = tshark(PRIOR, "-Y", flt.replace("end_stream == 1",
                                             "end_stream == True"))
    assert mine.splitlines() == theirs.splitlines()
    assert mine


def test_json_messages_per_stream():
    msgs = [m for m in sniff_json(PRIOR) if m["version"] == "HTTP/2"]
    assert len(msgs) == 10      # 5 requests, 5 responses, all answered
    by = {(m["stream"], m["stream_id"], m["type"]): m for m in msgs}
    # nghttp's multiplexed connection: streams 13 and 15
    big = by[(1, 15, "response")]
    assert big["request_in"] == by[(1, 15, "request")]["frame"]
    assert by[(1, 15, "request")]["response_in"] == big["frame"]
    assert big["uri"] == "/big.txt" and big["code"] == 200
    assert big["body_len"] > 60000      # over several DATA frames
    post = by[(2, 1, "request")]
    assert post["method"] == "POST" and post["body_len"] == 11
    assert ["content-type", "application/x-www-form-urlencoded"] in \
        post["headers"]
    # after an Upgrade, stream 1's response answers the HTTP/1.1 request
    up = sniff_json(UPGRADE)
    resp = [m for m in up if m.get("stream_id") == 1 and m["stream"] == 0]
    assert resp and resp[0]["code"] == 200
    assert resp[0]["request_in"] == up[0]["frame"]
    assert resp[0]["uri"] == "/index.html"


def test_har_and_stats(tmp_path):
    har = tmp_path / "h2.har"
    assert run("sniff", "-r", PRIOR, "--har", har).returncode == 0
    entries = json.loads(har.read_text())["log"]["entries"]
    h2 = [e for e in entries if e["request"]["httpVersion"] == "h2"]
    assert len(h2) == 5
    assert all(e["response"]["httpVersion"] == "h2" for e in h2)
    assert {e["request"]["url"] for e in h2} == {
        "http://127.0.0.1:%d/index.html" % port_of(PRIOR),
        "http://127.0.0.1:%d/big.txt" % port_of(PRIOR)}
    st = run("sniff", "-r", PRIOR, "--stats").stdout.decode()
    assert re.search(r"POST +1", st) and re.search(r"200 OK +5", st)


def test_live_prior_knowledge(procs, tmp_path):
    """curl --http2-prior-knowledge against nghttpd, captured live on lo."""
    require("nghttpd")
    (tmp_path / "index.html").write_text("<p>h2</p>\n")
    port = free_port()
    srv = procs(["nghttpd", "--no-tls", "-d", str(tmp_path), str(port)])
    wait_port(port, proc=srv.p)
    p = start_sniff(procs, "-i", "lo", "-f", "tcp port %d" % port,
                    "-a", "duration:4")
    subprocess.run(["curl", "-s", "-o", "/dev/null",
                    "--http2-prior-knowledge",
                    "http://127.0.0.1:%d/index.html" % port], timeout=10)
    out, err = p.p.communicate(timeout=20)
    assert p.p.returncode == 0, err
    text = out.decode()
    assert "HEADERS[1]: GET /index.html" in text
    assert "HEADERS[1]: 200 OK" in text
    assert "DATA[1] (text/html)" in text
