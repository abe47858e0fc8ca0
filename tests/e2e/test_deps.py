"""The two package sets (issue 21): `make demo` installs only what building
and running need; `make test` adds the test peers.  scripts/deps.sh
--list prints each set from scripts/debian-packages."""
import os
import re
import subprocess

from conftest import ROOT, require

DEPS = os.path.join(ROOT, "scripts", "deps.sh")

# peers and tools only the tests, fuzzing and linting use
TEST_ONLY = ["nginx", "h2o", "tshark", "tcpdump", "wrk", "chromium", "fish",
             "zsh", "tmux", "mandoc", "python3-pytest", "python3-httpbin",
             "socat", "apache2-utils", "valgrind", "clang", "curl", "wget",
             "wireshark-common", "man-db"]


def listed(which):
    r = subprocess.run([DEPS, "--list", which], capture_output=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr.decode()
    pkgs = r.stdout.decode().split()
    assert pkgs and all(re.match(r"^[a-z0-9][a-z0-9.+-]+$", p) for p in pkgs)
    return pkgs


def test_demo_set_has_the_toolchain_and_libraries_and_no_test_peer():
    build, test = listed("build"), listed("test")
    for p in ("gcc", "make", "pkg-config", "libcurl4-openssl-dev",
              "libpcap-dev", "libncurses-dev", "libssl-dev", "zlib1g-dev",
              "libnghttp2-dev", "libbrotli-dev"):
        assert p in build, p
    for p in TEST_ONLY:
        assert p not in build, "%s is a test peer, not a build need" % p
        assert p in test, p
    assert not set(build) & set(test)
    assert sorted(listed("all")) == sorted(build + test)


def test_every_library_the_makefile_links_comes_from_the_demo_set():
    """Each pkg-config module the Makefile asks for is shipped by a package
    of the build set, so `make demo` on a fresh machine can build."""
    with open(os.path.join(ROOT, "Makefile")) as f:
        mk = f.read()
    mods = set()
    for m in re.finditer(r"^PKGS\s*[:+]?=\s*(.*)$", mk, re.M):
        mods.update(m.group(1).split())
    for m in re.finditer(r"pkg-config --\w+ \$\(PKGS\) ([\w\s.-]*?)2>", mk):
        mods.update(m.group(1).split())
    assert {"libcurl", "openssl", "zlib", "libpcap"} <= mods, mods
    build = set(listed("build"))
    # a listed name may be a transitional package (libpcap-dev pulls in
    # libpcap0.8-dev): count what each one depends on directly too
    for p in list(build):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", p],
                           capture_output=True, timeout=30)
        build.update(re.findall(r"(?:^|[,|]\s*)([a-z0-9][a-z0-9.+-]+)",
                                r.stdout.decode()))
    for mod in sorted(mods):
        r = subprocess.run([require("pkg-config"), "--path", mod],
                           capture_output=True, timeout=30)
        assert r.returncode == 0, mod
        pc = r.stdout.decode().strip()
        r = subprocess.run(["dpkg", "-S", os.path.realpath(pc)],
                           capture_output=True, timeout=30)
        if r.returncode != 0:
            r = subprocess.run(["dpkg", "-S", pc], capture_output=True,
                               timeout=30)
        owners = {o.split(":")[0].strip() for o in
                  r.stdout.decode().split("\n")[0].split(": ")[0].split(",")}
        assert owners & build, "%s (%s, from %s) is not in the build set" \
            % (mod, pc, owners)


def test_make_demo_installs_the_build_set_and_make_test_both():
    def plan(target):
        r = subprocess.run([require("make"), "-n", "--no-print-directory",
                            target], cwd=ROOT, capture_output=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr.decode()
        return r.stdout.decode()
    demo = plan("demo")
    assert "scripts/deps.sh build" in demo
    assert "scripts/deps.sh all" not in demo
    assert "scripts/deps.sh all" in plan("test")


def test_deps_rejects_an_unknown_set():
    r = subprocess.run([DEPS, "--list", "everything"], capture_output=True,
                       timeout=30)
    assert r.returncode == 2 and b"usage:" in r.stderr
