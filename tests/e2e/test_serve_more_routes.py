"""httptool serve: the go-httpbin routes of issue 19 (digest auth with
curl --digest, hidden basic auth, robots/deny, /encoding/utf8, /links,
/sse, /trailers, /dump/request, /unstable, /hostname), the lab's
/test_get field and a 404.html in DIR."""
import json
import socket
import subprocess
import time

import pytest

from conftest import require
from test_serve import servers_exit_cleanly, read_all, split_response, start

assert servers_exit_cleanly  # autouse: imported to apply here too


@pytest.fixture
def srv(procs, tmp_path):
    return start(procs, "--quiet", directory=tmp_path)


def curl(*args):
    r = subprocess.run([require("curl"), "-sS", *args], capture_output=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("path", ["auth/u/p", "auth/u/p/MD5",
                                  "auth/u/p/SHA-256", "auth-int/u/p"])
def test_digest_auth_with_curl(srv, path):
    url = srv.base + "/digest-auth/" + path
    ok = curl("--digest", "-u", "u:p", "-w", "\n%{http_code}", url)
    body, code = ok.rsplit(b"\n", 1)
    assert code == b"200"
    assert json.loads(body) == {"authenticated": True, "user": "u"}
    bad = curl("--digest", "-u", "u:nope", "-o", "/dev/null", "-w",
               "%{http_code}", url)
    assert bad == b"401"


def test_digest_challenge(srv):
    status, h, _ = srv.get("/digest-auth/auth/u/p/SHA-256")
    assert status == 401
    ch = h["WWW-Authenticate"]
    assert ch.startswith("Digest ") and 'qop="auth"' in ch
    assert "algorithm=SHA-256" in ch and "nonce=" in ch


def test_hidden_basic_auth(srv):
    assert curl("-u", "a:b", srv.base + "/hidden-basic-auth/a/b") \
        .startswith(b"{")
    status, h, _ = srv.get("/hidden-basic-auth/a/b")
    assert status == 404 and "WWW-Authenticate" not in h


def test_robots_deny_utf8_hostname(srv):
    assert srv.get("/robots.txt")[2] == b"User-agent: *\nDisallow: /deny\n"
    assert b"YOU SHOULDN'T BE HERE" in srv.get("/deny")[2]
    status, h, body = srv.get("/encoding/utf8")
    assert h["Content-Type"] == "text/html; charset=utf-8"
    assert "こんにちは" in body.decode("utf-8")
    assert srv.json("/hostname")["hostname"] == socket.gethostname()


def test_links(srv):
    body = srv.get("/links/3/1")[2].decode()
    assert "<a href='/links/3/0'>0</a> 1 <a href='/links/3/2'>2</a>" in body
    data = srv.raw(b"GET /links/3 HTTP/1.1\r\nHost: x\r\n\r\n")
    status, h, _ = split_response(data)
    assert status == 302 and h["location"] == "/links/3/0"


def test_dump_request_is_the_request_as_sent(srv):
    req = (b"POST /dump/request?x=1 HTTP/1.1\r\nHost: x\r\nX-Odd:  spaced "
           b"\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
    status, _, body = split_response(srv.raw(req))
    assert status == 200 and body == req


def test_unstable(srv):
    codes = {srv.get("/unstable")[0] for _ in range(40)}
    assert codes == {200, 500}
    assert srv.get("/unstable?failure_rate=0")[0] == 200
    assert srv.get("/unstable?failure_rate=1")[0] == 500
    assert len({srv.get("/unstable?seed=7")[0] for _ in range(10)}) == 1
    assert srv.get("/unstable?failure_rate=2")[0] == 400


def test_sse(srv):
    t0 = time.monotonic()
    c = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    c.sendall(b"GET /sse?count=3&duration=0.6&delay=0.2 HTTP/1.1\r\n"
              b"Host: x\r\nConnection: close\r\n\r\n")
    data = read_all(c)
    c.close()
    assert time.monotonic() - t0 >= 0.6
    status, h, _ = split_response(data)
    assert status == 200 and h["content-type"] == "text/event-stream"
    out = curl("-N", srv.base + "/sse?count=3&duration=0.3").decode()
    events = [e for e in out.split("\n\n") if e]
    assert len(events) == 3
    assert events[2].startswith("id: 2\ndata: {\"id\":2,")
    assert events[2].endswith("event: ping")


def test_trailers(srv):
    data = srv.raw(b"GET /trailers?X-Check=1&X-Two=b HTTP/1.1\r\nHost: x"
                   b"\r\nConnection: close\r\n\r\n")
    status, h, body = split_response(data)
    assert status == 200 and h["trailer"] == "X-Check, X-Two"
    assert h["transfer-encoding"] == "chunked"
    assert body.endswith(b"\r\n0\r\nX-Check: 1\r\nX-Two: b\r\n\r\n")
    # curl reads the trailer fields as headers
    out = curl("-si", srv.base + "/trailers?X-Check=1").decode()
    assert out.rstrip().endswith("X-Check: 1")


def test_test_get_submits_test(srv):
    page = srv.get("/test_get")[2].decode()
    assert 'name="test"' in page


def test_404_html(procs, tmp_path):
    (tmp_path / "404.html").write_text("<h1>not here</h1>\n")
    s = start(procs, "--quiet", directory=tmp_path)
    status, h, body = s.get("/missing")
    assert status == 404 and body == b"<h1>not here</h1>\n"
    assert h["Content-Type"].startswith("text/html")


def test_brotli_decodes(srv):
    import brotli
    status, h, body = srv.get("/brotli", headers={"Accept-Encoding": "br"})
    assert status == 200 and h["Content-Encoding"] == "br"
    doc = json.loads(brotli.decompress(body))
    assert doc["brotli"] is True and doc["method"] == "GET"
    assert json.loads(curl("--compressed", srv.base + "/brotli"))["brotli"]


IMAGES = """<!DOCTYPE html><html><body><pre id="out"></pre><script>
var kinds = ['png', 'jpeg', 'webp', 'svg'], left = kinds.length, got = {};
kinds.forEach(function (k) {
  var im = new Image();
  im.onload = function () { got[k] = im.naturalWidth + 'x' +
    im.naturalHeight; done(); };
  im.onerror = function () { got[k] = 'error'; done(); };
  im.src = '/image/' + k;
});
function done() { if (--left === 0) document.getElementById('out')
  .textContent = JSON.stringify(got); }
</script></body></html>
"""


def test_images_decode_in_chromium(procs, tmp_path):
    from test_serve_clients import chromium
    (tmp_path / "images.html").write_text(IMAGES)
    s = start(procs, "--quiet", directory=tmp_path)
    r = chromium("--user-data-dir=%s" % (tmp_path / "ud"),
                 "--virtual-time-budget=8000", "--dump-dom",
                 s.base + "/images.html")
    dom = r.stdout.decode()
    assert ('<pre id="out">{"png":"96x64","jpeg":"96x64","webp":"96x64",'
            '"svg":"96x64"}</pre>') in dom.replace("&quot;", '"') or \
        all('"%s":"96x64"' % k in dom.replace("&quot;", '"')
            for k in ("png", "jpeg", "webp", "svg")), dom[-1500:]


def test_image_by_accept(srv):
    for accept, ctype in (("image/webp,*/*", "image/webp"),
                          ("image/svg+xml", "image/svg+xml"),
                          ("image/jpeg", "image/jpeg"),
                          ("image/png", "image/png"), ("image/*", "image/png")):
        status, h, body = srv.get("/image", headers={"Accept": accept})
        assert status == 200 and h["Content-Type"] == ctype, accept
    assert srv.get("/image/png")[2].startswith(b"\x89PNG\r\n\x1a\n")
    assert srv.get("/image/jpeg")[2].startswith(b"\xff\xd8\xff")
    assert srv.get("/image", headers={"Accept": "text/plain"})[0] == 406
