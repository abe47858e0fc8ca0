"""`httptool demo`: the first lab end to end (serve, sniff, get, post, the
capture read back, keep-alive, chunked, Range, the same GET over HTTPS
without and with the key log), with and without capture permission."""
import glob
import os
import re
import select
import shutil
import stat
import subprocess
import tempfile
import time

from conftest import HTTPTOOL, run


def test_demo_runs_the_whole_lab_with_the_capture(tmp_path):
    # root here, so the capture works; --step pauses read Enter from stdin
    r = run("demo", "--step", input=b"\n" * 20, timeout=90,
            env={"TMPDIR": str(tmp_path)})
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    assert r.stderr == b""
    steps = re.findall(r"^\[(\d)/(\d)\] ", out, re.M)
    assert [int(a) for a, _ in steps] == list(range(1, 10))
    assert out.count("-- press Enter for the next step --") == 8
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
    assert out.count("Notice: ") >= 9
    # HTTPS: the wire shows the handshake and Application Data only; the
    # key log the server wrote turns the same records into the GET and 200
    https = out[out.index("[9/9] The same GET over HTTPS"):]
    tport = re.search(r"serve 0 --tls --keylog \S+ .*", https)
    assert tport, https
    tport = re.search(r"get -k --http1.1 https://localhost:(\d+)/",
                      https).group(1)
    wire = https[https.index("What anyone on the wire sees"):
                 https.index("With the key log")]
    assert re.search(r"TLSv1 \d+ Client Hello \(SNI=localhost\)", wire)
    assert re.search(r"TLSv1\.3 \d+ Application Data$", wire, re.M)
    assert "HTTP" not in re.sub(r"HTTPS|SSLKEYLOGFILE", "", wire
                                .split("\n", 1)[1]), wire
    clear = https[https.index("With the key log"):]
    assert re.search(r"HTTP \d+ GET / HTTP/1\.1", clear), clear
    assert re.search(r"HTTP \d+ HTTP/1\.1 200 OK", clear), clear
    assert "<h1>Hello from httptool serve</h1>" in https
    assert int(tport) != int(port)
    # nothing left behind: temp files, server, capture
    assert os.listdir(str(tmp_path)) == []


def test_demo_says_where_the_missing_frames_went(tmp_path):
    """The frame list starts at 3: the note names frames 1 and 2 as the
    demo's probes to a closed port, and the capture proves it."""
    env = dict(os.environ, TMPDIR=str(tmp_path), NO_COLOR="1")
    p = subprocess.Popen([HTTPTOOL, "demo", "--step"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=env)
    out, copy = "", str(tmp_path / "copy.pcap")
    deadline = time.monotonic() + 90
    try:
        while "without -Y to see them" not in out:
            left = deadline - time.monotonic()
            assert left > 0, out
            ready, _, _ = select.select([p.stdout], [], [], left)
            chunk = os.read(p.stdout.fileno(), 65536).decode() if ready else ""
            assert chunk or not ready, out
            out += chunk
            if out.endswith("press Enter for the next step --"):
                p.stdin.write(b"\n")
                p.stdin.flush()
        pcaps = glob.glob(str(tmp_path / "*" / "lab.pcap"))
        assert len(pcaps) == 1
        shutil.copy(pcaps[0], copy)
        p.communicate(b"\n" * 20, timeout=90)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    listed = re.findall(r"^ +(\d+) +[\d.]+ +127\.0\.0\.1 ", out, re.M)
    assert listed and listed[0] == "3", out
    m = re.search(r"The numbers skip frames 1 and 2 \(and a pair later\): "
                  r"they are the demo's own probes,\na \[SYN\] to closed "
                  r"port (\d+) answered by \[RST, ACK\]", out)
    assert m, out
    r = run("sniff", "-r", copy, "-c", "2")
    first = r.stdout.decode().splitlines()
    assert len(first) == 2, r.stdout
    assert re.search(r"→ %s \[SYN\]" % m.group(1), first[0]), first
    assert re.search(r"%s → \d+ \[RST, ACK\]" % m.group(1), first[1]), first


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
        assert "[9/9] The same GET over HTTPS" in out
        assert out.count("(skipped: no capture)") == 2
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
    # (it drains for up to 5 s; a sanitizer build on a loaded machine
    # takes longer to exit)
    deadline = time.monotonic() + 30
    while os.listdir(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.listdir(str(tmp_path)) == []
    import socket
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", int(port))) != 0


def test_demo_tui_ends_in_the_terminal_interface(tmp_path):
    """--tui: after the steps, the capture opens in the TUI (driven in a
    private tmux server); q returns to the demo, which ends with 0."""
    import shlex
    import time
    from conftest import require
    tmux = require("tmux")
    sock = "httptool-demo-%d" % os.getpid()
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
               LC_ALL="C.UTF-8", TMPDIR=str(tmp_path / "t"), NO_COLOR="1")
    env.pop("TMUX", None)
    os.mkdir(env["TMPDIR"])
    err = tmp_path / "stderr"
    shell = "%s demo --tui 2>%s; echo EXIT=$?; sleep 60" % (
        shlex.quote(HTTPTOOL), shlex.quote(str(err)))

    def t(*args):
        return subprocess.run([tmux, "-L", sock, *args], capture_output=True,
                              text=True, timeout=10, env=env).stdout

    def wait(pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            s = t("capture-pane", "-p", "-t", "d")
            if re.search(pattern, s, re.M):
                return s
            assert time.monotonic() < deadline, "no %r on:\n%s" % (pattern, s)
            time.sleep(0.05)

    subprocess.run([tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d",
                    "-x", "160", "-y", "50", "-s", "d", shell], check=True,
                   env=env, timeout=10)
    try:
        s = wait(r"httptool sniff --tui .*lab\.pcap")
        s = wait(r"POST / HTTP/1\.1")
        assert re.search(r"No\.\s+Time\s+Source\s+Destination", s)
        t("send-keys", "-t", "d", "q")
        s = wait(r"^EXIT=\d+$")
        assert "EXIT=0" in s and "Done." in s, s
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True,
                       timeout=10)
    text = err.read_text(errors="replace")
    assert "Sanitizer" not in text and "runtime error" not in text, text
    assert os.listdir(env["TMPDIR"]) == []
