"""curl options, round 2: each run with httptool and with curl 7.88 against
the same servers, comparing the request bytes, the files written, stdout,
the warnings and the exit status."""
import json
import os
import re
import subprocess

import pytest

from conftest import HTTPTOOL, require
from test_client_curl import Capture, normalise

ETAG_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                 b"ETag:  \"v1-abc\" \r\nConnection: close\r\n\r\nhello")


@pytest.fixture(scope="module")
def etag_server():
    c = Capture(ETAG_RESPONSE)
    yield c
    c.close()


def both(server, argv, tmp_path, setup=None):
    """Run curl and httptool with argv, each in a fresh folder (prepared
    by setup(dir)); return {tool: (requests, stdout, stderr, rc, files)}."""
    server.take()	# what earlier tests left
    out = {}
    for name, tool in (("curl", require("curl")), ("httptool", HTTPTOOL)):
        d = tmp_path / name
        d.mkdir()
        if setup:
            setup(d)
        cmd = [tool] + (["get"] if name == "httptool" else []) + ["-q"]
        env = dict(os.environ, HOME=str(d), NO_COLOR="1")
        r = subprocess.run(cmd + argv, capture_output=True, timeout=60,
                           cwd=str(d), env=env)
        files = {f.name: f.read_bytes() for f in d.iterdir() if f.is_file()}
        out[name] = ([normalise(q) for q in server.take()], r.stdout,
                     r.stderr, r.returncode, files)
    return out


ETAG_CASES = [
    # (argv, files in the folder before the run)
    (["-s", "--etag-save", "e.txt", "-o", "/dev/null"], {}),
    (["-s", "--etag-save", "-", "-o", "/dev/null"], {}),
    (["-s", "--etag-compare", "e.txt"], {"e.txt": b"\"v1-abc\"\n"}),
    (["-s", "--etag-compare", "e.txt"], {"e.txt": b""}),
    (["-s", "--etag-compare", "e.txt"], {"e.txt": b"a\r\nb\n"}),
    # the first run of a cache: nothing to compare yet, If-None-Match: ""
    (["-s", "--etag-compare", "e.txt", "--etag-save", "e.txt"], {}),
    (["-s", "--etag-compare", "e.txt", "--etag-save", "e.txt"],
     {"e.txt": b"\"old\"\n"}),
    # a missing file without --etag-save: exit 26, nothing sent
    (["-s", "--etag-compare", "missing.txt"], {}),
    # an --etag-save file that cannot be made: exit 26, nothing sent
    (["-s", "--etag-save", "no/such/dir", "-o", "/dev/null"], {}),
]


@pytest.mark.parametrize("argv,files", ETAG_CASES,
                         ids=lambda a: " ".join(a) if isinstance(a, list)
                         else repr(sorted(a.items())))
def test_etag_like_curl(etag_server, tmp_path, argv, files):
    url = "http://127.0.0.1:%d/e" % etag_server.port

    def setup(d):
        for name, data in files.items():
            (d / name).write_bytes(data)
    out = both(etag_server, argv + [url], tmp_path, setup)
    c, h = out["curl"], out["httptool"]
    assert h[3] == c[3], out
    assert h[0] == c[0], out
    assert h[1] == c[1], out
    assert h[4] == c[4], out
    if "--etag-save" in argv and c[3] == 0:
        saved = c[1] if "-" in argv else c[4]["e.txt"]
        assert b'"v1-abc"\n' in saved


def test_certs_write_out_like_curl(tmp_path):
    """%{certs} and %{num_certs} over TLS, and in %{json}; empty over HTTP."""
    from test_client_peers import make_cert, start_nginx
    cert, key = make_cert(str(tmp_path))
    p, url, www = start_nginx(
        str(tmp_path), "ssl",
        "ssl_certificate %s; ssl_certificate_key %s;" % (cert, key))
    try:
        with open(os.path.join(www, "f"), "w") as f:
            f.write("x")
        res = {}
        for name, cmd in (("curl", [require("curl")]),
                          ("httptool", [HTTPTOOL, "get"])):
            r = subprocess.run(cmd + ["-q", "-s", "--cacert", cert, "-o",
                                      "/dev/null", "-w",
                                      "%{num_certs}|%{certs}|", url + "/f"],
                               capture_output=True, timeout=30)
            j = subprocess.run(cmd + ["-q", "-s", "--cacert", cert, "-o",
                                      "/dev/null", "-w", "%{json}",
                                      url + "/f"],
                               capture_output=True, timeout=30)
            res[name] = (r.returncode, r.stdout, json.loads(j.stdout))
        assert res["httptool"][:2] == res["curl"][:2]
        assert res["curl"][1].startswith(b"1|Subject:CN = localhost\n")
        assert b"-----BEGIN CERTIFICATE-----" in res["curl"][1]
        hj, cj = res["httptool"][2], res["curl"][2]
        assert sorted(hj) == sorted(cj)
        assert (hj["certs"], hj["num_certs"]) == (cj["certs"], cj["num_certs"])
    finally:
        p.stop()


def test_certs_empty_without_tls(etag_server, tmp_path):
    out = both(etag_server, ["-s", "-w", "%{num_certs}|%{certs}|",
                             "-o", "/dev/null",
                             "http://127.0.0.1:%d/" % etag_server.port],
               tmp_path)
    assert out["httptool"][1] == out["curl"][1] == b"0||"


RETRY_503 = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n"
             b"Connection: close\r\n\r\nbusy")


def warnings(err):
    return [l for l in err.split(b"\n") if l.startswith(b"Warning:")]


@pytest.mark.parametrize("argv", [
    ["--retry", "2", "--retry-delay", "1"],
    ["--retry", "1"],
    ["--retry", "1", "--retry-all-errors", "-f"],
    ["--retry", "1", "-s"],
], ids=" ".join)
def test_retry_wording_and_count_like_curl(tmp_path, argv):
    """curl's warning, word for word and wrapped as curl wraps it, counting
    the retries left as curl does; the same number of requests."""
    server = Capture(RETRY_503)
    try:
        out = both(server, ["--no-progress-meter", "-o", "out.txt"] + argv
                   + ["http://127.0.0.1:%d/r" % server.port], tmp_path)
    finally:
        server.close()
    c, h = out["curl"], out["httptool"]
    assert h[3] == c[3]
    assert h[0] == c[0] and len(c[0]) == int(argv[1]) + 1
    assert h[4] == c[4]
    assert warnings(h[2]) == warnings(c[2])
    if "-s" not in argv:
        assert warnings(c[2])[0].startswith(b"Warning: Problem ")


def test_retry_connrefused_like_curl(tmp_path):
    from conftest import free_port
    port = free_port()
    out = {}
    for name, cmd in (("curl", [require("curl")]),
                      ("httptool", [HTTPTOOL, "get"])):
        r = subprocess.run(cmd + ["-q", "--no-progress-meter", "--retry", "1",
                                  "--retry-connrefused", "--retry-delay",
                                  "1", "http://127.0.0.1:%d/" % port],
                           capture_output=True, timeout=30)
        out[name] = r
    assert out["httptool"].returncode == out["curl"].returncode == 7
    assert warnings(out["httptool"].stderr) == warnings(out["curl"].stderr)
    # each failed try is told, then the warning, as curl does
    assert len(re.findall(rb"\(7\)", out["httptool"].stderr)) == 2


def test_progress_bar_short_flag(etag_server, tmp_path):
    """-# draws the bar for a download to a file even into a pipe."""
    r = subprocess.run([HTTPTOOL, "get", "-q", "-#", "-o",
                        str(tmp_path / "f"),
                        "http://127.0.0.1:%d/" % etag_server.port],
                       capture_output=True, timeout=30)
    assert r.returncode == 0
    assert b"#" in r.stderr and b"100.0%" in r.stderr, r.stderr
    assert (tmp_path / "f").read_bytes() == b"hello"
    r = subprocess.run([HTTPTOOL, "get", "-q", "-s", "-#", "-o",
                        str(tmp_path / "f"),
                        "http://127.0.0.1:%d/" % etag_server.port],
                       capture_output=True, timeout=30)
    assert r.stderr == b""


NEXT_CASES = [
    ["-s", "-d", "a=1", "{U}/a", "--next", "-H", "X: 1", "{U}/b"],
    ["-s", "{U}/a", "-:", "-X", "PUT", "-d", "x", "{U}/b", "--next",
     "{U}/c"],
    ["-s", "-w", "%{urlnum}%{method}\\n", "{U}/a", "{U}/b", "--next", "-w",
     "[%{http_code}]", "-G", "-d", "q=1", "{U}/c"],
    # the exit status is the last transfer's, as curl's
    ["-s", "http://127.0.0.1:1/", "--next", "{U}/a"],
    ["-s", "{U}/a", "--next", "http://127.0.0.1:1/"],
    ["-s", "http://127.0.0.1:1/", "{U}/a"],
    ["-s", "--fail-early", "http://127.0.0.1:1/", "--next", "{U}/a"],
    # globals (-s here) given in a later group hold for all
    ["{U}/a", "-o", "out1", "--next", "-s", "{U}/b", "-o", "out2"],
]


@pytest.mark.parametrize("argv", NEXT_CASES, ids=" ".join)
def test_next_like_curl(etag_server, tmp_path, argv):
    url = "http://127.0.0.1:%d" % etag_server.port
    argv = [a.replace("{U}", url) for a in argv]
    out = both(etag_server, argv, tmp_path)
    c, h = out["curl"], out["httptool"]
    assert h[3] == c[3], out
    assert h[0] == c[0], out
    assert h[1] == c[1], out
    assert h[4] == c[4], out
    assert (h[2] == b"") == (c[2] == b"")


def test_next_reuses_the_connection_like_curl(tmp_path):
    from test_client_peers import start_nginx
    p, url, www = start_nginx(str(tmp_path))
    try:
        with open(os.path.join(www, "f"), "w") as f:
            f.write("x")
        argv = ["-q", "-s", "-o", "/dev/null", "-w", "%{num_connects} ",
                url + "/f", "--next", "-o", "/dev/null", "-w",
                "%{num_connects}", url + "/f"]
        got = [subprocess.run(cmd + argv, capture_output=True,
                              timeout=30).stdout
               for cmd in ([require("curl")], [HTTPTOOL, "get"])]
        assert got[0] == got[1] == b"1 0"
    finally:
        p.stop()


def test_next_errors(etag_server, tmp_path):
    url = "http://127.0.0.1:%d/" % etag_server.port
    # a group with no URL is refused before anything is sent
    r = subprocess.run([HTTPTOOL, "get", "-q", url, "--next", "-s"],
                       capture_output=True, timeout=30)
    assert r.returncode == 2 and b"no URL given" in r.stderr
    assert etag_server.take() == []
    (tmp_path / "k").write_text("next\n")
    r = subprocess.run([HTTPTOOL, "get", "-q", "-K", str(tmp_path / "k"),
                        url], capture_output=True, timeout=30)
    assert r.returncode == 2 and b"--next" in r.stderr
    assert etag_server.take() == []


class Rendezvous(Capture):
    """Holds each request until `want` have arrived on their own
    connections, then answers each with its own path; a request left
    alone for 5 s gets "alone" instead.  Shows that transfers run at the
    same time."""

    def __init__(self, want):
        import threading
        self.want = want
        self.cond = threading.Condition()
        super().__init__()

    def loop(self):
        import threading
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,),
                             daemon=True).start()

    def serve(self, c):
        from test_client_curl import read_request
        with c:
            c.settimeout(10)
            try:
                req = read_request(c)
            except OSError:
                return
            with self.cond:
                self.requests.append(req)
                self.cond.notify_all()
                met = self.cond.wait_for(
                    lambda: len(self.requests) >= self.want, timeout=5)
            body = req.split(b" ")[1] if met else b"alone"
            try:
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                          b"Connection: close\r\n\r\n%s" % (len(body), body))
            except OSError:
                pass


@pytest.mark.parametrize("argv", [
    ["-Z", "--parallel-immediate", "{U}/a", "-o", "fa", "--next", "-d",
     "x=1", "-H", "X: 2", "{U}/b", "-o", "fb"],
    ["{U}/a", "-o", "fa", "--next", "{U}/b", "-o", "fb", "--next", "-Z",
     "--parallel-immediate", "-X", "PUT", "{U}/c", "-o", "fc"],
], ids=["-Z first", "-Z in the last group"])
def test_parallel_spans_next_groups_like_curl(tmp_path, argv):
    """-Z is global, as in curl: the URLs of every --next group run at
    once (the server answers none until all have arrived), each with its
    own group's options and output file.  (--parallel-immediate: without
    it curl 7.88 waits for the first plain-HTTP connection to see whether
    it can be shared, which serialises HTTP/1.1 transfers.)"""
    want = sum(1 for a in argv if a.startswith("{U}"))
    srv = Rendezvous(want)
    try:
        url = "http://127.0.0.1:%d" % srv.port
        out = both(srv, ["-s"] + [a.replace("{U}", url) for a in argv],
                   tmp_path)
    finally:
        srv.close()
    c, h = out["curl"], out["httptool"]
    assert c[4] == {"f" + p: b"/" + p.encode() for p in "abc"[:want]}, c
    assert h[4] == c[4]
    assert h[3] == c[3] == 0
    assert sorted(h[0]) == sorted(c[0])
    assert h[1] == c[1] == b""


class UnixCapture(Capture):
    """Capture on an abstract (Linux) or path Unix socket."""

    def __init__(self, name):
        import socket
        import threading
        self.response = ETAG_RESPONSE
        self.s = socket.socket(socket.AF_UNIX)
        self.s.bind(name)
        self.s.listen(16)
        self.requests = []
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()


def test_abstract_unix_socket_like_curl(tmp_path):
    name = "httptool-test-%d" % os.getpid()
    srv = UnixCapture("\0" + name)
    try:
        out = both(srv, ["-s", "--abstract-unix-socket", name,
                         "http://far.example/u?x=1"], tmp_path)
        # and a name nobody listens on: curl's exit 7, nothing sent
        (tmp_path / "bad").mkdir()
        bad = both(srv, ["-s", "--abstract-unix-socket", name + "-none",
                         "http://far.example/u"], tmp_path / "bad")
    finally:
        srv.close()
    c, h = out["curl"], out["httptool"]
    assert len(c[0]) == 1 and c[0][0].startswith(b"GET /u?x=1 HTTP/1.1")
    assert h[0] == c[0] and h[1] == c[1] == b"hello" and h[3] == c[3] == 0
    assert bad["httptool"][3] == bad["curl"][3] == 7
    assert bad["httptool"][0] == bad["curl"][0] == []


def test_aws_sigv4_like_curl(etag_server, tmp_path):
    """--aws-sigv4 signs as curl does: the same canonical request gives
    the same Authorization header (the time stamp, and the signature that
    covers it, masked: the two runs are not in the same second)."""
    url = "http://127.0.0.1:%d" % etag_server.port
    out = both(etag_server, ["-s", "--aws-sigv4", "aws:amz:us-east-1:s3",
                             "-u", "AKID:SECRET", "-d", "x=1",
                             url + "/bucket/key?b=2&a=1"], tmp_path)

    def mask(reqs):
        return [re.sub(rb"(X-Amz-Date: )\d{8}T\d{6}Z|(Signature=)[0-9a-f]{64}",
                       rb"\1\2MASKED", q) for q in reqs]
    c, h = out["curl"], out["httptool"]
    assert b"Authorization: AWS4-HMAC-SHA256 Credential=AKID/" in c[0][0]
    assert mask(h[0]) == mask(c[0])
    assert h[1] == c[1] and h[3] == c[3] == 0


def test_idn_host_like_curl(etag_server, tmp_path):
    """A non-ASCII host name goes out in its IDNA form (Host:
    xn--bcher-kva.example), read in the locale's character set as curl
    does; httptool sets its locale only for such a name (start-up)."""
    url = "http://b\u00fccher.example:%d/idn" % etag_server.port
    etag_server.take()
    out = {}
    for name, cmd in (("curl", [require("curl")]),
                      ("httptool", [HTTPTOOL, "get"])):
        r = subprocess.run(cmd + ["-q", "-s", "--resolve",
                                  "xn--bcher-kva.example:%d:127.0.0.1"
                                  % etag_server.port, url],
                           capture_output=True, timeout=30,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        out[name] = ([normalise(q) for q in etag_server.take()], r.stdout,
                     r.returncode)
    assert out["curl"][0][0].split(b"\r\n")[1] == (
        b"Host: xn--bcher-kva.example:%d" % etag_server.port)
    assert out["httptool"] == out["curl"]


class Socks:
    """A SOCKS4/4a/5 proxy (no auth) that records each handshake and
    relays the connection to where it was asked to go."""

    def __init__(self):
        import socket
        import threading
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(8)
        self.port = self.s.getsockname()[1]
        self.handshakes = []
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        import threading
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    @staticmethod
    def read(c, n):
        data = b""
        while len(data) < n:
            d = c.recv(n - len(data))
            if not d:
                raise OSError("closed")
            data += d
        return data

    def until_nul(self, c):
        data = b""
        while not data.endswith(b"\0"):
            data += self.read(c, 1)
        return data

    def serve(self, c):
        import socket
        import struct
        import threading
        try:
            v = self.read(c, 1)
            if v == b"\x04":    # SOCKS4: cmd, port, ip, user\0 [host\0]
                rest = self.read(c, 7)
                user = self.until_nul(c)
                port, ip = struct.unpack(">H", rest[1:3])[0], rest[3:7]
                host = socket.inet_ntoa(ip)
                hs = v + rest + user
                if ip[:3] == b"\0\0\0":     # 4a: the name follows
                    name = self.until_nul(c)
                    hs += name
                    host = name[:-1].decode()
                reply = b"\0\x5a" + rest[1:7]
            else:               # SOCKS5: methods, then the request
                n = self.read(c, 1)
                hs = v + n + self.read(c, n[0])
                c.sendall(b"\x05\x00")
                req = self.read(c, 4)
                if req[3] == 1:
                    addr = self.read(c, 4)
                    host = socket.inet_ntoa(addr)
                else:
                    ln = self.read(c, 1)
                    addr = ln + self.read(c, ln[0])
                    host = addr[1:].decode()
                pb = self.read(c, 2)
                port = struct.unpack(">H", pb)[0]
                hs += req + addr + pb
                reply = b"\x05\x00\x00\x01\x7f\x00\x00\x01" + pb
            self.handshakes.append(hs)
            up = socket.create_connection(
                ("127.0.0.1" if host == "far.example" else host, port))
            c.sendall(reply)
        except OSError:
            c.close()
            return

        def pipe(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d:
                        break
                    b.sendall(d)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        threading.Thread(target=pipe, args=(up, c), daemon=True).start()
        pipe(c, up)

    def take(self):
        h, self.handshakes = self.handshakes, []
        return h

    def close(self):
        self.s.close()


@pytest.fixture(scope="module")
def socks():
    s = Socks()
    yield s
    s.close()


@pytest.mark.parametrize("scheme", ["socks4", "socks4a", "socks5",
                                    "socks5h"])
def test_socks_proxies_like_curl(etag_server, socks, tmp_path, scheme):
    """-x socks4/4a/5/5h: the same SOCKS handshake (4a and 5h hand the
    name to the proxy, 4 and 5 resolve it first: --resolve here), then
    the same request through it."""
    url = "http://far.example:%d/s" % etag_server.port
    socks.take()
    out = both(etag_server, ["-s", "-x", "%s://127.0.0.1:%d" % (
        scheme, socks.port), "--resolve", "far.example:%d:127.0.0.1" %
        etag_server.port, "-U", "pu:pp", url], tmp_path)
    hs = socks.take()
    c, h = out["curl"], out["httptool"]
    assert len(hs) == 2 and hs[0] == hs[1], hs
    assert (b"far.example" in hs[0]) == scheme.endswith(("a", "h"))
    assert c[0] and h[0] == c[0] and h[1] == c[1] == b"hello"
    assert h[3] == c[3] == 0
