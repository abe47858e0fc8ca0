"""tshark's field modes (issue 17): `sniff -T fields -e ...` prints what
`tshark -2 -T fields -e ...` prints, value for value, for the fields of
every layer (frame, Ethernet, IPv4/IPv6, TCP, UDP, DNS, HTTP and its
generated fields, forms); -E header/separator/quote/occurrence/aggregator
as tshark; -T json and -T ek with -e in tshark's layout."""
import json
import os
import subprocess

import pytest

from conftest import require, run
from test_sniff import SNIFF
from test_sniff_depth import dns_capture
import tcpan_pcaps

LOWER = ["frame.number", "frame.len", "frame.cap_len", "frame.time_relative",
         "frame.time_delta", "frame.time_epoch", "frame.protocols",
         "eth.src", "eth.dst", "eth.type", "ip.src", "ip.dst", "ip.addr",
         "ip.ttl", "ip.len", "ip.id", "ip.proto", "ip.flags.df",
         "ip.checksum", "ip.hdr_len", "ip.dsfield", "tcp.srcport",
         "tcp.dstport", "tcp.port", "tcp.stream", "tcp.len", "tcp.seq",
         "tcp.seq_raw", "tcp.ack", "tcp.ack_raw", "tcp.nxtseq",
         "tcp.hdr_len", "tcp.flags", "tcp.flags.syn", "tcp.flags.ack",
         "tcp.flags.fin", "tcp.flags.push", "tcp.flags.str",
         "tcp.window_size_value", "tcp.window_size", "tcp.checksum",
         "tcp.urgent_pointer", "tcp.options.mss_val",
         "tcp.options.wscale.shift", "tcp.payload", "tcp.time_delta",
         "tcp.time_relative"]
HTTP = ["frame.number", "frame.protocols", "http.request.method",
        "http.request.uri", "http.request.version", "http.request.full_uri",
        "http.host", "http.user_agent", "http.accept", "http.response.code",
        "http.response.phrase", "http.response.version", "http.content_type",
        "http.content_length_header", "http.content_length", "http.server",
        "http.date", "http.connection", "http.transfer_encoding",
        "http.content_encoding", "http.request.line", "http.response.line",
        "http.chunk_size", "http.file_data", "urlencoded-form.key",
        "urlencoded-form.value"]
PAIRS = ["frame.number", "http.request_in", "http.response_in", "http.time",
         "http.request_number", "http.response_number",
         "http.prev_request_in", "http.next_request_in",
         "http.prev_response_in", "http.next_response_in",
         "http.file_data"]
DNS = ["frame.number", "frame.protocols", "ip.proto", "udp.srcport",
       "udp.dstport", "udp.port", "udp.length", "dns.id", "dns.qry.name",
       "dns.qry.type", "dns.a", "dns.aaaa", "dns.flags.response",
       "dns.flags.rcode", "dns.count.queries", "dns.count.answers"]
V6 = ["frame.number", "ipv6.src", "ipv6.dst", "ipv6.addr", "ipv6.plen",
      "ipv6.nxt", "ipv6.hlim", "tcp.stream", "http.host"]


def tshark(path, *args):
    p = subprocess.run(["tshark", "-n", "-2", "-r", str(path)] + list(args),
                       capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode()


def both(path, args):
    mine = run("sniff", "-r", str(path), *args)
    assert mine.returncode == 0, mine.stderr
    return mine.stdout.decode(), tshark(path, *args)


def eargs(fields):
    out = []
    for f in fields:
        out += ["-e", f]
    return out


@pytest.mark.parametrize("name, fields", [
    ("persistent.pcap", LOWER), ("nginx.pcap", LOWER),
    ("nginx.pcap", HTTP), ("persistent.pcap", PAIRS),
    ("null-v6.pcap", V6), ("dns", DNS)])
def test_fields_equal_tsharks(tmp_path, name, fields):
    require("tshark")
    if name == "dns":
        path = tmp_path / "dns.pcap"
        dns_capture(path)
    else:
        path = os.path.join(SNIFF, name)
    if name == "nginx.pcap":
        # the multipart frame: tshark lists the nested parts' layers
        args = ["-Y", "!mime_multipart"]
    else:
        args = []
    mine, theirs = both(path, args + ["-T", "fields", "-E", "header=y"] +
                        eargs(fields))
    assert mine == theirs
    assert len(mine.splitlines()) > 5


TCPAN_FIELDS = [
    "frame.number", "tcp.completeness", "tcp.analysis", "tcp.analysis.flags",
    "tcp.analysis.retransmission", "tcp.analysis.rto",
    "tcp.analysis.rto_frame", "tcp.analysis.zero_window",
    "tcp.analysis.zero_window_probe", "tcp.analysis.zero_window_probe_ack",
    "tcp.analysis.keep_alive", "tcp.analysis.window_update",
    "tcp.analysis.out_of_order", "tcp.analysis.lost_segment",
    "tcp.segment", "tcp.segments", "tcp.segment.count",
    "tcp.reassembled.length", "tcp.reassembled_in", "tcp.segment.overlap",
    "tcp.analysis.duplicate_ack", "tcp.analysis.duplicate_ack_num"]


def test_tcp_analysis_and_pdu_fields_equal_tsharks(tmp_path):
    """The TCP tree's completeness, RTO, zero-window probe and reassembly
    fields, and the FT_NONE flags tshark prints as 1, on crafted loss,
    reordering, zero window and keep-alive exchanges."""
    require("tshark")
    path = tcpan_pcaps.build(tmp_path / "tcpan.pcap")
    # 38, 39: a segment after a hole, reassembled as tshark does with
    # tcp.reassemble_out_of_order (tshark 4.0 does not by default)
    args = ["-Y", "frame.number != 38 && frame.number != 39", "-T",
            "fields"]
    mine, theirs = both(path, args + eargs(TCPAN_FIELDS))
    assert mine == theirs
    assert "\t0.300000000\t26\t" in mine          # the RTO and its frame
    assert "\t6,7,8\t1\t3\t3041" in mine          # a PDU's segments
    # a fast retransmission of bytes already had (24) is one of the
    # PDU's segments, marked as an overlap; a Dup ACK has the field twice
    assert "\t17,18,24,19,26\t1\t5\t3500\t\t1\t" in mine
    assert "\t1,1\t1\n" in mine
    args = ["-Y", "frame.number == 38 || frame.number == 39", "-T",
            "fields", "-o", "tcp.reassemble_out_of_order:TRUE"]
    mine = run("sniff", "-r", str(path), *args[:-2],
               *eargs(TCPAN_FIELDS)).stdout.decode()
    assert mine == tshark(path, *args, *eargs(TCPAN_FIELDS))
    assert "\t39,38\t1\t2\t1600\t" in mine


def test_all_fields_together_are_more_than_30():
    assert len(set(LOWER + HTTP + PAIRS + DNS + V6)) >= 30


@pytest.mark.parametrize("opts", [
    ["-E", "separator=,", "-E", "quote=d"],
    ["-E", "separator=/s", "-E", "occurrence=f"],
    ["-E", "occurrence=l", "-E", "aggregator=/s", "-E", "header=y"],
    ["-E", "quote=s", "-E", "aggregator=|"],
])
def test_field_options_as_tsharks(opts):
    require("tshark")
    path = os.path.join(SNIFF, "nginx.pcap")
    args = ["-T", "fields"] + opts + eargs(
        ["frame.number", "ip.addr", "tcp.port", "http.request.line",
         "http.response.code"])
    mine, theirs = both(path, args)
    assert mine == theirs


@pytest.mark.parametrize("fmt", ["json", "ek"])
def test_json_and_ek_as_tsharks(fmt):
    require("tshark")
    path = os.path.join(SNIFF, "persistent.pcap")
    args = ["-Y", "http || tcp.flags.syn == 1", "-T", fmt] + eargs(
        ["frame.number", "ip.src", "tcp.srcport", "tcp.flags.syn",
         "http.request.method", "http.response.code", "http.request.line",
         "frame.time_relative"])
    mine, theirs = both(path, args)
    assert mine == theirs
    if fmt == "json":
        assert len(json.loads(mine)) == 8
    else:
        assert len([json.loads(x) for x in mine.splitlines()]) == 16


def test_field_errors():
    path = os.path.join(SNIFF, "persistent.pcap")
    r = run("sniff", "-r", path, "-T", "fields")
    assert r.returncode == 2 and b"-T fields needs" in r.stderr
    r = run("sniff", "-r", path, "-e", "ip.src")
    assert r.returncode == 2 and b"-e needs -T" in r.stderr
    r = run("sniff", "-r", path, "-T", "fields", "-e", "tcp.options.sack_le")
    assert r.returncode == 2
    assert b"not a field httptool knows (Wireshark has it: " in r.stderr
    r = run("sniff", "-r", path, "-T", "fields", "-e", "ip.src", "-E",
            "occurrence=x")
    assert r.returncode == 2 and b"invalid -E field option" in r.stderr
    r = run("sniff", "-r", path, "-T", "pdml")
    assert r.returncode == 2


@pytest.mark.parametrize("name, keys", [("tls12.pcapng", None),
                                        ("tls13.pcapng", "tls13.keys")])
def test_tls_app_data_is_its_bytes_as_tsharks(name, keys):
    """tls.app_data is the encrypted record's bytes in hex, and a TLS 1.2
    Finished or alert without the key is no application data."""
    require("tshark")
    path = os.path.join(SNIFF, name)
    fields = eargs(["frame.number", "tls.record.content_type",
                    "tls.app_data"])
    mine = run("sniff", "-r", path, "-T", "fields", *fields,
               *(["--keylog", os.path.join(SNIFF, keys)] if keys else []))
    assert mine.returncode == 0, mine.stderr
    theirs = tshark(path, "-T", "fields", *fields, *(
        ["-o", "tls.keylog_file:" + os.path.join(SNIFF, keys)] if keys
        else []))
    assert mine.stdout.decode() == theirs
    assert len([ln for ln in theirs.splitlines() if ln.count("\t") == 2
                and len(ln.split("\t")[2]) > 64]) >= 2
