"""Peers for the client's e2e tests (no tests here).

- httpbin: Debian's python3-httpbin, an independent HTTP implementation,
  run on 127.0.0.1:<free port> once per test module and stopped by PID.
- stub: a small http.server (HTTP/1.1, keep-alive) for what httpbin lacks:
  connection counting, retries, binary and JSON bodies, empty replies,
  a Unix socket.
"""
import os
import subprocess
import sys

import pytest

from conftest import Proc, free_port, wait_port

PYTHON = "/usr/bin/python3"

STUB = r'''
import json, os, socketserver, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

counts = {"conns": 0, "requests": 0}
lock = threading.Lock()

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def address_string(self):
        return "local"

    def setup(self):
        super().setup()
        with lock:
            counts["conns"] += 1

    def send(self, code, body, ctype="text/plain", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        data = self.body()
        p = self.path.split("?")[0]
        with lock:
            counts["requests"] += 1
        if p == "/ka":
            self.send(200, b"ok\n")
        elif p.startswith("/retry/"):
            n, key = p.split("/")[2:4]
            with lock:
                c = counts.get(key, 0)
                counts[key] = c + 1
            if c < int(n):
                self.send(503, b"busy\n")
            else:
                self.send(200, b"done\n")
        elif p == "/json":
            self.send(200, b'{"b":[1,2],"a":"x","n":null}', "application/json")
        elif p == "/bin":
            self.send(200, bytes(range(256)) * 4, "application/octet-stream")
        elif p.startswith("/big/"):
            n = int(p[5:])
            self.send(200, b"x" * n, "application/octet-stream")
        elif p == "/count":
            self.send(200, json.dumps(counts).encode(), "application/json")
        elif p == "/close":
            self.close_connection = True
        elif p == "/echo":
            head = "%s %s %s\n" % (self.command, self.path, self.request_version)
            head += "".join("%s: %s\n" % kv for kv in self.headers.items())
            self.send(200, head.encode() + b"\n" + data)
        else:
            self.send(404, b"nope\n")

    do_HEAD = do_GET
    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET
    do_PATCH = do_GET
    do_OPTIONS = do_GET

class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

where = sys.argv[1]
if where.isdigit():
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer(("127.0.0.1", int(where)), H)
else:
    srv = UnixServer(where, H)
    open(where + ".ready", "w").close()
srv.serve_forever()
'''


def start_httpbin():
    port = free_port()
    p = Proc([PYTHON, "-m", "httpbin.core", "--host", "127.0.0.1",
              "--port", str(port)],
             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc=p.p, timeout=20)
    return p, "http://127.0.0.1:%d" % port


def start_stub(where=None):
    port = free_port() if where is None else None
    p = Proc([PYTHON, "-c", STUB, str(port) if port else where],
             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if port:
        wait_port(port, proc=p.p)
        return p, "http://127.0.0.1:%d" % port
    import time
    deadline = time.monotonic() + 10
    while not os.path.exists(where + ".ready"):
        assert p.p.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    return p, where


@pytest.fixture(scope="module")
def httpbin():
    p, url = start_httpbin()
    yield url
    p.stop()


@pytest.fixture(scope="module")
def stub():
    p, url = start_stub()
    yield url
    p.stop()


def run_pty(argv, env=None, timeout=20):
    """Run argv with stdout and stderr on one pty; returns (rc, bytes)."""
    import pty
    import select
    import time
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e["TERM"] = "xterm"
    if env:
        e.update(env)
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=slave, env=e, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif p.poll() is not None:
            break
    os.close(master)
    try:
        rc = p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    return rc, out


def start_nginx(tmp, listen_opts="", server_extra=""):
    """nginx on 127.0.0.1 serving tmp/www (HTTP/2: h2c or over TLS)."""
    port = free_port()
    www = os.path.join(tmp, "www")
    os.makedirs(os.path.join(tmp, "t"), exist_ok=True)
    os.makedirs(www, exist_ok=True)
    conf = os.path.join(tmp, "nginx.conf")
    t = os.path.join(tmp, "t")
    with open(conf, "w") as f:
        # one process, no workers: it can read pytest's 0700 tmp dirs
        f.write("""master_process off;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %(t)s; proxy_temp_path %(t)s;
    fastcgi_temp_path %(t)s; uwsgi_temp_path %(t)s; scgi_temp_path %(t)s;
    server { listen 127.0.0.1:%(p)d %(o)s; root %(w)s; %(x)s }
}
""" % {"d": tmp, "t": t, "p": port, "o": listen_opts, "w": www,
       "x": server_extra})
    p = Proc(["nginx", "-p", tmp, "-c", conf, "-g", "daemon off;"],
             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc=p.p)
    scheme = "https" if "ssl" in listen_opts else "http"
    return p, "%s://127.0.0.1:%d" % (scheme, port), www


def make_cert(tmp):
    """A self-signed EC certificate for localhost and 127.0.0.1."""
    cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return cert, key
