"""A WebSocket session seen by the sniffer (issue 16), checked against
tshark on a capture of a real browser-like upgrade (tests/data/sniff/
ws-peer.py, python3-websockets on both sides): the 101 Switching Protocols
is an HTTP response like any other in every output (summary, -Y, -V,
--json, --stats, --follow-http, --har), and the frames after it are
WebSocket frames (summary line, FIN/opcode/mask/key/length/close code as
tshark has them), with --json one object per message (fragments joined,
permessage-deflate inflated) and websocket.* filter fields."""
import json
import os
import subprocess

from conftest import require, run
from test_sniff import SNIFF, http_sections, sniff_json, tshark_http

WS = os.path.join(SNIFF, "websocket.pcap")


def ws_port():
    return next(m["dport"] for m in sniff_json(WS) if m["type"] == "request")


def test_101_paired_like_tshark():
    mine = [m for m in sniff_json(WS) if m["type"] != "websocket"]
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


def test_summary_matches_tshark_line_for_line():
    t = subprocess.run(["tshark", "-r", WS], capture_output=True, timeout=60)
    mine = run("sniff", "-r", WS).stdout.decode().splitlines()
    theirs = t.stdout.decode().splitlines()
    assert sum("WebSocket Text [FIN] [MASKED]" in x for x in mine) == 2
    assert mine == theirs


WS_FIELDS = ["frame.number", "websocket.fin", "websocket.opcode",
             "websocket.mask", "websocket.masking_key",
             "websocket.payload_length",
             "websocket.payload.close.status_code"]


def test_frame_fields_match_tshark():
    """Every frame's FIN, opcode, mask, key, length and close code, as
    tshark -T fields gives them, appear in our -V tree."""
    t = subprocess.run(["tshark", "-r", WS, "-Y", "websocket", "-T",
                        "fields", "-E", "separator=;"] +
                       sum((["-e", f] for f in WS_FIELDS), []),
                       capture_output=True, timeout=60)
    rows = [x.split(";") for x in t.stdout.decode().splitlines()]
    assert len(rows) == 15  # frames 8-23 but the bare ACK (18)
    tree = run("sniff", "-r", WS, "-V", "-O", "websocket").stdout.decode()
    frames = {int(b.split(":")[0]): b for b in tree.split("\nFrame ")[1:]}
    for no, fin, op, mask, key, length, code in rows:
        b = frames[int(no)]
        assert "= Fin: %s" % ("True" if fin in ("1", "True") else "False") in b
        assert "(%s)" % op in b.split("Opcode: ")[1].split("\n")[0]
        assert "= Mask: %s" % ("True" if mask in ("1", "True") else
                               "False") in b
        if key:
            assert "Masking-Key: %s" % key.replace(":", "") in b
        assert "Payload length: %s\n" % length in b
        if code:
            assert "Status code: %s\n" % code in b


def test_json_one_object_per_message():
    msgs = [m for m in sniff_json(WS) if m["type"] == "websocket"]
    # text, binary, ping, pong, fragmented (4 frames), compressed, close
    # each way (the pong and the fragmented one answered as one message)
    assert [m["opcode_name"] for m in msgs] == [
        "Text", "Text", "Binary", "Binary", "Ping", "Pong", "Text",
        "Text", "Text", "Text", "Connection Close", "Connection Close"]
    frag = msgs[6]
    assert frag["frames"] == 4 and frag["text"] == "frag-mented"
    assert frag["frame"] == 17 and frag["from"] == "client"
    big = msgs[8]
    assert big["compressed"] and big["text"] == "compress me " * 20
    assert msgs[2]["hex"] == "000102ff"
    assert msgs[10]["close_code"] == 1000
    assert msgs[10]["close_reason"] == "bye"
    # -Y applies to them: the close frames only
    closes = [m for m in sniff_json(WS, "-Y", "websocket.close.code == 1000")]
    assert [m["frame"] for m in closes] == [22, 23]


def test_filter_fields():
    def frames(f):
        r = run("sniff", "-r", WS, "-Y", f)
        assert r.returncode == 0, r.stderr
        return [int(x.split()[0]) for x in r.stdout.decode().splitlines()]
    assert frames("websocket.opcode == 9") == [12]
    assert frames("websocket.fin == 0") == [14, 15, 16]
    assert frames("websocket && websocket.mask == 0") == [9, 11, 13, 19,
                                                          21, 23]
    assert frames("websocket.payload contains \"compress me compress\"") \
        == [20, 21]
