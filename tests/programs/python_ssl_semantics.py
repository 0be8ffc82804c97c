"""Behaviours of python3's ssl module that its own test_ssl relies on, client and server in one
process (both through the library under test), for run_python.sh.

usage: python_ssl_semantics.py CA_PEM SERVER_PEM SERVER_KEY
Prints one line per check, "pass NAME" or "fail NAME: what happened", and exits 1 if any failed.
Each check answers as plain OpenSSL 3 does; the names say what is expected.
"""
import socket
import ssl
import sys
import threading

TIMEOUT = 20


class Pair:
    """A server thread that accepts one connection and runs `serve` on it; the client's socket."""

    def __init__(self, server_ctx, client_ctx, serve, session=None):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(TIMEOUT)
        self.server_result = None
        self.thread = threading.Thread(target=self._run, args=(server_ctx, serve))
        self.thread.start()
        raw = socket.create_connection(self.listener.getsockname(), timeout=TIMEOUT)
        try:
            self.client = client_ctx.wrap_socket(raw, server_hostname="localhost", session=session)
        except BaseException:
            raw.close()
            self.thread.join(TIMEOUT)
            raise

    def _run(self, server_ctx, serve):
        conn = None
        try:
            raw, _ = self.listener.accept()
            raw.settimeout(TIMEOUT)
            conn = server_ctx.wrap_socket(raw, server_side=True)
            self.server_result = serve(conn)
        except Exception as e:  # the check compares it
            self.server_result = e
        finally:
            if conn is not None:
                conn.close()
            self.listener.close()

    def join(self):
        self.thread.join(TIMEOUT)
        return self.server_result


def contexts(ca, cert, key, max_tls=None):
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.load_verify_locations(ca)
    if max_tls is not None:
        client_ctx.maximum_version = max_tls
    return server_ctx, client_ctx


def check_ragged_eof_is_a_clean_close(ca, cert, key):
    # The client closes without close_notify; Python sets SSL_OP_IGNORE_UNEXPECTED_EOF, so the
    # server's read is b"" (SSL_ERROR_ZERO_RETURN with SSL_RECEIVED_SHUTDOWN), not an error.
    server_ctx, client_ctx = contexts(ca, cert, key)
    pair = Pair(server_ctx, client_ctx, lambda conn: conn.recv(1024))
    pair.client.close()
    got = pair.join()
    return got == b"", "the server's read gave %r" % (got,)


def check_unwrap_completes_when_the_peer_just_closes(ca, cert, key):
    # SSL_shutdown waiting for the peer's close_notify meets the end of the transport: 1.
    server_ctx, client_ctx = contexts(ca, cert, key)
    pair = Pair(server_ctx, client_ctx, lambda conn: conn.recv(1024))
    try:
        pair.client.unwrap().close()
        outcome = "completed"
    except Exception as e:
        outcome = "%s: %s" % (type(e).__name__, e)
    pair.join()
    return outcome == "completed", "unwrap(): " + outcome


def check_tls_unique_matches_on_both_sides(ca, cert, key):
    # SSL_get_finished / SSL_get_peer_finished at every version (TLS 1.3 too).
    results = []
    for max_tls in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        server_ctx, client_ctx = contexts(ca, cert, key, max_tls)
        pair = Pair(server_ctx, client_ctx,
                    lambda conn: (conn.recv(1), conn.get_channel_binding("tls-unique"))[1])
        mine = pair.client.get_channel_binding("tls-unique")
        pair.client.sendall(b"x")
        theirs = pair.join()
        pair.client.close()
        results.append((pair.client.version(), mine, theirs))
    ok = all(mine and mine == theirs for _, mine, theirs in results)
    return ok, "; ".join("%s: client %r server %r" % r for r in results)


def check_session_stats_count_accepts_and_hits(ca, cert, key):
    # SSL_CTX_sess_accept / SSL_CTX_sess_hits on the server's context: a TLS 1.2 handshake, then
    # one resuming its session.
    server_ctx, client_ctx = contexts(ca, cert, key, ssl.TLSVersion.TLSv1_2)
    session, reused = None, []
    for _ in range(2):
        pair = Pair(server_ctx, client_ctx, lambda conn: conn.recv(1), session)
        session = pair.client.session
        reused.append(pair.client.session_reused)
        pair.client.sendall(b"x")
        pair.join()
        pair.client.close()
    stats = server_ctx.session_stats()
    ok = reused == [False, True] and (stats["accept"], stats["accept_good"], stats["hits"]) == (
        2, 2, 1)
    return ok, "reused %s, server stats %r" % (reused, stats)


def check_server_sends_the_chain_built_from_its_store(ca, cert, key):
    # OpenSSL's automatic chain: a leaf without extra certificates goes out with the chain
    # X509_verify_cert builds from the context's store (here: leaf and CA).
    server_ctx, client_ctx = contexts(ca, cert, key)
    server_ctx.load_verify_locations(ca)
    pair = Pair(server_ctx, client_ctx, lambda conn: conn.recv(1))
    sent = len(pair.client._sslobj.get_unverified_chain())
    pair.client.sendall(b"x")
    pair.join()
    pair.client.close()
    return sent == 2, "the client received %d certificates" % sent


def check_servername_callback_exception_is_a_handshake_failure_alert(ca, cert, key):
    # Python answers SSL_TLSEXT_ERR_ALERT_FATAL with handshake_failure; the client's last error
    # is that alert's (BoringSSL's extra hint must not come after it).
    server_ctx, client_ctx = contexts(ca, cert, key)
    server_ctx.sni_callback = lambda *args: 1 / 0
    saved_hook = sys.unraisablehook
    sys.unraisablehook = lambda *args: None  # the ZeroDivisionError is expected
    try:
        Pair(server_ctx, client_ctx, lambda conn: None).join()
        return False, "the handshake succeeded"
    except ssl.SSLError as e:
        return e.reason == "SSLV3_ALERT_HANDSHAKE_FAILURE", "client: %r reason %s" % (e, e.reason)
    finally:
        sys.unraisablehook = saved_hook


def check_post_handshake_auth_on_tls12_is_wrong_ssl_version(ca, cert, key):
    # SSL_verify_client_post_handshake checks the version before anything else.
    server_ctx, client_ctx = contexts(ca, cert, key, ssl.TLSVersion.TLSv1_2)

    def serve(conn):
        try:
            conn.verify_client_post_handshake()
            return "accepted"
        except ssl.SSLError as e:
            return e.reason

    pair = Pair(server_ctx, client_ctx, serve)
    got = pair.join()
    pair.client.close()
    return got == "WRONG_SSL_VERSION", "the server's request gave %r" % (got,)


CHECKS = [
    check_ragged_eof_is_a_clean_close,
    check_unwrap_completes_when_the_peer_just_closes,
    check_tls_unique_matches_on_both_sides,
    check_session_stats_count_accepts_and_hits,
    check_server_sends_the_chain_built_from_its_store,
    check_servername_callback_exception_is_a_handshake_failure_alert,
    check_post_handshake_auth_on_tls12_is_wrong_ssl_version,
]


def main(argv):
    failures = 0
    for check in CHECKS:
        name = check.__name__[len("check_"):]
        try:
            ok, detail = check(*argv[1:4])
        except Exception as e:
            ok, detail = False, "%s: %s" % (type(e).__name__, e)
        print("pass %s" % name if ok else "fail %s: %s" % (name, detail), flush=True)
        failures += 0 if ok else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
