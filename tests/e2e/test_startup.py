"""libpcap is loaded only by the sniffer (capture/pcap_dl.c dlopen()s it):
the binary does not need it, `get` and `serve` never map it, and without
it `sniff` fails with one clear line while the rest of httptool works.
The same for the other libraries loaded on first use (lib/dl.c): ncursesw
for the TUI, libbrotlienc and libjpeg for two of serve's routes.

The dynamic loader itself is the witness: LD_DEBUG=files logs every
object a process loads, at exec time or later through dlopen().
"""
import glob
import os
import pty
import shutil
import stat
import subprocess
import tempfile
import urllib.request

import pytest

from conftest import DATA, HTTPTOOL, free_port, require, run, wait_port

PCAP = os.path.join(DATA, "sniff", "pipelined.pcap")
MISSING = "/nonexistent/libpcap.so.0.8"
# what libpcap drags in on Debian; the client must load none of it
CHAIN = ("libpcap", "libdbus", "libsystemd", "libgcrypt", "liblz4")


def loaded_objects(tmp_path, *args, env=None):
    """Run httptool ARGS under LD_DEBUG=files; (result, loader log)."""
    log = tmp_path / "ld"
    e = {"LD_DEBUG": "files", "LD_DEBUG_OUTPUT": str(log)}
    e.update(env or {})
    r = run(*args, env=e)
    text = ""
    for f in glob.glob(str(log) + ".*"):
        with open(f) as fp:
            text += fp.read()
        os.unlink(f)
    return r, text


def test_binary_does_not_need_libpcap():
    r = subprocess.run([require("readelf"), "-d", HTTPTOOL],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    needed = [line for line in r.stdout.splitlines() if "(NEEDED)" in line]
    assert any("libcurl" in line for line in needed), needed
    assert not [line for line in needed if "pcap" in line], needed


def test_get_loads_no_libpcap(tmp_path, procs):
    port = free_port()
    srv = procs([HTTPTOOL, "serve", str(port), "-b", "127.0.0.1", "--quiet"])
    wait_port(port, proc=srv.p)
    r, log = loaded_objects(tmp_path, "get", "-s",
                            "http://127.0.0.1:%d/get" % port)
    assert r.returncode == 0, r.stderr
    assert b'"url"' in r.stdout
    assert "libcurl.so" in log     # the log works
    for lib in CHAIN:
        assert lib not in log, lib
    # nor does the server, which has answered a request by now
    with urllib.request.urlopen("http://127.0.0.1:%d/get" % port,
                                timeout=10) as resp:
        assert resp.status == 200
    with open("/proc/%d/maps" % srv.p.pid) as fp:
        maps = fp.read()
    assert "libcurl.so" in maps
    assert "libpcap" not in maps


def test_sniff_loads_libpcap_when_it_runs(tmp_path):
    """The other side of the check above: a capture does load it."""
    r, log = loaded_objects(tmp_path, "sniff", "-r", PCAP)
    assert r.returncode == 0, r.stderr
    assert b"GET /" in r.stdout
    assert "libpcap.so" in log


def assert_clean_failure(r, why):
    err = r.stderr.decode()
    assert r.returncode == 1, err
    assert r.stdout == b""
    assert err.count("\n") == 1, err
    assert err.startswith("httptool sniff: cannot load libpcap: "), err
    assert why in err, err
    assert err.endswith("; install libpcap0.8\n"), err


@pytest.mark.parametrize("args", [
    ["-r", PCAP],
    ["-r", PCAP, "-V", "-w", "OUT"],
    ["-r", "-"],
    ["-D"],
    ["-i", "lo", "-c", "1", "-a", "duration:2"],
], ids=["read", "read-verbose-write", "stdin", "list", "live"])
def test_sniff_without_libpcap_fails_cleanly(tmp_path, args):
    args = [str(tmp_path / "out.pcap") if a == "OUT" else a for a in args]
    r = run("sniff", *args, input=open(PCAP, "rb").read(), timeout=20,
            env={"HTTPTOOL_LIBPCAP": MISSING, "TMPDIR": str(tmp_path)})
    assert_clean_failure(r, MISSING + ": cannot open shared object file")
    assert os.listdir(str(tmp_path)) == []     # no temporary file, no -w


def test_sniff_rejects_a_library_that_is_not_libpcap():
    r = run("sniff", "-r", PCAP, env={"HTTPTOOL_LIBPCAP": "libz.so.1"})
    assert_clean_failure(r, "undefined symbol: pcap_")


def test_tui_without_libpcap_fails_cleanly():
    master, slave = pty.openpty()
    try:
        env = dict(os.environ, HTTPTOOL_LIBPCAP=MISSING, TERM="xterm")
        r = subprocess.run([HTTPTOOL, "sniff", "--tui", "-r", PCAP],
                           stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                           timeout=20, env=env)
    finally:
        os.close(slave)
        os.close(master)
    r.stdout = b""
    assert_clean_failure(r, MISSING)


def test_env_names_the_library():
    r = run("sniff", "-r", PCAP, env={"HTTPTOOL_LIBPCAP": "libpcap.so.0.8"})
    assert r.returncode == 0, r.stderr
    assert b"GET /" in r.stdout


def test_the_rest_works_without_libpcap(tmp_path):
    """get (above, without it ever loading) and the demo, which runs its
    lab without the capture and says why."""
    env = dict(os.environ, HTTPTOOL_LIBPCAP=MISSING, NO_COLOR="1",
               TMPDIR=str(tmp_path))
    r = subprocess.run([HTTPTOOL, "demo"], capture_output=True, timeout=90,
                       env=env, cwd=str(tmp_path))
    out = r.stdout.decode()
    assert r.returncode == 0, out + r.stderr.decode()
    assert "cannot load libpcap: " + MISSING in out
    assert "The capture is not available" in out
    # the advice fits the failure: install the library, not sudo/setcap
    assert "install libpcap" in out and "setcap" not in out
    assert "> GET / HTTP/1.1" in out


def run_as_nobody(binary, *args, env):
    setpriv = require("setpriv")
    return subprocess.run([setpriv, "--reuid=65534", "--regid=65534",
                           "--clear-groups", binary, *args],
                          capture_output=True, timeout=30,
                          env=dict(os.environ, NO_COLOR="1", **env))


def test_setcap_binary_ignores_the_variable_and_captures():
    """As installed by `make install SETCAP=1`: run by a user, the binary
    holds capture rights, so it must not load a library a user names
    (secure_getenv); it finds the system libpcap and captures."""
    if os.geteuid() != 0:
        pytest.fail("the e2e suite runs as root (make test)")
    setcap = require("setcap")
    d = tempfile.mkdtemp(prefix="httptool-startup-test-")
    try:
        os.chmod(d, 0o755)
        binary = os.path.join(d, "httptool")
        pcap = os.path.join(d, "cap.pcap")
        shutil.copy(HTTPTOOL, binary)
        shutil.copy(PCAP, pcap)
        os.chmod(binary, 0o755 | stat.S_IXOTH)
        os.chmod(pcap, 0o644)
        env = {"HTTPTOOL_LIBPCAP": MISSING, "TMPDIR": d,
               # a process with file capabilities cannot be ptraced,
               # which LeakSanitizer needs (SAN=1 builds)
               "ASAN_OPTIONS": "detect_leaks=0"}
        # without capabilities the variable counts
        r = run_as_nobody(binary, "sniff", "-r", pcap, env=env)
        assert_clean_failure(r, MISSING)
        subprocess.run([setcap, "cap_net_raw,cap_net_admin=eip", binary],
                       check=True, timeout=10)
        r = run_as_nobody(binary, "sniff", "-r", pcap, env=env)
        assert r.returncode == 0, r.stderr
        assert b"GET /" in r.stdout
        r = run_as_nobody(binary, "sniff", "-i", "lo", "-f",
                          "tcp port %d" % free_port(), "-a", "duration:1",
                          env=env)
        assert r.returncode == 0, r.stderr
        assert b"Capturing on 'lo'" in r.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)


# The libraries loaded on first use besides libpcap (lib/dl.c): each name
# tried, and what the loader needs from it (ncursesw needs tinfo).
LAZY = {
    "ncursesw": ["libncursesw.so.6", "libncursesw.so", "libtinfo.so.6"],
    "brotli": ["libbrotlienc.so.1", "libbrotlienc.so"],
    "jpeg": ["libjpeg.so.62", "libjpeg.so"],
}


def fake_libs(d, names, kind):
    """A folder for LD_LIBRARY_PATH where each name is found first: a file
    that is not a library ("short"), or another library lacking the
    symbols ("wrong": libz)."""
    d.mkdir(exist_ok=True)
    libz = glob.glob("/lib/x86_64-linux-gnu/libz.so.1") + \
        glob.glob("/usr/lib/*/libz.so.1")
    for n in names:
        if kind == "short":
            (d / n).write_bytes(b"not a library")
        else:
            os.symlink(libz[0], str(d / n))
    return str(d)


@pytest.mark.parametrize("kind,why", [
    ("short", "file too short"), ("wrong", "undefined symbol: ")])
def test_tui_without_ncurses_fails_cleanly(tmp_path, kind, why):
    """--tui with an ncursesw that cannot be loaded: one line naming the
    library, the reason and the package, exit 1 (httptool-sniff(1)),
    and the terminal left alone."""
    master, slave = pty.openpty()
    try:
        env = dict(os.environ, TERM="xterm", LD_LIBRARY_PATH=fake_libs(
            tmp_path / "lib", LAZY["ncursesw"], kind))
        r = subprocess.run([HTTPTOOL, "sniff", "--tui", "-r", PCAP],
                           stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                           timeout=20, env=env)
        os.set_blocking(master, False)
        try:
            screen = os.read(master, 65536)
        except (BlockingIOError, OSError):
            screen = b""
    finally:
        os.close(slave)
        os.close(master)
    err = r.stderr.decode()
    assert r.returncode == 1, err
    assert err.count("\n") == 1, err
    assert err.startswith("httptool sniff: cannot load libncursesw.so.6: ")
    assert why in err and err.endswith("; install libncursesw6\n"), err
    assert b"\033[?1049h" not in screen     # never switched screens


def test_serve_without_brotli_or_jpeg_answers_500(tmp_path, procs):
    """serve with libbrotlienc and libjpeg that cannot be loaded: /brotli
    and /image/jpeg answer 500, the reason is logged once per library in
    one line, and every other route still works (httptool-serve(1))."""
    lib = tmp_path / "lib"
    fake_libs(lib, LAZY["brotli"], "wrong")
    fake_libs(lib, LAZY["jpeg"], "short")
    port = free_port()
    srv = procs([HTTPTOOL, "serve", str(port), "-b", "127.0.0.1", "--quiet"],
                env=dict(os.environ, LD_LIBRARY_PATH=str(lib)))
    wait_port(port, proc=srv.p)
    codes = []
    for path in ("/brotli", "/image/jpeg", "/brotli", "/gzip"):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                     headers={"Accept": "image/jpeg"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                codes.append(resp.status)
        except urllib.error.HTTPError as e:
            codes.append(e.code)
    assert srv.p.poll() is None
    srv.stop()
    err = srv.p.stderr.read().decode()
    assert codes == [500, 500, 500, 200]
    lines = [l for l in err.splitlines() if "cannot load" in l]
    assert len(lines) == 2, err
    assert lines[0].startswith("httptool serve: cannot load "
                               "libbrotlienc.so.1: /"), err
    assert lines[0].endswith(": undefined symbol: BrotliEncoderCompress; "
                             "install libbrotli1"), err
    assert lines[1] == ("httptool serve: cannot load libjpeg.so.62: %s: "
                        "file too short; install libjpeg62-turbo"
                        % (lib / "libjpeg.so.62")), err
