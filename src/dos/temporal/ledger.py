"""A run's intent ledger folded into what recovery needs. Pure.

The records come from the store in seq order; whether their hash chain holds is checked
at the edge and handed in (``chain_problem``), since this module does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from dos.structs import field, struct

__all__ = ["Checkpoint", "Ledger", "LedgerRecord", "Proposal", "fold"]


class LedgerRecord(Protocol):
    """What the fold reads of one sealed intent record."""

    @property
    def seq(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def step(self) -> str: ...
    @property
    def commit(self) -> str: ...
    @property
    def ts_ms(self) -> int: ...
    @property
    def hash(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


@struct
class Checkpoint:
    """A CHECKPOINT record: the commit HEAD was at, and the steps done by then."""

    seq: int
    hash: str
    commit: str
    done: tuple[str, ...] = ()
    turn: int | None = None


@struct
class Proposal:
    """A RESUME_PROPOSED record: the step to re-enter at and what was left."""

    seq: int
    step: str
    residual: tuple[str, ...]


@struct
class Ledger:
    """One run's ledger. ``done`` maps a step to the commit its newest STEP_DONE cites;
    ``events`` keeps (seq, kind, step, commit) in order for what came after a seq."""

    run_id: str
    records: int = 0
    chain_problem: str = ""
    intent_seq: int = 0
    declared: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()
    lane: str = ""
    unit: str = ""
    goal: str = ""
    done: Mapping[str, str] = field(default_factory=dict)
    started: tuple[str, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    events: tuple[tuple[int, str, str, str], ...] = ()
    reaped: bool = False
    last_ts_ms: int = 0

    @property
    def has_intent(self) -> bool:
        return self.intent_seq > 0


def _texts(raw: object) -> tuple[str, ...]:
    return tuple(item for item in raw if isinstance(item, str)) if isinstance(raw, list) \
        else ()


def _declared(raw: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The distinct declared steps in order, and the ones declared more than once."""
    steps = _texts(raw)
    distinct = tuple(dict.fromkeys(steps))
    repeated = tuple(dict.fromkeys(s for index, s in enumerate(steps) if s in steps[:index]))
    return distinct, repeated


def _checkpoint(record: LedgerRecord) -> Checkpoint:
    turn = record.payload.get("turn")
    return Checkpoint(record.seq, record.hash, record.commit, _texts(record.payload.get("done")),
                      turn if type(turn) is int else None)


def fold(run_id: str, records: Sequence[LedgerRecord] | Iterable[LedgerRecord], *,
         chain_problem: str = "") -> Ledger:
    """The run's ledger. Only the first INTENT declares (a later one is refused by the
    writer; one that got in anyway is ignored); steps it does not declare are ignored."""
    state: dict[str, Any] = {"done": {}, "started": [], "proposals": [], "checkpoints": [],
                             "events": []}
    count, last_ts, reaped = 0, 0, False
    for record in records:
        count, last_ts = count + 1, max(last_ts, record.ts_ms)
        if record.kind == "INTENT" and "intent_seq" not in state:
            state["intent_seq"] = record.seq
            state["declared"], state["duplicates"] = _declared(record.payload.get("steps"))
            for key in ("lane", "unit", "goal"):
                value = record.payload.get(key)
                state[key] = value if isinstance(value, str) else ""
        declared = state.get("declared", ())
        if record.kind in ("STEP_STARTED", "STEP_DONE") and record.step in declared:
            state["events"].append((record.seq, record.kind, record.step, record.commit))
            if record.kind == "STEP_DONE":
                state["done"][record.step] = record.commit
            elif record.step not in state["started"]:
                state["started"].append(record.step)
        elif record.kind == "RESUME_PROPOSED":
            state["proposals"].append(Proposal(record.seq, record.step,
                                               _texts(record.payload.get("residual"))))
        elif record.kind == "CHECKPOINT" and "intent_seq" in state:
            state["checkpoints"].append(_checkpoint(record))
        reaped = reaped or record.kind == "REAPED"
    return Ledger(
        run_id=run_id, records=count, chain_problem=chain_problem,
        intent_seq=state.get("intent_seq", 0), declared=state.get("declared", ()),
        duplicates=state.get("duplicates", ()), lane=state.get("lane", ""),
        unit=state.get("unit", ""), goal=state.get("goal", ""), done=state["done"],
        started=tuple(state["started"]), proposals=tuple(state["proposals"]),
        checkpoints=tuple(state["checkpoints"]), events=tuple(state["events"]),
        reaped=reaped, last_ts_ms=last_ts)
