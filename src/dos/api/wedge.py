"""``dos judge wedge RUN``: audit a run whose picker said there was nothing to do.

The run is looked up in the store, never on disk: its newest ``dos next`` answer in the
verdict journal. What held work then comes from the same store (leases live at that
moment, attempts still cooling down); whether the plans are drained comes from the plan
documents the answer named, read now, and trusted only if neither they nor dos.toml
changed since. Read-only."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.judges.wedge import HeldFacts, PickerAnswer, WedgeVerdict, classify
from dos.render import with_schema
from dos.store import StoreTx
from dos.structs import struct

__all__ = ["WedgeAudit", "audit_wedge", "wedge_json", "wedge_text"]

_LIST_RUNS = "list the runs `dos next` answered for: dos observe --syscall next --by run_id"


@struct
class WedgeAudit:
    answer: PickerAnswer
    verdict: WedgeVerdict


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _answer(tx: StoreTx, run: str) -> tuple[PickerAnswer, str]:
    found = tx.verdict_records(syscall="next", run_id=run, newest_first=True, limit=1)
    if not found:
        raise UsageError(f"no `dos next` answer is recorded for run {run}", hint=_LIST_RUNS)
    record = found[0]
    detail = dict(record.detail)
    answer = PickerAnswer(run, record.seq, record.ts_ms, record.verdict,
                          str(detail.get("because") or ""), str(detail.get("owner") or ""),
                          record.lane, record.subject, _int(detail.get("units")),
                          _int(detail.get("remaining")))
    return answer, str(detail.get("docs") or "")


def _held(tx: StoreTx, config: SubstrateConfig, answer: PickerAnswer) -> HeldFacts:
    from dos.temporal.cooldown import Attempt, CooldownPolicy
    from dos.temporal.cooldown import classify as cooling
    from dos.temporal.next_pick import UNIT_LEASE_PREFIX
    from dos.verdicts.cooldown import CooldownToken

    at = answer.ts_ms
    leases = [*tx.unreleased_leases(), *tx.leases_ended_since(at)]
    live = {lease.lease_id: lease for lease in leases if lease.holder != answer.owner
            and lease.acquired_at_ms <= at < min(lease.renewed_at_ms + lease.ttl_ms,
                                                 lease.released_at_ms or at + 1)}
    units = tuple(f"#{lease.lease_id} {lease.loop_ts[len(UNIT_LEASE_PREFIX):]} "
                  f"({lease.holder})" for lease in live.values()
                  if lease.loop_ts.startswith(UNIT_LEASE_PREFIX))
    others = tuple(f"#{lease.lease_id} lane {lease.lane} ({lease.holder})"
                   for lease in live.values())
    policy = CooldownPolicy.from_table(config.table("cooldown"))
    since = at - max(policy.window_ms, policy.error_window_ms)
    rows = [Attempt(row.unit_id, row.outcome, row.attempted_at_ms)
            for row in tx.attempts(since_ms=since, limit=100_000) if row.attempted_at_ms <= at]
    cool = tuple(sorted(unit for unit in {row.unit_id for row in rows}
                        if cooling(unit, rows, at, policy).state
                        is CooldownToken.RECENTLY_ATTEMPTED))
    return HeldFacts(units, others, cool)


def audit_wedge(config: SubstrateConfig, run: str) -> WedgeAudit:
    """The oracle's verdict on ``run``'s recorded picker answer. An id that is not a run
    id, or a run with no recorded answer, is a usage error (exit 2)."""
    from dos.admission.holder import check_run_id
    from dos.store import reading

    rid = check_run_id(run)
    if not rid:
        raise UsageError("name the run to audit", hint=_LIST_RUNS)
    with reading(config) as tx:
        if tx is None:
            raise UsageError(f"no `dos next` answer is recorded for run {rid} (this "
                             "workspace has no store yet)", hint=_LIST_RUNS)
        answer, docs = _answer(tx, rid)
        held = _held(tx, config, answer) if answer.verdict == "HELD" else None
    plans = None
    if answer.verdict == "DRAINED":
        from dos.api.wedge_plans import plan_facts

        plans = plan_facts(config, docs, answer.ts_ms)
    return WedgeAudit(answer, classify(answer, held, plans))


def wedge_json(audit: WedgeAudit) -> dict[str, Any]:
    a = audit.answer
    return dict(with_schema({
        "run_id": a.run_id, "lane": a.lane or None, "picker_verdict": a.verdict,
        "because": a.because or None, "answered_at_ms": a.ts_ms, "journal_seq": a.seq,
        **audit.verdict.to_dict()}, "judge"))


def wedge_text(audit: WedgeAudit) -> str:
    from dos.admission.holder import iso_utc

    a, v = audit.answer, audit.verdict
    said = {"AGREES": "oracle agrees — no picker bug", "ABSTAINS":
            "oracle abstains — nothing on record settles it",
            "DISAGREES": "oracle_disagrees=TRUE — provable picker bug"}[v.token.value]
    lines = [f"RUN         {a.run_id}", f"ANSWERED    {a.verdict} at {iso_utc(a.ts_ms)} "
             f"(verdict journal #{a.seq})", f"LANE        {a.lane or '-'}",
             f"OUTCOME     {v.outcome}", f"CAUSE       {v.cause or '-'}", f"VERDICT     {said}"]
    lines += [f"{'EVIDENCE' if i == 0 else '':<12}{line}" for i, line in enumerate(v.evidence)]
    if a.because:
        lines.append(f"PICKER SAID {a.because[:200]}")
    if v.cause == "UNCLASSIFIED":
        lines.append("ESCALATE    the deterministic oracle abstains; a judge can rule "
                     "(`dos judge-eval` grades one)")
    return "\n".join(lines)
