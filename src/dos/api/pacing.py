"""Retry questions: do steps still land work, is the spend worth it, should retrying
stop, was this unit tried too recently? Policy defaults come from the workspace's
``[productivity]``, ``[efficiency]``, ``[breaker]`` and ``[cooldown]`` tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

from dos import _fastjson as jsonc
from dos import structs
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.limits import MAX_EPOCH_MS, fits_int
from dos.render import with_schema
from dos.temporal.breaker import BreakerVerdict
from dos.temporal.cooldown import Attempt, CooldownVerdict
from dos.temporal.efficiency import EfficiencyVerdict
from dos.temporal.productivity import ProductivityVerdict

__all__ = ["BreakerJSON", "CooldownJSON", "EfficiencyJSON", "ProductivityJSON",
           "attempts_from_json", "breaker", "breaker_json", "cooldown", "cooldown_json",
           "efficiency", "efficiency_json", "productivity", "productivity_json",
           "stored_attempts"]


class ProductivityJSON(TypedDict):
    verdict: str
    reason: str
    history: dict[str, Any]
    schema: dict[str, Any]


class EfficiencyJSON(TypedDict):
    verdict: str
    reason: str
    evidence: dict[str, Any]
    schema: dict[str, Any]


class BreakerJSON(TypedDict):
    state: str
    escalation: str
    reason: str
    tripped_on: str | None
    consecutive: int
    total: int
    schema: dict[str, Any]


class CooldownJSON(TypedDict):
    state: str
    unit_id: str
    reason: str
    count: int
    last_ts: str | None
    last_ms: int | None
    last_outcome: str | None
    until_ms: int | None
    schema: dict[str, Any]


def _or(value: Any, table: Mapping[str, Any], key: str) -> Any:
    """The flag's value when given, else the workspace table's."""
    return table[key] if value is None else value


def productivity(config: SubstrateConfig, deltas: Sequence[int], *,
                 min_steps: int | None = None, floor: int | None = None) -> ProductivityVerdict:
    """PRODUCTIVE, DIMINISHING or STALLED from work landed per step, oldest first."""
    from dos.temporal.productivity import ProductivityPolicy, WorkHistory, classify

    table = config.table("productivity")
    policy = ProductivityPolicy(min_steps=_or(min_steps, table, "min_steps"),
                                floor=_or(floor, table, "floor"))
    return classify(WorkHistory(tuple(deltas)), policy)


def productivity_json(verdict: ProductivityVerdict) -> ProductivityJSON:
    return cast(ProductivityJSON, with_schema(verdict.to_dict(), "productivity"))


def efficiency(config: SubstrateConfig, *, work: int, tokens: int,
               min_tokens: int | None = None, floor: float | None = None) -> EfficiencyVerdict:
    """EFFICIENT, COSTLY or WASTEFUL from work landed against tokens spent."""
    from dos.temporal.efficiency import EfficiencyEvidence, EfficiencyPolicy, classify

    table = config.table("efficiency")
    policy = EfficiencyPolicy(min_tokens=_or(min_tokens, table, "min_tokens"),
                              floor=float(_or(floor, table, "floor")))
    return classify(EfficiencyEvidence(work=work, tokens=tokens), policy)


def efficiency_json(verdict: EfficiencyVerdict) -> EfficiencyJSON:
    return cast(EfficiencyJSON, with_schema(verdict.to_dict(), "efficiency"))


def breaker(config: SubstrateConfig, *, consecutive: int, total: int,
            max_consecutive: int | None = None, max_total: int | None = None,
            on_trip: str | None = None) -> BreakerVerdict:
    """CLOSED, or OPEN once a failure limit is reached (consecutive first)."""
    from dos.temporal.breaker import BreakerPolicy, Escalation, FailureCounts, classify

    table = config.table("breaker")
    trip = str(_or(on_trip, table, "on_trip"))
    try:
        escalation = Escalation(trip.upper())
    except ValueError:
        raise UsageError(f"on_trip must be none, judge or human, got {trip!r}",
                         hint="pass --on-trip none|judge|human") from None
    policy = BreakerPolicy(max_consecutive=_or(max_consecutive, table, "max_consecutive"),
                           max_total=_or(max_total, table, "max_total"), on_trip=escalation)
    return classify(FailureCounts(consecutive=consecutive, total=total), policy)


def breaker_json(verdict: BreakerVerdict) -> BreakerJSON:
    return cast(BreakerJSON, with_schema(verdict.to_dict(), "breaker"))


def _stamp(index: int, item: dict[str, Any]) -> int:
    """``attempted_at_ms``, else ``ts`` (any ISO-8601 time: fractions and offsets too);
    a row whose time cannot be read is an error, never silently dropped."""
    at = item.get("attempted_at_ms")
    if at is None and isinstance(item.get("ts"), str):
        import datetime

        try:
            moment = datetime.datetime.fromisoformat(item["ts"].strip())
        except ValueError:
            moment = None
        if moment is not None:
            moment = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
            at = int(moment.timestamp() * 1000)
    if not fits_int(at, 0, MAX_EPOCH_MS):
        raise UsageError(f"--attempts[{index}] needs an integer attempted_at_ms from 0 to "
                         f"{MAX_EPOCH_MS}, or an ISO-8601 ts",
                         hint="epoch milliseconds, e.g. 1795000000000, or "
                              "2026-01-31T12:00:00.5+00:00")
    return int(at)


def _readable(index: int, item: dict[str, Any]) -> bool:
    """Whether the row is an attempt: a journal dump's other ops are skipped; a row
    of a newer journal schema cannot be read soundly and is an error."""
    schema = item.get("schema")
    if isinstance(schema, dict) and fits_int(schema.get("version"), 2, 2**31):
        raise UsageError(f"--attempts[{index}] is of schema version {schema['version']}, "
                         "newer than this dos reads", hint="upgrade dos")
    return str(item.get("op", "") or "ATTEMPT").upper() == "ATTEMPT"


def attempts_from_json(text: str, unit: str) -> list[Attempt]:
    """The ``--attempts`` JSON array (a journal dump is fine: rows of other ops are
    skipped); an attempt without ``unit_id`` is ``unit``'s. ``cooldown`` and
    ``pick-priority`` read it with this one function, so they agree on every row."""
    try:
        data = jsonc.loads(text)  # bounded nesting: a deep document is an error, not a crash
    except ValueError as exc:
        raise UsageError(f"--attempts is not valid JSON ({exc})",
                         hint="quote the JSON array in single quotes") from None
    if not isinstance(data, list):
        raise UsageError("--attempts must be a JSON array", hint="wrap the attempts in [ ]")
    found = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise UsageError(f"--attempts[{index}] must be a JSON object",
                             hint='give each attempt as {"unit_id": …, "outcome": …, '
                                  '"attempted_at_ms": …}')
        if _readable(index, item):
            found.append(Attempt(str(item.get("unit_id", unit)), str(item.get("outcome", "")),
                                 _stamp(index, item)))
    return found


_MAX_UNIT_ATTEMPTS = 100_000


def stored_attempts(config: SubstrateConfig, unit: str) -> list[Attempt]:
    """``unit``'s attempts from the store's attempts table, by its index (never a walk
    through the journal); none, and no store created, when there is no store."""
    from dos.store import reading

    with reading(config) as tx:
        if tx is None:
            return []
        return [Attempt(row.unit_id, row.outcome, row.attempted_at_ms)
                for row in tx.attempts(unit_id=unit, limit=_MAX_UNIT_ATTEMPTS)]


def cooldown(config: SubstrateConfig, unit: str, *, now_ms: int | None = None,
             attempts: Sequence[Attempt] | None = None, window_ms: int | None = None,
             error_window_ms: int | None = None) -> CooldownVerdict:
    """CLEAR, or RECENTLY_ATTEMPTED while a window after ``unit``'s last attempt lasts.
    ``attempts`` replaces the store's attempts table."""
    from dos.api.temporal import resolve_now
    from dos.temporal.cooldown import CooldownPolicy, classify

    if not unit.strip():
        raise UsageError("UNIT is empty", hint="name the unit, e.g. `dos cooldown AUTH2`")
    policy = CooldownPolicy.from_table(config.table("cooldown"))
    changes = {key: value for key, value in (("window_ms", window_ms),
                                             ("error_window_ms", error_window_ms))
               if value is not None}
    policy = structs.replace(policy, **changes)
    found = list(attempts) if attempts is not None else stored_attempts(config, unit.strip())
    return classify(unit.strip(), found, resolve_now(config, now_ms), policy)


def cooldown_json(verdict: CooldownVerdict) -> CooldownJSON:
    return cast(CooldownJSON, with_schema(verdict.to_dict(), "cooldown"))
