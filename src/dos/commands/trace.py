"""dos trace RUN_ID: follow one run id through its leases, the journal and git."""

from __future__ import annotations

import argparse
from typing import Any

from dos.api.temporal import TraceJSON
from dos.commands._args import count
from dos.errors import UsageError

_EPILOG = """\
examples:
  dos trace RID-1M8HSC4V72JNYG0
  dos trace RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1 --ref agent/auth --json

Journal records are attributed by the run id they carry or by the lease they name;
nothing is guessed from timestamps. Read-only.
Exit: 0 something was found, 1 nothing was found, 2 usage or git error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Join one run's spine (its id), journal records and commits."
    parser.epilog = _EPILOG
    parser.add_argument("run_id", metavar="RUN_ID", help="the run to trace")
    parser.add_argument("--start-sha", default="", metavar="SHA",
                        help="the commit the run started from, to list its commits")
    parser.add_argument("--ref", default="HEAD", metavar="REF",
                        help="the run's branch or ref (default HEAD)")
    parser.add_argument("--limit", type=count(), default=200, metavar="N",
                        help="journal rows shown in text (default 200; JSON has all)")


def _journal_row(row: dict[str, Any]) -> str:
    from dos.admission.holder import iso_utc

    reason = str(row["payload"].get("reason", "") or row["payload"].get("command", "") or "")
    lease = f"#{row['lease_id']}" if row["lease_id"] is not None else "-"
    return (f"  {row['seq']:>6}  {iso_utc(row['ts_ms'])}  {row['op']:<9} {row['lane'] or '-':<10} "
            f"{lease:<6} {row['holder'] or '-'}  {reason[:60]}").rstrip()


def render_text(trace: TraceJSON, limit: int) -> list[str]:
    rid = trace["run_id"]
    lines = [f"# trace · {rid}"]
    if not trace["found"]:
        return [*lines, f"  no surface found for run {rid} (no lease, no attributed journal "
                        "record, no commit since a start SHA)"]
    spine = trace["spine"]
    lines += ["## spine", f"  minted_at : {spine['minted_at']}",
              f"  spawned by: {', '.join(spine['spawned_by']) or '(no SPAWN record)'}"]
    lines.append(f"## leases ({len(trace['leases'])})")
    lines += [f"  #{lease['lease_id']} {lease['lane']} held by {lease['holder']} — "
              f"{lease['release_kind'] or 'unreleased'}" for lease in trace["leases"]]
    journal = trace["journal"]
    lines.append(f"## journal ({len(journal)} record(s))")
    lines += [_journal_row(row) for row in (journal[-limit:] if limit else [])]
    git = trace["git"]
    if git["start_sha"]:
        lines.append(f"## commits since {git['start_sha'][:12]} on {git['ref']} "
                     f"({len(git['commits'])})")
        lines += [f"  {c['sha'][:10]} {c['subject'][:72]}" for c in git["commits"][:20]]
    return lines


def run(*, run_id: str, start_sha: str, ref: str, limit: int, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import temporal as api
    from dos.render import emit
    from dos.workspace import load_config

    api.check_run_id(run_id)
    if limit < 0:
        raise UsageError(f"--limit must be 0 or more, got {limit}")
    config = load_config(workspace, driver)
    found = api.trace(config, run_id=run_id, start_sha=start_sha, ref=ref)
    emit(api.trace_json(found), output=output,
         text=lambda _color: "\n".join(render_text(found, limit)))
    return 0 if found["found"] else 1
