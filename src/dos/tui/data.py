"""What the desk shows, read through :mod:`dos.api`; the incremental cursors live here."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dos.api.decisions import Cursor, DecisionQueue
    from dos.api.top import TopCursor, TopFrame
    from dos.config import SubstrateConfig
    from dos.record.decisions import Resolution
    from dos.truth.plan_board import Board

__all__ = ["Clock", "DeskData", "iso_utc", "system_clock"]

Clock = Callable[[], datetime.datetime]


def system_clock() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def iso_utc(ms: int) -> str:
    """Epoch milliseconds as ``YYYY-MM-DDTHH:MM:SSZ``."""
    moment = datetime.datetime.fromtimestamp(ms // 1000, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class DeskData:
    """One workspace's desk: each call reads what changed since the previous one."""

    def __init__(self, config: SubstrateConfig, *, owner: str = "", everything: bool = False,
                 plan_pairs: Sequence[str] = (), plan_ref: str = "HEAD",
                 clock: Clock = system_clock) -> None:
        self.config = config
        self.owner = owner
        self.everything = everything  # decisions: every resolver, not only the human ones
        self.plan_pairs = tuple(plan_pairs)
        self.plan_ref = plan_ref
        self.clock = clock
        self.top_cursor: TopCursor | None = None  # what the last top frame read
        self.decisions_cursor: Cursor | None = None  # what the last queue read

    @property
    def workspace_name(self) -> str:
        return self.config.root.name or str(self.config.root)

    def now_text(self) -> str:
        return self.clock().astimezone(datetime.UTC).replace(microsecond=0).isoformat()

    def plan(self) -> Board:
        from dos.api.truth import plan_board

        return plan_board(self.config, pairs=self.plan_pairs, ref=self.plan_ref,
                          now=self.now_text())

    def top(self) -> TopFrame:
        from dos.api.top import frame

        current = frame(self.config, cursor=self.top_cursor, pending=self._waiting)
        self.top_cursor = current.cursor
        return current

    def _waiting(self) -> Counter[str]:
        """What ``dos top``'s pending column counts (the HUMAN queue's rows per lane), read
        on from the queue's cursor instead of afresh."""
        from dos.api.decisions import queue

        found = queue(self.config, cursor=self.decisions_cursor)
        self.decisions_cursor = found.cursor
        return Counter(row.lane for row in found.rows if row.lane)

    def decisions(self) -> DecisionQueue:
        from dos.api.decisions import queue

        found = queue(self.config, everything=self.everything, cursor=self.decisions_cursor)
        self.decisions_cursor = found.cursor
        return found

    def resolve(self, target: int | str, *, approve: bool, note: str) -> Resolution:
        from dos.api.decisions import resolve

        return resolve(self.config, target, approve=approve, note=note, owner=self.owner)
