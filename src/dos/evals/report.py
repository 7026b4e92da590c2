"""Pieces every harness report shares: the bar, the bounded list of wrong cases, and
the aligned rows of a confusion grid. Generic: no harness is named here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dos.structs import field, struct
from dos.verdicts.evals import EvalToken

__all__ = ["MAX_SHOWN_MISSES", "Bar", "Misses", "grid_rows", "judge_bar", "rounded"]

MAX_SHOWN_MISSES = 20


@struct(frozen=False)
class Misses:
    """The cases a harness got wrong: the first :data:`MAX_SHOWN_MISSES`, and a count."""

    shown: list[dict[str, str]] = field(default_factory=list)
    count: int = 0

    def add(self, where: str, kind: str, label: str = "") -> None:
        self.count += 1
        if len(self.shown) < MAX_SHOWN_MISSES:
            self.shown.append({"where": where, "kind": kind, "label": label})

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "shown": list(self.shown)}


@struct
class Bar:
    """Why a report met its bar or not: the dangerous cell, and the optional floor."""

    verdict: EvalToken
    dangerous_ok: bool
    headline: float
    min_rate: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict.value, "dangerous_ok": self.dangerous_ok,
                "headline": rounded(self.headline), "min_rate": self.min_rate}


def judge_bar(*, dangerous_ok: bool, headline: float, min_rate: float | None) -> Bar:
    """BELOW_BAR when the dangerous cell fails, or the headline is under ``min_rate``."""
    floor_ok = min_rate is None or headline >= min_rate
    token = EvalToken.MEETS_BAR if dangerous_ok and floor_ok else EvalToken.BELOW_BAR
    return Bar(token, dangerous_ok, headline, min_rate)


def rounded(value: float) -> float:
    return round(value, 4)


def grid_rows(rows: Sequence[tuple[str, int | float | str, str]]) -> list[str]:
    """``label  value  (note)`` rows, the labels padded to one width (never merging)."""
    width = max(len(label) for label, _value, _note in rows)
    shown = [value if isinstance(value, int | str) else f"{value:.3f}"
             for _label, value, _note in rows]
    value_width = max(len(str(value)) for value in shown)
    return [f"  {label:<{width}}  {value!s:>{value_width}}" + (f"   ({note})" if note else "")
            for (label, _value, note), value in zip(rows, shown, strict=True)]
