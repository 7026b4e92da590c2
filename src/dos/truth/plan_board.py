"""The plan board: every declared phase, the plan's claim beside the oracle's verdict.

Pure: :func:`build` joins rows with verdicts; :func:`render_text` and
:func:`to_json` draw one frame. Reading plans and git happens in the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dos.truth.commits import Commit
from dos.truth.ship_verdict import ShipVerdict

__all__ = ["Board", "BoardRow", "build", "divergence", "render_text", "to_json"]

WIDTH = 88


def divergence(claimed: str, shipped: bool) -> str:
    """The cell that compares the plan's claim with the oracle."""
    if claimed in ("", "shipped"):
        if shipped:
            return "✓shipped"
        return "⚠over-claim" if claimed else "—"
    return "✓under-claim" if shipped else "·pending"


@dataclass(frozen=True)
class BoardRow:
    """One phase: where it is declared, what the plan claims, what the oracle says."""

    doc_path: str
    claimed: str
    verdict: ShipVerdict

    @property
    def cell(self) -> str:
        return divergence(self.claimed, self.verdict.shipped)

    @property
    def is_divergent(self) -> bool:
        return self.cell in ("⚠over-claim", "✓under-claim")


@dataclass(frozen=True)
class Board:
    """One frame of the board."""

    workspace: str
    now: str
    plan_source: str
    initialized: bool
    rows: tuple[BoardRow, ...]
    activity: tuple[Commit, ...]

    def summary(self) -> dict[str, int]:
        return {"phases": len(self.rows),
                "shipped": sum(r.verdict.shipped for r in self.rows),
                "divergent": sum(r.is_divergent for r in self.rows),
                "over_claims": sum(r.cell == "⚠over-claim" for r in self.rows),
                "in_flight": 0, "gated": 0}


def build(workspace: str, now: str, *, plan_source: str, initialized: bool,
          rows: Sequence[tuple[str, str]], verdicts: Sequence[ShipVerdict],
          activity: Sequence[Commit]) -> Board:
    """Join ``(doc_path, claimed)`` rows with their verdicts (same order)."""
    joined = tuple(BoardRow(doc, claimed, verdict)
                   for (doc, claimed), verdict in zip(rows, verdicts, strict=True))
    return Board(workspace, now, plan_source, initialized, joined, tuple(activity))


def _row_line(row: BoardRow) -> str:
    verdict = row.verdict
    return (f"  {verdict.plan:<8} {verdict.phase:<14} {row.claimed or '-':<8} {row.cell:<14} "
            f"{'-':<10} ").rstrip()


def render_text(board: Board) -> str:
    """The plain-text frame."""
    head = f"┌─ dos plan · {board.workspace} · {board.now} "
    lines = [head + "─" * max(0, WIDTH - len(head)), ""]
    if not board.initialized:
        lines.append("  (no dos.toml — generic main/global; `dos init` to declare lanes/plans)")
    lines.append("PHASES                 [oracle = truth syscall · ⚠ = plan claim diverges "
                 "from oracle]")
    if board.rows:
        lines.append(f"  {'plan':<8} {'phase':<14} {'claimed':<8} {'oracle':<14} {'lane':<10} "
                     "gate")
        lines.append("  " + "-" * 63)
        lines += [_row_line(row) for row in board.rows]
        s = board.summary()
        lines.append(f"  {s['phases']} phases · {s['shipped']} shipped · {s['divergent']} "
                     f"DIVERGENT ({s['over_claims']} over-claim) · {s['in_flight']} in-flight · "
                     f"{s['gated']} gated")
    else:
        lines.append("  (no plans declared — set [paths].plans_glob in dos.toml, or pass phases)")
    lines += ["", "RECENT COMMITS        [ground truth — git history]"]
    lines += [f"  {c.sha[:9]:<9}  {c.subject}"[:90] for c in board.activity] or [
        "  (no commits — empty or non-git workspace)"]
    lines.append("─" * WIDTH)
    divergent = board.summary()["divergent"]
    if divergent:
        lines.append(f"⚠ {divergent} phase(s) where the plan's claim DISAGREES with the oracle "
                     "— the cell this screen exists to surface.")
    lines.append("read-only · this screen mutates nothing")
    return "\n".join(lines)


def to_json(board: Board) -> dict[str, Any]:
    """The JSON frame."""
    phases = [{
        "plan": r.verdict.plan, "phase": r.verdict.phase, "doc_path": r.doc_path,
        "claimed_status": r.claimed, "oracle_shipped": r.verdict.shipped,
        "oracle_source": r.verdict.source, "oracle_grade": r.verdict.grade,
        "oracle_sha": r.verdict.sha, "divergence": r.cell, "is_divergent": r.is_divergent,
        "lane": "", "lane_chip": "-", "decision_ref": "",
    } for r in board.rows]
    return {"workspace": board.workspace, "now": board.now, "plan_source": board.plan_source,
            "initialized": board.initialized, "phases": phases,
            "activity": [{"sha": c.short, "subject": c.subject} for c in board.activity],
            "summary": board.summary()}
