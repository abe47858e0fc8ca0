"""The client against httpbin (an independent peer): request items, bodies,
methods, the classic lab, -i/-I/-v output, usage errors."""
import json
import os
import subprocess

from conftest import HTTPTOOL, free_port, run
from test_client_peers import httpbin, stub  # noqa: F401 (fixtures)


def j(r):
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def port_of(url):
    return url.rsplit(":", 1)[1]


def test_lab_post_form_shorthand(httpbin):
    # httptool post :8000/post test=hello, as curl -d test=hello
    r = j(run("post", ":%s/post" % port_of(httpbin), "test=hello"))
    assert r["form"] == {"test": "hello"}
    assert r["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert r["headers"]["Host"] == "localhost:%s" % port_of(httpbin)


def test_lab_get_verbose(httpbin):
    r = run("get", "-v", httpbin + "/get")
    assert r.returncode == 0
    err = r.stderr.decode()
    lines = err.splitlines()
    assert "> GET /get HTTP/1.1" in lines
    assert "> Host: %s" % httpbin[7:] in lines
    assert "> " in lines                       # end of the request head
    assert "< HTTP/1.1 200 OK" in lines
    assert "< Content-Type: application/json" in lines
    assert any(l.startswith("* ") and "Connected to" in l for l in lines)
    assert all(l[:2] in ("* ", "> ", "< ") for l in lines), err
    assert json.loads(r.stdout)["url"] == httpbin + "/get"


def test_header_query_and_field_items(httpbin):
    r = j(run("post", httpbin + "/post", "X-One:1", "X-Two: two words",
              "q==a b", "r==&", "name=x=y", r"we\=ird=v"))
    assert r["headers"]["X-One"] == "1"
    assert r["headers"]["X-Two"] == "two words"
    assert r["args"] == {"q": "a b", "r": "&"}
    assert r["form"] == {"name": "x=y", "we=ird": "v"}


def test_header_item_removes_and_empties(httpbin):
    r = j(run("get", httpbin + "/headers", "Accept:", "X-Empty;"))
    assert "Accept" not in r["headers"]
    assert r["headers"]["X-Empty"] == ""


def test_json_items(httpbin):
    r = j(run("post", httpbin + "/post", "--json-items", "s=str", "n:=42",
              "l:=[1, 2]", "o:={\"k\": null}", "b:=true"))
    assert r["json"] == {"s": "str", "n": 42, "l": [1, 2], "o": {"k": None},
                         "b": True}
    assert r["headers"]["Content-Type"] == "application/json"
    assert r["headers"]["Accept"].startswith("application/json")


def test_raw_json_item_implies_json(httpbin):
    r = j(run("put", httpbin + "/put", "n:=1", "s=x"))
    assert r["json"] == {"n": 1, "s": "x"}


def test_values_from_files(httpbin, tmp_path):
    (tmp_path / "v.txt").write_text("from file")
    (tmp_path / "v.json").write_text('{"deep": [1]}\n')
    r = j(run("post", httpbin + "/post", "a=@%s" % (tmp_path / "v.txt"),
              "b:=@%s" % (tmp_path / "v.json")))
    assert r["json"] == {"a": "from file", "b": {"deep": [1]}}


def test_file_item_is_multipart(httpbin, tmp_path):
    f = tmp_path / "up.txt"
    f.write_text("file body\n")
    r = j(run("post", httpbin + "/post", "note=hi",
              "doc@%s;type=text/x-custom" % f))
    assert r["files"] == {"doc": "file body\n"}
    assert r["form"] == {"note": "hi"}
    assert r["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_stdin_only_when_asked(httpbin):
    r = j(run("post", httpbin + "/post", "v=@-", input=b"piped"))
    assert r["form"] == {"v": "piped"}
    # stdin left open and never written: must not be read or waited on
    p = subprocess.Popen([HTTPTOOL, "post", httpbin + "/post", "a=b"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        p.wait(timeout=10)
    finally:
        p.kill()
        p.stdin.close()
    assert json.loads(p.stdout.read())["form"] == {"a": "b"}
    p.stdout.close()
    p.stderr.close()


def test_methods(httpbin):
    for cmd, path in (("put", "/put"), ("patch", "/patch"),
                      ("delete", "/delete")):
        r = j(run(cmd, httpbin + path))
        assert r["url"] == httpbin + path
    r = run("options", "-i", httpbin + "/get")
    assert b"Allow:" in r.stdout
    r = j(run("request", "PATCH", httpbin + "/patch", "a=1"))
    assert r["form"] == {"a": "1"}
    r = j(run("get", "-X", "DELETE", httpbin + "/delete"))
    assert r["args"] == {}
    r = run("request", "-X", "PUT", "GET", httpbin + "/put", "-w",
            "%{method}", "-o", "/dev/null")      # -X wins over METHOD
    assert r.stdout == b"PUT"
    r = run("request")
    assert r.returncode == 2 and b"no METHOD given" in r.stderr


def test_curl_data_flags(httpbin, tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("a=1\nb=2\n")
    r = j(run("post", httpbin + "/post", "-d", "x=1", "-d", "@%s" % f))
    assert r["form"] == {"x": "1", "a": "1b=2"}   # curl -d @file drops newlines
    r = j(run("post", httpbin + "/post", "--data-binary", "@%s" % f,
              "-H", "Content-Type: text/plain"))
    assert r["data"] == "a=1\nb=2\n"
    r = j(run("post", httpbin + "/post", "--data-urlencode", "t=a b&c"))
    assert r["form"] == {"t": "a b&c"}
    r = j(run("get", "-G", httpbin + "/get", "-d", "k=v"))
    assert r["args"] == {"k": "v"}
    r = j(run("post", httpbin + "/post", "--data-binary", "@-", input=b"raw\n"))
    assert r["form"] == {"raw\n": ""}


def test_curl_form_flag(httpbin, tmp_path):
    f = tmp_path / "f.bin"
    f.write_bytes(b"BYTES")
    r = j(run("post", httpbin + "/post", "-F", "a=b", "-F", "f=@%s" % f))
    assert r["form"] == {"a": "b"}
    assert r["files"] == {"f": "BYTES"}


def test_include_and_head(httpbin):
    r = run("get", "-i", httpbin + "/get")
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert json.loads(body)["url"] == httpbin + "/get"
    for args in (("get", "-I"), ("head",)):
        r = run(*args, httpbin + "/get")
        assert r.returncode == 0
        assert r.stdout.startswith(b"HTTP/1.1 200 OK\r\n")
        assert r.stdout.endswith(b"\r\n\r\n")


def test_print_parts(httpbin):
    r = run("post", "--print", "HBh", httpbin + "/post", "a=1")
    out = r.stdout.decode()
    assert out.startswith("POST /post HTTP/1.1\r\n")    # as HTTPie
    assert "\na=1\n" in out
    assert "HTTP/1.1 200 OK" in out
    assert '"form"' not in out                  # no response body


def test_user_agent_referer_auth(httpbin):
    r = j(run("get", "-A", "agent/1", "-e", "http://ref/", httpbin + "/headers"))
    assert r["headers"]["User-Agent"] == "agent/1"
    assert r["headers"]["Referer"] == "http://ref/"
    assert j(run("get", "-u", "u:p", httpbin + "/basic-auth/u/p"))["authenticated"]
    r = run("get", "-u", "u:wrong", httpbin + "/basic-auth/u/p", "-w", "%{http_code}")
    assert r.stdout.endswith(b"401")


def test_usage_errors_exit_2_before_sending(tmp_path):
    port = free_port()            # nothing listens: sending would exit 7
    url = "http://127.0.0.1:%d/" % port
    cases = [
        (("post", url, "n:={oops"), b"malformed JSON in item 'n:={oops'"),
        (("post", url, "f@/no/such/file"), b"cannot read '/no/such/file'"),
        (("post", url, "v=@/no/such/file"), b"cannot read '/no/such/file'"),
        (("get",), b"no URL given"),
        (("get", url, "word"), b"bad request item 'word'"),
        (("get", url, "--pretty", "loud"), b"bad --pretty"),
        (("get", url, "-m", "soon"), b"bad number of seconds"),
    ]
    for args, msg in cases:
        r = run(*args)
        assert r.returncode == 2, args
        assert msg in r.stderr, (args, r.stderr)
        assert r.stderr.startswith(b"httptool "), r.stderr
        assert len(r.stderr.splitlines()) == 1, r.stderr
    # a malformed URL is curl's exit 3, still before sending (curl 7.88
    # reads http:///x as http://x; a fourth slash is too many)
    for u in ("http://", "http:///", "http:////x"):
        r = run("get", u)
        assert r.returncode == 3, u
        assert r.stderr == b"httptool get: (3) bad URL '%s': no host\n" % \
            u.encode()


def test_several_urls_and_items(httpbin):
    r = run("get", httpbin + "/get", httpbin + "/anything", "k==v")
    text = r.stdout.decode()
    first, end = json.JSONDecoder().raw_decode(text)
    second = json.loads(text[end:])
    assert first["args"] == {"k": "v"} and second["args"] == {"k": "v"}
    assert second["url"].startswith(httpbin + "/anything")
