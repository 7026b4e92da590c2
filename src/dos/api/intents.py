"""The intent ledger's writers and reader (``dos intent …`` and the Python API).

A worker declares its run's steps (INTENT), then records each step it starts and
finishes (STEP_STARTED, STEP_DONE with the full SHA of the step's commit); a CHECKPOINT
seals the commit HEAD is at. Every record lands in the store, in the run's own hash
chain; the run id is validated before any use and never becomes a path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import with_schema
from dos.store.intents import IntentEntry, IntentRecord
from dos.structs import struct
from dos.temporal.ledger import Ledger, fold

__all__ = ["LedgerView", "Recorded", "check_commit", "check_steps", "checkpoint",
           "read_ledger", "recorded_json", "show", "show_json", "shown_commits", "start",
           "step"]

MAX_STEPS = 1000
_STEP = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")
_FULL_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_STEP_HINT = "a step id is 1-128 of A-Z a-z 0-9 . _ : / - (starting with a letter or digit)"


@struct
class Recorded:
    """Whether a ledger write happened; ``reason`` says why not."""

    recorded: bool
    run_id: str
    record: IntentRecord | None = None
    reason: str = ""
    held: bool = False  # nothing recorded because the ledger already says it

    @property
    def ok(self) -> bool:
        return self.recorded or self.held

    def to_dict(self) -> dict[str, Any]:
        return {"recorded": self.recorded, "run_id": self.run_id, "reason": self.reason,
                "record": self.record.to_dict() if self.record else None}


def _run_id(run_id: str) -> str:
    from dos.api.temporal import check_run_id

    return check_run_id(run_id)


def _step(step: str) -> str:
    text = step.strip()
    if not _STEP.fullmatch(text):
        raise UsageError(f"{step!r} is not a step id", hint=_STEP_HINT)
    return text


def check_steps(steps: str | Sequence[str]) -> tuple[str, ...]:
    """Declared steps (a comma list or a sequence): each a step id, none twice."""
    items = steps.split(",") if isinstance(steps, str) else list(steps)
    found = tuple(_step(item) for item in items)
    if not found or len(found) > MAX_STEPS:
        raise UsageError(f"--steps must name 1 to {MAX_STEPS} steps", hint="e.g. --steps "
                         "schema,api,tests")
    twice = sorted({item for item in found if found.count(item) > 1})
    if twice:
        raise UsageError(f"step(s) {', '.join(twice)} declared more than once",
                         hint="declare each step once: completion counts distinct steps")
    return found


def check_commit(config: SubstrateConfig, sha: str) -> str:
    """``sha`` when it is the full SHA of a commit object here. A symbolic ref (HEAD), a
    branch name or an abbreviation is refused: it names no fixed commit."""
    from dos.git.history import existing_commits

    text = sha.strip().lower()
    if not _FULL_SHA.fullmatch(text):
        raise UsageError(f"--commit {sha!r} is not a full commit SHA",
                         hint="pass the 40-hex SHA, e.g. --commit \"$(git rev-parse HEAD)\"; "
                              "a ref or an abbreviation moves or collides")
    if existing_commits(config.root, [text]).get(text) != text:
        raise UsageError(f"--commit {text} is not a commit in {config.root}",
                         hint="commit the step first, then record it with its SHA")
    return text


def _declared(records: Sequence[IntentRecord]) -> tuple[str, ...] | None:
    ledger = fold(records[0].run_id, records) if records else None
    return ledger.declared if ledger is not None and ledger.has_intent else None


def start(config: SubstrateConfig, run_id: str, steps: str | Sequence[str], *,
          lane: str = "", unit: str = "", goal: str = "") -> Recorded:
    """Declare the run's steps (INTENT). The same declaration again is a no-op; a
    different one is refused: a run declares once."""
    from dos.store import writing

    rid, declared = _run_id(run_id), check_steps(steps)
    if lane.strip():
        from dos.admission.declared import declared_lane

        lane = declared_lane(config, lane)
    if unit.strip():
        from dos.api.attempts import check_unit

        unit = check_unit(unit, flag="--unit")
    payload = {"steps": list(declared), **{key: value.strip() for key, value in (
        ("lane", lane), ("unit", unit), ("goal", goal[:500])) if value.strip()}}
    with writing(config) as tx:
        before = _declared(tx.intents(rid))
        if before is not None:
            same = before == declared
            return Recorded(False, rid, reason="already declared with the same steps" if same
                            else f"run {rid} already declared {', '.join(before)}; a run "
                                 "declares once — mint a new run id to change the plan",
                            held=same)
        return Recorded(True, rid, tx.append_intent(IntentEntry(rid, "INTENT",
                                                                payload=payload)))


def step(config: SubstrateConfig, run_id: str, step_id: str, *, done: bool,
         commit: str = "") -> Recorded:
    """Record that the run started a declared step, or finished it at ``commit``."""
    from dos.store import writing

    rid, name = _run_id(run_id), _step(step_id)
    if done and not commit.strip():
        raise UsageError("--done needs --commit SHA", hint="the step's commit is what git checks")
    if not done and commit.strip():
        raise UsageError("--commit goes with --done", hint="a started step has no commit yet")
    sha = check_commit(config, commit) if done else ""
    with writing(config) as tx:
        declared = _declared(tx.intents(rid))
        if declared is None:
            return Recorded(False, rid, reason=f"run {rid} has no INTENT: declare its steps "
                                               "first (`dos intent start`)")
        if name not in declared:
            return Recorded(False, rid, reason=f"step {name} is not one run {rid} declared "
                                               f"({', '.join(declared)})")
        kind = "STEP_DONE" if done else "STEP_STARTED"
        return Recorded(True, rid, tx.append_intent(IntentEntry(rid, kind, step=name,
                                                                commit=sha)))


def checkpoint(config: SubstrateConfig, run_id: str, *, turn: int | None = None) -> Recorded:
    """Seal a CHECKPOINT at the commit HEAD is at now (read from git, never given), with
    the steps git shows done by then; ``turn`` is the host's transcript position."""
    from dos.git.progress import head_sha
    from dos.store import writing

    rid = _run_id(run_id)
    head = head_sha(config.root)
    if not head:
        raise UsageError(f"{config.root} has no commit to checkpoint at",
                         hint="commit first; a checkpoint stands at a commit")
    view = show(config, rid)
    if not view.ledger.has_intent or view.ledger.chain_problem:
        return Recorded(False, rid, reason=view.ledger.chain_problem or
                        f"run {rid} has no INTENT: declare its steps first")
    done = [name for name in view.ledger.declared if view.ledger.done.get(name) in view.shown]
    payload: dict[str, Any] = {"done": done, **({"turn": turn} if turn is not None else {})}
    with writing(config) as tx:
        return Recorded(True, rid, tx.append_intent(IntentEntry(rid, "CHECKPOINT", commit=head,
                                                                payload=payload)))


def read_ledger(config: SubstrateConfig, run_id: str) -> tuple[list[IntentRecord], Ledger]:
    """The run's records and their fold, the chain checked; none, and no store created,
    when there is no store."""
    from dos.store import reading
    from dos.store.journal import check_chain

    with reading(config) as tx:
        records = tx.intents(run_id) if tx is not None else []
    report = check_chain(records)
    return records, fold(run_id, records, chain_problem=report.problem)


def shown_commits(config: SubstrateConfig, ledger: Ledger,
                  extra: Sequence[str] = ()) -> set[str]:
    """The ledger's commits git shows as commit objects in HEAD's history (full SHAs
    only: anything else names no fixed commit)."""
    from dos.git.history import ancestors, existing_commits
    from dos.git.progress import head_sha

    cited = {sha for sha in (*ledger.done.values(), *(p.commit for p in ledger.checkpoints),
                             *(c for _seq, _kind, _step, c in ledger.events), *extra)
             if _FULL_SHA.fullmatch(sha)}
    head = head_sha(config.root) if cited else ""
    if not head:
        return set()
    real = existing_commits(config.root, sorted(cited))
    return ancestors(config.root, head, [sha for name, sha in real.items() if name == sha])


@struct
class LedgerView:
    records: tuple[IntentRecord, ...]
    ledger: Ledger
    shown: frozenset[str]


def show(config: SubstrateConfig, run_id: str) -> LedgerView:
    """The run's ledger, its chain checked, with what git shows of its commits."""
    records, ledger = read_ledger(config, _run_id(run_id))
    return LedgerView(tuple(records), ledger, frozenset(shown_commits(config, ledger)))


def _state(view: LedgerView, name: str) -> str:
    commit = view.ledger.done.get(name)
    if commit is not None:
        return "DONE" if commit in view.shown else "UNSHOWN"
    return "STARTED" if name in view.ledger.started else "PENDING"


def show_json(view: LedgerView) -> dict[str, Any]:
    ledger = view.ledger
    return with_schema({  # type: ignore[no-any-return]
        "run_id": ledger.run_id, "records": [record.to_dict() for record in view.records],
        "chain_ok": not ledger.chain_problem, "chain_problem": ledger.chain_problem,
        "declared": list(ledger.declared), "lane": ledger.lane, "unit": ledger.unit,
        "goal": ledger.goal, "reaped": ledger.reaped,
        "steps": [{"step": name, "state": _state(view, name),
                   "commit": ledger.done.get(name, "")} for name in ledger.declared],
        "checkpoints": [{"seq": p.seq, "hash": p.hash, "commit": p.commit, "turn": p.turn,
                         "done": list(p.done)} for p in ledger.checkpoints]}, "intent")


def recorded_json(result: Recorded) -> dict[str, Any]:
    return with_schema(result.to_dict(), "intent")  # type: ignore[no-any-return]
