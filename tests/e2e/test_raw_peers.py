"""httptool raw against real servers: nginx (keep-alive, pipelining,
Connection: close) and TLS with `openssl s_server` and Python's ssl (SNI,
ALPN, verification on by default, -k)."""
import os
import ssl
import subprocess

import pytest

from conftest import HTTPTOOL, free_port, require, run, wait_port
from test_raw import GET, Peer, Pty, raw


@pytest.fixture
def nginx(procs, tmp_path):
    """nginx on a free port from a generated config; stopped by PID."""
    exe = require("nginx")
    port = free_port()
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.html").write_text("hello from nginx\n")
    conf = tmp_path / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        user +
        "daemon off;\nworker_processes 1;\npid %(d)s/nginx.pid;\n"
        "error_log %(d)s/error.log;\nevents {}\n"
        "http {\n access_log off;\n"
        " client_body_temp_path %(d)s; proxy_temp_path %(d)s;\n"
        " fastcgi_temp_path %(d)s; uwsgi_temp_path %(d)s;\n"
        " scgi_temp_path %(d)s;\n"
        " server { listen 127.0.0.1:%(p)d; root %(r)s; }\n}\n"
        % {"d": tmp_path, "p": port, "r": root})
    p = procs([exe, "-c", str(conf), "-p", str(tmp_path)])
    wait_port(port, proc=p.p)
    return port


def test_nginx_two_requests_on_one_connection(nginx):
    r, took = raw("-v", "127.0.0.1", nginx,
                  input=GET + b"GET /missing HTTP/1.1\nHost: a\n\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(b"hello from nginx\n") == 1
    assert b"HTTP/1.1 404 Not Found" in r.stdout
    err = r.stderr.decode()
    assert "* response 1 to GET: HTTP/1.1 200 OK" in err
    assert "* body: Content-Length 17" in err
    assert "* response 2 to GET: HTTP/1.1 404 Not Found" in err
    assert "* response 2 complete" in err
    assert took < 5                  # nginx keeps the connection open


def test_nginx_reply_and_close_reported(nginx):
    r, _ = raw("-v", "127.0.0.1", nginx,
               input=b"GET / HTTP/1.1\nHost: a\nConnection: close\n\n")
    assert r.returncode == 0
    assert r.stdout.startswith(b"HTTP/1.1 200 OK\r\n")
    assert r.stdout.endswith(b"\r\n\r\nhello from nginx\n")
    assert b"the server will close the connection" in r.stderr
    assert r.stderr.endswith(b"Connection closed by foreign host.\n")


def test_nginx_http10_and_head(nginx):
    r, _ = raw("-v", "http://127.0.0.1:%d/" % nginx,
               input=b"HEAD / HTTP/1.0\n\n")
    assert r.returncode == 0
    assert b"* body: none (answer to HEAD)" in r.stderr
    assert b"hello from nginx" not in r.stdout
    assert b"Connection closed by foreign host." in r.stderr


def test_nginx_rejects_garbage_and_raw_says_so(nginx):
    r, _ = raw("-v", "127.0.0.1", nginx, input=b"HELLO\n\n")
    assert b"HTTP/1.1 400 Bad Request" in r.stdout
    assert b"* response 1 (no request pending): HTTP/1.1 400" in r.stderr
    assert b"Connection closed by foreign host." in r.stderr


# ---- TLS ---------------------------------------------------------------

@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    """A throwaway self-signed certificate for localhost and 127.0.0.1."""
    require("openssl")
    d = tmp_path_factory.mktemp("cert")
    key, crt = d / "key.pem", d / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(crt), "-days", "2",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return str(crt), str(key)


@pytest.fixture
def s_server(procs, cert):
    """openssl s_server -www (answers GET with a status page, then closes)."""
    port = free_port()
    p = procs(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port,
               "-cert", cert[0], "-key", cert[1], "-www", "-alpn",
               "http/1.1"], stdin=subprocess.DEVNULL)
    wait_port(port, proc=p.p)
    return port


def test_tls_s_server_with_insecure(s_server):
    r, _ = raw("--tls", "-k", "-v", "--alpn", "h2,http/1.1", "127.0.0.1",
               s_server, input=b"GET / HTTP/1.0\n\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"HTTP/1.0 200 ok\r\n")
    err = r.stderr.decode()
    assert "* TLS: TLSv1.3, cipher TLS_" in err
    assert "ALPN http/1.1" in err
    assert "(not verified: -k)" in err
    assert err.endswith("Connection closed by foreign host.\n")


def test_tls_verifies_by_default(s_server):
    r, _ = raw("--tls", "127.0.0.1", s_server, input=b"GET / HTTP/1.0\n\n")
    assert r.returncode == 1
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 2 and lines[0].startswith("Trying 127.0.0.1")
    assert lines[1].startswith("httptool raw: TLS handshake with 127.0.0.1 "
                               "port %d failed: certificate verify failed"
                               % s_server)


def test_tls_verified_with_trusted_ca_and_host_checked(s_server, cert):
    env = {"SSL_CERT_FILE": cert[0]}
    r = run("raw", "--tls", "-v", "localhost", s_server,
            input=b"GET / HTTP/1.0\n\n", env=env, timeout=20)
    assert r.returncode == 0, r.stderr
    assert b"(verified)" in r.stderr
    assert b"HTTP/1.0 200 ok" in r.stdout
    r = run("raw", "-v", "https://127.0.0.1:%d/" % s_server,
            input=b"GET / HTTP/1.0\n\n", env=env, timeout=20)
    assert r.returncode == 0, r.stderr
    r = run("raw", "--tls", "--sni", "other.example", "127.0.0.1", s_server,
            input=b"GET / HTTP/1.0\n\n", env=env, timeout=20)
    assert r.returncode == 1
    assert b"certificate verify failed" in r.stderr


def test_tls_cacert_and_capath_replace_the_system_store(s_server, cert,
                                                       tmp_path):
    r = run("raw", "--tls", "-v", "--cacert", cert[0], "localhost", s_server,
            input=b"GET / HTTP/1.0\n\n", timeout=20)
    assert r.returncode == 0, r.stderr
    assert b"(verified)" in r.stderr and b"HTTP/1.0 200 ok" in r.stdout
    # a hashed folder, as c_rehash / openssl rehash makes it
    h = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", cert[0]],
                       capture_output=True, check=True).stdout.decode().strip()
    os.symlink(cert[0], str(tmp_path / ("%s.0" % h)))
    r = run("raw", "-v", "--capath", str(tmp_path),
            "https://localhost:%d/" % s_server,
            input=b"GET / HTTP/1.0\n\n", timeout=20)
    assert r.returncode == 0, r.stderr
    assert b"(verified)" in r.stderr
    # given a CA file, the system's store (and SSL_CERT_FILE) is not used
    r = run("raw", "--tls", "--cacert", "/etc/hostname", "localhost",
            s_server, input=b"", timeout=20, env={"SSL_CERT_FILE": cert[0]})
    assert r.returncode == 1
    assert b"cannot load CA certificates from '/etc/hostname'" in r.stderr
    r = run("raw", "--cacert", cert[0], "127.0.0.1", "1")
    assert r.returncode == 2 and b"need --tls" in r.stderr


def test_tls_client_certificate(cert):
    """A server that requires a client certificate: --cert/--key give it."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert[0], cert[1])
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cert[0])
    peer = Peer("http", tls=ctx)
    r, _ = raw("--tls", "-k", "--cert", cert[0], "--key", cert[1],
               "127.0.0.1", peer.port, input=GET)
    assert r.returncode == 0, r.stderr
    assert b"reply 1\n" in r.stdout
    peer = Peer("http", tls=ctx)
    r, _ = raw("--tls", "-k", "-w", "3", "127.0.0.1", peer.port, input=GET)
    assert r.returncode != 0
    peer = Peer("sink")
    r, _ = raw("--tls", "-k", "--cert", "/nonexistent.pem", "127.0.0.1",
               peer.port)
    assert r.returncode == 1
    assert b"cannot load the client certificate '/nonexistent.pem'" \
        in r.stderr


def test_tls_sends_sni_and_pipelines(cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert[0], cert[1])
    seen = {}

    def on_sni(sock, name, _ctx):
        seen["sni"] = name
    ctx.sni_callback = on_sni
    peer = Peer("http", tls=ctx)
    r, took = raw("--tls", "-k", "-v", "--sni", "lab.example", "127.0.0.1",
                  peer.port, input=GET + GET)
    assert r.returncode == 0, r.stderr
    assert b"reply 1\n" in r.stdout and b"reply 2\n" in r.stdout
    assert seen.get("sni") == "lab.example"
    assert took < 5


def test_tls_handshake_with_a_plain_server_fails_cleanly():
    peer = Peer("sink")
    r, _ = raw("--tls", "-w", "3", "127.0.0.1", peer.port)
    assert r.returncode == 1
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 2 and lines[0].startswith("Trying 127.0.0.1")
    assert lines[1].startswith("httptool raw: TLS handshake with 127.0.0.1 "
                               "port %d failed: " % peer.port)


# ---- httptool serve ----------------------------------------------------

def start_serve(procs, tmp_path, *args):
    port = free_port()
    (tmp_path / "index.html").write_text("hello from serve\n")
    p = procs([HTTPTOOL, "serve", "--quiet", "-d", str(tmp_path), *args,
               str(port)], stdin=subprocess.DEVNULL)
    wait_port(port, proc=p.p)
    return port


def test_serve_echo_lab_piped(procs, tmp_path):
    port = start_serve(procs, tmp_path, "--echo")
    r, took = raw("-v", "127.0.0.1", port, input=b"hello\nexit\n")
    assert r.returncode == 0, r.stderr
    # the echo server closes on "exit" without echoing it (issue 19)
    assert r.stdout == b"hello\r\n"
    assert r.stderr.endswith(b"Connection closed by foreign host.\n")
    assert took < 3                  # the server closed on 'exit'


def test_serve_echo_lab_typed(procs, tmp_path):
    port = start_serve(procs, tmp_path, "--echo")
    t = Pty([HTTPTOOL, "raw", "127.0.0.1", str(port)])
    try:
        t.expect(b"Escape character is '^]'.")
        t.send(b"hello, echo\n")
        t.expect(b"hello, echo\r\n")         # the terminal's echo ...
        t.expect(b"* the reply is not HTTP either")
        t.expect(b"hello, echo\r\r\n")       # ... and the server's CRLF
        t.send(b"exit\n")
        t.expect(b"Connection closed by foreign host.")
        assert t.p.wait(5) == 0
    finally:
        t.close()


def test_serve_reply_close_and_pipelining(procs, tmp_path):
    port = start_serve(procs, tmp_path)
    r, took = raw("-v", "127.0.0.1", port, input=GET.replace(b"/", b"/index.html", 1) + GET)
    assert r.returncode == 0, r.stderr
    assert b"hello from serve\n" in r.stdout
    assert b"* response 2 complete" in r.stderr
    assert took < 5
    r, _ = raw("-v", "127.0.0.1", port,
               input=b"GET /index.html HTTP/1.1\nHost: a\nConnection: close\n\n")
    assert r.stdout.endswith(b"hello from serve\n")
    assert r.stderr.endswith(b"Connection closed by foreign host.\n")


def test_serve_tls(procs, tmp_path):
    port = start_serve(procs, tmp_path, "--tls")
    r, _ = raw("--tls", "-k", "-v", "127.0.0.1", port,
               input=GET.replace(b"/", b"/index.html", 1) + GET)
    assert r.returncode == 0, r.stderr
    assert b"hello from serve\n" in r.stdout
    assert b"* TLS: TLSv1.3" in r.stderr
    assert b"* response 2 complete" in r.stderr
    r, _ = raw("--tls", "127.0.0.1", port, input=GET)
    assert r.returncode == 1
    assert b"certificate verify failed" in r.stderr


def test_tls_half_close_sends_close_notify_and_reads_on(cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert[0], cert[1])
    peer = Peer("http", delay=0.3, tls=ctx)
    r, took = raw("--tls", "-k", "-N", "127.0.0.1", peer.port, input=GET)
    assert r.returncode == 0, r.stderr
    assert b"reply 1\n" in r.stdout             # read after our close_notify
    assert peer.saw_eof.is_set()
    assert b"Connection closed by foreign host." in r.stderr
    assert took < 5


def test_tls_hex_shows_the_plaintext(cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert[0], cert[1])
    peer = Peer("http", tls=ctx)
    r, _ = raw("--tls", "-k", "-x", "127.0.0.1", peer.port, input=GET)
    assert r.returncode == 0, r.stderr
    assert b"  GET / HTTP/1.1.." in r.stdout
    assert b"  HTTP/1.1 200 OK." in r.stdout
