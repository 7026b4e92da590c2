"""Local stand-ins for remote services: an HTTP server that records every request and
answers from a script, and a bound UDP socket. Loopback only."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


# (request) → (status, content type, body)
Answer = Callable[[Request], tuple[int, str, bytes]]


def ok_json(payload: Any, status: int = 200) -> Answer:
    return lambda _request: (status, "application/json", json.dumps(payload).encode())


@dataclass
class Receiver:
    """What a running server received, and how it answers (change ``answer`` any time)."""

    url: str
    answer: Answer
    requests: list[Request] = field(default_factory=list)
    errors: int = 0  # requests whose handler failed (the client left early)

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]


@contextmanager
def http_receiver(answer: Answer) -> Iterator[Receiver]:
    """A threaded HTTP server on 127.0.0.1 (a free port), stopped afterwards."""
    receiver = Receiver("", answer)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0") or 0)
            request = Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()},
                              self.rfile.read(length))
            with lock:
                receiver.requests.append(request)
            status, kind, body = receiver.answer(request)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            return  # keep the test output clean

    class Server(ThreadingHTTPServer):
        # Join the handler threads on close, and keep a handler's failure (a client that
        # left, as the timeout tests make it) out of stderr: printed from a thread after
        # this test ended, it landed in another test's captured stderr.
        daemon_threads = False
        block_on_close = True

        def handle_error(self, _request: Any, _client_address: Any) -> None:
            with lock:
                receiver.errors += 1

    server = Server(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def udp_receiver() -> Iterator[socket.socket]:
    """A UDP socket bound on 127.0.0.1 (a free port), with a short read timeout."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2.0)
    try:
        yield sock
    finally:
        sock.close()


def datagrams(sock: socket.socket, count: int) -> list[str]:
    """The next ``count`` datagrams received, as text."""
    return [sock.recv(65_535).decode("utf-8") for _ in range(count)]


def closed_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
