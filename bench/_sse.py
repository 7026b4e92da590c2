"""Many ``/events`` followers in one asyncio process, on raw sockets (an HTTP client per
stream would cost more than the server under test): each keeps, per ``change`` event,
the ops head it carried and the wall-clock time it arrived."""

from __future__ import annotations

import asyncio
import json
import time

__all__ = ["Follower", "open_followers"]


class Follower:
    """One open ``/events`` stream: its status and the (ops head, arrival) of each change."""

    def __init__(self) -> None:
        self.status = 0
        self.changes: list[tuple[int, float]] = []
        self.error = ""

    async def run(self, host: str, port: int, stop: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as error:
            self.error = repr(error)
            return
        writer.write(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        try:
            await self._read(reader, stop)
        except (OSError, asyncio.IncompleteReadError) as error:
            self.error = self.error or repr(error)
        finally:
            writer.close()

    async def _read(self, reader: asyncio.StreamReader, stop: asyncio.Event) -> None:
        status_line = await reader.readline()
        self.status = int(status_line.split()[1]) if status_line else 0
        name = ""
        while not stop.is_set():
            try:
                line = await asyncio.wait_for(reader.readline(), 0.5)
            except TimeoutError:
                continue
            if not line:
                return
            now = time.time()  # stamped before parsing: the delay is the server's
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            if text.startswith("event: "):
                name = text[len("event: "):]
            elif text.startswith("data: ") and name == "change":
                self.changes.append((int(json.loads(text[len("data: "):])["ops"] or 0), now))


async def open_followers(count: int, host: str, port: int,
                         stop: asyncio.Event) -> tuple[list[Follower], list[asyncio.Task[None]]]:
    """``count`` followers, opened one after another; they read until ``stop`` is set."""
    followers = [Follower() for _ in range(count)]
    tasks = []
    for follower in followers:
        tasks.append(asyncio.create_task(follower.run(host, port, stop)))
        await asyncio.sleep(0.005)  # a ramp, not a SYN flood: the backlog is finite
    return followers, tasks
