"""`make install` / `make uninstall` into a DESTDIR, the installed man pages
and completions working from there, and the Dockerfile's package list.

The install runs the real Makefile with BIN pointing at the binary under
test and `-o` so that make never rebuilds it (the tree may be mid-edit)."""
import os
import re
import subprocess

import pytest

from conftest import HTTPTOOL, ROOT, require

FILES = [
    "usr/bin/httptool",
    "usr/share/man/man1/httptool.1",
    "usr/share/man/man1/httptool-get.1",
    "usr/share/man/man1/httptool-post.1",
    "usr/share/man/man1/httptool-request.1",
    "usr/share/man/man1/httptool-raw.1",
    "usr/share/man/man1/httptool-sniff.1",
    "usr/share/man/man1/httptool-serve.1",
    "usr/share/man/man1/httptool-demo.1",
    "usr/share/bash-completion/completions/httptool",
    "usr/share/zsh/vendor-completions/_httptool",
    "usr/share/fish/vendor_completions.d/httptool.fish",
]


def make(*args, timeout=120):
    r = subprocess.run([require("make"), "-s", "--no-print-directory",
                        "BIN=" + HTTPTOOL, "-o", HTTPTOOL, *args],
                       cwd=ROOT, capture_output=True, timeout=timeout)
    assert r.returncode == 0, (r.stdout + r.stderr).decode()
    return r


@pytest.fixture(scope="module")
def dest(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("destdir"))
    make("install", "DESTDIR=" + d, "PREFIX=/usr")
    return d


def man(dest, *args):
    env = dict(os.environ, MANPATH=os.path.join(dest, "usr/share/man"),
               MANPAGER="cat", PAGER="cat", MANWIDTH="100", MAN_KEEP_FORMATTING="")
    r = subprocess.run([require("man"), *args], capture_output=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    return re.sub(r".\x08", "", r.stdout.decode())


def test_install_puts_every_file_in_place(dest):
    for f in FILES:
        path = os.path.join(dest, f)
        assert os.path.isfile(path), f
        mode = os.stat(path).st_mode & 0o777
        assert mode == (0o755 if f.endswith("bin/httptool") else 0o644), f
    r = subprocess.run([os.path.join(dest, "usr/bin/httptool"), "--version"],
                       capture_output=True, timeout=30)
    assert r.returncode == 0 and r.stdout.startswith(b"httptool ")


def test_installed_man_pages_render(dest):
    text = man(dest, "httptool-sniff")
    assert "httptool-sniff - capture and decode HTTP" in text
    assert "--display-filter" in text and "http.request.method" in text
    # the aliases are links to the client's page
    mandir = os.path.join(dest, "usr/share/man/man1")
    for cmd in ("post", "put", "patch", "delete", "head", "options", "request"):
        assert os.readlink(os.path.join(mandir, "httptool-%s.1" % cmd)) == \
            "httptool-get.1", cmd
    assert os.readlink(os.path.join(mandir, "httptool-help.1")) == "httptool.1"
    text = man(dest, "httptool-post")
    assert "HTTPTOOL-GET(1)" in text and "--data-urlencode" in text
    text = man(dest, "-l", os.path.join(dest, "usr/share/man/man1/httptool-serve.1"))
    assert "/fault/close-early" in text
    assert "EXIT STATUS" in man(dest, "httptool")


def test_installed_binary_names_and_shows_installed_pages(dest):
    """Installed, --help names the page by name and `help CMD` opens it."""
    exe = os.path.join(dest, "usr/bin/httptool")
    r = subprocess.run([exe, "get", "--help"], capture_output=True,
                       timeout=30, cwd=ROOT)
    assert r.stdout.endswith(b"See 'man httptool-get' for details and "
                             b"examples.\n")
    env = dict(os.environ, MANPATH=os.path.join(dest, "usr/share/man"),
               MANPAGER="cat", PAGER="cat", MANWIDTH="100")
    r = subprocess.run([exe, "help", "sniff"], capture_output=True,
                       timeout=60, env=env)
    out = re.sub(r".\x08", "", r.stdout.decode())
    assert out.lstrip().startswith("HTTPTOOL-SNIFF(1)"), out[:300]
    # no page anywhere: the --help text instead
    env["MANPATH"] = "/nonexistent"
    r = subprocess.run([exe, "help", "sniff"], capture_output=True,
                       timeout=60, env=env)
    assert r.stdout.startswith(b"usage: httptool sniff"), r.stdout[:200]


def test_install_into_a_home_prefix(tmp_path):
    """`make install PREFIX=~/.local` (the README's no-root install) puts
    everything under the prefix and runs nothing that needs root."""
    home = str(tmp_path / "home" / ".local")
    out = make("-n", "install", "PREFIX=" + home).stdout.decode()
    assert "sudo" not in out and 'if [ -n "" ]' in out
    make("install", "PREFIX=" + home)
    files = sorted(os.path.relpath(os.path.join(r, f), home)
                   for r, _, fs in os.walk(home) for f in fs)
    for f in FILES:
        assert f[len("usr/"):] in files, f
    assert os.path.islink(os.path.join(home, "share/man/man1/httptool-post.1"))


def test_installed_completions_load(dest):
    bash = os.path.join(dest, "usr/share/bash-completion/completions/httptool")
    r = subprocess.run(["bash", "--norc", "-c",
                        'source "$0"; COMP_WORDS=(httptool sniff --rea); '
                        'COMP_CWORD=2; _httptool; echo "${COMPREPLY[*]}"',
                        bash], capture_output=True, timeout=30)
    assert r.stdout.decode().strip() == "--read", r.stderr.decode()
    fish = os.path.join(dest, "usr/share/fish/vendor_completions.d/httptool.fish")
    r = subprocess.run([require("fish"), "--no-config", "-c",
                        "source %s; complete -C 'httptool sniff --rea'" % fish],
                       capture_output=True, timeout=30)
    assert r.stdout.decode().split("\t")[0] == "--read"
    zsh = os.path.join(dest, "usr/share/zsh/vendor-completions/_httptool")
    with open(zsh) as f:
        assert f.readline() == "#compdef httptool\n"


def test_setcap_is_optional_and_correct():
    r = make("-n", "install", "DESTDIR=/nonexistent", "PREFIX=/usr",
             "SETCAP=1")
    out = r.stdout.decode()
    assert "setcap cap_net_raw,cap_net_admin=eip /nonexistent/usr/bin/httptool" in out
    assert 'if [ -n "1" ]' in out
    out = make("-n", "install", "DESTDIR=/nonexistent").stdout.decode()
    assert 'if [ -n "" ]' in out


def test_uninstall_removes_everything(tmp_path):
    d = str(tmp_path)
    make("install", "DESTDIR=" + d, "PREFIX=/opt/ht")
    files = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
    assert len(files) >= len(FILES) + 5     # the other alias pages
    make("uninstall", "DESTDIR=" + d, "PREFIX=/opt/ht")
    left = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
    assert left == []


# ---- Dockerfile -----------------------------------------------------------

def owning_package(lib):
    """The Debian package that ships the shared library `lib` (a soname)."""
    r = subprocess.run(["ldconfig", "-p"], capture_output=True, timeout=30)
    m = re.search(r"^\s*%s \(libc6,x86-64[^)]*\) => (\S+)" % re.escape(lib),
                  r.stdout.decode(), re.M) or \
        re.search(r"^\s*%s .*=> (\S+)" % re.escape(lib), r.stdout.decode(), re.M)
    assert m, lib
    path = m.group(1)
    for p in (path, os.path.realpath(path),
              re.sub(r"^/usr/lib", "/lib", path),
              re.sub(r"^/lib", "/usr/lib", path)):
        r = subprocess.run(["dpkg", "-S", p], capture_output=True, timeout=30)
        if r.returncode == 0:
            return r.stdout.decode().split(":")[0]
    raise AssertionError("no package owns %s" % path)


def test_dockerfile_runtime_stage_has_every_library():
    with open(os.path.join(ROOT, "Dockerfile")) as f:
        text = f.read()
    assert re.search(r"^FROM debian:\S+ AS build$", text, re.M)
    assert "scripts/deps.sh build" in text
    assert "make install DESTDIR=/out PREFIX=/usr" in text
    assert 'CMD ["serve", "-b", "0.0.0.0"]' in text
    assert "EXPOSE 8000" in text
    stage2 = text.split("AS build", 1)[1]
    code = "\n".join(l for l in stage2.splitlines()
                     if not l.lstrip().startswith("#"))
    runtime = set(re.findall(r"(?<![\w/.-])(lib[a-z0-9.+-]+|zlib1g)(?![\w/])",
                             code))
    r = subprocess.run([require("readelf"), "-d", HTTPTOOL],
                       capture_output=True, timeout=30)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]",
                        r.stdout.decode())
    assert "libc.so.6" in needed
    base = {"libc6", "libgcc-s1", "libstdc++6"}
    sanitizers = re.compile(r"^lib(asan|ubsan|lsan|tsan)\d+$")
    for lib in needed:
        pkg = owning_package(lib)
        if pkg in base or sanitizers.match(pkg):
            continue
        assert pkg in runtime, \
            "Dockerfile runtime stage lacks %s (for %s)" % (pkg, lib)
