"""Small pieces every screen uses: ages as text, styled cells, refilling a table in place."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

__all__ = ["Cell", "age", "refill", "selected_key", "styled"]

Cell = str | Text

# The chips and cells that need the operator's eye; everything else is plain.
_STYLES = {
    "ADVANCING": "green", "SPINNING": "yellow", "STALLED": "bold red", "FREE": "dim",
    "SPAWNING": "cyan", "⚠over-claim": "bold red", "✓under-claim": "yellow",
    "✓shipped": "green", "·pending": "dim", "ORACLE": "cyan", "HUMAN": "bold",
}


def styled(text: str) -> Text:
    return Text(text, style=_STYLES.get(text, ""))


def age(milliseconds: float | None) -> str:
    """``3s``, ``4m``, ``2h``, ``5d``; ``-`` when unknown."""
    if milliseconds is None or milliseconds < 0:
        return "-"
    seconds = int(milliseconds // 1000)
    for size, unit in ((86_400, "d"), (3_600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def selected_key(table: DataTable[Cell]) -> str | None:
    """The key of the row under the cursor, if the table has rows."""
    if not table.row_count:
        return None
    row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return row_key.value


def refill(table: DataTable[Cell], rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
    """Replace the rows, keeping the cursor on the same key when that row is still there."""
    keep = selected_key(table)
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    keys = [key for key, _ in rows]
    if keep in keys:
        table.move_cursor(row=keys.index(keep), animate=False)
