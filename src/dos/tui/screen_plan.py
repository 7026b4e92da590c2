"""The plan screen: every declared phase, the plan's claim beside git's verdict."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from dos.truth.plan_board import Board, BoardRow
from dos.tui._cells import Cell, refill, styled
from dos.tui._screen import DeskScreen
from dos.tui.data import DeskData

__all__ = ["PlanScreen", "phase_detail"]

_COLUMNS = ("plan", "phase", "claimed", "oracle", "evidence", "commit", "declared in")
_WHY = {"⚠over-claim": "the plan says shipped; git has no commit backing it",
        "✓under-claim": "git shows it shipped; the plan does not say so yet",
        "✓shipped": "the plan and git agree: shipped",
        "·pending": "the plan and git agree: not shipped yet",
        "—": "git has no commit for it and the plan claims nothing"}


def _key(row: BoardRow) -> str:
    return f"{row.verdict.plan}\x00{row.verdict.phase}"


def _cells(row: BoardRow) -> list[Cell]:
    verdict = row.verdict
    return [verdict.plan, verdict.phase, row.claimed or "-", styled(row.cell),
            verdict.source, verdict.sha[:9] or "-", row.doc_path or "-"]


def phase_detail(row: BoardRow) -> Text:
    """The drill-in for one phase: where it is declared and what decided the verdict."""
    verdict = row.verdict
    lines = [f"{verdict.plan} {verdict.phase}   {row.cell}  ({_WHY.get(row.cell, '')})",
             f"  declared in  {row.doc_path or '(passed on the command line)'}",
             f"  claimed      {row.claimed or '-'}",
             f"  oracle       {'SHIPPED' if verdict.shipped else 'NOT SHIPPED'} "
             f"by {verdict.source} (grade {verdict.grade})"]
    if verdict.sha:
        lines.append(f"  commit       {verdict.sha}")
    if verdict.summary:
        lines.append(f"  why          {verdict.summary}")
    lines.append(f"  check        dos verify {verdict.plan} {verdict.phase}")
    return Text("\n".join(lines))


def _summary(board: Board) -> Text:
    if not board.rows:
        return Text("(no plans declared — set [paths].plans_glob in dos.toml, or pass phases)")
    s = board.summary()
    text = Text(f"{s['phases']} phases · {s['shipped']} shipped · ")
    text.append(f"{s['divergent']} DIVERGENT", style="bold red" if s["divergent"] else "")
    text.append(f" ({s['over_claims']} over-claim)")
    return text


def _activity(board: Board) -> Text:
    lines = ["RECENT COMMITS  [ground truth — git history]"]
    lines += [f"  {c.sha[:9]}  {c.subject}" for c in board.activity] or [
        "  (no commits — empty or non-git workspace)"]
    return Text("\n".join(lines))


class PlanScreen(DeskScreen):
    """``dos plan``: the board, refreshed; ``enter`` opens a phase."""

    def __init__(self, desk: DeskData) -> None:
        super().__init__(desk)
        self._rows: dict[str, BoardRow] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", classes="note")
        table: DataTable[Cell] = DataTable(id="phases", cursor_type="row")
        table.add_columns(*_COLUMNS)
        yield table
        yield Static(id="detail")
        yield Static(id="activity", classes="note muted")
        yield Footer()

    def redraw(self) -> None:
        board = self.desk.plan()
        self.stamp("plan", board.now)
        self._rows = {_key(row): row for row in board.rows}
        refill(self.query_one("#phases", DataTable), [(_key(r), _cells(r)) for r in board.rows])
        self.query_one("#summary", Static).update(_summary(board))
        self.query_one("#activity", Static).update(_activity(board))
        self.draw_detail()

    def detail_for(self, key: str) -> Text | None:
        row = self._rows.get(key)
        return None if row is None else phase_detail(row)
