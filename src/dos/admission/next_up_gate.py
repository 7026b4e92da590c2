"""``dos gate``: type a /next-up packet that offers no live pick, so a loop does not stop
on a false drain.

Pure. The dispositions arrive typed (the edge refuses a misspelt ``drop_reason`` rather
than letting it fall through to DRAIN, the one verdict that counts toward a stop); a
race file arrives with its age already judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dos.structs import struct
from dos.verdicts.picker import GateToken

__all__ = ["DROP_REASONS", "Disposition", "GateVerdict", "Race", "classify"]

DROP_REASONS = ("shipped", "soft_claimed", "quota_blocked")

_INTERPRET = {
    GateToken.LIVE: "dispatch: the packet has work a worker can take now",
    GateToken.DRAIN: "the backlog is genuinely empty: this verdict may count toward stopping",
    GateToken.STALE_STAMP: "not a drain: git has the work, the plan document lacks the stamp; "
                           "stamp the plan and re-render the packet",
    GateToken.BLOCKED: "not a drain: picks wait on a sibling claim or a quota; wait and retry",
    GateToken.RACE: "not a drain: another picker was rendering at the same moment; retry",
}


@struct
class Disposition:
    phase: str
    series: str
    live: bool = False
    drop_reason: str | None = None
    ship_via: str = ""
    ship_sha: str = ""
    plan_doc_stamped: bool = True
    claim_tag: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"series": self.series, "phase": self.phase, "live": self.live,
                "drop_reason": self.drop_reason}


@struct
class Race:
    """A fresh race marker beside the packet: another picker was rendering."""

    reason: str
    age_s: float


@struct
class GateVerdict:
    token: GateToken
    reason: str
    evidence: tuple[Disposition, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        payload: dict[str, Any] = {"verdict": self.token.value, "reason": self.reason,
                                   "evidence": [d.to_dict() for d in self.evidence],
                                   "notes": list(self.notes)}
        if explain:
            payload["interpretation"] = interpretation(self.token)
        return payload


def interpretation(token: GateToken) -> str:
    return _INTERPRET[token]


def _named(picks: Sequence[Disposition]) -> str:
    return ", ".join(f"{d.series} {d.phase}" for d in picks[:8])


def classify(dispositions: Sequence[Disposition], *, race: Race | None = None,
             notes: Sequence[str] = ()) -> GateVerdict:
    """LIVE, STALE-STAMP, BLOCKED or DRAIN (first that holds); RACE before all."""
    picks = tuple(dispositions)
    if race is not None:
        return GateVerdict(GateToken.RACE, race.reason, picks, tuple(notes))
    live = [d for d in picks if d.live]
    if live:
        return GateVerdict(GateToken.LIVE, f"{len(live)} live pick(s) — the packet has "
                           "dispatchable work", picks, tuple(notes))
    stale = [d for d in picks if d.drop_reason == "shipped" and d.ship_via == "direct"
             and not d.plan_doc_stamped]
    if stale:
        return GateVerdict(GateToken.STALE_STAMP, f"{len(stale)} pick(s) shipped in git but "
                           f"the plan document is unstamped ({_named(stale)}) — a false "
                           "drain, stamp the plan", picks, tuple(notes))
    blocked = [d for d in picks if d.drop_reason in ("soft_claimed", "quota_blocked")]
    if blocked:
        return GateVerdict(GateToken.BLOCKED, f"{len(blocked)} pick(s) blocked by a sibling "
                           f"claim or a quota ({_named(blocked)}) — wait, then retry",
                           picks, tuple(notes))
    return GateVerdict(GateToken.DRAIN, "no live picks and no recoverable signal — the "
                       "backlog is genuinely drained", picks, tuple(notes))
