"""``dos scout``: before any lane is leased, which activity — dispatch, unstick, replan,
wait or stop — the loop's signals call for.

Pure; the signals arrive typed (:class:`ScoutState`). Rule ids are stable names for
the rung that decided. Every rung is reachable from the CLI: a host's stop policy
(rule 1) and a lane's recent outcome (rule 10) are state keys like the rest.
"""

from __future__ import annotations

from typing import Any

from dos.structs import field, struct
from dos.verdicts.picker import ScoutToken

__all__ = ["HEALTH_ACTIONS", "LaneOutcome", "ScoutState", "ScoutVerdict", "StopPolicy",
           "classify"]

HEALTH_ACTIONS = ("proceed", "route_unstick", "route_replan", "overlap_block")
_REPLAN_WORDS = ("soak", "data-gated", "data_gated", "awaiting", "drain")


@struct
class StopPolicy:
    name: str
    stop: bool
    reason: str = ""


@struct
class LaneOutcome:
    runs: int
    shipped: int
    drained: int = 0


@struct
class ScoutState:
    scope: str | None = None
    focus: str = "not-started"
    gate: str = "hard"
    resource_blocked: bool = False
    resource_block_reason: str = ""
    health_action: str = "proceed"
    health_cause: str = ""
    health_evidence: tuple[str, ...] = ()
    open_decisions: tuple[str, ...] = ()
    operator_owned_cause: bool = False
    same_day_unstick_count: int = 0
    latest_unstick_stamp: str = ""
    fixes_landing_since_unstick: bool = True
    open_soaks: tuple[str, ...] = ()
    replan_due: bool = False
    replan_desc: str = ""
    replan_in_flight: bool = False
    recent_replan_unproductive: bool = False
    recent_replan_ran: bool = False
    runs_7d: int | None = None
    zero_ship_7d: int = 0
    closed_loop_count: int = 0
    closed_loop_top: str = ""
    lane_outcome: LaneOutcome | None = None
    stop_policy: StopPolicy | None = None


@struct
class ScoutVerdict:
    token: ScoutToken
    rule_id: str
    reason: str
    state: ScoutState
    cause_key: str = ""
    evidence: tuple[str, ...] = field(default=())
    focus: str = ""

    def to_dict(self) -> dict[str, Any]:
        activity = self.token.value.lower()
        payload: dict[str, Any] = {
            "verdict": self.token.value, "activity": activity, "rule_id": self.rule_id,
            "reason": self.reason, "confidence": "HIGH", "evidence": list(self.evidence),
            "scope": self.state.scope, "focus": self.focus or self.state.focus,
            "needs_lane": activity in ("dispatch", "unstick"),
            "auto_runnable": activity in ("dispatch", "unstick", "replan")}
        if self.token is ScoutToken.DISPATCH:
            payload["gate"] = self.state.gate
        if self.token in (ScoutToken.STOP, ScoutToken.WAIT):
            payload["cause_key"] = self.cause_key
        return payload


def _saturated(s: ScoutState) -> bool:
    if s.health_action != "route_unstick":
        return False
    operator = s.operator_owned_cause or "operator" in s.health_cause
    return (s.same_day_unstick_count >= 2 and operator) or (
        s.same_day_unstick_count >= 3 and not s.fixes_landing_since_unstick)


def _dispatch_notes(s: ScoutState, *, vetoed: bool) -> list[str]:
    notes = []
    if vetoed:
        notes.append("replan vetoed (one ran recently or was unproductive)")
    notes += [f"open-decision:#{d}" for d in s.open_decisions[:4]]
    if _saturated(s):
        stamp = f"last {s.latest_unstick_stamp}, " if s.latest_unstick_stamp else ""
        notes.append(f"unstick_saturated={s.same_day_unstick_count} ({stamp}no fix landing)")
    if s.runs_7d is not None and s.runs_7d >= 20 and s.zero_ship_7d / s.runs_7d >= 0.75:
        notes.append(f"scoreboard.7d={s.zero_ship_7d}:{s.runs_7d} (zero-ship storm)")
    if s.closed_loop_count > 0:
        notes.append(f"closed-loop items={s.closed_loop_count}")
    return notes


def classify(s: ScoutState) -> ScoutVerdict:  # noqa: PLR0911 - one return per rung of the ladder
    """The activity, first rung that holds."""
    if s.resource_blocked:
        why = s.resource_block_reason or "host cannot launch more work right now"
        return ScoutVerdict(ScoutToken.STOP, "0", f"stop — {why}", s, "resource_blocked",
                            (f"resource_blocked: {why}",))
    if s.stop_policy is not None and s.stop_policy.stop:
        why = s.stop_policy.reason or f"stop policy '{s.stop_policy.name}' says stop"
        return ScoutVerdict(ScoutToken.STOP, "1", f"stop — {why}", s,
                            f"stop_policy:{s.stop_policy.name}", (f"stop_policy: {why}",))
    health = f"health={s.health_action}"
    if s.health_action == "route_unstick" and not _saturated(s):
        return ScoutVerdict(ScoutToken.UNSTICK, "4", f"unstick the lane first — recurring "
                            f"cause {s.health_cause or '(unnamed)'}", s, s.health_cause,
                            s.health_evidence[:4])
    if s.health_action == "overlap_block":
        return ScoutVerdict(ScoutToken.WAIT, "5", "wait — the lane's tree collides with a live "
                            "lease", s, "lane_overlap_collision", (health,))
    if s.health_action == "route_replan" and s.open_soaks:
        return ScoutVerdict(ScoutToken.WAIT, "6", "wait — the lane is soak-gated and a soak is "
                            "open", s, "lane_soak_or_data_gated",
                            tuple(f"open-soak:{soak}" for soak in s.open_soaks[:3]))
    replan = s.health_action == "route_replan" or s.replan_due
    if s.health_action == "route_replan" and s.replan_in_flight:
        return ScoutVerdict(ScoutToken.WAIT, "8", "wait — health routes to a replan and one is "
                            "already in flight; do not dispatch into the gated lane", s,
                            "replan_in_flight", (health,))
    vetoed = s.replan_in_flight or (s.health_action != "route_replan" and (
        s.recent_replan_ran or s.recent_replan_unproductive))
    if replan and not vetoed:
        return ScoutVerdict(ScoutToken.REPLAN, "7", "replan — " + (
            s.replan_desc or "a replan is due"), s, "",
            (s.replan_desc or f"replan_due={s.replan_due}", health))
    outcome = s.lane_outcome
    if outcome and outcome.runs >= 3 and outcome.shipped == 0 and outcome.drained < outcome.runs:
        return ScoutVerdict(ScoutToken.REPLAN, "10", f"replan — the lane's last {outcome.runs} "
                            "runs shipped nothing and not all drained", s, "",
                            (f"lane_outcome={outcome.shipped}/{outcome.runs} shipped", health))
    notes = _dispatch_notes(s, vetoed=replan and vetoed)
    focus = "closed-loop-first" if s.closed_loop_count > 0 and s.focus != "stale-stamp" \
        else s.focus
    return ScoutVerdict(ScoutToken.DISPATCH, "9", "dispatch the next pick — " + (
        "; ".join(notes) or "health gate clean, nothing routes elsewhere"), s, "",
        (health, f"replan_due={s.replan_due}", *notes), focus)

