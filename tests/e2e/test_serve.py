"""httptool serve: startup, static files, listings, confinement, lab routes.

Protocol details and strict rejections: test_serve_protocol.py; httpbin
and fault routes: test_serve_routes.py; real clients, TLS, echo, logs:
test_serve_clients.py.  Every server runs on a free port of 127.0.0.1
and is stopped by PID when the test ends.
"""
import email.utils
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import DATA, HTTPTOOL, free_port, wait_port

SITE = os.path.join(DATA, "serve", "site")


class Server:
    """A running `httptool serve` and helpers to talk to it."""

    def __init__(self, proc, port, host="127.0.0.1", scheme="http"):
        self.proc = proc
        self.port = port
        self.host = host
        self.base = "%s://%s:%d" % (scheme, host if ":" not in host
                                    else "[%s]" % host, port)

    def raw(self, data, timeout=5.0, shut=True, family=socket.AF_INET):
        """Send bytes, read until the server closes (or timeout)."""
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect((self.host, self.port))
            s.sendall(data)
            if shut:
                s.shutdown(socket.SHUT_WR)
            return read_all(s)

    def get(self, path, headers=None, method="GET", data=None):
        """(status, headers, body) through urllib, errors included."""
        req = urllib.request.Request(self.base + path, data=data,
                                     headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def json(self, path, **kw):
        status, _, body = self.get(path, **kw)
        assert status == 200, (status, body)
        return json.loads(body)


def recv_n(s, n):
    """At least n bytes from s, or fewer if it closes first."""
    b = b""
    while len(b) < n:
        d = s.recv(65536)
        if not d:
            break
        b += d
    return b


def read_all(s):
    chunks = []
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    except socket.timeout:
        pass
    return b"".join(chunks)


def split_response(data):
    """(status, {lower-name: value}, body) of the first response in data."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, body


_started = []


@pytest.fixture(autouse=True)
def servers_exit_cleanly(procs):
    """Every server a test started must stop on SIGTERM with status 0 and
    without sanitizer reports (make test SAN=1)."""
    _started.clear()
    yield
    for s in _started:
        rc = s.proc.stop()
        err = s.proc.p.stderr.read() if not s.proc.p.stderr.closed else b""
        assert b"Sanitizer" not in err and b"runtime error" not in err, err
        assert rc == 0, (rc, err[-3000:])
    _started.clear()


def start(procs, *args, directory=None, port=None, host="127.0.0.1",
          scheme="http", wait_host=None, env=None):
    """Start httptool serve with args on a free port; returns Server."""
    port = port or free_port()
    argv = [HTTPTOOL, "serve", str(port), "--threads", "2"]
    if host != "127.0.0.1":
        argv += ["-b", host]
    if directory:
        argv += ["-d", str(directory)]
    argv += [str(a) for a in args]
    p = procs(argv, env=env) if env else procs(argv)
    wait_port(port, host=wait_host or host, proc=p.p)
    s = Server(p, port, wait_host or host, scheme)
    _started.append(s)
    return s


@pytest.fixture
def site(tmp_path):
    """A copy of tests/data/serve/site with traversal bait around it."""
    root = tmp_path / "root"
    shutil.copytree(SITE, root)
    (tmp_path / "secret.txt").write_text("TOP SECRET\n")
    (root / ".hidden").write_text("dotfile\n")
    os.symlink(str(tmp_path / "secret.txt"), str(root / "escape.txt"))
    os.symlink(str(tmp_path), str(root / "escape-dir"))
    os.symlink("hello.txt", str(root / "inside-link.txt"))
    os.symlink(str(root / "hello.txt"), str(root / "abs-inside.txt"))
    return root


@pytest.fixture
def srv(procs, site):
    return start(procs, "--quiet", directory=site)


def test_startup_line_and_default_bind(procs, tmp_path):
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "-d", str(tmp_path)])
    wait_port(port, proc=p.p)
    line = p.p.stdout.readline().decode()
    assert line == ("Serving HTTP on 127.0.0.1 port %d "
                    "(http://127.0.0.1:%d/) ...\n" % (port, port))
    assert b"-b 0.0.0.0" in p.p.stdout.readline()


def test_sigterm_and_sigint_stop_cleanly(procs, tmp_path):
    for sig in (signal.SIGTERM, signal.SIGINT):
        s = start(procs, "--quiet", directory=tmp_path)
        assert s.get("/hello")[0] == 404
        assert s.proc.stop(sig) == 0


def test_stop_waits_for_inflight_response(procs, tmp_path):
    s = start(procs, "--quiet", directory=tmp_path)
    c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    c.sendall(b"GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    s.proc.p.send_signal(signal.SIGTERM)
    data = read_all(c)
    c.close()
    assert data.startswith(b"HTTP/1.1 200 OK"), data
    assert b"Connection: close" in data
    assert s.proc.p.wait(timeout=10) == 0


def test_second_signal_during_drain_is_absorbed(procs, tmp_path):
    """timeout(1) sends SIGTERM to the process and again to its group; a
    second signal while the in-flight response drains must neither kill
    the server (status -15) nor cut the response short."""
    s = start(procs, "--quiet", directory=tmp_path)
    c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    c.sendall(b"GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    s.proc.p.send_signal(signal.SIGTERM)
    time.sleep(0.2)     # the first one has been taken by now
    s.proc.p.send_signal(signal.SIGTERM)
    s.proc.p.send_signal(signal.SIGINT)
    data = read_all(c)
    c.close()
    assert data.startswith(b"HTTP/1.1 200 OK"), data
    assert s.proc.p.wait(timeout=10) == 0


def test_port_in_use_fails(procs, tmp_path):
    s = start(procs, "--quiet", directory=tmp_path)
    r = subprocess.run([HTTPTOOL, "serve", str(s.port), "--threads", "1"],
                       capture_output=True, timeout=10)
    assert r.returncode == 1
    assert b"httptool serve: cannot listen on 127.0.0.1 port" in r.stderr
    assert b"in use" in r.stderr


def test_bad_options(tmp_path):
    for args, msg in ((["--threads", "0"], b"--threads"),
                      (["--log-format", "xml"], b"log format"),
                      (["70000"], b"port"),
                      (["--cert", "x.pem"], b"--cert and --key"),
                      (["--header-timeout", "0"], b"--header-timeout"),
                      (["1", "2"], b"unexpected argument '2'")):
        r = subprocess.run([HTTPTOOL, "serve", *args], capture_output=True,
                           timeout=10)
        assert r.returncode == 2, args
        assert r.stderr.startswith(b"httptool serve: "), r.stderr
        assert msg in r.stderr, r.stderr
    r = subprocess.run([HTTPTOOL, "serve", "-d", str(tmp_path / "nope"),
                        str(free_port())], capture_output=True, timeout=10)
    assert r.returncode == 1
    assert b"cannot open directory" in r.stderr


def test_file_content_type_length_and_head(srv):
    status, h, body = srv.get("/hello.txt")
    assert status == 200
    assert body == b"hello from httptool\n"
    assert h["Content-Type"].startswith("text/plain")
    assert h["Content-Length"] == str(len(body))
    assert srv.get("/style.css")[1]["Content-Type"].startswith("text/css")
    assert srv.get("/data.json")[1]["Content-Type"].startswith(
        "application/json")
    status, h, body = srv.get("/hello.txt", method="HEAD")
    assert status == 200 and body == b""
    assert h["Content-Length"] == "20"


def test_large_file_sendfile(srv, site):
    blob = os.urandom(3 << 20)
    (site / "big.bin").write_bytes(blob)
    status, h, body = srv.get("/big.bin")
    assert status == 200 and body == blob
    assert h["Content-Type"] == "application/octet-stream"


def test_listing_sorted_dirs_with_slash(srv):
    status, h, body = srv.get("/nested/")
    assert status == 200
    assert h["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "<title>Directory listing for /nested/</title>" in page
    assert '<a href="two%20words.txt">two words.txt</a>' in page
    assert "Test routes" not in page          # only on /
    page = srv.get("/")[2].decode()
    names = [l.split('">')[1].split("</a>")[0]
             for l in page.splitlines() if l.startswith("<li><a href=\"")
             and "&mdash;" not in l]
    assert "nested/" in names and "withindex/" in names
    assert names == sorted(names, key=str.lower)
    assert "Test routes" in page
    for route in ("/test_get", "/test_post", "/get?name=value", "/status/418",
                  "/fault/reset", "/login", "/upload"):
        assert 'href="%s"' % route in page, route


def test_index_html_and_trailing_slash_redirect(srv):
    status, h, body = srv.get("/withindex/")
    assert status == 200 and b"index page" in body
    assert h["content-type"].startswith("text/html")   # the index's type
    data = srv.raw(b"GET /withindex?x=1 HTTP/1.1\r\nHost: a\r\n"
                   b"Connection: close\r\n\r\n")
    status, h, _ = split_response(data)
    assert status == 301
    assert h["location"] == "/withindex/?x=1"


def test_root_index_html_replaces_lab_page(procs, tmp_path):
    (tmp_path / "index.html").write_text("<p>my own index</p>\n")
    s = start(procs, "--quiet", directory=tmp_path)
    status, h, body = s.get("/")
    assert status == 200 and body == b"<p>my own index</p>\n"
    assert h["content-type"].startswith("text/html")


def test_conditional_requests(srv):
    status, h, body = srv.get("/hello.txt")
    etag, lm = h["ETag"], h["Last-Modified"]
    assert etag.startswith('"') and email.utils.parsedate_to_datetime(lm)
    assert srv.get("/hello.txt", {"If-None-Match": etag})[0] == 304
    assert srv.get("/hello.txt", {"If-None-Match": 'W/' + etag})[0] == 304
    assert srv.get("/hello.txt", {"If-None-Match": '"other"'})[0] == 200
    assert srv.get("/hello.txt", {"If-Modified-Since": lm})[0] == 304
    old = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert srv.get("/hello.txt", {"If-Modified-Since": old})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    assert srv.get("/hello.txt", {"If-None-Match": '"x"',
                                  "If-Modified-Since": lm})[0] == 200
    data = srv.raw(b"GET /hello.txt HTTP/1.1\r\nHost: a\r\nIf-None-Match: "
                   + etag.encode() + b"\r\nConnection: close\r\n\r\n")
    assert data.endswith(b"\r\n\r\n")             # 304 has no body


def test_ranges(srv):
    status, h, body = srv.get("/alpha.txt", {"Range": "bytes=2-4"})
    assert status == 206 and body == b"cde"
    assert h["Content-Range"] == "bytes 2-4/26"
    assert srv.get("/alpha.txt", {"Range": "bytes=-3"})[2] == b"xyz"
    assert srv.get("/alpha.txt", {"Range": "bytes=23-"})[2] == b"xyz"
    assert srv.get("/alpha.txt", {"Range": "bytes=20-99"})[2] == b"uvwxyz"
    status, h, body = srv.get("/alpha.txt", {"Range": "bytes=0-1,24-25"})
    assert status == 206
    ctype = h["Content-Type"]
    assert ctype.startswith("multipart/byteranges; boundary=")
    boundary = ctype.split("boundary=")[1].encode()
    parts = body.split(b"--" + boundary)
    assert parts[-1] == b"--\r\n"
    assert b"Content-Range: bytes 0-1/26\r\n\r\nab\r\n" in parts[1]
    assert b"Content-Range: bytes 24-25/26\r\n\r\nyz\r\n" in parts[2]
    status, h, _ = srv.get("/alpha.txt", {"Range": "bytes=30-40"})
    assert status == 416 and h["Content-Range"] == "bytes */26"
    # not bytes, or malformed: ignored, whole file
    assert srv.get("/alpha.txt", {"Range": "lines=1-2"})[0] == 200
    assert srv.get("/alpha.txt", {"Range": "bytes=5-2"})[0] == 200
    # If-Range with a stale validator: whole file
    assert srv.get("/alpha.txt", {"Range": "bytes=0-1",
                                  "If-Range": '"stale"'})[0] == 200


TRAVERSALS = [
    b"/../secret.txt", b"/nested/../../secret.txt", b"/%2e%2e/secret.txt",
    b"/%2E%2E/secret.txt", b"/nested/%2e%2e/%2e%2e/secret.txt",
    b"/..%2fsecret.txt", b"/%2e%2e%2fsecret.txt", b"/hello.txt%00.html",
    b"/%00", b"/..", b"/nested/..%2f..%2fsecret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_is_refused(srv, target):
    data = srv.raw(b"GET " + target + b" HTTP/1.1\r\nHost: a\r\n"
                   b"Connection: close\r\n\r\n")
    status, _, body = split_response(data)
    assert status in (400, 403, 404), data
    assert b"SECRET" not in data


def test_symlinks_out_of_dir_are_not_followed(srv):
    for path in ("/escape.txt", "/escape-dir/secret.txt", "/escape-dir/"):
        status, _, body = srv.get(path)
        assert status == 404, path
        assert b"SECRET" not in body and b"secret.txt" not in body
    assert srv.get("/inside-link.txt")[2] == b"hello from httptool\n"
    assert srv.get("/abs-inside.txt")[2] == b"hello from httptool\n"


def test_absolute_form_target_cannot_escape(srv):
    data = srv.raw(b"GET http://a/../secret.txt HTTP/1.1\r\nHost: a\r\n"
                   b"Connection: close\r\n\r\n")
    assert b"SECRET" not in data
    assert split_response(data)[0] in (400, 403, 404)


def test_lab_post_echo(srv):
    status, h, body = srv.get("/some/where", method="POST",
                              data=b"name=ann&x=1")
    assert status == 200
    assert body == b"received post request:<br>name=ann&amp;x=1"
    # also on / and on a file's path
    assert srv.get("/", method="POST", data=b"hi")[2].endswith(b"<br>hi")
    assert srv.get("/hello.txt", method="POST",
                   data=b"x")[2].endswith(b"<br>x")


def test_lab_forms(srv):
    page = srv.get("/test_get")[2].decode()
    assert '<form action="/get" method="get">' in page
    page = srv.get("/test_post")[2].decode()
    assert 'action="/post" method="post"' in page
    assert 'enctype="multipart/form-data"' in page


def test_session_lab(srv):
    status, h, _ = srv.get("/whoami")
    assert status == 401
    assert b"/login" in srv.get("/login")[2]
    status, h, body = srv.get("/login", method="POST",
                              data=b"user=alice&password=x")
    assert status == 200
    cookie = h["Set-Cookie"]
    assert cookie.startswith("sessionid=") and "HttpOnly" in cookie
    sid = cookie.split(";")[0]
    status, _, body = srv.get("/whoami", {"Cookie": sid})
    assert status == 200 and body == b"logged in as alice\n"
    assert srv.get("/whoami", {"Cookie": "sessionid=" + "0" * 32})[0] == 401
    assert srv.get("/logout", {"Cookie": sid})[0] == 200
    assert srv.get("/whoami", {"Cookie": sid})[0] == 401


def test_file_shadows_route(procs, tmp_path):
    (tmp_path / "ip").write_text("a file named ip\n")
    s = start(procs, "--quiet", directory=tmp_path)
    assert s.get("/ip")[2] == b"a file named ip\n"
    assert b'"Host"' in s.get("/headers")[2]


def test_ipv6_and_dual_stack(procs, tmp_path):
    (tmp_path / "f.txt").write_text("v6\n")
    s = start(procs, "--quiet", directory=tmp_path, host="::1")
    data = s.raw(b"GET /f.txt HTTP/1.1\r\nHost: [::1]\r\n"
                 b"Connection: close\r\n\r\n", family=socket.AF_INET6)
    assert data.endswith(b"\r\n\r\nv6\n")
    s2 = start(procs, "--quiet", directory=tmp_path, host="::",
               wait_host="127.0.0.1")
    assert s2.get("/f.txt")[2] == b"v6\n"
    body = Server(None, s2.port, "::1").raw(
        b"GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        family=socket.AF_INET6)
    assert b'"origin": "::1"' in body


def test_small_file_cache_sees_every_change(srv, site, tmp_path):
    f = site / "changing.txt"
    f.write_bytes(b"version 1\n")
    for _ in range(2):                       # the second read is cached
        assert srv.get("/changing.txt")[2] == b"version 1\n"
    f.write_bytes(b"version 2\n")            # same size, in place
    assert srv.get("/changing.txt")[2] == b"version 2\n"
    tmp = site / "new.tmp"
    tmp.write_bytes(b"version 3\n")
    os.rename(str(tmp), str(f))              # an editor's atomic save
    assert srv.get("/changing.txt")[2] == b"version 3\n"
    f.unlink()
    assert srv.get("/changing.txt")[0] == 404
    os.symlink(str(tmp_path / "secret.txt"), str(f))   # re-pointed outside
    status, _, body = srv.get("/changing.txt")
    assert status == 404 and b"SECRET" not in body


def test_small_file_cache_sees_a_change_on_a_kept_connection(procs, site):
    """The cache checks a file once per wake-up of the loop: a request
    sent after a change, on the same keep-alive connection and the only
    thread, gets the new bytes."""
    s = start(procs, "--quiet", "--threads", "1", directory=site)
    f = site / "changing.txt"
    f.write_bytes(b"version 1\n")
    req = b"GET /changing.txt HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", s.port), timeout=5) as c:
        for want in (b"version 1\n", b"version 1\n", b"version 2\n"):
            if want == b"version 2\n":
                f.write_bytes(want)          # same size, in place
            c.sendall(req)
            data = b""
            while not data.endswith(want) or b"\r\n\r\n" not in data:
                d = c.recv(65536)
                assert d, data
                data += d
                if len(data) > 4096:
                    break
            assert data.endswith(want), data


def test_listing_of_an_empty_folder(procs, tmp_path):
    """An empty folder is listed (no entries), not a crash; under SAN=1
    the fixture also fails on a sanitizer report (qsort of no array)."""
    s = start(procs, "--quiet", directory=tmp_path)
    status, _, body = s.get("/")
    assert status == 200
    assert b"Directory listing for /" in body
    assert b"<hr>\n<ul>\n</ul>\n" in body     # the folder's own list
