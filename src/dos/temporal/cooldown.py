"""Was this unit attempted too recently to offer again? CLEAR / RECENTLY_ATTEMPTED.

Pure. Attempts carry an outcome; a shipped unit is clear at once, an errored or
abandoned one (its worker died) waits ``error_window_ms``, any other outcome waits
``window_ms``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from dos.errors import UsageError
from dos.structs import replace, struct
from dos.verdicts.cooldown import CooldownToken

__all__ = ["OUTCOMES", "Attempt", "CooldownPolicy", "CooldownVerdict", "classify"]

OUTCOMES = ("shipped", "drained", "blocked", "error", "abandoned", "unknown")
_SHORT_WINDOW = frozenset({"error", "abandoned"})
_HOUR_MS = 3_600_000
_MINUTE_MS = 60_000


@struct
class CooldownPolicy:
    window_ms: int = 6 * _HOUR_MS
    error_window_ms: int = 30 * _MINUTE_MS

    def __post_init__(self) -> None:
        for name in ("window_ms", "error_window_ms"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UsageError(f"cooldown {name} must be 0 ms or more, got {value!r}",
                                 hint="set [cooldown] window_ms / error_window_ms to 0 or more")

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> CooldownPolicy:
        """From a validated ``[cooldown]`` table; fractional hours and minutes are kept."""
        window = table.get("window_ms")
        if window is None and table.get("window_hours") is not None:
            window = round(float(table["window_hours"]) * _HOUR_MS)
        error = table.get("error_window_ms")
        if error is None and table.get("error_window_minutes") is not None:
            error = round(float(table["error_window_minutes"]) * _MINUTE_MS)
        defaults = cls()
        return cls(window_ms=defaults.window_ms if window is None else int(window),
                   error_window_ms=defaults.error_window_ms if error is None else int(error))

    def window_for(self, outcome: str) -> int:
        return self.error_window_ms if outcome in _SHORT_WINDOW else self.window_ms


@struct
class Attempt:
    """One recorded attempt at a unit; ``outcome`` is folded to one of :data:`OUTCOMES`."""

    unit_id: str
    outcome: str
    attempted_at_ms: int

    def __post_init__(self) -> None:
        folded = str(self.outcome).strip().lower()
        object.__setattr__(self, "outcome", folded if folded in OUTCOMES else "unknown")


@struct
class CooldownVerdict:
    state: CooldownToken
    unit_id: str
    reason: str
    count: int = 0
    last_ms: int | None = None
    last_outcome: str = ""
    until_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "unit_id": self.unit_id, "reason": self.reason,
                "count": self.count, "last_ts": _iso(self.last_ms), "last_ms": self.last_ms,
                "last_outcome": self.last_outcome, "until_ms": self.until_ms}


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


def classify(unit_id: str, attempts: Iterable[Attempt], now_ms: int,
             policy: CooldownPolicy | None = None) -> CooldownVerdict:
    """Judge ``unit_id`` from its attempts (others are ignored) at ``now_ms``."""
    pol = policy or CooldownPolicy()
    mine = [a for a in attempts if a.unit_id == unit_id]
    if not mine:
        return CooldownVerdict(CooldownToken.CLEAR, unit_id,
                               "no recent attempt holds this unit — offerable")
    # Ties on time go to the longer window: the cautious reading.
    latest = max(mine, key=lambda a: (a.attempted_at_ms, pol.window_for(a.outcome)))
    when = _iso(latest.attempted_at_ms)
    base = CooldownVerdict(CooldownToken.CLEAR, unit_id, "", count=len(mine),
                           last_ms=latest.attempted_at_ms, last_outcome=latest.outcome)
    if latest.outcome == "shipped":
        return replace(base, reason=f"most recent attempt SHIPPED ({when}) — nothing holds "
                                    "it back")
    window = pol.window_for(latest.outcome)
    until = latest.attempted_at_ms + window
    said = f"attempted {len(mine)}x (last {latest.outcome} at {when}); the {window} ms cooldown"
    if now_ms < until:
        return replace(base, state=CooldownToken.RECENTLY_ATTEMPTED, until_ms=until, reason=(
            f"{said} has not elapsed (until {until} ms, now {now_ms} ms) — skip, do not "
            "re-dispatch"))
    return replace(base, until_ms=until, reason=f"{said} has elapsed — offerable again")
