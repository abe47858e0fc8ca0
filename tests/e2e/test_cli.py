"""The command table: help, version, unknown commands and options."""
import re

import os
import subprocess

from conftest import run, HTTPTOOL, ROOT, DATA

COMMANDS = ["get", "post", "put", "patch", "delete", "head", "options",
            "request", "raw", "ws", "sniff", "serve", "demo", "help"]


def test_help_lists_every_command():
    r = run("help")
    assert r.returncode == 0
    out = r.stdout.decode()
    for c in COMMANDS:
        assert re.search(r"^  %s " % c, out, re.M), c


def test_no_arguments_is_usage_error():
    r = subprocess.run([HTTPTOOL], capture_output=True)
    assert r.returncode == 2
    assert b"usage: httptool" in r.stderr


def test_version():
    r = run("--version")
    assert r.returncode == 0
    assert re.match(rb"httptool \d+\.\d+\.\d+\n$", r.stdout)


def test_every_command_has_help():
    for c in COMMANDS:
        r = run(c, "--help")
        assert r.returncode == 0, c
        assert r.stdout.startswith(b"usage: httptool " + c.encode()), c
        # without man(1), `help CMD` falls back to the --help text
        r2 = run("help", c, env={"PATH": "/nonexistent"})
        assert r2.returncode == 0, c
        assert r2.stdout == r.stdout, c


def test_help_shows_the_man_page_like_git_help():
    env = {"MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "100"}
    for cmd, title in (("get", "HTTPTOOL-GET(1)"), ("post", "HTTPTOOL-GET(1)"),
                       ("raw", "HTTPTOOL-RAW(1)"), ("help", "HTTPTOOL(1)")):
        r = run("help", cmd, env=env)
        out = re.sub(r".\x08", "", r.stdout.decode())
        assert r.returncode == 0, r.stderr.decode()
        assert out.lstrip().startswith(title), (cmd, out[:200])
        assert "EXIT STATUS" in out and "@VERSION@" not in out, cmd


def test_help_text_names_the_page_as_it_can_be_read():
    """From the clone the page is a file (`man httptool-get` finds nothing
    before `make install`); the named command really shows it."""
    r = run("get", "--help", cwd=ROOT)
    assert r.stdout.decode().endswith(
        "See 'man ./man/httptool-get.1' for details and examples.\n")
    r = subprocess.run(["man", "./man/httptool-get.1"], cwd=ROOT,
                       capture_output=True, timeout=60,
                       env=dict(os.environ, MANPAGER="cat", PAGER="cat"))
    assert r.returncode == 0 and b"--data-urlencode" in \
        re.sub(rb".\x08", b"", r.stdout)
    r = run("raw", "--help", cwd="/")
    assert ("See 'man %s/man/httptool-raw.1'" % ROOT).encode() in r.stdout


def test_unknown_command():
    r = run("frobnicate")
    assert r.returncode == 2
    assert b"httptool: unknown command 'frobnicate'" in r.stderr
    assert b"httptool help" in r.stderr


def test_unknown_option_names_it():
    for c in ("get", "raw", "sniff", "serve", "demo"):
        r = run(c, "--no-such-flag")
        assert r.returncode == 2, c
        assert ("httptool %s: unknown option '--no-such-flag'" % c).encode() in r.stderr
    # a short option sniff does not have (tshark's GUI-only -k); -r so
    # that, were it ever added, the test reads a file instead of capturing
    r = run("sniff", "-k", "-r", os.path.join(DATA, "sniff", "nginx.pcap"))
    assert r.returncode == 2
    assert b"unknown option '-k'" in r.stderr


def test_did_you_mean_a_command():
    """git's rule: a swap is free, a prefix is the best match."""
    for typed, want in (("gte", "'get'"), ("sevre", "'serve'"),
                        ("snif", "'sniff'"), ("rwa", "'raw'"),
                        ("p", "one of 'post', 'put', 'patch'")):
        r = run(typed)
        assert r.returncode == 2
        assert r.stderr.decode() == (
            "httptool: unknown command '%s'\n"
            "httptool: did you mean %s?\n" % (typed, want)), typed
    r = run("help", "gte")
    assert r.returncode == 2
    assert b"httptool help: did you mean 'get'?" in r.stderr
    r = run("--verison")
    assert r.returncode == 2
    assert b"httptool: did you mean '--version'?" in r.stderr
    # nothing close: no guess, the pointer to the list instead
    r = run("frobnicate")
    assert b"did you mean" not in r.stderr


def test_did_you_mean_an_option_of_every_table():
    """Every subcommand's option table answers a typo with its own option
    (whatever options other helpers add: the table is the source)."""
    r = run("get", "--verbos")
    assert r.returncode == 2
    assert r.stderr.decode() == ("httptool get: unknown option '--verbos'\n"
                                 "httptool get: did you mean '--verbose'?\n")
    rows = [l.split("\t") for l in
            run("__complete").stdout.decode().splitlines()]
    picked = {}
    for cmd, _, long_, *_ in rows:
        name = long_[2:]
        typo = name[:1] + name[2:3] + name[1:2] + name[3:]  # swap 2 letters
        if len(name) >= 5 and typo != name:
            picked.setdefault(cmd, []).append((name, typo))
    tried = 0
    for cmd, names in picked.items():       # the first and last of each
        for name, typo in {names[0], names[-1]}:
            r = run(cmd, "--" + typo)
            assert r.returncode == 2, (cmd, typo)
            lines = [l for l in r.stderr.decode().splitlines()
                     if "did you mean" in l]
            assert lines and "'--%s'" % name in lines[0], \
                (cmd, typo, r.stderr)
            tried += 1
    assert len(picked) >= 10 and tried > 15


def test_serve_bad_port_names_the_argument_not_an_option():
    r = run("serve", "99999")
    assert r.returncode == 2
    assert r.stderr.decode().startswith(
        "httptool serve: bad port '99999' (a number from 0 to 65535)")
    assert b"--port" not in r.stderr


def test_missing_option_value():
    r = run("sniff", "-r")
    assert r.returncode == 2
    assert b"option needs a value '-r'" in r.stderr


def test_help_unknown_topic():
    r = run("help", "nope")
    assert r.returncode == 2
    assert b"unknown command 'nope'" in r.stderr


def test_complete_dump_has_every_table():
    r = run("__complete")
    assert r.returncode == 0
    rows = [l.split("\t") for l in r.stdout.decode().splitlines()]
    assert all(len(x) == 7 for x in rows)
    cmds = {x[0] for x in rows if x[4] == "command"}
    assert cmds == set(COMMANDS)
    sniff_longs = {x[2] for x in rows if x[0] == "sniff"}
    assert {"--read", "--write", "--display-filter", "--tui"} <= sniff_longs
