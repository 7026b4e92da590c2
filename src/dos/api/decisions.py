"""``dos decisions``: the operator's queue, for the CLI, MCP and the screens alike.

:func:`queue` folds the store into ranked rows; pass the previous answer's ``cursor``
to fold only what was appended since (a refreshing screen never replays the
journals). :func:`resolve` journals who decided what about one row.
"""

from __future__ import annotations

from typing import Any

from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.errors import DosError, UsageError
from dos.record.decisions import DecisionRow, Ledger, Overclaim, Resolution, Resolver
from dos.record.decisions.reader import Heads
from dos.render import with_schema
from dos.structs import field, struct

__all__ = [
    "DEFAULT_SINCE",
    "Cursor",
    "DecisionQueue",
    "find",
    "queue",
    "queue_json",
    "record_override",
    "resolution_json",
    "resolve",
    "row_json",
]

DEFAULT_SINCE = "24h"
_NOTE_MAX = 1000
_OWNER_MAX = 200


@struct
class Cursor:
    """Where the last answer stopped reading, and what it had folded."""

    heads: Heads
    window_ms: int
    ledger: Ledger
    plans: tuple[object, tuple[Overclaim, ...]] = (None, ())


@struct
class DecisionQueue:
    """One answer: the rows shown, recent resolutions and overrides, and the cursor."""

    rows: list[DecisionRow]
    history: list[Resolution]
    everything: bool
    now_ms: int
    since_ms: int
    counts: dict[str, int] = field(default_factory=dict)  # resolver → rows, shown or not
    notes: list[str] = field(default_factory=list)
    cursor: Cursor | None = None

    @property
    def hidden(self) -> int:
        return sum(self.counts.values()) - len(self.rows)


def _window_ms(since: str | None, now_ms: int) -> int:
    from dos.api.observe import since_ms

    start = since_ms(since or DEFAULT_SINCE, now_ms)
    return max(0, now_ms - start)


def _canonical(config: SubstrateConfig) -> Any:
    return lambda name: config.lanes.resolve(name) or name.strip()


def _launch_of(config: SubstrateConfig) -> Any:
    from dos.temporal.supervise import SupervisePolicy

    try:
        policy = SupervisePolicy.from_table(config.table("supervise"))
    except DosError:
        return lambda _lane: ""
    return policy.launch_command


def _overclaims(config: SubstrateConfig, cached: tuple[object, tuple[Overclaim, ...]],
                notes: list[str]) -> tuple[object, tuple[Overclaim, ...]]:
    """The plan's over-claims, recomputed only when HEAD or the plan documents changed;
    nothing at all (no git) when the workspace declares no plan."""
    from dos.truth.plan_board import divergence
    from dos.truth.plan_source import harvest

    try:
        phases = harvest(config.root, config.paths.plans_glob)
        if not phases:
            return None, ()
        from dos.truth.oracle import PhaseQuery, verify_many
        from dos.truth.ship_evidence_indexed import default_evidence

        evidence = default_evidence(config)
        key = (evidence.head, tuple((p.plan, p.phase, p.claimed, p.doc_path) for p in phases))
        if cached[0] == key:
            return cached
        verdicts = verify_many([PhaseQuery(p.plan, p.phase) for p in phases], config,
                               evidence=evidence)
    except DosError as error:
        notes.append(f"plan over-claims not checked: {error.message}")
        return None, ()
    return key, tuple(Overclaim(p.plan, p.phase, p.doc_path, v.source)
                      for p, v in zip(phases, verdicts, strict=True)
                      if divergence(p.claimed, v.shipped) == "⚠over-claim")


def queue(config: SubstrateConfig, *, everything: bool = False, since: str | None = None,
          cursor: Cursor | None = None) -> DecisionQueue:
    """The queue: HUMAN rows (every row with ``everything``) inside the window ``since``
    (default 24h: epoch ms, ISO-8601 or an age), ranked; with ``cursor``, only the
    records appended since it are read. Reads only; a workspace without a store has
    only its plan's over-claims."""
    from dos.api.observe import since_ms
    from dos.record.decisions import Facts, build_rows
    from dos.record.decisions.memory import Routed
    from dos.record.decisions.reader import lease_facts, memory_routed
    from dos.store import reading
    from dos.temporal.evidence import store_now_ms

    if since is not None:
        since_ms(since, 0)  # malformed: a usage error before the store is read
    notes: list[str] = []
    memory: list[Routed] = []
    with reading(config) as tx:
        if tx is None:
            now = store_now_ms(config)
            window = cursor.window_ms if cursor else _window_ms(since, now)
            ledger, heads = Ledger(), Heads(0, 0)
            history: list[Resolution] = []
            leases: list[Lease] = []
        else:
            now = tx.now_ms()
            window = cursor.window_ms if cursor else _window_ms(since, now)
            ledger, heads, history = _fold(tx, config, cursor, now - window)
            leases = lease_facts(tx, now - window)
            memory = list(memory_routed(tx).values())
    plans = _overclaims(config, cursor.plans if cursor else (None, ()), notes)
    from dos.admission.reasons import registry

    facts = Facts(now_ms=now, leases=leases, overclaims=plans[1], memory=memory,
                  category_of=registry(config).category_for, launch_of=_launch_of(config))
    every = build_rows(ledger, facts)
    shown = every if everything else [row for row in every if row.resolver is Resolver.HUMAN]
    counts: dict[str, int] = {}
    for row in every:
        counts[row.resolver.value] = counts.get(row.resolver.value, 0) + 1
    return DecisionQueue(shown, history, everything, now, now - window, counts, notes,
                         Cursor(heads, window, ledger, plans))


def _fold(tx: Any, config: SubstrateConfig, cursor: Cursor | None, since: int
          ) -> tuple[Ledger, Heads, list[Resolution]]:
    from dos.record.decisions.reader import (
        feed,
        heads,
        history,
        new_decisions,
        resolutions,
        window_start,
    )

    head = heads(tx)
    start = window_start(tx, head, since)
    decided = resolutions(tx)
    if cursor is not None and not new_decisions(tx, after=cursor.heads.ops, head=head.ops):
        ledger = cursor.ledger.copy()
        after = Heads(max(start.ops, cursor.heads.ops), max(start.verdicts,
                                                            cursor.heads.verdicts))
    else:
        ledger, after = Ledger(decided), start
    feed(tx, ledger, after=after, head=head, canonical=_canonical(config))
    ledger.forget_before(since)
    return ledger, head, history(tx, decided, after=start.ops)


def queue_json(result: DecisionQueue) -> dict[str, Any]:
    """``dos decisions --json``: the rows, the resolver counts, recent history."""
    from dos.record.decisions.model import iso_ms

    payload = {"rows": [row.to_dict() for row in result.rows],
               "all": result.everything, "now": iso_ms(result.now_ms),
               "since": iso_ms(result.since_ms), "pending": len(result.rows),
               "hidden": result.hidden, "counts": dict(sorted(result.counts.items())),
               "history": [item.to_dict() for item in result.history],
               "notes": list(result.notes)}
    return with_schema(payload, "decisions")  # type: ignore[no-any-return]


def find(rows: list[DecisionRow], target: int | str) -> DecisionRow:
    """The row ``target`` names: its # in this answer or its handle (else UsageError)."""
    import re

    text = str(target).strip()
    listed = "`dos decisions --all` lists the rows with their numbers and handles"
    if text.isdecimal() and len(text) <= 9:
        number = int(text)
        found = [row for row in rows if row.number == number]
        what = f"no decision #{number} is pending"
    elif re.fullmatch(r"h[0-9a-f]{10}", text):
        found = [row for row in rows if row.handle == text]
        what = f"no pending decision has the handle {text}"
    else:
        raise UsageError(f"{text[:40]!r} is neither a row number nor a handle",
                         hint="pass the # or the handle (h + 10 hex digits) that "
                              "`dos decisions` shows")
    if not found:
        raise UsageError(f"{what} (resolved meanwhile, settled, or never listed)", hint=listed)
    return found[0]


def resolve(config: SubstrateConfig, target: int | str, *, approve: bool, note: str = "",
            owner: str = "", since: str | None = None) -> Resolution:
    """Journal ``owner``'s decision about one row (its number in the ranked queue, or its
    handle) as a DECIDE record; the row leaves the queue and the journal keeps it. An
    approved row's ``command`` is what to run: dos never runs or signals anything."""
    import os

    from dos.admission.holder import OWNER_ENV, resolve_owner
    from dos.store import writing
    from dos.store.journal import JournalEntry

    if not (owner.strip() or os.environ.get(OWNER_ENV, "").strip()):
        raise UsageError("resolve needs to know who decides: the journal keeps who did",
                         hint=f"pass --owner NAME or set {OWNER_ENV}")
    who = resolve_owner(owner, allow_host_pid=False)
    if len(who) > _OWNER_MAX or len(note) > _NOTE_MAX or "\x00" in who + note:
        raise UsageError(f"--owner must be at most {_OWNER_MAX} and --note at most "
                         f"{_NOTE_MAX} characters, without NUL",
                         hint="shorten them; the journal keeps both")
    found = queue(config, everything=True, since=since)
    row = find(found.rows, target)
    decision = "approve" if approve else "dismiss"
    command = row.proposed_command if approve else ""
    payload = {"decision": decision, "handle": row.handle, "kind": row.kind.value,
               "reason_token": row.reason_token, "subject": row.subject, "note": note,
               "command": command, "through": dict(row.through), "number": row.number}
    read_up_to = found.cursor.heads.ops if found.cursor else 0
    with writing(config) as tx:
        _not_taken(tx, row.handle, after=read_up_to)
        record = tx.append(JournalEntry("DECIDE", lane=row.lane, holder=who,
                                        run_id=row.run_id, payload=payload))
    return Resolution(decision, row.handle, row.kind.value, row.lane, row.reason_token, who,
                      note, command, row.run_id, row.subject, record.ts_ms, record.seq,
                      dict(row.through), row.number)


def _not_taken(tx: Any, handle: str, *, after: int) -> None:
    """Refuse a second decision about a row someone resolved since it was read."""
    from dos.record.decisions.sightings import resolution_of

    for record in tx.journal_records(op="DECIDE", after_seq=after, limit=1000):
        done = resolution_of(record)
        if done is not None and done.handle == handle:
            raise UsageError(f"{done.owner} already decided {handle} ({done.decision}) "
                             f"at seq {done.seq}", hint="`dos decisions --all` shows it in "
                             "the history")


def row_json(row: DecisionRow) -> dict[str, Any]:
    return with_schema(row.to_dict(), "decisions")  # type: ignore[no-any-return]


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    return with_schema(resolution.to_dict(), "decisions")  # type: ignore[no-any-return]


def record_override(config: SubstrateConfig, *, lane: str, overridden: tuple[str, ...],
                    reason: str, command: str) -> Resolution | None:
    """Journal an operator override (``dos arbitrate --force`` admitting what the
    arbiter refuses) as a DECIDE record, so ``dos decisions --all`` shows who overrode
    what. Never changes the verdict: a store that cannot take it is one warning line."""
    import sys

    from dos.admission.holder import resolve_owner
    from dos.store import writing
    from dos.store.journal import JournalEntry

    if not overridden:
        return None
    who = resolve_owner("", allow_host_pid=True)
    payload = {"decision": "override", "kind": "ARBITRATE_FORCE",
               "reason_token": ",".join(overridden), "note": reason, "command": command}
    try:
        with writing(config) as tx:
            record = tx.append(JournalEntry("DECIDE", lane=lane, holder=who, payload=payload))
    except DosError as error:
        sys.stderr.write(f"dos: warning: the override was not journaled ({error.message})\n")
        return None
    return Resolution("override", "", "ARBITRATE_FORCE", lane, ",".join(overridden), who,
                      reason, command, ts_ms=record.ts_ms, seq=record.seq)
