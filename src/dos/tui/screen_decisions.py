"""The decisions screen: what is waiting on the operator; approve or dismiss after a yes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from dos.errors import DosError
from dos.tui._cells import Cell, age, refill, selected_key, styled
from dos.tui._screen import DeskScreen
from dos.tui.confirm import Confirmed, ResolveDialog
from dos.tui.data import DeskData, iso_utc

if TYPE_CHECKING:
    from dos.api.decisions import DecisionQueue
    from dos.record.decisions import DecisionRow

__all__ = ["DecisionsScreen", "decision_detail"]

_COLUMNS = ("#", "age", "kind", "lane", "resolver", "waiting on", "do")


_WAITING_WIDTH = 48


def _waiting_on(row: DecisionRow) -> str:
    text = f"{row.reason_token} {' '.join(row.reason_text.split())}".strip()
    if len(text) > _WAITING_WIDTH:
        text = text[:_WAITING_WIDTH - 1] + "…"
    return text + (f" ({row.dup_count} times)" if row.dup_count > 1 else "")


def _cells(row: DecisionRow) -> list[Cell]:
    return [str(row.number), age(row.age_seconds * 1000), str(row.kind), row.lane or "-",
            styled(str(row.resolver)), _waiting_on(row), row.proposed_command or "-"]


def decision_detail(row: DecisionRow) -> Text:
    """The drill-in for one decision: what ``dos decisions show N`` prints."""
    seen = f"seen {row.dup_count} times" if row.dup_count > 1 else "seen once"
    lines = [f"#{row.number} · {row.handle}   {row.kind}   resolver {row.resolver} "
             f"({row.urgency})",
             f"  lane      {row.lane or '-'}",
             f"  detail    {row.reason_token} — {' '.join(row.reason_text.split())}",
             f"  run       {row.run_id or '-'}",
             f"  age       {age(row.age_seconds * 1000)} (since {iso_utc(row.first_ts_ms)}; "
             f"{seen})"]
    lines += [f"  evidence  {item}" for item in row.evidence or ("(none)",)]
    prints = f" (prints: {row.proposed_command})" if row.proposed_command else ""
    lines += [f"  source    {row.source or '-'}", f"  a         approve{prints}",
              "  x         dismiss"]
    return Text("\n".join(lines))


def _summary(queue: DecisionQueue) -> str:
    shown = "every resolver" if queue.everything else "waiting on you"
    head = (f"{len(queue.rows)} pending · {shown}" if queue.rows else
            "(none pending — nothing is waiting on you)")
    more = f" · {queue.hidden} more settle without you (e shows them)" if queue.hidden else ""
    notes = "".join(f"\nnote: {note}" for note in queue.notes)
    return head + more + notes


def _consequence(row: DecisionRow, approve: bool) -> str:
    who = f"journaled as yours ({row.handle}); the row leaves the queue"
    if approve and row.proposed_command:
        return f"{who}.\ndos prints the command and never runs it: {row.proposed_command}"
    return f"{who}. enter confirms, escape cancels."


class DecisionsScreen(DeskScreen):
    """``dos decisions``: the queue; ``a``/``x`` resolve the selected row after a yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "resolve(True)", "approve"),
        Binding("x", "resolve(False)", "dismiss"),
        Binding("e", "toggle_everything", "all"),
    ]

    def __init__(self, desk: DeskData) -> None:
        super().__init__(desk)
        self._rows: dict[str, DecisionRow] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", classes="note")
        table: DataTable[Cell] = DataTable(id="queue", cursor_type="row")
        table.add_columns(*_COLUMNS)
        yield table
        yield Static(id="detail")
        yield Footer()

    def redraw(self) -> None:
        queue = self.desk.decisions()
        self.stamp("decisions", iso_utc(queue.now_ms))
        self._rows = {row.handle: row for row in queue.rows}
        refill(self.query_one("#queue", DataTable), [(r.handle, _cells(r)) for r in queue.rows])
        self.query_one("#summary", Static).update(_summary(queue))
        self.draw_detail()

    def detail_for(self, key: str) -> Text | None:
        row = self._rows.get(key)
        return None if row is None else decision_detail(row)

    def action_toggle_everything(self) -> None:
        self.desk.everything = not self.desk.everything
        self.reload()

    def action_resolve(self, approve: bool) -> None:
        handle = selected_key(self.query_one("#queue", DataTable))
        row = self._rows.get(handle or "")
        if row is None:
            self.notify("nothing selected", severity="warning")
            return
        verb = "approve" if approve else "dismiss"
        question = f"{verb.capitalize()} #{row.number} ({row.kind} on {row.lane or '-'})?"

        def done(answer: Confirmed | None) -> None:
            if answer is not None:
                self._resolve(row, approve=approve, note=answer.note)

        self.app.push_screen(ResolveDialog(question, verb=verb,
                                           consequence=_consequence(row, approve)), done)

    def _resolve(self, row: DecisionRow, *, approve: bool, note: str) -> None:
        try:
            done = self.desk.resolve(row.handle, approve=approve, note=note)
        except DosError as error:
            self.notify(error.render(), title="not resolved", severity="error", timeout=10)
        else:
            then = f"; run: {done.command}" if done.command else ""
            self.notify(f"#{row.number} {'approved' if approve else 'dismissed'} by "
                        f"{done.owner} (journal seq {done.seq}){then}", timeout=10)
        self.reload()
