"""The plan board's text frame (``dos plan``), as the reference drew it."""

from __future__ import annotations

from dos.render import paint
from dos.truth.plan_board import Board, BoardRow

__all__ = ["WIDTH", "frame"]

WIDTH = 88
# Plain output names the divergence cells without glyphs (the columns stay aligned).
_ASCII_CELLS = {"✓shipped": "shipped", "⚠over-claim": "!over-claim",
                "✓under-claim": "+under-claim", "·pending": "pending", "—": "-"}
_CELL_STYLES = {"⚠over-claim": ("red", "bold"), "✓under-claim": ("yellow",),
                "✓shipped": ("green",)}


def _row_line(row: BoardRow, *, color: bool, ascii_only: bool) -> str:
    verdict, cell = row.verdict, row.cell
    shown = _ASCII_CELLS.get(cell, cell) if ascii_only else cell
    painted = paint(f"{shown:<14}", *_CELL_STYLES.get(cell, ()), enabled=color)
    return f"  {verdict.plan:<8} {verdict.phase:<14} {row.claimed or '-':<8} {painted} -"


def _phase_lines(board: Board, *, color: bool, ascii_only: bool) -> list[str]:
    if not board.rows:
        return ["  (no plans declared — set [paths].plans_glob in dos.toml, or pass phases)"]
    s = board.summary()
    return [f"  {'plan':<8} {'phase':<14} {'claimed':<8} {'oracle':<14} {'lane':<10} gate",
            "  " + "-" * 63,
            *(_row_line(row, color=color, ascii_only=ascii_only) for row in board.rows),
            f"  {s['phases']} phases · {s['shipped']} shipped · {s['divergent']} DIVERGENT "
            f"({s['over_claims']} over-claim) · {s['in_flight']} in-flight · "
            f"{s['gated']} gated"]


def frame(board: Board, *, color: bool = False, ascii_only: bool = False,
          footer: str = "read-only · this screen mutates nothing") -> str:
    """One frame: the phases with claim beside verdict, then the recent commits."""
    head = f"┌─ dos plan · {board.workspace} · {board.now} "
    lines = [head + "─" * max(0, WIDTH - len(head)), ""]
    if not board.initialized:
        lines.append("  (no dos.toml — generic main/global; `dos init` to declare lanes/plans)")
    lines.append("PHASES                 [oracle = truth syscall · ⚠ = plan claim diverges "
                 "from oracle]")
    lines += _phase_lines(board, color=color, ascii_only=ascii_only)
    lines += ["", "RECENT COMMITS        [ground truth — git history]"]
    lines += [f"  {c.sha[:9]:<9}  {c.subject}"[:90] for c in board.activity] or [
        "  (no commits — empty or non-git workspace)"]
    lines.append("─" * WIDTH)
    divergent = board.summary()["divergent"]
    if divergent:
        warning = (f"⚠ {divergent} phase(s) where the plan's claim DISAGREES with the oracle "
                   "— the cell this screen exists to surface.")
        lines.append(paint(warning, "red", enabled=color))
    lines.append(footer)
    return "\n".join(lines)
