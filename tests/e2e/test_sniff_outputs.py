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

from conftest import DATA, free_port, require, run

SNIFF = os.path.join(DATA, "sniff")
sys.path.insert(0, SNIFF)
import mkpcaps  # noqa: E402  (the golden captures' own builder)
from mkpcaps import Conv, chunked, req, resp, write_pcap  # noqa: E402

RECORDED = ["python-server.pcap", "nginx.pcap", "httptool-serve.pcap"]


def sniff_json(path, *flags):
    r = run("sniff", "-r", path, "--json", *flags)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.decode().splitlines()]


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
