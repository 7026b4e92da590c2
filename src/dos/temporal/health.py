"""``dos health``: is a lane fit to start a worker on — no live lease in its way, no
failure that keeps recurring for the same cause?

Pure. The edge gathers the lane's recent runs (its attempts and halts from the store,
and archive commits under the layout's run-record directories) newest first, matched
to the lane by the exact name, never a substring; and the arbiter's word on whether the
lane's tree is free. Each run counts once: an archive subject saying "5th consecutive"
is one run, not five.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dos.structs import replace, struct
from dos.verdicts.picker import HealthToken

__all__ = ["HealthVerdict", "LaneRun", "Overlap", "archive_run", "cause_key", "classify"]

_REPLAN_WORDS = re.compile(r"soak|data[-_ ]gated|awaiting a live run|drain", re.IGNORECASE)
_BUCKETS = (
    (re.compile(r"sidecar|prompts?\b"), "renderer_sidecar_drop"),
    (re.compile(r"ship[-_ ]oracle|false[-_ ]positive"), "ship_oracle_false_positive"),
    (re.compile(r"stale.*claim|claim.*stale"), "stale_claim_false_block"),
    (re.compile(r"soak|data[-_ ]gated"), "lane_soak_or_data_gated"),
    (re.compile(r"overlap|collision"), "lane_overlap_collision"),
)
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b[ -]?(?:consecutive|recurrence)?")
_TS = re.compile(r"archive\s+(\d{8}T\d{4}(?:\d{2})?Z)", re.IGNORECASE)
_VERDICT = re.compile(r"verdict=([A-Z][A-Z\-]*)")
_SHIP_VERDICTS = ("LIVE", "SHIPPED", "SHIPPED-CLEAN")
_BLOCK_VERDICTS = ("ERROR", "WEDGE", "BLOCKED", "BLOCKED-OUTCOME", "STALLED")


@struct
class LaneRun:
    """One recent run of the lane. ``kind``: ship, blocker, stop, operator or other."""

    label: str
    kind: str
    cause: str = ""


@struct
class Overlap:
    """A live lease the arbiter says stands in the lane's way."""

    lane: str
    holder: str
    lease_id: int
    reason: str


@struct
class HealthVerdict:
    token: HealthToken
    lane: str
    reason: str
    cause_key: str = ""
    runs_considered: int = 0
    blocker_runs: int = 0
    overlap: Overlap | None = None
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.token.value, "action": self.token.value.lower(),
                "lane": self.lane, "should_proceed": self.token is HealthToken.PROCEED,
                "reason": self.reason, "cause_key": self.cause_key or None,
                "runs_considered": self.runs_considered, "blocker_runs": self.blocker_runs,
                "overlap_lane": self.overlap.lane if self.overlap else None,
                "overlap_lease_id": self.overlap.lease_id if self.overlap else None,
                "evidence": list(self.evidence)}


def cause_key(text: str) -> str:
    """A stable key for "the same cause": lower case, ordinals and digits dropped, a few
    known families bucketed, else the first 8 words longer than 2 characters."""
    lowered = _ORDINAL.sub(" ", text.lower())
    for pattern, bucket in _BUCKETS:
        if pattern.search(lowered):
            return bucket
    words = [w for w in re.findall(r"[a-z]+", re.sub(r"\d+", " ", lowered)) if len(w) > 2]
    return "_".join(words[:8]) or "unknown"


def _names_lane(subject: str, lane: str) -> bool:
    name = re.escape(lane.lower())
    return re.search(rf"(?<![\w-])(?:{name}[ _]lane\b|scope {name}(?![\w-])|\({name};)",
                     subject.lower()) is not None


def archive_run(subject: str, lane: str) -> LaneRun | None:
    """The run an archive commit subject records for ``lane``; None when it is not an
    archive of that lane."""
    if "archive" not in subject.lower() or not _names_lane(subject, lane):
        return None
    stamp = _TS.search(subject)
    verdict = _VERDICT.search(subject)
    label = stamp.group(1) if stamp else subject[:24]
    token = verdict.group(1) if verdict else ""
    cause = subject[verdict.end():] if verdict else subject.partition("\u2014")[2]
    cause = cause.strip(" :;,-\u2014")
    if "operator-action:" in subject.lower():
        kind = "operator"
    elif re.search(r"\bSTOP\b", subject):
        kind = "stop"
    elif token in _SHIP_VERDICTS:
        kind = "ship"
    elif token in _BLOCK_VERDICTS:
        kind = "blocker"
    else:
        kind = "other"
    return LaneRun(f"{label}:{token or kind}", kind, cause)


def classify(lane: str, runs: Sequence[LaneRun], *, overlap: Overlap | None = None,
             window: int = 12) -> HealthVerdict:
    """OVERLAP_BLOCK, ROUTE_UNSTICK, ROUTE_REPLAN or PROCEED; ``runs`` newest first."""
    recent = list(runs[:window])
    blockers = [r for r in recent if r.kind == "blocker"]
    counted = HealthVerdict(HealthToken.PROCEED, lane, "", runs_considered=len(recent),
                            blocker_runs=len(blockers))
    if overlap is not None:
        return replace(counted, token=HealthToken.OVERLAP_BLOCK, reason=(
            f"lane '{lane}' collides with live lease #{overlap.lease_id} on '{overlap.lane}' "
            f"(held by {overlap.holder}): {overlap.reason}"), cause_key="lane_overlap_collision",
            overlap=overlap, evidence=(f"overlap:{overlap.lane}:{overlap.lease_id}",))
    for run in recent:
        if run.kind in ("ship", "operator"):
            break
        if run.kind == "stop":
            return replace(counted, token=HealthToken.ROUTE_UNSTICK, reason=(
                f"lane '{lane}' was stopped ({run.label}) and nothing shipped nor did an "
                "operator act since — route to /unstick before respawning"),
                cause_key="post_stop_respawn_no_operator_action", evidence=(run.label,))
    groups: dict[str, list[LaneRun]] = {}
    for run in blockers:
        groups.setdefault(cause_key(run.cause), []).append(run)
    if groups:
        key, group = max(groups.items(), key=lambda item: len(item[1]))
        newest_ship = next((i for i, r in enumerate(recent) if r.kind == "ship"), None)
        newest_block = recent.index(group[0])
        if len(group) >= 3 and (newest_ship is None or newest_ship > newest_block):
            replan = _REPLAN_WORDS.search(group[0].cause) is not None
            token = HealthToken.ROUTE_REPLAN if replan else HealthToken.ROUTE_UNSTICK
            route = "/replan" if replan else "/unstick"
            return replace(counted, token=token, reason=(
                f"lane '{lane}' has {len(group)} recent run(s) blocked on the same cause "
                f"({key}) — route to {route} before dispatching again"), cause_key=key,
                evidence=tuple(r.label for r in group[:5]))
    if not recent:
        return replace(counted, reason=f"lane '{lane}' health OK — no recent run history")
    return replace(counted, reason=f"lane '{lane}' health OK — {len(recent)} recent run(s), "
                   "no recurring same-cause blocker")
