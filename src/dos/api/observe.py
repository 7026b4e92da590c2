"""What has the referee decided? The verdict journal rolled up, its newest records, and
whether its chain holds (``dos observe``, MCP ``dos_observe``).

Reads only: a workspace without a store reads as an empty journal and none is created.
Memory is bounded whatever the journal's length: the rollup is counted by the database,
at most ``tail`` records are read out, and the chain is checked as
:mod:`dos.record.verdict_verify` describes (the checkpoint it keeps is the one file this
writes, beside an existing store).
"""

from __future__ import annotations

from typing import Any, TypedDict

from dos import structs
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.record.verdict_event import VerdictEvent
from dos.record.verdict_verify import ChainCheck
from dos.render import with_schema
from dos.structs import field, struct
from dos.verdicts.ops import ObserveToken

__all__ = ["DIMENSIONS", "MAX_TAIL", "Observation", "ObserveJSON", "iso_ms", "observe",
           "observe_json", "observe_token", "shown_value", "since_ms"]

DIMENSIONS = ("syscall", "verdict", "run_id", "lane", "source")
MAX_TAIL = 10_000
DEFAULT_EVENTS = 20  # records in --json without --tail
RUN_BUDGET_S = 1.0  # what a run may spend before it stops re-hashing (see verdict_verify)
_NAME_MAX = 128
_UNITS_MS = {"s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


class ObserveJSON(TypedDict):
    """``dos observe --json``."""

    run: str | None
    syscall_filter: str | None
    since_ms: int | None
    enabled: bool
    corrupt: int
    rollup: dict[str, Any]
    events: list[dict[str, Any]]
    chain: dict[str, Any]
    schema: dict[str, Any]


@struct
class Observation:
    """One look at the journal: ``rollup`` rows are (dimension value, verdict, count)."""

    by: str
    run: str | None
    syscall: str | None
    since_ms: int | None
    enabled: bool
    rollup: list[tuple[str, str, int]] = field(default_factory=list)
    events: list[VerdictEvent] = field(default_factory=list)
    chain: ChainCheck = field(default_factory=ChainCheck)

    @property
    def total(self) -> int:
        return sum(count for _value, _verdict, count in self.rollup)


def since_ms(text: str, now_ms: int) -> int:
    """``--since``: epoch ms, an ISO-8601 time (UTC unless it says), or an age such as
    ``30m``, ``24h``, ``7d`` before ``now_ms``."""
    raw = text.strip()
    if raw.isdigit() and len(raw) <= 15:
        return int(raw)
    if raw[:-1].isdigit() and raw[-1:] in _UNITS_MS and len(raw) <= 10:
        return now_ms - int(raw[:-1]) * _UNITS_MS[raw[-1]]
    import datetime

    try:
        moment = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"--since {text!r} is not a time", hint="pass epoch ms, an ISO-8601 "
                         "time (2026-01-31T12:00:00Z) or an age (30m, 24h, 7d)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return int(moment.timestamp() * 1000)


def _name(flag: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip() or len(value) > _NAME_MAX:
        raise UsageError(f"{flag} must be 1 to {_NAME_MAX} characters",
                         hint=f"e.g. {flag} {'verify' if flag == '--syscall' else 'RID-…'}")
    return value.strip()


def _check(by: str, tail: int | None) -> None:
    if by not in DIMENSIONS:
        raise UsageError(f"--by {by!r} is not a dimension", hint="one of " + ", ".join(DIMENSIONS))
    if tail is not None and not 1 <= tail <= MAX_TAIL:
        raise UsageError(f"--tail must be 1 to {MAX_TAIL}, got {tail}", hint="e.g. --tail 20")


def observe(config: SubstrateConfig, *, run: str | None = None, syscall: str | None = None,
            by: str = "syscall", tail: int | None = None, since: str | None = None,
            full: bool = False) -> Observation:
    """The rollup ``by`` a dimension, the newest ``tail`` records (20 without), both of
    ``run`` / ``syscall`` / ``since`` when given, and the chain check (``full``:
    re-hash every record, however long it takes)."""
    _check(by, tail)
    run, syscall = _name("--run", run), _name("--syscall", syscall)
    if since is not None:
        since_ms(since, 0)  # a malformed --since is a usage error before the store is read
    from dos.record.verdict_journal import enabled
    from dos.store import store_for

    blank = Observation(by=by, run=run, syscall=syscall, since_ms=None, enabled=enabled(config))
    store = store_for(config)
    try:
        if not store.exists():
            return blank
        return _read(store, blank, tail or DEFAULT_EVENTS, since, full)
    finally:
        store.close()


def _read(store: Any, blank: Observation, count: int, since: str | None,
          full: bool) -> Observation:
    from time import monotonic

    from dos.record.verdict_checkpoint import checkpoint_path, read_checkpoint, write_checkpoint
    from dos.record.verdict_verify import check_verdict_chain

    started, path = monotonic(), checkpoint_path(store)
    with store.transaction(write=False) as tx:
        cutoff = since_ms(since, tx.now_ms()) if since is not None else None
        where = {"syscall": blank.syscall, "run_id": blank.run, "since_ms": cutoff}
        rollup = tx.verdict_rollup(blank.by, **where)
        newest = tx.verdict_records(limit=count, newest_first=True, **where)
        chain, checkpoint = check_verdict_chain(
            tx, read_checkpoint(path, store.head_store), store=store.head_store, full=full,
            budget_s=RUN_BUDGET_S, started=started)
    if checkpoint is not None:
        write_checkpoint(path, checkpoint)
    events = [VerdictEvent(seq=r.seq, ts_ms=r.ts_ms, syscall=r.syscall, verdict=r.verdict,
                           source=r.source, subject=r.subject, run_id=r.run_id, lane=r.lane,
                           detail=dict(r.detail)) for r in reversed(newest)]
    return structs.replace(blank, since_ms=cutoff, rollup=rollup, events=events,
                               chain=chain)


def observe_token(observation: Observation) -> ObserveToken:
    return ObserveToken.INTACT if observation.chain.ok else ObserveToken.BROKEN


def _dimension_order(by: str, values: set[str]) -> list[str]:
    from dos.record.verdict_syscalls import KNOWN_SYSCALLS

    known = [name for name in KNOWN_SYSCALLS if name in values] if by == "syscall" else []
    return known + sorted(values - set(known))


def shown_value(by: str, value: str) -> str:
    """A dimension value as ``observe`` shows it (a blank one named)."""
    return value or ("(unattributed)" if by == "run_id" else "(none)")


def iso_ms(ms: int) -> str:
    """Epoch ms as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (the journal keeps milliseconds)."""
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def observe_json(observation: Observation) -> ObserveJSON:
    counts: dict[str, dict[str, int]] = {}
    for value, verdict, count in observation.rollup:
        counts.setdefault(shown_value(observation.by, value), {})[verdict] = count
    corrupt = 0 if observation.chain.ok else 1
    payload = {
        "run": observation.run, "syscall_filter": observation.syscall,
        "since_ms": observation.since_ms, "enabled": observation.enabled, "corrupt": corrupt,
        "rollup": {"by": observation.by, "total": observation.total, "corrupt": corrupt,
                   "dimensions": _dimension_order(observation.by, set(counts)),
                   "counts": {key: dict(sorted(value.items())) for key, value in counts.items()}},
        "events": [{**event.to_json(), "ts": iso_ms(event.ts_ms)}
                   for event in observation.events],
        "chain": observation.chain.to_dict()}
    return with_schema(payload, "observe")  # type: ignore[no-any-return]
