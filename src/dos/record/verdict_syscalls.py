"""Which answers are verdicts, and how each becomes verdict journal entries.

Keyed by the answer's ``schema`` family (the verb's name): the CLI and MCP hand the
journal the very ``--json`` answer they return, so both surfaces journal the same
record. Each reader picks the syscall's verdict token (upper case), its subject, run id,
lane and a few scalar facts. A family not listed here is not a verdict (``doctor``,
``trace``, a lease list) and journals nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    Fields = dict[str, Any]

__all__ = ["KNOWN_SYSCALLS", "entry_fields"]

# The rollup lists these first, in this order (the CLI's families, then the hooks').
KNOWN_SYSCALLS = (
    "verify", "commit-audit", "verify-result", "coverage", "memory", "arbitrate", "lease-lane",
    "scope-gate", "liveness", "status", "watch", "loop", "productivity", "efficiency",
    "breaker", "cooldown", "resume", "complete", "rewind", "reap", "enumerate", "pickable",
    "reconcile", "gate", "scout", "health", "pick-priority", "next", "reindex", "judge",
    "judge-eval", "pretool", "posttool", "stop",
)


def scalars(source: Mapping[str, Any] | Any, *keys: str) -> dict[str, Any]:
    """The scalar values of ``keys`` in ``source`` (lists are counted, the rest dropped)."""
    if not isinstance(source, dict):
        return {}
    found: dict[str, Any] = {}
    for key in keys:
        value = source.get(key)
        if isinstance(value, list):
            found[key] = len(value)
        elif isinstance(value, str | int | float | bool) and value == value:  # noqa: PLR0124 - NaN
            found[key] = value
    return found


def _token(value: object) -> str:
    return str(value or "UNKNOWN").upper()


def _verify(p: Fields) -> list[Fields]:
    return [{"verdict": "SHIPPED" if p.get("shipped") else "NOT_SHIPPED",
             "subject": f"{p.get('plan', '')}::{p.get('phase', '')}",
             "detail": scalars(p, "source", "grade", "sha", "min_grade", "shallow")}]


def _commit_audit(p: Fields | list[Fields]) -> list[Fields]:
    if isinstance(p, dict):  # the sweep's summary
        return [{"verdict": "UNWITNESSED" if p.get("unwitnessed") else "CLEAN",
                 "detail": scalars(p, "commits", "checkable", "witnessed", "unwitnessed",
                                   "abstained", "drift_rate")}]
    unwitnessed = sum(v.get("verdict") == "CLAIM_UNWITNESSED" for v in p)
    shas = [str(v.get("sha", "")) for v in p]
    subject = shas[0] if len(shas) == 1 else f"{shas[-1]}..{shas[0]}"
    return [{"verdict": "UNWITNESSED" if unwitnessed else "CLEAN", "subject": subject,
             "detail": {"commits": len(p), "unwitnessed": unwitnessed}}]


def _memory(p: Fields | list[Fields]) -> list[Fields]:
    """One entry per note: a recall's, or each of a sweep's (routed or not)."""
    routed = p.get("notes") if isinstance(p, dict) else None
    notes = routed if isinstance(routed, list) else p if isinstance(p, list) else [p]
    return [{"verdict": _token(note.get("verdict")), "subject": str(note.get("memory", "")),
             "detail": scalars(note, "file", "type", "culprit", "claims")}
            for note in notes if isinstance(note, dict)]


def _lease_lane(p: Fields) -> list[Fields]:
    if "outcome" not in p:  # a release, a heartbeat: not an admission decision
        return []
    return [{"verdict": _token(p["outcome"]), "subject": str(p.get("owner", "")),
             "lane": str(p.get("lane", "")), "run_id": str(p.get("run_id", "")),
             "detail": scalars(p, "action", "reason_class", "lease_id", "mode", "renewed",
                               "auto_picked", "blockers")}]


def _arbitrate(p: Fields) -> list[Fields]:
    # the reason text is kept for a refusal: `dos decisions` shows it to the operator
    keys = ("reason_class", "mode", "auto_picked", "blockers") + (
        ("reason",) if _token(p.get("outcome")) == "REFUSE" else ())
    return [{"verdict": _token(p.get("outcome")), "lane": str(p.get("lane", "")),
             "subject": str(p.get("lane", "")) or " ".join(map(str, p.get("tree", []))),
             "detail": scalars(p, *keys)}]


def _scope_gate(p: Fields) -> list[Fields]:
    evidence = p.get("scope", {}).get("evidence", {}) if isinstance(p.get("scope"), dict) \
        else {}
    lane = str(evidence.get("lane", "")) if isinstance(evidence, dict) else ""
    return [{"verdict": _token(p.get("verdict")), "lane": lane, "subject": lane,
             "detail": {"touched": len(evidence.get("touched_files", []))
                        if isinstance(evidence, dict) else 0,
                        "refused": len(p.get("refused_files", []))}}]


def _run(p: Fields) -> list[Fields]:
    evidence = p.get("evidence") if "evidence" in p else p.get("liveness", {}).get("evidence")
    return [{"verdict": _token(p.get("verdict")), "run_id": str(p.get("run_id", "")),
             "subject": str(p.get("run_id", "")),
             "lane": str((p.get("lease") or {}).get("lane", "")),
             "detail": scalars(evidence, "commits_since_start", "commits_in_window",
                               "journal_events_in_window", "last_heartbeat_age_ms",
                               "process_alive")}]


def _watch(p: Fields) -> list[Fields]:
    verdicts, commands = p.get("verdicts", {}), p.get("commands", {})
    return [{"verdict": "HALT_PROPOSED", "run_id": str(run), "subject": str(run),
             "detail": {"liveness": str(verdicts.get(run, "")),
                        "command": str(commands.get(run) or "")}}
            for run in p.get("proposed_halts", [])]


def _loop(p: Fields) -> list[Fields]:
    [found] = _simple("", "alive", "admissible", "target", "spawn", "reap", "flag",
                      "proposed_halt", "escalate")(p)
    escalated = [row for row in p.get("escalate", []) if isinstance(row, dict)]
    if escalated:  # which lanes, and why: `dos decisions` raises one row per lane
        found["detail"]["escalated"] = ",".join(str(row.get("lane", "")) for row in escalated)
        found["detail"]["escalate_reason"] = str(escalated[0].get("reason", ""))
    return [found]


def _recovery(*keys: str, verdict_key: str = "verdict") -> Callable[[Fields], list[Fields]]:
    """A run's recovery verdict: its run id is the subject."""
    def read(p: Fields) -> list[Fields]:
        run_id = str(p.get("run_id", ""))
        return [{"verdict": _token(p.get(verdict_key)), "subject": run_id, "run_id": run_id,
                 "detail": scalars(p, *keys)}]
    return read


def _next(p: Fields) -> list[Fields]:
    found = p.get("lease")
    lease: Fields = found if isinstance(found, dict) else {}
    docs = p.get("docs")
    return [{"verdict": _token(p.get("verdict")), "subject": str(p.get("unit") or ""),
             "lane": str(p.get("lane") or ""),
             "run_id": str(p.get("run_id") or lease.get("run_id") or ""),
             "detail": {**scalars(p, "because", "owner", "dry_run", "renewed", "units",
                                  "shipped", "remaining"),
                        **scalars(lease, "lease_id"),
                        # the plan documents read, for `dos judge wedge` (NUL-separated)
                        **({"docs": "\0".join(map(str, docs))} if isinstance(docs, list)
                           else {})}}]


def _simple(subject: str = "", *keys: str, verdict_key: str = "verdict",
            inner: str = "") -> Callable[[Fields], list[Fields]]:
    def read(p: Fields) -> list[Fields]:
        facts = p.get(inner, {}) if inner else p
        return [{"verdict": _token(p.get(verdict_key)), "subject": str(p.get(subject, "")),
                 "detail": scalars(facts, *keys)}]
    return read


def _eval(p: Fields) -> list[Fields]:
    bar = p.get("bar") if isinstance(p.get("bar"), dict) else {}
    return [{"verdict": _token(p.get("verdict")), "subject": str(p.get("cases", "")),
             "detail": {**scalars(p, "n"), **scalars(bar, "headline", "min_rate",
                                                     "dangerous_ok")}}]


_READERS: dict[str, Callable[[Any], list[Fields]]] = {
    "verify": _verify,
    "commit-audit": _commit_audit,
    "verify-result": _simple("", "class", "dead", "api_status", verdict_key="state"),
    "coverage": _simple("", "declared", "healthy", "dead", "unreadable", "unaccounted",
                        "grounded", "fraction", "quorum_met", verdict_key="state"),
    "memory": _memory,
    "arbitrate": _arbitrate,
    "lease-lane": _lease_lane,
    "scope-gate": _scope_gate,
    "liveness": _run,
    "status": _run,
    "watch": _watch,
    "loop": _loop,
    "productivity": _simple("", "step_count", "last_delta", "prior_delta", inner="history"),
    "efficiency": _simple("", "work", "tokens", "ratio", inner="evidence"),
    "breaker": _simple("", "consecutive", "total", "tripped_on", "escalation",
                       verdict_key="state"),
    "cooldown": _simple("unit_id", "count", "last_outcome", "last_ms", "until_ms",
                        verdict_key="state"),
    "resume": _recovery("resume_step", "resume_sha", "residual", "verified", "unshown",
                        "proposed_now"),
    "complete": _recovery("declared", "verified", "residual", "fraction_done",
                          verdict_key="state"),
    "rewind": _recovery("fire", "checkpoint_seq", "checkpoint_commit", "dropped_steps"),
    "reap": _simple("", "applied", "leases", "runs", "files"),
    "enumerate": _simple("doc", "series", "units", "shipped", "remaining", "drift"),
    "pickable": _simple("unit", "held", "redispatch_invariant", "cooldown_until_ms",
                        "cooldown_source"),
    "reconcile": _simple("unit", "claimed", "oracle_shipped", "oracle_source", "grade",
                         "min_grade", "sha", verdict_key="state"),
    "gate": _simple("", "evidence", "notes"),
    "scout": _simple("activity", "rule_id", "cause_key", "gate", "focus"),
    "next": _next,
    "judge": _recovery("outcome", "cause", "cause_source", "oracle_disagrees", "because"),
    "judge-eval": _simple("judge", "false_clear", "correct_clear", "correct_flag",
                          "false_flag", "abstain_true", "abstain_false", inner="grid"),
    "pick-priority": lambda p: [{"verdict": "RANKED",
                                 "subject": str((p.get("order") or [""])[0]),
                                 "detail": scalars(p, "order", "never_attempted")}],
    "reindex": _simple("registry", "active", "stale", "pruned", "unreadable", "events"),
    "health": _simple("lane", "cause_key", "runs_considered", "blocker_runs", "overlap_lane",
                      "overlap_lease_id"),
    "overlap-eval": _eval,
    "intervention-eval": _eval,
    "tool-stream-eval": _eval,
    "precursor-gate-eval": _eval,
}


def _family(payload: object) -> str:
    first = payload[0] if isinstance(payload, list) and payload else payload
    schema = first.get("schema") if isinstance(first, dict) else None
    return str(schema.get("family", "")) if isinstance(schema, dict) else ""


def entry_fields(payload: object) -> tuple[str, list[Fields]]:
    """``(syscall, [fields of one entry each])`` for a verb's ``--json`` answer; no
    fields for an answer that is not a verdict."""
    family = _family(payload)
    reader = _READERS.get(family)
    return family, (reader(payload) if reader is not None else [])
