"""sniff and TLS, against tshark -o tls.keylog_file: on the captures that
tests/data/sniff/record-tls.sh recorded (TLS 1.3 with each AEAD, TLS 1.2
GCM, ChaCha20 and CBC with and without encrypt_then_mac, a
HelloRetryRequest, a PSK resumption and a KeyUpdate; TLS 1.0 and 1.1 CBC,
AES-CCM and CCM_8 in TLS 1.2 and 1.3 from openssl), every frame shows
the same handshake messages and the same decrypted HTTP messages as
tshark's; without keys the same frames carry Application Data; -Y tls
fields select what tshark's do.  Live: `sniff -- COMMAND` decrypts what
COMMAND sends with no flag, and garbage, truncation and a record cut in
100 segments never crash it."""
import os
import re
import signal
import struct
import subprocess
import time

import pytest

from conftest import DATA, HTTPTOOL, free_port, require, run, wait_port
from sniff_oracle import summary, tshark_fields

SNIFF = os.path.join(DATA, "sniff")
CAPTURES = ["tls13", "tls12", "tls-openssl", "tls-legacy"]


def ours(pcap, *flags):
    r = run("sniff", "-r", pcap, *flags, cwd=SNIFF)
    assert r.returncode == 0, r.stderr
    return summary(r.stdout.decode())


def tshark(pcap, *opts, fields=("_ws.col.Protocol", "_ws.col.Info")):
    return tshark_fields(os.path.join(SNIFF, pcap), *opts, fields=fields,
                         aggregator=",")


def norm(proto, info):
    """tshark 4.0's columns vs ours: the SNI we add to Client Hello (newer
    Wireshark shows it too), the media type tshark appends to HTTP."""
    info = re.sub(r" \(SNI=[^)]*\)", "", info)
    info = re.sub(r" ?, JavaScript Object Notation.*| +\([a-z/+-]+\)$", "",
                  info).rstrip()
    return ("HTTP" if proto.startswith("HTTP") else proto), info


@pytest.mark.parametrize("name", CAPTURES)
def test_same_frames_as_tshark(name):
    keys = "%s.keys" % name
    mine = ours(name + ".pcapng", "--keylog", keys)
    theirs = tshark(name + ".pcapng", "-o", "tls.keylog_file:" +
                    os.path.join(SNIFF, keys))
    assert set(mine) == set(theirs)
    http = 0
    for n, (proto, info) in theirs.items():
        want = norm(proto, info)
        got = norm(*mine[n])
        if want[0] == "TCP" and "FIN" in info and got[0] == "HTTP":
            # a close-delimited response (HTTP/1.0) ends at the FIN: we
            # report it there, tshark (after the TLS close) never does
            assert "200" in got[1], (n, got)
            continue
        if want[0] == "TCP":
            assert got[0] == "TCP", (n, want, got)
            continue
        assert got == want, (n, want, got)
        http += want[0] == "HTTP"
    assert http >= 3


@pytest.mark.parametrize("name", CAPTURES)
def test_without_keys_handshakes_only(name):
    mine = ours(name + ".pcapng")
    theirs = tshark(name + ".pcapng")
    for n, (proto, info) in theirs.items():
        got = norm(*mine[n])
        assert got[0] != "HTTP", (n, got)
        if proto.startswith("TLS"):
            assert got[0].startswith("TLS"), (n, got)
            assert "Application Data" in got[1] or "Hello" in got[1] or \
                "Change Cipher Spec" in got[1] or "Alert" in got[1], got


def test_filter_fields_match_tshark():
    keys = os.path.join(SNIFF, "tls13.keys")
    flt = ('tls.handshake.extensions_server_name == "localhost" || '
           'tls.alert_message.desc == 0 || tls.handshake.ciphersuite == 0x1303')
    mine = ours("tls13.pcapng", "--keylog", "tls13.keys", "-Y", flt)
    theirs = tshark("tls13.pcapng", "-o", "tls.keylog_file:" + keys,
                    "-Y", flt)
    assert set(mine) == set(theirs) and len(mine) >= 10
    vals = tshark("tls13.pcapng", "-o", "tls.keylog_file:" + keys,
                  "-Y", "tls.handshake.type == 2",
                  fields=("tls.handshake.ciphersuite",))
    mine = ours("tls13.pcapng", "--keylog", "tls13.keys", "-Y",
                "tls.handshake.type == 2 && tls.handshake.ciphersuite >= "
                "0x1301 && tls.handshake.ciphersuite <= 0x1303")
    assert set(mine) == set(vals)


def test_legacy_versions_and_ccm_suites_decrypt():
    import json
    r = run("sniff", "-r", "tls-legacy.pcapng", "--keylog", "tls-legacy.keys",
            "--json", cwd=SNIFF)
    msgs = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    got = {m["uri"]: (m["tls"]["version"], m["tls"]["suite"])
           for m in msgs if m["type"] == "request"}
    assert got == {
        "/tls10": ("TLSv1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
        "/tls11": ("TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
        "/ccm": ("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
        "/ccm8": ("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
        "/tls13-ccm": ("TLSv1.3", "TLS_AES_128_CCM_SHA256"),
        "/tls13-ccm8": ("TLSv1.3", "TLS_AES_128_CCM_8_SHA256")}
    assert sum(m["type"] == "response" and m["code"] == 200
               for m in msgs) == 6
    # openssl -www's page names what was negotiated: decrypted for real
    for stream, says in ((0, b"New, TLSv1.0, Cipher is ECDHE-ECDSA-AES128-SHA"),
                         (4, b"New, TLSv1.3, Cipher is TLS_AES_128_CCM_SHA256")):
        r = run("sniff", "-r", "tls-legacy.pcapng", "--keylog",
                "tls-legacy.keys", "--follow-http", str(stream), cwd=SNIFF)
        assert says in r.stdout


def test_json_has_https_and_tls_object():
    import json
    r = run("sniff", "-r", "tls12.pcapng", "--keylog", "tls12.keys", "--json",
            cwd=SNIFF)
    msgs = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    reqs = [m for m in msgs if m["type"] == "request"]
    assert len(reqs) == 5
    assert all(m["full_uri"].startswith("https://") for m in msgs)
    suites = [m["tls"]["suite"] for m in reqs]
    assert suites == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"]
    assert {m["tls"]["version"] for m in msgs} == {"TLSv1.2"}
    assert reqs[0]["tls"]["sni"] == "localhost"


def test_wrong_key_log_is_harmless(tmp_path):
    bad = tmp_path / "bad.keys"
    text = open(os.path.join(SNIFF, "tls13.keys")).read()
    bad.write_text(re.sub(r"[0-9a-f]{64,}$", lambda m: "0" * len(m.group()),
                          text, flags=re.M) + "garbage line\n")
    r = run("sniff", "-r", os.path.join(SNIFF, "tls13.pcapng"), "-V",
            "--keylog", bad, timeout=60)
    assert r.returncode == 0
    assert b"GET /get" not in r.stdout
    assert b"[Decryption failed" in r.stdout
    r = run("sniff", "-r", os.path.join(SNIFF, "tls13.pcapng"),
            "--keylog", tmp_path / "missing.keys")
    assert r.returncode == 1
    assert r.stderr.startswith(b"httptool sniff: cannot read the key log")


def pcap(frames):
    """A pcap (DLT_RAW IPv4) of TCP segments (sport, dport, seq, data)."""
    out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101)
    for i, (sp, dp, seq, flags, data) in enumerate(frames):
        tcp = struct.pack(">HHIIBBHHH", sp, dp, seq, 1, 5 << 4, flags,
                          65535, 0, 0) + data
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i, 0,
                         64, 6, 0, bytes([10, 0, 0, 1 + (sp < dp)]),
                         bytes([10, 0, 0, 1 + (sp > dp)])) + tcp
        out += struct.pack("<IIII", 1, i, len(ip), len(ip)) + ip
    return out


def test_hostile_records_never_crash(tmp_path):
    hello = bytes.fromhex(
        "16030100310100002d0303" + "01" * 32 + "000002130101000002"
        "0000")
    hello = hello[:3] + struct.pack(">H", len(hello) - 5) + hello[5:]
    hello = hello[:6] + struct.pack(">I", len(hello) - 9)[1:] + hello[9:]
    cases = {
        # a ClientHello in 100 segments, then garbage
        "split": [(40000, 443, 1, 0x02, b"")] +
                 [(40000, 443, 2 + i * 1, 0x18, hello[i:i + 1])
                  for i in range(0, min(100, len(hello)))] +
                 [(40000, 443, 2 + len(hello), 0x18, b"\x17\x03\x03\xff\xff"
                   + os.urandom(200))],
        # truncated records and a length that lies
        "trunc": [(40001, 443, 1, 0x18, hello[:20]),
                  (40001, 443, 21, 0x18, b"\x16\x03\x03\x40\x00abc"),
                  (40001, 443, 30, 0x01, b"")],
        "garbage": [(40002, 443, 1, 0x18, hello + os.urandom(3000))],
    }
    for name, frames in cases.items():
        p = tmp_path / (name + ".pcap")
        p.write_bytes(pcap(frames))
        for flags in ([], ["-V"], ["-x"], ["--json"], ["-Y", "tls"]):
            r = run("sniff", "-r", p, *flags, "--keylog",
                    os.path.join(SNIFF, "tls13.keys"), timeout=30)
            assert r.returncode == 0, (name, flags, r.stderr)
            assert b"Sanitizer" not in r.stderr
    r = run("sniff", "-r", tmp_path / "split.pcap")
    assert b"Client Hello" in r.stdout


def test_sniff_command_decrypts_with_no_flag(procs, tmp_path):
    port = free_port()
    srv = procs([HTTPTOOL, "serve", str(port), "--tls", "--quiet"])
    wait_port(port, proc=srv.p)
    env = {k: v for k, v in os.environ.items() if k != "SSLKEYLOGFILE"}
    r = subprocess.run(
        [HTTPTOOL, "sniff", "-f", "tcp port %d" % port, "--",
         HTTPTOOL, "get", "-k", "--http1.1",     # serve prefers h2 by ALPN
         "https://localhost:%d/get?zero=setup" % port],
        capture_output=True, timeout=60, env=env)
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert "Client Hello (SNI=localhost)" in out, out
    assert re.search(r"HTTP \d+ GET /get\?zero=setup HTTP/1.1", out), out
    assert re.search(r"HTTP \d+ HTTP/1.1 200 OK", out), out
    # the private key log is gone afterwards
    assert not [f for f in os.listdir(os.environ.get("TMPDIR", "/tmp"))
                if f.startswith("httptool-keys-")
                and os.path.getmtime(os.path.join(
                    os.environ.get("TMPDIR", "/tmp"), f)) > time.time() - 60]


CERT_LINE = re.compile(r"\s+(Certificate: |signedCertificate|version: v|"
                       r"serialNumber: |signature \(|issuer: |subject: |"
                       r"rdnSequence: |RDNSequence item|RelativeDistinguished"
                       r"|Object Id: |DirectoryString: |uTF8String: |"
                       r"printableString: |validity|notBefore: |notAfter: |"
                       r"utcTime: |generalizedTime: |subjectPublicKeyInfo|"
                       r"algorithm \(|Algorithm Id: |algorithmIdentifier|"
                       r"EC Diffie-Hellman Server Params|Curve Type: |"
                       r"Named Curve: |Pubkey Length: |Pubkey: |"
                       r"Signature Length: |Signature: )")


def frames_V(text):
    return {int(b.split(":")[0]): b.splitlines()
            for b in text.split("\nFrame ")[1:] if b[:1].isdigit()}


@pytest.mark.parametrize("name", CAPTURES + ["tls-h2"])
def test_certificates_as_tshark_shows_them(name):
    """Each certificate's subject, issuer, validity, serial number and
    algorithms, and (TLS <= 1.2) the ECDHE ServerKeyExchange's curve, key
    and signature: our -V lines appear, in order and at the same depth,
    in tshark's -V of the same frame (decrypted for TLS 1.3)."""
    keys = "%s.keys" % name
    flt = "tls.handshake.type == 11"
    r = run("sniff", "-r", name + ".pcapng", "--keylog", keys, "-V", "-Y",
            flt, cwd=SNIFF)
    assert r.returncode == 0, r.stderr
    mine = frames_V("\n" + r.stdout.decode())
    t = subprocess.run([require("tshark"), "-r", name + ".pcapng", "-o",
                        "tls.keylog_file:" + keys, "-V", "-Y", flt],
                       capture_output=True, text=True, timeout=120,
                       cwd=SNIFF)
    theirs = frames_V("\n" + t.stdout)
    assert set(mine) == set(theirs) and mine
    checked = ske = 0
    for no, lines in mine.items():
        want = [ln for ln in lines if CERT_LINE.match(ln)]
        assert any("validity" in ln for ln in want), no
        ske += sum("Named Curve: x25519" in ln for ln in want)
        it = iter(theirs[no])
        for ln in want:
            assert any(ln == x for x in it), (no, ln)
            checked += 1
    assert checked >= 40
    assert ske >= (4 if name in ("tls12", "tls-legacy") else 0)


def test_live_records_wait_for_a_key_logged_later(procs, tmp_path):
    """Live, the key log may get a session's keys after its records went
    by (here: copied in only after the first exchange).  Those records
    wait for them: the first exchange is decrypted once the key is there,
    the second as it comes; nothing is lost to the TLS 1.3 sequence."""
    import http.client
    import shutil
    import ssl
    from test_sniff import start_sniff
    server_keys, keys = tmp_path / "server.keys", tmp_path / "late.keys"
    keys.write_text("")
    port = free_port()
    srv = procs([HTTPTOOL, "serve", "--tls", "--quiet", "--keylog",
                 server_keys, str(port)])
    wait_port(port, proc=srv.p)
    p = start_sniff(procs, "-i", "lo", "-f", "tcp port %d" % port,
                    "--keylog", keys, "-a", "duration:30")
    c = http.client.HTTPSConnection(
        "localhost", port, context=ssl._create_unverified_context(),
        timeout=10)
    c.request("GET", "/get?before=key")
    assert c.getresponse().read()
    time.sleep(0.5)                     # shown as Application Data by now
    shutil.copy(server_keys, keys)
    c.request("GET", "/headers?after=key")
    assert c.getresponse().read()
    c.close()
    time.sleep(1)       # the last packets reach the capture
    p.p.send_signal(signal.SIGINT)
    out, err = p.p.communicate(timeout=30)
    assert p.p.returncode == 0, err
    text = out.decode()
    assert "GET /get?before=key HTTP/1.1" in text, text
    assert "GET /headers?after=key HTTP/1.1" in text, text
    assert text.count("HTTP/1.1 200 OK") == 2, text
    assert "Decryption failed" not in text
