"""The client's terminal behaviour, on a real pty: colour and pretty JSON
only on a terminal, NO_COLOR, --pretty, the binary note, progress bars."""
import json
import os

from conftest import HTTPTOOL, run
from test_client_peers import httpbin, run_pty, stub  # noqa: F401

ESC = b"\x1b["


def test_json_is_coloured_and_indented_on_a_tty(stub):
    rc, out = run_pty([HTTPTOOL, "get", stub + "/json"])
    assert rc == 0
    assert ESC + b'34m"a"' in out                 # a coloured key
    assert b'\r\n    ' + ESC + b'34m"b"' in out     # indented (pty maps \n)


def test_no_color_keeps_format_drops_colour(stub):
    rc, out = run_pty([HTTPTOOL, "get", stub + "/json"], env={"NO_COLOR": "1"})
    assert rc == 0
    assert ESC not in out
    assert b'    "a": "x"' in out


def test_pretty_none_on_tty_and_all_when_piped(stub):
    rc, out = run_pty([HTTPTOOL, "get", "--pretty", "none", stub + "/json"])
    assert out.strip() == b'{"b":[1,2],"a":"x","n":null}'
    r = run("get", stub + "/json")
    assert r.stdout == b'{"b":[1,2],"a":"x","n":null}'   # never touched when piped
    r = run("get", "--pretty", "all", stub + "/json")
    assert ESC in r.stdout and b'\n    ' + ESC + b'34m"n"' in r.stdout
    r = run("get", "--pretty", "format", stub + "/json")
    assert ESC not in r.stdout and b'\n    "n": ' in r.stdout


def test_coloured_headers_on_tty(stub):
    rc, out = run_pty([HTTPTOOL, "get", "-i", stub + "/ka"])
    assert ESC + b"32m200 OK" in out
    assert ESC + b"36mContent-Type" in out
    r = run("get", "-i", stub + "/ka")
    assert ESC not in r.stdout


def test_binary_refused_on_tty_not_when_piped(stub):
    # as curl: a write error (23) with a warning, unless -o - insists
    rc, out = run_pty([HTTPTOOL, "get", stub + "/bin"])
    assert rc == 23
    assert b"(23) binary output can mess up your terminal" in out
    assert b"\x00" not in out
    rc, out = run_pty([HTTPTOOL, "get", "-o", "-", stub + "/bin"])
    assert rc == 0 and b"\x01\x02\x03" in out
    r = run("get", stub + "/bin")
    assert r.stdout == bytes(range(256)) * 4


def test_progress_bar_for_file_downloads(stub, tmp_path):
    out_file = tmp_path / "big"
    rc, out = run_pty([HTTPTOOL, "get", "-o", str(out_file),
                       stub + "/big/3000000"])
    assert rc == 0
    assert out_file.stat().st_size == 3000000
    assert b"100.0%" in out and b"####" in out
    rc, out = run_pty([HTTPTOOL, "get", "-s", "-o", str(out_file),
                       stub + "/big/300000"])
    assert out == b""


def test_parallel_aggregate_line(stub):
    rc, out = run_pty([HTTPTOOL, "get", "-Z", stub + "/ka", stub + "/ka",
                       "-o", os.devnull, "-o", os.devnull])
    assert rc == 0
    lines = out.split(b"\r\n")
    assert lines[0] == b"DL%  Downloaded  Xfers  Live      Time      Speed"
    last = lines[1].split(b"\r")[-1].replace(b"\x1b[K", b"").split()
    assert last[:5] == [b"100", b"6", b"B", b"2", b"0"], last


def test_user_without_password_is_prompted_for(httpbin):
    import pty
    import select
    import time
    pid, master = pty.fork()              # the child's controlling tty
    if pid == 0:
        os.execv(HTTPTOOL, [HTTPTOOL, "get", "-u", "ann",
                            httpbin + "/basic-auth/ann/s3cret"])
    out = b""
    deadline = time.monotonic() + 20
    sent = False
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if not sent and b"Enter host password for user 'ann':" in out:
            os.write(master, b"s3cret\n")
            sent = True
    end = time.monotonic() + 5
    done, status = os.waitpid(pid, os.WNOHANG)
    while done == 0 and time.monotonic() < end:
        time.sleep(0.05)
        done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:                         # hung: stop it by PID, then fail
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    os.close(master)
    assert os.waitstatus_to_exitcode(status) == 0
    assert sent and b"s3cret" not in out       # not echoed
    assert b'"authenticated"' in out and b'true' in out
    # no terminal: an empty password, as curl
    r = run("get", "-u", "ann", httpbin + "/headers", start_new_session=True)
    assert json.loads(r.stdout)["headers"]["Authorization"] == "Basic YW5uOg=="
