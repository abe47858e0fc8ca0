#!/usr/bin/env python3
"""Hand-made pcaps for the sniffer's golden tests.

Each function below builds one capture that real traffic rarely shows on
demand: pipelining, out-of-order and retransmitted segments, 100-continue,
early responses, malformed messages, a capture starting mid-stream, a
small snaplen, and every link type the sniffer reads.  The output is
deterministic (fixed addresses, ports, sequence numbers and times), so the
expected files only change when the sniffer does.

Usage: mkpcaps.py OUTDIR
"""
import gzip
import os
import struct
import sys
import zlib

T0 = 1700000000


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip_bytes(a):
    import socket
    if ":" in a:
        return socket.inet_pton(socket.AF_INET6, a)
    return socket.inet_aton(a)


def tcp_seg(src, dst, sport, dport, seq, ack, flags, payload=b"", opts=b"",
            win=65535):
    off = (20 + len(opts)) // 4
    fl = 0
    for ch, bit in (("F", 1), ("S", 2), ("R", 4), ("P", 8), ("A", 16)):
        if ch in flags:
            fl |= bit
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                      ack & 0xffffffff, off << 4, fl, win, 0, 0) + opts
    s, d = ip_bytes(src), ip_bytes(dst)
    if len(s) == 4:
        pseudo = s + d + struct.pack("!BBH", 0, 6, len(hdr) + len(payload))
    else:
        pseudo = s + d + struct.pack("!IxxxB", len(hdr) + len(payload), 6)
    c = csum(pseudo + hdr + payload)
    hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
    return hdr + payload


def ip_pkt(src, dst, l4, ident=0, ext=False):
    s, d = ip_bytes(src), ip_bytes(dst)
    if len(s) == 4:
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ident,
                        0x4000, 64, 6, 0, s, d)
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
        return h + l4
    nxt = 6
    if ext:     # one hop-by-hop options header (8 bytes, PadN)
        nxt = 0
        ext = struct.pack("!BB", 6, 0) + b"\x01\x04\0\0\0\0"
    else:
        ext = b""
    return struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(l4), nxt,
                       64, s, d) + ext + l4


class Conv:
    """One TCP connection; frames are (time, ip packet) in wire order."""

    def __init__(self, frames, cli=("10.0.0.1", 40000),
                 srv=("10.0.0.2", 80), t=None, isn=(1000, 5000), ext=False):
        self.frames = frames
        self.cli, self.srv = cli, srv
        self.seq = {"c": isn[0], "s": isn[1]}
        self.t = t if t is not None else T0 * 1000000   # microseconds
        self.ext = ext
        self.ident = 1

    def pkt(self, who, flags, payload=b"", seq=None, advance=True, dt=1000,
            opts=b""):
        self.t += dt
        a, b = (self.cli, self.srv) if who == "c" else (self.srv, self.cli)
        other = "s" if who == "c" else "c"
        s = self.seq[who] if seq is None else seq
        ack = self.seq[other] if "A" in flags else 0
        seg = tcp_seg(a[0], b[0], a[1], b[1], s, ack, flags, payload, opts)
        self.frames.append((self.t, ip_pkt(a[0], b[0], seg, self.ident,
                                           self.ext)))
        self.ident += 1
        if advance and seq is None:
            self.seq[who] += len(payload) + (1 if ("S" in flags or
                                                   "F" in flags) else 0)

    def handshake(self):
        mss = b"\x02\x04\x05\xb4\x04\x02\x01\x03\x03\x07"  # MSS SACK NOP WS=7
        self.pkt("c", "S", opts=mss + b"\0\0")
        self.pkt("s", "SA", opts=mss + b"\0\0")
        self.pkt("c", "A")

    def send(self, who, data, ack_after=True):
        self.pkt(who, "PA", data)
        if ack_after:
            self.pkt("s" if who == "c" else "c", "A")

    def close(self):
        self.pkt("c", "FA")
        self.pkt("s", "FA")
        self.pkt("c", "A")


def req(method, uri, headers=(), body=b"", host="example.test"):
    h = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, uri, host)
    for k, v in headers:
        h += "%s: %s\r\n" % (k, v)
    return h.encode() + b"\r\n" + body


def resp(code, phrase, headers=(), body=b"", version="1.1"):
    h = "HTTP/%s %d %s\r\n" % (version, code, phrase)
    for k, v in headers:
        h += "%s: %s\r\n" % (k, v)
    return h.encode() + b"\r\n" + body


def chunked(parts):
    out = b""
    for p in parts:
        out += b"%x\r\n" % len(p) + p + b"\r\n"
    return out + b"0\r\n\r\n"


# ---- captures -----------------------------------------------------------

def pipelined():
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", req("GET", "/a") + req("GET", "/b?x=1",
           [("Accept-Encoding", "gzip")]) + req("HEAD", "/c"))
    c.send("s", resp(200, "OK", [("Content-Type", "text/plain"),
                                 ("Content-Length", "6")], b"hello\n"))
    body = gzip.compress(b"line one\nline two\n" * 4, mtime=0)
    ch = chunked([body[:20], body[20:]])
    head = resp(200, "OK", [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Encoding", "gzip"),
                            ("Transfer-Encoding", "chunked")])
    c.send("s", head + ch[:15], ack_after=False)
    c.send("s", ch[15:])
    c.send("s", resp(200, "OK", [("Content-Type", "text/html"),
                                 ("Content-Length", "1000")]))
    c.send("c", req("GET", "/d", [("If-None-Match", '"x"')]) +
           req("DELETE", "/e"))
    c.send("s", resp(304, "Not Modified", [("ETag", '"x"')]) +
           resp(204, "No Content"))
    c.close()
    return f


def out_of_order():
    f = []
    c = Conv(f, cli=("192.168.1.10", 51000), srv=("192.168.1.20", 8080))
    c.handshake()
    body = b"name=J%C3%BCrgen+M&city=K%C3%B6ln&empty=&flag"
    r = req("POST", "/form", [("Content-Type",
                                "application/x-www-form-urlencoded"),
                               ("Content-Length", str(len(body)))], body)
    base = c.seq["c"]
    p1, p2, p3 = r[:40], r[40:90], r[90:]
    c.pkt("c", "PA", p1, seq=base)
    c.pkt("c", "PA", p3, seq=base + 90)            # ahead: hole
    c.pkt("c", "PA", p1, seq=base)                 # retransmission
    c.pkt("c", "PA", r[60:100], seq=base + 60)     # overlaps the hole
    c.pkt("c", "PA", p2, seq=base + 40)            # fills it
    c.seq["c"] = base + len(r)
    c.pkt("s", "A")
    c.send("s", resp(201, "Created", [("Content-Length", "0")]))
    c.close()
    return f


def continue_100():
    f = []
    c = Conv(f)
    c.handshake()
    b = "XyZ123"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n"
            "Hello\r\n--%s\r\nContent-Disposition: form-data; name=\"f\"; "
            "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile "
            "text\nsecond line\n\r\n--%s--\r\n" % (b, b, b)).encode()
    c.send("c", req("POST", "/upload", [
        ("Content-Type", "multipart/form-data; boundary=" + b),
        ("Content-Length", str(len(body))), ("Expect", "100-continue")]))
    c.send("s", resp(100, "Continue"))
    c.send("c", body)
    c.send("s", resp(200, "OK", [("Set-Cookie", "sid=abc; Path=/"),
                                 ("Set-Cookie", "theme=dark"),
                                 ("Content-Type", "application/json"),
                                 ("Content-Length", "12")], b'{"ok":true}\n'))
    c.send("c", req("GET", "/me", [("Cookie", "sid=abc; theme=dark"),
                                   ("User-Agent", "mkpcaps/1.0")]))
    c.send("s", resp(200, "OK", [("Content-Length", "0")]))
    c.close()
    return f


def early_response():
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", req("POST", "/big", [("Content-Length", "100000"),
                                     ("Content-Type", "application/octet-stream")],
                    b"\0" * 500))
    c.send("s", resp(413, "Content Too Large", [("Connection", "close"),
                                                ("Content-Length", "0")]))
    c.pkt("s", "FA")
    c.pkt("c", "PA", b"\1" * 300)
    c.pkt("s", "R", advance=False)
    return f


def malformed():
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", b"\x16\x03\x01\x00\x05junk\r\n" + req("GET", "/ok"))
    c.send("s", resp(200, "OK", [("Transfer-Encoding", "chunked")],
                     b"zz\r\nnot a chunk\r\n"))
    c.send("c", b"GET /lf HTTP/1.1\nHost: x\nX-Fold: a\r\n  b\r\n\r\n")
    c.send("s", b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok")
    c.send("c", req("GET", "/cl", [("Content-Length", "abc")]))
    c.send("s", resp(400, "Bad Request", [("Content-Length", "0")]))
    c.close()
    return f


def midstream():
    f = []
    c = Conv(f, isn=(777777, 888888))
    # the capture starts inside a response body
    c.seq["s"] += 1
    c.seq["c"] += 1
    c.pkt("s", "PA", b"rest of an earlier body\r\nGET /not-a-request\r\n")
    c.pkt("c", "A")
    c.send("c", req("GET", "/next"))
    c.send("s", resp(200, "OK", [("Content-Length", "3")], b"abc"))
    c.close()
    return f


def gap():
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", req("GET", "/file"))
    data = bytes(range(256)) * 12
    h = resp(200, "OK", [("Content-Type", "application/octet-stream"),
                         ("Content-Length", str(len(data)))])
    c.send("s", h + data[:1000])
    c.seq["s"] += 1000                  # a segment never captured
    c.send("s", data[2000:])
    c.send("c", req("GET", "/after"))
    c.send("s", resp(200, "OK", [("Content-Length", "2")], b"ok"))
    c.close()
    return f


def close_delimited():
    f = []
    c = Conv(f)
    c.handshake()
    c.send("c", b"GET /old HTTP/1.0\r\n\r\n")
    c.send("s", resp(200, "OK", [("Content-Type", "text/plain")],
                     b"until the end\n", version="1.0"))
    c.send("s", b"more text\n")
    c.pkt("s", "FA")
    c.pkt("c", "FA")
    c.pkt("s", "A")
    return f


def simple(ext=False, v6=False):
    f = []
    if v6:
        c = Conv(f, cli=("2001:db8::1", 40001), srv=("2001:db8::2", 8080),
                 ext=ext)
    else:
        c = Conv(f, cli=("127.0.0.1", 40001), srv=("127.0.0.1", 8080))
    c.handshake()
    c.send("c", req("GET", "/hello", [("User-Agent", "mkpcaps/1.0")],
                    host="[2001:db8::2]:8080" if v6 else "127.0.0.1:8080"))
    c.send("s", resp(200, "OK", [("Content-Type", "text/plain"),
                                 ("Content-Length", "6")], b"hello\n"))
    c.close()
    return f


# ---- IP fragments ---------------------------------------------------------

def frag_v4(pkt, size, order=None, dup=None):
    """Split an IPv4 packet's payload into fragments of size bytes (a
    multiple of 8); order lists the pieces in the order sent, dup repeats
    one piece."""
    hdr, data = pkt[:20], pkt[20:]
    ident, ttl_proto = struct.unpack("!H", hdr[4:6])[0], hdr[8:10]
    pieces = []
    for off in range(0, len(data), size):
        chunk = data[off:off + size]
        more = 0x2000 if off + size < len(data) else 0
        h = struct.pack("!BBHHH2sH4s4s", 0x45, 0, 20 + len(chunk), ident,
                        more | off // 8, ttl_proto, 0, hdr[12:16],
                        hdr[16:20])
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
        pieces.append(h + chunk)
    order = order if order is not None else range(len(pieces))
    out = [pieces[i] for i in order]
    if dup is not None:
        out.append(pieces[dup])
    return out


def frag_v6(pkt, size, ident, order=None, dup=None):
    """The same for IPv6 (no extension headers): a Fragment header
    (RFC 8200 4.5) in each piece."""
    hdr, data = pkt[:40], pkt[40:]
    nxt = hdr[6]
    pieces = []
    for off in range(0, len(data), size):
        chunk = data[off:off + size]
        more = 1 if off + size < len(data) else 0
        fh = struct.pack("!BBHI", nxt, 0, off | more, ident)
        h = hdr[:4] + struct.pack("!HB", 8 + len(chunk), 44) + hdr[7:]
        pieces.append(h + fh + chunk)
    order = order if order is not None else range(len(pieces))
    out = [pieces[i] for i in order]
    if dup is not None:
        out.append(pieces[dup])
    return out


class FragConv(Conv):
    """A connection whose next segment may go out in IP fragments."""

    def frag(self, who, data, size, order=None, dup=None):
        n = len(self.frames)
        self.pkt(who, "PA", data)
        t, p = self.frames.pop()
        assert len(self.frames) == n
        if p[0] >> 4 == 4:
            parts = frag_v4(p, size, order, dup)
        else:
            parts = frag_v6(p, size, 0x1000 + self.ident, order, dup)
        for i, q in enumerate(parts):
            self.frames.append((t + i * 10, q))
        self.t = t + len(parts) * 10


def fragmented():
    f = []
    # IPv4: request in order, response last piece first with a duplicate
    c = FragConv(f, cli=("10.1.0.1", 41000), srv=("10.1.0.2", 80))
    c.handshake()
    body = b"".join(b"line %04d of a body sent in IP fragments\n" % i
                    for i in range(60))
    c.frag("c", req("POST", "/upload", [("Content-Type", "text/plain"),
                                        ("Content-Length", str(len(body)))],
                    body), 1480)
    c.pkt("s", "A")
    page = b"<p>fragmented</p>\n" * 100
    c.frag("s", resp(200, "OK", [("Content-Type", "text/html"),
                                 ("Content-Length", str(len(page)))], page),
           1024, order=[1, 0], dup=1)
    c.pkt("c", "A")
    # a datagram that never completes (its middle piece is lost)
    c.frag("c", req("GET", "/lost", [("X-Pad", "p" * 1500)]), 600,
           order=[0, 2])
    c.close()
    # IPv6: request in 2 fragments, last first; response in 3, in order
    c = FragConv(f, cli=("2001:db8::10", 42000), srv=("2001:db8::20", 8080),
                 t=c.t + 1000)
    c.handshake()
    c.frag("c", req("GET", "/v6", [("X-Long", "v" * 2000)],
                    host="[2001:db8::20]:8080"), 1232, order=[1, 0])
    c.pkt("s", "A")
    c.frag("s", resp(200, "OK", [("Content-Type", "text/plain"),
                                 ("Content-Length", "3000")], b"6" * 3000),
           1232)
    c.pkt("c", "A")
    c.close()
    return f


# ---- link layers and the file format -------------------------------------

def link_ether(p):
    et = 0x86dd if p[0] >> 4 == 6 else 0x0800
    return b"\0" * 12 + struct.pack("!H", et) + p


def link_sll(p):
    et = 0x86dd if p[0] >> 4 == 6 else 0x0800
    return struct.pack("!HHH8sH", 0, 772, 6, b"\0" * 8, et) + p


def link_sll2(p):
    et = 0x86dd if p[0] >> 4 == 6 else 0x0800
    return struct.pack("!HHIHBB8s", et, 0, 1, 772, 0, 6, b"\0" * 8) + p


def link_null(af):
    return lambda p: struct.pack("<I", af) + p


def link_loop(af):
    return lambda p: struct.pack("!I", af) + p


def write_pcap(path, frames, linktype=1, wrap=link_ether, snaplen=262144):
    with open(path, "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen,
                             linktype))
        for t, p in frames:
            data = wrap(p)
            sec, usec = divmod(t, 1000000)
            cap = data[:snaplen]
            fp.write(struct.pack("<IIII", sec, usec, len(cap), len(data)))
            fp.write(cap)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    p = lambda n: os.path.join(out, n)
    write_pcap(p("pipelined.pcap"), pipelined())
    write_pcap(p("out-of-order.pcap"), out_of_order())
    write_pcap(p("continue.pcap"), continue_100())
    write_pcap(p("early-response.pcap"), early_response())
    write_pcap(p("malformed.pcap"), malformed())
    write_pcap(p("midstream.pcap"), midstream())
    write_pcap(p("gap.pcap"), gap())
    write_pcap(p("close-delimited.pcap"), close_delimited())
    write_pcap(p("snaplen.pcap"), pipelined(), snaplen=80)
    write_pcap(p("sll-v4.pcap"), simple(), 113, link_sll)
    write_pcap(p("sll2-v6-ext.pcap"), simple(ext=True, v6=True), 276,
               link_sll2)
    write_pcap(p("null-v6.pcap"), simple(v6=True), 0, link_null(30))
    write_pcap(p("loop-v4.pcap"), simple(), 108, link_loop(2))
    write_pcap(p("raw-v6.pcap"), simple(v6=True), 101, lambda x: x)
    write_pcap(p("fragmented.pcap"), fragmented())
    # a file cut in the middle of a record
    with open(p("pipelined.pcap"), "rb") as fp:
        data = fp.read()
    with open(p("cut.pcap"), "wb") as fp:
        fp.write(data[:len(data) * 2 // 3])


if __name__ == "__main__":
    main()
