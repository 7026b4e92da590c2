"""Attempts at units of work: record one, list them, and how fresh each unit is.

``freshness`` is what a picker sorts by (never-attempted first, then least recently
attempted): one indexed query for any number of units. ``cooldown`` reads the same rows
(:func:`dos.api.pacing.cooldown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import with_schema
from dos.store.attempt_outcomes import OUTCOMES
from dos.store.attempts import AttemptRecord
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["OUTCOMES", "Freshness", "attempts_json", "check_unit", "freshness", "listing",
           "record", "record_json"]

MAX_UNIT = 256
_NEVER, _ATTEMPTED = "NEVER_ATTEMPTED", "ATTEMPTED"


@struct
class Freshness:
    """How fresh a unit is for a picker: ``sort_key`` sorts never-attempted units
    first, then the least recently attempted (append it after the host's own key)."""

    unit_id: str
    freshness: str
    attempts: int = 0
    last_attempt_ms: int = 0

    @property
    def sort_key(self) -> tuple[int, int]:
        return (0, 0) if self.freshness == _NEVER else (1, self.last_attempt_ms)

    def to_dict(self) -> dict[str, Any]:
        return {"unit_id": self.unit_id, "freshness": self.freshness,
                "attempts": self.attempts, "last_attempt_ms": self.last_attempt_ms,
                "sort_key": list(self.sort_key)}


def check_unit(unit: str, *, flag: str = "UNIT") -> str:
    """The unit id, stripped; a usage error when it is empty, too long or not printable."""
    text = unit.strip()
    if not text or len(text) > MAX_UNIT or not text.isprintable():
        raise UsageError(f"{flag} must be 1 to {MAX_UNIT} printable characters, got {unit!r}",
                         hint="name the unit of work, e.g. a plan phase such as AUTH2")
    return text


def record(config: SubstrateConfig, *, unit: str, outcome: str, lane: str = "",
           run_id: str | None = None, owner: str = "") -> AttemptRecord:
    """Record one attempt at ``unit`` (``dos attempt record``); stamped by the store's
    clock, and kept when the journal is compacted."""
    from dos.admission.declared import declared_lane
    from dos.admission.holder import check_run_id, resolve_owner
    from dos.store import writing

    unit_id = check_unit(unit)
    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}",
                         hint="shipped, drained, blocked, error or abandoned")
    holder = resolve_owner(owner, allow_host_pid=True)
    rid = check_run_id(run_id)
    lane_name = declared_lane(config, lane) if lane.strip() else ""
    with writing(config) as tx:
        return tx.record_attempt(unit_id=unit_id, outcome=outcome, lane=lane_name,
                                 run_id=rid, holder=holder)


def listing(config: SubstrateConfig, *, unit: str | None = None,
            limit: int = 50) -> list[AttemptRecord]:
    """The newest ``limit`` attempts (of one unit when given), newest first; a
    workspace without a store has none, and none is created to say so."""
    from dos.store import reading

    unit_id = check_unit(unit) if unit is not None else None
    with reading(config) as tx:
        if tx is None:
            return []
        if unit_id is not None:
            return tx.attempts(unit_id=unit_id, limit=limit, newest_first=True)
        return tx.attempts(limit=limit, newest_first=True)


def freshness(config: SubstrateConfig, units: Sequence[str]) -> dict[str, Freshness]:
    """Each unit's freshness, from one indexed query however many units there are."""
    from dos.store import reading

    wanted = [check_unit(unit) for unit in units]
    with reading(config) as tx:
        seen = tx.last_attempts(wanted) if tx is not None and wanted else {}
    return {unit: Freshness(unit, _ATTEMPTED, *seen[unit]) if unit in seen
            else Freshness(unit, _NEVER) for unit in wanted}


def record_json(found: AttemptRecord) -> dict[str, Any]:
    return with_schema(found.to_dict(), "attempt")  # type: ignore[no-any-return]


def attempts_json(found: Iterable[AttemptRecord]) -> dict[str, Any]:
    rows = [row.to_dict() for row in found]
    return with_schema({"attempts": rows, "count": len(rows)},  # type: ignore[no-any-return]
                       "attempt")
