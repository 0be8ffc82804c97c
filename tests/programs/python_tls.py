"""Debian's python3 ssl module as TLS client and server, for run_python.sh.

usage:
  python_tls.py server PORT_FILE CERT KEY CONNECTIONS
      SSLContext.wrap_socket(server_side=True), blocking; serves CONNECTIONS connections.
  python_tls.py client PORT CAFILE HOSTNAME STYLE [MAX_TLS]
      STYLE: blocking (create_default_context + wrap_socket), nonblocking (an SSLSocket in
      non-blocking mode driven by select), memorybio (SSLObject over two MemoryBIOs and a plain
      socket). MAX_TLS: 1.2 or 1.3 (default: the library's maximum).

Exchange on every connection: the client sends an 8-byte length and that many random bytes; the
server answers the SHA-256 of what it received, the SHA-256 of its own payload, an 8-byte length
and the payload. Each side checks the digests, so the bytes are verified in both directions.
The client prints one line: "ok <version> <cipher>" or "error <exception class>: <message>".
"""
import hashlib
import os
import select
import socket
import ssl
import struct
import sys

PAYLOAD = 4 << 20
TIMEOUT = 20


def serve(port_file, cert, key, connections):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(TIMEOUT)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % listener.getsockname()[1])
    os.rename(port_file + ".tmp", port_file)
    with ctx.wrap_socket(listener, server_side=True) as tls_listener:
        for _ in range(connections):
            try:
                serve_one(tls_listener)
            except (ssl.SSLError, OSError, EOFError) as e:  # a client that refused us, say
                print("failed %s: %s" % (type(e).__name__, e), flush=True)


def serve_one(tls_listener):
    conn, _ = tls_listener.accept()  # the handshake happens here
    conn.settimeout(TIMEOUT)
    with conn:
        received = read_exact(conn.recv, struct.unpack("!Q", read_exact(conn.recv, 8))[0])
        payload = os.urandom(PAYLOAD)
        conn.sendall(hashlib.sha256(received).digest() + hashlib.sha256(payload).digest() +
                     struct.pack("!Q", len(payload)) + payload)
        print("served %s %s" % (conn.version(), conn.cipher()[0]), flush=True)
        conn.unwrap()


def read_exact(recv, n):
    chunks, got = [], 0
    while got < n:
        chunk = recv(min(n - got, 1 << 16))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (got, n))
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def check_answer(read, payload):
    digest_of_ours, digest_of_theirs = read(32), read(32)
    if digest_of_ours != hashlib.sha256(payload).digest():
        raise AssertionError("the server's digest of our payload differs")
    theirs = read(struct.unpack("!Q", read(8))[0])
    if hashlib.sha256(theirs).digest() != digest_of_theirs:
        raise AssertionError("the server's payload arrived changed")


def client_context(cafile, max_tls):
    ctx = ssl.create_default_context(cafile=cafile)  # CERT_REQUIRED and check_hostname
    if max_tls == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif max_tls == "1.3":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx


def run_blocking(ctx, port, hostname, payload):
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname=hostname) as tls:
            tls.sendall(struct.pack("!Q", len(payload)) + payload)
            check_answer(lambda n: read_exact(tls.recv, n), payload)
            return tls.version(), tls.cipher()[0]


def wait(sock, want_write):
    r, w, _ = select.select([] if want_write else [sock], [sock] if want_write else [], [],
                            TIMEOUT)
    if not r and not w:
        raise TimeoutError("no progress for %d s" % TIMEOUT)


def run_nonblocking(ctx, port, hostname, payload):
    raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    tls = ctx.wrap_socket(raw, server_hostname=hostname, do_handshake_on_connect=False)
    tls.setblocking(False)
    wants = {"read": 0, "write": 0}

    def retry(op, *args):
        while True:
            try:
                return op(*args)
            except ssl.SSLWantReadError:
                wants["read"] += 1
                wait(tls, False)
            except ssl.SSLWantWriteError:
                wants["write"] += 1
                wait(tls, True)

    with tls:
        retry(tls.do_handshake)
        data = memoryview(struct.pack("!Q", len(payload)) + payload)
        while data:
            data = data[retry(tls.send, data):]
        check_answer(lambda n: read_exact(lambda k: retry(tls.recv, k), n), payload)
        if wants["read"] == 0:
            raise AssertionError("a non-blocking socket never saw SSLWantReadError")
        return tls.version(), tls.cipher()[0]


def run_memorybio(ctx, port, hostname, payload):
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname=hostname)
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:

        def flush():
            pending = outgoing.read()
            if pending:
                raw.sendall(pending)

        def pump(op, *args):
            while True:
                try:
                    result = op(*args)
                    flush()
                    return result
                except ssl.SSLWantReadError:
                    flush()
                    chunk = raw.recv(1 << 16)
                    if not chunk:
                        incoming.write_eof()
                    else:
                        incoming.write(chunk)

        pump(obj.do_handshake)
        data = memoryview(struct.pack("!Q", len(payload)) + payload)
        while data:
            data = data[pump(obj.write, data):]
        check_answer(lambda n: read_exact(lambda k: pump(obj.read, k), n), payload)
        return obj.version(), obj.cipher()[0]


def main(argv):
    if argv[1] == "server":
        serve(argv[2], argv[3], argv[4], int(argv[5]))
        return 0
    port, cafile, hostname, style = int(argv[2]), argv[3], argv[4], argv[5]
    max_tls = argv[6] if len(argv) > 6 else ""
    runner = {"blocking": run_blocking, "nonblocking": run_nonblocking,
              "memorybio": run_memorybio}[style]
    try:
        version, cipher = runner(client_context(cafile, max_tls), port, hostname,
                                 os.urandom(PAYLOAD))
    except Exception as e:  # the test compares the failure with the expected one
        print("error %s: %s" % (type(e).__name__, e), flush=True)
        return 1
    print("ok %s %s" % (version, cipher), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
