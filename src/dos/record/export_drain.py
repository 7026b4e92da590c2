"""One export run: read the events after a cursor, hand them to an exporter a page at a
time, and move the stored cursor only past what a real transport took.

The cursor of each transport lives in the store (memory ``export-cursor/<transport>``),
so ``--since auto`` resumes where the last delivery ended on any machine sharing the
store. An explicit ``--since SEQ`` is a one-off replay and leaves the cursor alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from dos.config import SubstrateConfig
from dos.errors import StoreError
from dos.record.export_source import read_events
from dos.record.exporters import Exporter, ExportResult, safe_export
from dos.record.verdict_event import VerdictEvent
from dos.store import reading, writing
from dos.store.protocol import StoreTx
from dos.structs import struct

__all__ = ["CURSOR_NAMESPACE", "Drain", "drain", "read_cursor"]

CURSOR_NAMESPACE = "export-cursor"


@struct
class Drain:
    """What one run found and did. ``cursor_after`` is the stored cursor afterwards."""

    transport: str
    since: int
    auto: bool
    pending: int
    result: ExportResult
    dry_run: bool
    real: bool
    cursor_before: int
    cursor_after: int

    @property
    def cursor_saved(self) -> bool:
        return self.cursor_after != self.cursor_before


def _cursor(tx: StoreTx, transport: str) -> int:
    value = tx.recall(CURSOR_NAMESPACE, transport)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StoreError(f"the export cursor of {transport!r} holds {value!r}, not a seq",
                         hint=f"export with --since SEQ meanwhile; the store's memory row "
                         f"{CURSOR_NAMESPACE}/{transport} needs a non-negative integer")
    return value


def read_cursor(config: SubstrateConfig, transport: str) -> int:
    """The stored cursor of ``transport`` (0 when none or no store). Reads only."""
    with reading(config) as tx:
        return 0 if tx is None else _cursor(tx, transport)


def _save(config: SubstrateConfig, transport: str, seq: int) -> int:
    with writing(config) as tx:
        current = _cursor(tx, transport)
        if seq > current:  # never backwards, even when two exports race
            tx.remember(CURSOR_NAMESPACE, transport, seq)
        return max(seq, current)


def _pages(config: SubstrateConfig, after: int, tail: int | None
           ) -> Iterator[list[VerdictEvent]]:
    newest: deque[VerdictEvent] = deque(maxlen=tail)
    while True:
        with reading(config) as tx:
            page = [] if tx is None else read_events(tx, after_seq=after)
        if not page:
            break
        after = page[-1].seq
        if tail is None:
            yield page
        else:
            newest.extend(page)
    if newest:
        yield list(newest)


def drain(config: SubstrateConfig, exporter: Exporter, *, since: int | None,
          tail: int | None = None, dry_run: bool = False) -> Drain:
    """Export every event after ``since`` (None: after the stored cursor)."""
    transport, real = exporter.name, exporter.name != "null"
    before = read_cursor(config, transport)
    start = before if since is None else since
    pending, exported, through, after, batches = 0, 0, 0, before, 0
    last, failure = ExportResult(0, "nothing pending", acknowledged=True), None
    for page in _pages(config, start, tail):
        pending += len(page)
        if dry_run or not real or failure is not None:
            continue  # count what waits; ship nothing more after a failure
        last, batches = safe_export(exporter, page), batches + 1
        exported += last.exported
        if last.exported:
            through = max(through, min(last.cursor, page[-1].seq))
            after = _save(config, transport, through) if since is None else after
        if last.exported < len(page):
            failure = last
    result = failure or last
    detail = result.detail if batches < 2 else f"{batches} batches, the last: {result.detail}"
    return Drain(transport, start, since is None, pending,
                 ExportResult(exported, detail, through, result.acknowledged),
                 dry_run, real, before, after)
