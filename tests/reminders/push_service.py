"""A real Web Push service on loopback, for tests and the benchmark.

It does what a push service and a browser together do with a push message: it checks the VAPID
signature (RFC 8292: an ES256 JWT whose audience is this origin, not expired, with a contact,
signed by the key in `k=`), and the "browser" decrypts the aes128gcm body (RFC 8291) with its own
private key and auth secret, exactly as Chromium would. What arrives is kept for the test to read.

Each `Browser` is a subscription: its endpoint, and keys made the way a browser makes them.
`respond_with` makes the service answer a browser's pushes with another status (410 for a
subscription that is gone, 500 or 429 for a busy service). `verify=False` skips the checks (a
fast mode, which measures the sender, not the receiver); `delay` makes every answer take that many
seconds, like a distant push service, so a test can catch a sender in the middle of a batch.

`serve_counting()` is the cheapest push service there is, for the benchmark: an asyncio server,
run in a process of its own (`python -m tests.reminders.push_service --counting`), that answers
every POST with 201 and counts the POSTs per `Topic` header, so duplicates can be told apart.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Browser:
    """A push subscription, with the keys a browser would make for it."""

    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: __import__("os").urandom(16))

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                         serialization.PublicFormat.UncompressedPoint)
        return b64url(raw)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass
class Received:
    browser_id: str
    payload: dict | None
    headers: dict
    at: float
    problem: str = ""
    peer: tuple = ()  # the sender's address and port: one connection per sending process


class VapidProblem(Exception):
    pass


def verify_vapid(authorization: str, origin: str) -> dict:
    """Check `vapid t=<jwt>, k=<key>`; return the JWT's claims or raise VapidProblem."""
    if not authorization.startswith("vapid "):
        raise VapidProblem(f"not a vapid authorization: {authorization[:20]!r}")
    parts = dict(part.strip().split("=", 1) for part in authorization[len("vapid "):].split(","))
    token, key = parts.get("t", ""), parts.get("k", "")
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    if header.get("alg") != "ES256":
        raise VapidProblem(f"algorithm {header.get('alg')!r}")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    raw = b64url_decode(signature_b64)
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public_key.verify(signature, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise VapidProblem("bad signature") from exc
    claims = json.loads(b64url_decode(claims_b64))
    if claims.get("aud") != origin:
        raise VapidProblem(f"audience {claims.get('aud')!r}, expected {origin!r}")
    if int(claims.get("exp", 0)) < time.time() or int(claims["exp"]) > time.time() + 24 * 3600:
        raise VapidProblem("expired or more than 24 hours ahead")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise VapidProblem("no contact in sub")
    return {"claims": claims, "key": key}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A sender that was killed mid-request (as the worker tests do) is no problem of ours.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class PushService:
    def __init__(self, verify: bool = True, delay: float = 0.0):
        self.verify = verify
        self.delay = delay
        self.browsers: dict[str, Browser] = {}
        self.received: list[Received] = []
        self.responses: dict[str, list[int]] = {}
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        # shutdown() waits until serve_forever next looks up; its default half second, paid by
        # every test that stops a push service, added up to seconds.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def new_browser(self, browser_id: str | None = None) -> Browser:
        browser_id = browser_id or f"b{len(self.browsers) + 1}"
        browser = Browser(browser_id, f"{self.origin}/push/{browser_id}")
        self.browsers[browser_id] = browser
        return browser

    def add_browser(self, browser: Browser) -> None:
        self.browsers[browser.id] = browser

    def respond_with(self, browser_id: str, *statuses: int) -> None:
        """The next pushes to this browser get these statuses, in turn (then 201 again)."""
        self.responses[browser_id] = list(statuses)

    def payloads(self, browser_id: str | None = None) -> list[dict]:
        with self.lock:
            return [r.payload for r in self.received
                    if r.payload is not None and (browser_id is None or r.browser_id == browser_id)]

    def problems(self) -> list[str]:
        with self.lock:
            return [r.problem for r in self.received if r.problem]

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                browser_id = self.path.rsplit("/", 1)[-1]
                if service.delay:
                    time.sleep(service.delay)
                status, received = service._receive(browser_id, {k.lower(): v for k, v in self.headers.items()}, body)
                with service.lock:
                    if received is not None:
                        received.peer = self.client_address
                        service.received.append(received)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def _receive(self, browser_id: str, headers: dict, body: bytes) -> tuple[int, Received | None]:
        with self.lock:
            queued = self.responses.get(browser_id)
            forced = queued.pop(0) if queued else None
        if forced is not None and forced >= 300:
            return forced, None
        browser = self.browsers.get(browser_id)
        if browser is None:
            return 404, None
        if not self.verify:
            return 201, Received(browser_id, {"size": len(body)}, headers, time.time())
        try:
            if headers.get("content-encoding") != "aes128gcm":
                raise VapidProblem(f"content encoding {headers.get('content-encoding')!r}")
            if "ttl" not in headers:
                raise VapidProblem("no TTL header")
            verify_vapid(headers.get("authorization", ""), self.origin)
            plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth_secret,
                                     version="aes128gcm")
            return 201, Received(browser_id, json.loads(plain), headers, time.time())
        except Exception as exc:  # noqa: BLE001 - every problem is reported to the test
            return 400, Received(browser_id, None, headers, time.time(), problem=f"{type(exc).__name__}: {exc}")


class _CountingProtocol(asyncio.Protocol):
    """HTTP/1.1 keep-alive, parsed just enough: the head, Content-Length and Topic."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        self.buffer = b""
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1").split("\r\n")
            fields = {}
            for line in head[1:]:
                name, _sep, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
            length = int(fields.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return  # the rest of the body is still on its way
            self.buffer = self.buffer[end + 4 + length:]
            method, path = head[0].split(" ")[:2]
            if method == "GET" and path == "/counts":
                body = json.dumps(self.counts).encode()
                self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
                continue
            topic = fields.get("topic", "")
            self.counts[topic] = self.counts.get(topic, 0) + 1
            self.transport.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")


def serve_counting(port: int = 0) -> None:
    """Answer every POST with 201 and count them per Topic; GET /counts returns the counts as JSON.
    Prints the port it listens on, then serves until killed."""

    async def main() -> None:
        counts: dict[str, int] = {}
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _CountingProtocol(counts), "127.0.0.1", port)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A loopback push service for the benchmark.")
    parser.add_argument("--counting", action="store_true", help="the cheap counting service (the only mode)")
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args()
    if not arguments.counting:
        sys.exit("only --counting can run on its own")
    serve_counting(arguments.port)
