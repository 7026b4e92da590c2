"""dos reap [--apply]: end what is provably dead — expired leases, dead runs, dos's own
stale temporary files in .dos/. A dry run unless --apply."""

from __future__ import annotations

import argparse

from dos.api.reap import DEFAULT_GRACE_S, Reaping
from dos.commands._args import seconds
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos reap                 what is dead, counted; nothing changes (a dry run)
  dos reap --apply         end it: expired leases (REAP in the journal), dead runs
                           (REAPED in their ledger, their unit's attempt abandoned),
                           stale temporary files dos left in .dos/

A run is dead only when it has unfinished declared steps, no live lease, no process of
its leases still running on this host, and a ledger quiet for --grace-seconds. reap
never touches a file outside .dos/, never follows a symlink, and never deletes a run's
history (the ledger is append-only).
exit: 0 CLEAN or REAPED, 3 WOULD_REAP (a dry run found dead things), 2 usage, 74 store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="end what is dead")
    mode.add_argument("--dry-run", action="store_true",
                      help="only count it (the default)")
    parser.add_argument("--grace-seconds", type=seconds(), default=DEFAULT_GRACE_S,
                        metavar="S", help="how long a run's ledger must have been quiet "
                        f"before the run can be dead (default {DEFAULT_GRACE_S:g})")


def _details(result: Reaping) -> list[str]:
    from dos.admission.holder import iso_utc

    verb = ("ended", "marked dead", "removed") if result.applied else \
        ("would end", "would mark dead", "would remove")
    lines = [f"  leases   {verb[0]} {len(result.leases)}"]
    lines += [f"      - #{lease.lease_id} {lease.lane} held by {lease.holder} (ttl passed at "
              f"{iso_utc(lease.renewed_at_ms + lease.ttl_ms)})" for lease in result.leases]
    lines.append(f"  runs     {verb[1]} {len(result.runs)}")
    lines += [f"      - {run.run_id} ({run.reason})" for run in result.runs]
    lines.append(f"  files    {verb[2]} {len(result.files)}")
    lines += [f"      - {name}" for name in result.files]
    lines += [f"  left alone: {why}" for why in result.refused]
    return lines


def run(*, apply: bool, dry_run: bool, grace_seconds: float, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import reap as api
    from dos.commands._temporal import emit_verdict

    config = load_config(workspace, driver)
    result = api.reap(config, apply=apply and not dry_run, grace_seconds=grace_seconds)
    reason = ("nothing is provably dead" if not result.found else
              f"{result.found} dead thing(s) ended" if result.applied else
              f"{result.found} dead thing(s) found; nothing changed — `dos reap --apply` "
              "ends them")
    emit_verdict(result.token.value, reason, api.reap_json(result), output, _details(result))
    return result.token.exit_code
