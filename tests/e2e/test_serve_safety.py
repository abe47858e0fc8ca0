"""httptool serve: safe by default (issue 19, defects 2, 5, 6): named
pipes and symlinks out of DIR, reflected markup, TRACE, 405 and 412 on
files."""
import email.utils
import os
import socket
import time

from test_serve import servers_exit_cleanly, split_response, start, site

assert servers_exit_cleanly and site  # fixtures used here too


def test_named_pipe_never_blocks_a_thread(procs, site):
    os.mkfifo(str(site / "pipe"))
    s = start(procs, "--quiet", "--threads", "1", directory=site)
    t = time.monotonic()
    data = s.raw(b"GET /pipe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert split_response(data)[0] == 403
    assert time.monotonic() - t < 2
    # the one thread still serves everybody else
    assert s.get("/hello.txt")[0] == 200
    listing = s.get("/")[2]
    assert b"pipe" not in listing


def test_symlinks_out_of_dir_are_not_listed(procs, site):
    s = start(procs, "--quiet", directory=site)
    listing = s.get("/")[2].decode()
    assert "escape.txt" not in listing and "escape-dir" not in listing
    assert "inside-link.txt" in listing and "hello.txt" in listing
    assert s.get("/escape.txt")[0] == 404


def test_reflected_markup_is_escaped(procs, tmp_path):
    s = start(procs, "--quiet", directory=tmp_path)
    status, h, body = s.get("/", method="POST",
                            data=b"<script>alert(1)</script>")
    assert status == 200 and h["Content-Type"].startswith("text/html")
    assert b"<script>" not in body
    assert body.endswith(b"&lt;script&gt;alert(1)&lt;/script&gt;")


def test_write_methods_on_a_file_are_405_with_allow(procs, site):
    s = start(procs, "--quiet", directory=site)
    for m in ("DELETE", "PUT", "PATCH"):
        status, h, body = s.get("/hello.txt", method=m, data=b"x")
        assert status == 405, (m, status)
        assert h["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert s.get("/no-such-file", method="DELETE")[0] == 404
    status, h, _ = s.get("/hello.txt", method="OPTIONS")
    assert h["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_if_match_and_if_unmodified_since(procs, site):
    s = start(procs, "--quiet", directory=site)
    status, h, body = s.get("/hello.txt")
    etag, lm = h["ETag"], h["Last-Modified"]
    assert s.get("/hello.txt", headers={"If-Match": etag})[0] == 200
    assert s.get("/hello.txt", headers={"If-Match": "*"})[0] == 200
    status, h, body = s.get("/hello.txt", headers={"If-Match": '"nope"'})
    assert status == 412 and b"If-Match" in body
    assert s.get("/hello.txt", headers={"If-Unmodified-Since": lm})[0] == 200
    old = email.utils.formatdate(0, usegmt=True)
    assert s.get("/hello.txt",
                 headers={"If-Unmodified-Since": old})[0] == 412
    # If-Match wins over If-Unmodified-Since (RFC 9110 §13.2.2)
    assert s.get("/hello.txt", headers={"If-Match": etag,
                                         "If-Unmodified-Since": old})[0] == 200
