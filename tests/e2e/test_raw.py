"""httptool raw against scripted peers: line endings at a byte-capturing
sink, the end-of-input rules against a keep-alive server, hex mode,
pipelining, errors, Unix sockets, and the ^] menu driven through a pty.

The peer is a tiny threaded server in this process (127.0.0.1 only) that
records every byte it receives; in "http" mode it answers each request
head (found by its blank line) with "reply N", keeping the connection open.
"""
import contextlib
import os
import pty
import re
import select
import socket
import subprocess
import threading
import time

import pytest

from conftest import HTTPTOOL, free_port, run


class Peer:
    """One-connection scripted server.

    mode "sink": record until EOF, then close.  "http": answer each request
    head after `delay` seconds; on EOF close.  "echo": send back what comes.
    idle_close: close after that many quiet seconds (None: only on EOF).
    Everything is bounded by `limit` seconds.
    """

    def __init__(self, mode="http", delay=0.0, idle_close=None, unix=None,
                 family=socket.AF_INET, host="127.0.0.1", tls=None,
                 limit=15.0):
        self.mode, self.delay, self.idle_close = mode, delay, idle_close
        self.tls, self.limit = tls, limit
        self.received = bytearray()
        self.saw_eof = threading.Event()
        self.closed = threading.Event()
        self.sni = None
        if unix:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.bind(unix)
            self.port = unix
        else:
            self.sock = socket.socket(family, socket.SOCK_STREAM)
            self.sock.bind((host, 0))
            self.port = self.sock.getsockname()[1]
        self.sock.listen(1)
        self.sock.settimeout(limit)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _answer(self, conn, pending):
        n = 0
        while b"\r\n\r\n" in pending:
            _, pending = pending.split(b"\r\n\r\n", 1)
            self.answered = getattr(self, "answered", 0) + 1
            body = b"reply %d\n" % self.answered
            if self.delay:
                time.sleep(self.delay)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"
                         % len(body) + body)
            n += 1
        return pending

    def _serve(self, conn):
        end = time.monotonic() + self.limit
        last = time.monotonic()
        pending = b""
        conn.settimeout(0.05)
        while time.monotonic() < end:
            try:
                data = conn.recv(65536)
            except (socket.timeout, BlockingIOError):
                if self.idle_close and time.monotonic() - last > self.idle_close:
                    return
                continue
            except OSError:
                return
            if not data:
                self.saw_eof.set()
                return
            last = time.monotonic()
            self.received += data
            if self.mode == "http":
                pending = self._answer(conn, pending + data)
            elif self.mode == "echo":
                conn.sendall(data)

    def _run(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        try:
            if self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self._serve(conn)
        except OSError:
            pass
        finally:
            conn.close()
            self.closed.set()
            self.sock.close()

    def wait(self, timeout=10):
        self.thread.join(timeout)
        return bytes(self.received)


def raw(*args, input=b"", timeout=20):
    """Run httptool raw; returns (CompletedProcess, seconds taken)."""
    t = time.monotonic()
    r = run("raw", *args, input=input, timeout=timeout)
    return r, time.monotonic() - t


GET = b"GET / HTTP/1.1\nHost: a\n\n"


@contextlib.contextmanager
def one_reply(reply, heads=1, linger=True):
    """A listener for one connection that reads `heads` request heads,
    sends `reply` whole and closes: after the client's next bytes or its
    close when `linger`, at once otherwise (unread input: RST).  Yields its
    port; on leaving, the server thread is joined and the listener closed.
    """
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(10)

    def serve():
        c, _ = srv.accept()
        c.settimeout(10)
        data = b""
        while data.count(b"\r\n\r\n") < heads:
            data += c.recv(4096)
        c.sendall(reply)
        if linger:
            c.recv(10)
        c.close()
    th = threading.Thread(target=serve, daemon=True)
    th.start()
    try:
        yield srv.getsockname()[1]
    finally:
        th.join(5)
        srv.close()


# ---- line endings, at a sink that records every byte -------------------

def test_lf_becomes_crlf_and_crlf_is_not_doubled():
    peer = Peer("sink")
    sent = b"GET / HTTP/1.1\nHost: a\r\n\nline\r\r\nlast\n"
    r, _ = raw("-N", "127.0.0.1", peer.port, input=sent)
    got = peer.wait()
    assert got == b"GET / HTTP/1.1\r\nHost: a\r\n\r\nline\r\r\nlast\r\n"
    assert r.returncode == 52       # the sink never answered the GET (curl's 52)
    assert b"Connected to 127.0.0.1 (127.0.0.1) port %d." % peer.port in r.stderr
    assert b"Connection closed by foreign host." in r.stderr


def test_binary_sends_bytes_untouched():
    peer = Peer("sink")
    sent = b"a\nb\r\n\x00\xff\n"
    r, _ = raw("--binary", "-N", "127.0.0.1", peer.port, input=sent)
    assert peer.wait() == sent
    assert r.returncode == 0


# ---- end of input ------------------------------------------------------

def test_default_waits_for_every_request_to_be_answered():
    peer = Peer("http", delay=0.3)          # keep-alive, never closes first
    r, took = raw("-v", "127.0.0.1", peer.port, input=GET + GET)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(b"HTTP/1.1 200 OK") == 2
    assert b"reply 1\n" in r.stdout and b"reply 2\n" in r.stdout
    err = r.stderr.decode()
    assert "* response 1 to GET: HTTP/1.1 200 OK" in err
    assert "* response 2 complete: 8 body bytes" in err
    # we closed (the server would have waited): no "closed by foreign host"
    assert "Connection closed by foreign host." not in err
    assert took < 5
    assert peer.wait() == (GET + GET).replace(b"\n", b"\r\n")


def test_default_does_not_wait_for_an_unfinished_request():
    peer = Peer("http")
    r, took = raw("-v", "127.0.0.1", peer.port, input=b"GET / HTTP/1.1\nHost: a\n")
    assert r.returncode == 0
    assert b"input ended inside a request" in r.stderr
    assert took < 3


def test_linger_closes_after_secs_even_without_an_answer():
    peer = Peer("http", delay=3)
    r, took = raw("-q", "0.3", "127.0.0.1", peer.port, input=GET)
    assert r.returncode == 0
    assert r.stdout == b""
    assert 0.25 < took < 2.5


def test_linger_keeps_reading_until_secs_pass():
    peer = Peer("http", delay=0.2)
    r, took = raw("-q", "1", "127.0.0.1", peer.port, input=GET)
    assert b"reply 1\n" in r.stdout
    assert took >= 0.95
    assert b"Connection closed by foreign host." not in r.stderr


def test_half_close_lets_the_server_see_eof_and_close():
    peer = Peer("http", delay=0.2)
    r, _ = raw("-N", "127.0.0.1", peer.port, input=GET)
    assert r.returncode == 0
    assert b"reply 1\n" in r.stdout
    assert peer.saw_eof.is_set()
    assert b"Connection closed by foreign host." in r.stderr


def test_keep_open_stays_until_the_server_closes():
    peer = Peer("http", idle_close=1.0)
    r, took = raw("--keep-open", "127.0.0.1", peer.port, input=GET)
    assert b"reply 1\n" in r.stdout
    assert took >= 0.9
    assert b"Connection closed by foreign host." in r.stderr
    assert not peer.saw_eof.is_set()        # we never half-closed


def test_idle_timeout_ends_a_quiet_connection():
    peer = Peer("http")
    r, took = raw("-i", "0.5", "--keep-open", "127.0.0.1", peer.port,
                  input=GET)
    assert r.returncode == 0
    assert b"reply 1\n" in r.stdout
    assert b"Connection closed (no traffic for 0.5 s)." in r.stderr
    assert 0.4 < took < 3


def test_not_http_waits_for_the_server_to_go_quiet():
    peer = Peer("echo")
    r, took = raw("-v", "127.0.0.1", peer.port, input=b"hello\n")
    assert r.stdout == b"hello\r\n"
    assert b"* the reply is not HTTP either; shown as it is" in r.stderr
    assert 0.9 < took < 4


# ---- output ------------------------------------------------------------

def test_hex_dump_both_directions():
    peer = Peer("http")
    r, _ = raw("-x", "127.0.0.1", peer.port, input=GET)
    assert r.returncode == 0
    out = r.stdout.decode()
    stamp = r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6}"
    assert re.search(r"^> %s  length=27 from=0 to=26$" % stamp, out, re.M)
    assert re.search(r"^ 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a"
                     r"  GET / HTTP/1.1\.\.$", out, re.M)
    assert re.search(r"^< %s  length=46 from=0 to=45$" % stamp, out, re.M)
    assert re.search(r"^ 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d"
                     r"  HTTP/1.1 200 OK\.$", out, re.M)
    assert "\n--\n" in out
    assert "reply 1\n" not in out           # the dump replaces raw bytes


def test_stats_at_the_end():
    peer = Peer("http")
    r, _ = raw("--stats", "127.0.0.1", peer.port, input=GET)
    err = r.stderr.decode()
    assert re.search(r"stats: connect [\d.]+ ms, first byte [\d.]+ ms after "
                     r"sending, connected [\d.]+ s", err)
    assert "stats: sent 27 bytes, received 46 bytes, 1 requests, 1 answered" in err


def test_head_response_framed_without_a_body():
    """A HEAD answer with Content-Length must not swallow the next reply."""
    with one_reply(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                   b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                   heads=2) as port:
        r, took = raw("-v", "127.0.0.1", port,
                      input=b"HEAD / HTTP/1.1\nHost: a\n\n" + GET)
    err = r.stderr.decode()
    assert "* response 1 to HEAD: HTTP/1.1 200 OK" in err
    assert "* body: none (answer to HEAD)" in err
    assert "* response 2 complete: 2 body bytes" in err
    assert took < 5


# ---- connecting --------------------------------------------------------

def test_refused_connection_is_one_line_and_status_1():
    port = free_port()
    r, _ = raw("127.0.0.1", port)
    assert r.returncode == 1
    assert r.stderr == (b"Trying 127.0.0.1 (port %d)...\n" % port +
                        b"httptool raw: cannot connect to 127.0.0.1 port %d: "
                        b"connection refused\n" % port)


def test_connect_timeout():
    """A listener whose accept queue is full drops SYNs: connect hangs."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    time.sleep(0.2)
    try:
        r, took = raw("-w", "0.5", "127.0.0.1", port)
    finally:
        for c in fillers:
            c.close()
        srv.close()
    assert r.returncode == 1
    assert r.stderr == (b"Trying 127.0.0.1 (port %d)...\n" % port +
                        b"httptool raw: cannot connect to 127.0.0.1 port %d: "
                        b"timed out\n" % port)
    assert 0.4 < took < 3


def test_unknown_host_is_one_line_and_status_1():
    r, _ = raw("no-such-host.invalid", "80")
    assert r.returncode == 1
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 2 and lines[0] == "Trying no-such-host.invalid (port 80)..."
    assert lines[1].startswith("httptool raw: cannot resolve "
                               "'no-such-host.invalid' (port 80): ")


def test_usage_errors_are_status_2():
    assert raw()[0].returncode == 2
    r, _ = raw("-q", "soon", "127.0.0.1", "80")
    assert r.returncode == 2
    assert r.stderr == (b"httptool raw: not a number of seconds 'soon'\n"
                        b"httptool raw: try 'httptool raw --help' for the "
                        b"options\n")
    assert raw("a", "1", "extra")[0].returncode == 2
    r, _ = raw("-N", "--keep-open", "127.0.0.1", "80")
    assert r.returncode == 2 and b"choose one of" in r.stderr
    r, _ = raw("ftp://127.0.0.1/")
    assert r.returncode == 2


def test_url_gives_host_and_port():
    peer = Peer("http")
    r, _ = raw("http://127.0.0.1:%d/ignored" % peer.port, input=GET)
    assert r.returncode == 0
    assert b"reply 1\n" in r.stdout


def test_ipv6_loopback():
    peer = Peer("http", family=socket.AF_INET6, host="::1")
    r, _ = raw("::1", peer.port, input=GET)
    assert r.returncode == 0, r.stderr
    assert b"Connected to ::1 (::1) port %d." % peer.port in r.stderr
    assert b"reply 1\n" in r.stdout


def test_name_with_several_addresses_tries_each():
    """localhost may resolve to ::1 first; the peer is on 127.0.0.1."""
    peer = Peer("http")
    r, _ = raw("localhost", peer.port, input=GET)
    assert r.returncode == 0, r.stderr
    assert (b"Connected to localhost (127.0.0.1) port %d." % peer.port
            in r.stderr)
    assert b"reply 1\n" in r.stdout


def test_unix_socket(tmp_path):
    path = str(tmp_path / "s.sock")
    peer = Peer("http", unix=path)
    r, _ = raw("-U", path, input=GET)
    assert r.returncode == 0, r.stderr
    assert b"Connected to %s." % path.encode() in r.stderr
    assert b"reply 1\n" in r.stdout


# ---- the escape menu, through a pty ------------------------------------

class Pty:
    def __init__(self, argv):
        self.master, slave = pty.openpty()
        self.p = subprocess.Popen(argv, stdin=slave, stdout=slave,
                                  stderr=slave, close_fds=True,
                                  start_new_session=True,
                                  env=dict(os.environ, NO_COLOR="1"))
        os.close(slave)
        self.seen = b""

    def expect(self, what, timeout=5.0):
        end = time.monotonic() + timeout
        while what not in self.seen:
            left = end - time.monotonic()
            assert left > 0, "no %r in %r" % (what, self.seen)
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:
                    chunk = b""
                assert chunk, "EOF before %r in %r" % (what, self.seen)
                self.seen += chunk
        i = self.seen.index(what) + len(what)
        self.seen = self.seen[i:]

    def send(self, data):
        os.write(self.master, data)

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait(5)
        os.close(self.master)


def test_escape_menu_on_a_terminal():
    """^] opens the prompt; it stays for send, status and help until an
    empty line, as its help says; ^] at the prompt goes back too."""
    peer = Peer("http")
    t = Pty([HTTPTOOL, "raw", "127.0.0.1", str(peer.port)])
    try:
        t.expect(b"Escape character is '^]'.")
        t.send(b"GET / HTTP/1.1\nHost: a\n\n")
        t.expect(b"reply 1")
        t.expect(b"* response 1 complete")     # annotated by default on a TTY
        t.send(b"\x1d")
        t.expect(b"httptool> ")
        t.send(b"status\n")
        t.expect(b"requests sent 1, answered 1, waiting for 0")
        t.expect(b"httptool> ")                 # still at the prompt
        t.send(b"send GET /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n\n")
        t.expect(b"reply 2")
        t.send(b"send abc\n")                   # still a menu command
        t.send(b"help\n")
        t.expect(b"send STRING")
        t.expect(b"httptool> ")
        t.send(b"\n")                           # empty line: back to the wire
        t.send(b"\nGET /y HTTP/1.1\nHost: a\n\n")
        t.expect(b"reply 3")
        t.send(b"\x1d")
        t.expect(b"httptool> ")
        t.send(b"\x1d")                         # ^] again: back as well
        t.send(b"GET /z HTTP/1.1\nHost: a\n\n")
        t.expect(b"reply 4")
        t.send(b"\x1d")
        t.expect(b"httptool> ")
        t.send(b"quit\n")
        assert t.p.wait(5) == 0
    finally:
        t.close()
    assert peer.wait() == (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                           b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n"
                           b"abc\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n"
                           b"GET /z HTTP/1.1\r\nHost: a\r\n\r\n")


def test_escape_menu_windows_telnet_sequence():
    """The seed notes' sequence typed as written: send the request line by
    line at the prompt, then quit; every line is a command."""
    peer = Peer("http")
    t = Pty([HTTPTOOL, "raw", "127.0.0.1", str(peer.port)])
    try:
        t.expect(b"Escape character is '^]'.")
        t.send(b"\x1d")
        t.expect(b"httptool> ")
        t.send(b"send GET / HTTP/1.1\\r\\n\n")
        t.expect(b"httptool> ")
        t.send(b"send Host: a\\r\\n\\r\\n\n")
        t.expect(b"reply 1")
        t.send(b"status\n")
        t.expect(b"requests sent 1, answered 1")
        t.send(b"quit\n")
        assert t.p.wait(5) == 0
    finally:
        t.close()
    assert peer.wait() == b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def test_escape_menu_close():
    peer = Peer("http")
    t = Pty([HTTPTOOL, "raw", "127.0.0.1", str(peer.port)])
    try:
        t.expect(b"Escape character is '^]'.")
        t.send(b"\x1d")
        t.expect(b"httptool> ")
        t.send(b"close\n")
        t.expect(b"Connection closed.")
        assert t.p.wait(5) == 0
    finally:
        t.close()
    assert peer.closed.wait(5)


def test_server_that_answers_and_resets_mid_upload():
    """Sending into a closed connection: show the answer, report the reset."""
    body = b"x" * 4000000
    with one_reply(b"HTTP/1.1 413 Too Big\r\nContent-Length: 2\r\n"
                   b"Connection: close\r\n\r\nno", linger=False) as port:
        r, took = raw("-v", "127.0.0.1", port,
                      input=b"POST / HTTP/1.1\nHost: a\nContent-Length: %d\n\n"
                      % len(body) + body)
    assert r.stdout.endswith(b"\r\n\r\nno")
    assert b"* response 1 complete: 2 body bytes" in r.stderr
    assert took < 5
    assert r.returncode == 0, r.stderr
    assert (r.stderr.endswith(b"Connection reset by foreign host.\n") or
            r.stderr.endswith(b"Connection closed by foreign host.\n"))


def test_notes_follow_the_bytes_they_are_about():
    """With 2>&1, each note sits right after its response, on its own line."""
    peer = Peer("http")
    r = subprocess.run([HTTPTOOL, "raw", "-v", "127.0.0.1", str(peer.port)],
                       input=GET + GET, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=20)
    out = r.stdout.decode()
    assert r.returncode == 0
    want = ["HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n",
            "* response 1 to GET: HTTP/1.1 200 OK\n",
            "* body: Content-Length 8\n",
            "reply 1\n",
            "* response 1 complete: 8 body bytes\n",
            "HTTP/1.1 200 OK",
            "* response 2 to GET",
            "reply 2\n",
            "* response 2 complete"]
    pos = 0
    for w in want:
        i = out.find(w, pos)
        assert i >= 0, "%r not after byte %d of %r" % (w, pos, out)
        pos = i + len(w)


def test_note_starts_its_own_line_after_an_unterminated_body():
    with one_reply(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") as port:
        r = subprocess.run([HTTPTOOL, "raw", "-v", "127.0.0.1", str(port)],
                           input=GET, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
    assert r.stdout.endswith(b"\r\n\r\n* response 1 to GET: HTTP/1.1 200 OK\n"
                             b"* body: Content-Length 2\n"
                             b"ok\n* response 1 complete: 2 body bytes\n")
