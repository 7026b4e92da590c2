"""The plan board: every declared phase, the plan's claim beside the oracle's verdict.

Pure: :func:`build` joins rows with verdicts. Reading plans and git happens in
:mod:`dos.api.truth`; drawing a frame in the ``dos plan`` verb.
"""

from __future__ import annotations

from collections.abc import Sequence

from dos.structs import struct
from dos.truth.commits import Commit
from dos.truth.ship_verdict import ShipVerdict

__all__ = ["Board", "BoardRow", "build", "divergence"]


def divergence(claimed: str, shipped: bool) -> str:
    """The cell that compares the plan's claim with the oracle."""
    if claimed in ("", "shipped"):
        if shipped:
            return "✓shipped"
        return "⚠over-claim" if claimed else "—"
    return "✓under-claim" if shipped else "·pending"


@struct
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


@struct
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
