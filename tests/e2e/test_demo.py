"""`httptool demo`: the first lab end to end (serve, sniff, get, post, the
capture read back, keep-alive, chunked, Range), with and without capture
permission."""
import os
import re
import shutil
import stat
import subprocess
import tempfile

from conftest import HTTPTOOL, run


def test_demo_runs_the_whole_lab_with_the_capture(tmp_path):
    # root here, so the capture works; --step pauses read Enter from stdin
    r = run("demo", "--step", input=b"\n" * 20, timeout=90,
            env={"TMPDIR": str(tmp_path)})
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    assert r.stderr == b""
    steps = re.findall(r"^\[(\d)/(\d)\] ", out, re.M)
    assert [int(a) for a, _ in steps] == list(range(1, 9))
    assert out.count("-- press Enter for the next step --") == 7
    port = re.search(r"Serving HTTP on 127\.0\.0\.1 port (\d+)", out).group(1)
    # the client's view: -v of the GET, the POST's echo
    assert "$ httptool get -v http://127.0.0.1:%s/" % port in out
    assert "> GET / HTTP/1.1" in out and "< HTTP/1.1 200 OK" in out
    assert "$ echo 'hello world' | httptool post" in out
    assert "received post request:<br>hello world" in out
    # the wire's view: summary lines, then the POST's detail tree
    assert "(capturing on lo, saving to lab.pcap)" in out
    assert re.search(r"TCP \d+ \d+ → %s \[SYN\]" % port, out)
    assert re.search(r"HTTP \d+ GET / HTTP/1\.1", out)
    assert re.search(r"HTTP \d+ POST / HTTP/1\.1", out)
    assert re.search(r"HTTP \d+ HTTP/1\.1 200 OK", out)
    assert "Hypertext Transfer Protocol" in out
    assert "HTML Form URL Encoded" in out
    assert 'Form item: "hello world"' in out
    # keep-alive, chunked, Range
    assert re.search(r"/get: 1 new connection", out)
    assert re.search(r"/headers: 0 new connection", out)
    assert re.search(r"^Transfer-Encoding: chunked", out, re.M | re.I)
    assert "206 Partial Content" in out
    assert re.search(r"^Content-Range: bytes 0-9/\d+", out, re.M | re.I)
    assert out.count("Notice: ") >= 7
    # nothing left behind: temp files, server, capture
    assert os.listdir(str(tmp_path)) == []


def test_demo_without_capture_permission_still_runs_the_lab():
    # as nobody (no CAP_NET_RAW), from a copy of the binary nobody can run
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is missing"
    d = tempfile.mkdtemp(prefix="httptool-demo-test-")
    try:
        os.chmod(d, 0o777)
        binary = os.path.join(d, "httptool")
        shutil.copy(HTTPTOOL, binary)
        os.chmod(binary, 0o755 | stat.S_IXOTH)
        env = dict(os.environ, TMPDIR=d, NO_COLOR="1")
        r = subprocess.run([setpriv, "--reuid=65534", "--regid=65534",
                            "--clear-groups", binary, "demo"],
                           capture_output=True, timeout=90, env=env, cwd=d)
        out = r.stdout.decode()
        assert r.returncode == 0, out + r.stderr.decode()
        assert "The capture is not available" in out
        assert "setcap cap_net_raw,cap_net_admin=eip" in out
        assert "(skipped: no capture)" in out
        assert "> GET / HTTP/1.1" in out
        assert "received post request:<br>hello world" in out
        assert "206 Partial Content" in out
        assert sorted(os.listdir(d)) == ["httptool"]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_demo_rejects_arguments():
    r = run("demo", "extra")
    assert r.returncode == 2
    assert b"httptool demo: unexpected argument 'extra'" in r.stderr


def test_demo_interrupted_cleans_up(tmp_path):
    """SIGTERM at a --step pause: server and capture stopped, directory
    removed, exit 128+15."""
    import select
    import signal
    import time
    env = dict(os.environ, TMPDIR=str(tmp_path), NO_COLOR="1")
    p = subprocess.Popen([HTTPTOOL, "demo", "--step"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env)
    try:
        out = b""
        deadline = time.monotonic() + 30
        while b"press Enter" not in out and time.monotonic() < deadline:
            r, _, _ = select.select([p.stdout], [], [], 0.5)
            if r:
                chunk = os.read(p.stdout.fileno(), 4096)
                if not chunk:
                    break
                out += chunk
        assert b"press Enter" in out, out.decode()
        port = re.search(rb"port (\d+)", out).group(1).decode()
        assert os.listdir(str(tmp_path)) != []
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdin.close()
        p.stdout.close()
    # the server is gone (nothing accepts on its port) and so are its files
    deadline = time.monotonic() + 10
    while os.listdir(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.listdir(str(tmp_path)) == []
    import socket
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", int(port))) != 0
