"""Helpers (no tests) for the docs, completion and install tests (issue 8).

The man pages and completions are generated from `httptool __complete`;
these helpers run the generators against the binary under test into a
temporary directory, and parse the dump they are built from.
"""
import os
import subprocess

from conftest import HTTPTOOL, ROOT


def dump():
    """`httptool __complete` as {command: [row dicts]} (command rows excluded)
    plus the ordered command list."""
    out = subprocess.run([HTTPTOOL, "__complete"], capture_output=True,
                         check=True, timeout=30).stdout.decode()
    cmds, opts = [], {}
    for line in out.splitlines():
        f = line.split("\t")
        assert len(f) == 7, "bad __complete row: %r" % line
        cmd, short, long_, arg, kind, choices, help_ = f
        if kind == "command":
            cmds.append(cmd)
            opts.setdefault(cmd, [])
            continue
        opts.setdefault(cmd, []).append(dict(
            short=short, long=long_, arg=arg, kind=kind,
            choices=choices.split("|") if choices else [], help=help_))
    return cmds, opts


def generate(dest):
    """Run both generators for HTTPTOOL into dest/man and dest/completions."""
    man = os.path.join(dest, "man")
    comp = os.path.join(dest, "completions")
    r = subprocess.run([os.path.join(ROOT, "scripts", "gen-man-options.sh"),
                        HTTPTOOL, os.path.join(ROOT, "man"), man],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    r = subprocess.run([os.path.join(ROOT, "scripts", "gen-completions.sh"),
                        HTTPTOOL, comp], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    return man, comp


def lines_of(*argv):
    r = subprocess.run(argv, capture_output=True, check=True, timeout=30)
    return [l for l in r.stdout.decode().splitlines() if l]


def fields():
    return [l.split("\t")[0] for l in
            lines_of(os.path.join(ROOT, "scripts", "gen-completions.sh"),
                     "--fields")]


def routes():
    return lines_of(os.path.join(ROOT, "scripts", "gen-completions.sh"),
                    "--routes")
