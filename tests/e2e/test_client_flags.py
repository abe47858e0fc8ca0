"""The client's curl flags against httpbin and the keep-alive stub:
cookies, sessions, redirects, range and resume, several URLs on one
connection, -Z, -w, retries, exit codes, output files, --curl/--offline."""
import json
import os
import subprocess
import time

from conftest import free_port, run
from test_client_peers import httpbin, start_stub, stub  # noqa: F401


def j(r):
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_cookie_jar_across_runs(httpbin, tmp_path):
    jar = tmp_path / "jar.txt"
    r = run("get", "-c", jar, httpbin + "/cookies/set?flavour=oat", "-o",
            os.devnull)
    assert r.returncode == 0
    text = jar.read_text()
    assert "Netscape HTTP Cookie File" in text
    assert any(l.split("\t")[5:] == ["flavour", "oat"]
               for l in text.splitlines() if "\t" in l)
    assert j(run("get", "-b", jar, httpbin + "/cookies")) == \
        {"cookies": {"flavour": "oat"}}
    assert j(run("get", "-b", "a=1; b=2", httpbin + "/cookies")) == \
        {"cookies": {"a": "1", "b": "2"}}


def test_cookies_follow_redirect_in_one_run(httpbin):
    r = j(run("get", "-L", "-c", os.devnull, httpbin + "/cookies/set?k=v"))
    assert r == {"cookies": {"k": "v"}}


def test_session_keeps_headers_auth_cookies(httpbin, tmp_path):
    env = {"XDG_STATE_HOME": str(tmp_path)}
    r = run("get", "--session", "s1", httpbin + "/cookies/set?c=1",
            "X-Team:blue", "-u", "ann:pw", "-o", os.devnull, env=env)
    assert r.returncode == 0, r.stderr
    hostdir = tmp_path / "httptool" / "sessions" / \
        httpbin.split("//")[1].replace(":", "_")
    f = hostdir / "s1"
    assert f.exists() and (f.stat().st_mode & 0o777) == 0o600
    jar = hostdir / "s1.cookies"
    assert (jar.stat().st_mode & 0o777) == 0o600
    r = j(run("get", "--session", "s1", httpbin + "/headers", env=env))
    h = r["headers"]
    assert h["X-Team"] == "blue"
    assert h["Authorization"] == "Basic YW5uOnB3"
    assert h["Cookie"] == "c=1"
    # the command line wins over the session
    r = j(run("get", "--session", "s1", httpbin + "/headers", "X-Team:red",
              env=env))
    assert r["headers"]["X-Team"] == "red"


def test_session_default_dir_is_local_state(httpbin, tmp_path):
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": ""}
    r = run("get", "--session", "h", httpbin + "/get", "X-A:1", env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / ".local/state/httptool/sessions" /
            httpbin.split("//")[1].replace(":", "_") / "h").exists()


def test_redirects(httpbin):
    r = run("get", httpbin + "/redirect/2", "-w", "%{http_code}")
    assert r.returncode == 0 and r.stdout.endswith(b"302")
    r = run("get", "-L", httpbin + "/redirect/2", "-w",
            "\\n%{http_code} %{num_redirects} %{url_effective}")
    assert r.stdout.decode().splitlines()[-1] == "200 2 %s/get" % httpbin
    r = run("get", "-L", "--max-redirs", "1", httpbin + "/redirect/3")
    assert r.returncode == 47
    assert b"httptool get: (47) maximum (1) redirects followed" in r.stderr
    r = run("get", "-i", "-L", httpbin + "/redirect/1")
    assert r.stdout.count(b"HTTP/1.1 302") == 1
    assert r.stdout.count(b"HTTP/1.1 200") == 1


def test_range_and_resume(httpbin, tmp_path):
    whole = run("get", httpbin + "/range/100").stdout
    assert len(whole) == 100
    r = run("get", "-r", "10-19", httpbin + "/range/100", "-w",
            "%{stderr}%{http_code}")
    assert r.stdout == whole[10:20]
    assert r.stderr == b"206"
    out = tmp_path / "part"
    out.write_bytes(whole[:40])
    r = run("get", "-C", "-", "-o", out, httpbin + "/range/100")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == whole


def test_several_urls_reuse_one_connection(stub):
    r = run("get", stub + "/ka", stub + "/ka", stub + "/ka", "-w",
            "%{num_connects}\\n")
    assert r.returncode == 0
    assert r.stdout.decode() == "ok\n1\nok\n0\nok\n0\n"


def test_each_output_pairs_with_its_url(stub, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    r = run("get", "-o", a, stub + "/ka", "-o", b, stub + "/json", stub + "/ka")
    assert r.returncode == 0
    assert a.read_bytes() == b"ok\n"
    assert json.loads(b.read_bytes())["a"] == "x"
    assert r.stdout == b"ok\n"


def test_remote_name_and_output_dir(httpbin, tmp_path):
    r = run("get", "-O", "--output-dir", tmp_path, httpbin + "/base64/aGk=")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "aGk=").read_bytes() == b"hi"
    url = httpbin + "/response-headers?Content-Disposition=" \
        "attachment%3B%20filename%3D%22..%2Fserved.txt%22"
    r = run("get", "-OJ", "--output-dir", tmp_path, url)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "served.txt").exists()      # no directory escape
    r = run("get", "-o", tmp_path / "no" / "dir" / "f", httpbin + "/get")
    assert r.returncode == 23
    assert b"httptool get: (23) cannot write" in r.stderr


def test_parallel(httpbin):
    urls = [httpbin + "/delay/1?i=%d" % i for i in range(4)]
    t = time.monotonic()
    r = run("get", "-Z", *urls, "-w", "%{urlnum} %{http_code}\\n")
    took = time.monotonic() - t
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stdout.decode().splitlines() if l[:1].isdigit()]
    assert sorted(lines) == ["0 200", "1 200", "2 200", "3 200"]
    assert took < 3.5, took
    t = time.monotonic()
    r = run("get", "-Z", "--parallel-max", "1", *urls[:2], "-o", os.devnull,
            "-o", os.devnull)
    assert r.returncode == 0 and time.monotonic() - t >= 2


def test_writeout_variables_and_json(stub):
    fmt = ("%{http_code}|%{response_code}|%{size_download}|%{url_effective}|"
           "%{method}|%{content_type}|%{exitcode}|%%|%{time_total}")
    r = run("get", stub + "/json", "-o", os.devnull, "-w", fmt)
    f = r.stdout.decode().split("|")
    assert f[:8] == ["200", "200", "28", stub + "/json", "GET",
                     "application/json", "0", "%"]
    assert float(f[8]) > 0
    r = run("get", stub + "/json", "-o", os.devnull, "-w",
            "%{header{content-type}}|%{header{x-missing}}|%{nope}")
    assert r.stdout == b"application/json||"
    assert b"unknown --write-out variable 'nope'" in r.stderr
    r = run("get", stub + "/ka", "-o", os.devnull, "-w", "%{json}")
    d = json.loads(r.stdout)
    for k in ("http_code", "num_connects", "num_redirects", "time_namelookup",
              "time_connect", "time_appconnect", "time_starttransfer",
              "time_total", "size_download", "speed_download", "url_effective"):
        assert k in d, k
    assert d["http_code"] == 200 and d["size_download"] == 3
    assert d["num_connects"] == 1


def test_retry(tmp_path):
    p, url = start_stub()
    try:
        r = run("get", "--retry", "3", "--retry-delay", "0.1", url + "/retry/2/a")
        assert r.returncode == 0, r.stderr
        assert r.stdout == b"done\n"
        assert r.stderr.count(b"Will retry in") == 2
        r = run("get", "--retry", "1", "--retry-delay", "0.1", url + "/retry/5/b",
                "-w", "%{http_code}")
        assert r.stdout == b"busy\n503"
        r = run("get", "-Z", "--retry", "2", "--retry-delay", "0.2",
                url + "/retry/1/c", url + "/retry/2/d", url + "/ka")
        assert r.returncode == 0, r.stderr
        assert sorted(r.stdout.split(b"\n")) == [b"", b"done", b"done", b"ok"]
        assert r.stderr.count(b"Will retry in") == 3
    finally:
        p.stop()


def test_fail_flags_and_check_status(httpbin):
    r = run("get", "--fail", httpbin + "/status/404")
    assert r.returncode == 22 and r.stdout == b""
    assert b"httptool get: (22) the requested URL returned error: 404" in r.stderr
    r = run("get", "--fail-with-body", httpbin + "/status/418")
    assert r.returncode == 22 and b"teapot" in r.stdout
    assert run("get", httpbin + "/status/500").returncode == 0
    for code, want in ((302, 3), (404, 4), (503, 5), (200, 0)):
        r = run("get", "--check-status", httpbin + "/status/%d" % code)
        assert r.returncode == want, code
    r = run("get", "--check-status", httpbin + "/status/404")
    assert b"warning: HTTP 404 Not Found" in r.stderr
    r = run("get", "-s", "--fail", httpbin + "/status/404")
    assert r.returncode == 22 and r.stderr == b""
    r = run("get", "-sS", "--fail", httpbin + "/status/404")
    assert b"(22)" in r.stderr


def test_transport_exit_codes(httpbin, stub):
    r = run("get", "http://127.0.0.1:1/")
    assert r.returncode == 7
    assert r.stderr == b"httptool get: (7) failed to connect to 127.0.0.1 " \
        b"port 1: connection refused\n"
    r = run("get", "-m", "0.5", httpbin + "/delay/3")
    assert r.returncode == 28
    assert b"httptool get: (28) operation timed out" in r.stderr
    r = run("get", stub + "/close")
    assert r.returncode == 52
    assert b"(52) empty reply from server" in r.stderr
    r = run("get", "--resolve", "nowhere.invalid:1:127.0.0.1",
            "http://nowhere.invalid:1/")
    assert r.returncode == 7


def test_resolve_unix_socket_path_as_is(stub, tmp_path):
    port = stub.rsplit(":", 1)[1]
    r = run("get", "--resolve", "lab.test:%s:127.0.0.1" % port,
            "http://lab.test:%s/ka" % port)
    assert r.stdout == b"ok\n"
    sock = str(tmp_path / "s.sock")
    p, _ = start_stub(sock)
    try:
        r = run("get", "--unix-socket", sock, "http://x/echo")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(b"GET /echo HTTP/1.1\n")
    finally:
        p.stop()
    r = run("get", "--path-as-is", stub + "/a/../echo")
    assert r.stdout == b"nope\n"                  # sent as /a/../echo
    r = run("get", stub + "/a/../echo")
    assert r.stdout.startswith(b"GET /echo ")


def test_protocol_versions_and_compressed(httpbin, stub):
    r = run("get", "-0", stub + "/echo")
    assert r.stdout.startswith(b"GET /echo HTTP/1.0\n")
    r = run("get", "--http2", "-v", stub + "/ka")
    assert b"> Upgrade: h2c" in r.stderr
    r = j(run("get", "--compressed", httpbin + "/gzip"))
    assert r["gzipped"] is True


def test_trace_ascii(stub, tmp_path):
    t = tmp_path / "trace"
    r = run("post", "--trace-ascii", t, stub + "/echo", "a=1")
    assert r.returncode == 0
    text = t.read_text()
    assert "== Info: " in text
    assert "=> Send header, " in text and "0000: POST /echo HTTP/1.1" in text
    assert "=> Send data, 3 bytes (0x3)" in text
    assert "<= Recv header, " in text and "<= Recv data, " in text


def test_curl_and_offline_send_nothing(tmp_path):
    port = free_port()
    url = "http://127.0.0.1:%d/post" % port
    r = run("post", "--curl", url, "a=b c", "X-K:v", "-L", "q==1")
    assert r.returncode == 0
    assert r.stdout.decode() == (
        "curl -H 'X-K: v' --data-binary a=b+c -L 'http://127.0.0.1:%d/post?q=1'\n" % port)
    r = run("get", "--offline", url, "-u", "ann:pw")
    assert "Authorization: Basic YW5uOnB3\n" in r.stdout.decode()
    r = run("put", "--offline", url, "--json-items", "n:=1")
    assert r.returncode == 0
    out = r.stdout.decode()
    assert out.startswith("PUT /post HTTP/1.1\nHost: 127.0.0.1:%d\n" % port)
    assert "Content-Type: application/json\n" in out
    assert "Content-Length: 8\n\n{\"n\": 1}\n" in out
    # the curl command really does the same thing
    f = tmp_path / "x.txt"
    f.write_text("X")
    r = run("post", "--curl", url, "up@%s" % f)
    assert ("-F 'up=@%s'" % f) in r.stdout.decode() or \
        ("-F up=@%s" % f) in r.stdout.decode()


def test_curl_output_runs_in_curl(httpbin):
    r = run("post", "--curl", httpbin + "/post", "a=b c", "X-K:it's $HOME")
    cmd = r.stdout.decode()
    out = subprocess.run(["sh", "-c", cmd], capture_output=True, timeout=20)
    d = json.loads(out.stdout)
    assert d["form"] == {"a": "b c"} and d["headers"]["X-K"] == "it's $HOME"
    r = run("put", "--curl", httpbin + "/put", "--json-items", "n:=[1]", "s=x")
    out = subprocess.run(["sh", "-c", r.stdout.decode()], capture_output=True,
                         timeout=20)
    assert json.loads(out.stdout)["json"] == {"n": [1], "s": "x"}


def test_http2_prior_knowledge_with_nginx(tmp_path):
    from test_client_peers import start_nginx
    p, url, www = start_nginx(str(tmp_path), "http2")
    try:
        with open(os.path.join(www, "f.txt"), "w") as f:
            f.write("via h2\n")
        r = run("get", "--http2-prior-knowledge", url + "/f.txt", "-w",
                "%{http_version}")
        assert r.returncode == 0, r.stderr
        assert r.stdout == b"via h2\n2"
        r = run("get", "-v", "--http2-prior-knowledge", url + "/f.txt")
        assert b"< HTTP/2 200" in r.stderr
    finally:
        p.stop()


def test_resolve_failure_and_timeouts_accepted(stub):
    r = run("get", "--connect-timeout", "5", "http://nowhere.invalid/",
            timeout=60)
    assert r.returncode == 6
    assert r.stderr == b"httptool get: (6) could not resolve host: " \
        b"nowhere.invalid\n"
    r = run("get", "--connect-timeout", "2", "--http1.1", "-m", "10",
            stub + "/ka")
    assert r.returncode == 0 and r.stdout == b"ok\n"


def test_http2_over_tls_with_nginx(tmp_path):
    from test_client_peers import make_cert, start_nginx
    cert, key = make_cert(str(tmp_path))
    p, url, www = start_nginx(
        str(tmp_path), "ssl http2",
        "ssl_certificate %s; ssl_certificate_key %s;" % (cert, key))
    try:
        with open(os.path.join(www, "f.txt"), "w") as f:
            f.write("tls h2\n")
        r = run("get", "--cacert", cert, "--http2", url + "/f.txt", "-w",
                "%{http_version} %{scheme}")
        assert r.returncode == 0, r.stderr
        assert r.stdout.lower() == b"tls h2\n2 https"
        r = run("get", "--cacert", cert, "--http1.1", url + "/f.txt", "-w",
                "%{http_version}")
        assert r.stdout == b"tls h2\n1.1"
        r = run("get", url + "/f.txt")
        assert r.returncode == 60
    finally:
        p.stop()
