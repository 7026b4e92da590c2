"""``dos top``: what is running, judged from the current leases only (CLI, MCP, notify)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypedDict, cast

from dos.admission.holder import iso_utc
from dos.config import SubstrateConfig
from dos.git.changes import Change
from dos.render import with_schema
from dos.store.verdicts import VerdictRecord
from dos.structs import field, struct
from dos.temporal.liveness import LivenessPolicy
from dos.temporal.top_frame import Chip, LaneRow, Sources, Totals, fold
from dos.temporal.top_gather import ACTIVITY, TopCursor, gather

__all__ = ["RECENT_VERDICTS", "Chip", "LaneRow", "TopCursor", "TopFrame", "TopJSON", "Totals",
           "frame", "top_json"]

RECENT_VERDICTS = 20


class TopJSON(TypedDict):
    """``dos top --json``: the reference's fields (workspace, now, initialized, lanes,
    verdicts, activity) and totals, the time in ms, the cursor and git's trouble if any."""

    workspace: str
    now: str
    now_ms: int
    initialized: bool
    lanes: list[dict[str, Any]]
    totals: dict[str, int]
    verdicts: list[dict[str, Any]]
    activity: list[dict[str, Any]]
    cursor: dict[str, int]
    git_note: str
    schema: dict[str, Any]


@struct
class TopFrame:
    """One frame of the operator's desk. ``verdicts``: the newest verdict-journal records,
    newest first; ``activity``: the newest commits of HEAD; ``cursor``: pass it to the
    next :func:`frame` so it reads only what is newer."""

    workspace: str
    now_ms: int
    initialized: bool
    lanes: list[LaneRow]
    totals: Totals
    verdicts: list[VerdictRecord] = field(default_factory=list)
    activity: list[Change] = field(default_factory=list)
    cursor: TopCursor = field(default_factory=TopCursor)
    git_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace, "now": iso_utc(self.now_ms), "now_ms": self.now_ms,
            "initialized": self.initialized, "lanes": [row.to_dict() for row in self.lanes],
            "totals": self.totals.to_dict(),
            "verdicts": [_verdict(record) for record in self.verdicts],
            "activity": [{"sha": change.sha, "subject": change.subject,
                          "committed_ms": change.committed_ms} for change in self.activity],
            "cursor": {"verdict_seq": self.cursor.verdict_seq,
                       "journal_seq": self.cursor.journal_seq},
            "git_note": self.git_note}


def _verdict(record: VerdictRecord) -> dict[str, Any]:
    return {"seq": record.seq, "ts_ms": record.ts_ms, "ts": iso_utc(record.ts_ms),
            "syscall": record.syscall, "verdict": record.verdict, "source": record.source,
            "subject": record.subject, "run_id": record.run_id, "lane": record.lane,
            "detail": dict(record.detail)}


def frame(config: SubstrateConfig, *, cursor: TopCursor | None = None,
          pending: Callable[[], Mapping[str, int]] | None = None) -> TopFrame:
    """The desk now. Reads only (a workspace without a store is ``initialized: false``,
    every lane free). ``pending`` returns the number of decisions waiting per lane; by
    default the rows of ``dos decisions`` (the HUMAN queue) counted by lane. StoreError
    when the store cannot be read."""
    policy = LivenessPolicy.from_settings(config.liveness)
    found = gather(config, cursor, window_ms=policy.window_ms)
    sources = Sources(
        now_ms=found.now_ms, lanes=config.lanes, policy=policy, leases=found.leases,
        ended=found.ended, history=found.history, verdicts=found.cursor.verdicts,
        attempts=found.cursor.attempts, spawns=found.cursor.spawns, alive=found.alive,
        pending=(pending or partial(pending_by_lane, config))())
    rows, totals = fold(sources)
    return TopFrame(
        workspace=str(config.root), now_ms=found.now_ms, initialized=found.initialized,
        lanes=list(rows), totals=totals,
        verdicts=list(found.cursor.verdicts[:RECENT_VERDICTS]),
        activity=list((found.history or ())[:ACTIVITY]), cursor=found.cursor,
        git_note=found.git_note)


def pending_by_lane(config: SubstrateConfig) -> Mapping[str, int]:
    """How many rows of the decisions queue (what ``dos decisions`` lists) name each lane."""
    from dos.api.decisions import queue

    return Counter(row.lane for row in queue(config).rows if row.lane)


def top_json(found: TopFrame) -> TopJSON:
    return cast(TopJSON, with_schema(found.to_dict(), "top"))
