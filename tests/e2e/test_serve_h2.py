"""httptool serve over HTTP/2 (issue 16): h2 over TLS by ALPN, h2c with
prior knowledge and by Upgrade; curl (--http2-prior-knowledge, --http2,
h2 by ALPN) and nghttp -nv (prior knowledge, -u, TLS) fetch every route
group and get what HTTP/1.1 gets; h2spec's cases, sent by the frame
client of h2spec_cases.py (there is no h2spec package), pass; GOAWAY on
shutdown; the access log says HTTP/2.0.

Servers run on free ports of 127.0.0.1 and are stopped by PID."""
import concurrent.futures
import hashlib
import os
import re
import signal
import socket
import struct
import subprocess
import time

import pytest

from conftest import HTTPTOOL, free_port, require, wait_port
from h2spec_cases import (CASES, GET, Conn, conn_error, response, run_case,
                          wait_end)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
ERR = {0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR",
       3: "FLOW_CONTROL_ERROR", 6: "FRAME_SIZE_ERROR",
       9: "COMPRESSION_ERROR"}


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "hello.txt").write_bytes(b"hello, world\n")
    (root / "big.bin").write_bytes(os.urandom(3 * 1000 * 1000 + 7))
    return root


_servers = []


@pytest.fixture(autouse=True)
def servers_exit_cleanly():
    """Every server stops on SIGTERM with status 0 and no sanitizer
    report (make test SAN=1)."""
    _servers.clear()
    yield
    for p in _servers:
        rc = p.stop()
        err = p.p.stderr.read() if not p.p.stderr.closed else b""
        assert b"Sanitizer" not in err and b"runtime error" not in err, err
        assert rc == 0, (rc, err[-2000:])


def serve(procs, root, *args):
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--threads", "1", "-d",
               str(root), *map(str, args)])
    wait_port(port, proc=p.p)
    _servers.append(p)
    return p, port


def curl(*args, timeout=30):
    require("curl")
    return subprocess.run(["curl", "-sS", *args], capture_output=True,
                          timeout=timeout)


# Every route group, with a path whose answer must be the same over
# HTTP/1.1 and HTTP/2 (status and body), and those whose body changes from
# one request to the next or says which protocol it came by (status only).
SAME = [
    # files and the lab
    "/hello.txt", "/", "/nope", "/test_get", "/test_post", "/whoami",
    # request inspection
    "/get?a=1&b=2", "/headers", "/user-agent", "/ip", "/cookies",
    "/anything/x?y=1",
    # status, redirects, cookies
    "/status/418", "/status/204", "/redirect/2", "/relative-redirect/1",
    "/absolute-redirect/1", "/redirect-to?url=/get&status_code=307",
    "/cookies/set?k=v", "/cookies/delete?k",
    # auth
    "/basic-auth/u/p", "/hidden-basic-auth/u/p", "/bearer",
    "/digest-auth/auth/u/p",
    # formats and encodings
    "/json", "/html", "/xml", "/base64/aGVsbG8=", "/robots.txt", "/deny",
    "/encoding/utf8", "/links/3/1", "/forms/post", "/gzip", "/deflate",
    "/brotli", "/image/png", "/image/svg", "/image/webp", "/image/jpeg",
    # bytes, streams, ranges, caching
    "/range/1000", "/stream/3", "/stream-bytes/2000?seed=3",
    "/bytes/64?seed=1", "/cache", "/cache/60", "/etag/x",
    "/response-headers?X-A=1&X-A=2", "/trailers?X-T=1",
    "/drip?numbytes=5&duration=0&delay=0",
    "/unstable?failure_rate=0.5&seed=7", "/hostname",
    # a fault that still answers whole
    "/fault/http10",
]
VARYING = ["/uuid", "/dump/request", "/delay/0", "/status/200:0.5,201:0.5",
           "/sse?count=2&duration=0",
           # 400 on both, explained differently (no RFC 8441 over h2)
           "/websocket/echo"]
ALL = SAME + VARYING


@pytest.fixture(scope="module")
def h2site(tmp_path_factory):
    root = tmp_path_factory.mktemp("h2site")
    (root / "hello.txt").write_bytes(b"hello, world\n")
    return root


@pytest.fixture(scope="module")
def h2servers(h2site):
    """One plain and one --tls server for the module's route tests."""
    started = []
    for extra in ([], ["--tls"]):
        port = free_port()
        p = subprocess.Popen([HTTPTOOL, "serve", str(port), "--threads", "1",
                              "--quiet", "-d", str(h2site), *extra],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        wait_port(port, proc=p)
        started.append((p, port))
    yield started[0][1], started[1][1]
    for p, _ in started:
        p.terminate()
        assert p.wait(timeout=10) == 0
        err = p.stderr.read()
        assert b"Sanitizer" not in err and b"runtime error" not in err, err


def curl_all(tmp, tag, base, *opts, one_per_run=False):
    """Every path of ALL in one curl run (one connection, so h2 streams
    follow each other on it), or one run per path (curl 7.88.1 cannot
    reuse a prior-knowledge connection: its second transfer fails with
    "Error in the HTTP2 framing layer" before sending anything, against
    nginx and h2o too); {path: (status, version, body)}."""
    outs = [tmp / ("%s-%d" % (tag, i)) for i in range(len(ALL))]
    runs = [[i] for i in range(len(ALL))] if one_per_run else \
        [list(range(len(ALL)))]

    def fetch(idx):
        args = []
        for i in idx:
            args += ["-o", str(outs[i]), base + ALL[i]]
        r = curl(*opts, "-u", "u:p", "-w", "%{http_code} %{http_version}\n",
                 *args, timeout=60)
        lines = r.stdout.decode().split("\n")
        assert len(lines) == len(idx) + 1, (tag, r.stderr)
        return lines[:-1]

    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        lines = [x for got in ex.map(fetch, runs) for x in got]
    return {path: tuple(lines[i].split()) + (outs[i].read_bytes()
                                              if outs[i].exists() else b"",)
            for i, path in enumerate(ALL)}


@pytest.fixture(scope="module")
def over_http11(h2servers, tmp_path_factory):
    """What HTTP/1.1 gets, in clear and over TLS (the Host differs)."""
    plain, tls = h2servers
    tmp = tmp_path_factory.mktemp("h11")
    return (curl_all(tmp, "h11", "http://127.0.0.1:%d" % plain, "--http1.1"),
            curl_all(tmp, "h11s", "https://127.0.0.1:%d" % tls, "-k",
                     "--http1.1"))


@pytest.mark.parametrize("mode", ["h2c-prior-knowledge", "h2c-upgrade",
                                  "h2-tls"])
def test_every_route_group_same_over_curl_http2(h2servers, over_http11,
                                                tmp_path, mode):
    """curl --http2-prior-knowledge and --http2 (Upgrade: h2c) on h2c, and
    curl's default (h2 by ALPN) on --tls: every route group answers with
    the status and body it gives over HTTP/1.1."""
    plain, tls = h2servers
    opts, base = {
        "h2c-prior-knowledge": (["--http2-prior-knowledge"],
                                "http://127.0.0.1:%d" % plain),
        "h2c-upgrade": (["--http2"], "http://127.0.0.1:%d" % plain),
        "h2-tls": (["-k", "--http2"], "https://127.0.0.1:%d" % tls),
    }[mode]
    got = curl_all(tmp_path, mode, base, *opts,
                   one_per_run=mode == "h2c-prior-knowledge")
    ref = over_http11[1 if mode == "h2-tls" else 0]
    for path in ALL:
        code, ver, body = got[path]
        assert ver == "2", (path, got[path][:2])
        want = ref[path]
        if path in VARYING:
            assert code[0] == want[0][0], (path, code, want[0])
            continue
        assert code == want[0], (path, code, want[0])
        assert body == want[2], path
    # what depends on the protocol says so
    assert b"HTTP/2" not in ref["/dump/request"][2]
    assert got["/dump/request"][0] == "200"


def nghttp_statuses(*args):
    """Run nghttp -nv on URLs; {path: status} from its frame log."""
    require("nghttp")
    r = subprocess.run(["nghttp", "-nv", "-t", "20", *args],
                       capture_output=True, timeout=60)
    out = r.stdout.decode()
    assert r.returncode == 0, (out[-2000:], r.stderr)
    paths, status = {}, {}
    sid = None
    for line in out.splitlines():
        m = re.search(r"send HEADERS frame <.*stream_id=(\d+)>", line)
        if m:
            sid = int(m.group(1))
            continue
        m = re.match(r"\s+:path: (.*)", line)
        if m and sid is not None:
            paths[sid] = m.group(1)
            sid = None
            continue
        m = re.search(r"recv \(stream_id=(\d+)\) :status: (\d+)", line)
        if m:
            status[int(m.group(1))] = m.group(2)
    assert "recv SETTINGS frame" in out and "send SETTINGS frame" in out
    return {paths.get(k, "/upgraded"): v for k, v in status.items()}, out


@pytest.mark.parametrize("mode", ["h2c-prior-knowledge", "h2c-upgrade",
                                  "h2-tls"])
def test_every_route_group_over_nghttp(h2servers, over_http11, mode):
    """nghttp -nv (h2c with prior knowledge, -u for Upgrade, h2 over TLS)
    fetches every path on one connection; each stream's :status is the
    one HTTP/1.1 gives, and the frames are those of a full exchange."""
    plain, tls = h2servers
    base = ("https://127.0.0.1:%d" if mode == "h2-tls"
            else "http://127.0.0.1:%d") % (tls if mode == "h2-tls" else plain)
    extra = ["-u"] if mode == "h2c-upgrade" else []
    paths = [p for p in SAME if p != "/status/204"]
    got, out = nghttp_statuses(*extra, "-H", "authorization: Basic dTpw",
                               *[base + p for p in paths])
    if mode == "h2c-upgrade":
        assert "HTTP Upgrade success" in out
        got[paths[0]] = got.pop("/upgraded")
    for path in paths:
        assert got.get(path) == over_http11[0][path][0], (path, got.get(path))
    assert "recv DATA frame" in out and "END_STREAM" in out
    assert "recv GOAWAY" not in out


def test_methods_bodies_range_and_head_over_h2(procs, site):
    _, port = serve(procs, site, "--quiet")
    base = "http://127.0.0.1:%d" % port
    pk = "--http2-prior-knowledge"
    r = curl(pk, "-d", "x=1&y=2", base + "/post")
    assert b'"x": "1"' in r.stdout and b'"y": "2"' in r.stdout
    r = curl(pk, "-X", "PUT", "-H", "Content-Type: text/plain",
             "--data-binary", "raw", base + "/put")
    assert b'"data": "raw"' in r.stdout
    r = curl(pk, "-X", "DELETE", base + "/delete")
    assert b'"url"' in r.stdout
    r = curl(pk, "-r", "7-11", "-w", " %{http_code}", base + "/hello.txt")
    assert r.stdout == b"world 206"
    r = curl(pk, "-I", base + "/hello.txt")
    assert r.stdout.startswith(b"HTTP/2 200")
    assert b"content-length: 13" in r.stdout.lower()
    r = curl(pk, "-X", "POST", "-w", "%{http_code}", base + "/get")
    assert r.stdout.endswith(b"405")
    # a body over the limit is refused as over HTTP/1.1
    _, port2 = serve(procs, site, "--quiet", "--max-body-size", "100")
    r = curl(pk, "--data-binary", "x" * 500, "-w", "%{http_code}",
             "http://127.0.0.1:%d/post" % port2)
    assert r.stdout.endswith(b"413")


def test_upload_and_large_download_with_flow_control(procs, site, tmp_path):
    _, port = serve(procs, site, "--quiet")
    base = "http://127.0.0.1:%d" % port
    up = tmp_path / "up.bin"
    up.write_bytes(os.urandom(2 * 1000 * 1000))
    r = curl("--http2-prior-knowledge", "-F", "f=@%s" % up, base + "/upload")
    assert hashlib.sha256(up.read_bytes()).hexdigest().encode() in r.stdout
    out = tmp_path / "big.out"
    r = curl("--http2-prior-knowledge", "-o", str(out), base + "/big.bin")
    assert r.returncode == 0
    assert out.read_bytes() == (site / "big.bin").read_bytes()
    # nghttp with a 2^14-1 byte window: many WINDOW_UPDATEs, same bytes
    require("nghttp")
    n = subprocess.run(["nghttp", "-w", "14", "-W", "14", base + "/big.bin"],
                       capture_output=True, timeout=60)
    assert n.returncode == 0, n.stderr
    assert n.stdout == (site / "big.bin").read_bytes()


def test_h2_over_tls_by_alpn(procs, site):
    p, port = serve(procs, site, "--tls")
    base = "https://127.0.0.1:%d" % port
    r = curl("-k", "-w", " %{http_version}", base + "/hello.txt")
    assert r.stdout == b"hello, world\n 2"
    r = curl("-k", "--http1.1", "-w", " %{http_version}", base + "/hello.txt")
    assert r.stdout == b"hello, world\n 1.1"
    s = subprocess.run(["openssl", "s_client", "-connect",
                        "127.0.0.1:%d" % port, "-alpn", "h2,http/1.1"],
                       input=b"", capture_output=True, timeout=20)
    assert b"ALPN protocol: h2" in s.stdout
    n = subprocess.run(["nghttp", "-nv", base + "/get"], capture_output=True,
                       timeout=20)
    assert n.returncode == 0
    assert b":status: 200" in n.stdout
    assert b"recv DATA frame" in n.stdout


def test_h2c_upgrade_and_access_log(procs, site):
    p, port = serve(procs, site)
    base = "http://127.0.0.1:%d" % port
    n = subprocess.run(["nghttp", "-nvu", base + "/get?up=1"],
                       capture_output=True, timeout=20)
    assert b"HTTP/1.1 101 Switching Protocols" in n.stdout
    assert b"HTTP Upgrade success" in n.stdout
    assert b"recv (stream_id=1) :status: 200" in n.stdout
    r = curl("--http2", "-w", " %{http_version}", base + "/hello.txt")
    assert r.stdout == b"hello, world\n 2"
    time.sleep(0.3)
    p.stop()
    log = p.p.stderr.read().decode()
    assert '"GET /get?up=1 HTTP/2.0" 200' in log
    assert '"GET /hello.txt HTTP/2.0" 200 13' in log


def test_nghttp_prior_knowledge_frames(procs, site):
    _, port = serve(procs, site, "--quiet")
    n = subprocess.run(["nghttp", "-nv", "http://127.0.0.1:%d/stream/2"
                        % port], capture_output=True, timeout=20)
    out = n.stdout.decode()
    assert n.returncode == 0
    assert "recv SETTINGS frame" in out
    assert "(niv=3)" in out and "[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):128]" in out
    assert "recv (stream_id=13) :status: 200" in out
    assert "; END_STREAM" in out


def test_fault_routes_end_in_rst_stream(procs, site):
    _, port = serve(procs, site, "--quiet")
    for path in ("/fault/close-early", "/fault/bad-chunk", "/fault/reset"):
        n = subprocess.run(["nghttp", "-nv", "http://127.0.0.1:%d%s"
                            % (port, path)], capture_output=True, timeout=20)
        out = n.stdout.decode()
        assert "recv RST_STREAM frame" in out, path
        assert "error_code=INTERNAL_ERROR(0x02)" in out, path
    n = subprocess.run(["nghttp", "-nv", "http://127.0.0.1:%d"
                        "/fault/close-early" % port], capture_output=True,
                       timeout=20)
    assert "recv DATA frame <length=39" in n.stdout.decode()


# --- a small frame client for the tests below ---------------------------

def frame(ftype, flags, sid, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", sid) + payload


def lit(name, value):
    """HPACK literal header field without indexing, new name (§6.2.2)."""
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def hpack_get(path="/", method=b"\x82"):
    """A request header block: static-table indexes and literals
    (0x82 :method GET, 0x83 :method POST, 0x86 :scheme http)."""
    return method + b"\x86" + lit(b":path", path.encode()) + \
        lit(b":authority", b"localhost")


class H2:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def start(self):
        self.s.sendall(PREFACE + frame(SETTINGS, 0, 0))
        return self

    def send(self, data):
        self.s.sendall(data)

    def frames(self, timeout=5):
        """Every frame until the server closes or goes quiet."""
        end = time.time() + timeout
        out = []
        while time.time() < end:
            while len(self.buf) >= 9:
                n = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) < 9 + n:
                    break
                out.append((self.buf[3], self.buf[4],
                            int.from_bytes(self.buf[5:9], "big") & 0x7fffffff,
                            self.buf[9:9 + n]))
                self.buf = self.buf[9 + n:]
            try:
                self.s.settimeout(max(0.05, end - time.time()))
                d = self.s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not d:
                break
            self.buf += d
        return out

    def error(self, timeout=5):
        """('GOAWAY'|'RST_STREAM', code name) of the first error frame."""
        for t, _, sid, p in self.frames(timeout):
            if t == GOAWAY:
                return "GOAWAY", ERR.get(int.from_bytes(p[4:8], "big"))
            if t == RST:
                return "RST_STREAM", ERR.get(int.from_bytes(p[:4], "big"))
        return None


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_h2spec_case(h2servers, case):
    """h2spec 2.6's cases (tests/e2e/h2spec_cases.py): each passes by
    h2spec's rules, and an error is answered with a frame (GOAWAY or
    RST_STREAM with its code), never by a bare close, except for a bad
    preface (nghttp2 closes: RFC 9113 §3.4 allows it)."""
    plain, _ = h2servers
    ok, answer = run_case(plain, case)
    assert ok, (case[0], case[1], case[3].want, answer)
    if case[0] != "http2/3.5/2":
        assert answer not in ("closed", "timeout"), (case[0], answer)


def test_stream_ids_far_below_the_last_one(h2servers):
    """A HEADERS for a skipped id is refused even after many streams: the
    ids opened are remembered over the last 512 (RFC 9113 §5.1.1)."""
    plain, _ = h2servers
    c = Conn(plain).handshake()
    c.send(frame(8, 0, 0, struct.pack(">I", 1 << 30)))  # window for 400
    ids = [sid for sid in range(1, 801, 2) if sid != 701]
    for i in range(0, len(ids), 50):        # under the 128 streams at once
        c.send(b"".join(frame(1, 5, sid, GET) for sid in ids[i:i + 50]))
        wait_end(c, ids[i:i + 50][-1])
    c.send(frame(1, 5, 701, GET))
    ok, answer = conn_error("PROTOCOL_ERROR")(c)
    assert ok and answer == "GOAWAY PROTOCOL_ERROR", answer
    c.close()
    # a client that opened every id meets no error at all
    c = Conn(plain).handshake()
    c.send(b"".join(frame(1, 5, sid, GET) for sid in range(1, 41, 2)))
    assert response(39)(c)[0]
    c.close()


def test_goaway_on_shutdown_and_idle(procs, site):
    p, port = serve(procs, site, "--quiet", "--idle-timeout", "1")
    c = H2(port).start()
    t0 = time.time()
    got = c.frames(timeout=4)
    gone = [f for f in got if f[0] == GOAWAY]
    assert gone and int.from_bytes(gone[0][3][4:8], "big") == 0
    assert 0.8 < time.time() - t0 < 3.5
    c = H2(port).start()
    c.send(frame(HEADERS, 5, 1, hpack_get("/delay/1")))
    time.sleep(0.3)
    p.p.send_signal(signal.SIGTERM)
    got = c.frames(timeout=4)
    kinds = [f[0] for f in got]
    assert GOAWAY in kinds
    # the request in flight is still answered after the GOAWAY
    assert any(t == DATA and f & 1 for t, f, sid, _ in got if sid == 1)
    assert p.p.wait(timeout=5) == 0


def test_parallel_uploads_share_one_body_budget(procs, site):
    """Streams waiting for their END_STREAM may hold --max-body-size in
    all: the stream that would pass it is refused (REFUSED_STREAM), the
    others are answered."""
    _, port = serve(procs, site, "--quiet", "--max-body-size", "1000")
    c = H2(port).start()
    post = hpack_get("/post", b"\x83") + lit(b"content-type", b"text/plain")
    c.send(frame(HEADERS, 4, 1, post) + frame(DATA, 0, 1, b"a" * 600) +
           frame(HEADERS, 4, 3, post) + frame(DATA, 0, 3, b"b" * 600))
    time.sleep(0.3)
    c.send(frame(DATA, 1, 1, b"") + frame(DATA, 1, 3, b""))
    got = c.frames(timeout=2)
    rst = [(sid, int.from_bytes(p[:4], "big")) for t, _, sid, p in got
           if t == RST]
    assert rst == [(3, 7)]               # REFUSED_STREAM
    body = b"".join(p for t, _, sid, p in got if t == DATA and sid == 1)
    assert b'"data": "' + b"a" * 600 + b'"' in body


def test_stalled_peer_is_dropped_and_big_heads_get_431(procs, site):
    """A client that opens no window for a response holds the connection
    only until the idle timeout; a header list over --max-header-size is
    answered 431 as over HTTP/1.1."""
    _, port = serve(procs, site, "--quiet", "--idle-timeout", "1",
                    "--max-header-size", "4000")
    c = H2(port)
    c.send(PREFACE + frame(SETTINGS, 0, 0, struct.pack(">HI", 4, 0)))
    c.send(frame(HEADERS, 5, 1, hpack_get("/big.bin")))
    t0 = time.time()
    got = c.frames(timeout=6)
    assert 0.8 < time.time() - t0 < 5     # closed, not held forever
    assert not any(t == DATA and p for t, _, _, p in got)
    r = curl("--http2-prior-knowledge", "-H", "X-Big: " + "x" * 5000,
             "-w", "%{http_code} %{http_version}", "-o", "/dev/null",
             "http://127.0.0.1:%d/get" % port)
    assert r.stdout == b"431 2"
