"""What an arbiter decision means for the caller, in the words of the reason vocabulary."""

from __future__ import annotations

from dos.admission.arbiter import Decision
from dos.config import SubstrateConfig

__all__ = ["interpretation"]


def interpretation(decision: Decision, config: SubstrateConfig) -> str:
    """GO or STOP with what it means (``--explain``)."""
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
