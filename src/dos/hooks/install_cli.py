"""What ``dos init --hooks`` and ``dos doctor --wiring`` print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dos.hooks.install import HOSTS, Plan, Wiring, apply, plan_install, plan_uninstall, wiring
from dos.hooks.install_hosts import OWN_FAIL_CLOSED

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["check_wiring", "init_hooks", "plan_lines", "wiring_report"]

_SAID = {
    "wired": "wired {n} DOS hook(s) into {path}: {events}",
    "repaired": "repaired the DOS hooks in {path}: {events}",
    "unchanged": "left {n} DOS hook(s) untouched in {path}: already wired",
    "restored": "removed the DOS hooks from {path}: its content from before "
                "`dos init --hooks {host}` is back, byte for byte",
    "removed": "removed the DOS hooks from {path}",
    "deleted": "removed the DOS hooks and deleted {path} (dos had created it)",
    "none": "no DOS hooks in {path}; nothing to remove",
    "absent": "{path} does not exist; nothing to remove",
}


def plan_lines(plan: Plan, *, dry_run: bool) -> list[str]:
    events = [event for event, _ in plan.spec.events]
    said = _SAID[plan.action].format(n=len(events), path=plan.path, host=plan.spec.name,
                                     events=", ".join(events))
    if plan.fail_closed and plan.action in ("wired", "repaired"):
        said += " (pretool fails closed)"
    if not dry_run:
        lines = [said]
        if plan.action in ("wired", "repaired"):
            lines += [f"  note: {note}" for note in plan.spec.notes]
        if plan.fail_closed and plan.spec.name not in OWN_FAIL_CLOSED:
            lines.append(f"  note: {plan.spec.name} has no fail-closed option of its own: a "
                         "hook that crashes or times out lets the call through; "
                         "`--on-error deny` covers errors inside dos.")
        return lines
    lines = [f"--dry-run: would have {said} (nothing written)"]
    if plan.changes:
        name = plan.path.name
        body = "(the file would be deleted)\n" if plan.after is None else plan.after
        lines += [f"----- proposed {name} -----", body.rstrip("\n"),
                  "----- end preview (re-run without --dry-run to apply) -----"]
    return lines


def init_hooks(root: Path, host: str, *, uninstall: bool, fail_closed: bool, dry_run: bool,
               output: str) -> int:
    """Plan, print and (unless ``dry_run``) apply one host's wiring; exit 0."""
    plan = plan_uninstall(root, host) if uninstall else plan_install(
        root, host, fail_closed=fail_closed)
    if not dry_run:
        apply(root, plan)
    if output == "json":
        from dos.render import emit_json

        emit_json({**plan.to_dict(), "dry_run": dry_run, "changed": plan.changes,
                   "proposed": plan.after if dry_run else None})
    else:
        print("\n".join(plan_lines(plan, dry_run=dry_run)))
    return 0


def check_wiring(root: Path) -> list[Wiring]:
    """Every host's wiring in the workspace at ``root``: WIRED, NOT_WIRED, or DRIFTED
    (edited, unreadable, outside the workspace, or running a program that does not
    resolve to an executable); ``Wiring.to_dict()`` is its JSON."""
    return [wiring(root, host) for host in HOSTS]


def wiring_report(root: Path, output: str) -> bool:
    """Print every host's wiring; True when none has drifted."""
    found = check_wiring(root)
    if output == "json":
        from dos.render import emit_json

        emit_json({"wiring": {item.host: item.to_dict() for item in found}})
    else:
        for item in found:
            extra = f"  ({item.detail})" if item.status == "DRIFTED" else (
                "  (pretool fails closed)" if item.fail_closed else "")
            print(f"{item.host:<12} {item.status:<10} {item.path}{extra}")
    return all(item.status != "DRIFTED" for item in found)
