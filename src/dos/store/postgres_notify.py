"""Follow new journal records as they commit: ``LISTEN dos_ops``.

Each append notifies ``<workspace_id>:<seq>`` (the new head) at commit; a reader
that sees one reads the journal after the last seq it saw. Notifications are a
wake-up, not the record: one missed while disconnected is found by that read.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import psycopg

from dos.errors import StoreError
from dos.store.postgres_schema import NOTIFY_CHANNEL
from dos.store.urls import redact_url, scrub
from dos.structs import struct

__all__ = ["OpNotice", "OpsListener", "listen"]


@struct
class OpNotice:
    """One committed append: the workspace and its new head seq."""

    workspace_id: str
    seq: int


def _parse(payload: str) -> OpNotice | None:
    workspace, _, seq = payload.rpartition(":")
    return OpNotice(workspace, int(seq)) if workspace and seq.isdigit() else None


class OpsListener:
    """A connection listening on ``dos_ops``; use it as a context manager."""

    def __init__(self, url: str, *, workspace_id: str | None = None) -> None:
        self.url = url
        self.workspace_id = workspace_id
        self._conn: psycopg.Connection[Any] | None = None

    def __enter__(self) -> OpsListener:
        try:
            self._conn = psycopg.connect(self.url, autocommit=True)
            self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            self.close()
            raise self._error(exc) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def wait(self, timeout_s: float, *, limit: int | None = None) -> list[OpNotice]:
        """Notices that arrive within ``timeout_s`` (at most ``limit`` of them), for
        this listener's workspace or, without one, for every workspace."""
        if self._conn is None:
            raise StoreError("the listener is not open", hint="use it in a `with` block")
        found: list[OpNotice] = []
        try:
            for notify in self._conn.notifies(timeout=timeout_s):
                notice = _parse(notify.payload)
                if notice and self.workspace_id in (None, notice.workspace_id):
                    found.append(notice)
                    if limit is not None and len(found) >= limit:
                        break
        except psycopg.Error as exc:
            self.close()
            raise self._error(exc) from None
        return found

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _error(self, exc: psycopg.Error) -> StoreError:
        shown, text = redact_url(self.url), str(exc).strip()
        detail = scrub(text.splitlines()[0], self.url) if text else type(exc).__name__
        return StoreError(f"cannot listen on the PostgreSQL store {shown}: {detail}",
                          hint=f"check that the server behind {shown} is running")


def listen(url: str, *, workspace_id: str | None = None) -> OpsListener:
    """A listener for committed appends: ``with listen(url, workspace_id=w) as ops:
    ops.wait(5.0)``. It starts listening on entering the block."""
    return OpsListener(url, workspace_id=workspace_id)
