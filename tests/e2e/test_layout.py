"""The layout of ../shared/DESIGN.md holds (issue 14): one folder per part,
one copy of each base helper in lib/, no include running from a part back
up into cli/, and the README's code map naming exactly the folders there
are."""
import os
import re
import subprocess

from conftest import ROOT


def sources(*folders):
    """Tracked C sources and headers under the given folders (all if none)."""
    r = subprocess.run(["git", "ls-files", "*.c", "*.h"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    names = r.stdout.split()
    if folders:
        names = [n for n in names if n.split("/")[0] in folders]
    return names


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8",
              errors="replace") as f:
        return f.read()


PARTS = ["lib", "http", "client", "raw", "ws", "capture", "server"]


def test_cli_holds_only_the_command_layer():
    cli = os.listdir(os.path.join(ROOT, "cli"))
    assert not [n for n in cli if n.startswith(("client_", "raw_"))]
    assert os.path.exists(os.path.join(ROOT, "client", "client.h"))
    assert os.path.exists(os.path.join(ROOT, "raw", "raw_session.h"))


def test_no_part_includes_cli():
    bad = []
    for name in sources(*PARTS):
        for line in read(name).splitlines():
            if re.match(r'\s*#\s*include\s+"cli/', line):
                bad.append("%s: %s" % (name, line.strip()))
    assert bad == []


def test_lib_includes_only_lib():
    for name in sources("lib"):
        for inc in re.findall(r'#\s*include\s+"([^"]+)"', read(name)):
            assert "/" not in inc or inc.startswith("lib/"), (name, inc)


def test_one_copy_of_each_base_helper():
    code = {n: read(n) for n in sources() if not n.startswith("tests/")}
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    assert [n for n, t in code.items() if alphabet in t] == ["lib/base64.c"]
    assert [n for n, t in code.items()
            if "clock_gettime(CLOCK_MONOTONIC" in t] == ["lib/clock.c"]
    # the one JSON string escaper: nobody else writes \\u00XX or \\ufffd
    escapers = [n for n, t in code.items()
                if re.search(r'\\\\u(00|%04x|fffd)', t)]
    assert escapers == ["lib/json.c"], escapers


def test_readme_code_map_matches_the_tree():
    readme = read("README.md")
    section = readme.split("## Code map", 1)[1].split("\n## ", 1)[0]
    named = set()
    for first_cell in re.findall(r"^\| ([^|]+) \|", section, re.M):
        named |= set(re.findall(r"`([a-z/]+)/`", first_cell))
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT,
                             capture_output=True, text=True,
                             check=True).stdout.split()
    folders = {t.split("/")[0] for t in tracked
               if "/" in t and not t.startswith(".")}
    folders |= {"/".join(t.split("/")[:2]) for t in tracked
                if t.startswith("capture/") and t.count("/") >= 2}
    assert folders - named == set(), "folders missing from the code map"
    assert named - folders == set(), "code map names folders that are gone"
