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
