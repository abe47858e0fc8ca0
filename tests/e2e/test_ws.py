"""WebSocket (issue 16): `httptool ws` against serve's /websocket/echo and
against an independent peer (python3-websockets), serve's echo against
python3-websockets' client (permessage-deflate included), and a raw-socket
client that sends malformed frames and checks the close codes of RFC 6455
(1002, 1007, 1009).  Servers run on free ports of 127.0.0.1."""
import base64
import os
import select
import socket
import struct
import subprocess
import sys
import time

import pytest

from conftest import HTTPTOOL, free_port, run, wait_port

PY = "/usr/bin/python3"

PEER = r'''
import asyncio, sys, websockets
async def handler(ws, path):
    if path == "/close1011":
        await ws.close(code=1011, reason="boom")
        return
    if path == "/drop":
        ws.transport.abort()
        return
    async for m in ws:
        await ws.send(m)
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]),
                                compression=None):
        await asyncio.Future()
asyncio.run(main())
'''


@pytest.fixture
def serve(procs, tmp_path):
    """serve's echo URL; the server must stop cleanly (no sanitizer
    report under make test SAN=1)."""
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--threads", "1", "-d",
               str(tmp_path)])
    wait_port(port, proc=p.p)
    yield "ws://127.0.0.1:%d/websocket/echo" % port, p
    rc = p.stop()
    err = p.p.stderr.read() if not p.p.stderr.closed else b""
    assert b"Sanitizer" not in err and b"runtime error" not in err, err
    assert rc == 0, (rc, err[-2000:])


@pytest.fixture
def peer(procs):
    port = free_port()
    p = procs([PY, "-c", PEER, str(port)])
    wait_port(port, proc=p.p)
    return "ws://127.0.0.1:%d" % port


def ws(*args, input=b"", timeout=20):
    return run("ws", *args, input=input, timeout=timeout)


def test_lines_echoed_and_clean_close(serve):
    url, p = serve
    r = ws(url, input=b"hello\nwide \xc3\xa9\n\nlast")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"hello\nwide \xc3\xa9\n\nlast\n"
    assert b"close from the server: 1000 (normal closure)" in r.stderr
    p.stop()
    assert b'"GET /websocket/echo HTTP/1.1" 101' in p.p.stderr.read()


def test_binary_and_verbose_frames_with_max_fragment_size(serve):
    url, _ = serve
    data = bytes(range(256)) * 4
    r = ws("--binary", url, input=data)
    assert r.returncode == 0 and r.stdout == data
    r = ws("-v", url + "?max_fragment_size=3", input=b"hello\n")
    err = r.stderr.decode()
    assert "> GET /websocket/echo?max_fragment_size=3 HTTP/1.1" in err
    assert "> Sec-WebSocket-Version: 13" in err
    assert "< HTTP/1.1 101 Switching Protocols" in err
    assert "< Sec-WebSocket-Accept: " in err
    assert "> frame opcode=text fin=1 len=5 masked" in err
    assert "< frame opcode=text fin=0 len=3\n" in err
    assert "< frame opcode=continuation fin=1 len=2\n" in err
    assert "> frame opcode=close fin=1 len=2 masked" in err
    assert r.stdout == b"hello\n"


def test_ping_every_interval(serve, procs):
    url, _ = serve
    p = procs([HTTPTOOL, "ws", "-v", "--ping", "0.2", url],
              stdin=subprocess.PIPE)
    # read -v's lines until three pongs came back (a loaded machine may
    # take a while to connect), then end the input
    err = b""
    deadline = time.monotonic() + 15
    while err.count(b"< frame opcode=pong") < 3 and time.monotonic() < deadline:
        r, _, _ = select.select([p.p.stderr], [], [], 0.5)
        if r:
            chunk = os.read(p.p.stderr.fileno(), 4096)
            if not chunk:
                break
            err += chunk
    p.p.stdin.close()
    assert p.p.wait(timeout=10) == 0
    err = (err + p.p.stderr.read()).decode()
    assert err.count("> frame opcode=ping fin=1 len=8 masked") >= 3
    assert err.count("< frame opcode=pong fin=1 len=8") >= 3


def test_wss_over_tls(procs, tmp_path):
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--tls", "--quiet", "-d",
               str(tmp_path)])
    wait_port(port, proc=p.p)
    url = "wss://127.0.0.1:%d/websocket/echo" % port
    r = ws("-k", "-v", url, input=b"secret\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"secret\n"
    assert b"TLSv1.3" in r.stderr
    r = ws(url, input=b"x\n")           # self-signed: refused without -k
    assert r.returncode == 35


def test_errors_and_exit_status(serve, peer):
    url, _ = serve
    r = ws("ws://127.0.0.1:%d/" % free_port())
    assert r.returncode == 7
    assert r.stderr.startswith(b"httptool ws: cannot connect")
    r = ws(url.replace("/websocket/echo", "/get"))
    assert r.returncode == 1
    assert b"httptool ws: the server refused the upgrade: 200 OK" in r.stderr
    r = ws("http://x/")
    assert r.returncode == 1 or r.returncode == 7
    r = ws("ftp://x/")
    assert r.returncode == 2
    r = ws()
    assert r.returncode == 2 and b"missing URL" in r.stderr
    r = ws("--ping", "0", url)
    assert r.returncode == 2


def test_client_limits_and_headers(serve):
    url, _ = serve
    r = ws("--binary", "--max-message", "10", url, input=b"x" * 20)
    assert r.returncode == 1 and r.stdout == b""
    assert b"message larger than the limit (closing with 1009)" in r.stderr
    r = ws("-v", "-H", "X-Lab: 1", url, input=b"hi\n")
    assert b"> X-Lab: 1\n" in r.stderr and r.stdout == b"hi\n"
    r = ws("-H", "no colon", url)
    assert r.returncode == 2


def test_against_python_websockets_peer(peer):
    r = ws(peer + "/echo", input=b"one\ntwo\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"one\ntwo\n"
    data = os.urandom(70000)             # a 64-bit length frame
    r = ws("--binary", peer + "/echo", input=data)
    assert r.returncode == 0 and r.stdout == data
    r = ws(peer + "/close1011", input=b"")
    assert r.returncode == 1
    assert b'close from the server: 1011 (internal error) "boom"' in r.stderr
    r = ws(peer + "/drop")
    assert r.returncode == 1
    assert b"closed without a close frame (1006" in r.stderr


CLIENT = r'''
import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1], compression="deflate") as c:
        assert c.extensions, "permessage-deflate not accepted"
        for m in ["a" * 3000, b"\x00\xff" * 5000, "short"]:
            await c.send(m)
            assert await c.recv() == m
        await (await c.ping(b"p"))
        await c.close(code=4001, reason="done")
        print(c.close_code)
asyncio.run(main())
'''


def test_serve_echo_against_python_websockets_client(serve):
    url, _ = serve
    r = subprocess.run([PY, "-c", CLIENT, url + "?max_fragment_size=100"],
                       capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"4001\n"     # the peer's own code echoed


# --- raw frames at /websocket/echo ---------------------------------------

def handshake(url, extra=b""):
    host, port = url.split("/")[2].split(":")
    s = socket.create_connection((host, int(port)), timeout=5)
    key = base64.b64encode(os.urandom(16))
    s.sendall(b"GET /websocket/echo?max_message_size=1000 HTTP/1.1\r\n"
              b"Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: " + key + b"\r\n"
              b"Sec-WebSocket-Version: 13\r\n" + extra + b"\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    return s, head


def frame(op, payload, fin=True, mask=True, rsv=0):
    b0 = (0x80 if fin else 0) | rsv << 4 | op
    n = len(payload)
    if n < 126:
        h = bytes([b0, (0x80 if mask else 0) | n])
    elif n < 65536:
        h = bytes([b0, (0x80 if mask else 0) | 126]) + struct.pack(">H", n)
    else:
        h = bytes([b0, (0x80 if mask else 0) | 127]) + struct.pack(">Q", n)
    if not mask:
        return h + payload
    k = os.urandom(4)
    return h + k + bytes(c ^ k[i % 4] for i, c in enumerate(payload))


def read_frames(s, timeout=3):
    data = b""
    s.settimeout(timeout)
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
    except (socket.timeout, ConnectionResetError):
        pass
    out = []
    while len(data) >= 2:
        n = data[1] & 0x7f
        h = 2
        if n == 126:
            n, h = struct.unpack(">H", data[2:4])[0], 4
        elif n == 127:
            n, h = struct.unpack(">Q", data[2:10])[0], 10
        out.append((data[0] & 0x80 != 0, data[0] & 0xf, data[h:h + n]))
        data = data[h + n:]
    return out


def close_code(s):
    for fin, op, p in read_frames(s):
        if op == 8:
            return struct.unpack(">H", p[:2])[0] if len(p) >= 2 else None
    return "no close frame"


MALFORMED = [
    ("unmasked", frame(1, b"hi", mask=False), 1002),
    ("reserved opcode", frame(3, b"hi"), 1002),
    ("RSV1 without the extension", frame(1, b"hi", rsv=4), 1002),
    ("RSV2", frame(1, b"hi", rsv=2), 1002),
    ("fragmented ping", frame(9, b"p", fin=False), 1002),
    ("ping of 126 bytes", frame(9, b"p" * 126), 1002),
    ("continuation first", frame(0, b"hi"), 1002),
    ("text inside a fragmented text",
     frame(1, b"a", fin=False) + frame(1, b"b"), 1002),
    ("close of one byte", frame(8, b"\x03"), 1002),
    ("close code 1005", frame(8, b"\x03\xed"), 1002),
    ("close code 999", frame(8, b"\x03\xe7"), 1002),
    ("text not UTF-8", frame(1, b"\xc3\x28"), 1007),
    ("fragmented text not UTF-8",
     frame(1, b"\xe2\x82", fin=False) + frame(0, b"\x28"), 1007),
    ("close reason not UTF-8", frame(8, b"\x03\xe8\xff"), 1007),
    ("message over max_message_size", frame(2, b"x" * 1001), 1009),
    ("fragments over max_message_size",
     frame(2, b"x" * 600, fin=False) + frame(0, b"x" * 600), 1009),
]


@pytest.mark.parametrize("what,data,code", MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_malformed_frames_close_with_the_rfc_code(serve, what, data, code):
    url, _ = serve
    s, head = handshake(url)
    assert head.startswith(b"HTTP/1.1 101 ")
    s.sendall(data)
    assert close_code(s) == code, what


def test_raw_echo_ping_close_and_deflate(serve):
    url, _ = serve
    s, head = handshake(url)
    s.sendall(frame(9, b"hey") + frame(1, b"ab", fin=False) + frame(0, b"c") +
              frame(8, struct.pack(">H", 3001) + b"bye"))
    got = read_frames(s)
    assert got[0] == (True, 10, b"hey")
    assert got[1] == (True, 1, b"abc")
    assert got[2][1] == 8 and got[2][2][:2] == struct.pack(">H", 3001)
    # the handshake's checks
    s, head = handshake(url, b"Sec-WebSocket-Extensions: permessage-deflate;"
                        b" client_max_window_bits\r\n")
    assert b"Sec-WebSocket-Extensions: permessage-deflate\r\n" in head
    key = b"dGhlIHNhbXBsZSBub25jZQ=="       # RFC 6455 §1.3's example
    host, port = url.split("/")[2].split(":")
    c = socket.create_connection((host, int(port)), timeout=5)
    c.sendall(b"GET /websocket/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket"
              b"\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
              b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in c.recv(500)
    c = socket.create_connection((host, int(port)), timeout=5)
    c.sendall(b"GET /websocket/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket"
              b"\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
              b"\r\nSec-WebSocket-Version: 8\r\n\r\n")
    r = c.recv(500)
    assert r.startswith(b"HTTP/1.1 426 ") and b"Sec-WebSocket-Version: 13" in r
