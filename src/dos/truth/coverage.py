"""Fold a fan-out's terminal states against the width that was declared up front.

The declared width N is an input, never inferred from how many results came back:
``FULL`` (N healthy), ``UNDERFILLED`` (some), ``STARVED`` (none), ``OVERFILLED``
(more than N: a double count or a stale glob). Unreadable transcripts count as
neither healthy nor dead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from dos.structs import struct
from dos.verdicts.coverage import CoverageToken

__all__ = ["CoverageVerdict", "fold"]

_STATES = ("HEALTHY", "SYNTHETIC", "EMPTY", "UNREADABLE")


@struct
class CoverageVerdict:
    """The coverage of one fan-out, and the sentence to paste into a synthesis prompt."""

    state: str
    declared: int
    healthy: int
    dead: int
    unreadable: int
    unaccounted: int
    dead_classes: tuple[tuple[str, int], ...]
    grounded: bool
    fraction: float | None
    quorum_met: bool | None
    reason: str
    prompt_line: str

    @property
    def token(self) -> CoverageToken:
        return CoverageToken[self.state]

    @property
    def foldable(self) -> bool:
        return self.state != "STARVED"

    @property
    def should_caveat(self) -> bool:
        return self.state in ("UNDERFILLED", "STARVED", "OVERFILLED")

    def to_dict(self) -> dict[str, Any]:
        payload = dict(vars(self))
        payload["dead_classes"] = [list(item) for item in self.dead_classes]
        payload.update(foldable=self.foldable, should_caveat=self.should_caveat)
        return payload


def _gap(dead: int, classes: tuple[tuple[str, int], ...], unreadable: int, missing: int) -> str:
    parts = []
    if dead:
        named = "/".join(name.lower().replace("_", "-") for name, _ in classes)
        parts.append(f"{dead} died on a harness-authored terminal" + (f" ({named})" if named
                                                                        else ""))
    if unreadable:
        parts.append(f"{unreadable} could not be read (NOT a witnessed death)")
    if missing:
        parts.append(f"{missing} did not return a transcript")
    return "; ".join(parts) or "the missing slots are unaccounted"


def _state(declared: int, healthy: int) -> str:
    if declared == 0 and healthy == 0:
        return "EMPTY"
    if healthy > declared:
        return "OVERFILLED"
    if healthy == declared:
        return "FULL"
    return "STARVED" if healthy == 0 else "UNDERFILLED"


def _words(state: str, n: int, h: int, gap: str) -> tuple[str, str]:
    table = {
        "EMPTY": ("nothing was fanned out (declared == 0)",
                  "No workers were fanned out (declared == 0); there is nothing to fold."),
        "FULL": (f"all {n} declared worker(s) returned a real result",
                 f"All {h} of {n} fan-out workers returned a real result; this is full coverage."),
        "UNDERFILLED": (
            f"{h} of {n} declared worker(s) returned a real result (sub-quorum)",
            f"COVERAGE CAVEAT: only {h} of {n} fan-out workers returned a real result ({gap}). "
            f"Treat the findings below as a SUB-QUORUM SAMPLE ({h}/{n}), not an exhaustive "
            "survey; do not state or imply full coverage, and flag the gap above."),
        "STARVED": (
            f"0 of {n} declared worker(s) returned a real result — nothing to synthesize",
            f"COVERAGE FAILURE: 0 of {n} fan-out workers returned a real result ({gap}). There "
            "is no real material to synthesize. Do NOT fabricate findings; report the fan-out "
            "as failed and act on the gap above (re-dispatch deaths; fix the read path for "
            "unreadable; locate missing transcripts)."),
        "OVERFILLED": (
            f"{h} healthy returns but only {n} declared — more results than expected (a "
            "dispatch/glob bug)",
            f"COVERAGE ANOMALY: {h} workers returned a real result but only {n} were declared "
            "— more results than expected (a re-dispatch double-count or a stale transcript "
            "glob). Treat the count as unreliable and reconcile the dispatch before trusting "
            "coverage."),
    }
    return table[state]


def fold(states: Sequence[tuple[str, str]], declared: int, *, grounded: bool,
         min_quorum: float | None = None) -> CoverageVerdict:
    """Fold ``(state, error_class)`` pairs against ``declared`` (must be ≥ 0)."""
    if declared < 0:
        raise ValueError("declared width must be >= 0")
    unknown = [s for s, _ in states if s not in _STATES]
    if unknown:
        raise ValueError(f"unknown terminal state {unknown[0]!r}; valid: {', '.join(_STATES)}")
    counts = Counter(s for s, _ in states)
    healthy, unreadable = counts["HEALTHY"], counts["UNREADABLE"]
    dead = counts["SYNTHETIC"] + counts["EMPTY"]
    classes = tuple(sorted(Counter(c for s, c in states if s == "SYNTHETIC").items())) \
        if grounded else ()
    missing = max(0, declared - healthy - dead - unreadable)
    state = _state(declared, healthy)
    reason, prompt = _words(state, declared, healthy, _gap(dead, classes, unreadable, missing))
    fraction = round(healthy / declared, 4) if declared else None
    quorum = (healthy / declared >= min_quorum) if (min_quorum is not None and declared) else None
    return CoverageVerdict(state, declared, healthy, dead, unreadable, missing, classes, grounded,
                           fraction, quorum, reason, prompt)
