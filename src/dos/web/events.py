"""``/events``: server-sent events from the server's one watcher. ``hello`` on
connecting, ``change`` whenever the store's journal heads move, ``tick`` every
``TICK_S`` (ages and expiries move with the clock alone); each carries the heads as
``{"ops": N, "verdicts": M}`` and, when the store cannot be read, its ``problem``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from dos.errors import DosError
from dos.web.watch import Heads, Watcher

__all__ = ["TICK_S", "event_stream", "events"]

TICK_S = 15.0
STEP_S = 0.5  # how soon an open stream notices the server is shutting down


def _event(name: str, heads: Heads | None, problem: str) -> str:
    ops, verdicts = heads or (None, None)
    data = {"ops": ops, "verdicts": verdicts} | ({"problem": problem} if problem else {})
    return f"event: {name}\ndata: {json.dumps(data, sort_keys=True)}\n\n"


async def event_stream(watcher: Watcher, queue: asyncio.Queue[Heads],
                       tick_s: float = TICK_S) -> AsyncIterator[str]:
    try:
        yield "retry: 2000\n\n"
        yield _event("hello", watcher.heads, watcher.problem)
        quiet = 0.0
        while not watcher.closing:  # a stream left open would hold up the shutdown
            try:
                heads = await asyncio.wait_for(queue.get(), min(STEP_S, tick_s))
            except TimeoutError:
                quiet += min(STEP_S, tick_s)
                if quiet >= tick_s:
                    quiet = 0.0
                    yield _event("tick", watcher.heads, watcher.problem)
                continue
            yield _event("change", heads, watcher.problem)
    finally:
        watcher.unsubscribe(queue)


async def events(request: Request) -> Response:
    watcher: Watcher = request.app.state.watcher
    try:
        queue = watcher.subscribe()
    except DosError as error:
        return Response(error.message + "\n", status_code=503, media_type="text/plain")
    return StreamingResponse(event_stream(watcher, queue, request.app.state.tick_s),
                             media_type="text/event-stream",
                             headers={"x-accel-buffering": "no"})
