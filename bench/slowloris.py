#!/usr/bin/env python3
"""bench/slowloris.py - slowloris against one server while a normal client
times its requests; run by bench/slowloris.sh, one target at a time.

    bench/slowloris.py PORT [SLOW] [SECS] [REQUESTS]

SLOW connections (5000) each send half a request head, then one more
header line every second; a connection the server closes is opened again
in the next round, as the slowloris tool does.  After the first round a
second process sends REQUESTS (200) whole requests, one new connection
each (`Connection: close`), one after the other, and prints their
statuses and latencies (connect to the last byte).  Prints one line:

    slow=N held=N normal: 200 x195 other x5 median 0.31 ms p99 2.1 ms max 9.8 ms
"""
import multiprocessing
import os
import resource
import socket
import statistics
import sys
import time

HEAD = b"GET / HTTP/1.1\r\nHost: x\r\n"
REQ = b"GET /small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        if hard != resource.RLIM_INFINITY and hard < n:
            if os.geteuid() != 0:
                n = hard
            else:
                hard = n
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, hard))


def slow_open(port):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    return s


def slow_round(port, conns, first):
    """Trickle a line on each (the head on a new one); reopen dead ones.
    Returns how many took the line."""
    held = 0
    for i, s in enumerate(conns):
        try:
            s.send(HEAD if first[i] else b"X-a: b\r\n")
            first[i] = False
            held += 1
        except (BlockingIOError, InterruptedError):
            pass            # still connecting, or the server is not reading
        except OSError:
            s.close()
            conns[i] = slow_open(port)
            first[i] = True
    return held


def normal(port, n, out):
    times, codes = [], {}
    for _ in range(n):
        t0 = time.monotonic()
        code = "error"
        try:
            with socket.create_connection(("127.0.0.1", port),
                                          timeout=2) as c:
                c.sendall(REQ)
                data = b""
                while True:
                    d = c.recv(65536)
                    if not d:
                        break
                    data += d
                code = data[9:12].decode() if data[:5] == b"HTTP/" \
                    else "none"
        except OSError:
            code = "timeout/reset"
        times.append((time.monotonic() - t0) * 1000)
        codes[code] = codes.get(code, 0) + 1
        time.sleep(0.02)
    out.put((times, codes))


def main():
    port = int(sys.argv[1])
    nslow = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    secs = float(sys.argv[3]) if len(sys.argv) > 3 else 8
    nreq = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    raise_nofile(nslow + 256)
    conns = [slow_open(port) for _ in range(nslow)]
    first = [True] * nslow
    slow_round(port, conns, first)
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=normal, args=(port, nreq, q))
    p.start()
    end = time.monotonic() + secs
    held = 0
    while p.is_alive() or time.monotonic() < end:
        time.sleep(1)
        held = slow_round(port, conns, first)
        if not p.is_alive() and time.monotonic() >= end:
            break
    times, codes = q.get()
    p.join()
    for s in conns:
        s.close()
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print("slow=%d held=%d normal: %s median %.2f ms p99 %.1f ms max "
          "%.1f ms" % (nslow, held, " ".join(
              "%s x%d" % kv for kv in sorted(codes.items())),
              statistics.median(times), p99, times[-1]))


if __name__ == "__main__":
    main()
