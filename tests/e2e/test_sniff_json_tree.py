"""JSON bodies as Wireshark's "JavaScript Object Notation" layer (issue
17): the -V tree, the json.* fields of -T fields and the json.* display
filters, each checked against tshark -2 on the same crafted capture
(requests and responses, gzip and chunked bodies, escapes, a body that is
not JSON, a top-level scalar, nesting at and past tshark's limit)."""
import gzip
import subprocess
import sys

import pytest

from conftest import HTTPTOOL, run
from test_sniff import SNIFF
from test_sniff_depth import tshark

sys.path.insert(0, SNIFF)
from mkpcaps import Conv, req, resp, write_pcap  # noqa: E402

REQ = (b'{"a": "x\\u00e9\\"y", "n": -1.5e3, "t": true, "f": false, '
       b'"z": null, "arr": [1, "s", {"k": []}], "o": {"a": {}}}')
BODIES = [
    b'[{"id": 1}, 2, "three"]',
    b'["a\\nb", "\\u0041\\t\\/", {"": 0}]',
    b'{"a": 1, "b": [2, ',                      # not JSON
    b'42',                                      # a scalar: text in tshark
    b'[' * 25 + b']' * 25,                      # tshark's deepest tree
    b'[' * 26 + b']' * 26,                      # one too deep: text
]
GZ = b'{"k\\u00e9y": {"deep": [[[{"x": null}]]]}, "e": ""}'
CHUNKED = b'{"chunked": [true, false]}'


def capture(path):
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", req("POST", "/api?x=1", [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(REQ)))], REQ))
    c.send("s", resp(200, "OK", [("Content-Type", "application/json"),
                                 ("Content-Length", "2")], b"{}"))
    for b in BODIES:
        c.send("c", req("GET", "/b"))
        c.send("s", resp(200, "OK", [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(b)))], b))
    gz = gzip.compress(GZ)
    c.send("c", req("GET", "/gz"))
    c.send("s", resp(200, "OK", [("Content-Type", "application/json"),
                                 ("Content-Encoding", "gzip"),
                                 ("Content-Length", str(len(gz)))], gz))
    c.send("c", req("GET", "/chunked"))
    half = len(CHUNKED) // 2
    c.send("s", resp(200, "OK", [("Content-Type", "application/json"),
                                 ("Transfer-Encoding", "chunked")],
                     b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (
                         half, CHUNKED[:half], len(CHUNKED) - half,
                         CHUNKED[half:])))
    c.close()
    write_pcap(str(path), f)


@pytest.fixture(scope="module")
def pcap(tmp_path_factory):
    path = tmp_path_factory.mktemp("json") / "json.pcap"
    capture(path)
    return path


def body_layers(text):
    """From each "File Data" line to the end of the frame's tree."""
    out, on = [], False
    for line in text.splitlines():
        if "File Data:" in line:
            on = True
        elif not line.strip():
            on = False
        if on:
            out.append(line)
    return out


def test_tree_equals_tsharks(pcap):
    mine = body_layers(run("sniff", "-r", str(pcap), "-V").stdout.decode())
    theirs = body_layers(tshark(pcap, "-2", "-V"))
    assert mine == theirs
    # the capture does exercise the tree, the text fallback and the limit
    assert "    Object" in mine and "        Member: a" in mine
    assert "            String value: x\u00e9\"y" in mine
    assert any(line.startswith("Line-based text data") for line in mine)
    assert any("[Path with value: /k\u00e9y/deep/[]/[]/[]/x:null]" in line
               for line in mine)


FIELDS = ["frame.number", "frame.protocols", "json.object", "json.array",
          "json.member", "json.key", "json.path", "json.path_with_value",
          "json.member_with_value", "json.value.string",
          "json.value.number", "json.value.true", "json.value.false",
          "json.value.null"]


def test_fields_equal_tsharks(pcap):
    args = ["-T", "fields"]
    for f in FIELDS:
        args += ["-e", f]
    mine = run("sniff", "-r", str(pcap), "-Y", "http", *args).stdout
    assert mine.decode() == tshark(pcap, "-2", "-Y", "http", *args)
    assert b"json.object" not in mine and b"A\\t/" in mine


def test_surrogate_pair_is_one_character(tmp_path):
    # tshark 4.x shows an empty string for an escaped surrogate pair; the
    # character it stands for is more use to a reader
    f = []
    c = Conv(f)
    c.handshake()
    body = b'["\\ud83d\\ude00", "\\ud83d"]'
    c.send("c", req("GET", "/"))
    c.send("s", resp(200, "OK", [("Content-Type", "application/json"),
                                 ("Content-Length", str(len(body)))], body))
    c.close()
    write_pcap(str(tmp_path / "s.pcap"), f)
    out = run("sniff", "-r", str(tmp_path / "s.pcap"), "-Y", "http.response",
              "-T", "fields", "-e", "json.value.string").stdout.decode()
    assert out == "\U0001f600,\ufffd\n"


FILTERS = [
    'json', 'json.object', 'json.array', 'json.member == "a"',
    'json.member == "nope"', 'json.key contains "arr"',
    'json.value.string == "three"', 'json.value.string == "a\\nb"',
    'json.value.number == "1"', 'json.value.number == "-1.5e3"',
    'json.value.true', 'json.value.false && json.value.true',
    'json.value.null', 'json.path == "/o/a"',
    'json.path_with_value == "/[]/id:1"',
    'json.member_with_value contains "[]:s"', 'json.array && !json.object',
    'json.member == ""', 'http.response && !json',
    'frame.protocols contains "json:data-text-lines"',
    'json.value.string matches "^x"', 'len(json.member) == 5',
]


@pytest.mark.parametrize("filt", FILTERS)
def test_filters_select_tsharks_frames(pcap, filt):
    mine = subprocess.run(
        [HTTPTOOL, "sniff", "-r", str(pcap), "-Y", filt, "-T", "fields",
         "-e", "frame.number"], capture_output=True, timeout=60)
    theirs = subprocess.run(
        ["tshark", "-r", str(pcap), "-2", "-Y", filt, "-T", "fields",
         "-e", "frame.number"], capture_output=True, timeout=60)
    assert (mine.returncode == 0) == (theirs.returncode == 0), mine.stderr
    assert mine.stdout == theirs.stdout
