"""curl's options, run with httptool and with curl (7.88) against the same
byte-capturing server: the request bytes (minus User-Agent and multipart
boundaries), stdout and the exit status must be the same."""
import os
import re
import socket
import subprocess
import threading

import pytest

from conftest import HTTPTOOL, require

RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Tag: v1\r\n"
            b"Content-Type: text/plain\r\nConnection: close\r\n\r\nhello")


def read_request(c):
    """One request's bytes: head, then a Content-Length or chunked body."""
    data = b""
    while b"\r\n\r\n" not in data:
        d = c.recv(65536)
        if not d:
            return data
        data += d
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.search(rb"(?im)^content-length: *(\d+)", head)
    if m:
        while len(body) < int(m.group(1)):
            d = c.recv(65536)
            if not d:
                break
            body += d
    elif re.search(rb"(?im)^transfer-encoding: *chunked", head):
        while not body.endswith(b"0\r\n\r\n"):
            d = c.recv(65536)
            if not d:
                break
            body += d
    return head + b"\r\n\r\n" + body


class Capture:
    """Accepts connections on 127.0.0.1, keeps each request's bytes and
    answers RESPONSE, or the response given (then closes)."""

    def __init__(self, response=RESPONSE):
        self.response = response
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(16)
        self.port = self.s.getsockname()[1]
        self.requests = []
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def loop(self):
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            with c:
                c.settimeout(5)
                try:
                    self.requests.append(read_request(c))
                    c.sendall(self.response)
                except OSError:
                    pass

    def take(self):
        r, self.requests = self.requests, []
        return r

    def close(self):
        self.s.close()


@pytest.fixture(scope="module")
def cap():
    c = Capture()
    yield c
    c.close()


def normalise(req):
    req = re.sub(rb"(?im)^User-Agent: [^\r\n]*\r\n", b"", req)
    req = re.sub(rb"^(PROXY TCP4 \S+ \S+) \d+ ", rb"\1 PORT ", req)
    return re.sub(rb"-{24}[0-9a-zA-Z]{16}", b"BOUNDARY", req)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("curlcmp")
    (d / "up.txt").write_bytes(b"upload body\n")
    (d / "data.bin").write_bytes(b"line1\r\nline2\n")
    (d / "headers").write_text("X-From-File: 1\nX-Two: 2\n")
    (d / "wfmt").write_text("code=%{http_code}\n")
    (d / "netrc").write_text("machine 127.0.0.1 login nan password secret\n")
    (d / "config").write_text('# a comment\nheader = "X-Conf: a b"\n'
                              "--max-time 20\nsilent\n")
    return d


CASES = [
    ["--json", '{"a":1}', "--json", "[2]", "-H", "X: 1"],
    ["--json", "@{d}/data.bin"],
    ["-d", "a=1", "-d", "b=2"],
    ["-d", "@{d}/data.bin"],
    ["--data-binary", "@{d}/data.bin"],
    ["--data-raw", "@notafile"],
    ["--data-ascii", "x=y"],
    ["--data-urlencode", "a=b c+d&e", "--data-urlencode", "f@{d}/up.txt"],
    ["-F", "a=@{d}/up.txt", "-F", "b=text", "--form-string", "c=@literal"],
    ["-F", "a=@{d}/data.bin;type=text/x", "-F", "n=<{d}/up.txt"],
    ["--url-query", "q=a b", "--url-query", "+x=y z"],
    ["-H", "@{d}/headers"],
    ["-T", "{d}/up.txt", "{U}/dir/"],
    ["-T", "{d}/up.txt", "-X", "POST"],
    ["-T", "{d}/{up.txt,data.bin}", "{U}/dir/"],
    ["-T", "{d}/up.txt", "{U}/g/[1-2]", "-w", "%{urlnum} "],
    ["-T", "{d}/{up.txt,data.bin}", "{U}/g{a,b}/"],
    ["--oauth2-bearer", "tok"],
    ["-u", "ann:pw"],
    ["-u", "ann:pw", "--basic"],
    ["-u", "ann:pw", "--digest"],
    ["--netrc-file", "{d}/netrc"],
    ["-X", "OPTIONS", "--request-target", "*"],
    ["-X", "PATCH", "-d", "x"],
    ["-G", "-d", "a=1", "--data-urlencode", "b=c d"],
    ["-D", "-"],
    ["-D", "-", "-o", "/dev/null"],
    ["-w", "%{http_code} %{method} %header{x-tag} %{num_headers}\\n"],
    ["-w", "@{d}/wfmt"],
    ["-w", "%{header_json} %{ssl_verify_result} %{referer}%{onerror}x"],
    ["-w", "%{onerror}%{exitcode}", "-f"],
    ["-w", "%{content_type} %{size_download} %{exitcode} %{urlnum}\\n"],
    ["--max-filesize", "3"],
    ["--max-filesize", "1k"],
    ["--proto", "=https"],
    ["--proto", "-all,+http"],
    ["--raw"],
    ["--ignore-content-length"],
    ["--compressed"],
    ["--tcp-nodelay", "--keepalive-time", "5", "-4"],
    ["--limit-rate", "100k", "--no-progress-meter"],
    ["--expect100-timeout", "1", "-d", "x"],
    ["--haproxy-protocol"],
    ["-x", "{U}", "http://far.example/p?q=1"],
    ["--connect-to", "far.example:80:127.0.0.1:{P}", "http://far.example/c"],
    ["-j", "-b", "a=1"],
    ["-K", "{d}/config"],
    ["--retry-all-errors", "--retry-connrefused", "--retry", "0",
     "--retry-max-time", "1"],
    ["--post301", "--post302", "--post303", "-d", "x"],
    ["--location-trusted", "-u", "a:b"],
    ["--fail-early", "-A", "agent"],
    ["-e", "http://from.example/"],
    ["-r", "0-1"],
    ["--url", "{U}/viaurl"],
    ["-0"],
    ["{U}/g/{a,b}/[1-2].txt", "-w", "%{urlnum} "],
    ["{U}/n/[08-10:2]", "-o", "out_#1", "-w", "%{filename_effective} "],
    ["-g", "{U}/g/{a}"],
    ["{U}/bad/[1-"],
    ["--http1.1", "-H", "Host: other"],
    ["http:///127.0.0.1:{P}/three", "-w", "%{url_effective}"],
    ["http:////127.0.0.1:{P}/four"],
    # output options: stdout, files (in the run's own folder) and bytes
    ["-i"],
    ["-I"],
    ["--stderr", "-", "-w", "%{http_code}"],
    ["-O", "{U}/file.txt"],
    ["--remote-name-all", "{U}/a.txt", "{U}/b.txt"],
    ["-O", "-J", "{U}/j.txt"],
    ["--output-dir", ".", "-O", "{U}/od.txt"],
    ["--create-dirs", "-o", "x/y/z.txt"],
    ["--remove-on-error", "-o", "gone.txt", "--max-filesize", "1"],
    ["-R", "-o", "r.txt"],
    ["-N"],
    ["-L", "--max-redirs", "3", "--proto-redir", "=http"],
    ["-c", "jar.txt", "-b", "a=1"],
    ["-C", "5"],
    ["--fail-with-body"],
    ["-m", "5", "--connect-timeout", "5"],
    ["--path-as-is", "{U}/a/../b/./c"],
    ["--trace-ascii", "trace.txt"],
    ["-Z", "--parallel-max", "2", "--parallel-immediate", "{U}/z1",
     "-o", "z1", "{U}/z2", "-o", "z2"],
    # auth and netrc (no ~/.netrc: HOME is the test's folder)
    ["--anyauth", "-u", "ann:pw"],
    ["-n"],
    ["--netrc-optional", "-u", "a:b"],
    # connection
    ["--http2"],
    ["-U", "pu:pp", "-x", "{U}", "http://far.example/p"],
    ["--noproxy", "*", "-x", "http://127.0.0.1:1"],
    ["--proxy-insecure", "-x", "{U}", "http://far.example/i"],
    ["-6"],
    ["--interface", "lo", "--local-port", "40000-40999"],
    ["--resolve", "far.example:{P}:127.0.0.1", "http://far.example:{P}/r"],
    ["--tcp-fastopen", "--happy-eyeballs-timeout-ms", "100"],
    ["--alt-svc", "altsvc.txt", "--hsts", "hsts.txt"],
    # TLS options parse and change nothing on a plain HTTP request
    ["-k", "--capath", "/etc/ssl/certs", "--tlsv1.2", "--tls-max", "1.3",
     "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256", "--tls13-ciphers",
     "TLS_AES_128_GCM_SHA256", "--curves", "X25519"],
    ["--tlsv1.3", "--pinnedpubkey", "sha256//AAAA", "--cert-status"],
    ["-E", "{d}/up.txt", "--key", "{d}/up.txt", "--cert-type", "PEM",
     "--key-type", "PEM", "--pass", "x"],
]


def expand(args, d, url, port):
    return [a.replace("{d}", str(d)).replace("{U}", url)
            .replace("{P}", str(port)) for a in args]


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a)[:60])
def test_same_request_as_curl(cap, files, args, tmp_path):
    url = "http://127.0.0.1:%d" % cap.port
    argv = expand(args, files, url, cap.port)
    if not any(a.startswith("http") and "://" in a and a != url
               and not a.startswith("http://from") for a in argv) \
            and "--url" not in argv:
        argv.append(url + "/p")
    out = {}
    for tool in (require("curl"), HTTPTOOL):
        cwd = tmp_path / ("h" if tool == HTTPTOOL else "c")
        cwd.mkdir()
        env = dict(os.environ, HOME=str(cwd), NO_COLOR="1")
        cmd = [tool] + (["get"] if tool == HTTPTOOL else []) + ["-q", "-s"]
        r = subprocess.run(cmd + argv, capture_output=True, timeout=30,
                           env=env, cwd=str(cwd))
        reqs = [normalise(q) for q in cap.take()]
        # the files each wrote in its own folder (-O, -o, -c, ...), but
        # not a trace, whose text is the tool's own
        files = {str(f.relative_to(cwd)): f.read_bytes()
                 for f in cwd.rglob("*") if f.is_file()
                 and f.name != "trace.txt"}
        out[tool == HTTPTOOL] = (reqs, r.stdout, r.returncode, files)
    assert out[True][2] == out[False][2], (out, argv)
    assert out[True][0] == out[False][0], argv
    assert out[True][1] == out[False][1], argv
    assert out[True][3] == out[False][3], argv


def test_ambiguous_arguments_refused_before_sending(cap):
    url = "http://127.0.0.1:%d/p" % cap.port
    for argv, words in (
            (["post", "--json", url, "a=1"], [b"curl's --json", b"--json-items"]),
            (["post", "--json", "a=1", url], [b"curl's --json", b"--json-items"]),
            (["post", "--form", url, "a=1"], [b"curl's --form", b"HTTPie's --form"]),
            (["get", "-d", url], [b"curl's -d", b"HTTPie's -d"])):
        r = subprocess.run([HTTPTOOL] + argv, capture_output=True,
                           timeout=30)
        assert r.returncode == 2, (argv, r.stderr)
        assert r.stderr.count(b"\n") == 1, r.stderr
        for w in words:
            assert w in r.stderr, (argv, r.stderr)
    assert cap.take() == []
    # valid JSON is curl's reading, items after it are items
    r = subprocess.run([HTTPTOOL, "post", "--offline", "--json", "[1]", url],
                       capture_output=True, timeout=30)
    assert r.returncode == 0 and r.stdout.endswith(b"\n\n[1]\n\n"), r.stdout


def test_get_with_data_posts_and_head_refuses(cap):
    url = "http://127.0.0.1:%d/p" % cap.port
    r = subprocess.run([HTTPTOOL, "get", url, "a=1"], capture_output=True,
                       timeout=30)
    assert r.returncode == 0
    assert cap.take()[0].startswith(b"POST /p HTTP/1.1\r\n")
    r = subprocess.run([HTTPTOOL, "request", "GET", url, "a=1"],
                       capture_output=True, timeout=30)
    assert cap.take()[0].startswith(b"GET /p HTTP/1.1\r\n")
    r = subprocess.run([HTTPTOOL, "head", url, "a=1"], capture_output=True,
                       timeout=30)
    assert r.returncode == 2 and b"HEAD" in r.stderr
    assert cap.take() == []


def test_default_config_and_q(cap, tmp_path):
    url = "http://127.0.0.1:%d/p" % cap.port
    conf = tmp_path / "httptool"
    conf.mkdir()
    (conf / "config").write_text('header = "X-Rc: yes"\n')
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path))
    subprocess.run([HTTPTOOL, "get", url], capture_output=True, env=env,
                   timeout=30)
    assert b"\r\nX-Rc: yes\r\n" in cap.take()[0]
    subprocess.run([HTTPTOOL, "get", "-q", url], capture_output=True,
                   env=env, timeout=30)
    assert b"X-Rc" not in cap.take()[0]
    (conf / "config").write_text("no-such-option\n")
    r = subprocess.run([HTTPTOOL, "get", url], capture_output=True, env=env,
                       timeout=30)
    assert r.returncode == 2 and b"line 1: unknown option" in r.stderr


def test_h2_by_default_over_tls_and_multiplexed(tmp_path):
    from test_client_peers import make_cert, start_nginx
    cert, key = make_cert(str(tmp_path))
    p, url, www = start_nginx(
        str(tmp_path), "ssl http2",
        "ssl_certificate %s; ssl_certificate_key %s;" % (cert, key))
    try:
        for i in range(4):
            with open(os.path.join(www, "f%d.txt" % i), "w") as f:
                f.write("x")
        r = subprocess.run([HTTPTOOL, "get", "--cacert", cert, url + "/f0.txt",
                            "-w", " %{http_version}"], capture_output=True,
                           timeout=30)
        assert r.stdout == b"x 2", r.stderr
        r = subprocess.run([HTTPTOOL, "get", "--http1.1", "--cacert", cert,
                            url + "/f0.txt", "-w", " %{http_version}"],
                           capture_output=True, timeout=30)
        assert r.stdout == b"x 1.1"
        r = subprocess.run([HTTPTOOL, "get", "-v", "--cacert", cert,
                            url + "/f0.txt"], capture_output=True, timeout=30)
        assert b"ALPN: offers h2,http/1.1" in r.stderr, r.stderr
        assert b"< HTTP/2 200" in r.stderr
        # -Z: four transfers, one connection (the others wait to multiplex)
        urls = [url + "/f%d.txt" % i for i in range(4)]
        r = subprocess.run([HTTPTOOL, "get", "-Z", "--cacert", cert, *urls,
                            "-o", "/dev/null", "-o", "/dev/null", "-o",
                            "/dev/null", "-o", "/dev/null", "-w",
                            "%{num_connects} %{http_version}\\n"],
                           capture_output=True, timeout=30)
        assert r.returncode == 0, r.stderr
        assert sorted(r.stdout.split(b"\n")) == \
            [b"", b"0 2", b"0 2", b"0 2", b"1 2"], r.stdout
    finally:
        p.stop()


OFFLINE_CASES = [
    ["get", "-u", "ann:pw", "X-E;", "X-A:1", "q==a b"],
    ["post", "a=1", "b=x y"],
    ["post", "--json-items", "n:=1", "s=x"],
    ["post", "-d", "raw"],
    ["post", "--json", '{"a":1}'],
    ["put", "--auth-type", "bearer", "--auth", "tok", "-H", "X-B: 2"],
    ["post", "--multipart", "a=1", "f@{d}/up.txt"],
]


@pytest.mark.parametrize("args", OFFLINE_CASES, ids=lambda a: " ".join(a))
def test_offline_prints_what_is_sent(cap, files, args):
    """--offline shows the bytes the real run puts on the wire."""
    url = "http://127.0.0.1:%d/p" % cap.port
    argv = [HTTPTOOL, args[0], url] + expand(args[1:], files, url, cap.port)
    off = subprocess.run(argv + ["--offline"], capture_output=True,
                         timeout=30).stdout
    subprocess.run(argv, capture_output=True, timeout=30)
    wire = normalise(cap.take()[0])
    head, _, body = off.partition(b"\n\n")
    shown = head.replace(b"\n", b"\r\n") + b"\r\n\r\n"
    if body:
        shown += body[:-2] if body.endswith(b"\n\n") else body
    assert normalise(shown) == wire


def test_user_without_password_reads_stdin_like_curl(cap):
    url = "http://127.0.0.1:%d/p" % cap.port
    got = []
    for cmd in ([require("curl"), "-s"], [HTTPTOOL, "get", "-s"]):
        r = subprocess.run(cmd + ["-u", "ann", url], input=b"secret\n",
                           capture_output=True, timeout=30)
        assert r.returncode == 0
        assert b"Enter host password for user 'ann':" in r.stderr
        got.append(normalise(cap.take()[0]))
    assert got[0] == got[1]
    assert b"Authorization: Basic YW5uOnNlY3JldA==\r\n" in got[1]


def test_session_bound_to_its_host(cap, tmp_path):
    """A named session's Authorization and headers never reach another
    host; a session file is bound to the host it was made for."""
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    a = "http://127.0.0.1:%d/p" % cap.port
    b = "http://localhost:%d/p" % cap.port
    r = subprocess.run([HTTPTOOL, "get", "--session", "s", a, "-u", "ann:pw",
                        "X-Team:blue"], capture_output=True, env=env,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    assert b"Authorization: Basic" in cap.take()[0]
    subprocess.run([HTTPTOOL, "get", "--session", "s", b], env=env,
                   capture_output=True, timeout=30)
    other = cap.take()[0]
    assert b"Authorization" not in other and b"X-Team" not in other
    subprocess.run([HTTPTOOL, "get", "--session", "s", a], env=env,
                   capture_output=True, timeout=30)
    again = cap.take()[0]
    assert b"Authorization: Basic YW5uOnB3" in again and b"X-Team: blue" in again
    f = tmp_path / "httptool" / "sessions" / ("127.0.0.1_%d" % cap.port) / "s"
    assert (f.stat().st_mode & 0o777) == 0o600
    assert not [p for p in f.parent.iterdir() if p.name.endswith(".tmp")]
    # a session file named by path remembers its host
    path = tmp_path / "mine.session"
    subprocess.run([HTTPTOOL, "get", "--session", str(path), a, "-u", "x:y"],
                   env=env, capture_output=True, timeout=30)
    cap.take()
    r = subprocess.run([HTTPTOOL, "get", "--session", str(path), b], env=env,
                       capture_output=True, timeout=30)
    assert r.returncode == 2 and b"belongs to 127.0.0.1:" in r.stderr
    assert cap.take() == []
