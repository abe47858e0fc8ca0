"""httptool serve against real clients (curl, wget, urllib, ab, wrk,
headless Chromium), TLS, the echo mode and the access log formats."""
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request

import pytest

from conftest import DATA, HTTPTOOL, free_port, require, wait_port
from test_serve import servers_exit_cleanly, SITE, read_all, recv_n, start

assert servers_exit_cleanly  # autouse: imported to apply here too


@pytest.fixture
def srv(procs, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return start(procs, "--quiet", directory=root)


def run(argv, timeout=60, **kw):
    return subprocess.run(argv, capture_output=True, timeout=timeout, **kw)


def test_curl(srv):
    curl = require("curl")
    r = run([curl, "-sS", "--fail", srv.base + "/hello.txt"])
    assert r.returncode == 0 and r.stdout == b"hello from httptool\n"
    r = run([curl, "-sS", "--http1.0", srv.base + "/hello.txt"])
    assert r.stdout == b"hello from httptool\n"
    r = run([curl, "-sS", "-r", "0-4", srv.base + "/alpha.txt"])
    assert r.stdout == b"abcde"
    # several URLs over one keep-alive connection
    r = run([curl, "-sS", "-v", srv.base + "/hello.txt", srv.base + "/ip"])
    assert b"Re-using existing connection" in r.stderr or \
        b"Reusing existing connection" in r.stderr
    r = run([curl, "-sS", "-d", "a=1", srv.base + "/post"])
    assert json.loads(r.stdout)["form"] == {"a": "1"}
    r = run([curl, "-sS", "-T", "-", "-H", "Expect: 100-continue",
             srv.base + "/put"], input=b"x" * 5000)
    assert len(json.loads(r.stdout)["data"]) == 5000
    r = run([curl, "-sS", "-L", "--max-redirs", "5", srv.base + "/redirect/3"])
    assert json.loads(r.stdout)["url"].endswith("/get")
    r = run([curl, "-sS", "--compressed", srv.base + "/gzip"])
    assert json.loads(r.stdout)["gzipped"] is True
    r = run([curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}",
             "-z", "Sun, 01 Jan 2040 00:00:00 GMT", srv.base + "/hello.txt"])
    assert r.stdout == b"304"


def test_wget_mirrors_a_listing(srv, tmp_path):
    wget = require("wget")
    out = tmp_path / "mirror"
    r = run([wget, "-q", "-r", "-np", "-nH", "-P", str(out),
             srv.base + "/nested/"])
    assert r.returncode == 0, r.stderr
    assert (out / "nested" / "two words.txt").read_text() == \
        "a file with a space\n"
    r = run([wget, "-q", "-O", "-", srv.base + "/hello.txt"])
    assert r.stdout == b"hello from httptool\n"


def test_python_urllib(srv):
    with urllib.request.urlopen(srv.base + "/json", timeout=10) as r:
        assert r.status == 200 and "slideshow" in json.load(r)
    req = urllib.request.Request(srv.base + "/anything", data=b'{"a": 1}',
                                 headers={"Content-Type": "application/json"},
                                 method="PATCH")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert json.load(r)["json"] == {"a": 1}


def test_ab(srv):
    ab = require("ab")
    r = run([ab, "-q", "-n", "400", "-c", "8", "-k", srv.base + "/hello.txt"])
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert re.search(r"Complete requests:\s+400", out)
    assert re.search(r"Failed requests:\s+0", out)
    assert re.search(r"Keep-Alive requests:\s+400", out)


def test_wrk(srv):
    wrk = require("wrk")
    r = run([wrk, "-t1", "-c8", "-d1s", srv.base + "/get"])
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert "Socket errors" not in out and "Non-2xx" not in out, out
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert m and float(m.group(1)) > 100, out


def chromium(*args, timeout=60):
    exe = require("chromium")
    return subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", *args],
        capture_output=True, timeout=timeout)


def test_chromium_listing_and_form(procs, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    shutil.copy(os.path.join(DATA, "serve", "chromium", "submit.html"), root)
    s = start(procs, directory=root)
    r = chromium("--user-data-dir=%s" % (tmp_path / "ud1"), "--dump-dom",
                 s.base + "/")
    dom = r.stdout.decode()
    assert "<h1>Directory listing for /</h1>" in dom, r.stderr[-2000:]
    assert 'href="hello.txt"' in dom and "Test routes" in dom
    # submit.html loads /test_post in a frame, fills and submits its form,
    # then copies the /post reply into the page
    r = chromium("--user-data-dir=%s" % (tmp_path / "ud2"),
                 "--virtual-time-budget=8000", "--dump-dom",
                 s.base + "/submit.html")
    dom = r.stdout.decode()
    m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert m, dom[-2000:]
    reply = json.loads(m.group(1).replace("&quot;", '"')
                       .replace("&amp;", "&").replace("&lt;", "<")
                       .replace("&gt;", ">"))
    assert reply["form"] == {"name": "chromium", "message": "hello"}
    assert "HeadlessChrome" in reply["headers"]["User-Agent"]
    s.proc.stop()
    log = s.proc.p.stderr.read().decode()
    assert '"POST /post HTTP/1.1" 200' in log


def tls_server(procs, tmp_path, *extra):
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--tls", "--quiet",
               "-d", str(tmp_path), *extra])
    wait_port(port, proc=p.p)
    lines = [p.p.stdout.readline().decode() for _ in range(3)]
    return p, port, lines


def server_fingerprint(port):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as t:
            der = t.getpeercert(binary_form=True)
            alpn = t.selected_alpn_protocol()
    import hashlib
    fp = hashlib.sha256(der).hexdigest().upper()
    return ":".join(fp[i:i + 2] for i in range(0, len(fp), 2)), alpn


def test_tls_self_signed(procs, tmp_path):
    (tmp_path / "f.txt").write_text("over tls\n")
    p, port, lines = tls_server(procs, tmp_path)
    assert lines[0].startswith("Serving HTTPS on 127.0.0.1 port %d "
                               "(https://127.0.0.1:%d/)" % (port, port))
    fp_line = [l for l in lines if "fingerprint" in l][0]
    printed = fp_line.split("fingerprint ")[1].strip()
    fp, alpn = server_fingerprint(port)
    assert printed == fp
    assert alpn == "h2"          # HTTP/2 is preferred when offered (issue 16)
    curl = require("curl")
    r = run([curl, "-sS", "-k", "https://127.0.0.1:%d/f.txt" % port])
    assert r.returncode == 0 and r.stdout == b"over tls\n"
    r = run([curl, "-sS", "-k", "https://localhost:%d/get" % port])
    assert json.loads(r.stdout)["url"] == "https://localhost:%d/get" % port
    # without -k the self-signed certificate is refused
    r = run([curl, "-sS", "https://127.0.0.1:%d/f.txt" % port])
    assert r.returncode == 60
    # big body through TLS (no sendfile there)
    blob = os.urandom(3 << 20)
    (tmp_path / "big.bin").write_bytes(blob)
    r = run([curl, "-sS", "-k", "https://127.0.0.1:%d/big.bin" % port])
    assert r.stdout == blob
    r = run([curl, "-sS", "-k", "https://127.0.0.1:%d/bytes/500000" % port,
             "https://127.0.0.1:%d/ip" % port])
    assert len(r.stdout) == 500000 + len(b'{\n  "origin": "127.0.0.1"\n}\n')
    # plain HTTP to the TLS port does not crash it
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            read_all(c)
        except ConnectionResetError:
            pass
    assert p.p.poll() is None


def test_tls_given_cert(procs, tmp_path):
    openssl = require("openssl")
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    r = run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "2",
             "-subj", "/CN=localhost"])
    assert r.returncode == 0, r.stderr
    p, port, lines = tls_server(procs, tmp_path, "--cert", cert,
                                "--key", key)
    r = run([openssl, "x509", "-in", str(cert), "-noout", "-fingerprint",
             "-sha256"])
    want = r.stdout.decode().strip().split("=")[1]
    assert any(want in l for l in lines), lines
    r = run([require("curl"), "-sS", "--cacert", str(cert),
             "https://localhost:%d/ip" % port])
    assert json.loads(r.stdout) == {"origin": "127.0.0.1"}


def test_tls_bad_key(tmp_path):
    (tmp_path / "c.pem").write_text("not a cert\n")
    r = subprocess.run([HTTPTOOL, "serve", str(free_port()), "--cert",
                        str(tmp_path / "c.pem"), "--key",
                        str(tmp_path / "c.pem")], capture_output=True,
                       timeout=10)
    assert r.returncode == 1
    assert r.stderr.startswith(b"httptool serve: cannot load --cert")


def test_echo_many_connections(procs):
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--echo"])
    wait_port(port, proc=p.p)
    assert p.p.stdout.readline().startswith(
        b"Echoing TCP on 127.0.0.1 port %d" % port)
    socks = [socket.create_connection(("127.0.0.1", port), timeout=5)
             for _ in range(8)]
    got = [b""] * len(socks)
    for rnd in range(3):
        for i, s in enumerate(socks):
            s.sendall(b"conn %d round %d\n" % (i, rnd))
    for i, s in enumerate(socks):
        want = b"".join(b"conn %d round %d\n" % (i, r) for r in range(3))
        while len(got[i]) < len(want):
            d = s.recv(4096)
            assert d
            got[i] += d
        assert got[i] == want
    # a line "exit" closes just that connection, and is not echoed
    socks[0].sendall(b"bye\r\nexit\r\n")
    assert read_all(socks[0]) == b"bye\r\n"
    socks[1].sendall(b"still here\n")
    assert socks[1].recv(100) == b"still here\n"
    # binary and large data come back intact
    blob = os.urandom(1 << 20).replace(b"\n", b"")
    out = []
    t = threading.Thread(target=lambda: out.append(
        recv_n(socks[2], len(blob))))
    t.start()
    socks[2].sendall(blob)
    t.join(10)
    assert out and out[0] == blob
    for s in socks:
        s.close()


def serve_log(procs, tmp_path, *args):
    (tmp_path / "f.txt").write_text("x\n")
    # one loop thread: each thread writes its buffered lines once per
    # loop turn, so with two the lines of back-to-back requests from
    # different connections can come out of order
    s = start(procs, "--threads", "1", *args, directory=tmp_path)
    s.get("/f.txt")
    s.get("/missing")
    s.raw(b"GET / HTTP/1.1\nHost: x\n\n", shut=False)
    s.proc.stop()
    return s.proc.p.stderr.read().decode().splitlines()


def test_log_python_format(procs, tmp_path):
    lines = serve_log(procs, tmp_path)
    assert re.match(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4} \d\d:\d\d:\d\d\] '
                    r'"GET /f\.txt HTTP/1\.1" 200 2$', lines[0]), lines
    assert '"GET /missing HTTP/1.1" 404' in lines[1]
    assert '"GET / HTTP/1.1" 400' in lines[2]


def test_log_common_and_json(procs, tmp_path):
    lines = serve_log(procs, tmp_path, "--log-format", "common")
    assert re.match(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d '
                    r'[+-]\d{4}\] "GET /f\.txt HTTP/1\.1" 200 2$', lines[0])
    (tmp_path / "j").mkdir()
    lines = serve_log(procs, tmp_path / "j", "--log-format", "json")
    recs = [json.loads(l) for l in lines]
    assert recs[0]["request"] == "GET /f.txt HTTP/1.1"
    assert recs[0]["status"] == 200 and recs[0]["bytes"] == 2
    assert recs[0]["remote"] == "127.0.0.1"
    assert recs[1]["status"] == 404 and recs[2]["status"] == 400


def test_quiet_has_no_log(procs, tmp_path):
    assert serve_log(procs, tmp_path, "--quiet") == []
