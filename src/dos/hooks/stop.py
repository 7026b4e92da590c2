"""``dos hook stop``: refuse to stop while the agent claims a phase done that
``dos verify`` says did not ship.

Claims are ``DOS-CLAIM: <plan> <phase>`` lines in the agent's last message (from
the payload, else from the last turn of its transcript), plus one named by
``--plan``/``--phase``. A stop that was already held once (``stop_hook_active``) is
always let go, so the hook can never trap the agent in a loop.
"""

from __future__ import annotations

from dos.hooks.claims import claims_in, last_assistant_turn, read_transcript_tail
from dos.hooks.events import ALLOW, DENY, Outcome

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from dos.config import SubstrateConfig
    from dos.hooks.events import HookEvent

__all__ = ["claims_of", "run"]


def claims_of(event: HookEvent, *, transcript: str = "", plan: str = "",
              phase: str = "") -> list[tuple[str, str]]:
    """What the agent claims done, in order, without duplicates."""
    texts = [event.last_assistant_message] if event.last_assistant_message else []
    path = transcript or event.transcript_path
    if path and (transcript or not texts):
        texts.extend(last_assistant_turn(read_transcript_tail(path)))
    claims = claims_in(texts)
    if plan.strip() and phase.strip() and (plan.strip(), phase.strip()) not in claims:
        claims.insert(0, (plan.strip(), phase.strip()))
    return claims


def _refusal(plan: str, phase: str, source: str) -> str:
    return (f"you claimed {plan} {phase} shipped, but `dos verify {plan} {phase}` finds no "
            f"commit backing it (evidence: {source})")


def run(event: HookEvent, load: Callable[[], SubstrateConfig], *, transcript: str = "",
        plan: str = "", phase: str = "") -> Outcome:
    """Block the stop when a claimed phase is NOT_SHIPPED; otherwise allow it."""
    if event.stop_hook_active:
        return Outcome(ALLOW, facts={"reason": "STOP_HOOK_ACTIVE"})
    claims = claims_of(event, transcript=transcript, plan=plan, phase=phase)
    if not claims:
        return Outcome(ALLOW, facts={})
    from dos.truth.oracle import verify_many
    from dos.truth.stamp import PhaseQuery

    verdicts = verify_many([PhaseQuery(p, ph) for p, ph in claims], load())
    refused = [v for v in verdicts if not v.shipped]
    claimed = " ".join(f"{v.plan}::{v.phase}" for v in (refused or verdicts))
    if not refused:
        return Outcome(ALLOW, facts={"target": claimed})
    return Outcome(DENY, "DOS verify: " + "; ".join(_refusal(v.plan, v.phase, v.source)
                                                     for v in refused)
                   + ". Land the commit (a subject that stamps the phase) or correct the "
                   "claim before stopping.", facts={"reason": "FALSE_DONE", "target": claimed})
