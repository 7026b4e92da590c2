"""One watcher per server: it learns that the store changed and tells every open page.

The store's change is its journal heads (the ops journal's and the verdict journal's
last seq). SQLite is polled with one cheap read every ``interval_s``; PostgreSQL wakes
the watcher through ``LISTEN dos_ops`` at each committed append, and is polled too,
more slowly, for the verdict journal (which does not notify) and across a lost
connection. Subscribers get the newest heads only: a slow page skips versions, never
queues them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable

from dos.config import SubstrateConfig
from dos.errors import DosError, StoreError

__all__ = ["MAX_SUBSCRIBERS", "Heads", "PgWaker", "Watcher", "store_heads", "watcher_for"]

Heads = tuple[int, int]  # (ops journal seq, verdict journal seq)
MAX_SUBSCRIBERS = 1024  # 200 followers measured at ≈ 40 MiB (bench/serve.py)
PG_POLL_S = 2.0


def store_heads(config: SubstrateConfig) -> Heads:
    """The journals' heads now; (0, 0) while there is no store (nothing is created)."""
    from dos.record.decisions.reader import heads
    from dos.store import reading

    with reading(config) as tx:
        if tx is None:
            return (0, 0)
        found = heads(tx)
        return (found.ops, found.verdicts)


class PgWaker:
    """``wait(timeout)`` returns at the next notice for this workspace, or at the timeout;
    a broken connection is reopened on the next call (the poll covers the gap). It
    waits in short slices, so closing it never waits for a whole poll."""

    SLICE_S = 0.5

    def __init__(self, url: str, workspace_id: str) -> None:
        from dos.store.postgres_notify import OpsListener

        self._listener = OpsListener(url, workspace_id=workspace_id)
        self._open = self._closing = False
        self._busy = threading.Lock()

    def __call__(self, timeout_s: float) -> None:
        with self._busy:
            try:
                self._wait(time.monotonic() + timeout_s)
            finally:
                if self._closing:
                    self._listener.close()

    def _wait(self, deadline: float) -> None:
        while not self._closing and time.monotonic() < deadline:
            try:
                if not self._open:
                    self._listener.__enter__()
                    self._open = True
                slice_s = min(self.SLICE_S, max(0.0, deadline - time.monotonic()))
                if self._listener.wait(slice_s, limit=1):
                    return
            except StoreError:
                self._open = False
                time.sleep(max(0.0, min(deadline - time.monotonic(), self.SLICE_S * 4)))
                raise

    def close(self) -> None:
        self._closing = True
        if self._busy.acquire(blocking=False):  # else the waiting call closes it
            try:
                self._listener.close()
            finally:
                self._busy.release()


class Watcher:
    """Probes the store between waits and offers each new head to every subscriber."""

    def __init__(self, probe: Callable[[], Heads], *, interval_s: float = 0.3,
                 waker: PgWaker | None = None) -> None:
        self.probe, self.interval_s, self.waker = probe, interval_s, waker
        self.heads: Heads | None = None
        self.problem = ""
        self.closing = False  # set when the server shuts down: the event streams end
        self._subscribers: set[asyncio.Queue[Heads]] = set()
        self._task: asyncio.Task[None] | None = None

    def subscribe(self) -> asyncio.Queue[Heads]:
        """A queue holding the newest heads not yet taken; starts the watcher."""
        if len(self._subscribers) >= MAX_SUBSCRIBERS:
            raise StoreError(f"{MAX_SUBSCRIBERS} pages are already following the store",
                             hint="close a tab, or reload later")
        queue: asyncio.Queue[Heads] = asyncio.Queue(maxsize=1)
        self._subscribers.add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Heads]) -> None:
        self._subscribers.discard(queue)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.waker is not None:
            self.waker.close()

    def publish(self, heads: Heads) -> None:
        self.heads = heads
        for queue in self._subscribers:
            if queue.full():
                queue.get_nowait()  # drop the older head: only the newest matters
            queue.put_nowait(heads)

    async def _run(self) -> None:
        while True:
            try:
                heads = await asyncio.to_thread(self.probe)
                self.problem = ""
            except DosError as error:  # shown to the pages; the next round tries again
                heads, self.problem = self.heads or (0, 0), error.message
            if heads != self.heads:
                self.publish(heads)
            await self._wait()

    async def _wait(self) -> None:
        if self.waker is None:
            await asyncio.sleep(self.interval_s)
            return
        try:
            await asyncio.to_thread(self.waker, PG_POLL_S)
        except DosError as error:
            self.problem = error.message


def watcher_for(config: SubstrateConfig, *, interval_s: float = 0.3) -> Watcher:
    """The watcher of the workspace's store: LISTEN/NOTIFY for PostgreSQL, else polling."""
    from functools import partial

    from dos.store import store_for, store_url

    url, waker = store_url(config), None
    if url.startswith(("postgresql://", "postgres://")):
        store = store_for(config)
        waker = PgWaker(url, str(getattr(store, "workspace_id", "")))
        store.close()
    return Watcher(partial(store_heads, config), interval_s=interval_s, waker=waker)
