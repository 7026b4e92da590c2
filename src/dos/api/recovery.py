"""``dos resume``, ``dos complete`` and ``dos rewind``: a stopped run judged from its
ledger in the store and from git, never from the run's own say-so."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.store.intents import IntentEntry
from dos.structs import struct
from dos.temporal.recovery import Completion, ResumePlan, RewindPlan
from dos.verdicts.recovery import ResumeToken

__all__ = ["Resumed", "complete", "complete_json", "proposed_command", "resume",
           "resume_json", "rewind", "rewind_json"]

_TRIES = 3  # re-judge when another writer extended the ledger meanwhile


@struct
class Resumed:
    plan: ResumePlan
    proposed_now: bool = False


def proposed_command(plan: ResumePlan) -> str:
    """What a successor runs to re-enter (a command that exists)."""
    return f"dos intent step {plan.run_id} {plan.resume_step} --started"


def resume(config: SubstrateConfig, run_id: str, *, record: bool = True,
           diverged: bool = False) -> Resumed:
    """Where a successor re-enters; on RESUMABLE, RESUME_PROPOSED is appended once per
    re-entry point (called twice, the second call records nothing), unless ``record``
    is off. Nothing is created when there is no store."""
    from dos.api.intents import show
    from dos.store import updating
    from dos.temporal.recovery import resume_plan

    for attempt in range(_TRIES):
        view = show(config, run_id)
        plan = resume_plan(view.ledger, view.shown, diverged=diverged)
        if plan.token is not ResumeToken.RESUMABLE or not record or plan.already_proposed:
            return Resumed(plan)
        with updating(config) as tx:
            if tx is None:
                return Resumed(plan)
            head = tx.intents(plan.run_id)
            moved = [r.hash for r in head] != [r.hash for r in view.records]
            if not moved:
                tx.append_intent(IntentEntry(
                    plan.run_id, "RESUME_PROPOSED", step=plan.resume_step,
                    commit=plan.resume_sha, payload={"residual": list(plan.residual)}))
                return Resumed(plan, proposed_now=True)
        if attempt == _TRIES - 1:  # the ledger kept moving: answer, record nothing
            return Resumed(plan)
    raise AssertionError("unreachable")  # pragma: no cover


def resume_json(found: Resumed) -> dict[str, Any]:
    payload = {**found.plan.to_dict(), "proposed_now": found.proposed_now}
    if found.plan.token is ResumeToken.RESUMABLE:
        payload["proposed_command"] = proposed_command(found.plan)
    return with_schema(payload, "resume")  # type: ignore[no-any-return]


def complete(config: SubstrateConfig, run_id: str) -> Completion:
    """Whether git shows every distinct declared step of the run done; reads only."""
    from dos.api.intents import show
    from dos.temporal.recovery import completion

    view = show(config, run_id)
    return completion(view.ledger, view.shown)


def complete_json(found: Completion) -> dict[str, Any]:
    return with_schema(found.to_dict(), "complete")  # type: ignore[no-any-return]


def rewind(config: SubstrateConfig, run_id: str, *, to_seq: int | None = None) -> RewindPlan:
    """Whether to cut the run back to a checkpoint sealed in its chain (the latest, or
    ``to_seq``); the dead end is read from git and the ledger, never asserted by the
    caller. Reads only."""
    from dos.api.intents import show
    from dos.temporal.recovery import rewind_plan

    view = show(config, run_id)
    return rewind_plan(view.ledger, view.shown, to_seq=to_seq)


def rewind_json(found: RewindPlan) -> dict[str, Any]:
    return with_schema(found.to_dict(), "rewind")  # type: ignore[no-any-return]
