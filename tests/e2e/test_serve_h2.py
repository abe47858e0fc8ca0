"""httptool serve over HTTP/2 (issue 16): h2 over TLS by ALPN, h2c with
prior knowledge and by Upgrade, against curl and nghttp; every route group
answers as it does over HTTP/1.1; protocol errors sent by a hand-written
frame client get the RFC 9113 error codes (there is no h2spec package);
GOAWAY on shutdown; the access log says HTTP/2.0.

Servers run on free ports of 127.0.0.1 and are stopped by PID."""
import hashlib
import os
import signal
import socket
import struct
import subprocess
import time

import pytest

from conftest import HTTPTOOL, free_port, require, wait_port

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


# Paths whose answers do not depend on the protocol: status and body must
# be the same over HTTP/1.1 and HTTP/2 (one per route group).
SAME = [
    "/hello.txt", "/", "/test_get", "/get?a=1&b=2", "/headers",
    "/user-agent", "/status/418", "/redirect/2", "/cookies/set?k=v",
    "/basic-auth/u/p", "/json", "/html", "/xml", "/base64/aGVsbG8=",
    "/range/1000", "/stream/3", "/stream-bytes/2000?seed=3",
    "/bytes/64?seed=1", "/gzip", "/deflate", "/cache", "/etag/x",
    "/response-headers?X-A=1", "/nope", "/fault/http10",
]


def test_every_route_group_same_over_h2c_and_http11(procs, site):
    _, port = serve(procs, site, "--quiet")
    base = "http://127.0.0.1:%d" % port
    for path in SAME:
        h1 = curl("--http1.1", "-u", "u:p", "-w", "\n%{http_code}",
                  base + path)
        h2 = curl("--http2-prior-knowledge", "-u", "u:p", "-w",
                  "\n%{http_code} %{http_version}", base + path)
        assert h2.returncode == 0, (path, h2.stderr)
        body2, _, tail = h2.stdout.rpartition(b"\n")
        assert tail.endswith(b" 2"), (path, tail)
        assert body2 + b"\n" + tail[:3] == h1.stdout, path


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


# --- a frame client for the error cases (what h2spec would send) ---------

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


CASES = [
    # (what, bytes after the preface and SETTINGS, expected)
    ("DATA on stream 0", frame(DATA, 0, 0, b"x"), ("GOAWAY", "PROTOCOL_ERROR")),
    ("SETTINGS of 5 bytes", frame(SETTINGS, 0, 0, b"\0" * 5),
     ("GOAWAY", "FRAME_SIZE_ERROR")),
    ("PING of 7 bytes", frame(PING, 0, 0, b"\0" * 7),
     ("GOAWAY", "FRAME_SIZE_ERROR")),
    ("SETTINGS on a stream", frame(SETTINGS, 0, 1), ("GOAWAY", "PROTOCOL_ERROR")),
    ("even stream id", frame(HEADERS, 5, 2, hpack_get()),
     ("GOAWAY", "PROTOCOL_ERROR")),
    ("HPACK index 0", frame(HEADERS, 5, 1, b"\x80"),
     ("GOAWAY", "COMPRESSION_ERROR")),
    ("DATA over SETTINGS_MAX_FRAME_SIZE",
     frame(HEADERS, 4, 1, hpack_get()) + frame(DATA, 0, 1, b"x" * 16385),
     ("GOAWAY", "FRAME_SIZE_ERROR")),
    ("connection window overflow",
     frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 0x7fffffff)),
     ("GOAWAY", "FLOW_CONTROL_ERROR")),
    ("ENABLE_PUSH = 2", frame(SETTINGS, 0, 0, struct.pack(">HI", 2, 2)),
     ("GOAWAY", "PROTOCOL_ERROR")),
    ("upper-case header name",
     frame(HEADERS, 5, 1, hpack_get() + b"\x00\x01X\x01y"),
     ("RST_STREAM", "PROTOCOL_ERROR")),
    ("WINDOW_UPDATE of 0 on a stream",
     frame(HEADERS, 4, 1, hpack_get()) +
     frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 0)),
     # a stream error, which h2spec (6.9/2) lets a server widen to GOAWAY
     {("RST_STREAM", "PROTOCOL_ERROR"), ("GOAWAY", "PROTOCOL_ERROR")}),
    ("connection-specific header",
     frame(HEADERS, 5, 1, hpack_get() + b"\x00\x0aconnection\x05close"),
     ("RST_STREAM", "PROTOCOL_ERROR")),
    ("DATA longer than content-length",
     frame(HEADERS, 4, 1, hpack_get("/post", b"\x83") +
           lit(b"content-length", b"1")) + frame(DATA, 1, 1, b"xx"),
     ("RST_STREAM", "PROTOCOL_ERROR")),
]


@pytest.mark.parametrize("what,data,want", CASES, ids=[c[0] for c in CASES])
def test_protocol_errors_get_the_rfc_error_code(procs, site, what, data, want):
    _, port = serve(procs, site, "--quiet")
    c = H2(port).start()
    c.send(data)
    got = c.error()
    assert got in want if isinstance(want, set) else got == want, what


def test_bad_preface_and_ping_and_unknown_frames(procs, site):
    _, port = serve(procs, site, "--quiet")
    c = H2(port)
    c.send(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")
    assert c.error() in (("GOAWAY", "PROTOCOL_ERROR"), None)
    c = H2(port).start()
    c.send(frame(0xfa, 0, 0, b"ignored") + frame(PING, 0, 0, b"12345678"))
    got = c.frames(timeout=1)
    assert (PING, 1, 0, b"12345678") in got
    c.send(frame(HEADERS, 5, 1, hpack_get("/hello.txt")))
    got = c.frames(timeout=1)
    assert any(t == DATA and p == b"hello, world\n" for t, _, _, p in got)


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
