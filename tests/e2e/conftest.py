"""Shared fixtures for the end-to-end tests.

Every test drives the built binary (HTTPTOOL, set by `make test`) against
real peers on 127.0.0.1 only, with bounded time.  Processes a test starts
are stopped by PID when it ends.
"""
import os
import shutil
import socket
import subprocess
import time

import pytest

HTTPTOOL = os.environ.get(
    "HTTPTOOL",
    os.path.join(os.path.dirname(__file__), "..", "..", "httptool"))
HTTPTOOL = os.path.abspath(HTTPTOOL)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "tests", "data")

# tshark answers each question once per input (tshark-cache/tshark says
# how): the SAN pass and a re-run replay the first pass's answers.
# TSHARK_CACHE= (empty) asks the real tshark every time.
if shutil.which("tshark"):
    os.environ.setdefault("TSHARK_CACHE",
                          os.path.join(ROOT, "build", "tshark-cache"))
    os.environ["PATH"] = (os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "tshark-cache") + os.pathsep +
        os.environ.get("PATH", ""))


def free_port(family=socket.AF_INET, host="127.0.0.1"):
    """A TCP port nothing listens on right now (the kernel picks it)."""
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_port(port, host="127.0.0.1", timeout=10.0, proc=None):
    """Wait until something accepts on host:port; fail if proc died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("process exited early: rc=%s" % proc.returncode)
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("nothing listening on %s:%d" % (host, port))


def rss_env():
    """The environment for a process whose peak RSS a test bounds: under
    `make test SAN=1` no quarantine of freed memory, no allocation stacks,
    and freed pages go back to the system at once (ASan's allocator keeps
    each size class's free pages otherwise, where glibc would reuse them
    for another size), so RSS shows the program's memory, not ASan's."""
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                           ":quarantine_size_mb=0:malloc_context_size=0"
                           ":thread_local_quarantine_size_kb=0"
                           ":allocator_release_to_os_interval_ms=0")
    return env


def run(*args, input=None, timeout=30, env=None, **kw):
    """Run httptool with args; returns CompletedProcess (bytes)."""
    e = dict(os.environ)
    e.setdefault("NO_COLOR", "1")
    if env:
        e.update(env)
    return subprocess.run([HTTPTOOL, *map(str, args)], input=input,
                          capture_output=True, timeout=timeout, env=e, **kw)


class Proc:
    """A background process stopped (by PID) when the test ends."""

    def __init__(self, argv, **kw):
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        self.p = subprocess.Popen(argv, **kw)

    def stop(self, sig=None, timeout=10):
        if self.p.poll() is None:
            if sig is None:
                self.p.terminate()
            else:
                self.p.send_signal(sig)
            try:
                self.p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return self.p.returncode


@pytest.fixture
def procs():
    """Start background processes with procs(argv, ...); all stopped after."""
    started = []

    def start(argv, **kw):
        pr = Proc(argv, **kw)
        started.append(pr)
        return pr

    yield start
    for pr in reversed(started):
        pr.stop()
        for f in (pr.p.stdout, pr.p.stderr):
            if f:
                f.close()


def require(tool):
    """Fail (never skip) when a peer `make deps` should have installed is missing."""
    path = shutil.which(tool)
    assert path, "%s is missing: run `make deps`" % tool
    return path
