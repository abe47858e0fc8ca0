"""httptool serve against python3-httpbin itself: the same request to
both, the same answer where the issue says "as httpbin" (issue 19)."""
import collections
import json
import urllib.request

import pytest

from test_client_peers import httpbin  # noqa: F401 (fixture)
from test_serve import servers_exit_cleanly, start

assert servers_exit_cleanly  # autouse: imported to apply here too


@pytest.fixture
def srv(procs, tmp_path):
    return start(procs, "--quiet", directory=tmp_path)


def fetch(url, headers=None, method="GET", data=None):
    req = urllib.request.Request(url, headers=headers or {}, method=method,
                                 data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_response_headers_repeated_name(srv, httpbin):  # noqa: F811
    q = "/response-headers?X-A=1&X-A=2&B=3"
    ours, theirs = fetch(srv.base + q), fetch(httpbin + q)
    want = json.loads(theirs[2])
    want.pop("Content-Length")      # httpbin's own bookkeeping
    assert json.loads(ours[2]) == want
    assert ours[1].get_all("X-A") == theirs[1].get_all("X-A") == ["1", "2"]


def test_status_weighted(srv):
    seen = collections.Counter(
        fetch(srv.base + "/status/200:0.5,500:0.5")[0] for _ in range(60))
    assert set(seen) == {200, 500}, seen
    seen = collections.Counter(
        fetch(srv.base + "/status/201:1,500:0")[0] for _ in range(20))
    assert seen == {201: 20}
    assert fetch(srv.base + "/status/200:x")[0] == 400
    assert fetch(srv.base + "/status/200,abc")[0] == 400


def test_bytes_over_the_limit_is_400_naming_it(srv):
    status, _, body = fetch(srv.base + "/bytes/%d" % (20 << 20))
    assert status == 400 and b"10485760" in body
    status, h, body = fetch(srv.base + "/bytes/%d" % (10 << 20))
    assert status == 200 and len(body) == 10 << 20


CORS = ("access-control-allow-origin", "access-control-allow-credentials",
        "access-control-allow-methods", "access-control-max-age",
        "access-control-allow-headers")


def cors_of(headers):
    return {k: headers[k] for k in CORS if headers.get(k) is not None}


def test_cors_headers_as_httpbin(srv, httpbin):  # noqa: F811
    cases = [("GET", {}), ("GET", {"Origin": "http://lab.test"}),
             ("OPTIONS", {"Origin": "http://lab.test",
                          "Access-Control-Request-Method": "PUT",
                          "Access-Control-Request-Headers": "X-Lab, "
                          "Content-Type"})]
    for method, h in cases:
        ours = fetch(srv.base + "/anything", headers=h, method=method)
        theirs = fetch(httpbin + "/anything", headers=h, method=method)
        assert cors_of(ours[1]) == cors_of(theirs[1]), (method, h)
        assert cors_of(ours[1])["access-control-allow-origin"] == \
            h.get("Origin", "*")
    # on files and errors too
    assert fetch(srv.base + "/nothing-here")[1][
        "Access-Control-Allow-Origin"] == "*"


def test_no_cors(procs, tmp_path):
    s = start(procs, "--quiet", "--no-cors", directory=tmp_path)
    _, h, _ = fetch(s.base + "/get", headers={"Origin": "http://lab.test"})
    assert not cors_of(h)


PAGE = """<!DOCTYPE html><html><body><pre id="out">waiting</pre><script>
fetch('%s/anything/lab', {method: 'PUT', credentials: 'include',
  headers: {'X-Lab': 'fetch', 'Content-Type': 'application/json'},
  body: '{"from": "another origin"}'})
  .then(r => r.json())
  .then(j => { document.getElementById('out').textContent =
    'OK ' + j.method + ' ' + j.headers['X-Lab'] + ' ' + j.json.from; })
  .catch(e => { document.getElementById('out').textContent = 'FAIL ' + e; });
</script></body></html>
"""


def test_chromium_fetch_from_another_origin(procs, tmp_path):
    from test_serve_clients import chromium
    api = start(procs, "--quiet", directory=tmp_path)
    closed = start(procs, "--quiet", "--no-cors", directory=tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "lab.html").write_text(PAGE % api.base)
    (site / "closed.html").write_text(PAGE % closed.base)
    page = start(procs, "--quiet", directory=site)   # another port: origin
    outs = []
    for name in ("lab.html", "closed.html"):
        r = chromium("--user-data-dir=%s" % (tmp_path / ("ud-" + name)),
                     "--virtual-time-budget=8000", "--dump-dom",
                     page.base + "/" + name)
        outs.append(r.stdout.decode())
    assert '<pre id="out">OK PUT fetch another origin</pre>' in outs[0], \
        outs[0][-1500:]
    assert '<pre id="out">FAIL TypeError' in outs[1], outs[1][-1500:]
