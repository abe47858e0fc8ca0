"""httptool serve: request bodies at realistic sizes (issue 19, defect 1).

The first round's tests used tiny limits and missed that any body over
about 1 MiB hung until a 408.  Here: a 200 MiB upload to /upload with
curl, plain and chunked, with the server's peak memory (VmHWM) checked to
stay flat; a 60 MiB /post; 100-continue; the limit enforced on chunked
bodies; and /upload's streaming multipart reader fed in odd splits.
"""
import base64
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import tempfile

import pytest

from conftest import require, rss_env
from test_serve import servers_exit_cleanly, split_response, start

assert servers_exit_cleanly  # autouse: imported to apply here too

MIB = 1 << 20


def vm_hwm_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def big_file(path, size):
    """size pseudo-random bytes (fast, not compressible) and their sha256."""
    rnd = random.Random(19)
    block = rnd.randbytes(MIB)
    h = hashlib.sha256()
    with open(path, "wb") as f:
        for i in range(size // MIB):
            b = block[i % 7:] + block[:i % 7]
            f.write(b)
            h.update(b)
    return h.hexdigest()


def curl(*args, timeout=120):
    require("curl")
    r = subprocess.run(["curl", "-sS", *args], capture_output=True,
                       timeout=timeout)
    assert r.returncode == 0, r.stderr
    return r


def test_upload_200_mib_streams_to_disk_with_flat_memory(procs, tmp_path):
    up = tmp_path / "up"
    up.mkdir()
    src = tmp_path / "photo.raw"
    digest = big_file(src, 200 * MIB)
    s = start(procs, "--quiet", "--upload-dir", up, "--max-body-size",
              str(256 * MIB), directory=tmp_path)
    before = vm_hwm_kib(s.proc.p.pid)
    for extra in ([], ["-H", "Transfer-Encoding: chunked"]):
        r = curl("-F", "file=@%s" % src, "-F", "note=hello", *extra,
                 s.base + "/upload")
        files = json.loads(r.stdout)["files"]
        assert len(files) == 1, r.stdout
        assert files[0]["size"] == 200 * MIB
        assert files[0]["sha256"] == digest
        saved = up / files[0]["name"]
        assert saved.stat().st_size == 200 * MIB
        saved.unlink()
    grown = vm_hwm_kib(s.proc.p.pid) - before
    # the old server held the whole body (twice); now a window of it
    assert grown < 24 * 1024, "peak RSS grew by %d KiB" % grown


def test_post_60_mib_with_curl(procs, tmp_path):
    src = tmp_path / "text.txt"
    with open(src, "wb") as f:
        f.write(b"0123456789abcdef" * (60 * MIB // 16))
    # 64 MiB default limit; RSS measured without ASan's quarantine
    s = start(procs, "--quiet", directory=tmp_path, env=rss_env())
    for extra in ([], ["-H", "Transfer-Encoding: chunked"]):
        r = curl("-H", "Content-Type: text/plain", "--data-binary",
                 "@%s" % src, *extra, s.base + "/post")
        doc = json.loads(r.stdout)
        assert len(doc["data"]) == 60 * MIB
        assert doc["data"][:32] == "0123456789abcdef" * 2
    # held once (plus the JSON reply), not once per copy of the input
    assert vm_hwm_kib(s.proc.p.pid) < 200 * 1024


def test_anything_and_put_take_big_bodies(procs, tmp_path):
    s = start(procs, "--quiet", directory=tmp_path)
    body = os.urandom(3 * MIB)
    p = subprocess.run(["curl", "-sS", "-X", "PUT", "-H",
                        "Content-Type: application/octet-stream",
                        "--data-binary", "@-", s.base + "/anything/x"],
                       input=body, capture_output=True, timeout=60)
    doc = json.loads(p.stdout)
    assert doc["method"] == "PUT"
    prefix = "data:application/octet-stream;base64,"
    assert doc["data"].startswith(prefix)
    assert base64.b64decode(doc["data"][len(prefix):]) == body


def test_100_continue_then_body(procs, tmp_path):
    s = start(procs, "--quiet", directory=tmp_path)
    body = b"x" * (5 * MIB)
    c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    c.sendall(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain"
              b"\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
              % len(body))
    assert c.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
    c.sendall(body)
    data = b""
    while True:
        d = c.recv(1 << 20)
        if not d:
            break
        data += d
        status, h, rest = split_response(data)
        if "content-length" in h and \
                len(rest) >= int(h["content-length"]):
            break
    c.close()
    assert status == 200
    assert len(json.loads(rest)["data"]) == 5 * MIB


def test_limit_applies_to_chunked_bodies(procs, tmp_path):
    s = start(procs, "--quiet", "--max-body-size", str(2 * MIB),
              directory=tmp_path)
    c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    c.sendall(b"POST /post HTTP/1.1\r\nHost: x\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"100000\r\n" + b"y" * MIB + b"\r\n"
    data = b""
    try:
        for _ in range(4):
            c.sendall(chunk)
    except OSError:
        pass
    c.settimeout(10)
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            data += d
    except OSError:
        pass
    c.close()
    assert data.startswith(b"HTTP/1.1 413 "), data[:200]
    assert b"--max-body-size" in data


def multipart(boundary, parts):
    out = b""
    for name, filename, body in parts:
        out += b"--" + boundary + b"\r\n"
        disp = b'form-data; name="%s"' % name
        if filename is not None:
            disp += b'; filename="%s"' % filename
        out += b"Content-Disposition: " + disp + b"\r\n\r\n" + body + b"\r\n"
    return b"preamble\r\n" + out + b"--" + boundary + b"--\r\nepilogue"


def test_upload_multipart_in_any_split(procs, tmp_path):
    """The streaming reader gives the same files whatever the TCP split:
    empty files, data that looks like a delimiter, CR LF inside data."""
    up = tmp_path / "up"
    up.mkdir()
    s = start(procs, "--quiet", "--upload-dir", up, directory=tmp_path)
    b = b"----XyZ"
    files = [(b"a", b"a.txt", b"hello\r\n"),
             (b"note", None, b"not a file"),
             (b"b", b"../../etc/empty", b""),
             (b"c", b"c.bin", b"\r\n--" + b[:-1] + b"\r\n-" + os.urandom(3000)),
             (b"d", b"d.bin", b"\r" * 50)]
    body = multipart(b, files)
    rnd = random.Random(7)
    for step in (1, 2, 3, 7, None):
        for f in up.iterdir():
            f.unlink()
        c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        c.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  b"Content-Type: multipart/form-data; boundary=" + b +
                  b"\r\nContent-Length: %d\r\n\r\n" % len(body))
        i = 0
        while i < len(body):
            n = step or rnd.randint(1, 40)
            c.sendall(body[i:i + n])
            i += n
        data = b""
        while True:
            d = c.recv(65536)
            if not d:
                break
            data += d
        c.close()
        status, _, rest = split_response(data)
        assert status == 200, data
        got = json.loads(rest)["files"]
        want = [f for f in files if f[1] is not None]
        assert [g["field"] for g in got] == [w[0].decode() for w in want]
        for g, w in zip(got, want):
            assert g["size"] == len(w[2])
            assert g["sha256"] == hashlib.sha256(w[2]).hexdigest()
            assert (up / g["name"]).read_bytes() == w[2]
        assert got[1]["name"] == "empty"


@pytest.mark.parametrize("fs", ["disk", "tmpfs"])
def test_upload_direct_io_and_its_fallback(procs, tmp_path, fs):
    """/upload writes with O_DIRECT through an aligned staging buffer
    where the file system allows it (ext4 under tmp_path) and buffered
    where it does not (tmpfs refuses O_DIRECT at open): files of sizes
    that are not whole blocks, bigger than the 512 KiB stage, one after
    the other in one request, arrive byte for byte either way."""
    if fs == "tmpfs":
        assert os.path.isdir("/dev/shm"), "no /dev/shm"
        up = tempfile.mkdtemp(prefix="httptool-up-", dir="/dev/shm")
    else:
        up = str(tmp_path / "up")
        os.mkdir(up)
    try:
        s = start(procs, "--quiet", "--upload-dir", up, directory=tmp_path)
        parts = [(b"a", b"a.bin", os.urandom(1300 * 1024 + 123)),
                 (b"b", b"b.bin", os.urandom(4096)),
                 (b"c", b"c.bin", os.urandom(77))]
        body = multipart(b"qq", parts)
        r = subprocess.run(
            ["curl", "-sS", "-H", "Content-Type: multipart/form-data; "
             "boundary=qq", "--data-binary", "@-", s.base + "/upload"],
            input=body, capture_output=True, timeout=60)
        got = json.loads(r.stdout)["files"]
        assert [g["size"] for g in got] == [len(p[2]) for p in parts]
        for g, (_, _, data) in zip(got, parts):
            assert g["sha256"] == hashlib.sha256(data).hexdigest()
            with open(os.path.join(up, g["name"]), "rb") as f:
                assert f.read() == data
    finally:
        shutil.rmtree(up, ignore_errors=True)


def test_upload_malformed_multipart_is_400(procs, tmp_path):
    s = start(procs, "--quiet", "--upload-dir", tmp_path, directory=tmp_path)
    body = b"--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n" \
        b"\r\nno closing delimiter"
    data = s.raw(b"POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 b"Content-Type: multipart/form-data; boundary=b\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert data.startswith(b"HTTP/1.1 400 "), data
    assert b"malformed multipart body" in data
