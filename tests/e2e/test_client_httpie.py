"""Request items against HTTPie 3 itself: `http --offline` and `httptool
--offline` must build the same JSON body, form body and query string from
the same items (nested JSON paths, escapes, repeated names, := values)."""
import subprocess

import pytest

from conftest import HTTPTOOL, require

URL = "http://127.0.0.1:9/p"

JSON_ITEMS = [
    ["a[b]=c", "a[d][]=1", "a[d][]=2", "x:=3"],
    ["[0]=x", "[2]=y"],
    ["[]=1", "[]:=2"],
    ["a=1", "a=2", "a=3"],
    ["a[b]=1", "a=2"],
    ["b[]=1", "b=2"],
    ["a\\[b\\]=c", "e\\\\f=g"],
    ["a[0][b]=1", "a[0][c]=2", "a[1]=z"],
    ["a[1]=x"],
    ["a[01]=x"],
    ["a[b][c]=1", "a[b]:=[1]"],
    ["a=\u00e9", 'b:=[ 1,{"x" :"\u00e9\\/"} ]', "c:=1e5", "d:=0.1",
     "e:=1e16", "f:=1.5e-7", 'g:="\\ud83d\\ude00"', "h:=true", "i:=null"],
    ["t:=-0", "u:=12345678901234567890", "v:={}", "w:=[]"],
    ["k=tab\there", "d=del\x7f", 'q="quoted"', "n=new\nline"],
]

BAD_JSON_ITEMS = [
    ["a[-1]=x"],
    ["a[b=1"],
    ["a]b=1"],
    ["a[b]c=1"],
    ["[x]=1"],
    ["a[b]=1", "[0]=2"],
    ["b=1", "b[]=2"],
    ["a[b]=1", "a[b][c]=2"],
    ["a[x]=1", "a[]=2"],
]

FORM_ITEMS = [
    ["x=1 2&\u00e9", "y=*", "x=3"],
    ["a=b", "c=d~e.f_g-h"],
]

QUERY_ITEMS = [
    ["q==a b&c/d~\u00e9", "a==1", "b==2", "a==3"],
]


def httpie(*args):
    r = subprocess.run([require("http"), "--ignore-stdin", "--offline",
                        "--pretty=none", *args], capture_output=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    return r


def ours(*args):
    return subprocess.run([HTTPTOOL, *args], capture_output=True, timeout=30)


@pytest.mark.parametrize("items", JSON_ITEMS, ids=lambda i: " ".join(i))
def test_json_body_as_httpie(items):
    want = httpie("--print=B", "POST", URL, *items)
    assert want.returncode == 0, want.stderr
    got = ours("post", "--offline", "--print", "B", "--json-items", URL,
               *items)
    assert got.returncode == 0, got.stderr
    assert got.stdout.rstrip(b"\n") == want.stdout.rstrip(b"\n")


@pytest.mark.parametrize("items", BAD_JSON_ITEMS, ids=lambda i: " ".join(i))
def test_json_path_errors_as_httpie(items):
    assert httpie("--print=B", "POST", URL, *items).returncode != 0
    got = ours("post", "--offline", "--json-items", URL, *items)
    assert got.returncode == 2
    assert got.stderr.startswith(b"httptool post: bad JSON path '")
    assert got.stderr.count(b"\n") == 1


@pytest.mark.parametrize("items", FORM_ITEMS, ids=lambda i: " ".join(i))
def test_form_body_as_httpie(items):
    want = httpie("--form", "--print=B", "POST", URL, *items)
    got = ours("post", "--offline", "--print", "B", URL, *items)
    assert got.stdout.rstrip(b"\n") == want.stdout.rstrip(b"\n")


@pytest.mark.parametrize("items", QUERY_ITEMS, ids=lambda i: " ".join(i))
def test_query_as_httpie(items):
    want = httpie("--print=H", "GET", URL, *items).stdout.split(b"\n")[0]
    got = ours("get", "--offline", "--print", "H", URL, *items)
    assert got.stdout.split(b"\n")[0] == want.rstrip(b"\r")
