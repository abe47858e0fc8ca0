"""httptool serve: httpbin-compatible routes and the fault routes."""
import base64
import gzip
import hashlib
import json
import os
import socket
import subprocess
import time
import zlib

import pytest

from conftest import require
from test_serve import servers_exit_cleanly, read_all, split_response, start

assert servers_exit_cleanly  # autouse: imported to apply here too


@pytest.fixture
def srv(procs, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    s = start(procs, "--quiet", "--upload-dir", tmp_path / "up",
              directory=site)
    s.upload_dir = tmp_path / "up"
    return s


def test_get_shape(srv):
    j = srv.json("/get?a=1&a=2&b=x+y&c=%2F", headers={"X-Test": "yes"})
    assert set(j) == {"args", "headers", "origin", "url"}
    assert j["args"] == {"a": ["1", "2"], "b": "x y", "c": "/"}
    assert j["headers"]["X-Test"] == "yes"
    assert j["headers"]["Host"] == "127.0.0.1:%d" % srv.port
    assert j["origin"] == "127.0.0.1"
    assert j["url"] == srv.base + "/get?a=1&a=2&b=x+y&c=%2F"


def test_post_put_patch_delete_shapes(srv):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        path = "/" + method.lower()
        status, h, body = srv.get(path, method=method, data=b'{"k": [1, 2]}',
                                  headers={"Content-Type":
                                           "application/json"})
        assert status == 200, method
        assert h["Content-Type"] == "application/json"
        j = json.loads(body)
        assert set(j) == {"args", "data", "files", "form", "headers",
                          "json", "origin", "url"}
        assert j["json"] == {"k": [1, 2]}
        assert j["data"] == '{"k": [1, 2]}'
    j = srv.json("/post", method="POST", data=b"a=1&b=%C3%A9")
    assert j["form"] == {"a": "1", "b": "\u00e9"} and j["data"] == ""
    assert j["json"] is None
    j = srv.json("/post", method="POST", data=b"\xff\xfe",
                 headers={"Content-Type": "application/octet-stream"})
    assert j["data"] == "data:application/octet-stream;base64,//4="


def test_multipart_post(srv):
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
            b"hi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
            b"filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile "
            b"body\r\n--XyZ--\r\n")
    j = srv.json("/post", method="POST", data=body, headers={
        "Content-Type": "multipart/form-data; boundary=XyZ"})
    assert j["form"] == {"note": "hi"}
    assert j["files"] == {"f": "file body"}


def test_anything(srv):
    j = srv.json("/anything/a/b?x=1", method="PUT", data=b"zz",
                 headers={"Content-Type": "text/plain"})
    assert j["method"] == "PUT" and j["data"] == "zz"
    assert j["url"].endswith("/anything/a/b?x=1")
    assert srv.json("/anything")["method"] == "GET"


def test_headers_ip_user_agent(srv):
    j = srv.json("/headers", headers={"x-lower-case": "v", "User-Agent": "t/1"})
    assert j["headers"]["X-Lower-Case"] == "v"
    assert srv.json("/ip") == {"origin": "127.0.0.1"}
    assert srv.json("/user-agent", headers={"User-Agent": "t/1"}) == {
        "user-agent": "t/1"}


def test_status_codes(srv):
    for code in (200, 201, 204, 400, 404, 500, 503):
        assert srv.get("/status/%d" % code)[0] == code
    status, h, body = srv.get("/status/418")
    assert status == 418 and b"teapot" in body
    data = srv.raw(b"GET /status/302 HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    assert split_response(data)[1]["location"] == "/redirect/1"
    assert srv.get("/status/500,501")[0] in (500, 501)
    assert srv.get("/status/abc")[0] == 400
    assert srv.get("/status/204", method="POST", data=b"")[0] == 204


def raw_get(srv, path):
    return split_response(srv.raw(b"GET " + path.encode() + b" HTTP/1.1\r\n"
                                  b"Host: h:1\r\nConnection: close\r\n\r\n"))


def test_redirects(srv):
    assert raw_get(srv, "/redirect/3")[1]["location"] == "/relative-redirect/2"
    assert raw_get(srv, "/relative-redirect/1")[1]["location"] == "/get"
    assert raw_get(srv, "/absolute-redirect/2")[1]["location"] == \
        "http://h:1/absolute-redirect/1"
    assert raw_get(srv, "/redirect/2?absolute=true")[1]["location"] == \
        "http://h:1/absolute-redirect/1"
    st, h, _ = raw_get(srv, "/redirect-to?url=/ip&status_code=307")
    assert st == 307 and h["location"] == "/ip"
    # urllib follows the whole chain to /get
    status, _, body = srv.get("/redirect/4")
    assert status == 200 and json.loads(body)["url"].endswith("/get")


def test_cookies(srv):
    data = srv.raw(b"GET /cookies/set?a=1&b=two HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    status, _, _ = split_response(data)
    assert status == 302
    assert b"Set-Cookie: a=1; Path=/\r\n" in data
    assert b"Set-Cookie: b=two; Path=/\r\n" in data
    assert srv.json("/cookies", headers={"Cookie": "a=1; b=two"}) == {
        "cookies": {"a": "1", "b": "two"}}
    data = srv.raw(b"GET /cookies/delete?a HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    assert b"Set-Cookie: a=; Expires=" in data and b"Max-Age=0" in data
    # no header injection through a cookie value
    data = srv.raw(b"GET /cookies/set?a=1%0d%0aX-Evil:%201 HTTP/1.1\r\n"
                   b"Host: x\r\nConnection: close\r\n\r\n")
    assert b"X-Evil" not in data


def test_auth(srv):
    good = base64.b64encode(b"user:passwd").decode()
    bad = base64.b64encode(b"user:nope").decode()
    assert srv.json("/basic-auth/user/passwd", headers={
        "Authorization": "Basic " + good}) == {"authenticated": True,
                                               "user": "user"}
    status, h, _ = srv.get("/basic-auth/user/passwd",
                           headers={"Authorization": "Basic " + bad})
    assert status == 401 and h["WWW-Authenticate"].startswith("Basic")
    assert srv.get("/basic-auth/user/passwd")[0] == 401
    assert srv.json("/bearer", headers={"Authorization": "Bearer tok"}) == {
        "authenticated": True, "token": "tok"}
    assert srv.get("/bearer")[0] == 401


def test_generated_bodies(srv):
    status, h, body = srv.get("/bytes/1000?seed=7")
    assert status == 200 and len(body) == 1000
    assert body == srv.get("/bytes/1000?seed=7")[2]
    assert h["Content-Type"] == "application/octet-stream"
    status, h, body = srv.get("/stream-bytes/5000?chunk_size=700")
    assert len(body) == 5000 and h["Transfer-Encoding"] == "chunked"
    status, h, body = srv.get("/stream/3")
    lines = body.decode().splitlines()
    assert [json.loads(l)["id"] for l in lines] == [0, 1, 2]
    assert srv.get("/range/26")[2] == b"abcdefghijklmnopqrstuvwxyz"
    status, h, body = srv.get("/range/26", headers={"Range": "bytes=2-4"})
    assert status == 206 and body == b"cde"
    assert h["Content-Range"] == "bytes 2-4/26"
    assert srv.get("/range/26", headers={"Range": "bytes=30-"})[0] == 416
    j = srv.json("/uuid")
    assert len(j["uuid"]) == 36 and j["uuid"][14] == "4"
    assert srv.get("/base64/aHR0cHRvb2w=")[2] == b"httptool"
    assert srv.get("/base64/!!")[0] == 400
    assert b"<html>" in srv.get("/html")[2]
    assert "slideshow" in srv.json("/json")
    assert srv.get("/xml")[1]["Content-Type"] == "application/xml"
    assert b"custname" in srv.get("/forms/post")[2]


def test_gzip_deflate(srv):
    data = srv.raw(b"GET /gzip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   b"\r\n")
    _, h, body = split_response(data)
    assert h["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["gzipped"] is True
    data = srv.raw(b"GET /deflate HTTP/1.1\r\nHost: x\r\nConnection: close"
                   b"\r\n\r\n")
    _, h, body = split_response(data)
    assert h["content-encoding"] == "deflate"
    assert json.loads(zlib.decompress(body))["deflated"] is True


def test_cache_and_etag(srv):
    status, h, _ = srv.get("/cache")
    assert status == 200 and "ETag" in h and "Last-Modified" in h
    assert srv.get("/cache", headers={"If-None-Match": "x"})[0] == 304
    assert srv.get("/cache/60")[1]["Cache-Control"] == "public, max-age=60"
    status, h, _ = srv.get("/etag/abc")
    assert status == 200 and h["ETag"] == '"abc"'
    assert srv.get("/etag/abc", headers={"If-None-Match": '"abc"'})[0] == 304
    assert srv.get("/etag/abc", headers={"If-Match": '"zzz"'})[0] == 412


def test_response_headers(srv):
    status, h, body = srv.get("/response-headers?X-One=1&X-Two=zwei")
    assert h["X-One"] == "1" and h["X-Two"] == "zwei"
    assert json.loads(body)["X-Two"] == "zwei"
    data = srv.raw(b"GET /response-headers?a=1%0d%0aX-Evil:%201 HTTP/1.1\r\n"
                   b"Host: x\r\nConnection: close\r\n\r\n")
    assert b"\r\nX-Evil" not in data


def test_delay_and_drip_timing(srv):
    t0 = time.monotonic()
    j = srv.json("/delay/0.5")
    assert 0.45 < time.monotonic() - t0 < 3 and j["url"].endswith("/delay/0.5")
    t0 = time.monotonic()
    status, h, body = srv.get("/drip?numbytes=5&duration=0.6&delay=0")
    assert body == b"*****" and h["Content-Length"] == "5"
    assert 0.35 < time.monotonic() - t0 < 3
    status, _, body = srv.get("/drip?numbytes=3&duration=0&delay=0&code=201")
    assert status == 201 and body == b"***"


def test_delay_does_not_block_other_clients(srv):
    c = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    c.sendall(b"GET /delay/2 HTTP/1.1\r\nHost: x\r\n\r\n")
    t0 = time.monotonic()
    for _ in range(5):
        assert srv.get("/ip")[0] == 200
    assert time.monotonic() - t0 < 1.5
    c.close()


def test_upload_saves_sanitised_files(srv):
    payload = os.urandom(50000)
    body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"../../evil name.bin\"\r\n\r\n" + payload +
            b"\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"evil name.bin\"\r\n\r\nsecond\r\n--B--\r\n")
    j = srv.json("/upload", method="POST", data=body,
                 headers={"Content-Type": "multipart/form-data; boundary=B"})
    files = j["files"]
    assert [f["name"] for f in files] == ["evil_name.bin", "evil_name-1.bin"]
    assert files[0]["size"] == 50000
    assert files[0]["sha256"] == hashlib.sha256(payload).hexdigest()
    assert files[0]["filename"] == "../../evil name.bin"
    assert (srv.upload_dir / "evil_name.bin").read_bytes() == payload
    assert (srv.upload_dir / "evil_name-1.bin").read_bytes() == b"second"
    assert sorted(os.listdir(srv.upload_dir)) == ["evil_name-1.bin",
                                                 "evil_name.bin"]
    assert b"multipart/form-data" in srv.get("/upload")[2]
    assert srv.get("/upload", method="POST", data=b"x=1")[0] == 400


def test_upload_with_curl(srv, tmp_path):
    curl = require("curl")
    f = tmp_path / "report.txt"
    f.write_bytes(b"quarterly numbers\n")
    r = subprocess.run([curl, "-s", "-F", "file=@%s" % f,
                        srv.base + "/upload"], capture_output=True, timeout=20)
    j = json.loads(r.stdout)
    assert j["files"][0]["name"] == "report.txt"
    assert j["files"][0]["sha256"] == hashlib.sha256(
        b"quarterly numbers\n").hexdigest()


# ---- faults ----

def fault(srv, name, timeout=5.0):
    return srv.raw(b"GET /fault/" + name + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                   shut=False, timeout=timeout)


def test_fault_close_early(srv):
    data = fault(srv, b"close-early")
    status, h, body = split_response(data)
    assert status == 200 and h["content-length"] == "100"
    assert 0 < len(body) < 100
    r = subprocess.run([require("curl"), "-s", srv.base + "/fault/close-early"],
                       capture_output=True, timeout=20)
    assert r.returncode == 18            # partial file


def test_fault_wrong_length_then_silence(srv):
    t0 = time.monotonic()
    data = fault(srv, b"wrong-length", timeout=1.0)
    status, h, body = split_response(data)
    assert h["content-length"] == "64" and len(body) == 32
    assert time.monotonic() - t0 >= 0.9   # still open: the client waits


def test_fault_bad_chunk(srv):
    data = fault(srv, b"bad-chunk")
    assert b"Transfer-Encoding: chunked" in data and b"\r\nzz\r\n" in data
    r = subprocess.run([require("curl"), "-s", srv.base + "/fault/bad-chunk"],
                       capture_output=True, timeout=20)
    assert r.returncode != 0


def test_fault_slow_headers(srv):
    c = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    c.sendall(b"GET /fault/slow-headers?ms=150 HTTP/1.1\r\nHost: x\r\n"
              b"Connection: close\r\n\r\n")
    t0 = time.monotonic()
    first = c.recv(1000)
    assert first.startswith(b"HTTP/1.1 200 OK") and b"\r\n\r\n" not in first
    rest = read_all(c)
    c.close()
    assert time.monotonic() - t0 > 0.6
    assert (first + rest).endswith(b"\r\n\r\nslow\n")


def test_fault_no_response(srv):
    t0 = time.monotonic()
    data = fault(srv, b"no-response", timeout=0.8)
    assert data == b"" and time.monotonic() - t0 >= 0.7


def test_fault_reset(srv):
    with pytest.raises(ConnectionResetError):
        fault(srv, b"reset")


def test_fault_http10(srv):
    data = fault(srv, b"http10")
    assert data.startswith(b"HTTP/1.0 200 OK\r\n")
    assert b"Content-Length" not in data.split(b"\r\n\r\n")[0]
    assert data.endswith(b"where the connection does.\n")


def test_stream_to_http10_is_close_delimited(srv):
    data = srv.raw(b"GET /stream-bytes/300?seed=1 HTTP/1.0\r\n"
                   b"Connection: keep-alive\r\n\r\n", shut=False)
    status, h, body = split_response(data)
    assert status == 200 and h["connection"] == "close"
    assert "transfer-encoding" not in h and len(body) == 300
    data = srv.raw(b"GET /stream-bytes/300?seed=1 HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in data


def test_big_generated_bodies_pipelined(srv):
    # big bodies go out by writev after their head; order must hold
    c = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    reqs = (b"GET /bytes/3000000?seed=5 HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /ip HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 200000\r\n\r\n" + b"p" * 200000 +
            b"HEAD /bytes/100000 HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    c.sendall(reqs)
    data = read_all(c)
    c.close()
    first, rest = data.split(b"\r\n\r\n", 1)
    assert b"Content-Length: 3000000" in first
    assert rest[3000000:].startswith(b"HTTP/1.1 200 OK")
    assert srv.get("/bytes/3000000?seed=5")[2] == rest[:3000000]
    assert rest.count(b'"origin": "127.0.0.1"') == 3   # 2x /ip, /post
    assert b'"data": "' + b"p" * 200000 + b'"' in rest
    assert b"Content-Length: 100000\r\n\r\nHTTP/1.1 200 OK" in rest
