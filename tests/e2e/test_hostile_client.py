"""Faulty servers against the client (`httptool get`) and `httptool raw`
(issue 9).

Every /fault/* route of `httptool serve`, then a hostile in-process
server with canned broken replies.  The client must end each with the
same exit code curl gives for the same URL (18 short body, 52 empty
reply, 56 receive error, 28 timeout, ...) and a one-line error; raw
must say what went wrong in its annotations.  Nothing may run past its
timeout.
"""
import os
import socket
import zlib
import socketserver
import subprocess
import threading
import time

import pytest

from conftest import HTTPTOOL, free_port, require, rss_env, wait_port

IDLE = 2    # serve --idle-timeout: bounds wrong-length and no-response


@pytest.fixture(scope="module")
def fault_srv():
    port = free_port()
    p = subprocess.Popen([HTTPTOOL, "serve", str(port), "--quiet",
                          "--threads", "2", "--idle-timeout", str(IDLE)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, proc=p)
        yield "http://127.0.0.1:%d" % port
    finally:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        err = p.stderr.read()
        p.stderr.close()
        assert b"Sanitizer" not in err and b"runtime error" not in err, err


def timed(argv, input=None, timeout=30, discard=False, cwd=None):
    """Run argv; (CompletedProcess, seconds).  discard: stdout to
    /dev/null (endless bodies)."""
    t0 = time.monotonic()
    out = subprocess.DEVNULL if discard else subprocess.PIPE
    r = subprocess.run(argv, input=input, stdout=out, stderr=subprocess.PIPE,
                       timeout=timeout, env=dict(os.environ, NO_COLOR="1"),
                       cwd=cwd)
    return r, time.monotonic() - t0


def curl_rc(url, *args):
    require("curl")
    r, _ = timed(["curl", "-s", "-o", "/dev/null", *args, url])
    return r.returncode


def no_sanitizer(r):
    assert b"Sanitizer" not in r.stderr and b"runtime error" not in r.stderr, \
        r.stderr[-2000:]


# route -> (curl exit code, time bound in seconds)
FAULTS = {
    "close-early": (18, 3),
    "wrong-length": (18, IDLE + 3),
    "bad-chunk": (56, 3),
    "slow-headers?ms=100": (0, 4),
    "no-response": (52, IDLE + 3),
    "reset": (56, 3),
    "http10": (0, 3),
}


@pytest.mark.parametrize("route", list(FAULTS))
def test_get_exits_like_curl_on_fault_routes(fault_srv, route):
    want, bound = FAULTS[route]
    url = fault_srv + "/fault/" + route
    assert curl_rc(url, "-m", "10") == want
    r, took = timed([HTTPTOOL, "get", "-m", "10", url])
    no_sanitizer(r)
    assert r.returncode == want, r.stderr
    assert took < bound, took
    if want:
        lines = r.stderr.decode().strip().splitlines()
        assert lines[-1].startswith("httptool get: (%d) " % want), lines


@pytest.mark.parametrize("route", ["wrong-length", "no-response",
                                   "slow-headers?ms=700"])
def test_get_max_time_gives_28_in_time(fault_srv, route):
    url = fault_srv + "/fault/" + route
    assert curl_rc(url, "-m", "1") == 28
    r, took = timed([HTTPTOOL, "get", "-m", "1", url])
    no_sanitizer(r)
    assert r.returncode == 28, r.stderr
    assert b"timed out" in r.stderr
    assert took < 2.5, took


# route -> (raw exit code, words raw's annotations must contain)
# (raw gives curl's 18 and 52 for a cut short and an empty reply, 8 for a
# reply that is not valid HTTP)
RAW = {
    "close-early": (18, [b"cut short", b"incomplete"]),
    "wrong-length": (18, [b"cut short", b"incomplete"]),
    "bad-chunk": (8, [b"invalid chunk size"]),
    "slow-headers?ms=100": (0, [b"complete"]),
    "no-response": (52, [b"closed"]),
    "reset": (1, [b"reset by the server"]),
    "http10": (0, [b"ended by the close"]),
}


def raw(url_base, route, *args, timeout=30):
    port = url_base.rsplit(":", 1)[1]
    req = b"GET /fault/%s HTTP/1.1\nHost: x\n\n" % route.encode()
    return timed([HTTPTOOL, "raw", "-v", *args, "127.0.0.1", port],
                 input=req, timeout=timeout)


@pytest.mark.parametrize("route", list(RAW))
def test_raw_annotates_fault_routes(fault_srv, route):
    rc, words = RAW[route]
    r, took = raw(fault_srv, route)
    no_sanitizer(r)
    assert r.returncode == rc, r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    assert took < FAULTS[route][1], took


@pytest.mark.parametrize("route", ["close-early", "no-response"])
def test_raw_exit_code_like_curl(fault_srv, route):
    r, _ = raw(fault_srv, route)
    assert r.returncode == FAULTS[route][0], r.stderr


def test_raw_notes_incomplete_response_at_its_own_timeout(fault_srv):
    r, took = raw(fault_srv, "wrong-length", "-i", "1")
    assert took < IDLE + 1
    assert b"incomplete" in r.stderr, r.stderr


def test_raw_idle_timeout_bounds_a_silent_server(fault_srv):
    r, took = raw(fault_srv, "no-response", "-i", "1")
    no_sanitizer(r)
    assert r.returncode == 28          # curl's "timed out", the request named
    assert took < IDLE, took
    assert b"* request 1 (GET /fault/no-response) got no answer" in r.stderr
    assert b"no traffic for 1 s" in r.stderr


# A hostile server: each path answers with canned bytes (or a stream).
BIG_HEAD = b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * 300000 + b"\r\n\r\n"
CANNED = {
    "/garbage": bytes((i * 37 + 11) % 256 for i in range(3000)),
    "/status-999": b"HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\n\r\nok",
    "/status-junk": b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
    "/no-reason": b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
    "/http09": b"just a body, no status line\n",
    "/cl-te": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    "/cl-conflict": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                    b"Content-Length: 3\r\n\r\nok!",
    "/cl-negative": b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nok",
    "/cl-huge": b"HTTP/1.1 200 OK\r\nContent-Length: "
                b"99999999999999999999999\r\n\r\nok",
    "/nul-header": b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 2"
                   b"\r\n\r\nok",
    "/bare-lf": b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
    "/obs-fold": b"HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2"
                 b"\r\n\r\nok",
    "/big-head": BIG_HEAD,
    "/many-100": b"HTTP/1.1 100 Continue\r\n\r\n" * 2000 +
                 b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "/chunk-overflow": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                       b"\r\nffffffffffffffffffff\r\nok",
    "/chunk-no-end": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                     b"\r\n2\r\nok\r\n",
    "/bad-gzip": b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                 b"Content-Length: 10\r\n\r\nnot gzip!!",
    "/redirect-loop-close": b"HTTP/1.1 302 Found\r\nLocation: "
                            b"/redirect-loop-close\r\nConnection: close\r\n"
                            b"Content-Length: 0\r\n\r\n",
    "/cd-clobber": b"HTTP/1.1 200 OK\r\nContent-Disposition: attachment; "
                   b"filename=\"../keep.txt\"\r\nContent-Length: 6\r\n\r\n"
                   b"EVIL!\n",
    "/redirect-garbage": b"HTTP/1.1 302 Found\r\nLocation: \x01\x02://\r\n"
                         b"Content-Length: 0\r\n\r\n",
}
def gzip_bomb(mib):
    """A JSON array padded with mib MiB of spaces, gzip'd (~1000:1)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(b"[")]
    chunk = b" " * (1 << 20)
    for _ in range(mib):
        out.append(z.compress(chunk))
    out.append(z.compress(b"1]") + z.flush())
    return b"".join(out)


BOMB = gzip_bomb(256)
CANNED["/json-bomb"] = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json"
                        b"\r\nContent-Encoding: gzip\r\nContent-Length: "
                        b"%d\r\n\r\n" % len(BOMB) + BOMB)
STREAMS = {
    # endless header lines, an endless body, an endless chunked body
    "/endless-head": (b"HTTP/1.1 200 OK\r\n", b"X-More: aaaaaaaaaaaa\r\n"),
    "/endless-body": (b"HTTP/1.1 200 OK\r\n\r\n", b"z" * 4096),
    "/endless-chunks": (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                        b"\r\n\r\n", b"1000\r\n" + b"c" * 4096 + b"\r\n"),
}


class Hostile(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(5)
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < 65536:
                d = s.recv(4096)
                if not d:
                    return
                head += d
            path = head.split(b" ")[1].decode()
            if path in STREAMS:
                first, more = STREAMS[path]
                s.sendall(first)
                end = time.monotonic() + 3
                while time.monotonic() < end:
                    s.sendall(more)
            else:
                s.sendall(CANNED[path])
                s.shutdown(socket.SHUT_WR)
                s.recv(1)
        except (OSError, KeyError, IndexError):
            pass


@pytest.fixture(scope="module")
def hostile():
    srv = Hostile(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield "http://127.0.0.1:%d" % srv.server_address[1]
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize("path", list(CANNED) + list(STREAMS))
def test_get_exits_like_curl_on_hostile_replies(hostile, path):
    url = hostile + path
    extra = ["-L", "--compressed"] if "redirect" in path or "gzip" in path \
        else []
    # redirect loops: curl stops after 50 in well under a second
    m = "4" if "loop" in path else "2"
    want = curl_rc(url, "-m", m, *extra)
    r, took = timed([HTTPTOOL, "get", "-m", m, *extra, url],
                    discard=path in STREAMS)
    no_sanitizer(r)
    assert r.returncode == want, (want, r.stderr[-500:])
    assert took < int(m) + 2, took
    if want not in (0, 3, 4, 5):
        assert r.stderr.decode().strip().splitlines()[-1].startswith(
            "httptool get: (%d) " % want), r.stderr[-500:]


@pytest.mark.parametrize("path", list(CANNED) + list(STREAMS))
def test_raw_survives_hostile_replies(hostile, path):
    port = hostile.rsplit(":", 1)[1]
    req = b"GET %s HTTP/1.1\nHost: x\n\n" % path.encode()
    r, took = timed([HTTPTOOL, "raw", "-v", "-i", "2", "127.0.0.1", port],
                    input=req, discard=path in STREAMS)
    no_sanitizer(r)
    # curl's codes: 18/52 the server cut the reply short or sent none, 8
    # the reply is not HTTP, 28 -i expired with the request unanswered
    assert r.returncode in (0, 1, 8, 18, 28, 52), r.stderr[-500:]
    assert took < 6, took
    if path in STREAMS:
        return
    assert r.stdout == CANNED[path]     # the bytes untouched


def test_remote_header_name_never_clobbers(hostile, tmp_path):
    url = hostile + "/cd-clobber"
    for tool in (["curl", "-s"], [HTTPTOOL, "get"]):
        d = tmp_path / tool[0].rsplit("/", 1)[-1] / "sub"
        d.mkdir(parents=True)
        (d / "keep.txt").write_bytes(b"ORIGINAL\n")
        r, _ = timed([*tool, "-O", "-J", url], cwd=d)
        # the directory part is dropped, the existing file is kept
        assert not (d.parent / "keep.txt").exists()
        assert (d / "keep.txt").read_bytes() == b"ORIGINAL\n", tool
        assert r.returncode == 23, (tool, r.returncode, r.stderr)


def test_pretty_output_of_a_gzip_bomb_is_bounded(hostile):
    r = subprocess.run(["/usr/bin/time", "-f", "RSS %M", HTTPTOOL, "get",
                        "--pretty", "format", "--compressed", "-m", "20",
                        hostile + "/json-bomb"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=60, env=rss_env())
    no_sanitizer(r)
    rss = int(r.stderr.split(b"RSS ")[-1])
    assert rss < 64 * 1024, rss
