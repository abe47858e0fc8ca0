"""httptool sniff --tui driven in tmux: the real binary on a real pty.

Each test starts its own tmux server (-L, a private socket), sends keys
with `send-keys` and reads the screen with `capture-pane`; every wait is
bounded.  The server is killed by its socket when the test ends.
"""
import os
import re
import shlex
import struct
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from conftest import DATA, HTTPTOOL, free_port, run

NGINX = os.path.join(DATA, "sniff", "nginx.pcap")


class Tmux:
    """One tmux server and session running a command, 160x50."""

    def __init__(self, cmd, errfile, cols=160, rows=50):
        self.sock = "httptool-tui-%d-%d" % (os.getpid(), time.monotonic_ns())
        self.errfile = errfile
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
                   LC_ALL="C.UTF-8")
        env.pop("TMUX", None)
        # EXIT= shows the status; sleep keeps the pane for inspection
        shell = "%s 2>%s; echo EXIT=$?; sleep 120" % (cmd, shlex.quote(
            str(errfile)))
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null",
                        "new-session", "-d", "-x", str(cols), "-y", str(rows),
                        "-s", "t", shell], check=True, env=env, timeout=10)
        self.env = env

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.sock, *args],
                              capture_output=True, text=True, timeout=10,
                              env=self.env).stdout

    def keys(self, *keys, literal=False):
        self.tmux("send-keys", "-t", "t", *(["-l"] if literal else []), *keys)

    def screen(self, colours=False):
        return self.tmux("capture-pane", "-p", *(["-e"] if colours else []),
                         "-t", "t")

    def wait(self, pattern, timeout=10.0, colours=False, also=()):
        """Wait until the screen matches the regex and holds every string
        in also (a redraw may be caught half-way); return the screen."""
        deadline = time.monotonic() + timeout
        while True:
            s = self.screen(colours)
            if re.search(pattern, s, re.M) and all(a in s for a in also):
                return s
            if time.monotonic() > deadline:
                raise AssertionError("no %r on screen:\n%s" % (pattern, s))
            time.sleep(0.05)

    def kill(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"],
                       capture_output=True, timeout=10)


@pytest.fixture
def tui(tmp_path):
    """Start the TUI in tmux; afterwards its stderr must hold no
    sanitizer report (the SAN=1 run)."""
    started = []

    def start(*args):
        cmd = " ".join(a if a == "<" else shlex.quote(a) for a in
                       [HTTPTOOL, "sniff", "--tui", *map(str, args)])
        t = Tmux(cmd, tmp_path / ("stderr%d" % len(started)))
        started.append(t)
        return t

    yield start
    for t in started:
        # leave any prompt, the filter bar and text views, then quit
        if "EXIT=" not in t.screen():
            t.keys("Escape")
            time.sleep(0.1)
            t.keys("Escape")
            time.sleep(0.1)
            t.keys("q")
        try:
            t.wait(r"^EXIT=0$", timeout=10)
        finally:
            t.kill()
    for t in started:
        err = t.errfile.read_text(errors="replace") \
            if t.errfile.exists() else ""
        assert "Sanitizer" not in err and "runtime error" not in err, err


def test_three_panes_with_headers(tui):
    t = tui("-r", NGINX)
    s = t.wait(r"Detail: frame 1", also=("85 packets, 85 shown",
                                         "0040  0a 22 00 00"))
    assert re.search(r"No\.\s+Time\s+Source\s+Destination\s+Protocol\s+"
                     r"Length\s+Info", s)
    assert "59474 → 55911 [SYN] Seq=0" in s
    assert "GET /big.txt HTTP/1.1" in s          # the list shows HTTP rows
    assert "Transmission Control Protocol, Src Port: 59474" in s   # tree
    assert re.search(r"^ Bytes", s, re.M)
    assert re.search(r"^0000  00 00 00 00", s, re.M)          # hex pane
    assert "85 packets, 85 shown" in s


def test_navigation_changes_detail_and_hex(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("j", "j", "j")
    # HTTP is open by default; the hex pane shows the request's bytes
    t.wait(r"^0040  .*GET /big.txt H", also=(
        "Detail: frame 4", "Hypertext Transfer Protocol",
        r"GET /big.txt HTTP/1.1\r\n", r"Host: 127.0.0.1:55911\r\n"))
    t.keys("Down", "Down")
    t.wait(r"Detail: frame 6", also=(r"HTTP/1.1 200 OK\r\n",))
    t.keys("G")
    t.wait(r"Detail: frame 85")
    t.keys("g")
    t.wait(r"Detail: frame 1\b")


def test_tree_collapse_and_hex_highlight(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("j", "j", "j")
    t.wait(r"Detail: frame 4")
    t.keys("Tab")
    t.wait(r"Detail: frame 4  \[focus\]")
    # down to the HTTP layer (5th line) and collapse it
    t.keys("j", "j", "j", "j", "Enter")
    s = t.wait(r"▸ Hypertext Transfer Protocol")
    assert "Request Method: GET" not in s
    t.keys("Space")
    t.wait(r"▾ Hypertext Transfer Protocol", also=("Request Method: GET",))
    # the selected node's bytes are highlighted (yellow background): walk
    # down to the Host: line, whose bytes are 0x59..0x6f
    for _ in range(25):
        t.keys("j")
        time.sleep(0.15)
        s = t.screen(colours=True)
        sel = [l for l in s.splitlines() if "7m" in l and "Host:" in l]
        if sel:
            break
    assert sel, s
    lit = [re.sub(r"\x1b\[[0-9;]*m", "", l)[:4]
           for l in s.splitlines() if "43m" in l]
    assert lit == ["0050", "0060"]


def test_filter_narrows_and_bad_filter_is_flagged(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("/")
    t.keys("http.request ==", literal=True)
    s = t.wait(r"Unexpected end of filter expression")
    s = t.wait(r"41m.*Filter: http.request ==", colours=True)  # red
    t.keys("Enter")                                  # refused
    time.sleep(0.2)
    assert "85 shown" in t.screen()
    t.keys("C-u")
    t.keys('http.request.method == "POST"', literal=True)
    t.wait(r"42m.*Filter: http.request.method", colours=True)   # green
    t.keys("Enter")
    s = t.wait(r"85 packets, 3 shown", also=("POST /echo",))
    rows = [l for l in s.splitlines()
            if re.match(r"\s+\d+\s+[\d.]+ .*POST /echo HTTP/1.1", l)]
    assert len(rows) == 3
    assert "GET /big.txt" not in s
    t.keys("Escape")                                 # clears the filter
    t.wait(r"85 packets, 85 shown")


def test_filter_from_command_line(tui):
    t = tui("-r", NGINX, "-Y", "http.response.code == 200")
    t.wait(r"85 packets, 12 shown",
           also=("Filter: http.response.code == 200",))


def test_follow_stream_shows_request_and_response(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("j", "j", "j", "f")
    t.wait(r"Follow TCP stream 0 \(ASCII\)", also=(
        "GET /big.txt HTTP/1.1", "HTTP/1.1 200 OK",
        "Transfer-Encoding: chunked"))
    t.keys("d")                                       # de-chunked HTTP view
    t.wait(r"Follow TCP stream 0 \(HTTP, de-chunked, decompressed\)",
           also=("GET /big.txt HTTP/1.1", "Content-Encoding: gzip"))
    t.keys("x")
    t.wait(r"^00000000  47 45 54 20", also=("Follow TCP stream 0 (hex)",))
    t.keys("Escape")
    t.wait(r"Detail: frame 4")


def test_flow_view_and_stats(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("h")
    s = t.wait(r"HTTP flows", also=("/file.txt",))
    assert re.search(r"^\s+4\s+[\d.]+\s+GET\s+200\s.*\s/big.txt$", s, re.M)
    assert len(re.findall(r"POST\s+200\s.*\s/echo$", s, re.M)) == 3
    t.keys("Enter")
    t.wait(r"HTTP exchange", also=(r"GET /big.txt HTTP/1.1\r\n",
                                   r"HTTP/1.1 200 OK\r\n"))
    t.keys("Escape", "Escape", "s")
    t.wait(r"^\s+GET\s+8$", also=("Requests by method",))
    t.keys("?")
    t.wait(r"follow the TCP stream")


def test_mark_and_save(tui, tmp_path):
    out = tmp_path / "marked.pcap"
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("j", "j", "j", "m", "j", "j", "m")
    t.wait(r"2 marked")
    t.keys("w", "m")
    t.wait(r"Save to file")
    t.keys(str(out), literal=True)             # replaces the default
    t.keys("Enter")
    t.wait(r"saved 2 packets")
    frames = pcap_frames(out.read_bytes())
    assert [len(f) for f in frames] == [194, 828]     # frames 4 and 6
    assert frames[0][66:82] == b"GET /big.txt HTT"


def pcap_frames(data):
    """The frames of a classic pcap file (either byte order)."""
    order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") \
        else ">"
    out, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return out


def test_capture_on_stdin_keys_from_the_terminal(tui):
    t = tui("-r", "-", "<", NGINX)
    t.wait(r"Detail: frame 1", also=("-: 85 packets",))
    t.keys("j", "j", "j")
    t.wait(r"Detail: frame 4")


def test_damaged_capture_shows_what_was_read(tui):
    t = tui("-r", os.path.join(DATA, "sniff", "cut.pcap"))
    t.wait(r"11 packets, 11 shown.*damaged after frame 11")
    t.keys("G")
    t.wait(r"Detail: frame 11\b")
    t.keys("q")
    t.wait(r"^EXIT=0$")
    assert "is damaged after frame 11" in t.errfile.read_text()


def test_q_exits_0_and_restores_terminal(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    assert t.tmux("display", "-p", "-t", "t", "#{alternate_on}").strip() == "1"
    t.keys("q")
    s = t.wait(r"EXIT=0")
    assert "Detail: frame" not in s
    assert t.tmux("display", "-p", "-t", "t", "#{alternate_on}").strip() == "0"


def test_mouse_click_and_wheel(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    # mouse reports as the pane's terminal (TERM=screen: X10 encoding,
    # ESC [ M then button, column, row each plus 32) sends them: a click
    # on the 6th list row (screen line 8), then the wheel (3 rows a notch)

    def mouse(button, col, row):
        return "\x1b[M" + chr(32 + button) + chr(32 + col) + chr(32 + row)

    t.keys(mouse(0, 20, 8) + mouse(3, 20, 8), literal=True)
    t.wait(r"Detail: frame 6\b")
    t.keys(mouse(65, 20, 8), literal=True)
    t.wait(r"Detail: frame 9\b")
    t.keys(mouse(64, 20, 8), literal=True)
    t.wait(r"Detail: frame 6\b")


def test_ctrl_c_also_restores_terminal(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("C-c")
    t.wait(r"^EXIT=0$")
    assert t.tmux("display", "-p", "-t", "t", "#{alternate_on}").strip() == "0"


def test_resize_reflows(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.tmux("resize-window", "-t", "t", "-x", "60", "-y", "24")
    s = t.wait(r"Detail: frame 1", also=("Filter:", "85 packets"))
    lines = s.rstrip("\n").split("\n")
    assert len(lines) == 24
    # nothing wrapped: the bars are where the layout puts them
    assert lines[0].startswith(" httptool sniff --tui")
    assert lines[-2].startswith("Filter:")
    assert lines[-1].startswith(" ") and "85 packets" in lines[-1]
    assert any(l.startswith(" Bytes") for l in lines)
    hexl = [l for l in lines if re.match(r"^00[0-9a-f]0  ", l)]
    assert hexl and all(len(l) <= 60 for l in hexl)


def test_no_terminal_and_bad_filter_are_usage_errors():
    r = run("sniff", "--tui", "-r", NGINX)
    assert r.returncode == 2
    assert b"needs a terminal" in r.stderr
    r = run("sniff", "--tui", "-r", NGINX, "-Y", "http.request ==")
    assert r.returncode == 2
    assert b"Unexpected end of filter expression" in r.stderr


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from the live test\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def test_live_mode_shows_new_packets(tui):
    port = free_port()
    srv = HTTPServer(("127.0.0.1", port), Hello)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        t = tui("-i", "lo", "-f", "tcp port %d" % port)
        t.wait(r"lo: 0 packets")
        with urllib.request.urlopen("http://127.0.0.1:%d/first" % port,
                                    timeout=5) as r:
            r.read()
        t.wait(r"GET /first HTTP/1.1", also=("Detail: frame 1",))
        t.wait(r"HTTP/1.\d 200 OK")
        t.keys("j", "j")
        t.wait(r"Detail: frame 3")
        with urllib.request.urlopen("http://127.0.0.1:%d/second" % port,
                                    timeout=5) as r:
            r.read()
        # the selection stays on frame 3 while rows arrive
        t.wait(r"GET /second HTTP/1.1", also=("Detail: frame 3",))
        t.keys("p")
        t.wait(r"\[paused\]")
        t.keys("q")
        t.wait(r"EXIT=0")
    finally:
        srv.shutdown()
        srv.server_close()


def test_body_line_highlights_in_its_data_source_tab(tui):
    """Frame 6 is chunked and gzip: a line of the body is in the
    'Uncompressed entity body' source, whose tab the bytes pane shows
    with exactly that line lit; the Host line of frame 4 is in the frame's
    tab."""
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1")
    t.keys("j", "j", "j", "j", "j")
    t.wait(r"Detail: frame 6", also=("Bytes: [Frame (828)]",))
    t.keys("Tab")
    t.wait(r"Detail: frame 6  \[focus\]")
    for _ in range(120):
        t.keys("j")
        time.sleep(0.05)
        s = t.screen(colours=True)
        sel = [l for l in s.splitlines()
               if "7m" in l and "line 1 of a text file" in l]
        if sel:
            break
    assert sel, s
    plain = t.screen()
    assert re.search(r"Bytes:  Frame \(828\)   De-chunked entity body "
                     r"\(499\)  \[Uncompressed entity body \(4690\)\]",
                     plain), plain
    lit = [re.sub(r"\x1b\[[0-9;]*m", "", l)[:4]
           for l in s.splitlines() if "43m" in l]
    # "line 1 of a text file\n" is bytes 0x16..0x2b of the body
    assert lit == ["0010", "0020"], s


def test_count_limits_the_frames(tui):
    t = tui("-r", NGINX, "-c", "10")
    t.wait(r"10 packets, 10 shown")


def test_command_and_text_outputs_are_refused_with_tui():
    r = run("sniff", "--tui", "-i", "lo", "--", "true")
    assert r.returncode == 2
    assert b"--tui does not run -- COMMAND" in r.stderr
    r = run("sniff", "--tui", "-r", NGINX, "--json")
    assert r.returncode == 2
    assert b"--tui is an output of its own" in r.stderr
