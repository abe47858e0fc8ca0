"""sniff --tui, issue 18: saving from a live capture started as root, the
save prompt, the 80x24 layout, frame references, history, find, go to,
the windows.  Driven in tmux as test_tui.py is (send-keys, capture-pane).
"""
import os
import re
import shlex
import struct
import subprocess
import threading
import time
import urllib.request
from http.server import HTTPServer

import pytest

from conftest import DATA, HTTPTOOL, free_port
from test_tui import Hello, Tmux, pcap_frames

NGINX = os.path.join(DATA, "sniff", "nginx.pcap")
SNIFF = os.path.join(DATA, "sniff")


@pytest.fixture
def tui(tmp_path):
    """start(*args, cols=, rows=, cwd=): the TUI in tmux; on exit it must
    quit with status 0 and print no sanitizer report."""
    started = []

    def start(*args, cols=160, rows=50, cwd=None):
        cmd = " ".join(shlex.quote(str(a)) for a in
                       [HTTPTOOL, "sniff", "--tui", *args])
        if cwd:
            cmd = "cd %s && %s" % (shlex.quote(str(cwd)), cmd)
        t = Tmux(cmd, tmp_path / ("stderr%d" % len(started)), cols=cols,
                 rows=rows)
        started.append(t)
        return t

    yield start
    for t in started:
        if "EXIT=" not in t.screen():
            for k in ("Escape", "Escape", "Escape", "q"):
                t.keys(k)
                time.sleep(0.1)
        try:
            t.wait(r"^EXIT=0$", timeout=10)
        finally:
            t.kill()
    for t in started:
        err = t.errfile.read_text(errors="replace") \
            if t.errfile.exists() else ""
        assert "Sanitizer" not in err and "runtime error" not in err, err


@pytest.fixture
def server():
    port = free_port()
    srv = HTTPServer(("127.0.0.1", port), Hello)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield port
    srv.shutdown()
    srv.server_close()


def get(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path),
                                timeout=5) as r:
        return r.read()


def save(t, which, *typed):
    t.keys("w", which)
    t.wait(r"Save to file")
    for k in typed:
        t.keys(k, literal=not k.startswith("C-"))
    t.keys("Enter")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root (the CI runs so)")
def test_live_save_as_root_after_the_drop(tui, server, tmp_path):
    """Started as root, the TUI drops to nobody once the capture is open;
    saving still creates the file in the start directory (nobody cannot
    write there), a path elsewhere fails with the reason, and an existing
    file is not replaced."""
    start = tmp_path / "start"
    start.mkdir()
    os.chmod(start, 0o700)
    t = tui("-i", "lo", "-f", "tcp port %d" % server, cwd=start)
    t.wait(r"lo: 0 packets")
    get(server, "/saved")
    t.wait(r"GET /saved HTTP/1.1", also=("HTTP/1.0 200 OK",))
    save(t, "a")
    s = t.wait(r"saved \d+ packets to 'httptool-saved.pcap'")
    n = int(re.search(r"saved (\d+) packets", s).group(1))
    data = (start / "httptool-saved.pcap").read_bytes()
    frames = pcap_frames(data)
    assert len(frames) == n >= 6
    assert any(b"GET /saved HTTP/1.1" in f for f in frames)
    # the same name again: the opener makes only new files
    save(t, "a")
    t.wait(r"cannot write 'httptool-saved.pcap': File exists \(root was "
           r"given up: only new files can be made\)")
    # outside the start directory nobody may not write: the reason
    other = tmp_path / "elsewhere.pcap"
    save(t, "a", "C-u", str(other))
    t.wait(r"cannot write '%s': Permission denied \(root was given up"
           % re.escape(str(other)[:60]))
    assert not other.exists()
    # a typed name replaces the default (not appended to it)
    save(t, "d", "typed.pcap")
    t.wait(r"saved \d+ packets to 'typed.pcap'")
    assert (start / "typed.pcap").exists()
    assert sorted(os.listdir(start)) == ["httptool-saved.pcap", "typed.pcap"]


def test_save_prompt_clear_replace_and_reason(tui, tmp_path):
    t = tui("-r", NGINX, cwd=tmp_path)
    t.wait(r"Detail: frame 1")
    # Ctrl-U clears the default, then the typed path is the whole name
    save(t, "a", "C-u", str(tmp_path / "all.pcap"))
    t.wait(r"saved 85 packets to '%s'" % re.escape(str(tmp_path / "all.pcap")))
    assert len(pcap_frames((tmp_path / "all.pcap").read_bytes())) == 85
    # typing over the selected default replaces it
    save(t, "a", "x.pcap")
    t.wait(r"saved 85 packets to 'x.pcap'")
    assert (tmp_path / "x.pcap").exists()
    assert not (tmp_path / "httptool-saved.pcapx.pcap").exists()
    # Backspace edits the default instead
    t.keys("w", "a", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
    t.keys("_2.pcap", literal=True)
    t.wait(r"Save to file.*: httptool-saved_2.pcap")
    t.keys("Enter")
    t.wait(r"saved 85 packets to 'httptool-saved_2.pcap'")
    # a failure says why, naming the file once
    save(t, "a", "/nonexistent/dir/x.pcap")
    s = t.wait(r"cannot write '/nonexistent/dir/x.pcap': No such file or "
               r"directory")
    assert s.count("/nonexistent/dir/x.pcap") == 1
    # an empty name saves nothing
    save(t, "a", "C-u")
    t.wait(r"not saved: no file name")


def sniff_out(*args):
    from conftest import run
    r = run("sniff", *map(str, args))
    assert r.returncode == 0, r.stderr
    return r.stdout.decode()


def test_follow_http_is_follow_c_decompressed_with_blank_line(tui):
    """d shows each message as --follow-http does: the gzip body
    decompressed, and the blank line that ends the head."""
    t = tui("-r", NGINX, rows=200)
    t.wait(r"Detail: frame 1")
    t.keys("j", "j", "j", "f", "d")
    s = t.wait(r"Follow TCP stream 0 \(HTTP, de-chunked, decompressed\)",
               also=("line 1 of a text file",))
    want = [l for l in sniff_out("-r", NGINX, "--follow-http", "0")
            .replace("\t", "").split("\n")
            if not re.match(r"^(\d+|=+|Follow:.*|Filter:.*|Node \d:.*)$", l)]
    lines = s.split("\n")
    at = lines.index("GET /big.txt HTTP/1.1")
    got = [l.rstrip() for l in lines[at:at + len(want) - 1]]
    def squeeze(ls):        # sniff's chunk layout adds a newline
        return [l for i, l in enumerate(ls) if l or (i and ls[i - 1])]
    assert squeeze(got)[:30] == squeeze([w.rstrip() for w in want[1:]])[:30]
    # the request's head ends in a blank line, then the response
    i = got.index("Accept-Encoding: deflate, gzip, br, zstd")
    assert got[i + 1] == "" and got[i + 2] == "HTTP/1.1 200 OK"
    i = got.index("Content-Encoding: gzip")
    assert got[i + 1] == "" and got[i + 2] == "line 0 of a text file"


def test_statistics_honour_the_display_filter(tui):
    t = tui("-r", NGINX, rows=60)
    t.wait(r"Detail: frame 1")
    t.keys("s")
    s = t.wait(r"Statistics \(sniff --stats\)", also=("Requests: 12",))
    got = [l.rstrip() for l in s.split("\n")]
    for l in sniff_out("-r", NGINX, "--stats").split("\n"):
        assert l.rstrip() in got, (l, s)     # response times too
    # the histogram counts the 12 response times; codes by URI
    hist = re.findall(r"^ +[<>=\d. -]+ (?:ms|s) +(\d+)(?: +#+)?$", s, re.M)
    assert len(hist) == 6 and sum(map(int, hist)) == 12, s
    assert re.search(r"^  /echo +100 +1$", s, re.M)
    assert re.search(r"^  /index.html +200 +7$", s, re.M)
    t.keys("Escape", "/")
    t.keys('http.request.method == "POST" || http.response.code == 200',
           literal=True)
    t.keys("Enter")
    t.wait(r"85 packets, 15 shown")
    t.keys("s")
    s = t.wait(r"Statistics \(sniff --stats -Y", also=("Requests: 3",))
    want = sniff_out("-r", NGINX, "--stats", "-Y",
                     'http.request.method == "POST" || '
                     'http.response.code == 200')
    body = [l.rstrip() for l in want.split("\n")
            if l.strip() and not l.startswith("===")]
    got = [l.rstrip() for l in s.split("\n")]
    for l in body:
        assert l in got, (l, s)
    assert not re.search(r"^\s+GET\s+\d+$", s, re.M)
    assert re.search(r"^  /echo +200 +3$", s, re.M)      # displayed only
    assert not re.search(r"^  /echo +100 ", s, re.M)


CONTINUE = os.path.join(SNIFF, "continue.pcap")
PARALLEL = os.path.join(SNIFF, "parallel.pcap")
INFO = "POST /upload HTTP/1.1  (multipart/form-data)"


def test_80x24_info_column_flows_status_and_sideways_scroll(tui):
    t = tui("-r", CONTINUE, cols=80, rows=24)
    s = t.wait(r"Detail: frame 1\b")
    lines = s.rstrip("\n").split("\n")
    assert len(lines) == 24 and all(len(l) <= 80 for l in lines)
    row = [l for l in lines if re.match(r"^ +8 ", l)][0]
    assert INFO in row                       # all of it, not "POST /"
    head = lines[1]
    assert re.match(r"^ +No\. +Time +.*Info$", head), head
    # the first row's Info is longer than the screen: → scrolls it
    row1 = [l for l in lines if re.match(r"^ +1 ", l)][0]
    assert "WS=128" not in row1
    t.keys("Right", "Right", "Right", "Right", "Right")
    s = t.wait(r"WS=128")
    assert not re.search(r"^ +1 ", s, re.M)   # the No. column went left
    t.keys("Left", "Left", "Left", "Left", "Left")
    t.wait(r"^ +1 +0\.000000", also=(INFO,))
    # the flows view keeps its Status column at 80 columns
    t.keys("h")
    s = t.wait(r"HTTP flows")
    assert re.search(r"Method +Status +Size +Duration +URI", s), s
    assert re.search(r"^ +8 +[\d.]+ POST +200 +\d+ +[\d.]+ /upload$", s,
                     re.M), s


def tree_to(t, label, tries=60):
    """Walk the tree pane down until the selected line holds label."""
    for _ in range(tries):
        s = t.screen(colours=True)
        if [l for l in s.splitlines() if "7m" in l and label in l]:
            return
        t.keys("j")
        time.sleep(0.05)
    raise AssertionError("no %r selected:\n%s" % (label, t.screen()))


def test_enter_on_frame_references_and_back_forward(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    t.keys("j", "j", "j")
    t.wait(r"Detail: frame 4\b")
    t.keys("Tab")
    tree_to(t, "[Response in frame: 6]")
    t.keys("Enter")
    t.wait(r"Detail: frame 6\b")
    tree_to(t, "[Request in frame: 4]")
    t.keys("Enter")
    t.wait(r"Detail: frame 4\b")
    t.keys("[")                               # back: 6, then 4 again
    t.wait(r"Detail: frame 6\b")
    t.keys("[")
    t.wait(r"Detail: frame 4\b")
    t.keys("[")
    t.wait(r"nothing to go back to")
    t.keys("]")                               # forward
    t.wait(r"Detail: frame 6\b")
    t.keys("M-Left")                          # Alt-←, as a browser
    t.wait(r"Detail: frame 4\b")
    t.keys("M-Right")
    t.wait(r"Detail: frame 6\b")
    # a reference to a frame the display filter hides says so
    t.keys("/")
    t.keys("http.response", literal=True)
    t.keys("Enter")
    t.wait(r"85 packets, 13 shown")
    t.keys("Tab", "Tab", "g")                 # the list again
    t.wait(r"Detail: frame 6\b")
    t.keys("Tab")
    t.wait(r"Detail: frame 6  \[focus\]")
    tree_to(t, "[Request in frame: 4]")
    t.keys("Enter")
    t.wait(r"frame 4 is hidden by the display filter")


def test_leaving_the_flows_view_selects_the_exchange(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    t.keys("h")
    t.wait(r"HTTP flows", also=("/file.txt",))
    t.keys("j", "j", "j")                     # the 4th: GET /file.txt
    t.keys("Escape")
    s = t.wait(r"Detail: frame 28\b", also=("GET /file.txt HTTP/1.1",))
    t.keys("[")                               # and Back returns
    t.wait(r"Detail: frame 1\b")


def test_go_to_packet(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    t.keys("C-g")
    t.wait(r"Go to packet:")
    t.keys("50", literal=True)
    t.keys("Enter")
    t.wait(r"Detail: frame 50\b")
    t.keys("C-g")
    t.keys("999", literal=True)
    t.keys("Enter")
    t.wait(r"no frame 999 \(85 frames\)", also=("Detail: frame 50",))
    t.keys("C-g")
    t.keys("x1", literal=True)
    t.keys("Enter")
    t.wait(r"go to: 'x1' is not a frame number")
    t.keys("[")
    t.wait(r"Detail: frame 1\b")


def test_find_filter_string_hex_and_n_N(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    t.keys("C-g")
    t.keys("50", literal=True)
    t.keys("Enter")
    t.wait(r"Detail: frame 50\b")
    t.keys("C-f")
    t.wait(r"Find display filter \(Tab: what\):")
    t.keys('http.request.method == "POST"', literal=True)
    t.keys("Enter")
    t.wait(r"Detail: frame 63\b", also=("display filter",))
    t.keys("n")                                # 36, wrapping
    t.wait(r"Detail: frame 36\b", also=("wrapped to the top",))
    t.keys("N")
    t.wait(r"Detail: frame 63\b", also=("wrapped to the bottom",))
    t.keys("N")
    t.wait(r"Detail: frame 50\b")
    # a string in the Info column
    t.keys("C-f", "Tab")
    t.wait(r"Find string in Info")
    t.keys("HEAD /", literal=True)
    t.keys("Enter")
    t.wait(r"Detail: frame 14\b")
    # a string in the tree, in the bytes, and hex bytes
    t.keys("C-f", "Tab")
    t.wait(r"Find string in tree")
    t.keys("C-u")
    t.keys("[Time since request: 0.000320", literal=True)
    t.keys("Enter")
    t.wait(r"Detail: frame 6\b")
    t.keys("C-f", "Tab")
    t.wait(r"Find string in bytes")
    t.keys("C-u")
    t.keys("name=", literal=True)
    t.keys("Enter")
    s = t.wait(r"string in bytes 'name=': frame (\d+)")
    first = int(re.search(r"'name=': frame (\d+)", s).group(1))
    assert first > 6
    t.keys("C-f", "Tab")
    t.wait(r"Find hex bytes")
    t.keys("C-u")
    t.keys("47 45 54 20 2f 66", literal=True)   # "GET /f"
    t.keys("Enter")
    t.wait(r"Detail: frame 28\b")
    t.keys("C-f", "C-u")
    t.keys("zz", literal=True)
    t.keys("Enter")
    t.wait(r"find: not hex bytes: 'zz'")
    t.keys("C-f", "Tab", "C-u")              # filter, bad
    t.keys("http.request ==", literal=True)
    t.keys("Enter")
    t.wait(r"find: .*(Unexpected|expected)")


def test_same_stream_and_marks(tui):
    t = tui("-r", PARALLEL)
    t.wait(r"Detail: frame 1\b")
    t.keys("C-g")
    t.keys("4", literal=True)
    t.keys("Enter")
    t.wait(r"Detail: frame 4\b")
    for want in (5, 6, 14, 15, 16):           # stream 1, others skipped
        t.keys(".")
        t.wait(r"Detail: frame %d\b" % want)
    t.keys(",")
    t.wait(r"Detail: frame 15\b")
    t.keys("g", ",")
    t.wait(r"no earlier packet of TCP stream 0")
    # marks: M goes to the next marked packet, wrapping
    t.keys("C-g")
    t.keys("20", literal=True)
    t.keys("Enter", "m")
    t.keys("C-g")
    t.keys("7", literal=True)
    t.keys("Enter", "m")
    t.wait(r"2 marked")
    t.keys("M")
    t.wait(r"Detail: frame 20\b")
    t.keys("M")
    t.wait(r"Detail: frame 7\b")


def test_save_a_range(tui, tmp_path):
    t = tui("-r", NGINX, cwd=tmp_path)
    t.wait(r"Detail: frame 1\b")
    t.keys("w", "r")
    t.wait(r"Save frames \(10-20")
    t.keys("10-20", literal=True)
    t.keys("Enter")
    t.wait(r"Save to file")
    t.keys("range.pcap", literal=True)
    t.keys("Enter")
    t.wait(r"saved 11 packets to 'range.pcap'")
    frames = pcap_frames((tmp_path / "range.pcap").read_bytes())
    assert len(frames) == 11
    t.keys("w", "r")
    t.keys("20-10", literal=True)
    t.keys("Enter")
    t.wait(r"not a range of frames: '20-10'")


def test_help_lists_the_key_table(tui):
    t = tui("-r", NGINX, rows=60)
    t.wait(r"Detail: frame 1\b")
    t.keys("?")
    s = t.wait(r"^  Ctrl-G +go to packet number", also=("Jumping",))
    for keys in ("[ ] Alt-Left Alt-Right", "Ctrl-F", "n N", ", .", "M",
                 "Left Right", "e E *"):
        assert re.search(r"^  %s  " % re.escape(keys), s, re.M), keys


def test_pages_ends_tree_keys_and_maximise(tui):
    """The moving keys no other test presses: PgDn PgUp, End Home, k;
    in the tree E, *, Left, e; and \\ maximising a pane and back."""
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    t.keys("NPage")
    s = t.wait(r"Detail: frame (?!1\b)\d+")
    assert int(re.search(r"Detail: frame (\d+)", s).group(1)) > 5
    t.keys("PPage")
    t.wait(r"Detail: frame 1\b")
    t.keys("End")
    t.wait(r"Detail: frame 85\b")
    t.keys("Home")
    t.wait(r"Detail: frame 1\b")
    t.keys("j", "j", "j", "j", "k")
    t.wait(r"Detail: frame 4\b")
    t.keys("Tab", "E")            # every node closed, HTTP too
    s = t.wait(r"▸ Hypertext Transfer Protocol",
               also=("▸ Transmission Control Protocol",))
    assert "Request Method: GET" not in s
    t.keys("j", "j", "j", "j", "*")   # HTTP's whole subtree opens
    s = t.wait(r"▾ Hypertext Transfer Protocol", also=(
        "Request Method: GET", "▸ Transmission Control Protocol"))
    t.keys("Left")
    t.wait(r"▸ Hypertext Transfer Protocol")
    t.keys("e")                   # all open: Ethernet is closed by default
    t.wait(r"▾ Ethernet II", also=("▾ Internet Protocol Version 4",
                                   "Frame Number: 4"))
    t.keys("\\")                  # the tree alone: no list, no bytes
    s = t.wait(r"Detail: frame 4  \[focus\]")
    for _ in range(50):
        if not re.search(r"^ Bytes", s, re.M):
            break
        time.sleep(0.1)
        s = t.screen()
    assert not re.search(r"No\.\s+Time\s+Source", s)
    assert not re.search(r"^ Bytes", s, re.M)
    t.keys("\\")
    t.wait(r"No\.\s+Time\s+Source", also=("Detail: frame 4",))


def list_rows(s):
    """(frame, line) of the packet list rows on a screen."""
    out = []
    for l in s.split("\n"):
        m = re.match(r"^[ *] *(\d+) ", l)
        if m and "Detail:" not in l:
            out.append((int(m.group(1)), l))
    return out


def test_sort_by_column_keys_and_heading_click(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    for _ in range(5):                        # No. > Time > ... > Length
        t.keys(">")
    s = t.wait(r"sorted by Length", also=("Length▲",))
    assert "Detail: frame 1" in s             # the selection stays
    t.keys("g")
    s = t.wait(r"Detail: frame 3\b")
    rows = list_rows(s)
    assert rows[0][0] == 3 and " 66 " in rows[0][1]   # 66 bytes, first
    assert all(" 66 " in r[1] for r in rows[:5])
    assert rows[0][0] < rows[1][0] < rows[2][0]        # ties: capture order
    # a click on the same heading reverses: 4756, then 828
    x = s.split("\n")[1].index("Length")
    t.keys("\x1b[M" + chr(32) + chr(33 + x) + chr(33 + 1), literal=True)
    s = t.wait(r"sorted by Length, descending", also=("Length▼",))
    t.keys("g")
    s = t.wait(r"Detail: frame 63\b")
    rows = list_rows(s)
    assert [r[0] for r in rows[:2]] == [63, 6]
    t.keys(">")                               # Info
    s = t.wait(r"sorted by Info")
    t.keys("g")
    s = t.wait(r"Detail: frame 5\b", also=("Info▲",))   # "55911 → ..."
    assert "55911 → 59474 [ACK] Seq=1 Ack=129" in list_rows(s)[0][1]
    t.keys("G")                               # "POST ..." sorts last
    s = t.wait(r"Detail: frame 50\b")         # "(multipart..." last
    t.keys("<", "<", "<", "<", "<", "<")        # back to No.: capture order
    s = t.wait(r"sorted by No\.")
    t.keys("g")
    s = t.wait(r"Detail: frame 1\b")
    assert [r[0] for r in list_rows(s)[:3]] == [1, 2, 3]


def test_time_display_formats(tui):
    t = tui("-r", NGINX)
    t.wait(r"Detail: frame 1\b")
    s = t.screen()
    assert re.search(r"^ +2 0\.000011 ", s, re.M)
    t.keys("t")
    s = t.wait(r"time: time of day")
    assert re.search(r"^ +2 \d\d:\d\d:\d\d\.\d{6} ", s, re.M)
    t.keys("t")
    s = t.wait(r"time: epoch seconds")
    assert re.search(r"^ +2 1\d{9}\.\d{6} ", s, re.M)
    t.keys("t")
    s = t.wait(r"time: since the previous captured packet")
    assert re.search(r"^ +2 0\.000011 ", s, re.M)
    assert re.search(r"^ +3 0\.000009 ", s, re.M)      # 20 - 11 us
    t.keys("t")
    t.wait(r"time: since the previous displayed")
    t.keys("/")
    t.keys("http.request", literal=True)
    t.keys("Enter")
    s = t.wait(r"85 packets, 12 shown")
    # 14 follows 4 in the list: 5355 - 55 us
    assert re.search(r"^ +14 0\.005300 ", s, re.M), s
    t.keys("t")
    t.wait(r"time: seconds since the first packet")


def test_colouring_rules(tui):
    t = tui("-r", os.path.join(SNIFF, "early-response.pcap"))
    t.wait(r"Detail: frame 1\b")
    s = t.screen(colours=True)
    lines = s.split("\n")

    plain = [re.sub(r"\x1b\[[0-9;]*m", "", l) for l in lines]
    rows = {int(re.match(r"^[ *] *(\d+)", p).group(1)): l
            for p, l in zip(plain, lines)
            if re.match(r"^[ *] *\d+ ", p) and "Detail" not in p}
    assert "47m" in rows[2] and "30m" in rows[2]     # SYN/FIN: grey
    assert "47m" in rows[8]                          # FIN
    assert "33m" in rows[6] or "35m" in rows[6]      # 4xx: HTTP rule
    assert "41m" in rows[10]                         # malformed: red
    assert "47m" not in rows[3] and "41m" not in rows[3]   # plain TCP
    t = tui("-r", os.path.join(SNIFF, "h2c-upgrade.pcap"))
    s = t.wait(r"Detail: frame 1\b")
    rst = [l for l in s.split("\n") if re.search(r"\[RST\]", l)]
    assert len(rst) == 1
    s = t.screen(colours=True)
    rst = [l for l in s.split("\n") if re.search(r"\[RST\]", l)]
    assert "41m" in rst[0] and "33m" in rst[0]       # RST: yellow on red


def test_ladder_window_is_sniff_ladder_and_enter_selects(tui):
    t = tui("-r", PARALLEL, cols=120)
    t.wait(r"Detail: frame 1\b")
    t.keys("l")
    s = t.wait(r"Ladder: 18 arrows")
    got = [l.rstrip() for l in s.split("\n")]
    want = sniff_out("-r", PARALLEL, "--ladder").rstrip("\n").split("\n")
    at = got.index(want[0])
    assert got[at:at + len(want)] == [w.rstrip() for w in want]
    t.keys("j", "j", "Enter")                 # the 3rd arrow: SYN, frame 4
    t.wait(r"Detail: frame 4\b")
    # the display filter applies: one connection's arrows only
    t.keys("/")
    t.keys("tcp.stream == 1", literal=True)
    t.keys("Enter")
    t.wait(r"30 packets, 10 shown")
    t.keys("l")
    s = t.wait(r"Ladder: 6 arrows, filter tcp.stream == 1")
    got = [l.rstrip() for l in s.split("\n")]
    want = sniff_out("-r", PARALLEL, "--ladder", "-Y",
                     "tcp.stream == 1").rstrip("\n").split("\n")
    at = got.index(want[0])
    assert got[at:at + len(want)] == [w.rstrip() for w in want]


def test_conversations_window(tui):
    t = tui("-r", PARALLEL, cols=140)
    t.wait(r"Detail: frame 1\b")
    t.keys("c")
    s = t.wait(r"TCP conversations: 3")
    rows = re.findall(r"^ +(\d) +127\.0\.0\.1:(\d+) +127\.0\.0\.1:21998 +"
                      r"(\d+) +(\d+) +(\d+) +(\d+) +([\d.]+) +(\d+) (.*)$",
                      s, re.M)
    assert [r[0] for r in rows] == ["0", "1", "2"]
    assert [r[1] for r in rows] == ["37704", "37706", "37712"]
    for r in rows:
        assert (r[2], r[4]) == ("6", "4")            # packets each way
        assert r[7] == "1" and r[8].strip() == "FIN both"
    assert rows[0][3] == "486" and rows[0][5] == "510"
    t.keys("Escape", "/")
    t.keys("tcp.stream == 2", literal=True)
    t.keys("Enter")
    t.wait(r"30 packets, 10 shown")
    t.keys("c")
    s = t.wait(r"TCP conversations: 1, filter tcp.stream == 2")
    assert re.search(r"^ +2 +127\.0\.0\.1:37712 ", s, re.M)


def tshark_frames(pcap, flt):
    r = subprocess.run(["tshark", "-r", pcap, "-Y", flt, "-T", "fields",
                        "-e", "frame.number"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return [int(x) for x in r.stdout.split()]


def test_expert_information_window(tui):
    """The TCP analysis marks are tshark's (compared on the same
    capture); HTTP errors and chats, grouped by severity; Enter selects
    a frame."""
    pcap = os.path.join(SNIFF, "out-of-order.pcap")
    t = tui("-r", pcap, cols=120, rows=60)
    t.wait(r"Detail: frame 1\b")
    t.keys("i")
    s = t.wait(r"Expert information: \d+ errors")

    def frames(group):
        block = s.split("  %s (" % group, 1)[1].split("\n")[1:]
        out = []
        for l in block:
            m = re.match(r"^    frame (\d+) ", l)
            if not m:
                break
            out.append(int(m.group(1)))
        return out
    assert frames("Previous segment(s) not captured (common at capture "
                  "start)") == tshark_frames(pcap, "tcp.analysis.lost_segment")
    assert frames("This frame is a (suspected) out-of-order segment") == \
        tshark_frames(pcap, "tcp.analysis.out_of_order")
    assert re.search(r"^Warning$", s, re.M) and re.search(r"^Chat$", s, re.M)
    assert s.index("Warning") < s.index("Chat")
    t.keys("Enter")                           # the first frame line
    first = frames("Previous segment(s) not captured (common at capture "
                   "start)")[0]
    t.wait(r"Detail: frame %d\b" % first)
    # errors, and the filter: only displayed packets count
    t = tui("-r", os.path.join(SNIFF, "early-response.pcap"))
    t.wait(r"Detail: frame 1\b")
    t.keys("i")
    s = t.wait(r"Expert information: 1 errors, 1 warnings")
    assert re.search(r"^Error\n  Malformed HTTP message \(1\)\n    frame 10 ",
                     s, re.M)
    t.keys("Escape", "/")
    t.keys("frame.number < 5", literal=True)
    t.keys("Enter")
    t.wait(r"10 packets, 4 shown")
    t.keys("i")
    t.wait(r"Expert information: 0 errors, 0 warnings, 0 notes, 2 chats, "
           r"filter frame.number < 5")


def test_endpoints_window_equals_tshark(tui):
    """P: packets and bytes each address:port sent and received, as
    tshark -z endpoints,tcp counts them."""
    r = subprocess.run(["tshark", "-r", PARALLEL, "-q", "-z",
                        "endpoints,tcp"], capture_output=True, text=True,
                       timeout=60)
    want = {}
    for l in r.stdout.split("\n"):
        m = re.match(r"^(\S+) +(\d+) +\d+ +\d+ +(\d+) +(\d+) +(\d+) +(\d+)",
                     l)
        if m:
            want["%s:%s" % (m.group(1), m.group(2))] = m.groups()[2:]
    assert len(want) == 4
    t = tui("-r", PARALLEL, cols=120)
    t.wait(r"Detail: frame 1\b")
    t.keys("P")
    s = t.wait(r"Endpoints \(TCP and UDP\): 4")
    got = {m[0]: m[1:] for m in re.findall(
        r"^(\S+:\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", s, re.M)}
    assert got == want


def test_io_graph_window(tui):
    t = tui("-r", NGINX, "-Y", "http", rows=60)
    t.wait(r"85 packets, 25 shown")
    t.keys("I")
    s = t.wait(r"IO graph: packets per 0\.001 s \('#' filter http, '\.' all\)")
    rows = re.findall(r"^ +([\d.]+) +(\d+) +(\d+) +(\d+)(?:  ([#.]+))?$", s,
                      re.M)
    assert len(rows) == 29                    # 0.028 s in 1 ms steps
    assert sum(int(r[1]) for r in rows) == 25
    assert sum(int(r[2]) for r in rows) == 85
    for r in rows:                            # the bars follow the counts
        assert (int(r[2]) > 0) == bool(r[4])
        assert r[4].count("#") >= (1 if int(r[1]) else 0)
    # b: bytes per interval (original lengths, as Wireshark's BYTES),
    # each interval's equal to the pcap's; the packets move to the side
    want, first = [0] * 29, None
    with open(NGINX, "rb") as f:
        data = f.read()
    off, http = 24, set(int(x) for x in subprocess.run(
        [HTTPTOOL, "sniff", "-r", NGINX, "-Y", "http", "-T", "fields", "-e",
         "frame.number"], capture_output=True, check=True).stdout.split())
    shown_bytes, no = 0, 0
    while off + 16 <= len(data):
        sec, usec, caplen, length = struct.unpack("<IIII", data[off:off + 16])
        ns = sec * 10**9 + usec * 1000
        first = ns if first is None else first
        no += 1
        want[(ns - first) // 10**6] += length
        shown_bytes += length if no in http else 0
        off += 16 + caplen
    t.keys("b")
    s = t.wait(r"IO graph: bytes per 0\.001 s \('#' filter http")
    rows = re.findall(r"^ +([\d.]+) +(\d+) +(\d+) +(\d+)(?:  ([#.]+))?$", s,
                      re.M)
    assert [int(r[2]) for r in rows] == want
    assert sum(int(r[1]) for r in rows) == shown_bytes > 0
    assert sum(int(r[3]) for r in rows) == 25
    assert "Packets" in s
    t.keys("b")
    t.wait(r"IO graph: packets per 0\.001 s")
