"""Keep N workers busy: a spawn / reap / flag plan over the lane roster.

Pure. Each lane's state (free, pending, or the liveness of the worker holding it)
comes in; a plan comes out. Spawns go to distinct free lanes whose trees are
disjoint from every held tree; an exclusive lane runs alone. A lane reaped more
than ``max_restarts`` times within ``restart_period_ms`` is escalated to a human
instead of being refilled, in the spirit of an OTP supervisor's restart intensity.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from dos.admission.tree import globs_overlap
from dos.errors import UsageError
from dos.structs import asdict, field, struct
from dos.temporal.launch import RUN_ID_SLOT, launch_command, validate_launch
from dos.verdicts.supervise import SuperviseOutcome
from dos.verdicts.temporal import LivenessToken

__all__ = [
    "Disposition",
    "LanePlan",
    "LaneState",
    "SupervisePlan",
    "SupervisePolicy",
    "supervise",
]


class Disposition(StrEnum):
    SPAWN = "SPAWN"
    REAP = "REAP"
    FLAG = "FLAG"
    PROPOSE_HALT = "PROPOSE_HALT"
    ESCALATE = "ESCALATE"


def _bad(message: str, hint: str) -> UsageError:
    return UsageError(message, hint=hint)


def _non_negative(name: str, value: object, *, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad(f"[supervise] {name} must be an integer >= {minimum}, got {value!r}",
                   hint=f"set {name} (or its flag) to {minimum} or more")


@struct
class SupervisePolicy:
    """The ``[supervise]`` table, validated."""

    target: int = 1
    count_spinning_as_alive: bool = True
    reap_stalled: bool = True
    spin_halt_after_ms: int | None = None
    launch: tuple[str, ...] = ()
    max_concurrency: int | None = None
    max_restarts: int = 3
    restart_period_ms: int = 600_000

    def __post_init__(self) -> None:
        _non_negative("target", self.target)
        _non_negative("max_restarts", self.max_restarts)
        _non_negative("restart_period_s", self.restart_period_ms, minimum=1)
        if self.spin_halt_after_ms is not None:
            _non_negative("spin_halt_after_ms", self.spin_halt_after_ms)
        if self.max_concurrency is not None:
            _non_negative("max_concurrency", self.max_concurrency, minimum=1)
        object.__setattr__(self, "launch", validate_launch(self.launch))

    @classmethod
    def from_table(cls, table: Mapping[str, Any], **overrides: Any) -> SupervisePolicy:
        """From a validated ``[supervise]`` table; ``overrides`` (flags) win when not None."""
        spin = table.get("spin_halt_after_ms")
        if spin is None and table.get("spin_halt_after_minutes") is not None:
            spin = round(float(table["spin_halt_after_minutes"]) * 60_000)
        values: dict[str, Any] = {
            "target": table.get("target", 1),
            "count_spinning_as_alive": table.get("count_spinning_as_alive", True),
            "reap_stalled": table.get("reap_stalled", True), "spin_halt_after_ms": spin,
            "launch": _launch_of(table),
            "max_concurrency": table.get("max_concurrency"),
            "max_restarts": table.get("max_restarts", 3),
            "restart_period_ms": int(table.get("restart_period_s", 600)) * 1000,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    def launch_command(self, lane: str, run_id: str = RUN_ID_SLOT) -> str:
        """The command that starts a worker on ``lane`` ("" when no launch is set)."""
        return launch_command(self.launch, lane=lane, run_id=run_id)


def _launch_of(table: Mapping[str, Any]) -> tuple[str, ...]:
    """``launch``, or the reference's one-string ``worker_launch_template`` split into words."""
    if table.get("launch"):
        return tuple(table["launch"])
    legacy = str(table.get("worker_launch_template") or "")
    try:
        return tuple(shlex.split(legacy))
    except ValueError as error:
        raise _bad(f"[supervise] worker_launch_template cannot be split into words: {error}",
                   hint='write it as launch = ["my-agent", "--lane", "{lane}"]') from None


@struct
class LaneState:
    """One roster lane now. ``liveness`` None means nobody holds it; ``pending`` means
    a spawn was proposed and its worker has not taken the lease yet."""

    lane: str
    liveness: LivenessToken | None = None
    tree: tuple[str, ...] = ()
    is_exclusive: bool = False
    pending: bool = False
    spinning_for_ms: int | None = None
    repeatable: bool = False
    recent_reaps: int = 0
    run_id: str = ""
    lease_id: int | None = None

    def __post_init__(self) -> None:
        if not self.lane:
            raise _bad("a roster lane needs a name", hint="declare lanes in dos.toml [lanes]")
        if self.repeatable and self.is_exclusive:
            raise _bad(f"lane '{self.lane}' cannot be both repeatable and exclusive",
                       hint="an exclusive lane runs alone")
        object.__setattr__(self, "tree", tuple(self.tree))


@struct
class LanePlan:
    lane: str
    disposition: Disposition
    reason: str
    command: str = ""
    lease_id: int | None = None
    run_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"lane": self.lane, "disposition": self.disposition.value,
                "reason": self.reason, "command": self.command, "lease_id": self.lease_id,
                "run_id": self.run_id}


@struct
class SupervisePlan:
    verdict: SuperviseOutcome
    reason: str
    alive: int
    admissible: int
    target: int
    plans: tuple[LanePlan, ...] = ()
    lanes: tuple[LaneState, ...] = ()

    def of(self, disposition: Disposition) -> tuple[LanePlan, ...]:
        return tuple(plan for plan in self.plans if plan.disposition is disposition)

    def to_dict(self) -> dict[str, Any]:
        def rows(disposition: Disposition) -> list[dict[str, Any]]:
            return [plan.to_dict() for plan in self.of(disposition)]
        lanes = [{**asdict(state), "tree": list(state.tree),
                  "liveness": state.liveness.value if state.liveness else None}
                 for state in self.lanes]
        return {"verdict": self.verdict.value, "reason": self.reason, "alive": self.alive,
                "admissible": self.admissible, "target": self.target,
                "spawn": rows(Disposition.SPAWN), "reap": rows(Disposition.REAP),
                "flag": rows(Disposition.FLAG), "proposed_halt": rows(Disposition.PROPOSE_HALT),
                "escalate": rows(Disposition.ESCALATE),
                "evidence": {"target": self.target, "lanes": lanes}}


def _disjoint(a: Sequence[str], b: Sequence[str]) -> bool:
    return not globs_overlap(a, b)


def admissible_ceiling(lanes: Sequence[LaneState], policy: SupervisePolicy) -> int:
    """How many workers the roster can hold at once on pairwise-disjoint trees."""
    admitted: list[tuple[str, ...]] = []
    for state in lanes:
        if not state.is_exclusive and not state.repeatable and all(
                _disjoint(state.tree, other) for other in admitted):
            admitted.append(state.tree)
    count = len(admitted) or (1 if any(s.is_exclusive for s in lanes) else 0)
    if policy.max_concurrency is None:
        return count
    if any(state.repeatable for state in lanes):
        return policy.max_concurrency
    return min(count, policy.max_concurrency)


@struct(frozen=False)
class _Walk:
    """The running tally of one supervise pass."""

    policy: SupervisePolicy
    alive: int = 0
    held: list[tuple[str, ...]] = field(default_factory=list)
    exclusive_held: bool = False
    candidates: list[LaneState] = field(default_factory=list)
    plans: list[LanePlan] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def hold(self, state: LaneState) -> None:
        self.held.append(state.tree)
        self.exclusive_held = self.exclusive_held or state.is_exclusive

    def plan(self, state: LaneState, disposition: Disposition, reason: str,
             command: str = "") -> None:
        self.plans.append(LanePlan(state.lane, disposition, reason, command,
                                   state.lease_id, state.run_id))


def _walk_lane(tally: _Walk, state: LaneState) -> None:
    pol = tally.policy
    if state.pending:
        tally.alive += 1
        tally.hold(state)
    elif state.liveness is None:
        _candidate_or_escalate(tally, state, state.recent_reaps)
    elif state.liveness is LivenessToken.ADVANCING:
        tally.alive += 1
        if state.repeatable:
            tally.candidates.append(state)
        else:
            tally.hold(state)
    elif state.liveness is LivenessToken.SPINNING:
        _spinner(tally, state)
    elif pol.reap_stalled:
        tally.plan(state, Disposition.REAP, "worker is STALLED (no fresh heartbeat, no "
                   "progress in the window) — release its lease; the lane refills if under "
                   "target")
        _candidate_or_escalate(tally, state, state.recent_reaps + 1)
    else:
        tally.hold(state)
        tally.blocked.append(f"{state.lane} is STALLED and reap_stalled is off")
        tally.plan(state, Disposition.FLAG, "worker is STALLED but reap_stalled is off — the "
                   "lane stays held until its lease is released")


def _candidate_or_escalate(tally: _Walk, state: LaneState, reaps: int) -> None:
    pol = tally.policy
    if reaps > pol.max_restarts:
        tally.blocked.append(f"{state.lane} is escalated")
        tally.plan(state, Disposition.ESCALATE, (
            f"lane reaped {reaps} times within {pol.restart_period_ms} ms (> max_restarts "
            f"{pol.max_restarts}) — not respawning; a human should look at why its workers "
            "keep dying"))
    else:
        tally.candidates.append(state)


def _spinner(tally: _Walk, state: LaneState) -> None:
    pol = tally.policy
    tally.plan(state, Disposition.FLAG, "worker is SPINNING (alive, no forward progress) — "
               "advisory; the supervisor flags a spinner, it never reaps it")
    spun = state.spinning_for_ms
    threshold = pol.spin_halt_after_ms
    if threshold is not None and spun is not None and spun >= threshold:
        run = f" --run-id {state.run_id}" if state.run_id else ""
        tally.plan(state, Disposition.PROPOSE_HALT, (
            f"worker has been SPINNING for {spun} ms (>= spin_halt_after_ms {threshold}) — "
            "proposing a halt (the operator or a driver enacts it)"),
            command=f"dos halt --handle {state.run_id or '<run>'} --lane {state.lane}{run}")
    if pol.count_spinning_as_alive:
        tally.alive += 1
    else:
        tally.blocked.append(f"{state.lane} is held by a spinner not counted as alive")
    tally.hold(state)


def _bucket(state: LaneState) -> int:
    return 2 if state.is_exclusive else 1 if state.repeatable else 0


def _fill(tally: _Walk, needed: int) -> int:
    """Emit up to ``needed`` spawns on distinct lanes; returns how many were emitted."""
    pol, chosen = tally.policy, list[tuple[str, ...]]()
    lanes_chosen: set[str] = set()
    spawned = 0
    if tally.exclusive_held and needed > 0:
        tally.blocked.append("an exclusive lane is held and runs alone")
    for state in sorted(tally.candidates, key=_bucket):
        if spawned >= needed or tally.exclusive_held:
            break
        if state.lane in lanes_chosen and not state.repeatable:
            continue
        if state.is_exclusive:
            if tally.alive or tally.held or chosen:
                continue
            slots = 1
        elif state.repeatable:
            slots = needed - spawned
        elif all(_disjoint(state.tree, other) for other in (*tally.held, *chosen)):
            slots = 1
        else:
            tally.blocked.append(f"{state.lane} overlaps a held or chosen tree")
            continue
        for _ in range(slots):
            tally.plans.append(LanePlan(state.lane, Disposition.SPAWN, (
                f"lane is free and the roster is under target (alive {tally.alive} < target "
                f"{pol.target}) — spawn a worker"), command=pol.launch_command(state.lane)))
        spawned += slots
        chosen.append(state.tree)
        lanes_chosen.add(state.lane)
        if state.is_exclusive:
            break
    return spawned


def _judge(tally: _Walk, admissible: int, spawned: int) -> tuple[SuperviseOutcome, str]:
    alive, target = tally.alive, tally.policy.target
    if alive > target:
        return SuperviseOutcome.OVER_TARGET, (
            f"alive {alive} exceeds target {target}: the excess is flagged, not reaped — "
            "retiring a healthy worker is an operator decision")
    if alive == target:
        return SuperviseOutcome.AT_TARGET, (
            f"alive {alive} at target {target} (admissible {admissible}) — roster is full, "
            "nothing to spawn")
    if alive + spawned >= target:
        return SuperviseOutcome.FILLING, (
            f"alive {alive} < target {target} (admissible {admissible}); spawning {spawned} "
            "worker(s) to fill the roster")
    if target > admissible:
        why = (f"target {target} exceeds admissible {admissible}: the roster cannot hold that "
               "many pairwise-disjoint workers. Declare more disjoint concurrent lanes in "
               "dos.toml [lanes] to raise the ceiling")
    else:
        blocked = "; ".join(tally.blocked) or "no free lane is left"
        why = f"alive {alive} + {spawned} spawn(s) < target {target}: {blocked}"
    return SuperviseOutcome.TARGET_UNREACHABLE, why


def supervise(lanes: Sequence[LaneState], policy: SupervisePolicy | None = None
              ) -> SupervisePlan:
    """The plan for this tick (see the module docstring)."""
    pol = policy or SupervisePolicy()
    tally = _Walk(policy=pol)
    for state in lanes:
        _walk_lane(tally, state)
    admissible = admissible_ceiling(lanes, pol)
    spawned = _fill(tally, max(0, min(pol.target, admissible) - tally.alive))
    outcome, reason = _judge(tally, admissible, spawned)
    if outcome is SuperviseOutcome.OVER_TARGET:
        _flag_excess_lanes(tally, lanes, tally.alive - pol.target)
    return SupervisePlan(verdict=outcome, reason=reason, alive=tally.alive,
                         admissible=admissible, target=pol.target, plans=tuple(tally.plans),
                         lanes=tuple(lanes))


def _flag_excess_lanes(tally: _Walk, lanes: Sequence[LaneState], excess: int) -> None:
    """Flag the newest-in-roster healthy workers beyond the target."""
    healthy = [s for s in lanes if s.liveness is LivenessToken.ADVANCING and not s.pending]
    for state in list(reversed(healthy))[:excess]:
        tally.plan(state, Disposition.FLAG, (
            f"healthy worker beyond target {tally.policy.target} (alive {tally.alive}) — "
            "flagged as excess; retiring it is an operator decision"))
