"""Man pages: generated from man/*.1.in + `httptool __complete`, lint-clean,
and naming every option, exit code, filter field and route (STYLE.md 15).

A new option or command without documentation fails here."""
import os
import re
import subprocess

import pytest

from conftest import HTTPTOOL, ROOT, require
from test_docs_helpers import dump, fields, generate, routes


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    return generate(str(tmp_path_factory.mktemp("docs")))


def render(path):
    """The page as plain text (mandoc, no formatting, no hyphenation)."""
    r = subprocess.run([require("mandoc"), "-Tascii", "-O", "width=400",
                        path], capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr.decode()
    text = re.sub(r".\x08", "", r.stdout.decode())
    return text


def page_of(man, cmd):
    """The real page documenting cmd (following a .so alias)."""
    path = os.path.join(man, "httptool-%s.1" % cmd)
    if cmd == "help":
        path = os.path.join(man, "httptool-help.1")
    assert os.path.exists(path), "no man page for httptool %s" % cmd
    with open(path) as f:
        first = f.readline()
    m = re.match(r"\.so man1/(\S+)$", first.strip())
    if m:
        path = os.path.join(man, m.group(1))
        assert os.path.exists(path), first
    return path


def section(text, name):
    """The text of one top-level section of a rendered page."""
    m = re.search(r"^%s\n(.*?)(?=^[A-Z][A-Z ]+\n|\Z)" % re.escape(name),
                  text, re.M | re.S)
    assert m, "no %s section" % name
    return m.group(1)


def test_every_page_is_lint_clean(gen):
    """`mandoc -Tlint` at its default level (style included) says nothing,
    the aliases included (they are links, not fragile .so pages)."""
    man, _ = gen
    pages = [p for p in sorted(os.listdir(man)) if p.endswith(".1")]
    assert "httptool.1" in pages and "httptool-sniff.1" in pages
    r = subprocess.run([require("mandoc"), "-Tlint"] +
                       [os.path.join(man, p) for p in pages],
                       capture_output=True, timeout=60)
    assert r.returncode == 0 and not r.stdout and not r.stderr, \
        (r.stdout + r.stderr).decode()


def test_make_leaves_finished_pages_in_the_tree():
    """What `make` built in man/ is finished: markers spliced, the version
    filled in, OPTIONS and EXIT STATUS not empty, lint-clean as the issue
    checks it (`mandoc -Tlint man/*.1`), and git sees no change."""
    man = os.path.join(ROOT, "man")
    pages = sorted(p for p in os.listdir(man) if p.endswith(".1"))
    srcs = sorted(p[:-3] for p in os.listdir(man) if p.endswith(".1.in"))
    assert set(srcs) <= set(pages), "run make: %s" % (set(srcs) - set(pages))
    version = subprocess.run([HTTPTOOL, "--version"], capture_output=True,
                             timeout=30).stdout.decode().split()[1]
    for p in srcs:
        with open(os.path.join(man, p)) as f:
            text = f.read()
        assert "@VERSION@" not in text, p
        assert not re.search(r'^\.\\" @[A-Z_]+', text, re.M), p
        assert "httptool %s" % version in text, p
        out = render(os.path.join(man, p))
        if p != "httptool-demo.1":
            assert section(out, "OPTIONS").strip(), p
        assert section(out, "EXIT STATUS").strip(), p
    r = subprocess.run("%s -Tlint man/*.1" % require("mandoc"), shell=True,
                       cwd=ROOT, capture_output=True, timeout=60)
    assert r.returncode == 0 and not r.stdout and not r.stderr, \
        (r.stdout + r.stderr).decode()
    # built files are ignored, so a build leaves git status clean (CI)
    r = subprocess.run(["git", "status", "--porcelain", "man", "completions"],
                       cwd=ROOT, capture_output=True, timeout=30)
    built = [l for l in r.stdout.decode().splitlines()
             if not l.endswith((".in", ".gitignore"))]
    assert built == [], built


def test_every_command_has_a_page_with_every_option(gen):
    man, _ = gen
    cmds, opts = dump()
    assert "sniff" in cmds and "get" in cmds
    for cmd in cmds:
        text = render(page_of(man, cmd))
        options = section(text, "OPTIONS")
        flat = " ".join(options.split())
        for o in opts[cmd]:
            # the entry carries this command's own --help line
            head = " ".join(x for x in (
                (o["short"] + ",") if o["short"] and o["long"] else o["short"],
                o["long"], o["arg"]) if x)
            want = " ".join((o["help"][:1].upper() + o["help"][1:]).split())
            assert "%s %s" % (head, want) in flat, \
                "httptool %s %s: %r not in its man page" % (cmd, head, want)
            for name in (o["short"], o["long"]):
                if name:
                    assert re.search(r"(^|[\s,])%s(\s|,|$)" % re.escape(name),
                                     options, re.M), \
                        "httptool %s %s is missing from its man page" % (cmd, name)
            if o["arg"]:
                assert o["arg"] in options, (cmd, o["arg"])
            for c in o["choices"]:
                assert c in options, (cmd, o["long"], c)


def test_alias_pages_cover_the_client_commands(gen):
    man, _ = gen
    for cmd in ("post", "put", "patch", "delete", "head", "options",
                "request"):
        assert os.readlink(os.path.join(man, "httptool-%s.1" % cmd)) == \
            "httptool-get.1"
        text = render(os.path.join(man, "httptool-get.1"))
        assert "httptool-%s" % cmd in section(text, "NAME")
    assert os.readlink(os.path.join(man, "httptool-help.1")) == "httptool.1"


def exit_codes():
    with open(os.path.join(ROOT, "lib", "exitcode.h")) as f:
        return [int(n) for n in
                re.findall(r"^\s*EXIT_\w+\s*=\s*(\d+)", f.read(), re.M)]


def test_exit_status_mirrors_exitcode_h(gen):
    man, _ = gen
    codes = exit_codes()
    assert 0 in codes and 2 in codes and 22 in codes
    for page in ("httptool.1", "httptool-get.1"):
        text = section(render(os.path.join(man, page)), "EXIT STATUS")
        listed = [int(n) for n in re.findall(r"^\s{7}(\d+)\s", text, re.M)]
        assert listed == codes, page
    # raw adds curl's codes for a weird reply (8), a reply cut short (18),
    # -i expiring with requests unanswered (28) or never sent (52)
    for page, want in (("httptool-raw.1", [0, 1, 2, 8, 18, 28, 52]),
                       ("httptool-sniff.1", [0, 1, 2]),
                       ("httptool-serve.1", [0, 1, 2]),
                       ("httptool-demo.1", [0, 1, 2])):
        text = section(render(os.path.join(man, page)), "EXIT STATUS")
        listed = [int(n) for n in re.findall(r"^\s{7}(\d+)\s", text, re.M)]
        assert listed == want, page


def test_commands_section_lists_every_command(gen):
    man, _ = gen
    cmds, _ = dump()
    text = section(render(os.path.join(man, "httptool.1")), "COMMANDS")
    for c in cmds:
        assert re.search(r"^\s+httptool %s$" % c, text, re.M), c


def test_sniff_page_has_every_filter_field_and_the_json_schema(gen):
    man, _ = gen
    text = render(os.path.join(man, "httptool-sniff.1"))
    filters = section(text, "DISPLAY FILTERS")
    fl = fields()
    assert "http.request.method" in fl and "tcp.port" in fl
    assert len(fl) == len(set(fl))
    header = os.path.join(ROOT, "capture", "filter.h")
    if os.path.exists(header):
        # every field of enum filter_field was found in the table
        with open(header) as f:
            enum = re.search(r"enum filter_field \{(.*?)\}", f.read(), re.S)
        names = [n for n in re.findall(r"FF_\w+", enum.group(1))
                 if n != "FF__COUNT"]
        assert len(fl) == len(names)
    for f in fl:
        assert re.search(r"(^|\s)%s([\s,.]|$)" % re.escape(f), filters), f
    schema = section(text, "JSON OUTPUT")
    for key in ("frame", "time", "stream", "src", "dst", "sport", "dport",
                "type", "method", "uri", "full_uri", "version", "code",
                "phrase", "headers", "content_type", "content_length",
                "body_len", "request_in", "response_in",
                "time_since_request", "malformed"):
        assert re.search(r"(^|[\s,])%s(,|\s|$)" % key, schema, re.M), key


def test_serve_page_documents_every_route_and_limit(gen):
    man, _ = gen
    text = render(os.path.join(man, "httptool-serve.1"))
    routes_text = section(text, "ROUTES")
    for r in routes():
        stem = re.split(r"[/?]$|\?", r)[0]
        assert "/" + stem in routes_text, r
    limits = section(text, "LIMITS")
    options = section(text, "OPTIONS")
    for opt in ("--max-header-size", "--max-body-size", "--header-timeout",
                "--idle-timeout", "--max-connections"):
        assert opt in limits, opt
        # the generated entry carries the default from --help
        entry = re.search(r"^\s+%s \S+\n\s+(.*)$" % re.escape(opt),
                          options, re.M)
        assert entry and "(default" in entry.group(1), opt


def test_prose_names_no_option_that_does_not_exist():
    """Stale docs: every --option written in a page's prose must exist."""
    _, opts = dump()
    known = {o["long"] for rows in opts.values() for o in rows if o["long"]}
    known |= {"--version", "--help", "--name"}   # global; a placeholder
    mandir = os.path.join(ROOT, "man")
    for p in sorted(os.listdir(mandir)):
        if not p.endswith(".1.in"):
            continue
        with open(os.path.join(mandir, p)) as f:
            src = f.read().replace("\\-", "-")
        # curl's own flags in curl examples are not ours
        src = "\n".join(l for l in src.splitlines() if "curl " not in l)
        for name in set(re.findall(r"(?<![\w-])--[a-z0-9][a-z0-9.-]*", src)):
            assert name.rstrip(".") in known, "%s mentions %s" % (p, name)



def test_sniff_page_lists_the_tui_keys(gen):
    """The keys come from the TUI's key table (the one it dispatches on
    and prints as its help screen) when it exists."""
    man, _ = gen
    text = " ".join(section(render(os.path.join(man, "httptool-sniff.1")),
                            "TERMINAL INTERFACE").split())
    src = os.path.join(ROOT, "capture", "tui", "keys.c")
    rows = []
    if os.path.exists(src):
        with open(src) as f:
            rows = re.findall(r'^\s*K\("(.*)", "([^"]*)", k_', f.read(),
                              re.M)
    if not rows:        # no TUI yet, or its key table moved
        assert "Press ? in the interface for its keys." in text
        return
    assert len(rows) >= 20
    for keys, what in rows:
        keys = keys.replace('\\\\', '\\').replace('\\"', '"')
        what = what[:1].upper() + what[1:]
        assert "%s %s" % (keys, what) in text, (keys, what)
