"""Request items against HTTPie 3 itself: `http --offline` and `httptool
--offline` must build the same JSON body, form body and query string from
the same items (nested JSON paths, escapes, repeated names, := values).
Also HTTPie's output and download flags against `http` on the same servers."""
import os
import pty
import subprocess

import pytest

from conftest import HTTPTOOL, require

URL = "http://127.0.0.1:9/p"

JSON_ITEMS = [
    ["a[b]=c", "a[d][]=1", "a[d][]=2", "x:=3"],
    ["[0]=x", "[2]=y"],
    ["[]=1", "[]:=2"],
    ["a=1", "a=2", "a=3"],
    ["a[b]=1", "a=2"],
    ["b[]=1", "b=2"],
    ["a\\[b\\]=c", "e\\\\f=g"],
    ["a[0][b]=1", "a[0][c]=2", "a[1]=z"],
    ["a[1]=x"],
    ["a[01]=x"],
    ["a[b][c]=1", "a[b]:=[1]"],
    ["a=\u00e9", 'b:=[ 1,{"x" :"\u00e9\\/"} ]', "c:=1e5", "d:=0.1",
     "e:=1e16", "f:=1.5e-7", 'g:="\\ud83d\\ude00"', "h:=true", "i:=null"],
    ["t:=-0", "u:=12345678901234567890", "v:={}", "w:=[]"],
    ["k=tab\there", "d=del\x7f", 'q="quoted"', "n=new\nline"],
]

BAD_JSON_ITEMS = [
    ["a[-1]=x"],
    ["a[b=1"],
    ["a]b=1"],
    ["a[b]c=1"],
    ["[x]=1"],
    ["a[b]=1", "[0]=2"],
    ["b=1", "b[]=2"],
    ["a[b]=1", "a[b][c]=2"],
    ["a[x]=1", "a[]=2"],
]

FORM_ITEMS = [
    ["x=1 2&\u00e9", "y=*", "x=3"],
    ["a=b", "c=d~e.f_g-h"],
]

QUERY_ITEMS = [
    ["q==a b&c/d~\u00e9", "a==1", "b==2", "a==3"],
]


def httpie(*args):
    r = subprocess.run([require("http"), "--ignore-stdin", "--offline",
                        "--pretty=none", *args], capture_output=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    return r


def ours(*args):
    return subprocess.run([HTTPTOOL, *args], capture_output=True, timeout=30)


@pytest.mark.parametrize("items", JSON_ITEMS, ids=lambda i: " ".join(i))
def test_json_body_as_httpie(items):
    want = httpie("--print=B", "POST", URL, *items)
    assert want.returncode == 0, want.stderr
    got = ours("post", "--offline", "--print", "B", "--json-items", URL,
               *items)
    assert got.returncode == 0, got.stderr
    assert got.stdout.rstrip(b"\n") == want.stdout.rstrip(b"\n")


@pytest.mark.parametrize("items", BAD_JSON_ITEMS, ids=lambda i: " ".join(i))
def test_json_path_errors_as_httpie(items):
    assert httpie("--print=B", "POST", URL, *items).returncode != 0
    got = ours("post", "--offline", "--json-items", URL, *items)
    assert got.returncode == 2
    assert got.stderr.startswith(b"httptool post: bad JSON path '")
    assert got.stderr.count(b"\n") == 1


@pytest.mark.parametrize("items", FORM_ITEMS, ids=lambda i: " ".join(i))
def test_form_body_as_httpie(items):
    want = httpie("--form", "--print=B", "POST", URL, *items)
    got = ours("post", "--offline", "--print", "B", URL, *items)
    assert got.stdout.rstrip(b"\n") == want.stdout.rstrip(b"\n")


@pytest.mark.parametrize("items", QUERY_ITEMS, ids=lambda i: " ".join(i))
def test_query_as_httpie(items):
    want = httpie("--print=H", "GET", URL, *items).stdout.split(b"\n")[0]
    got = ours("get", "--offline", "--print", "H", URL, *items)
    assert got.stdout.split(b"\n")[0] == want.rstrip(b"\r")


def served(ctype, body):
    from test_client_curl import Capture
    return Capture(b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
                   b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                   % (ctype, len(body), body))


K, S, N, L, R = (b"\033[34m", b"\033[33m", b"\033[36m", b"\033[35m",
                 b"\033[0m")


@pytest.mark.parametrize("ctype", [b"application/json",
                                   b"application/vnd.api+json",
                                   b"text/plain; charset=utf-8",
                                   b"application/javascript"])
def test_json_bodies_coloured_as_httpie_does(ctype):
    """--pretty colors colours keys, strings, numbers and literals and keeps
    the layout; all/format re-indent; JSON is found by content when the type
    is a +json one or one that JSON is wrongly sent under."""
    body = b'{"a": [1, true, "s"], "b":null}'
    srv = served(ctype, body)
    try:
        url = "http://127.0.0.1:%d/" % srv.port
        r = subprocess.run([HTTPTOOL, "get", "-q", "--pretty", "colors", url],
                           capture_output=True, timeout=30)
        assert r.stdout == (b"{" + K + b'"a"' + R + b": [" + N + b"1" + R +
                            b", " + L + b"true" + R + b", " + S + b'"s"' + R +
                            b"], " + K + b'"b"' + R + b":" + L + b"null" + R +
                            b"}")
        r = subprocess.run([HTTPTOOL, "get", "-q", "--pretty", "format", url],
                           capture_output=True, timeout=30)
        assert r.stdout == (b'{\n    "a": [\n        1,\n        true,\n'
                            b'        "s"\n    ],\n    "b": null\n}\n')
        r = subprocess.run([HTTPTOOL, "get", "-q", "--pretty", "all", url],
                           capture_output=True, timeout=30)
        assert K + b'"a"' + R + b": [\n" in r.stdout
    finally:
        srv.close()


def test_text_that_is_not_json_is_left_alone():
    body = b'{"a": not json}\n'
    srv = served(b"text/plain", body)
    try:
        r = subprocess.run([HTTPTOOL, "get", "-q", "--pretty", "all",
                            "http://127.0.0.1:%d/" % srv.port],
                           capture_output=True, timeout=30)
        assert r.stdout == body
    finally:
        srv.close()


def status_lines(out):
    return [l.split(b" ")[1] for l in out.split(b"\n")
            if l.startswith(b"HTTP/")]


def test_all_prints_every_hop_as_httpie():
    """--print h --follow shows the last hop only, with --all every hop,
    as HTTPie 3 does against the same server; curl's -i -L shows all."""
    from test_client_peers import start_httpbin
    p, url = start_httpbin()
    try:
        u = url + "/redirect/2"
        for extra in ([], ["--all"]):
            ours = subprocess.run([HTTPTOOL, "get", "-q", "--print", "h",
                                   "--follow", u] + extra,
                                  capture_output=True, timeout=30)
            theirs = subprocess.run([require("http"), "--ignore-stdin",
                                     "--print", "h", "--follow", u] + extra,
                                    capture_output=True, timeout=60)
            assert ours.returncode == theirs.returncode == 0
            assert status_lines(ours.stdout) == status_lines(theirs.stdout)
            assert status_lines(ours.stdout) == (
                [b"302", b"302", b"200"] if extra else [b"200"])
        r = subprocess.run([HTTPTOOL, "get", "-q", "-s", "-i", "-L", u],
                           capture_output=True, timeout=30)
        assert status_lines(r.stdout) == [b"302", b"302", b"200"]
    finally:
        p.stop()


@pytest.mark.parametrize("what", [["--print", "hm"], ["--meta"],
                                  ["--print", "bm"]], ids=" ".join)
def test_meta_as_httpie(what):
    """HTTPie's metadata: the elapsed time where HTTPie puts it (the time
    itself masked)."""
    import re
    srv = served(b"application/octet-stream", b"\x01\x02\x03")
    try:
        url = "http://127.0.0.1:%d/m" % srv.port
        outs = []
        for cmd in ([HTTPTOOL, "get", "-q"], [require("http"),
                                              "--ignore-stdin"]):
            r = subprocess.run(cmd + what + [url], capture_output=True,
                               timeout=60)
            assert r.returncode == 0, r.stderr
            # the time itself, written as Python writes a float
            assert re.search(rb"Elapsed time: (0|[1-9][0-9]*)\.([0-9]*[1-9]|0)s\n",
                             r.stdout), r.stdout
            outs.append(re.sub(rb"Elapsed time: [0-9.]+s",
                               b"Elapsed time: Ts", r.stdout))
        assert outs[0] == outs[1]
        assert b"Elapsed time: Ts\n\n" in outs[0]
    finally:
        srv.close()


SORT_BODY = (b'{"b": 1, "a": {"z": [3, {"y": 1, "x": 2}], "e": 0, '
             b'"\\u00e9": 1, "\\u00e8": 2}, "A": null, "a0": []}')


@pytest.mark.parametrize("flag", [[], ["--unsorted"], ["--sorted"]],
                         ids=lambda f: " ".join(f) or "default")
def test_formatted_output_sorted_as_httpie(flag):
    """HTTPie 3 formats with headers.sort and json.sort_keys on: header
    lines by name (case-sensitive, equal names in their order), object
    keys by code point at every level; --unsorted keeps the server's
    order and --sorted turns sorting back on.  The same server, HTTPie
    itself and httptool, compared line by line."""
    from test_client_curl import Capture
    # (HTTPie groups repeated names even unsorted: Zeta's are together)
    srv = Capture(b"HTTP/1.1 200 OK\r\nZeta: 1\r\nZeta: 0\r\nContent-Type: "
                  b"application/json\r\nalpha: 2\r\nBeta: 3\r\n"
                  b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                  % (len(SORT_BODY), SORT_BODY))
    try:
        url = "http://127.0.0.1:%d/" % srv.port
        args = ["--pretty", "format", "--print", "hb"] + flag + [url]
        theirs = subprocess.run([require("http"), "--ignore-stdin"] + args,
                                capture_output=True, timeout=60)
        ours = subprocess.run([HTTPTOOL, "get", "-q"] + args,
                              capture_output=True, timeout=30)
    finally:
        srv.close()
    assert theirs.returncode == ours.returncode == 0, theirs.stderr
    # HTTPie writes the keys' strings decoded (json.dumps ensure_ascii off)
    # where httptool copies them as sent: compare with the escapes undone
    want = theirs.stdout.decode().rstrip("\n")
    got = ours.stdout.decode("unicode_escape").rstrip("\n")
    assert got == want
    keys = [l.strip() for l in got.split("\n") if l.startswith("    \"")]
    assert (keys[0] == '"b": 1,') == (flag == ["--unsorted"])


@pytest.mark.parametrize("args", [
    ["--auth", "u:p", "GET"],
    ["--auth-type", "bearer", "--auth", "tok", "GET"],
    ["--auth-type", "digest", "--auth", "u:p", "GET"],
    ["--auth-type", "basic", "--auth", "u:p", "GET"],
    ["--chunked", "POST"],
    ["--multipart", "POST"],
], ids=" ".join)
def test_httpie_flags_offline_as_httpie(args):
    """HTTPie's flags under their HTTPie names, against `http --offline`:
    the request line, Host, Authorization (none for digest: it answers a
    challenge), Transfer-Encoding and the Content-Type's kind.  (Headers
    that are each tool's own, User-Agent, Accept, Accept-Encoding,
    Connection, are left out, and so is the body: items are JSON by
    default in HTTPie and a form here, httptool-get(1).)"""
    items = ["a=1"] if args[-1] == "POST" else []

    def head(out):
        lines = out.replace(b"\r\n", b"\n").split(b"\n\n")[0].split(b"\n")
        keep = [l for l in lines[1:] if l.split(b":")[0].lower() in (
            b"host", b"authorization", b"transfer-encoding")]
        ctype = [l.split(b";")[0] for l in lines
                 if l.lower().startswith(b"content-type: multipart")]
        return [lines[0]] + sorted(keep) + ctype
    want = httpie("--print=H", *args, URL, *items)
    got = ours("request", "--offline", "--print", "H", *args, URL, *items)
    assert want.returncode == got.returncode == 0, got.stderr
    assert head(got.stdout) == head(want.stdout)


@pytest.mark.parametrize("theirs,ours_args", [
    (["-vv", "GET"], ["get", "--print", "HBhbm"]),
    (["-v", "GET"], ["get", "--print", "HBhb"]),
    (["-v", "--form", "POST"], ["post", "--print", "HBhb"]),
    (["--print", "Hh", "GET"], ["get", "--print", "Hh"]),
], ids=lambda a: " ".join(a))
def test_verbose_levels_as_httpie(theirs, ours_args):
    """HTTPie's -v (--print HBhb) and -vv (HBhbm) are spelled with --print
    here (-v is curl's); the output is laid out as HTTPie's: the request
    head as sent (CRLF), the body, the blank lines between the parts, the
    response, the elapsed time.  Each tool's own request headers (only
    the request line and Host are kept) and the time itself are masked."""
    import re
    body = b'{"a": 1}'
    srv = served(b"application/json", body)
    try:
        url = "http://127.0.0.1:%d/v" % srv.port
        items = ["a=1"] if "POST" in theirs else []
        want = subprocess.run([require("http"), "--ignore-stdin",
                               "--pretty=none"] + theirs + [url] + items,
                              capture_output=True, timeout=60)
        got = subprocess.run([HTTPTOOL] + ours_args[:1] + ["-q"] +
                             ours_args[1:] + [url] + items,
                             capture_output=True, timeout=30)
    finally:
        srv.close()
    assert want.returncode == got.returncode == 0, got.stderr

    def mask(out):
        head, sep, rest = out.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        keep = [lines[0]] + [l for l in lines[1:]
                             if l.lower().startswith(b"host:")]
        rest = re.sub(rb"Elapsed time: [0-9.]+s", b"Elapsed time: Ts", rest)
        return b"\r\n".join(keep) + sep + rest
    assert mask(got.stdout) == mask(want.stdout)


def range_of(reqs):
    import re
    return [re.findall(rb"(?im)^range: *([^\r\n]*)", q) for q in reqs]


@pytest.mark.parametrize("disposition,name", [
    (b"Content-Disposition: attachment; filename=\"cd.txt\"\r\n", "cd.txt"),
    (b"", "plain.txt"),
], ids=["content-disposition", "url"])
@pytest.mark.parametrize("tty", [True, False], ids=["tty", "piped"])
def test_download_as_httpie(tmp_path, disposition, name, tty):
    """--download saves the body under the Content-Disposition name, else
    the URL's last segment; with stdout redirected the body goes there
    instead (HTTPie's "http -d URL | tar"), as HTTPie does."""
    from test_client_curl import Capture
    srv = Capture(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n%sConnection: "
                  b"close\r\n\r\nhello" % disposition)
    try:
        url = "http://127.0.0.1:%d/dir/plain.txt" % srv.port
        runs = {}
        for tool, cmd in (("http", [require("http"), "--ignore-stdin"]),
                          ("ours", [HTTPTOOL, "get", "-q"])):
            d = tmp_path / tool
            d.mkdir()
            master, slave = pty.openpty() if tty else (None, None)
            try:
                r = subprocess.run(cmd + ["--download", url], cwd=str(d),
                                   stdout=slave if tty else subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=60)
            finally:
                if tty:
                    os.close(slave)
                    os.close(master)
            runs[tool] = (r.returncode, r.stdout,
                          {f.name: f.read_bytes() for f in d.iterdir()})
    finally:
        srv.close()
    assert runs["ours"] == runs["http"]
    assert runs["ours"] == ((0, None, {name: b"hello"}) if tty else
                            (0, b"hello", {}))


def test_continue_as_httpie(tmp_path):
    """--download --continue -o FILE asks for the rest of FILE (Range:
    bytes=N-) and appends the 206 body, as HTTPie does."""
    from test_client_curl import Capture
    srv = Capture(b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes "
                  b"3-4/5\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
                  b"lo")
    try:
        url = "http://127.0.0.1:%d/f" % srv.port
        runs = {}
        for tool, cmd in (("http", [require("http"), "--ignore-stdin"]),
                          ("ours", [HTTPTOOL, "get", "-q"])):
            f = tmp_path / (tool + ".out")
            f.write_bytes(b"hel")
            r = subprocess.run(cmd + ["--download", "--continue", "-o",
                                      str(f), url],
                               capture_output=True, timeout=60)
            runs[tool] = (r.returncode, range_of(srv.take()), f.read_bytes())
    finally:
        srv.close()
    assert runs["ours"] == runs["http"] == (0, [[b"bytes=3-"]], b"hello")


def test_timeout_and_quiet():
    """--timeout SECS gives up on a server that accepts and never answers
    (exit 28, curl's code: HTTPie exits 2 there, httptool-get(1)); with
    --quiet the one-line error is still shown and nothing else is."""
    import socket
    import time
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    try:
        url = "http://127.0.0.1:%d/slow" % s.getsockname()[1]
        t0 = time.monotonic()
        r = subprocess.run([HTTPTOOL, "get", "-q", "--quiet", "--timeout",
                            "0.5", url], capture_output=True, timeout=30)
        took = time.monotonic() - t0
    finally:
        s.close()
    assert r.returncode == 28, r.stderr
    assert took < 10
    assert r.stdout == b""
    assert r.stderr.count(b"\n") == 1 and b"(28)" in r.stderr, r.stderr
