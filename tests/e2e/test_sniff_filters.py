"""Display filters (-Y) against tshark's (issue 17): for each filter, the
frames httptool shows equal the frames `tshark -2 -Y` shows on the same
recorded capture, or both refuse the filter.  Fields come from the
protocol tree, so this checks the tree's fields and the filter language
together: Wireshark field names, booleans, slices, functions, protocol
"contains", the either-fields (ip.addr, tcp.port) and the generated ones
(http.response_in, http.request_number)."""
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import require, run
from test_sniff import SNIFF
from test_sniff_depth import dns_capture
import tcpan_pcaps

NGINX = "nginx.pcap"
PERSIST = "persistent.pcap"
PIPE = "pipelined.pcap"
CONT = "continue.pcap"
V6 = "null-v6.pcap"
OOO = "out-of-order.pcap"
DNS = "dns"     # crafted by test_sniff_depth.dns_capture
TCPAN = "tcpan"     # crafted by tcpan_pcaps.build: loss, zero window...

CASES = [
    # the 22 filters the issue found refused
    (PERSIST, "tcp.flags.syn == 1"),
    (PERSIST, "tcp.flags.fin"),
    (PERSIST, "tcp.flags.push == 1"),
    (PERSIST, "tcp.len > 0"),
    (PERSIST, "tcp.seq == 1"),
    (NGINX, "http.content_length > 100"),
    (NGINX, 'http.content_length_header == "0"'),
    (NGINX, 'http.request.full_uri contains "/"'),
    (NGINX, 'http.request.version == "HTTP/1.1"'),
    (NGINX, 'http.response.phrase == "OK"'),
    (NGINX, 'http.server contains "nginx"'),
    (NGINX, 'http.connection == "close"'),
    (NGINX, "http.location"),
    (NGINX, 'http.accept_encoding contains "gzip"'),
    (NGINX, 'http.file_data contains "html"'),
    (PERSIST, "http.response_in"),
    (PERSIST, "frame.time_relative > 0.02"),
    (PERSIST, 'frame contains "GET"'),
    (PERSIST, 'tcp contains "200 OK"'),
    (PERSIST, "eth.addr == 00:00:00:00:00:00"),
    (DNS, "udp"),
    # TCP analysis flags (hidden fields from capture/tcp_analysis.c)
    (OOO, "tcp.analysis.flags"),
    (OOO, "tcp.analysis.duplicate_ack"),
    (OOO, "tcp.analysis.bytes_in_flight > 100"),
    ("gap.pcap", "tcp.analysis.flags"),
    (NGINX, "http && !tcp.analysis.retransmission"),
    (PERSIST, "tcp.analysis.acks_frame == 4"),
    (NGINX, "tcp.time_delta > 0.001"),
    # fields of the TCP tree: completeness, RTO, probes, PDU blocks
    (TCPAN, "tcp.completeness < 31"),
    (TCPAN, "tcp.completeness == 47"),
    (TCPAN, "tcp.analysis.rto > 0.1"),
    (TCPAN, "tcp.analysis.rto_frame"),
    (TCPAN, "tcp.analysis.zero_window_probe"),
    (TCPAN, "tcp.analysis.zero_window_probe_ack"),
    (TCPAN, "tcp.segment == 49"),
    (TCPAN, "tcp.segments && tcp.segment.count > 3"),
    (NGINX, "tcp.reassembled.length > 1000"),
    (NGINX, "tcp.segment.count == 2"),
    # slices and functions
    (NGINX, 'http.request.method[0:1] == "P"'),
    (NGINX, 'http.request.method[1:] == "OST"'),
    (NGINX, 'http.request.uri[0] == 2f'),
    (NGINX, 'http.request.method[-1] == "T"'),
    (NGINX, "len(http.request.uri) > 10"),
    (NGINX, 'upper(http.request.method) == "POST"'),
    (NGINX, 'lower(http.request.method) == "head"'),
    (NGINX, "count(http.request.line) > 4"),
    (PERSIST, 'frame[0:2] == 00:00'),
    # frame
    (PERSIST, "frame.len > 100"),
    (PERSIST, "frame.number in {1 3 5}"),
    (PERSIST, "frame.time_delta > 0.01"),
    (PERSIST, 'frame.protocols contains "http"'),
    (PERSIST, 'frame.protocols == "eth:ethertype:ip:tcp"'),
    # link and IP
    (PERSIST, "eth.type == 0x0800"),
    (PERSIST, "eth.src == 00:00:00:00:00:00"),
    (PERSIST, "ip"),
    (PERSIST, "ip.src == 127.0.0.1"),
    (PERSIST, "ip.dst == 127.0.0.0/8"),
    (PERSIST, "ip.ttl == 64"),
    (PERSIST, "ip.flags.df == 1"),
    (V6, "ipv6"),
    (V6, "ipv6.src == ::1"),
    (V6, "ipv6.addr == 2001:db8::2"),
    (V6, "ip"),
    # TCP
    (PERSIST, "tcp"),
    (PERSIST, "tcp.port == 21998"),
    (PERSIST, "tcp.dstport != 21998"),
    (PERSIST, "tcp.srcport < tcp.dstport"),
    (PERSIST, "tcp.stream == 0"),
    (PERSIST, "tcp.flags.syn == 1 && tcp.flags.ack == 1"),
    (PERSIST, "tcp.flags.reset"),
    (PERSIST, "tcp.flags == 0x018"),
    (PERSIST, "tcp.flags & 0x02"),
    (PERSIST, "tcp.len == 0"),
    (PERSIST, "tcp.ack == 1"),
    (PERSIST, "tcp.window_size > 60000"),
    (PERSIST, "tcp.options.mss_val == 65495"),
    (PERSIST, "tcp.options.wscale.shift == 10"),
    (PERSIST, "tcp.payload contains \"Host\""),
    (PERSIST, 'tcp.flags.str == "·······AP···"'),
    # HTTP
    (NGINX, "http"),
    (NGINX, "http.request"),
    (NGINX, 'http.request.method == "POST"'),
    (NGINX, "http.request.method in {\"HEAD\" \"POST\"}"),
    (NGINX, 'http.request.uri matches "^/up"'),
    (NGINX, "http.response.code == 200"),
    (NGINX, 'http.host == "localhost"'),
    (NGINX, 'http.user_agent contains "curl"'),
    (NGINX, 'http.content_type contains "text"'),
    (NGINX, 'http.content_encoding == "gzip"'),
    (NGINX, 'http.transfer_encoding == "chunked"'),
    (NGINX, "http.chunk_size > 0"),
    (NGINX, "http.last_modified"),
    (NGINX, 'http.response.line contains "Server"'),
    (NGINX, 'http.request.line contains "Expect"'),
    (PERSIST, "http.request_in"),
    (PERSIST, "http.response_in"),
    (PERSIST, "http.request_number == 2"),
    (PERSIST, "http.response_number == 1"),
    (PERSIST, "http.prev_request_in"),
    (PERSIST, "http.next_request_in"),
    (PERSIST, "http.prev_response_in"),
    (PERSIST, "http.next_response_in"),
    (NGINX, "http.time > 0.0001"),
    (NGINX, "urlencoded-form"),
    (NGINX, 'urlencoded-form.key == "name"'),
    (NGINX, 'urlencoded-form.value contains "a"'),
    (NGINX, "mime_multipart"),
    (NGINX, 'mime_multipart.header.content-disposition contains "file"'),
    (CONT, 'http.set_cookie contains "sid"'),
    (CONT, "http.response.code == 100"),
    (PIPE, 'http.request.uri contains "/b" || http.response.code == 304'),
    (PERSIST, "http.next_response_in == 11"),
    # UDP and DNS
    (DNS, "udp.port == 53"),
    (DNS, "udp.dstport == 20777"),
    (DNS, "udp.length > 40"),
    (DNS, "dns"),
    (DNS, 'dns.qry.name == "example.com"'),
    (DNS, "dns.qry.type == 28"),
    (DNS, "dns.flags.response == 1"),
    (DNS, "dns.flags.rcode == 3"),
    (DNS, "dns.a == 93.184.216.34"),
    (DNS, "dns.aaaa == 2001:db8::1"),
    (DNS, "dns.count.answers == 2"),
    # language
    (PERSIST, "!(tcp.len == 0) || tcp.flags.syn == 1"),
    (PERSIST, "tcp.srcport === 21998"),
    (PERSIST, "tcp.port not in {21998}"),
    # both refuse
    (PERSIST, "tcp.flags.syn == 2"),
    (PERSIST, "tcp.port contains 80"),
    (PERSIST, "tcp.bogus"),
    (PERSIST, "ip.src == 300.1.1.1"),
    (PERSIST, "len(tcp.port) == 2"),
    (PERSIST, "http.request.method[0:1] =="),
]


def capture(name, tmp_dir):
    if name == TCPAN:
        path = os.path.join(tmp_dir, "tcpan.pcap")
        if not os.path.exists(path):
            tcpan_pcaps.build(path)
        return path
    if name == DNS:
        path = os.path.join(tmp_dir, "dns.pcap")
        if not os.path.exists(path):
            dns_capture(path)
        return path
    return os.path.join(SNIFF, name)


def tshark_frames(path, flt):
    p = subprocess.run(["tshark", "-n", "-2", "-r", path, "-Y", flt, "-T",
                        "fields", "-e", "frame.number"],
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        return None
    return [int(x) for x in p.stdout.split()]


def my_frames(path, flt):
    r = run("sniff", "-r", path, "-Y", flt)
    if r.returncode == 2:
        assert r.stdout == b""
        assert r.stderr.startswith(b"httptool sniff: ")
        return None
    assert r.returncode == 0, r.stderr
    return [int(line.split()[0]) for line in r.stdout.decode().splitlines()
            if line.strip()]


def test_filters_select_the_frames_tshark_selects(tmp_path):
    require("tshark")
    assert len(CASES) >= 100

    def one(case):
        path = capture(case[0], str(tmp_path))
        return case, tshark_frames(path, case[1]), my_frames(path, case[1])

    for name in {c[0] for c in CASES}:
        capture(name, str(tmp_path))
    with ThreadPoolExecutor(2) as ex:
        results = list(ex.map(one, CASES))
    bad = [(c, t, m) for c, t, m in results if t != m]
    assert not bad, "\n".join("%s %r: tshark %s, httptool %s" % (c[0], c[1],
                                                              t, m)
                              for c, t, m in bad)
    # the filters exercise something: most select frames, some refuse
    assert sum(1 for _, t, _ in results if t) >= 80
    assert sum(1 for _, t, _ in results if t is None) >= 5


@pytest.mark.parametrize("flt, what", [
    ("tcp.options.sack_le == 1", b"TCP SACK Left Edge"),
    ("ip.dsfield.dscp == 0", b"Differentiated Services Codepoint"),
    ("http.request.uri.query.parameter", None),
])
def test_real_wireshark_field_is_not_called_invalid(flt, what):
    r = run("sniff", "-r", os.path.join(SNIFF, PERSIST), "-Y", flt)
    if what is None:       # one httptool has: it compiles
        assert r.returncode == 0, r.stderr
        return
    assert r.returncode == 2
    assert b"is not a field httptool knows (Wireshark has it: " + what + \
        b")" in r.stderr
    assert b"neither a field nor a protocol" not in r.stderr


def test_unknown_name_keeps_tsharks_message():
    r = run("sniff", "-r", os.path.join(SNIFF, PERSIST), "-Y", "tcp.bogus")
    assert r.returncode == 2
    assert b'"tcp.bogus" is neither a field nor a protocol name.' in r.stderr


# -Y "http||tls" on the captures where reassembly is hard, against tshark
# -2: (capture, tshark's extra options, frames only tshark shows, frames
# only httptool shows).  out-of-order: httptool reassembles out-of-order
# data as tshark does with tcp.reassemble_out_of_order.  pipelined: tshark
# 4.0 pairs the second response of frame 4's three requests with the HEAD
# and so calls frame 8 malformed and 9 a continuation; httptool completes
# the response at 9.  gap, early-response: a message that can never
# complete (bytes never captured, the peer closed first) tshark never
# shows; httptool shows it, marked malformed, on the frame that ended it.
HARD = [
    (OOO, ["-o", "tcp.reassemble_out_of_order:TRUE"], [], []),
    (PIPE, [], [8], []),
    ("gap.pcap", [], [], [9]),
    ("early-response.pcap", [], [], [10]),
]


@pytest.mark.parametrize("name, opts, theirs_only, mine_only", HARD)
def test_http_or_tls_on_hard_captures(name, opts, theirs_only, mine_only):
    require("tshark")
    path = os.path.join(SNIFF, name)
    t = subprocess.run(["tshark", "-n", "-2", *opts, "-r", path, "-Y",
                        "http||tls", "-T", "fields", "-e", "frame.number"],
                       capture_output=True, text=True, timeout=60)
    assert t.returncode == 0, t.stderr
    theirs = [int(x) for x in t.stdout.split()]
    r = run("sniff", "-r", path, "-Y", "http||tls")
    assert r.returncode == 0, r.stderr
    lines = {int(ln.split()[0]): ln for ln in r.stdout.decode().splitlines()}
    mine = sorted(lines)
    assert sorted(set(theirs) - set(mine)) == theirs_only
    assert sorted(set(mine) - set(theirs)) == mine_only
    for no in mine_only:
        assert "[Malformed: " in lines[no], lines[no]
    if name == PIPE:
        assert "HTTP/1.1 200 OK  (text/plain)" in lines[9]


@pytest.mark.parametrize("flt", ['http contains "GET"',
                                 'http.file_data contains "html"'])
def test_json_keeps_the_messages_of_the_frames_filter_keeps(flt):
    """--json -Y looks at one message's nodes, the summary at the whole
    frame's; a protocol's bytes in the frame are the same in both (they
    were empty for --json, which then printed nothing)."""
    path = os.path.join(SNIFF, NGINX)
    frames = my_frames(path, flt)
    r = run("sniff", "-r", path, "-Y", flt, "--json")
    assert r.returncode == 0, r.stderr
    got = [json.loads(line)["frame"] for line in r.stdout.splitlines()]
    assert frames and got == frames
