#!/usr/bin/python3
"""tls_client.py: the load generator for the handshake, resumption and idle-memory rows of
programs_bench.py. Python's ssl module on the system's OpenSSL 3, never preloaded.

  tls_client.py connect HOST PORT SECONDS VERSION NAGLE|NODELAY FULL|TICKET|SESSION_ID
      for SECONDS: a new TCP connection, a handshake (full, or resuming the previous session with
      a ticket or a TLS 1.2 session ID), GET /1k.bin, read the whole response, close. Prints one
      JSON line: connections, resumed, seconds, and the latency of each (connect to last byte)
      as p50/p99 in ms. Exits 1 if a connection that was meant to resume did not.
  tls_client.py idle HOST PORT COUNT
      opens COUNT connections, each with a completed request (keep-alive), prints "ready",
      waits for a line on stdin, closes them.
"""
import json
import socket
import ssl
import statistics
import sys
import time

REQUEST = b"GET /1k.bin HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
KEEPALIVE_REQUEST = b"GET /1k.bin HTTP/1.1\r\nHost: bench\r\n\r\n"


def context(version, kind):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    tls = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = tls
    ctx.maximum_version = tls
    if kind == "SESSION_ID":
        ctx.options |= ssl.OP_NO_TICKET  # the server falls back to its session cache
    return ctx


def one(ctx, host, port, nodelay, session):
    """One connection and request; returns (session, resumed)."""
    raw = socket.create_connection((host, port))
    if nodelay:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with ctx.wrap_socket(raw, session=session) as tls:
        tls.sendall(REQUEST)
        while tls.recv(65536):
            pass
        return tls.session, tls.session_reused


def connect(host, port, seconds, version, delay, kind):
    ctx = context(version, kind)
    nodelay = delay == "NODELAY"
    session = None
    if kind != "FULL":  # a first, full handshake for the session to resume
        session, _ = one(ctx, host, port, nodelay, None)
    latencies = []
    resumed = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        t0 = time.perf_counter()
        new_session, reused = one(ctx, host, port, nodelay, session if kind != "FULL" else None)
        latencies.append((time.perf_counter() - t0) * 1000)
        resumed += reused
        if kind == "TICKET" and new_session is not None:
            session = new_session  # TLS 1.3 tickets are for one use
    elapsed = time.monotonic() - start
    latencies.sort()
    print(json.dumps({
        "connections": len(latencies),
        "resumed": resumed,
        "seconds": elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }))
    if kind != "FULL" and resumed != len(latencies):
        print(f"tls_client: {len(latencies) - resumed} of {len(latencies)} did not resume",
              file=sys.stderr)
        return 1
    return 0


def idle(host, port, count):
    ctx = context("1.3", "FULL")
    conns = []
    for _ in range(count):
        tls = ctx.wrap_socket(socket.create_connection((host, port)))
        tls.sendall(KEEPALIVE_REQUEST)
        got = b""
        while b"\r\n\r\n" not in got or len(got) < 1024:
            got += tls.recv(65536)
        conns.append(tls)
    print("ready", flush=True)
    sys.stdin.readline()
    for tls in conns:
        tls.close()
    return 0


def main(argv):
    if len(argv) == 8 and argv[1] == "connect":
        return connect(argv[2], int(argv[3]), float(argv[4]), argv[5], argv[6], argv[7])
    if len(argv) == 5 and argv[1] == "idle":
        return idle(argv[2], int(argv[3]), int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
