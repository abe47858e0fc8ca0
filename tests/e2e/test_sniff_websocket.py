"""A WebSocket upgrade seen by the sniffer (issue 16): the 101 Switching
Protocols is an HTTP response like any other in every output (summary,
-Y, -V, --json, --stats, --follow-http, --har), checked against tshark on
a capture of a real browser-like upgrade (tests/data/sniff/ws-peer.py,
python3-websockets on both sides)."""
import json
import os
import subprocess

from conftest import require, run
from test_sniff import SNIFF, http_sections, sniff_json, tshark_http

WS = os.path.join(SNIFF, "websocket.pcap")


def ws_port():
    return next(m["dport"] for m in sniff_json(WS) if m["type"] == "request")


def test_101_paired_like_tshark():
    mine = sniff_json(WS)
    theirs = tshark_http(WS, ws_port())
    assert sorted((f, k) for f, k, _ in theirs) == \
        sorted((m["frame"], m["type"]) for m in mine)
    req, resp = mine
    assert resp["code"] == 101 and resp["phrase"] == "Switching Protocols"
    assert req["response_in"] == resp["frame"]
    assert resp["request_in"] == req["frame"]
    assert resp["uri"] == "/chat" and resp["method"] == "GET"
    assert ["Upgrade", "websocket"] in resp["headers"]


def test_filter_on_101_finds_the_response_as_tshark():
    require("tshark")
    t = subprocess.run(
        ["tshark", "-2", "-r", WS, "-d", "tcp.port==%d,http" % ws_port(),
         "-Y", "http.response.code == 101"], capture_output=True,
        timeout=60)
    mine = run("sniff", "-r", WS, "-Y", "http.response.code == 101")
    assert mine.returncode == 0
    lines = mine.stdout.decode().splitlines()
    assert len(lines) == 1 and "101 Switching Protocols" in lines[0]
    assert lines == t.stdout.decode().splitlines()


def test_101_tree_matches_tshark():
    t = subprocess.run(
        ["tshark", "-2", "-r", WS, "-d", "tcp.port==%d,http" % ws_port(),
         "-O", "http", "-Y", "http"], capture_output=True, timeout=60)
    mine = run("sniff", "-r", WS, "-V", "-O", "http", "-Y", "http")
    theirs = http_sections(t.stdout.decode())
    assert any("101 Switching Protocols" in x for x in theirs)
    assert http_sections(mine.stdout.decode()) == theirs
    assert "[Response in frame: 6]" in mine.stdout.decode()


def test_101_in_stats_follow_and_har(tmp_path):
    st = run("sniff", "-r", WS, "--stats").stdout.decode()
    assert "Responses: 1" in st and "101 Switching Protocols" in st
    fo = run("sniff", "-r", WS, "--follow-http", "0").stdout.decode()
    assert "HTTP/1.1 101 Switching Protocols" in fo
    har = tmp_path / "ws.har"
    assert run("sniff", "-r", WS, "--har", har).returncode == 0
    (e,) = json.loads(har.read_text())["log"]["entries"]
    assert e["request"]["url"].endswith("/chat")
    assert e["response"]["status"] == 101
    assert e["response"]["statusText"] == "Switching Protocols"
