"""Recovery verdicts over a run's ledger and what git shows. Pure.

``shown`` is the set of commits the edge found to be full SHAs of commit objects in
HEAD's history; a step is done only when its newest STEP_DONE cites one of them. A
symbolic ref, a branch name or an abbreviation is never in ``shown``: it names no fixed
commit.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from dos.structs import struct
from dos.temporal.ledger import Checkpoint, Ledger
from dos.verdicts.recovery import CompleteToken, ResumeToken, RewindToken

__all__ = ["Completion", "ResumePlan", "RewindPlan", "completion", "resume_plan",
           "rewind_plan", "unusable"]


@struct
class ResumePlan:
    token: ResumeToken
    reason: str
    run_id: str
    resume_step: str = ""
    resume_sha: str = ""
    declared: tuple[str, ...] = ()
    verified: tuple[str, ...] = ()
    residual: tuple[str, ...] = ()
    unshown: tuple[str, ...] = ()  # steps whose STEP_DONE git does not show
    already_proposed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.token.value, "reason": self.reason, "run_id": self.run_id,
                "resume_step": self.resume_step, "resume_sha": self.resume_sha,
                "declared": list(self.declared), "verified": list(self.verified),
                "residual": list(self.residual), "unshown": list(self.unshown),
                "already_proposed": self.already_proposed}


def unusable(ledger: Ledger) -> str:
    """Why the ledger cannot be judged at all ("" when it can)."""
    if not ledger.records:
        return f"no intent ledger for run {ledger.run_id} — nothing to resume"
    if ledger.chain_problem:
        return (f"run {ledger.run_id}'s ledger fails its hash chain ({ledger.chain_problem}) "
                "— it was changed outside dos and cannot be trusted")
    if not ledger.has_intent:
        return f"run {ledger.run_id}'s ledger has no INTENT record — no declared steps"
    return ""


def _done(ledger: Ledger, shown: Collection[str]) -> tuple[str, ...]:
    return tuple(step for step in ledger.declared if ledger.done.get(step, "") in shown)


def resume_plan(ledger: Ledger, shown: Collection[str], *, diverged: bool = False) -> ResumePlan:
    """RESUMABLE at the first declared step git does not show as done; COMPLETE when it
    shows them all; DIVERGED when a later step is done past that hole (or the caller
    says the lane moved on); UNRESUMABLE when there is nothing sound to resume from."""
    why = unusable(ledger) or (
        "" if ledger.declared else f"run {ledger.run_id}'s INTENT declares no steps")
    if why:
        return ResumePlan(ResumeToken.UNRESUMABLE, why, ledger.run_id)
    verified = _done(ledger, shown)
    residual = tuple(step for step in ledger.declared if step not in verified)
    unshown = tuple(step for step in residual if step in ledger.done)
    base = ResumePlan(ResumeToken.COMPLETE, "", ledger.run_id, declared=ledger.declared,
                      verified=verified, residual=residual, unshown=unshown)
    n = len(ledger.declared)
    if not residual:
        return _with(base, ResumeToken.COMPLETE,
                     f"git shows all {n} declared step(s) done — nothing to resume")
    step = residual[0]
    before = ledger.declared[:ledger.declared.index(step)]
    sha = ledger.done[before[-1]] if before else ""
    later = [s for s in verified if ledger.declared.index(s) > ledger.declared.index(step)]
    proposed = bool(ledger.proposals) and (ledger.proposals[-1].step, ledger.proposals[-1]
                                           .residual) == (step, residual)
    plan = ResumePlan(base.token, "", ledger.run_id, step, sha, ledger.declared, verified,
                      residual, unshown, proposed)
    note = (f" ({len(unshown)} step(s) recorded done cite a commit git does not show: "
            f"{', '.join(unshown)})" if unshown else "")
    if later or diverged:
        past = (f"step(s) {', '.join(later)} are done past the first missing step {step}"
                if later else "the caller says the lane moved on")
        return _with(plan, ResumeToken.DIVERGED, f"{past} — ground truth advanced past the "
                     f"resume point; re-entering at {step} would redo work under it{note}")
    return _with(plan, ResumeToken.RESUMABLE, (
        f"git shows {len(verified)}/{n} declared step(s) done; resume at step {step} from "
        f"{sha[:12] if sha else 'the start'} with {len(residual)} step(s) left{note}"))


def _with(plan: ResumePlan, token: ResumeToken, reason: str) -> ResumePlan:
    from dos.structs import replace

    return replace(plan, token=token, reason=reason)


@struct
class Completion:
    token: CompleteToken
    reason: str
    run_id: str
    declared: tuple[str, ...] = ()
    verified: tuple[str, ...] = ()
    residual: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "state": self.token.value, "reason": self.reason, "run_id": self.run_id,
            "declared": list(self.declared), "verified": list(self.verified),
            "residual": list(self.residual),
            "is_done": self.token is CompleteToken.COMPLETE}
        if self.declared:
            payload["fraction_done"] = round(len(self.verified) / len(self.declared), 4)
        return payload


def completion(ledger: Ledger, shown: Collection[str]) -> Completion:
    """COMPLETE when git shows every distinct declared step done; a step declared twice
    counts once."""
    why = unusable(ledger)
    if why:
        return Completion(CompleteToken.INDETERMINATE, why, ledger.run_id)
    if not ledger.declared:
        return Completion(CompleteToken.UNDERDECLARED, f"run {ledger.run_id}'s INTENT "
                          "declares no steps — there is nothing to be complete against",
                          ledger.run_id)
    verified = _done(ledger, shown)
    residual = tuple(step for step in ledger.declared if step not in verified)
    n = len(ledger.declared)
    if not residual:
        return Completion(CompleteToken.COMPLETE, f"git shows all {n} declared step(s) done",
                          ledger.run_id, ledger.declared, verified)
    return Completion(CompleteToken.INCOMPLETE, f"{len(verified)}/{n} declared step(s) done "
                      f"by git; {len(residual)} left ({', '.join(residual)})", ledger.run_id,
                      ledger.declared, verified, residual)


@struct
class RewindPlan:
    token: RewindToken
    reason: str
    run_id: str
    checkpoint: Checkpoint | None = None
    fire: str = ""
    dropped_steps: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        point = self.checkpoint
        return {"verdict": self.token.value, "reason": self.reason, "run_id": self.run_id,
                "fire": self.fire, "checkpoint_seq": point.seq if point else None,
                "checkpoint_hash": point.hash if point else "",
                "checkpoint_commit": point.commit if point else "",
                "rewind_to_turn": point.turn if point and point.turn is not None else -1,
                "dropped_steps": list(self.dropped_steps)}


def _checkpoint(ledger: Ledger, to_seq: int | None) -> Checkpoint | str:
    if to_seq is None:
        return ledger.checkpoints[-1] if ledger.checkpoints else \
            f"run {ledger.run_id} has no checkpoint sealed in its ledger"
    found = [point for point in ledger.checkpoints if point.seq == to_seq]
    return found[0] if found else (f"seq {to_seq} is not a checkpoint in run "
                                   f"{ledger.run_id}'s chain")


def _fire(ledger: Ledger, point: Checkpoint, shown: Collection[str]) -> tuple[str, str]:
    """The dead end git and the ledger show after the checkpoint ("" when none)."""
    after = [event for event in ledger.events if event[0] > point.seq]
    gone = [step for _seq, kind, step, commit in after
            if kind == "STEP_DONE" and commit not in shown]
    if gone:
        return "DIVERGED", (f"step(s) {', '.join(dict.fromkeys(gone))} recorded done after it "
                            "cite commits git no longer shows")
    later = [p for p in ledger.proposals if p.seq > point.seq]
    if len(later) >= 2 and later[-1].step == later[-2].step and not any(
            kind == "STEP_DONE" and later[-2].seq < seq for seq, kind, _s, _c in after):
        return "STARVED", (f"two resumes at step {later[-1].step} since it and no step done "
                           "between them")
    return "", ""


def rewind_plan(ledger: Ledger, shown: Collection[str], *,
                to_seq: int | None = None) -> RewindPlan:
    """REWIND to a sealed checkpoint when git and the ledger show a dead end after it
    (never on the caller's word); NO_REWIND when they show none; UNANCHORED when no
    trustworthy checkpoint exists."""
    why = unusable(ledger)
    found = why or _checkpoint(ledger, to_seq)
    if isinstance(found, str):
        return RewindPlan(RewindToken.UNANCHORED, found, ledger.run_id)
    if found.commit not in shown:
        return RewindPlan(RewindToken.UNANCHORED, f"checkpoint seq {found.seq} stands at "
                          f"{found.commit[:12] or '(no commit)'}, which git does not show in "
                          "HEAD's history", ledger.run_id, found)
    fire, what = _fire(ledger, found, shown)
    if not fire:
        return RewindPlan(RewindToken.NO_REWIND, f"nothing after checkpoint seq {found.seq} "
                          "is contradicted by git — keep going", ledger.run_id, found)
    dropped = tuple(dict.fromkeys(step for seq, _kind, step, _c in ledger.events
                                  if seq > found.seq))
    return RewindPlan(RewindToken.REWIND, f"{fire}: {what} — rewind to checkpoint seq "
                      f"{found.seq} at {found.commit[:12]} and redo {len(dropped)} step(s)",
                      ledger.run_id, found, fire, dropped)
