"""The client against `httptool serve`: the classic lab on the terminal,
keep-alive, TLS with -k and --cacert."""
import json

from conftest import HTTPTOOL, free_port, run, wait_port
from test_client_peers import make_cert, run_pty


def serve(procs, *args):
    port = free_port()
    p = procs([HTTPTOOL, "serve", str(port), "--quiet", *args])
    wait_port(port, proc=p.p)
    return port


def test_lab_get_verbose_on_a_terminal(procs, tmp_path):
    (tmp_path / "index.html").write_text("<h1>lab</h1>\n")
    port = serve(procs, "-d", str(tmp_path))
    rc, out = run_pty([HTTPTOOL, "get", "-v", "http://127.0.0.1:%d/" % port],
                      env={"NO_COLOR": "1"})
    assert rc == 0
    lines = out.decode().split("\r\n")
    assert "> GET / HTTP/1.1" in lines
    assert "> Host: 127.0.0.1:%d" % port in lines
    assert "< HTTP/1.1 200 OK" in lines
    assert "<h1>lab</h1>" in lines


def test_lab_post_form(procs):
    port = serve(procs)
    r = run("post", ":%d/post" % port, "test=hello")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["form"] == {"test": "hello"}
    r = run("post", ":%d/" % port, "-d", "@-", input=b"hello world\n")
    assert b"hello world" in r.stdout


def test_keep_alive_with_serve(procs):
    port = serve(procs)
    r = run("get", ":%d/get" % port, ":%d/headers" % port, "-o", "/dev/null",
            "-o", "/dev/null", "-w", "%{num_connects}\\n")
    assert r.stdout == b"1\n0\n"


def test_tls_insecure_and_cacert(procs, tmp_path):
    port = serve(procs, "--tls")
    url = "https://127.0.0.1:%d/get" % port
    r = run("get", url)
    assert r.returncode == 60
    assert r.stderr.startswith(b"httptool get: (60) SSL certificate problem")
    r = run("get", "-k", url, "-w", "%{scheme}", "-o", "/dev/null")
    assert r.returncode == 0 and r.stdout.lower() == b"https"
    cert, key = make_cert(str(tmp_path))
    port = serve(procs, "--tls", "--cert", str(cert), "--key", str(key))
    r = run("get", "--cacert", cert, "https://127.0.0.1:%d/get" % port)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["url"].startswith("https://")


def test_items_against_serve(procs, tmp_path):
    port = serve(procs)
    base = "http://127.0.0.1:%d" % port
    r = run("post", base + "/post", "--json-items", "n:=1", "s=x", "q==1", "X-A:b")
    d = json.loads(r.stdout)
    assert d["json"] == {"n": 1, "s": "x"}
    assert d["args"] == {"q": "1"}
    assert d["headers"]["X-A"] == "b"
    f = tmp_path / "up.txt"
    f.write_text("contents\n")
    r = run("post", base + "/post", "doc@%s" % f, "note=hi")
    d = json.loads(r.stdout)
    assert d["files"]["doc"] == "contents\n" and d["form"] == {"note": "hi"}
