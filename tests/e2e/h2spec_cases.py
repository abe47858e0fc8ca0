"""The test cases of h2spec 2.6 (its "http2" and "hpack" sections, and
the "generic" ones that send something unusual but legal), as a frame
client in Python: h2spec is not packaged for Debian, and issue 16 asks
for a client that sends the same frames when it is not.

Each case is (id, description, steps, expect):
- steps(c) sends frames on a connection c that has done the handshake
  (preface, SETTINGS both ways, both ACKs), as h2spec's does;
- expect(c) reads what came back and returns (passed, answer), answer a
  short text such as "GOAWAY PROTOCOL_ERROR", "RST_STREAM STREAM_CLOSED",
  "PING ACK", "HEADERS 200", "DATA 1", "closed" or "timeout".

Verdicts follow h2spec's: a connection error passes with a GOAWAY of an
allowed code or a close; a stream error also with a RST_STREAM of an
allowed code.  Used by tests/e2e/test_serve_h2.py (against serve) and
bench/h2errors.py (serve, nginx and h2o in one run)."""
import socket
import struct
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH_PROMISE, PING, GOAWAY, \
    WINDOW_UPDATE, CONTINUATION = range(10)
ES, EH, PADDED, PRIO = 0x1, 0x4, 0x8, 0x20   # END_STREAM, END_HEADERS
ACK = 0x1
ERR = ["NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
       "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR",
       "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR",
       "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"]
TYPES = ["DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS",
         "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"]


def errname(code):
    return ERR[code] if code < len(ERR) else "0x%x" % code


def frame(ftype, flags, sid, payload=b""):
    """RFC 9113 §4.1: length(24) type(8) flags(8) R|stream id(31)."""
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", sid) + payload


def u32(n):
    return struct.pack(">I", n)


def settings(*pairs):
    return b"".join(struct.pack(">HI", k, v) for k, v in pairs)


# --- HPACK (RFC 7541), enough to build the blocks by hand ---------------

def hint(n, bits, first=0):
    """An integer with a bits-bit prefix (§5.1), first = the high bits."""
    top = (1 << bits) - 1
    if n < top:
        return bytes([first | n])
    out = [first | top]
    n -= top
    while n >= 128:
        out.append(0x80 | (n & 0x7f))
        n >>= 7
    return bytes(out + [n])


def hstr(s):
    """A string literal, not Huffman-coded (§5.2)."""
    return hint(len(s), 7) + s


def lit(name, value):
    """Literal header field without indexing, new name (§6.2.2)."""
    return b"\x00" + hstr(name) + hstr(value)


def block(method=b"GET", path=b"/", scheme=b"http", authority=b"localhost",
          extra=()):
    """A request's header block: the pseudo-header fields as literals
    without indexing (so the dynamic table stays empty), then extra."""
    out = b""
    for k, v in ((b":method", method), (b":scheme", scheme),
                 (b":path", path), (b":authority", authority)):
        if v is not None:
            out += lit(k, v)
    return out + b"".join(lit(k, v) for k, v in extra)


GET = block()
POST = block(b"POST")


class Conn:
    """One HTTP/2 connection to 127.0.0.1:port, prior knowledge."""

    def __init__(self, port, timeout=3.0):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""
        self.timeout = timeout
        self.peer = {}           # the server's SETTINGS
        self.closed = False

    def send(self, data):
        try:
            self.s.sendall(data)
        except OSError:
            self.closed = True

    def next(self, deadline):
        """The next frame (type, flags, sid, payload), None when the
        connection closed or the deadline passed (self.closed tells)."""
        while True:
            if len(self.buf) >= 9:
                n = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) >= 9 + n:
                    f = (self.buf[3], self.buf[4],
                         int.from_bytes(self.buf[5:9], "big") & 0x7fffffff,
                         self.buf[9:9 + n])
                    self.buf = self.buf[9 + n:]
                    return f
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                self.s.settimeout(left)
                d = self.s.recv(65536)
            except socket.timeout:
                return None
            except OSError:
                d = b""
            if not d:
                self.closed = True
                return None
            self.buf += d

    def handshake(self):
        """Preface and an empty SETTINGS; wait for the server's SETTINGS
        (ACKed) and the ACK of ours, as h2spec does before each case."""
        self.send(PREFACE + frame(SETTINGS, 0, 0))
        deadline = time.monotonic() + self.timeout
        got_settings = got_ack = False
        while not (got_settings and got_ack):
            f = self.next(deadline)
            if f is None:
                raise ConnectionError("no SETTINGS from the server")
            t, fl, _, p = f
            if t == SETTINGS and fl & ACK:
                got_ack = True
            elif t == SETTINGS:
                for i in range(0, len(p) - 5, 6):
                    k, v = struct.unpack(">HI", p[i:i + 6])
                    self.peer[k] = v
                self.send(frame(SETTINGS, ACK, 0))
                got_settings = True
        return self

    def close(self):
        self.s.close()


# --- what a case expects ------------------------------------------------

def _answer(f):
    t, fl, sid, p = f
    if t == GOAWAY:
        return "GOAWAY " + errname(int.from_bytes(p[4:8], "big"))
    if t == RST:
        return "RST_STREAM " + errname(int.from_bytes(p[:4], "big"))
    return TYPES[t] if t < len(TYPES) else "type 0x%x" % t


def conn_error(*codes):
    """A connection error: GOAWAY with one of codes, or the close."""
    def check(c):
        deadline = time.monotonic() + c.timeout
        while True:
            f = c.next(deadline)
            if f is None:
                return (c.closed, "closed" if c.closed else "timeout")
            if f[0] == GOAWAY:
                a = _answer(f)
                return (a.split()[1] in codes, a)
    check.want = "GOAWAY " + "/".join(codes)
    return check


def stream_error(*codes):
    """A stream error: RST_STREAM or GOAWAY with one of codes, or the
    close (h2spec lets a server widen a stream error)."""
    def check(c):
        deadline = time.monotonic() + c.timeout
        while True:
            f = c.next(deadline)
            if f is None:
                return (c.closed, "closed" if c.closed else "timeout")
            if f[0] in (GOAWAY, RST):
                a = _answer(f)
                return (a.split()[1] in codes, a)
    check.want = "RST_STREAM/GOAWAY " + "/".join(codes)
    return check


def _expect(c, judge):
    """Read frames until judge(frame) gives a verdict (ok, what); a GOAWAY
    or RST_STREAM first, the connection closing or the timeout fail."""
    deadline = time.monotonic() + c.timeout
    while True:
        f = c.next(deadline)
        if f is None:
            return (False, "closed" if c.closed else "timeout")
        if f[0] in (GOAWAY, RST):
            return (False, _answer(f))
        verdict = judge(f)
        if verdict is not None:
            return verdict


def ping_ok(c):
    """The connection still works: a PING sent now is ACKed (and no PING
    ACK of a PING we ACKed ourselves comes first)."""
    c.send(frame(PING, 0, 0, b"h2spec\0\0"))

    def judge(f):
        if f[0] == PING and f[1] & ACK and f[3] == b"h2spec\0\0":
            return (True, "PING ACK")
        if f[0] == PING and f[1] & ACK and f[3] == b"invalid!":
            return (False, "PING ACK of a PING ACK")
        return None
    return _expect(c, judge)


ping_ok.want = "PING ACK"


def settings_ack(c):
    return _expect(c, lambda f: (True, "SETTINGS ACK")
                   if f[0] == SETTINGS and f[1] & ACK else None)


settings_ack.want = "SETTINGS ACK"


def response(sid=1):
    """A response HEADERS frame on sid."""
    def check(c):
        return _expect(c, lambda f: (True, "HEADERS")
                       if f[0] == HEADERS and f[2] == sid else None)
    check.want = "HEADERS"
    return check


def data_len(n, sid=1):
    """The first DATA frame on sid carries n bytes."""
    def check(c):
        return _expect(c, lambda f: (len(f[3]) == n, "DATA %d" % len(f[3]))
                       if f[0] == DATA and f[2] == sid else None)
    check.want = "DATA %d" % n
    return check


def wait_end(c, sid=1):
    """Read until sid's END_STREAM (the stream is then closed)."""
    deadline = time.monotonic() + c.timeout
    while True:
        f = c.next(deadline)
        if f is None or (f[0] in (DATA, HEADERS) and f[2] == sid
                         and f[1] & ES):
            return


# --- the cases ----------------------------------------------------------

def send(*frames):
    data = b"".join(frames)
    return lambda c: c.send(data)


def seq(*steps):
    def run(c):
        for s in steps:
            s(c)
    return run


PE, FSE, FCE, SC, CE = ("PROTOCOL_ERROR", "FRAME_SIZE_ERROR",
                        "FLOW_CONTROL_ERROR", "STREAM_CLOSED",
                        "COMPRESSION_ERROR")
H1 = frame(HEADERS, ES | EH, 1, GET)                 # GET / on stream 1
POST1 = frame(HEADERS, EH, 1, POST)                  # body to follow
BIG = b"".join(lit(b"x-dummy%d" % i, b"x" * 100) for i in range(170))


def too_many_streams(c):
    n = c.peer.get(3, 100)
    c.send(b"".join(frame(HEADERS, EH, 2 * i + 1, POST)
                    for i in range(n + 1)))


def negative_window(c):
    c.send(frame(SETTINGS, 0, 0, settings((4, 3))) + H1)
    data_len(3)(c)
    c.send(frame(SETTINGS, 0, 0, settings((4, 2))) +
           frame(WINDOW_UPDATE, 0, 1, u32(2)))


def ended(*frames):
    """H1, wait for its response to end, then frames."""
    data = b"".join(frames)
    return seq(send(H1), wait_end, lambda c: c.send(data))


CASES = [
    # http2/3.5 connection preface
    ("http2/3.5/1", "sends the client connection preface",
     lambda c: None, ping_ok),
    ("http2/3.5/2", "sends an invalid connection preface",
     None, conn_error(PE)),
    # http2/4.1 frame format
    ("http2/4.1/1", "a frame of unknown type", send(frame(0x16, 0, 0, b"x" * 8)),
     ping_ok),
    ("http2/4.1/2", "a frame with undefined flags",
     send(frame(PING, 0x16, 0, b"\0" * 8)), ping_ok),
    ("http2/4.1/3", "a frame with the reserved bit set",
     send(frame(PING, 0, 0x80000000, b"\0" * 8)), ping_ok),
    # http2/4.2 frame size
    ("http2/4.2/1", "DATA of 2^14 octets",
     send(POST1, frame(DATA, ES, 1, b"x" * 16384)), response()),
    ("http2/4.2/2", "DATA over SETTINGS_MAX_FRAME_SIZE",
     send(POST1, frame(DATA, ES, 1, b"x" * 16385)), stream_error(FSE)),
    ("http2/4.2/3", "HEADERS over SETTINGS_MAX_FRAME_SIZE",
     send(frame(HEADERS, ES | EH, 1, GET + BIG)), conn_error(FSE)),
    # http2/4.3 header compression
    ("http2/4.3/1", "an invalid header block fragment",
     send(frame(HEADERS, ES | EH, 1, b"\x00\x85ab")), conn_error(CE)),
    ("http2/4.3/2", "PRIORITY in the middle of a header block",
     send(frame(HEADERS, ES, 1, GET), frame(PRIORITY, 0, 1, u32(0) + b"\x0f"),
          frame(CONTINUATION, EH, 1, b"")), conn_error(PE)),
    ("http2/4.3/3", "HEADERS to another stream in a header block",
     send(frame(HEADERS, ES, 1, GET), frame(HEADERS, ES | EH, 3, GET)),
     conn_error(PE)),
    # http2/5.1 stream states
    ("http2/5.1/1", "idle: DATA", send(frame(DATA, ES, 1, b"test")),
     conn_error(PE)),
    ("http2/5.1/2", "idle: RST_STREAM", send(frame(RST, 0, 1, u32(8))),
     conn_error(PE)),
    ("http2/5.1/3", "idle: WINDOW_UPDATE",
     send(frame(WINDOW_UPDATE, 0, 1, u32(100))), conn_error(PE)),
    ("http2/5.1/4", "idle: CONTINUATION",
     send(frame(CONTINUATION, EH, 1, GET)), conn_error(PE)),
    ("http2/5.1/5", "half closed (remote): DATA",
     send(H1, frame(DATA, ES, 1, b"test")), stream_error(SC)),
    ("http2/5.1/6", "half closed (remote): HEADERS",
     send(H1, H1), stream_error(SC)),
    ("http2/5.1/7", "half closed (remote): CONTINUATION",
     send(H1, frame(CONTINUATION, EH, 1, GET)), conn_error(SC, PE)),
    ("http2/5.1/8", "closed: DATA after RST_STREAM",
     send(POST1, frame(RST, 0, 1, u32(8)), frame(DATA, ES, 1, b"test")),
     stream_error(SC)),
    ("http2/5.1/9", "closed: HEADERS after RST_STREAM",
     send(POST1, frame(RST, 0, 1, u32(8)), H1), stream_error(SC)),
    ("http2/5.1/10", "closed: CONTINUATION after RST_STREAM",
     send(POST1, frame(RST, 0, 1, u32(8)), frame(CONTINUATION, EH, 1, GET)),
     conn_error(SC, PE)),
    ("http2/5.1/11", "closed: DATA", ended(frame(DATA, ES, 1, b"test")),
     stream_error(SC)),
    ("http2/5.1/12", "closed: HEADERS", ended(H1), stream_error(SC)),
    ("http2/5.1/13", "closed: CONTINUATION",
     ended(frame(CONTINUATION, EH, 1, GET)), conn_error(SC, PE)),
    # http2/5.1.1 stream identifiers
    ("http2/5.1.1/1", "an even-numbered stream id",
     send(frame(HEADERS, ES | EH, 2, GET)), conn_error(PE)),
    ("http2/5.1.1/2", "a stream id smaller than the previous one",
     send(frame(HEADERS, ES | EH, 5, GET), frame(HEADERS, ES | EH, 3, GET)),
     conn_error(PE)),
    # http2/5.1.2 stream concurrency
    ("http2/5.1.2/1", "more streams than SETTINGS_MAX_CONCURRENT_STREAMS",
     too_many_streams, stream_error(PE, "REFUSED_STREAM")),
    # http2/5.3.1 stream dependencies
    ("http2/5.3.1/1", "HEADERS that depends on itself",
     send(frame(HEADERS, ES | EH | PRIO, 1, u32(1) + b"\x0f" + GET)),
     stream_error(PE)),
    ("http2/5.3.1/2", "PRIORITY that depends on itself",
     send(frame(PRIORITY, 0, 1, u32(1) + b"\x0f")), stream_error(PE)),
    # http2/5.4.1 connection error handling
    ("http2/5.4.1/1", "an invalid PING closes the connection",
     send(frame(PING, 0, 0, b"\0" * 6)), conn_error(FSE)),
    ("http2/5.4.1/2", "an invalid PING gets GOAWAY",
     send(frame(PING, 0, 3, b"\0" * 8)), conn_error(PE)),
    # http2/5.5 extending HTTP/2
    ("http2/5.5/1", "an unknown extension frame",
     send(frame(0xff, 0, 0, b"x" * 8)), ping_ok),
    ("http2/5.5/2", "an unknown extension frame in a header block",
     send(frame(HEADERS, ES, 1, GET), frame(0xff, 0, 1, b"x" * 8),
          frame(CONTINUATION, EH, 1, b"")), conn_error(PE)),
    # http2/6.1 DATA
    ("http2/6.1/1", "DATA on stream 0", send(frame(DATA, ES, 0, b"test")),
     conn_error(PE)),
    ("http2/6.1/2", "DATA on a stream not open",
     send(H1, frame(DATA, ES, 1, b"test")), stream_error(SC)),
    ("http2/6.1/3", "DATA with an invalid pad length",
     send(POST1, frame(DATA, ES | PADDED, 1, b"\x06test")), conn_error(PE)),
    # http2/6.2 HEADERS
    ("http2/6.2/1", "HEADERS without END_HEADERS, then PRIORITY",
     send(frame(HEADERS, ES, 1, GET), frame(PRIORITY, 0, 1, u32(0) + b"\x0f")),
     conn_error(PE)),
    ("http2/6.2/2", "HEADERS to another stream while a block is open",
     send(frame(HEADERS, ES, 1, GET), frame(HEADERS, ES | EH, 3, GET)),
     conn_error(PE)),
    ("http2/6.2/3", "HEADERS on stream 0",
     send(frame(HEADERS, ES | EH, 0, GET)), conn_error(PE)),
    ("http2/6.2/4", "HEADERS with an invalid pad length",
     send(frame(HEADERS, ES | EH | PADDED, 1, bytes([len(GET) + 1]) + GET)),
     conn_error(PE)),
    # http2/6.3 PRIORITY
    ("http2/6.3/1", "PRIORITY on stream 0",
     send(frame(PRIORITY, 0, 0, u32(1) + b"\x0f")), conn_error(PE)),
    ("http2/6.3/2", "PRIORITY of 4 octets",
     send(POST1, frame(PRIORITY, 0, 1, u32(0))), stream_error(FSE)),
    # http2/6.4 RST_STREAM
    ("http2/6.4/1", "RST_STREAM on stream 0",
     send(frame(RST, 0, 0, u32(8))), conn_error(PE)),
    ("http2/6.4/2", "RST_STREAM on an idle stream",
     send(frame(RST, 0, 1, u32(8))), conn_error(PE)),
    ("http2/6.4/3", "RST_STREAM of 3 octets",
     send(POST1, frame(RST, 0, 1, b"\0\0\x08")), conn_error(FSE)),
    # http2/6.5 SETTINGS
    ("http2/6.5/1", "SETTINGS ACK with a payload",
     send(frame(SETTINGS, ACK, 0, settings((3, 100)))), conn_error(FSE)),
    ("http2/6.5/2", "SETTINGS on a stream",
     send(frame(SETTINGS, 0, 1, settings((3, 100)))), conn_error(PE)),
    ("http2/6.5/3", "SETTINGS of 3 octets",
     send(frame(SETTINGS, 0, 0, b"\0\x03\0")), conn_error(FSE)),
    ("http2/6.5.2/1", "SETTINGS_ENABLE_PUSH = 2",
     send(frame(SETTINGS, 0, 0, settings((2, 2)))), conn_error(PE)),
    ("http2/6.5.2/2", "SETTINGS_INITIAL_WINDOW_SIZE over 2^31-1",
     send(frame(SETTINGS, 0, 0, settings((4, 1 << 31)))), conn_error(FCE)),
    ("http2/6.5.2/3", "SETTINGS_MAX_FRAME_SIZE below 2^14",
     send(frame(SETTINGS, 0, 0, settings((5, 16383)))), conn_error(PE)),
    ("http2/6.5.2/4", "SETTINGS_MAX_FRAME_SIZE over 2^24-1",
     send(frame(SETTINGS, 0, 0, settings((5, 1 << 24)))), conn_error(PE)),
    ("http2/6.5.2/5", "a SETTINGS parameter of unknown id",
     send(frame(SETTINGS, 0, 0, settings((0xff, 1)))), settings_ack),
    ("http2/6.5.3/1", "several values of SETTINGS_INITIAL_WINDOW_SIZE",
     send(frame(SETTINGS, 0, 0, settings((4, 100), (4, 1))), H1),
     data_len(1)),
    ("http2/6.5.3/2", "SETTINGS without ACK", send(frame(SETTINGS, 0, 0)),
     settings_ack),
    # http2/6.7 PING
    ("http2/6.7/1", "PING", send(frame(PING, 0, 0, b"12345678")), ping_ok),
    ("http2/6.7/2", "PING with ACK is not answered",
     send(frame(PING, ACK, 0, b"invalid!")), ping_ok),
    ("http2/6.7/3", "PING on a stream",
     send(frame(PING, 0, 1, b"\0" * 8)), conn_error(PE)),
    ("http2/6.7/4", "PING of 6 octets",
     send(frame(PING, 0, 0, b"\0" * 6)), conn_error(FSE)),
    # http2/6.8 GOAWAY
    ("http2/6.8/1", "GOAWAY on a stream",
     send(frame(GOAWAY, 0, 1, u32(0) + u32(0))), conn_error(PE)),
    # http2/6.9 WINDOW_UPDATE
    ("http2/6.9/1", "WINDOW_UPDATE of 0 on the connection",
     send(frame(WINDOW_UPDATE, 0, 0, u32(0))), conn_error(PE)),
    ("http2/6.9/2", "WINDOW_UPDATE of 0 on a stream",
     send(POST1, frame(WINDOW_UPDATE, 0, 1, u32(0))), stream_error(PE)),
    ("http2/6.9/3", "WINDOW_UPDATE of 3 octets",
     send(frame(WINDOW_UPDATE, 0, 0, b"\0\0\x01")), conn_error(FSE)),
    ("http2/6.9.1/1", "an initial window of 1, then a request",
     send(frame(SETTINGS, 0, 0, settings((4, 1))), H1), data_len(1)),
    ("http2/6.9.1/2", "the connection window over 2^31-1",
     send(frame(WINDOW_UPDATE, 0, 0, u32(0x7fffffff)),
          frame(WINDOW_UPDATE, 0, 0, u32(0x7fffffff))), conn_error(FCE)),
    ("http2/6.9.1/3", "a stream window over 2^31-1",
     send(frame(SETTINGS, 0, 0, settings((4, 1))), H1,
          frame(WINDOW_UPDATE, 0, 1, u32(0x7fffffff)),
          frame(WINDOW_UPDATE, 0, 1, u32(0x7fffffff))), stream_error(FCE)),
    ("http2/6.9.2/1", "SETTINGS_INITIAL_WINDOW_SIZE changed after HEADERS",
     send(frame(SETTINGS, 0, 0, settings((4, 0))), H1,
          frame(SETTINGS, 0, 0, settings((4, 1)))), data_len(1)),
    ("http2/6.9.2/2", "SETTINGS that make a window negative",
     negative_window, data_len(1)),
    ("http2/6.9.2/3", "SETTINGS_INITIAL_WINDOW_SIZE of 2^31",
     send(frame(SETTINGS, 0, 0, settings((4, 1 << 31)))), conn_error(FCE)),
    # http2/6.10 CONTINUATION
    ("http2/6.10/1", "HEADERS and several CONTINUATIONs",
     send(frame(HEADERS, ES, 1, GET[:5]), frame(CONTINUATION, 0, 1, GET[5:9]),
          frame(CONTINUATION, EH, 1, GET[9:])), response()),
    ("http2/6.10/2", "CONTINUATION followed by another frame type",
     send(frame(HEADERS, 0, 1, POST[:5]), frame(CONTINUATION, 0, 1, POST[5:]),
          frame(DATA, ES, 1, b"test")), conn_error(PE)),
    ("http2/6.10/3", "CONTINUATION on stream 0",
     send(frame(HEADERS, ES, 1, GET[:5]), frame(CONTINUATION, EH, 0, GET[5:])),
     conn_error(PE)),
    ("http2/6.10/4", "CONTINUATION after HEADERS with END_HEADERS",
     send(frame(HEADERS, ES | EH, 1, GET), frame(CONTINUATION, EH, 1, GET)),
     conn_error(PE)),
    ("http2/6.10/5", "CONTINUATION after CONTINUATION with END_HEADERS",
     send(frame(HEADERS, ES, 1, GET[:5]), frame(CONTINUATION, EH, 1, GET[5:]),
          frame(CONTINUATION, EH, 1, GET)), conn_error(PE)),
    ("http2/6.10/6", "CONTINUATION after DATA",
     send(POST1, frame(DATA, 0, 1, b"test"), frame(CONTINUATION, EH, 1, GET)),
     conn_error(PE)),
    # http2/8.1 HTTP request/response exchange
    ("http2/8.1/1", "a second HEADERS without END_STREAM",
     send(POST1, frame(DATA, 0, 1, b"test"),
          frame(HEADERS, EH, 1, lit(b"x-trailer", b"1"))), stream_error(PE)),
    ("http2/8.1.2/1", "an upper-case header field name",
     send(frame(HEADERS, ES | EH, 1, GET + lit(b"X-Test", b"ok"))),
     stream_error(PE)),
    ("http2/8.1.2.1/1", "an unknown pseudo-header field",
     send(frame(HEADERS, ES | EH, 1, GET + lit(b":test", b"ok"))),
     stream_error(PE)),
    ("http2/8.1.2.1/2", "a response pseudo-header field in a request",
     send(frame(HEADERS, ES | EH, 1, GET + lit(b":status", b"200"))),
     stream_error(PE)),
    ("http2/8.1.2.1/3", "a pseudo-header field in trailers",
     send(POST1, frame(DATA, 0, 1, b"test"),
          frame(HEADERS, ES | EH, 1, lit(b":method", b"POST"))),
     stream_error(PE)),
    ("http2/8.1.2.1/4", "a pseudo-header field after a regular one",
     send(frame(HEADERS, ES | EH, 1, block(path=None) +
                lit(b"x-test", b"ok") + lit(b":path", b"/"))),
     stream_error(PE)),
    ("http2/8.1.2.2/1", "a connection-specific header field",
     send(frame(HEADERS, ES | EH, 1, GET + lit(b"connection", b"keep-alive"))),
     stream_error(PE)),
    ("http2/8.1.2.2/2", "TE other than trailers",
     send(frame(HEADERS, ES | EH, 1, GET + lit(b"te", b"trailers, deflate"))),
     stream_error(PE)),
    ("http2/8.1.2.3/1", "an empty :path",
     send(frame(HEADERS, ES | EH, 1, block(path=b""))), stream_error(PE)),
    ("http2/8.1.2.3/2", "no :method",
     send(frame(HEADERS, ES | EH, 1, block(method=None))), stream_error(PE)),
    ("http2/8.1.2.3/3", "no :scheme",
     send(frame(HEADERS, ES | EH, 1, block(scheme=None))), stream_error(PE)),
    ("http2/8.1.2.3/4", "no :path",
     send(frame(HEADERS, ES | EH, 1, block(path=None))), stream_error(PE)),
    ("http2/8.1.2.3/5", "two :method",
     send(frame(HEADERS, ES | EH, 1, lit(b":method", b"GET") + GET)),
     stream_error(PE)),
    ("http2/8.1.2.3/6", "two :scheme",
     send(frame(HEADERS, ES | EH, 1, lit(b":scheme", b"http") + GET)),
     stream_error(PE)),
    ("http2/8.1.2.3/7", "two :path",
     send(frame(HEADERS, ES | EH, 1, lit(b":path", b"/") + GET)),
     stream_error(PE)),
    ("http2/8.1.2.6/1", "content-length and one DATA frame disagree",
     send(frame(HEADERS, EH, 1, POST + lit(b"content-length", b"1")),
          frame(DATA, ES, 1, b"test")), stream_error(PE)),
    ("http2/8.1.2.6/2", "content-length and several DATA frames disagree",
     send(frame(HEADERS, EH, 1, POST + lit(b"content-length", b"1")),
          frame(DATA, 0, 1, b"test"), frame(DATA, ES, 1, b"test")),
     stream_error(PE)),
    ("http2/8.2/1", "PUSH_PROMISE from a client",
     send(frame(PUSH_PROMISE, EH, 1, u32(2) + GET)), conn_error(PE)),
    # hpack
    ("hpack/2.3.3/1", "an indexed field past the tables",
     send(frame(HEADERS, ES | EH, 1, GET + hint(70, 7, 0x80))),
     conn_error(CE)),
    ("hpack/2.3.3/2", "a literal whose name index is past the tables",
     send(frame(HEADERS, ES | EH, 1, GET + hint(70, 6, 0x40) + hstr(b"x"))),
     conn_error(CE)),
    ("hpack/4.2/1", "a table size update at the end of a block",
     send(frame(HEADERS, ES | EH, 1, GET + b"\x20")), conn_error(CE)),
    ("hpack/5.2/1", "Huffman padding longer than 7 bits",
     send(frame(HEADERS, ES | EH, 1, GET + b"\x00" + hstr(b"x-test") +
                b"\x82\x1f\xff")), conn_error(CE)),
    ("hpack/5.2/2", "Huffman padded with zeros",
     send(frame(HEADERS, ES | EH, 1, GET + b"\x00" + hstr(b"x-test") +
                b"\x81\x18")), conn_error(CE)),
    ("hpack/5.2/3", "Huffman containing EOS",
     send(frame(HEADERS, ES | EH, 1, GET + b"\x00" + hstr(b"x-test") +
                b"\x84\xff\xff\xff\xff")), conn_error(CE)),
    ("hpack/6.1/1", "an indexed field of index 0",
     send(frame(HEADERS, ES | EH, 1, GET + b"\x80")), conn_error(CE)),
    ("hpack/6.3/1", "a table size update over SETTINGS_HEADER_TABLE_SIZE",
     send(frame(HEADERS, ES | EH, 1, hint(4097, 5, 0x20) + GET)),
     conn_error(CE)),
    # generic: unusual but legal
    ("generic/2/1", "PRIORITY on an idle stream",
     send(frame(PRIORITY, 0, 3, u32(0) + b"\x0f")), ping_ok),
    ("generic/2/2", "WINDOW_UPDATE on a half closed (remote) stream",
     send(H1, frame(WINDOW_UPDATE, 0, 1, u32(1))), ping_ok),
    ("generic/2/3", "PRIORITY on a half closed (remote) stream",
     send(H1, frame(PRIORITY, 0, 1, u32(0) + b"\x0f")), ping_ok),
    ("generic/2/4", "RST_STREAM on a half closed (remote) stream",
     send(H1, frame(RST, 0, 1, u32(8))), ping_ok),
    ("generic/2/5", "PRIORITY on a closed stream",
     ended(frame(PRIORITY, 0, 1, u32(0) + b"\x0f")), ping_ok),
    ("generic/3.1/1", "a request with a body in several DATA frames",
     send(POST1, frame(DATA, 0, 1, b"te"), frame(DATA, ES, 1, b"st")),
     response()),
    ("generic/3.1/2", "DATA with padding",
     send(POST1, frame(DATA, ES | PADDED, 1, b"\x04test\0\0\0\0")),
     response()),
    ("generic/3.2/1", "HEADERS with padding",
     send(frame(HEADERS, ES | EH | PADDED, 1, b"\x03" + GET + b"\0\0\0")),
     response()),
    ("generic/3.2/2", "HEADERS with priority",
     send(frame(HEADERS, ES | EH | PRIO, 1, u32(0) + b"\xff" + GET)),
     response()),
    ("generic/3.5/1", "every SETTINGS parameter",
     send(frame(SETTINGS, 0, 0, settings((1, 4096), (2, 0), (3, 100),
                                         (4, 65535), (5, 16384),
                                         (6, 65536)))), settings_ack),
    ("generic/3.9/1", "WINDOW_UPDATE on the connection",
     send(frame(WINDOW_UPDATE, 0, 0, u32(1))), ping_ok),
    ("generic/4/1", "HEAD", send(frame(HEADERS, ES | EH, 1, block(b"HEAD"))),
     response()),
    ("generic/4/2", "POST with trailers",
     send(POST1, frame(DATA, 0, 1, b"test"),
          frame(HEADERS, ES | EH, 1, lit(b"x-trailer", b"1"))), response()),
    ("generic/5/1", "indexed and incrementally indexed fields",
     send(frame(HEADERS, ES | EH, 1, b"\x82\x86\x84\x41" + hstr(b"localhost")),
          frame(HEADERS, ES | EH, 3, b"\x82\x86\x84\xbe")), response(3)),
    ("generic/5/2", "never-indexed fields and a Huffman-coded value",
     send(frame(HEADERS, ES | EH, 1, b"\x82\x86\x84\x11\x8c\xf1\xe3\xc2\xe5"
                b"\xf2\x3a\x6b\xa0\xab\x90\xf4\xff")),
     response()),
    ("generic/5/3", "a table size update at the start of a block",
     send(frame(HEADERS, ES | EH, 1, b"\x20" + GET)), response()),
]


def run_case(port, case, timeout=3.0):
    """(passed, answer) of one case against 127.0.0.1:port."""
    _, _, steps, expect = case
    c = Conn(port, timeout)
    try:
        if steps is None:           # the preface itself is the case
            c.send(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n" + frame(SETTINGS, 0, 0))
        else:
            c.handshake()
            steps(c)
        return expect(c)
    finally:
        c.close()
