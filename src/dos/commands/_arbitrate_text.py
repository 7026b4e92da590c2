"""Plain-language renderings of an arbiter decision (``--output plain``, ``--explain``)."""

from __future__ import annotations

from typing import Any

__all__ = ["interpretation", "plain_sentence"]


def plain_sentence(decision: Any) -> str:
    """One sentence for a person; it never claims a lane was busy unless it was."""
    if decision.acquired:
        why = " (picked for you: no area was named)" if decision.auto_picked else ""
        forced = " The operator forced it past a live lease." if decision.blockers else ""
        return (f"Started — working on '{decision.lane}'{why}. Nothing was overwritten."
                f"{forced}")
    if decision.reason_class == "STORE_UNREADABLE":
        return "Stopped — the lease store cannot be read, so nothing was started."
    return f"Waiting — not started: {decision.reason}"


def interpretation(decision: Any, config: Any) -> str:
    """GO or STOP with what it means, in the words of the reason vocabulary."""
    if decision.acquired:
        how = " (auto-picked for you)" if decision.auto_picked else ""
        if decision.blockers:
            return (f"GO (FORCED) — you may take lane '{decision.lane}'{how}, but it overlaps "
                    f"live lease(s) {', '.join(f'#{i}' for i in decision.blockers)}: concurrent "
                    "edits are your responsibility.")
        return (f"GO — you may take lane '{decision.lane}'{how}. Its file tree is disjoint from "
                "every live lease, so concurrent work is safe.")
    from dos.admission.reasons import registry

    spec = registry(config).get(decision.reason_class) if decision.reason_class else None
    what = f" {spec.summary[:1].upper()}{spec.summary[1:]}." if spec and spec.summary else ""
    fix = f" Fix: {spec.fix}." if spec and spec.fix else ""
    free = (f" Free lanes you could take instead: {', '.join(decision.free_lanes)}."
            if decision.free_lanes else " No lane is free right now.")
    return f"STOP — do not start this work ({decision.reason_class or 'refused'}).{what}{fix}{free}"
