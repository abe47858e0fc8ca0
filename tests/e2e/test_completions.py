"""Shell completions (bash, zsh, fish), generated from `httptool __complete`.

Each shell is run for real: bash calls the completion function with
COMP_WORDS/COMP_CWORD (and COMP_LINE, as readline sets it), zsh completes
inside a zpty-driven interactive shell with compsys, fish answers
`complete -C`.  Every option of every command must be offered by all three.
"""
import os
import re
import subprocess

import pytest

from conftest import require
from test_docs_helpers import dump, fields, generate


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    d = tmp_path_factory.mktemp("comp")
    _, c = generate(str(d))
    # a file to complete after -r, -o, @
    with open(os.path.join(str(d), "lab-capture.pcap"), "w") as f:
        f.write("x")
    return c, str(d)


@pytest.fixture(scope="module")
def table():
    return dump()


def wanted_options(opts):
    return {n for o in opts for n in (o["short"], o["long"]) if n}


# Arguments zsh and fish are both asked to complete (Tab at the end of the
# line), and what they must offer, checked by check_arg_completions.
ARG_LINES = ["httptool ", "httptool s", "httptool sniff --r",
             "httptool sniff -Y http.req", "httptool sniff -i ",
             "httptool serve --log-format ", "httptool get :8000/te",
             "httptool sniff -r lab-c", "httptool help se",
             "httptool post :8000/ -d @lab-c"]


def check_arg_completions(got, cmds, url, at):
    """got: the sets of matches for ARG_LINES, in order; url and at are
    the shell's matches for the URL path and for the file after "@"."""
    assert set(cmds) <= got[0]
    assert got[1] == {"sniff", "serve"}
    assert got[2] == {"--read"}
    assert got[3] == {f for f in fields() if f.startswith("http.req")}
    assert {"lo", "any"} <= got[4]
    assert got[5] == {"python", "common", "json"}
    assert got[6] == url
    assert got[7] == {"lab-capture.pcap"}
    assert got[8] == {"serve"}
    assert got[9] == at


# ---- bash -----------------------------------------------------------------

BASH_DRIVER = r'''
source "$1"
shift
# each argument is one case: "W:word word ..." (COMP_WORDS) or "L:line"
for c; do
	unset COMP_LINE COMP_POINT COMP_WORDS COMP_CWORD
	if [[ $c == W:* ]]; then
		eval "COMP_WORDS=(${c#W:})"
		COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	else
		COMP_LINE=${c#L:}
		COMP_POINT=${#COMP_LINE}
		COMP_WORDS=(x) COMP_CWORD=0
	fi
	COMPREPLY=()
	_httptool
	printf '%s\0' "${COMPREPLY[@]}"
	printf '\1\0'
done
'''


def bash_complete(comp, *cases, cwd=None):
    """Run the bash completion function for each case; list of reply lists."""
    path = os.path.join(comp, "httptool.bash")
    r = subprocess.run([require("bash"), "--norc", "--noprofile", "-c",
                        BASH_DRIVER, "driver", path, *cases],
                       capture_output=True, timeout=60, cwd=cwd)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stderr == b"", r.stderr.decode()
    out, cur = [], []
    for item in r.stdout.decode().split("\0")[:-1]:
        if item == "\1":
            out.append(cur)
            cur = []
        else:
            cur.append(item)
    assert len(out) == len(cases)
    return out


def test_bash_syntax_and_registration(comp):
    c, _ = comp
    path = os.path.join(c, "httptool.bash")
    r = subprocess.run(["bash", "-n", path], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    r = subprocess.run(["bash", "--norc", "-c",
                        'source "$0"; complete -p httptool', path],
                       capture_output=True, timeout=30)
    assert r.stdout.strip() == b"complete -F _httptool httptool"


def test_bash_offers_every_option_of_every_command(comp, table):
    c, _ = comp
    cmds, opts = table
    replies = bash_complete(c, "W:httptool ''",
                            *["W:httptool %s -" % cmd for cmd in cmds])
    assert replies[0] == cmds
    for cmd, got in zip(cmds, replies[1:]):
        missing = wanted_options(opts[cmd]) - set(got)
        assert not missing, "bash: httptool %s misses %s" % (cmd, missing)


def test_bash_completes_arguments_by_kind(comp):
    c, d = comp
    fl = fields()
    got = bash_complete(
        c,
        "W:httptool s",
        "W:httptool sniff --r",
        "W:httptool sniff -i ''",
        "W:httptool sniff -Y http.req",
        "W:httptool sniff -Y 'tcp.port == 80 && http.re'",
        "W:httptool sniff -r lab-c",
        "W:httptool serve --log-format ''",
        "W:httptool sniff -O http,t",
        "W:httptool get ':8000/te'",
        "W:httptool help se",
        "W:httptool request P",
        "W:httptool post :8000/upload file@lab-",
        "L:httptool get http://127.0.0.1:8000/fault/cl",
        "L:httptool get --output=lab-c",
        "L:httptool sniff --display-filter=tcp.str",
        "L:httptool sniff -c 1 -- ech",
        "W:httptool post :8000/ -d @lab-c",
        cwd=d)
    assert got[0] == ["sniff", "serve"]
    assert got[1] == ["--read"]
    assert "lo" in got[2] and "any" in got[2]
    assert set(got[3]) == {f for f in fl if f.startswith("http.req")}
    assert "tcp.port == 80 && http.request" in got[4]
    assert got[5] == ["lab-capture.pcap"]
    assert got[6] == ["python", "common", "json"]
    assert sorted(got[7]) == ["http,tcp", "http,tls"]
    assert got[8] == [":8000/test_get", ":8000/test_post"]
    assert got[9] == ["serve"]
    assert got[10] == ["POST", "PUT", "PATCH"]
    assert got[11] == ["file@lab-capture.pcap"]
    # bash replaces only what follows the last ":" or "=" of the word
    assert got[12] == ["8000/fault/close-early"]
    assert got[13] == ["lab-capture.pcap"]
    assert got[14] == ["tcp.stream"]
    assert "echo" in got[15]
    assert got[16] == ["@lab-capture.pcap"]


# ---- zsh ------------------------------------------------------------------

ZSH_DRIVER = r'''
zmodload zsh/zpty || exit 3
dir=$1 out=$2; shift 2
zpty -b z zsh -f -i
zpty -w z "PS1='' RPROMPT=''; fpath=($dir \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd() { local -a __hits; builtin compadd -O __hits "$@"; (( $#__hits )) && print -r -- "<M>${(pj:\0:)__hits}" >> $ZC_OUT; builtin compadd "$@"; }'
zpty -w z '_zc_done() { print -r -- "<END>" >> $ZC_OUT; BUFFER=; CURSOR=0 }; zle -N _zc_done; bindkey "^X" _zc_done; bindkey "^I" complete-word'
zpty -w z "ZC_OUT=$out"
n=0
for line; do
	(( n++ ))
	zpty -w -n z "$line"$'\t\x18'
	for i in {1..500}; do
		k=$(grep -c '<END>' $out 2>/dev/null)
		(( ${k:-0} >= n )) && break
		sleep 0.02
	done
done
zpty -d z
'''


def zsh_complete(comp, *lines, cwd=None, env=None):
    """Complete each line (Tab at its end) in a real interactive zsh; list of
    sets of the matches compsys added."""
    out = os.path.join(comp, "zsh.out")
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run([require("zsh"), "-f", "-c", ZSH_DRIVER, "driver",
                        comp, out, *lines], capture_output=True,
                       timeout=120, cwd=cwd, env=env)
    assert r.returncode == 0, r.stderr.decode()
    with open(out) as f:
        text = f.read()
    blocks = text.split("<END>\n")
    assert len(blocks) == len(lines) + 1, text
    res = []
    for b in blocks[:-1]:
        got = set()
        for m in re.findall(r"<M>(.*)", b):
            got.update(x for x in m.split("\0") if x)
        res.append(got)
    return res


def test_zsh_syntax(comp):
    c, _ = comp
    r = subprocess.run([require("zsh"), "-n", os.path.join(c, "_httptool")],
                       capture_output=True)
    assert r.returncode == 0, r.stderr.decode()


def test_zsh_completes_commands_options_and_arguments(comp, table):
    c, d = comp
    cmds, opts = table
    lines = ARG_LINES + ["httptool %s -" % cmd for cmd in cmds]
    got = zsh_complete(c, *lines, cwd=d)
    # compadd -P/-p: the URL's ":8000/" and the "@" are not in the matches
    check_arg_completions(got, cmds, url={"test_get", "test_post"},
                          at={"lab-capture.pcap"})
    for cmd, g in zip(cmds, got[len(ARG_LINES):]):
        missing = wanted_options(opts[cmd]) - g
        assert not missing, "zsh: httptool %s misses %s" % (cmd, missing)


# ---- fish -----------------------------------------------------------------

def fish_complete(comp, *lines, cwd=None):
    """`complete -C` for each line; a {match: description} dict per line."""
    script = "source %s\n" % os.path.join(comp, "httptool.fish")
    for line in lines:
        script += "complete -C %s\necho '<END>'\n" % fish_quote(line)
    r = subprocess.run([require("fish"), "--no-config", "-c", script],
                       capture_output=True, timeout=60, cwd=cwd)
    assert r.returncode == 0, r.stderr.decode()
    blocks = r.stdout.decode().split("<END>\n")
    assert len(blocks) == len(lines) + 1
    # {match: description} per line
    return [dict((l.split("\t", 1) + [""])[:2] for l in b.splitlines() if l)
            for b in blocks[:-1]]


def fish_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def test_fish_syntax(comp):
    c, _ = comp
    r = subprocess.run([require("fish"), "--no-config", "-n",
                        os.path.join(c, "httptool.fish")],
                       capture_output=True)
    assert r.returncode == 0, r.stderr.decode()


def test_fish_completes_commands_options_and_arguments(comp, table):
    c, d = comp
    cmds, opts = table
    lines = ARG_LINES + ["httptool %s -" % cmd for cmd in cmds]
    lines += ["httptool %s --" % cmd for cmd in cmds]
    descs = fish_complete(c, *lines, cwd=d)
    got = [set(x) for x in descs]
    check_arg_completions(got, cmds, url={":8000/test_get", ":8000/test_post"},
                          at={"@lab-capture.pcap"})
    k, n = len(ARG_LINES), len(cmds)
    for cmd, g1, g2 in zip(cmds, got[k:k + n], got[k + n:]):
        missing = wanted_options(opts[cmd]) - (g1 | g2)
        assert not missing, "fish: httptool %s misses %s" % (cmd, missing)
    # each command's own --help line is the description
    for cmd, desc in zip(cmds, descs[k + n:]):
        for o in opts[cmd]:
            if o["long"]:
                assert desc.get(o["long"]) == o["help"], (cmd, o["long"])


# ---- interfaces from `httptool sniff -D` ----------------------------------

def test_interfaces_come_from_sniff_list_interfaces(comp, tmp_path):
    """All three shells parse `httptool sniff -D` ("N. name (description)");
    a stand-in httptool on PATH prints a list no machine has."""
    c, _ = comp
    fake = tmp_path / "httptool"
    fake.write_text('#!/bin/sh\n[ "$1 $2" = "sniff -D" ] || exit 1\n'
                    'printf "1. fake0 (Test device)\\n2. lo\\n'
                    '3. any (Pseudo-device)\\n"\n')
    fake.chmod(0o755)
    path = "%s:%s" % (tmp_path, os.environ.get("PATH", ""))
    want = {"fake0", "lo", "any"}

    r = subprocess.run(
        ["bash", "--norc", "-c",
         'source "$0"; COMP_WORDS=(httptool sniff -i ""); COMP_CWORD=3; '
         '_httptool; printf "%s\\n" "${COMPREPLY[@]}"',
         os.path.join(c, "httptool.bash")],
        capture_output=True, timeout=30, env=dict(os.environ, PATH=path))
    assert set(r.stdout.decode().split()) == want, r.stderr.decode()

    r = subprocess.run(
        [require("fish"), "--no-config", "-c",
         "source %s; complete -C 'httptool sniff -i '"
         % os.path.join(c, "httptool.fish")],
        capture_output=True, timeout=30, env=dict(os.environ, PATH=path))
    assert {l.split("\t")[0] for l in r.stdout.decode().splitlines()} == want

    got, = zsh_complete(c, "httptool sniff -i ",
                        env=dict(os.environ, PATH=path))
    assert got == want
