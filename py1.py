import ssl, socket
ctx = ssl.create_default_context(cafile="cert.pem")
with socket.create_connection(("127.0.0.1", 14440)) as s:
    with ctx.wrap_socket(s, server_hostname="localhost") as t:
        print(t.version(), t.cipher())
        t.sendall(b"GET / HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            d = t.recv(65536)
            if not d: break
            data += d
        print(len(data), data[:40])
