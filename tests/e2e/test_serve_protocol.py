"""httptool serve: HTTP/1.1 protocol behaviour, strict rejections with
their one-line explanations, --lenient, limits and timeouts, clients that
vanish."""
import json
import os
import socket
import time

import pytest

from test_serve import servers_exit_cleanly, read_all, split_response, start

assert servers_exit_cleanly  # autouse: imported to apply here too


@pytest.fixture
def srv(procs, tmp_path):
    (tmp_path / "a.txt").write_text("aaa\n")
    (tmp_path / "big.bin").write_bytes(os.urandom(4 << 20))
    return start(procs, "--quiet", directory=tmp_path)


def conn(s, timeout=5.0):
    c = socket.create_connection(("127.0.0.1", s.port), timeout=timeout)
    return c


def read_response(c, buf=b""):
    """Read exactly one Content-Length response from c; returns
    (status, headers, body, leftover)."""
    while b"\r\n\r\n" not in buf:
        d = c.recv(65536)
        assert d, "closed before a full head: %r" % buf
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    status, hdrs, _ = split_response(head + b"\r\n\r\n")
    n = int(hdrs.get("content-length", "0"))
    while len(rest) < n:
        d = c.recv(65536)
        assert d, "closed mid-body"
        rest += d
    return status, hdrs, rest[:n], rest[n:]


def test_keep_alive_by_default(srv):
    c = conn(srv)
    for _ in range(3):
        c.sendall(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        status, h, body, left = read_response(c)
        assert status == 200 and body == b"aaa\n" and not left
        assert "connection" not in h
    c.close()


def test_connection_close_honoured(srv):
    data = srv.raw(b"GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close"
                   b"\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n",
                   shut=False)
    assert data.count(b"HTTP/1.1 200") == 1
    assert b"Connection: close\r\n" in data


def test_http10(srv):
    data = srv.raw(b"GET /a.txt HTTP/1.0\r\n\r\n", shut=False)
    status, h, body = split_response(data)
    assert status == 200 and body == b"aaa\n"
    assert h["connection"] == "close"
    c = conn(srv)
    c.sendall(b"GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    status, h, body, _ = read_response(c)
    assert h["connection"] == "keep-alive"
    c.sendall(b"GET /a.txt HTTP/1.0\r\n\r\n")
    assert read_response(c)[0] == 200
    assert c.recv(10) == b""
    c.close()


def test_pipelining_in_order(srv):
    reqs = [b"/ip", b"/big.bin", b"/delay/0.2", b"/a.txt", b"/status/201",
            b"/nothing-here", b"/a.txt"]
    c = conn(srv)
    c.sendall(b"".join(b"GET " + r + b" HTTP/1.1\r\nHost: x\r\n\r\n"
                       for r in reqs))
    left = b""
    got = []
    for _ in reqs:
        status, h, body, left = read_response(c, left)
        got.append((status, len(body)))
    c.close()
    assert [g[0] for g in got] == [200, 200, 200, 200, 201, 404, 200]
    assert got[1][1] == 4 << 20
    assert got[3][1] == 4 and got[6][1] == 4


def test_pipelined_byte_by_byte(srv):
    c = conn(srv)
    msg = (b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
           b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    for i in range(len(msg)):
        c.sendall(msg[i:i + 1])
    status, _, body, left = read_response(c)
    assert status == 200 and json.loads(body)["data"] == "abc"
    status, _, body, _ = read_response(c, left)
    assert body == b"aaa\n"
    c.close()


def test_expect_100_continue(srv):
    c = conn(srv)
    c.sendall(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
              b"Expect: 100-continue\r\n\r\n")
    first = c.recv(100)
    assert first == b"HTTP/1.1 100 Continue\r\n\r\n"
    c.sendall(b"hello")
    status, _, body, _ = read_response(c)
    assert status == 200 and json.loads(body)["data"] == "hello"
    c.close()


def test_expect_100_too_large_gets_413(procs, tmp_path):
    s = start(procs, "--quiet", "--max-body-size", "100", directory=tmp_path)
    data = s.raw(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                 b"Expect: 100-continue\r\n\r\n", shut=False)
    status, _, body = split_response(data)
    assert status == 413 and b"--max-body-size" in body
    assert b"100 Continue" not in data


def test_chunked_request_body(srv):
    data = srv.raw(b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                   b"chunked\r\nConnection: close\r\n\r\n4\r\nWiki\r\n"
                   b"6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n"
                   b"Trailer: x\r\n\r\n")
    status, _, body = split_response(data)
    assert status == 200
    assert json.loads(body)["data"] == "Wikipedia in \r\n\r\nchunks."


def test_options_and_405(srv):
    data = srv.raw(b"OPTIONS /get HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    status, h, _ = split_response(data)
    assert status == 204
    assert h["allow"] == "GET, HEAD, OPTIONS"
    data = srv.raw(b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close"
                   b"\r\n\r\n")
    status, h, _ = split_response(data)
    assert status == 204 and "POST" in h["allow"] and "PUT" in h["allow"]
    data = srv.raw(b"DELETE /get HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    status, h, body = split_response(data)
    assert status == 405
    assert h["allow"] == "GET, HEAD, OPTIONS"
    assert b"DELETE is not allowed here" in body
    data = srv.raw(b"PUT /post HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                   b"Connection: close\r\n\r\n")
    assert split_response(data)[1]["allow"] == "POST, OPTIONS"


def test_trace_off_unless_asked(srv, procs, tmp_path):
    req = (b"TRACE /x HTTP/1.1\r\nHost: x\r\nCookie: sid=secret\r\n"
           b"Connection: close\r\n\r\n")
    status, h, body = split_response(srv.raw(req))
    assert status == 405 and b"secret" not in body
    assert "TRACE" not in h["allow"]
    s = start(procs, "--quiet", "--trace-method", directory=tmp_path)
    status, h, body = split_response(s.raw(req))
    assert status == 200 and h["content-type"] == "message/http"
    assert body == req
    data = s.raw(b"OPTIONS /get HTTP/1.1\r\nHost: x\r\n"
                 b"Connection: close\r\n\r\n")
    assert split_response(data)[1]["allow"] == "GET, HEAD, OPTIONS, TRACE"


def test_trace_with_a_body_echoes_the_head(procs, tmp_path):
    s = start(procs, "--quiet", "--trace-method", directory=tmp_path)
    req = (b"TRACE /x HTTP/1.1\r\nHost: x\r\nX-Probe: 42\r\n"
           b"Content-Length: 3\r\nConnection: close\r\n\r\n")
    status, h, body = split_response(s.raw(req + b"abc"))
    assert status == 200 and h["content-type"] == "message/http"
    assert body == req


def test_absolute_form_target(srv):
    data = srv.raw(b"GET http://example.test:8080/get?q=1 HTTP/1.1\r\n"
                   b"Host: example.test:8080\r\nConnection: close\r\n\r\n")
    status, _, body = split_response(data)
    assert status == 200
    j = json.loads(body)
    assert j["url"] == "http://example.test:8080/get?q=1"
    assert j["args"] == {"q": "1"}


def test_unknown_method_501(srv):
    data = srv.raw(b"BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close"
                   b"\r\n\r\n")
    status, _, body = split_response(data)
    assert status == 501 and b"BREW" in body


# (request, status, words of the one-line explanation)
STRICT = [
    (b"GET / HTTP/1.1\nHost: x\r\n\r\n", 400,
     [b"bare LF line ending at byte 14", b"RFC 9112", b"--lenient"]),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n", 400,
     [b"obsolete line folding", b"--lenient"]),
    (b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400,
     [b"whitespace between field name and colon"]),
    (b"GET / HTTP/1.1\r\n\r\n", 400, [b"missing Host header"]),
    (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
     [b"duplicate Host header"]),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400,
     [b"invalid Content-Length"]),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
     b"Content-Length: 2\r\n\r\n", 400, [b"conflicting Content-Length"]),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n", 400,
     [b"both Content-Length and Transfer-Encoding", b"smuggling"]),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked"
     b"\r\n\r\n", 501, [b"unsupported transfer coding"]),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"zz\r\n", 400, [b"chunk"]),
    (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505,
     [b"unsupported HTTP version"]),
    (b"GET / HTTP/1\r\nHost: x\r\n\r\n", 400, [b"malformed HTTP version"]),
    (b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     [b"invalid character in method"]),
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, []),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n",
     431, [b"header block too large"]),
]


@pytest.mark.parametrize("req,status,words", STRICT,
                         ids=[str(s[1]) + "-" + str(i)
                              for i, s in enumerate(STRICT)])
def test_strict_rejections_explain(srv, req, status, words):
    data = srv.raw(req, shut=False)
    got, h, body = split_response(data)
    assert got == status, data[:300]
    assert h["connection"] == "close"
    lines = body.decode().splitlines()
    assert lines[0].startswith(str(status))
    assert len(lines) <= 2       # "400 Bad Request" + one explanation line
    for w in words:
        assert w in body, (w, body)


def test_empty_lines_before_the_request_line_are_ignored(srv):
    """RFC 9112 §2.2: at least one empty line before a request-line is
    ignored (a client may send CRLF after a POST body)."""
    data = srv.raw(b"\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    status, _, body = split_response(data)
    assert status == 200 and body == b"aaa\n", data[:200]


@pytest.mark.parametrize("part,words", [
    (b"GET / HTTP/1.x\r\n", b"malformed HTTP version"),
    (b"GET / HTTP/1.1 \r\n", b"whitespace after HTTP version"),
    (b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
     b"\r\n5;a b\r\n", b"malformed chunk extension"),
], ids=["version", "space-after-start-line", "chunk-extension"])
def test_refused_as_soon_as_seen(srv, part, words):
    """Issue 19 (6): an invalid version, a space after the start line or a
    bad chunk extension gets its 400 at once, before the rest of the head
    (or body) arrives; the connection stays open on our side."""
    c = conn(srv, timeout=3)
    c.sendall(part)
    data = b""
    while b"\r\n\r\n" not in data or words not in data:
        d = c.recv(4096)          # a timeout here fails the test
        assert d, data
        data += d
    c.close()
    assert data.startswith(b"HTTP/1.1 400 "), data[:200]


def test_rejection_closes_connection(srv):
    c = conn(srv)
    c.sendall(b"GET / HTTP/1.1\nHost: x\n\nGET /a.txt HTTP/1.1\r\n"
              b"Host: x\r\n\r\n")
    data = read_all(c)
    c.close()
    assert data.startswith(b"HTTP/1.1 400 ")
    assert b"aaa" not in data


def test_lenient_accepts_bare_lf_and_obs_fold(procs, tmp_path):
    (tmp_path / "a.txt").write_text("aaa\n")
    s = start(procs, "--quiet", "--lenient", directory=tmp_path)
    data = s.raw(b"GET /a.txt HTTP/1.1\nHost: x\nConnection: close\n\n")
    assert split_response(data)[0] == 200 and data.endswith(b"aaa\n")
    data = s.raw(b"GET /headers HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two"
                 b"\r\nConnection: close\r\n\r\n")
    assert split_response(data)[0] == 200
    # strict errors that lenient cannot fix are still errors
    data = s.raw(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", shut=False)
    assert split_response(data)[0] == 505


def test_limits_header_and_body(procs, tmp_path):
    s = start(procs, "--quiet", "--max-header-size", "1024",
              "--max-body-size", "10", directory=tmp_path)
    data = s.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 2000 +
                 b"\r\n\r\n", shut=False)
    assert split_response(data)[0] == 431
    data = s.raw(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n"
                 b"\r\nhello world", shut=False)
    assert split_response(data)[0] == 413
    data = s.raw(b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                 b"chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
                 shut=False)
    assert split_response(data)[0] == 413
    data = s.raw(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                 b"Connection: close\r\n\r\n0123456789")
    assert split_response(data)[0] == 200


def test_header_timeout_is_between_bytes(procs, tmp_path):
    """--header-timeout is the time allowed between bytes of a head (as
    nginx's client_header_timeout): a slow typist is served, a pause
    longer than it gets 408."""
    s = start(procs, "--quiet", "--header-timeout", "1", directory=tmp_path)
    c = conn(s, timeout=6)
    t0 = time.monotonic()
    for ch in b"GET /get HTTP/1.1\r\nHost: x\r\nConnection: close\r\n":
        c.sendall(bytes([ch]))
        time.sleep(0.05)
    assert time.monotonic() - t0 > 1.5     # more than one timeout in all
    c.sendall(b"\r\n")
    assert read_all(c).startswith(b"HTTP/1.1 200 ")
    c.close()
    c = conn(s, timeout=6)
    c.sendall(b"GET /get HTTP/1.1\r\n")
    t0 = time.monotonic()
    data = read_all(c)
    c.close()
    assert 0.8 < time.monotonic() - t0 < 3.5
    assert data.startswith(b"HTTP/1.1 408 "), data
    assert b"no byte of the request head came for 1000 ms" in data
    assert b"\r\nDate: " in data


def test_idle_keep_alive_timeout(procs, tmp_path):
    (tmp_path / "a.txt").write_text("aaa\n")
    s = start(procs, "--quiet", "--idle-timeout", "0.5", directory=tmp_path)
    c = conn(s)
    c.sendall(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_response(c)[0] == 200
    t0 = time.monotonic()
    assert c.recv(100) == b""            # closed by the server
    assert 0.3 < time.monotonic() - t0 < 3
    c.close()
    c = conn(s)                          # a silent new connection, too
    t0 = time.monotonic()
    assert c.recv(100) == b""
    assert time.monotonic() - t0 < 3


def test_max_connections(procs, tmp_path):
    """At the limit an idle connection is shed for a new one; busy ones
    are not, and then the new one gets 503 (more in test_serve_slow)."""
    (tmp_path / "a.txt").write_text("aaa\n")
    s = start(procs, "--quiet", "--max-connections", "2", "--threads", "1",
              directory=tmp_path)
    time.sleep(0.3)       # let wait_port's probe connection be closed
    held = [conn(s), conn(s)]
    time.sleep(0.2)
    assert s.get("/a.txt")[0] == 200
    assert held[0].recv(100) == b""      # the oldest made room
    for h in held:
        h.close()
    time.sleep(0.2)
    busy = [conn(s), conn(s)]
    for b in busy:
        b.sendall(b"GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    extra = conn(s)
    data = read_all(extra)
    extra.close()
    assert data.startswith(b"HTTP/1.1 503 "), data
    for b in busy:
        assert b.recv(1000).startswith(b"HTTP/1.1 200 ")
        b.close()


def test_vanishing_clients_do_not_hurt(srv):
    for i in range(20):
        c = conn(srv)
        c.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        c.recv(1000)
        if i % 2:
            # RST instead of FIN
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         b"\x01\x00\x00\x00\x00\x00\x00\x00")
        c.close()
    # a client that never reads a big response and then leaves
    c = conn(srv)
    c.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" * 5)
    time.sleep(0.3)
    c.close()
    status, _, body = srv.get("/a.txt")
    assert status == 200 and body == b"aaa\n"
    assert srv.proc.p.poll() is None


def test_half_close_still_answered(srv):
    # printf 'GET ...' | nc: the client shuts down writing at once
    data = srv.raw(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", shut=True)
    assert data.count(b"aaa\n") == 2


def test_out_of_descriptors_does_not_spin(procs, tmp_path):
    from conftest import HTTPTOOL, free_port, wait_port
    port = free_port()
    p = procs(["prlimit", "--nofile=32", HTTPTOOL, "serve", str(port),
               "--quiet", "--threads", "1", "-d", str(tmp_path)])
    wait_port(port, proc=p.p)
    held = [socket.create_connection(("127.0.0.1", port), timeout=5)
            for _ in range(40)]

    def cpu_ticks():
        with open("/proc/%d/stat" % p.p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    before = cpu_ticks()
    time.sleep(1)
    assert cpu_ticks() - before < 30          # not a busy loop (100/s)
    for h in held:
        h.close()
    time.sleep(0.5)
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    c.sendall(b"GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert read_all(c).startswith(b"HTTP/1.1 200 OK")
    c.close()
