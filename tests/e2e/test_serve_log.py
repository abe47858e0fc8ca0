"""httptool serve: the access log and the small defects of issue 19,
defect 7: bytes actually sent, --log-file and SIGHUP, --max-headers,
--lenient obs-fold as one space, `serve www`, Date on early answers."""
import os
import re
import signal
import socket
import time

from conftest import HTTPTOOL, run
from test_serve import servers_exit_cleanly, read_all, split_response, start

assert servers_exit_cleanly  # autouse: imported to apply here too


def wait_for(pred, secs=5):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_aborted_download_logs_bytes_sent(procs, tmp_path):
    with open(tmp_path / "big.iso", "wb") as f:
        f.truncate(1 << 30)                     # 1 GiB, sparse
    log = tmp_path / "access.log"
    s = start(procs, "--log-file", log, directory=tmp_path)
    c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    c.sendall(b"GET /big.iso HTTP/1.1\r\nHost: x\r\n\r\n")
    got = 0
    while got < 1 << 20:
        got += len(c.recv(65536))
    c.close()                                   # walk away after 1 MiB
    assert wait_for(lambda: "big.iso" in log.read_text())
    m = re.search(r'"GET /big.iso HTTP/1.1" 200 (\d+)', log.read_text())
    sent = int(m.group(1))
    assert 1 << 20 <= sent < 256 << 20, sent    # not the promised 1 GiB
    # a whole response is logged with its whole size
    assert s.get("/big.iso", headers={"Range": "bytes=0-99"})[0] == 206
    assert wait_for(lambda: '" 206 100\n' in log.read_text())


def test_head_logs_no_body_bytes(procs, tmp_path):
    # HEAD sends the head only: nginx logs 0 bytes sent, and so do we
    (tmp_path / "blob.bin").write_bytes(b"x" * 100000)
    log = tmp_path / "access.log"
    s = start(procs, "--log-file", log, directory=tmp_path)
    for path in ("/blob.bin", "/get", "/bytes/5000", "/drip?numbytes=3"
                 "&duration=0&delay=0"):
        assert s.get(path, method="HEAD")[0] == 200
    assert s.get("/blob.bin")[0] == 200
    assert s.get("/drip?numbytes=3&duration=0&delay=0")[0] == 200
    assert wait_for(lambda: log.read_text().count("\n") == 6)
    text = log.read_text()
    for path in ("/blob.bin", "/get", "/bytes/5000", "/drip?numbytes=3"
                 "&duration=0&delay=0"):
        assert '"HEAD %s HTTP/1.1" 200 0\n' % path in text, text
    assert '"GET /blob.bin HTTP/1.1" 200 100000\n' in text
    assert '"GET /drip?numbytes=3&duration=0&delay=0 HTTP/1.1" 200 3\n' \
        in text


def test_sighup_reopens_the_log_and_keeps_serving(procs, tmp_path):
    log = tmp_path / "access.log"
    s = start(procs, "--log-file", log, directory=tmp_path)
    assert s.get("/get")[0] == 200
    assert wait_for(lambda: "GET /get" in log.read_text())
    os.rename(log, tmp_path / "access.log.1")  # logrotate
    c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    c.sendall(b"GET /delay/1 HTTP/1.1\r\nHost: x\r\nConnection: close"
              b"\r\n\r\n")
    time.sleep(0.2)
    s.proc.p.send_signal(signal.SIGHUP)         # mid-request
    assert read_all(c).startswith(b"HTTP/1.1 200 ")
    c.close()
    assert s.proc.p.poll() is None
    assert s.get("/headers")[0] == 200
    assert wait_for(lambda: log.exists() and "GET /headers" in
                    log.read_text())
    assert "GET /headers" not in (tmp_path / "access.log.1").read_text()


def test_sighup_without_log_file_keeps_serving(procs, tmp_path):
    s = start(procs, "--quiet", directory=tmp_path)
    s.proc.p.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    assert s.proc.p.poll() is None
    assert s.get("/get")[0] == 200


def test_max_headers_option(procs, tmp_path):
    s = start(procs, "--quiet", "--max-headers", "5", directory=tmp_path)
    hdrs = b"".join(b"X-%d: v\r\n" % i for i in range(6))
    data = s.raw(b"GET /get HTTP/1.1\r\nHost: x\r\n" + hdrs + b"\r\n")
    status, h, body = split_response(data)
    assert status == 431 and b"--max-headers" in body and "date" in h
    s2 = start(procs, "--quiet", "--max-headers", "300", directory=tmp_path)
    hdrs = b"".join(b"X-%d: v\r\n" % i for i in range(200))
    data = s2.raw(b"GET /headers HTTP/1.1\r\nHost: x\r\nConnection: close"
                  b"\r\n" + hdrs + b"\r\n")
    assert split_response(data)[0] == 200
    # the default is 128, as documented
    data = s.raw(b"GET /get HTTP/1.1\r\nHost: x\r\n" + hdrs + b"\r\n")
    assert split_response(data)[0] == 431


def test_lenient_folds_obs_fold_into_one_space(procs, tmp_path):
    s = start(procs, "--quiet", "--lenient", directory=tmp_path)
    for body in (b"", b"hi"):
        data = s.raw(b"POST /anything HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n"
                     b" \t b\r\nContent-Length: %d\r\nConnection: close"
                     b"\r\n\r\n" % len(body) + body)
        assert b'"X-Fold": "a b"' in data, data


def test_serve_a_folder_name_suggests_d(tmp_path):
    (tmp_path / "www").mkdir()
    r = run("serve", "www", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == (b"httptool serve: 'www' is not a port number; "
                        b"did you mean -d www?\n")


def test_early_answers_carry_date(procs, tmp_path):
    s = start(procs, "--quiet", "--header-timeout", "0.5",
              directory=tmp_path)
    for req in (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
                b"GET / HTTP/1.1\r\n"):
        status, h, _ = split_response(s.raw(req, shut=False))
        assert status in (400, 408) and "date" in h


def test_echo_logs_connections_and_what_they_sent(procs, tmp_path):
    from conftest import free_port, wait_port
    log = tmp_path / "echo.log"
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--echo", "--log-file", log])
    wait_port(port, proc=p.p)
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    me = "('127.0.0.1', %d)" % c.getsockname()[1]
    c.sendall(b"hello\n")
    assert c.recv(100) == b"hello\n"
    c.sendall(b"exi")
    time.sleep(0.1)
    c.sendall(b"t\r\nafter\n")
    assert read_all(c) == b""                  # exit is not echoed
    c.close()
    assert wait_for(lambda: me + " closed after 18 bytes" in log.read_text())
    text = log.read_text()
    assert me + " connected\n" in text
    assert me + " sent: b'hello\\n'\n" in text
    assert me + " sent: b'exi'\n" in text
    # a line that only starts like exit is echoed whole
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    c.sendall(b"exi")
    time.sleep(0.1)
    c.sendall(b"t now\nexit\n")
    assert read_all(c) == b"exit now\n"
    c.close()
