"""Loop signals a picker folds before it leases anything: the type of an empty /next-up
packet (``gate``) and the activity the host's signals call for (``scout``). Every input
is read strictly: a quoted ``"false"`` or a misspelt key is an error, never a verdict."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dos.admission.next_up_gate import DROP_REASONS, Disposition, GateVerdict, Race
from dos.errors import UsageError
from dos.json_input import MAX_BYTES, Fields, json_flag
from dos.limits import MAX_COUNT
from dos.render import with_schema
from dos.temporal.scout import HEALTH_ACTIONS, LaneOutcome, ScoutState, ScoutVerdict, StopPolicy

__all__ = ["gate", "gate_json", "picks_from_json", "scout", "scout_json", "scout_state",
           "scout_state_from"]

_SIDECAR_SCHEMA = "oc3-dispositions-v1"
_RACE_SCHEMA = "next-up-race-v1"
_SIDECAR_NAME = re.compile(r"^\.dispositions-(.+)\.json$")
_DISPOSITION_KEYS = ("phase", "phase_id", "series", "live", "drop_reason", "ship_via",
                     "ship_sha", "plan_doc_stamped", "claim_tag", "title", "lane", "unit")
_EXAMPLE = '\'[{"phase": "AUTH3", "live": false, "drop_reason": "soft_claimed"}]\''


def _disposition(raw: Any, where: str) -> Disposition:
    if not isinstance(raw, dict):
        raise UsageError(f"{where} must be a JSON object", hint=f"e.g. {_EXAMPLE}")
    fields = Fields(raw, where, _DISPOSITION_KEYS)
    phase = fields.text("phase", limit=200) or fields.text("phase_id", limit=200)
    if not phase.strip():
        raise UsageError(f"{where} is missing 'phase' (or 'phase_id')",
                         hint=f"every disposition names its phase, e.g. {_EXAMPLE}")
    reason = fields.text("drop_reason", limit=64) or None
    if reason is not None and reason not in DROP_REASONS:
        raise UsageError(f"{where}.drop_reason {reason!r} is not one of "
                         f"{', '.join(DROP_REASONS)}",
                         hint="a misspelt drop reason would read as a drain; fix it, or "
                              "leave drop_reason out")
    series = fields.text("series", limit=200) or phase.rstrip("0123456789.") or phase
    return Disposition(phase=phase.strip(), series=series, live=fields.flag("live"),
                       drop_reason=reason, ship_via=fields.text("ship_via", limit=64),
                       ship_sha=fields.text("ship_sha", limit=64),
                       plan_doc_stamped=fields.flag("plan_doc_stamped", True),
                       claim_tag=fields.text("claim_tag", limit=200))


def _read_json_file(path: Path, what: str) -> Any:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{what} {path} is not a regular file of at most 1 MiB",
                             hint="name the packet's .dispositions-<tag>.json sidecar")
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}",
                         hint="check the path and its permissions") from None
    return json_flag(text, what, expect=dict, example='{"schema": "…", …}')


def _race(packet: Path, max_age_s: float, notes: list[str]) -> Race | None:
    named = _SIDECAR_NAME.match(packet.name)
    if named is None:
        return None
    race_path = packet.with_name(f".race-{named.group(1)}.json")
    if not race_path.exists():
        return None
    age = max(0.0, time.time() - race_path.stat().st_mtime)
    if age > max_age_s:
        notes.append(f"race file {race_path.name} is {age:.0f}s old (over {max_age_s:.0f}s): "
                     "stale, ignored")
        return None
    data = _read_json_file(race_path, "race file")
    if data.get("schema") != _RACE_SCHEMA:
        notes.append(f"race file {race_path.name} has schema {data.get('schema')!r}, not "
                     f"{_RACE_SCHEMA!r}: ignored")
        return None
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        reason = (f"another picker (pid {data.get('blocked_by_pid', '?')}) held "
                  f"{data.get('lock_path', 'the render lock')} at "
                  f"{data.get('attempted_at', '?')} — the packet raced")
    return Race(reason[:500], age)


def _sidecar(packet: Path) -> list[Any]:
    data = _read_json_file(packet, "disposition sidecar")
    if data.get("schema") != _SIDECAR_SCHEMA:
        raise UsageError(f"{packet} has schema {data.get('schema')!r}, expected "
                         f"{_SIDECAR_SCHEMA!r}", hint="pass the packet's dispositions "
                         "sidecar, or the picks with --picks-json")
    picks = data.get("dispositions")
    if not isinstance(picks, list):
        raise UsageError(f"{packet} has no 'dispositions' array",
                         hint="a sidecar holds {\"dispositions\": [ … ]}")
    return picks


def picks_from_json(text: str) -> list[Any]:
    """``--picks-json``: the dispositions as a JSON array."""
    return list(json_flag(text, "--picks-json", expect=list, example=_EXAMPLE))


def gate(*, packet: Path | None, picks: Sequence[Any] | None, race_max_age_s: float = 600.0,
         where: str = "--picks-json") -> GateVerdict:
    """LIVE, DRAIN, STALE-STAMP, BLOCKED or RACE for one packet's dispositions: the
    sidecar file ``packet`` or the parsed ``picks``."""
    from dos.admission.next_up_gate import classify

    if (packet is None) == (picks is None):
        raise UsageError("give exactly one of PACKET or --picks-json",
                         hint=f"dos gate .dispositions-TAG.json, or --picks-json {_EXAMPLE}")
    notes: list[str] = []
    if picks is not None:
        raw = list(picks)
    else:
        assert packet is not None  # noqa: S101 - narrowed by the check above
        race = _race(packet, race_max_age_s, notes)
        if race is not None:
            return classify([], race=race, notes=notes)
        raw, where = _sidecar(packet), "dispositions"
    return classify([_disposition(item, f"{where}[{i}]") for i, item in enumerate(raw)],
                    notes=notes)


def gate_json(verdict: GateVerdict, *, explain: bool = False) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(explain=explain), "gate"))


# scout

_SCOUT_KEYS = (
    "scope", "focus", "gate", "resource_blocked", "resource_block_reason", "health",
    "open_escalated_decisions", "operator_owned_cause", "same_day_unstick_count",
    "latest_unstick_stamp", "fixes_landing_since_unstick", "open_soaks", "replan_due",
    "replan_desc", "replan_in_flight", "recent_replan_unproductive", "recent_replan_ran",
    "recent_replan_desc", "scoreboard", "closed_loop", "lane_outcome", "stop_policy")
_HEALTH_KEYS = ("action", "verdict", "cause_key", "evidence", "reason", "should_proceed",
                "runs_considered", "blocker_runs", "overlap_lane", "overlap_lease_id", "lane",
                "schema")


def _health(raw: dict[str, Any] | None, where: str) -> tuple[str, str, tuple[str, ...]]:
    if raw is None:
        return "proceed", "", ()
    fields = Fields(raw, f"{where}.health", _HEALTH_KEYS)
    action = fields.choice("action", HEALTH_ACTIONS, "proceed")
    return action, fields.text("cause_key"), tuple(fields.texts("evidence"))


def _stop(raw: dict[str, Any] | None, where: str) -> StopPolicy | None:
    if raw is None:
        return None
    fields = Fields(raw, f"{where}.stop_policy", ("name", "stop", "reason"))
    return StopPolicy(fields.text("name", "host", limit=200), fields.flag("stop"),
                      fields.text("reason"))


def _outcome(raw: dict[str, Any] | None, where: str) -> LaneOutcome | None:
    if raw is None:
        return None
    fields = Fields(raw, f"{where}.lane_outcome", ("runs", "shipped", "drained"))
    return LaneOutcome(fields.integer("runs", 0, MAX_COUNT, 0) or 0,
                       fields.integer("shipped", 0, MAX_COUNT, 0) or 0,
                       fields.integer("drained", 0, MAX_COUNT, 0) or 0)


def scout_state(text: str | None) -> ScoutState:
    """``--state-json``: the host's signals as one JSON object (see ``dos scout --help``)."""
    if text is None:
        return ScoutState()
    return scout_state_from(json_flag(text, "--state-json", expect=dict,
                                      example='\'{"health": {"action": "proceed"}}\''),
                            "--state-json")


def scout_state_from(raw: Mapping[str, Any], where: str = "state") -> ScoutState:
    """The signals from a parsed object; every key and type is checked."""
    f = Fields(raw, where, _SCOUT_KEYS)
    board = Fields(f.table("scoreboard") or {}, f"{where}.scoreboard",
                   ("runs_7d", "zero_ship_7d", "false_drain_runs", "runs_shipped"))
    loop = Fields(f.table("closed_loop") or {}, f"{where}.closed_loop",
                  ("available", "count", "top_item"))
    for key in ("false_drain_runs", "runs_shipped"):
        board.integer(key, 0, MAX_COUNT)  # read by no rung yet, but held to its type
    action, cause, evidence = _health(f.table("health"), where)
    return ScoutState(
        scope=f.text("scope", limit=200) or None,
        focus=f.text("focus", limit=64).strip() or "not-started",
        gate=f.choice("gate", ("hard", "soft", "drive"), "hard"),
        resource_blocked=f.flag("resource_blocked"),
        resource_block_reason=f.text("resource_block_reason"),
        health_action=action, health_cause=cause, health_evidence=evidence,
        open_decisions=tuple(f.texts("open_escalated_decisions")),
        operator_owned_cause=f.flag("operator_owned_cause"),
        same_day_unstick_count=f.integer("same_day_unstick_count", 0, MAX_COUNT, 0) or 0,
        latest_unstick_stamp=f.text("latest_unstick_stamp", limit=64),
        fixes_landing_since_unstick=f.flag("fixes_landing_since_unstick", True),
        open_soaks=tuple(f.texts("open_soaks")), replan_due=f.flag("replan_due"),
        replan_desc=f.text("replan_desc"), replan_in_flight=f.flag("replan_in_flight"),
        recent_replan_unproductive=f.flag("recent_replan_unproductive"),
        recent_replan_ran=f.flag("recent_replan_ran") or bool(f.text("recent_replan_desc")),
        runs_7d=board.integer("runs_7d", 0, MAX_COUNT),
        zero_ship_7d=board.integer("zero_ship_7d", 0, MAX_COUNT, 0) or 0,
        closed_loop_count=(loop.integer("count", 0, MAX_COUNT, 0) or 0)
        if loop.flag("available") else 0,
        closed_loop_top=loop.text("top_item"),
        lane_outcome=_outcome(f.table("lane_outcome"), where),
        stop_policy=_stop(f.table("stop_policy"), where))


def scout(state: ScoutState) -> ScoutVerdict:
    from dos.temporal.scout import classify

    return classify(state)


def scout_json(verdict: ScoutVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "scout"))
