"""Crafted captures for the TCP analysis tests (test_sniff_tcp_analysis.py).

Each scenario is one TCP connection with exact sequence numbers, windows
and times, so that every expert flag tshark raises appears on demand:
loss and fast retransmission after three duplicate ACKs, a retransmission
after a timeout, a spurious retransmission, reordering, a zero window with
a probe and a window update, a full window, keep-alives, an ACK of a
segment the capture missed, and a capture starting mid-connection.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "data", "sniff"))
from mkpcaps import T0, ip_pkt, tcp_seg, write_pcap  # noqa: E402

SYN_OPTS = (b"\x02\x04\x05\xb4"            # MSS 1460
            b"\x04\x02"                    # SACK permitted
            b"\x08\x0a\x00\x00\x10\x00\x00\x00\x00\x00"  # timestamps
            b"\x01\x03\x03\x07")           # NOP, window scale 7


def sack(left, right):
    """NOP, NOP, a SACK option with one block."""
    return b"\x01\x01\x05\x0a" + struct.pack("!II", left, right)


class Tcp:
    """One connection; times in microseconds, seq/ack absolute."""

    def __init__(self, frames, cport, t, sport=80, isn=(1000, 90000),
                 cli="10.1.0.1", srv="10.1.0.2"):
        self.f = frames
        self.ep = {"c": (cli, cport), "s": (srv, sport)}
        self.nxt = {"c": isn[0], "s": isn[1]}
        self.t = t
        self.win = {"c": 512, "s": 512}

    def pkt(self, who, flags, data=b"", seq=None, ack=None, win=None,
            dt=1000, opts=b"", advance=True):
        self.t += dt
        a, b = self.ep[who], self.ep["s" if who == "c" else "c"]
        other = "s" if who == "c" else "c"
        s = self.nxt[who] if seq is None else seq
        k = self.nxt[other] if ack is None else ack
        w = self.win[who] if win is None else win
        seg = tcp_seg(a[0], b[0], a[1], b[1], s, k if "A" in flags else 0,
                      flags, data, opts, win=w)
        self.f.append((self.t, ip_pkt(a[0], b[0], seg)))
        if advance and seq is None:
            self.nxt[who] += len(data) + (1 if ("S" in flags or
                                                "F" in flags) else 0)

    def handshake(self, rtt=400):
        self.pkt("c", "S", opts=SYN_OPTS, win=64240, dt=0)
        self.pkt("s", "SA", opts=SYN_OPTS, win=65160, dt=rtt // 2)
        self.pkt("c", "A", dt=rtt // 2)

    def close(self):
        self.pkt("c", "FA")
        self.pkt("s", "FA")
        self.pkt("c", "A")


def head(total):
    """A 200 response head whose Content-Length makes total bytes."""
    h = b"HTTP/1.1 200 OK\r\nContent-Length: %5d\r\n\r\n"
    return h % max(total - len(h % 0), 0)


def body(n, tag=b"x"):
    return (tag * n)[:n]


def loss(f, t):
    """A lost segment, three dup ACKs, a fast retransmission, then a
    timeout retransmission and a spurious one."""
    c = Tcp(f, 40001, t)
    c.handshake()
    c.pkt("c", "PA", b"GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
    s0 = c.nxt["s"]
    hb = head(3500)
    c.pkt("s", "A", hb + body(1000 - len(hb), b"a"))   # seg 1
    c.pkt("s", "A", body(1000, b"b"), seq=s0 + 1000, dt=100)   # seg 2 lost
    c.nxt["s"] = s0 + 2000
    c.pkt("s", "A", body(1000, b"c"), dt=100)    # seg 3: gap before it
    c.nxt["s"] = s0 + 1000                       # client acks up to seg 1
    c.pkt("c", "A", dt=100)
    for k in range(3):                           # dups, with a SACK
        c.pkt("c", "A", dt=100, opts=sack(s0 + 2000, s0 + 3000))
    c.pkt("s", "A", body(1000, b"b"), seq=s0 + 1000, dt=200)  # fast rexmit
    c.nxt["s"] = s0 + 3000
    c.pkt("c", "A", dt=300)
    c.pkt("s", "PA", body(500, b"d"), dt=200)
    c.pkt("s", "PA", body(500, b"d"), seq=s0 + 3000, dt=300000)  # rexmit
    c.pkt("c", "A", dt=300)
    c.pkt("s", "PA", body(500, b"d"), seq=s0 + 3000, dt=200000)  # spurious
    c.pkt("c", "A", dt=300)
    c.close()
    return c.t


def reorder(f, t):
    """Two segments swapped on the way: a gap, then Out-Of-Order."""
    c = Tcp(f, 40002, t)
    c.handshake()
    c.pkt("c", "PA", b"GET /r HTTP/1.1\r\nHost: a\r\n\r\n")
    s0 = c.nxt["s"]
    hb = head(1600)
    c.pkt("s", "A", body(800, b"1"), seq=s0 + 800, dt=100)
    c.pkt("s", "A", hb + body(800 - len(hb), b"0"), seq=s0, dt=100)
    c.nxt["s"] = s0 + 1600
    c.pkt("c", "A", dt=200)
    c.close()
    return c.t


def zero_window(f, t):
    """The client's window fills and closes, a probe, then it reopens."""
    c = Tcp(f, 40003, t)
    c.handshake()
    c.win["c"] = 16                               # 16 << 7 = 2048 bytes
    c.pkt("c", "PA", b"GET /z HTTP/1.1\r\nHost: a\r\n\r\n")
    hb = head(2148)
    c.pkt("s", "A", hb + body(1024 - len(hb), b"z"))
    c.pkt("s", "A", body(1024, b"z"), dt=100)     # fills the window
    c.pkt("c", "A", win=0, dt=300)                # zero window
    c.pkt("s", "A", body(1, b"z"), dt=200000, advance=False)   # probe
    c.pkt("c", "A", win=0, dt=300)                # probe ack
    c.pkt("c", "A", win=64, dt=100000)            # window update
    c.pkt("s", "PA", body(100, b"z"), dt=300)
    c.pkt("c", "A", win=64, dt=300)
    c.close()
    return c.t


def keep_alive(f, t):
    """Idle connection kept alive by both kinds of keep-alive."""
    c = Tcp(f, 40004, t)
    c.handshake()
    c.pkt("c", "PA", b"GET /k HTTP/1.1\r\nHost: a\r\n\r\n")
    c.pkt("s", "PA", b"HTTP/1.1 204 No Content\r\n\r\n")
    c.pkt("c", "A")
    c.pkt("c", "A", seq=c.nxt["c"] - 1, dt=2000000)          # no data
    c.pkt("s", "A", dt=300)                                  # its ACK
    c.pkt("c", "A", b"\0", seq=c.nxt["c"] - 1, dt=2000000)   # one byte
    c.pkt("s", "A", dt=300)
    c.pkt("c", "RA", dt=1000)
    return c.t


def unseen(f, t):
    """A capture starting mid-connection that misses a server segment."""
    c = Tcp(f, 40005, t, isn=(5000, 700000))
    c.pkt("c", "PA", b"GET /m HTTP/1.1\r\nHost: a\r\n\r\n", dt=0)
    s0 = c.nxt["s"]
    c.pkt("s", "PA", head(0), dt=300)
    c.nxt["s"] = s0 + 600                          # a segment missed
    c.pkt("c", "A", dt=500)                        # acks bytes not seen
    c.pkt("c", "FA")
    c.pkt("s", "FA")                               # after the hole
    c.pkt("c", "A")
    return c.t


def plain(f, t):
    """A clean exchange: RTTs, bytes in flight, PSH counters."""
    c = Tcp(f, 40006, t)
    c.handshake(rtt=1000)
    c.pkt("c", "PA", b"GET /p HTTP/1.1\r\nHost: a\r\n\r\n")
    c.pkt("s", "A", dt=200)
    wire = (b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" +
            body(3000, b"p"))
    for k in range(0, len(wire), 1200):
        c.pkt("s", "PA" if k + 1200 >= len(wire) else "A",
              wire[k:k + 1200], dt=50)
    c.pkt("c", "A", dt=400)
    c.close()
    return c.t


SCENARIOS = [plain, loss, reorder, zero_window, keep_alive, unseen]


def build(path):
    frames = []
    t = T0 * 1000000
    for sc in SCENARIOS:
        t = sc(frames, t) + 5000000
    write_pcap(str(path), frames)
    return str(path)


if __name__ == "__main__":
    build(sys.argv[1])
