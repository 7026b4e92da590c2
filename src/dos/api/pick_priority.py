"""``dos pick-priority UNIT…``: the order a picker should try units in — never attempted
first, then the least recently attempted; ties keep the order given. An ordering, never
a gate: it exits 0 whatever the units' history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.structs import struct
from dos.temporal.cooldown import Attempt

__all__ = ["Priority", "pick_priority", "pick_priority_json"]

_MAX_UNITS = 10_000


@struct
class Priority:
    unit_id: str
    attempts: int
    last_attempt_ms: int

    @property
    def freshness(self) -> str:
        return "ATTEMPTED" if self.attempts else "NEVER_ATTEMPTED"

    @property
    def sort_key(self) -> tuple[int, int]:
        return (1, self.last_attempt_ms) if self.attempts else (0, 0)

    def to_dict(self, rank: int) -> dict[str, Any]:
        return {"rank": rank, "unit_id": self.unit_id, "freshness": self.freshness,
                "attempts": self.attempts, "last_attempt_ms": self.last_attempt_ms or None,
                "sort_key": list(self.sort_key)}


def _given(units: Sequence[str], attempts: Sequence[Attempt]) -> dict[str, tuple[int, int]]:
    seen: dict[str, tuple[int, int]] = {}
    wanted = set(units)
    for attempt in attempts:
        if attempt.unit_id in wanted:
            count, last = seen.get(attempt.unit_id, (0, 0))
            seen[attempt.unit_id] = (count + 1, max(last, attempt.attempted_at_ms))
    return seen


def _stored(config: SubstrateConfig, units: Sequence[str]) -> dict[str, tuple[int, int]]:
    """From the attempts table: one indexed query for all units."""
    from dos.api.attempts import freshness

    return {unit: (found.attempts, found.last_attempt_ms)
            for unit, found in freshness(config, units).items() if found.attempts}


def pick_priority(config: SubstrateConfig, units: Sequence[str], *,
                  attempts: Sequence[Attempt] | None = None) -> list[Priority]:
    """The units, freshest first (``attempts`` replaces the store's records)."""
    from dos.api.picker import units_of
    from dos.errors import UsageError

    names = units_of(units)
    if not names or len(names) > _MAX_UNITS:
        raise UsageError(f"name 1 to {_MAX_UNITS} units",
                         hint="e.g. `dos pick-priority AUTH1 AUTH2 AUTH3`")
    seen = _given(names, attempts) if attempts is not None else _stored(config, names)
    found = [Priority(name, *seen.get(name, (0, 0))) for name in names]
    return sorted(found, key=lambda p: p.sort_key)  # stable: ties keep the order given


def pick_priority_json(ranking: Sequence[Priority]) -> dict[str, Any]:
    payload = {"verdict": "RANKED", "order": [p.unit_id for p in ranking],
               "never_attempted": sum(not p.attempts for p in ranking),
               "ranking": [p.to_dict(rank) for rank, p in enumerate(ranking, start=1)]}
    return dict(with_schema(payload, "pick-priority"))
