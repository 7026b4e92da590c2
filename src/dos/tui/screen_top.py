"""The top screen: every lane with its holder and liveness chip, recent verdicts, commits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from dos.tui._cells import Cell, age, refill, styled
from dos.tui._screen import DeskScreen
from dos.tui.data import DeskData, iso_utc

if TYPE_CHECKING:
    from dos.api.top import LaneRow, TopFrame

__all__ = ["TopScreen", "lane_detail"]

_COLUMNS = ("lane", "chip", "holder", "lease", "heartbeat", "commits", "pending", "why")
_SHOWN_VERDICTS = 5


def _key(lane: LaneRow) -> str:
    return f"{lane.lane}#{lane.lease_id or ''}"


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def _cells(lane: LaneRow) -> list[Cell]:
    name = ("*" if lane.is_exclusive else " ") + lane.lane
    return [name, styled(str(lane.chip)), lane.holder or "-", age(lane.lease_age_ms),
            age(lane.heartbeat_age_ms),
            "-" if lane.lease_id is None else _count(lane.commits_since_grant),
            str(lane.pending_decisions or "-"), lane.liveness_reason]


def lane_detail(lane: LaneRow) -> Text:
    """The drill-in for one lane: its lease and why the liveness chip says what it says."""
    lines = [f"{lane.lane}   {lane.chip}{'   (exclusive)' if lane.is_exclusive else ''}",
             f"  holder     {lane.holder or '(none)'}"]
    if lane.lease_id is not None:
        lines += [f"  lease      #{lane.lease_id}, held {age(lane.lease_age_ms)}, "
                  f"heartbeat {age(lane.heartbeat_age_ms)} ago"
                  + (" (expired, never released)" if lane.expired else ""),
                  f"  run        {lane.run_id or '-'}   loop {lane.loop_ts or '-'}",
                  f"  commits    {_count(lane.commits_since_grant)} in its tree since the grant"]
    lines += [f"  pending    {lane.pending_decisions} decision(s)",
              f"  why        {lane.liveness_reason or '-'}"]
    if lane.run_id:
        lines.append(f"  check      dos liveness --run-id {lane.run_id}")
    return Text("\n".join(lines))


def _verdicts(top: TopFrame) -> Text:
    lines = ["RECENT VERDICTS  [the verdict journal — dos observe]"]
    lines += [f"  {age(top.now_ms - r.ts_ms):>4} ago  {r.syscall:<12} {r.verdict:<14} "
              f"{r.lane or r.subject}" for r in top.verdicts[:_SHOWN_VERDICTS]] or [
        "  (no verdicts yet)"]
    return Text("\n".join(lines))


def _activity(top: TopFrame) -> Text:
    lines = ["RECENT COMMITS  [ground truth — git history]"]
    lines += [f"  {c.sha[:9]}  {c.subject}" for c in top.activity] or [
        f"  ({top.git_note or 'no commits — empty or non-git workspace'})"]
    return Text("\n".join(lines))


class TopScreen(DeskScreen):
    """``dos top``: who holds what and whether it moves; ``enter`` opens a lane."""

    def __init__(self, desk: DeskData) -> None:
        super().__init__(desk)
        self._lanes: dict[str, LaneRow] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="totals", classes="note")
        table: DataTable[Cell] = DataTable(id="lanes", cursor_type="row")
        table.add_columns(*_COLUMNS)
        yield table
        yield Static(id="detail")
        yield Static(id="verdicts", classes="note muted")
        yield Static(id="activity", classes="note muted")
        yield Footer()

    def redraw(self) -> None:
        top = self.desk.top()
        self.stamp("top", iso_utc(top.now_ms))
        self._lanes = {_key(lane): lane for lane in top.lanes}
        refill(self.query_one("#lanes", DataTable), [(_key(r), _cells(r)) for r in top.lanes])
        totals = top.totals.line() + ("" if top.initialized else "   (no store yet)")
        self.query_one("#totals", Static).update(totals)
        self.query_one("#verdicts", Static).update(_verdicts(top))
        self.query_one("#activity", Static).update(_activity(top))
        self.draw_detail()

    def detail_for(self, key: str) -> Text | None:
        lane = self._lanes.get(key)
        return None if lane is None else lane_detail(lane)
