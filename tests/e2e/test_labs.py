"""The lab book, docs/labs.md, run as written (issue 21): every `$ command`
in its ```console blocks runs, in order, in one scratch folder (~/lab in
the book), against the servers the book starts with `&`; what it prints
must still match the output shown under it.

Matching is by shape, not by the clock: dates, times, durations, TCP
timestamps, sequence numbers and frame sizes (a header added to the
server's replies changes them), client ports and uuids are masked on both
sides,
the book's ports (8000, 9000, 8443) are mapped to free ones, and the
shown lines must appear in the output in the same order ("..." in the
book stands for lines left out).  The whole book shares one test so that
a server started in one lab serves the next.

REGEN_LABS=1 rewrites the outputs in docs/labs.md from a real run, except
those trimmed by hand with "..." lines, which must still match (then read
the diff: it is the book)."""
import os
import re
import shutil
import signal
import subprocess
import time

from conftest import HTTPTOOL, ROOT, free_port, wait_port

BOOK = os.path.join(ROOT, "docs", "labs.md")
PORTS = ("8000", "9000", "8443")
HOME = "~/lab"


def parse(text):
    """[(command, [expected lines], (start, end) line span of the output)]
    from the ```console blocks, in book order."""
    lines = text.split("\n")
    steps, i, inside, cur = [], 0, False, None
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            if inside and cur:
                cur[2][1] = i
                steps.append(cur)
            inside = line.strip() == "```console"
            cur = None
            i += 1
            continue
        if inside and line.startswith("$ "):
            if cur:
                cur[2][1] = i
                steps.append(cur)
            cmd = line[2:]
            while cmd.endswith("\\"):             # continued lines
                i += 1
                cmd = cmd[:-1] + "\n" + lines[i]
            m = re.search(r"<<'(\w+)'", cmd)
            if m:                                  # a here-document
                while True:
                    i += 1
                    cmd += "\n" + lines[i]
                    if lines[i] == m.group(1):
                        break
            cur = [cmd, [], [i + 1, i + 1]]
        elif inside and cur:
            cur[1].append(line)
        i += 1
    return steps


MASKS = [
    (r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", "<date>"),
    (r"\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?", "<stamp>"),
    (r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}", "<stamp>"),
    (r"\b\d\d:\d\d:\d\d(\.\d+)?\b", "<time>"),
    (r"\b\d+(\.\d+)? ?(ms|s)\b", "<dur>"),
    (r"\b\d+\.\d{3,}\b", "<t>"),
    (r"\b(TSval|TSecr|Win|Seq|Ack|Len)=\d+", r"\1=<n>"),
    (r"(127\.0\.0\.1 +)([A-Z][A-Zv0-9.]*) \d+ ", r"\1\2 <len> "),  # frame size
    (r"\b(3[2-9]\d{3}|[45]\d{4}|60\d{3})\b", "<port>"),
    (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
     "<uuid>"),
    (r"httptool/\d+\.\d+\.\d+", "httptool/<v>"),
    (r'ETag: "[^"]*"', 'ETag: "<etag>"'),
    (r"httptool-upload-\w+", "httptool-upload-<dir>"),
    (r"^\s*\d+(\s+<t>\s)", r"<frame>\1"),      # summary lines' frame number
    (r"\b(frame:?) \d+", r"\1 <n>"),
    (r"\|(\s+)\d+(  \S)", r"|\1<n>\2"),          # the ladder's Frame column
    (r"^\d+ packets captured", "<n> packets captured"),
    (r"httptool \d+\.\d+\.\d+", "httptool <v>"),
    (r"\s+$", ""),
]


def norm(line):
    for pat, rep in MASKS:
        line = re.sub(pat, rep, line)
    return line


class Lab:
    """The scratch folder, the port map and the servers started with &."""

    def __init__(self, tmp):
        self.dir = str(tmp / "lab")
        os.makedirs(self.dir)
        self.ports = {p: str(free_port()) for p in PORTS}
        bindir = str(tmp / "bin")
        os.makedirs(bindir)
        os.symlink(HTTPTOOL, os.path.join(bindir, "httptool"))
        self.env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"],
                        HOME=str(tmp), NO_COLOR="1", TZ="UTC",
                        COLUMNS="100", LC_ALL="C.UTF-8")
        self.env.pop("SSLKEYLOGFILE", None)
        self.bg = []

    def to_run(self, cmd):
        for book, real in self.ports.items():
            cmd = re.sub(r"\b%s\b" % book, real, cmd)
        return cmd

    def to_book(self, out):
        out = out.replace(self.dir, HOME)
        for book, real in self.ports.items():
            out = re.sub(r"\b%s\b" % real, book, out)
        return out

    def run(self, cmd):
        real = self.to_run(cmd)
        if real.rstrip().endswith("&"):            # a server for what follows
            p = subprocess.Popen(["bash", "-c", "exec " + real.rstrip()[:-1]],
                                 cwd=self.dir, env=self.env,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL,
                                 start_new_session=True)
            self.bg.append(p)
            port = re.search(r"\b(%s)\b" % "|".join(self.ports.values()),
                             real)
            if port:
                wait_port(int(port.group(1)), proc=p)
            return ""
        r = subprocess.run(["bash", "-o", "pipefail", "-c", real],
                           cwd=self.dir, env=self.env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        out = r.stdout.decode("utf-8", "replace")
        assert r.returncode == 0, "%s\nexit %d\n%s" % (cmd, r.returncode, out)
        return self.to_book(out)

    def stop(self):
        for p in reversed(self.bg):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()


def matches(expected, actual):
    """Each shown line (masked) appears in the output, in order."""
    got = [norm(l) for l in actual.split("\n")]
    at = 0
    for want in expected:
        if want.strip() in ("...", "…") or not want.strip():
            continue
        w = norm(want)
        while at < len(got) and got[at] != w:
            at += 1
        if at == len(got):
            return "line not found (in order): %r" % want
        at += 1
    return None


def test_every_command_in_the_lab_book_still_prints_what_it_shows(tmp_path):
    with open(BOOK) as f:
        text = f.read()
    steps = parse(text)
    assert len(steps) >= 30, "the book lost its commands"
    lab = Lab(tmp_path)
    regen = os.environ.get("REGEN_LABS") == "1"
    outputs = []
    try:
        for cmd, expected, _ in steps:
            out = lab.run(cmd)
            outputs.append(out)
            if not regen or "..." in expected:
                why = matches(expected, out)
                assert why is None, "docs/labs.md: $ %s\n%s\n--- it printed:\n%s" \
                    % (cmd, why, out)
    finally:
        lab.stop()
    if regen:
        lines = text.split("\n")
        for (cmd, shown, (start, end)), out in reversed(list(zip(steps,
                                                                  outputs))):
            if "..." in shown:
                continue        # trimmed by hand: keep, the check passed
            out = out.replace("\r\n", "\n")   # the book is text
            body = out.rstrip("\n").split("\n") if out.strip() else []
            lines[start:end] = body
        with open(BOOK, "w") as f:
            f.write("\n".join(lines))


def test_the_book_covers_every_lab():
    with open(BOOK) as f:
        text = f.read()
    heads = re.findall(r"^## (.+)$", text, re.M)
    for topic in ("GET", "POST", "form", "upload", "echo", "telnet",
                  "404", "persistent", "chunked", "Range", "cookie",
                  "login", "status", "method", "HTTPS"):
        assert any(topic.lower() in h.lower() for h in heads), topic
    cmds = [c for c, _, _ in parse(text)]
    assert any("sniff -w" in c and " -- " in c for c in cmds)
    assert any("sniff -r" in c for c in cmds)
    assert any("raw" in c for c in cmds)
