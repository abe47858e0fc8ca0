"""httptool raw as its help promises (issue 21): line endings converted in
request heads only, bodies byte for byte with a warning when they do not
match their Content-Length; HOST:PORT, HOST PORT and URLs, a defaulted
port said out loud; every unanswered request named when the server closes
or -i expires, with curl's exit codes; a malformed reply exits 8.

Peers are the scripted ones of test_raw.py and `httptool serve`."""
import re
import socket
import subprocess
import time

from conftest import HTTPTOOL, free_port, wait_port
from test_raw import GET, Peer, one_reply, raw


# ---- bodies go out byte for byte ----------------------------------------

def test_body_goes_out_byte_for_byte_and_the_head_gets_crlf():
    peer = Peer("sink")
    body = b"a\nb\r\nc\n"                     # 7 bytes, LFs of its own
    sent = (b"POST /p HTTP/1.1\nHost: a\nContent-Length: 7\n\n" + body +
            b"GET /next HTTP/1.1\nHost: a\n\n")
    r, _ = raw("-N", "127.0.0.1", peer.port, input=sent)
    got = peer.wait()
    assert got == (b"POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n"
                   + body + b"GET /next HTTP/1.1\r\nHost: a\r\n\r\n")
    assert b"warning" not in r.stderr


def test_crlf_body_converts_bodies_too():
    peer = Peer("sink")
    r, _ = raw("-N", "--crlf-body", "127.0.0.1", peer.port,
               input=b"POST / HTTP/1.1\nContent-Length: 4\n\na\nb\n")
    assert peer.wait() == (b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n"
                           b"a\r\nb\r\n")


def test_the_enter_after_an_exact_body_is_no_warning(procs):
    """Typing `hello` + Enter under Content-Length: 5: the body is the five
    bytes; the line end is not sent as part of it and serve answers both."""
    port = free_port()
    srv = procs([HTTPTOOL, "serve", str(port)])
    wait_port(port, proc=srv.p)
    r, _ = raw("-v", "127.0.0.1:%d" % port, input=(
        b"POST /post HTTP/1.1\nHost: a\nContent-Length: 5\n\nhello\n"
        b"GET /status/404 HTTP/1.1\nHost: a\n\n"))
    assert r.returncode == 0, r.stderr
    assert b'"data": "hello"' in r.stdout
    assert b"HTTP/1.1 404 Not Found" in r.stdout
    assert b"warning" not in r.stderr


def test_a_body_longer_than_its_length_is_warned_about_before_sending():
    peer = Peer("sink")
    r, _ = raw("-N", "127.0.0.1", peer.port,
               input=b"POST / HTTP/1.1\nContent-Length: 5\n\nhello world\n")
    err = r.stderr.decode()
    assert ("* warning: the body is longer than its Content-Length (5 bytes):"
            " the 6 bytes after it on the line go out as the start of the "
            "next request") in err
    # said before anything of the body went out: before the close line
    assert err.index("warning") < err.index("Connection closed")
    assert peer.wait().endswith(b"\r\n\r\nhello world\r\n")


def test_a_body_shorter_than_its_length_is_warned_about():
    peer = Peer("sink")
    r, _ = raw("-N", "127.0.0.1", peer.port,
               input=b"POST / HTTP/1.1\nContent-Length: 10\n\nhello\n")
    assert ("* warning: input ended inside the body of request 1: "
            "Content-Length 10, 6 bytes sent; the server waits for 4 more"
            ) in r.stderr.decode()
    assert peer.wait().endswith(b"\r\n\r\nhello\n")


# ---- where to connect ---------------------------------------------------

def test_host_colon_port_host_port_and_url_all_connect():
    for args in (["127.0.0.1:%d"], ["127.0.0.1", "%d"],
                 ["http://127.0.0.1:%d/x"], ["localhost:%d"]):
        peer = Peer("http")
        argv = [a % peer.port if "%d" in a else a for a in args]
        r, _ = raw(*argv, input=GET)
        assert r.returncode == 0, (argv, r.stderr)
        assert b"reply 1\n" in r.stdout, argv
        assert b"(port %d)..." % peer.port in r.stderr, argv


def test_ipv6_with_brackets_and_port():
    peer = Peer("http", family=socket.AF_INET6, host="::1")
    r, _ = raw("[::1]:%d" % peer.port, input=GET)
    assert r.returncode == 0, r.stderr
    assert b"Trying ::1 (port %d)..." % peer.port in r.stderr


def test_a_missing_port_is_stated():
    r, _ = raw("-w", "2", "127.0.0.1", input=b"")
    assert r.stderr.startswith(
        b"Trying 127.0.0.1 (port 80, the default for http)...\n")
    r, _ = raw("-w", "2", "--tls", "127.0.0.1", input=b"")
    assert r.stderr.startswith(
        b"Trying 127.0.0.1 (port 443, the default for https)...\n")


# ---- unanswered requests and bad replies --------------------------------

def test_unanswered_pipelined_requests_are_named_when_the_server_closes():
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    with one_reply(reply, heads=3, linger=False) as port:
        r, _ = raw("127.0.0.1", port, input=(
            GET + b"GET /two HTTP/1.1\nHost: a\n\n"
            b"DELETE /three HTTP/1.1\nHost: a\n\n"))
    err = r.stderr.decode()
    assert r.returncode == 52, err
    assert ("* request 2 (GET /two) got no answer (the server closed the "
            "connection)\n* request 3 (DELETE /three) got no answer (the "
            "server closed the connection)\nConnection closed by foreign "
            "host.\n") in err
    assert "request 1 " not in err


def test_idle_timeout_names_the_unanswered_and_exits_28():
    peer = Peer("http", delay=5)
    t = time.monotonic()
    r, _ = raw("-i", "0.5", "127.0.0.1", peer.port,
               input=b"GET /slow HTTP/1.1\nHost: a\n\n")
    assert r.returncode == 28, r.stderr
    assert time.monotonic() - t < 4
    assert (b"* request 1 (GET /slow) got no answer (-i expired)\n"
            b"Connection closed (no traffic for 0.5 s).\n") in r.stderr


def test_malformed_chunked_reply_exits_8_after_the_note(procs):
    port = free_port()
    srv = procs([HTTPTOOL, "serve", str(port)])
    wait_port(port, proc=srv.p)
    r = subprocess.run([HTTPTOOL, "raw", "-v", "127.0.0.1", str(port)],
                       input=b"GET /fault/bad-chunk HTTP/1.1\nHost: a\n\n",
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=20)
    out = r.stdout.decode()
    assert r.returncode == 8, out
    assert re.search(r"\* malformed body of response 1: invalid chunk size",
                     out)
    assert out.endswith("Connection closed by foreign host.\n")


def test_a_reply_that_is_not_http_exits_8_but_an_echo_lab_does_not():
    with one_reply(b"SSH-2.0-OpenSSH_9.2\r\n") as port:
        r, _ = raw("-v", "127.0.0.1", port, input=GET)
    assert r.returncode == 8, r.stderr
    assert b"* not an HTTP response" in r.stderr
    peer = Peer("echo")
    r, _ = raw("-v", "127.0.0.1", peer.port, input=b"hello\n")
    assert r.returncode == 0
