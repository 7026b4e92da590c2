"""What the hooks actually prevented, folded from the verdict journal.

A catch is one distinct (session, target, reason): an agent retrying the same refused
write is one catch, not ten. Only refusals that stopped something count — a write into
a lane another holder leased, a write outside the workspace, a write into the referee's
own state or config, a gated tool called before its lookup, a false "done" at stop. A
holder's own lane is never refused, and a refusal naming the session itself as holder
is not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from dos.record.verdict_event import VerdictEvent
from dos.structs import field, struct

__all__ = ["CAUGHT", "Catch", "Helped", "fold"]

# reason token → what was prevented, in words an operator reads.
CAUGHT = {
    "LANE_HELD": "a write into a lane another agent holds",
    "OUTSIDE_WORKSPACE": "a write outside the workspace",
    "DOS_STATE": "a write into the referee's own store (.dos/)",
    "DOS_CONFIG": "an edit of dos.toml by an agent",
    "MISSING_PRECURSOR": "a gated tool called before the lookup it needs",
    "FALSE_DONE": "a claim of done that git does not show",
}
_REFUSED = {("pretool", "DENY"), ("stop", "BLOCK")}


@struct
class Catch:
    """One distinct thing prevented; ``attempts`` counts the retries folded into it."""

    session: str
    target: str
    reason: str
    tool: str
    ts_ms: int
    attempts: int = 1


@struct(frozen=False)
class Helped:
    """The fold: catches by reason and tool, the first few examples of each reason."""

    total: int = 0
    refusals: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    by_tool: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Catch]] = field(default_factory=dict)
    first_ms: int | None = None
    latest_ms: int | None = None


def _caught(event: VerdictEvent) -> str | None:
    """The reason token when ``event`` is a refusal that prevented something."""
    if event.source != "hook" or (event.syscall, event.verdict) not in _REFUSED:
        return None
    reason = str(event.detail.get("reason") or "")
    if reason not in CAUGHT:
        return None
    holder, session = event.detail.get("holder"), event.detail.get("session")
    if reason == "LANE_HELD" and holder and holder == session:
        return None  # never the holder's own lane
    return reason


def fold(events: Iterable[VerdictEvent], *, session: str | None = None,
         since_ms: int | None = None, examples: int = 5) -> Helped:
    """Fold hook decisions into catches, counted once per (session, target, reason)."""
    seen: dict[tuple[str, str, str], int] = {}
    helped = Helped()
    for event in events:
        reason = _caught(event)
        who = str(event.detail.get("session") or "")
        if reason is None or (session and who != session) or (
                since_ms is not None and event.ts_ms < since_ms):
            continue
        helped.refusals += 1
        key = (who, event.subject or str(event.detail.get("target") or ""), reason)
        if key in seen:
            shown = helped.examples.get(reason, [])
            if seen[key] < len(shown):
                old = shown[seen[key]]
                shown[seen[key]] = Catch(old.session, old.target, old.reason, old.tool,
                                         old.ts_ms, old.attempts + 1)
            continue
        tool = str(event.detail.get("tool") or "")
        listed = helped.examples.setdefault(reason, [])
        seen[key] = len(listed) if len(listed) < examples else examples
        if len(listed) < examples:
            listed.append(Catch(who, key[1], reason, tool, event.ts_ms))
        helped.total += 1
        helped.by_reason[reason] += 1
        helped.by_tool[tool or "(none)"] += 1
        helped.first_ms = event.ts_ms if helped.first_ms is None else helped.first_ms
        helped.latest_ms = event.ts_ms
    return helped
