"""What the tshark-comparison tests of HTTP/2 and TLS (test_sniff_http2.py,
test_sniff_tls_h2.py, test_sniff_tls.py) share: our summary lines and -V
HTTP/2 frames parsed into comparable values, tshark -T fields by frame,
the server port of a capture."""
import re
import subprocess

from conftest import require, run

LINE = re.compile(r"\s*(\d+)\s+\S+\s+\S+ → \S+\s+(\S+) \d+ (.*)$")


def summary(text):
    """{frame: (protocol, info)} from our summary lines."""
    out = {}
    for ln in text.splitlines():
        m = LINE.match(ln)
        assert m, ln
        out[int(m.group(1))] = (m.group(2), m.group(3).rstrip())
    return out


def tshark_fields(path, *opts, fields=("_ws.col.Protocol", "_ws.col.Info"),
                  aggregator="|"):
    """{frame: [field values]} from tshark -T fields (all occurrences of a
    field joined by aggregator)."""
    argv = [require("tshark"), "-r", path, *opts, "-T", "fields",
            "-E", "separator=/t", "-E", "occurrence=a",
            "-E", "aggregator=" + aggregator, "-e", "frame.number"]
    for f in fields:
        argv += ["-e", f]
    t = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert t.returncode == 0, t.stderr
    return {int(ln.split("\t")[0]): ln.split("\t")[1:]
            for ln in t.stdout.splitlines()}


def port_of(path):
    """The server port: where the capture's first SYN goes."""
    out = run("sniff", "-r", path, "-c", "1").stdout.decode()
    return int(re.search(r"→ (\d+) \[SYN\]", out).group(1))


def my_frames(path, *flags):
    """{frame: [(stream, type, [(name, value)])]} from our -V tree."""
    out = run("sniff", "-r", path, *flags, "-V", "-O", "http2").stdout.decode()
    frames = {}
    for block in out.split("\nFrame ")[1:]:
        no = int(block.split(":")[0])
        got = []
        for line in block.splitlines():
            m = re.match(r"        Stream Identifier: (\d+)$", line)
            if m:
                got.append([int(m.group(1)), None, []])
            m = re.match(r"        Type: \S+ \((\d+)\)$", line)
            if m:
                typ = int(m.group(1))
            m = re.match(r"        Header: (.*?): (.*)$", line)
            if m and got:
                got[-1][2].append((m.group(1), m.group(2)))
            if got and got[-1][1] is None:
                got[-1][1] = typ
        if got:
            frames[no] = got
    return frames
