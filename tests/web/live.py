"""A real uvicorn server in a thread, and a reader of its event stream in another."""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from starlette.applications import Starlette

from dos.web.server import WebServer


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """The app served on a free loopback port until the block ends; yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = WebServer(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.stop()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the server did not stop"
        sock.close()


class EventReader:
    """Reads ``/events`` in a thread; :meth:`next` returns the next (name, data)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.status = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers or {}),
                                        daemon=True)
        self._thread.start()

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            self._follow(url, headers)
        except httpx.HTTPError as error:  # the server going away ends the stream
            if not self._stop.is_set():
                self.events.put(("reader-error", {"ops": None, "error": repr(error)}))

    def _follow(self, url: str, headers: dict[str, str]) -> None:
        with httpx.stream("GET", url + "/events", headers=headers,
                          timeout=httpx.Timeout(10.0, read=None)) as answer:
            self.status = answer.status_code
            name = ""
            for line in answer.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith("event: "):
                    name = line[len("event: "):]
                elif line.startswith("data: "):
                    self.events.put((name, json.loads(line[len("data: "):])))

    def next(self, timeout: float = 10.0) -> tuple[str, Any]:
        return self.events.get(timeout=timeout)

    def until(self, name: str, ops: int, timeout: float = 10.0) -> tuple[str, Any]:
        """The first ``name`` event whose ops head is at least ``ops``."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.next(max(0.01, deadline - time.monotonic()))
            assert found[0] != "reader-error", found
            if found[0] == name and (found[1]["ops"] or 0) >= ops:
                return found

    def close(self) -> None:
        """Stop reading; the thread ends at the next event or when the server stops."""
        self._stop.set()
