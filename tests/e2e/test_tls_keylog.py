"""Key logs written by serve --tls, get and raw --tls (--keylog FILE or
SSLKEYLOGFILE): NSS format, both ends log the same sessions, and tshark
decrypts a live capture of the traffic with them (the real proof that the
secrets are right).  Servers and dumpcap run on free ports of 127.0.0.1
and are stopped by PID."""
import os
import re
import subprocess
import time

from conftest import HTTPTOOL, free_port, require, run
from test_serve import servers_exit_cleanly, start

assert servers_exit_cleanly  # autouse: imported to apply here too

LINE = re.compile(r"^(CLIENT_RANDOM|[A-Z_]+SECRET(_0)?) ([0-9a-f]{64}) "
                  r"([0-9a-f]{64,128})$")


def sessions(path):
    """{client random: set of labels} of a key log."""
    out = {}
    for ln in open(path).read().splitlines():
        m = LINE.match(ln)
        assert m, ln
        out.setdefault(m.group(3), set()).add(m.group(1))
    return out


class Dumpcap:
    """dumpcap on lo for one port, until stopped."""

    def __init__(self, procs, port, path):
        self.path = path
        self.p = procs([require("dumpcap"), "-q", "-i", "lo", "-f",
                        "tcp port %d" % port, "-w", str(path)],
                       stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (
                os.path.exists(path) and os.path.getsize(path) > 0):
            time.sleep(0.05)
        time.sleep(0.3)

    def stop(self):
        time.sleep(0.3)
        self.p.stop()


def test_serve_get_raw_write_key_logs_tshark_decrypts(procs, tmp_path):
    skeys, gkeys, rkeys = (tmp_path / n for n in ("s.keys", "g.keys",
                                                  "r.keys"))
    srv = start(procs, "--tls", "--quiet", "--keylog", skeys)
    cap = Dumpcap(procs, srv.port, tmp_path / "c.pcapng")
    url = "https://localhost:%d/get?who=get" % srv.port
    # HTTP/1.1: tshark's http.request below (serve prefers h2 by ALPN)
    r = run("get", "-k", "--http1.1", "--keylog", gkeys, url)
    assert r.returncode == 0, r.stderr
    r = run("raw", "--tls", "-k", "--keylog", rkeys, "localhost", srv.port,
            input=b"GET /get?who=raw HTTP/1.1\r\nHost: localhost\r\n"
                  b"Connection: close\r\n\r\n")
    assert r.returncode == 0, r.stderr
    cap.stop()
    s, g, k = sessions(skeys), sessions(gkeys), sessions(rkeys)
    assert len(s) == 2 and len(g) == 1 and len(k) == 1, (s, g, k)
    assert set(g) | set(k) == set(s)
    for labels in s.values():
        assert {"CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0",
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                "SERVER_HANDSHAKE_TRAFFIC_SECRET"} <= labels
    # the server's log alone lets tshark read both requests
    t = subprocess.run([require("tshark"), "-r", str(cap.path), "-o",
                        "tls.keylog_file:%s" % skeys, "-Y", "http.request",
                        "-T", "fields", "-e", "http.request.uri"],
                       capture_output=True, text=True, timeout=60)
    assert t.stdout.split() == ["/get?who=get", "/get?who=raw"], t


def test_sslkeylogfile_is_honoured_and_bad_paths_fail(procs, tmp_path):
    env_keys = tmp_path / "env.keys"
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--tls", "--quiet"],
              env=dict(os.environ, SSLKEYLOGFILE=str(env_keys)))
    from conftest import wait_port
    wait_port(port, proc=p.p)
    r = run("get", "-k", "https://localhost:%d/get" % port)
    assert r.returncode == 0, r.stderr
    assert len(sessions(env_keys)) == 1
    r = run("get", "-k", "--keylog", tmp_path / "no" / "x",
            "https://localhost:%d/get" % port)
    assert r.returncode == 1
    assert r.stderr.decode().startswith(
        "httptool get: cannot write the key log"), r.stderr
    r = run("serve", "--keylog", tmp_path / "k")
    assert r.returncode == 2 and b"--keylog needs --tls" in r.stderr
    r = run("raw", "--keylog", tmp_path / "k", "localhost", port)
    assert r.returncode == 2 and b"need --tls" in r.stderr
