"""Webhook receivers on loopback for the e2e tests: one that records requests and answers given
statuses (over http, or https with a certificate of a test CA: `TestCa`), and one that accepts
connections and never answers (a dead destination)."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class TestCa:
    """A certificate authority made for one test (in `folder`): ca.pem to trust, and a server
    certificate for localhost, 127.0.0.1, ::1 and the `extra_ips` (server.pem, server.key) that
    it signed."""

    def __init__(self, folder: Path, name: str = "Tickler test CA", extra_ips: tuple[str, ...] = ()):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
              .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                           key_encipherment=False, data_encipherment=False,
                                           key_agreement=False, key_cert_sign=True, crl_sign=True,
                                           encipher_only=False, decipher_only=False), critical=True)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
        key = ec.generate_private_key(ec.SECP256R1())
        leaf = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
                .issuer_name(ca_name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")] + [
                    x509.IPAddress(ipaddress.ip_address(ip))
                    for ip in dict.fromkeys(("127.0.0.1", "::1", *extra_ips))]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        self.ca_file = folder / "ca.pem"
        self.cert_file = folder / "server.pem"
        self.key_file = folder / "server.key"
        self.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        self.cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        self.key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                    serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))


class Receiver:
    """An HTTP server on loopback (IPv4, or IPv6 with family=AF_INET6) that records every request
    and answers the given statuses in turn (the last one for every further request); over https
    with tls=TestCa, on a given port with port=, on another IPv4 loopback address with host=
    (another destination host for the server's per-host bound), answering after `delay` seconds."""

    def __init__(self, statuses=(500, 200), family=socket.AF_INET, headers=None, tls: TestCa | None = None,
                 port: int = 0, delay: float = 0.0, host: str = "127.0.0.1"):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrived = time.time_ns() / 1_000_000
                n = len(receiver.requests)
                status = receiver.statuses[min(n, len(receiver.statuses) - 1)]
                receiver.requests.append({"at": arrived, "path": self.path, "headers": dict(self.headers),
                                          "body": body, "status": status})
                if delay:
                    time.sleep(delay)  # recorded on arrival, answered later
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            address_family = family
            allow_reuse_address = True
            daemon_threads = True

        host = "::1" if family == socket.AF_INET6 else host
        self.httpd = Server((host, port), Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert_file, tls.key_file)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        scheme = "https" if tls else "http"
        self.url = (f"{scheme}://[::1]:{self.port}/hooks/tickler" if family == socket.AF_INET6
                    else f"{scheme}://{host}:{self.port}/hooks/tickler")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class BlackHole:
    """Accepts every connection on `host` (127.0.0.1) and never answers nor closes it (until close())."""

    def __init__(self, host: str = "127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(128)
        self.sock.settimeout(0.2)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}/never"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self):
        self._stop.set()
        self.thread.join(timeout=2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()
