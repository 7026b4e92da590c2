"""The plan documents a picker answer named, read now for ``dos judge wedge``.

A document named in the store is resolved inside the workspace only; one that is
missing, outside, unreadable or changed since the answer (as is dos.toml, whose
``[enumerate]`` settings shape the reading) leaves the drain unverifiable."""

from __future__ import annotations

from pathlib import Path

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.judges.wedge import PlanFacts

__all__ = ["plan_facts"]


def _changed(path: Path, since_ms: int) -> bool:
    return path.stat().st_mtime_ns // 1_000_000 > since_ms


def _documents(config: SubstrateConfig, docs: str) -> tuple[list[Path], bool]:
    """(the documents, whether the answer named them); a bad name raises ValueError."""
    from dos.api.next_pick import plan_docs

    if not docs:
        return plan_docs(config, ()), False
    root = config.root.resolve()
    found = []
    for name in docs.split("\0"):
        path = (root / name).resolve()
        if name.endswith("…") or not path.is_relative_to(root) or not path.is_file():
            raise ValueError(f"the recorded plan document {name[:80]!r} is not a file "
                             "inside the workspace")
        found.append(path)
    return found, True


def plan_facts(config: SubstrateConfig, docs: str, since_ms: int) -> PlanFacts:
    """Units declared and still unshipped at HEAD, or the problem that stopped the read."""
    from dos.api.picker import enumerate_plan, shown_doc

    try:
        paths, recorded = _documents(config, docs)
        changed = tuple(shown_doc(p, config.root) for p in paths if _changed(p, since_ms))
        if config.source is not None and _changed(config.source, since_ms):
            changed += ("dos.toml",)
        if changed:
            return PlanFacts(recorded=recorded, changed=changed)
        units, remaining = 0, []
        for path in paths:
            result = enumerate_plan(config, path)
            units += len(result.statuses)
            remaining += [f"{u.plan}/{u.unit}" for u in result.leaves_remaining if u.plan]
    except (OSError, ValueError, DosError) as error:
        message = error.message if isinstance(error, DosError) else str(error)
        return PlanFacts(problem=message[:200])
    return PlanFacts(recorded=recorded, units=units, remaining=tuple(remaining))
