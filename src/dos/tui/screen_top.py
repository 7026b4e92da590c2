"""The top screen: every lane with its holder and liveness chip, recent verdicts, commits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from dos.tui._cells import Cell, age, refill, styled
from dos.tui._screen import DeskScreen
from dos.tui.data import DeskData

if TYPE_CHECKING:
    from dos.api.top import LaneRow, TopFrame

__all__ = ["TopScreen", "lane_detail"]

_COLUMNS = ("lane", "chip", "holder", "lease", "heartbeat", "commits", "pending", "why")


def _cells(lane: LaneRow) -> list[Cell]:
    name = ("*" if lane.is_exclusive else " ") + lane.lane
    return [name, styled(lane.chip), lane.holder or "-", age(lane.lease_age_ms),
            age(lane.heartbeat_age_ms), str(lane.commits_since_grant),
            str(lane.pending_decisions or "-"), lane.liveness_reason]


def lane_detail(lane: LaneRow) -> Text:
    """The drill-in for one lane: its lease and why the liveness chip says what it says."""
    lines = [f"{lane.lane}   {lane.chip}{'   (exclusive)' if lane.is_exclusive else ''}",
             f"  holder      {lane.holder or '(free)'}",
             f"  lease       {lane.lease_id or '-'}   held {age(lane.lease_age_ms)}",
             f"  heartbeat   {age(lane.heartbeat_age_ms)} ago",
             f"  loop        {lane.loop_ts or '-'}",
             f"  commits     {lane.commits_since_grant} since the lease was granted",
             f"  pending     {lane.pending_decisions} decision(s)",
             f"  why         {lane.liveness_reason or '-'}"]
    if lane.holder:
        lines.append(f"  check       dos liveness --lane {lane.lane}")
    return Text("\n".join(lines))


def _verdicts(records: list[dict[str, Any]]) -> Text:
    lines = ["RECENT VERDICTS  [the verdict journal — dos observe]"]
    lines += ["  " + "  ".join(str(record[key]) for key in ("ts", "syscall", "verdict", "lane")
                               if record.get(key)) for record in records]
    if len(lines) == 1:
        lines.append("  (no verdicts yet)")
    return Text("\n".join(lines))


def _activity(top: TopFrame) -> Text:
    lines = ["RECENT COMMITS  [ground truth — git history]"]
    lines += [f"  {c['sha'][:9]}  {c['subject']}" for c in top.activity] or [
        "  (no commits — empty or non-git workspace)"]
    return Text("\n".join(lines))


def _totals(totals: dict[str, int]) -> str:
    return " · ".join(f"{count} {name}" for name, count in totals.items())


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
        self.stamp("top")
        self._lanes = {lane.lane: lane for lane in top.lanes}
        refill(self.query_one("#lanes", DataTable), [(r.lane, _cells(r)) for r in top.lanes])
        self.query_one("#totals", Static).update(_totals(top.totals))
        self.query_one("#verdicts", Static).update(_verdicts(top.verdicts))
        self.query_one("#activity", Static).update(_activity(top))
        self.draw_detail()

    def detail_for(self, key: str) -> Text | None:
        lane = self._lanes.get(key)
        return None if lane is None else lane_detail(lane)
