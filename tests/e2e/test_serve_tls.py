"""httptool serve --tls: plain HTTP sent to the HTTPS port gets a 400 that
names the https:// URL (as nginx does), and the echo mode over TLS
(--echo --tls).  The TLS basics (certificates, ALPN, big bodies) are in
test_serve_clients.py.  Servers listen on a free port of 127.0.0.1 and
are stopped by PID; each must exit 0 without sanitizer reports."""
import json
import os
import select
import socket
import ssl
import subprocess
import threading
import time

from conftest import HTTPTOOL, require
from test_serve import (read_all, recv_n, servers_exit_cleanly,
                        split_response, start)

assert servers_exit_cleanly  # autouse: imported to apply here too


def run(argv, timeout=30, **kw):
    return subprocess.run([str(a) for a in argv], capture_output=True,
                          timeout=timeout, **kw)


def tls_client():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def tls_connect(port, timeout=5):
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return tls_client().wrap_socket(raw, server_hostname="localhost")


def raw_exchange(port, data, timeout=5):
    """Send data in plain TCP, read until the server closes; a reset
    raises (the answer must arrive whole)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        return read_all(s)


def wrong_port(data, url):
    status, hdrs, body = split_response(data)
    assert status == 400, data
    assert hdrs["connection"] == "close", hdrs
    assert hdrs["content-type"].startswith("text/plain"), hdrs
    assert int(hdrs["content-length"]) == len(body), data
    assert b"plain HTTP" in body and b"HTTPS" in body, body
    assert body.rstrip().endswith(b"use " + url.encode()), body
    return body


def test_plain_http_to_tls_port_is_told_to_use_https(procs):
    s = start(procs, "--tls", scheme="https")
    p = s.port
    # a raw socket: the 400 names the URL the client should have used
    got = raw_exchange(p, b"GET /some/path?q=1 HTTP/1.1\r\n"
                       b"Host: localhost:%d\r\n\r\n" % p)
    wrong_port(got, "https://localhost:%d/some/path?q=1" % p)
    # no Host (HTTP/1.0): our own address; Host without a port: ours added
    got = raw_exchange(p, b"GET /x HTTP/1.0\r\n\r\n")
    wrong_port(got, "https://127.0.0.1:%d/x" % p)
    got = raw_exchange(p, b"GET /y HTTP/1.1\r\nHost: example.test\r\n\r\n")
    wrong_port(got, "https://example.test:%d/y" % p)
    # a Host that is not a plain host:port is not echoed into the URL
    got = raw_exchange(p, b"GET /z HTTP/1.1\r\nHost: <b>x</b>\r\n\r\n")
    body = wrong_port(got, "https://127.0.0.1:%d/" % p)
    assert b"<b>" not in body
    # not HTTP at all (a line typed at nc) still gets the advice
    got = raw_exchange(p, b"hello\r\n\r\n")
    wrong_port(got, "https://127.0.0.1:%d/" % p)
    # HEAD: the same head, no body
    got = raw_exchange(p, b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % p)
    head, _, rest = got.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and rest == b"", got
    # a request with a body: answered after the head, the body is drained
    # so the close does not reset the answer away
    body = b"a=" + b"x" * 300000
    got = raw_exchange(p, b"POST /post HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                       b"Content-Length: %d\r\n\r\n" % (p, len(body)) + body)
    wrong_port(got, "https://127.0.0.1:%d/post" % p)
    # curl and httptool get print the 400's body
    curl = require("curl")
    r = run([curl, "-sS", "http://127.0.0.1:%d/from/curl" % p])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"400 Bad Request\n"), r.stdout
    assert b"use https://127.0.0.1:%d/from/curl" % p in r.stdout
    r = run([curl, "-s", "-o", "/dev/null", "-w", "%{http_code}",
             "http://localhost:%d/" % p])
    assert r.stdout == b"400"
    r = run([HTTPTOOL, "get", "http://127.0.0.1:%d/from/get" % p])
    assert r.returncode == 0, r.stderr
    assert b"use https://127.0.0.1:%d/from/get" % p in r.stdout, r.stdout
    # TLS clients on the same port are unaffected
    r = run([curl, "-sS", "-k", "https://127.0.0.1:%d/ip" % p])
    assert r.returncode == 0 and b'"origin": "127.0.0.1"' in r.stdout, r
    r = run([require("openssl"), "s_client", "-quiet", "-connect",
             "127.0.0.1:%d" % p],
            input=b"GET /status/201 HTTP/1.1\r\nHost: x\r\n"
            b"Connection: close\r\n\r\n")
    assert r.stdout.startswith(b"HTTP/1.1 201 "), (r.stdout, r.stderr)
    with tls_connect(p) as t:
        t.sendall(b"GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert read_all(t).startswith(b"HTTP/1.1 200 OK\r\n")
    # logged like other 400s, with the request line
    s.proc.stop()
    log = s.proc.p.stderr.read().decode()
    assert '"GET /some/path?q=1 HTTP/1.1" 400 ' in log, log
    assert '"hello" 400 ' in log, log
    assert '"GET /from/curl HTTP/1.1" 400 ' in log, log
    assert '"GET /ip HTTP/1.1" 200 ' in log, log


def test_wrong_port_json_log_line(procs):
    s = start(procs, "--tls", "--log-format", "json", scheme="https")
    raw_exchange(s.port, b"GET /j HTTP/1.1\r\nHost: x\r\n\r\n")
    s.proc.stop()
    line = json.loads(s.proc.p.stderr.read().decode().splitlines()[0])
    assert line["request"] == "GET /j HTTP/1.1" and line["status"] == 400
    # timed from the request's first byte (it was from 0 for a 4xx)
    assert 0 <= line["ms"] < 5000, line


def test_plain_http_to_tls_port_is_bounded(procs):
    s = start(procs, "--tls", "--quiet", "--header-timeout", "1",
              "--max-header-size", "1024", scheme="https")
    p = s.port
    # a slow client is still under the header deadline: 408, then closed
    with socket.create_connection(("127.0.0.1", p), timeout=10) as c:
        t0 = time.monotonic()
        c.sendall(b"GET / HTTP/1.1\r\n")
        got = read_all(c)
        assert time.monotonic() - t0 < 5
    assert got.startswith(b"HTTP/1.1 408 "), got
    # a head past --max-header-size is not read on: the same 400 at once
    got = raw_exchange(p, b"GET / HTTP/1.1\r\nX: " + b"y" * 4000 +
                       b"\r\n\r\n")
    wrong_port(got, "https://127.0.0.1:%d/" % p)
    # bytes that are neither TLS nor text are left to OpenSSL: closed
    # (with a reset, as before: OpenSSL did not read them all)
    try:
        got = raw_exchange(p, b"\x01\x02\x03\r\n\r\n")
    except ConnectionResetError:
        got = b""
    assert got == b""
    # and the server still answers
    with tls_connect(p) as t:
        t.sendall(b"GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert read_all(t).startswith(b"HTTP/1.1 200 OK\r\n")


def start_echo_tls(procs, *args):
    s = start(procs, "--echo", "--tls", *args, scheme="https")
    banner = s.proc.p.stdout.readline()
    assert banner.startswith(b"Echoing TLS on 127.0.0.1 port %d "
                             b"(openssl s_client -quiet -connect "
                             b"127.0.0.1:%d;" % (s.port, s.port)), banner
    return s


def tls_echo_roundtrip(t, data, timeout=30):
    """Send data through TLS socket t while reading the echo, in one
    thread (one SSL object must not be used by two threads at once)."""
    t.setblocking(False)
    sent, got, n = 0, [], 0
    deadline = time.monotonic() + timeout
    while n < len(data):
        assert time.monotonic() < deadline, (sent, n)
        wr = [t] if sent < len(data) else []
        r, w, _ = select.select([t], wr, [], 0.5)
        if w:
            try:
                sent += t.send(data[sent:sent + 16384])
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass
        while r or t.pending():
            try:
                d = t.recv(65536)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                break
            assert d, "closed after %d of %d bytes" % (n, len(data))
            got.append(d)
            n += len(d)
    t.settimeout(5)
    return b"".join(got)


def test_echo_over_tls(procs):
    s = start_echo_tls(procs)
    p = s.port
    # several TLS connections at once, each echoed on its own
    socks = [tls_connect(p) for _ in range(4)]
    for rnd in range(3):
        for i, t in enumerate(socks):
            t.sendall(b"conn %d round %d\n" % (i, rnd))
    for i, t in enumerate(socks):
        want = b"".join(b"conn %d round %d\n" % (i, r) for r in range(3))
        assert recv_n(t, len(want)) == want
    # a line "exit" closes that connection; it is not echoed
    socks[0].sendall(b"bye\r\nexit\r\nnot echoed\n")
    assert read_all(socks[0]) == b"bye\r\n"
    socks[1].sendall(b"still here\n")
    assert recv_n(socks[1], 11) == b"still here\n"
    # binary and big data come back intact (past the back-pressure limit)
    blob = os.urandom(3 << 20).replace(b"\n", b"")
    assert tls_echo_roundtrip(socks[2], blob) == blob
    for t in socks:
        t.close()


def test_echo_sends_everything_back_before_closing_at_end_of_input(procs):
    # plain and TLS alike: a client that sends a lot and then ends its
    # input (shutdown; close_notify) gets all of it back, then the close
    blob = os.urandom(2 << 20).replace(b"\n", b"")
    s = start(procs, "--echo")
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
        out = []
        th = threading.Thread(target=lambda: out.append(read_all(c)))
        th.start()
        c.sendall(blob)
        c.shutdown(socket.SHUT_WR)
        th.join(20)
    assert out and out[0] == blob
    # raw -N ends its TLS input with close_notify and keeps reading
    r = run([HTTPTOOL, "raw", "--tls", "-k", "-N", "--binary", "127.0.0.1",
             start_echo_tls(procs).port], input=blob, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout == blob


def test_echo_over_tls_with_real_clients(procs):
    s = start_echo_tls(procs)
    p = s.port
    openssl = require("openssl")
    r = run([openssl, "s_client", "-quiet", "-connect", "127.0.0.1:%d" % p],
            input=b"hello\nover tls\nexit\nnot echoed\n", timeout=20)
    assert r.stdout == b"hello\nover tls\n", (r.stdout, r.stderr)
    r = run([HTTPTOOL, "raw", "--tls", "-k", "127.0.0.1", p],
            input=b"from raw\nexit\n", timeout=20)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"from raw\r\n", r.stdout
    # without -k the self-signed certificate is refused
    r = run([HTTPTOOL, "raw", "--tls", "127.0.0.1", p], input=b"x\n",
            timeout=20)
    assert r.returncode != 0


def test_echo_over_tls_refuses_plain_and_slow_clients(procs):
    s = start_echo_tls(procs, "--header-timeout", "1")
    p = s.port
    # plain text (nc, telnet): one line of advice, then a clean close
    got = raw_exchange(p, b"hello plain\n")
    assert got == (b"this echo server speaks TLS; connect with TLS, e.g. "
                   b"openssl s_client -quiet -connect 127.0.0.1:%d\n" % p)
    # a handshake that never finishes is dropped after --header-timeout
    for first in (b"", b"\x16\x03\x01"):
        with socket.create_connection(("127.0.0.1", p), timeout=10) as c:
            t0 = time.monotonic()
            c.sendall(first)
            assert read_all(c) == b""
            took = time.monotonic() - t0
        assert 0.5 < took < 5, took
    # and the server still echoes
    with tls_connect(p) as t:
        t.sendall(b"ok\n")
        assert recv_n(t, 3) == b"ok\n"


def test_connection_limit_on_tls_port_sends_no_plain_text(procs, tmp_path):
    """Over --max-connections a plain port answers 503; a TLS port must not
    write those plain-text bytes into what the client reads as a
    handshake: it just closes."""
    s = start(procs, "--quiet", "--tls", "--max-connections", "2",
              directory=tmp_path)
    time.sleep(0.3)       # let wait_port's probe connection be closed
    held = [socket.create_connection(("127.0.0.1", s.port), timeout=5)
            for _ in range(2)]
    time.sleep(0.2)
    with socket.create_connection(("127.0.0.1", s.port), timeout=5) as c:
        assert read_all(c) == b""        # closed, nothing written
    for h in held:
        h.close()
    time.sleep(0.3)
    with tls_connect(s.port) as t:
        t.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert read_all(t).startswith(b"HTTP/1.1 ")


def tls_peer_bytes(port, send_request, version):
    """Connect with an in-memory TLS client, optionally finish the
    handshake and one GET, then half-close the TCP socket without a
    close_notify; return (ssl object, incoming BIO, response text, what
    the server sent after our EOF)."""
    ctx = tls_client()
    ctx.maximum_version = version
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    answer = b""
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    s.sendall(out.read())
    if send_request:
        while True:
            inc.write(s.recv(65536))
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                s.sendall(out.read())
        obj.write(b"GET /get HTTP/1.1\r\nHost: x\r\n\r\n")
        s.sendall(out.read())
        while b"\r\n\r\n" not in answer:
            inc.write(s.recv(65536))
            try:
                answer += obj.read(65536)
            except ssl.SSLWantReadError:
                pass
        head, _, rest = answer.partition(b"\r\n\r\n")
        _, hdrs, _ = split_response(answer)
        want = int(hdrs["content-length"])
        while len(rest) < want:
            inc.write(s.recv(65536))
            try:
                rest += obj.read(65536)
            except ssl.SSLWantReadError:
                pass
        s.sendall(out.read())	# session tickets' acks, if any
    else:
        time.sleep(0.3)		# let the server answer the ClientHello
    s.shutdown(socket.SHUT_WR)	# EOF, no close_notify
    after = read_all(s)
    s.close()
    return obj, inc, answer, after


def no_alert_but_close_notify(obj, inc, after, handshaken):
    """Feed what the server sent after our EOF to the TLS client: a
    close_notify (or nothing) is a quiet close, any other alert is not."""
    inc.write(after)
    inc.write_eof()
    try:
        if handshaken:
            obj.read(65536)
        else:
            obj.do_handshake()
    except ssl.SSLZeroReturnError:
        return			# close_notify: a clean close
    except ssl.SSLEOFError:
        return			# nothing: a clean close too
    except ssl.SSLError as e:
        assert "ALERT" not in str(e).upper(), (str(e), after[-64:])
        raise


def test_tls_eof_without_close_notify_closes_quietly(procs, tmp_path):
    """A client that closes without close_notify (curl -k sometimes,
    openssl s_client killed) gets no fatal alert (OpenSSL 3 sends Decode
    Error by default) and leaves no error in the log, after a request or
    in the middle of the handshake, in TLS 1.2 and 1.3."""
    log = tmp_path / "access.log"
    s = start(procs, "--tls", "--log-file", log, scheme="https")
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        obj, inc, answer, after = tls_peer_bytes(s.port, True, version)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
        no_alert_but_close_notify(obj, inc, after, True)
        obj, inc, _, after = tls_peer_bytes(s.port, False, version)
        no_alert_but_close_notify(obj, inc, after, False)
    # the server is still serving, and logged the two GETs and nothing else
    obj, inc, answer, after = tls_peer_bytes(s.port, True,
                                             ssl.TLSVersion.TLSv1_3)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
    time.sleep(0.3)
    lines = log.read_text().splitlines()
    assert len(lines) == 3 and all('"GET /get HTTP/1.1" 200' in l
                                   for l in lines), lines
