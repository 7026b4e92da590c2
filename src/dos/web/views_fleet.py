"""The read-only views: top, plan and observe, drawn from their ``--json`` payloads."""

from __future__ import annotations

from typing import Any

from dos.web.html import cell, esc, table

__all__ = ["observe_body", "plan_body", "top_body"]


def _age(ms: object) -> str:
    if not isinstance(ms, int):
        return "—"
    seconds = ms // 1000
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _lane(row: dict[str, Any]) -> str:
    lane = row["lane"] + ("*" if row.get("is_exclusive") else "")
    chip = row["chip"]
    return (f'<tr data-lane="{esc(row["lane"])}" data-chip="{esc(chip)}" '
            f'data-holder="{esc(row.get("holder") or "")}">'
            f"{cell(lane)}{cell(row.get('holder') or '—')}"
            f"{cell(_age(row.get('lease_age_ms')))}{cell(_age(row.get('heartbeat_age_ms')))}"
            f'<td><span class="chip chip-{esc(chip.lower())}">{esc(chip)}</span></td>'
            f"{cell(row.get('commits_since_grant'))}{cell(row.get('pending_decisions'))}"
            f"{cell(row.get('liveness_reason') or '')}</tr>")


def _verdict(row: dict[str, Any]) -> str:
    return (f'<tr data-seq="{esc(row["seq"])}" data-syscall="{esc(row["syscall"])}">'
            f"{cell(row['ts'])}{cell(row['syscall'])}{cell(row['verdict'])}"
            f"{cell(row['source'])}{cell(row['subject'])}{cell(row['lane'])}</tr>")


def top_body(payload: dict[str, Any]) -> str:
    totals = payload["totals"]
    line = " · ".join(f"{value} {name}" for name, value in totals.items())
    note = f'<p id="git-note" class="note">{esc(payload["git_note"])}</p>' \
        if payload.get("git_note") else ""
    activity = (f'<tr data-sha="{esc(c["sha"])}">{cell(c["sha"][:10])}{cell(c["subject"])}'
                "</tr>" for c in payload["activity"])
    return (f'<section id="top" data-initialized="{str(payload["initialized"]).lower()}">'
            f'<p id="totals" data-lanes="{esc(totals["lanes"])}">{esc(line)}</p>{note}'
            + table("lanes", ("lane", "holder", "lease", "heartbeat", "liveness", "commits",
                              "decisions", "why"),
                    (_lane(row) for row in payload["lanes"]), "no lanes declared")
            + "<h2>newest verdicts</h2>"
            + table("verdicts", ("when", "syscall", "verdict", "source", "subject", "lane"),
                    (_verdict(row) for row in payload["verdicts"]), "no verdicts yet")
            + "<h2>newest commits</h2>"
            + table("activity", ("sha", "subject"), activity, "no commits") + "</section>")


def _phase(row: dict[str, Any]) -> str:
    key = f"{row['plan']}/{row['phase']}"
    divergent = str(bool(row["is_divergent"])).lower()
    return (f'<tr data-phase="{esc(key)}" data-divergent="{divergent}">'
            f"{cell(row['plan'])}{cell(row['phase'])}{cell(row['claimed_status'])}"
            f"{cell('shipped' if row['oracle_shipped'] else 'not shipped')}"
            f"{cell(row['divergence'], cls='divergent' if row['is_divergent'] else '')}"
            f"{cell(row['oracle_source'])}{cell(row['doc_path'])}</tr>")


def plan_body(payload: dict[str, Any]) -> str:
    summary = payload.get("summary") or {}
    shown = " · ".join(f"{value} {name}" for name, value in summary.items()) \
        if isinstance(summary, dict) else str(summary)
    return (f'<section id="plan" data-source="{esc(payload["plan_source"])}">'
            f'<p id="summary">{esc(shown)}</p>'
            + table("phases", ("plan", "phase", "claim", "git", "divergence", "evidence",
                               "document"),
                    (_phase(row) for row in payload["phases"]),
                    "no phases declared (plan documents: [paths] plans_glob)")
            + "</section>")


def observe_body(payload: dict[str, Any]) -> str:
    rollup, chain = payload["rollup"], payload["chain"]
    counts = rollup["counts"]
    rows = (f'<tr data-value="{esc(value)}">{cell(value)}{cell(sum(counts[value].values()))}'
            f"{cell(' '.join(f'{k}={n}' for k, n in counts[value].items()))}</tr>"
            for value in rollup["dimensions"])
    events = (f'<tr data-seq="{esc(e["seq"])}">{cell(e["ts"])}{cell(e["syscall"])}'
              f"{cell(e['verdict'])}{cell(e['source'])}{cell(e['subject'])}</tr>"
              for e in reversed(payload["events"]))
    ok = str(bool(chain.get("ok", True))).lower()
    return (f'<section id="observe" data-total="{esc(rollup["total"])}">'
            f'<p id="chain" data-ok="{ok}">chain {"intact" if ok == "true" else "BROKEN"}'
            f' · {esc(rollup["total"])} verdict(s)</p>'
            + table("rollup", (f"by {rollup['by']}", "count", "verdicts"), rows,
                    "no verdicts recorded")
            + "<h2>newest verdicts</h2>"
            + table("events", ("when", "syscall", "verdict", "source", "subject"), events,
                    "no verdicts recorded") + "</section>")
