"""dos doctor: show what dos sees — workspace, config, lanes, drivers, store, git."""

from __future__ import annotations

import argparse
import platform
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import GitError
from dos.render import emit_json
from dos.workspace import load_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="also run the policy lint; exit 1 if anything fails")
    parser.add_argument("--wiring", action="store_true",
                        help="only show each agent host's hook wiring: WIRED, DRIFTED or "
                        "NOT_WIRED (exit 1 if any drifted; repair with `dos init --hooks HOST`)")
    parser.epilog = "exit 0 healthy, 1 with --check when a check fails, 2 on a bad dos.toml"


def _git_state(config: SubstrateConfig) -> dict[str, Any]:
    from dos.git import run_git

    try:
        top = run_git(["rev-parse", "--show-toplevel"], config.root).stdout.strip()
    except GitError as error:
        return {"is_repo": False, "detail": error.message}
    head = run_git(["rev-parse", "--verify", "-q", "HEAD"], config.root, check=False)
    branch = run_git(["symbolic-ref", "-q", "--short", "HEAD"], config.root, check=False)
    dirty = run_git(["status", "--porcelain", "--untracked-files=no"], config.root)
    return {"is_repo": True, "toplevel": top, "head": head.stdout.strip() or None,
            "branch": branch.stdout.strip() or None, "dirty": bool(dirty.stdout.strip())}


def _store_state(config: SubstrateConfig) -> dict[str, Any]:
    from dos.store.probe import describe_active

    return describe_active(config)  # the active store ($DOS_STORE_URL too), reachable?


def _store_line(store: dict[str, Any]) -> str:
    if not store.get("reachable"):
        return f"{store['url']} (UNREACHABLE: {store.get('error')})"
    if not store.get("exists"):
        return f"{store['url']} (not created yet; the first write creates it)"
    version = store.get("schema_version")
    return f"{store['url']}" + (f" (schema v{version})" if version else "")


def gather(config: SubstrateConfig) -> dict[str, Any]:
    """Everything doctor reports, as data."""
    from dos import exitcodes
    from dos._version import __version__
    from dos.plugins import available_drivers

    lanes = config.lanes
    return {
        "dos_version": __version__, "python": platform.python_version(),
        "workspace": str(config.root),
        "config_source": str(config.source) if config.source else None,
        "driver": config.driver or None, "drivers_available": list(available_drivers()),
        "lanes": {"concurrent": list(lanes.concurrent), "exclusive": list(lanes.exclusive),
                  "autopick": list(lanes.autopick),
                  "trees": {lane: list(globs) for lane, globs in lanes.trees.items()},
                  "aliases": dict(lanes.aliases)},
        "paths": {"root": str(config.root), "style": config.paths.style,
                  "execution_state": str(config.paths.execution_state),
                  "plans_glob": config.paths.plans_glob, "store": str(config.paths.store)},
        "stamp": vars(config.stamp) | {"style": config.stamp.style},
        "overlap_policy": {"active": config.overlap.policy,
                           "ratio_max": config.overlap.ratio_max},
        "store": _store_state(config), "git": _git_state(config),
        "unknown_tables": list(config.unknown_tables),
        "workspace_facts": {
            "is_kernel_repo": bool(config.workspace and config.workspace.is_kernel_repo),
            "kernel_runtime_files_present": list(config.kernel_runtime_files or ())},
        "exit_codes": exitcodes.table(),
    }


def _text(report: dict[str, Any]) -> list[str]:
    lanes, git, store = report["lanes"], report["git"], report["store"]
    git_line = (f"{git['toplevel']} on {git['branch'] or '(detached)'} at "
                f"{(git['head'] or '(no commits)')[:12]}{' (dirty)' if git['dirty'] else ''}"
                if git["is_repo"] else f"not a git repository ({git['detail']})")
    rows = [
        ("dos version", report["dos_version"]), ("python", report["python"]),
        ("workspace root", report["workspace"]),
        ("config", report["config_source"] or "(no dos.toml — built-in defaults)"),
        ("driver", report["driver"] or "(none)"),
        ("drivers available", ", ".join(report["drivers_available"]) or "(none)"),
        ("concurrent lanes", ", ".join(lanes["concurrent"]) or "(none)"),
        ("exclusive lanes", ", ".join(lanes["exclusive"]) or "(none)"),
        ("autopick ladder", " > ".join(lanes["autopick"]) or "(none)"),
        ("aliases", ", ".join(f"{k}→{v}" for k, v in lanes["aliases"].items()) or "(none)"),
        ("store", _store_line(store)),
        ("stamp convention", report["stamp"]["style"]),
        ("overlap policy", f"{report['overlap_policy']['active']} "
                           f"(ratio_max={report['overlap_policy']['ratio_max']:.3g})"),
        ("layout style", report["paths"]["style"]), ("git", git_line),
    ]
    if report["unknown_tables"]:
        rows.append(("unknown tables", ", ".join(report["unknown_tables"])))
    return [f"{label:<20}{value}" for label, value in rows]


def run(*, check: bool, workspace: str | None, driver: str | None, output: str,
        wiring: bool = False, **_: object) -> int:
    import sys

    from dos.verdicts.ops import DoctorVerdict

    config = load_config(workspace, driver)
    if wiring:
        from dos.hooks.install_cli import wiring_report

        healthy = wiring_report(config.root, output)
        return (DoctorVerdict.HEALTHY if healthy else DoctorVerdict.FINDINGS).exit_code
    report, code, findings = diagnose(config, check=check)
    for finding in findings:
        print(f"finding: {finding.render()}", file=sys.stderr)
    if output == "json":
        emit_json(report)
    else:
        print("\n".join(_text(report)))
    return code


def diagnose(config: SubstrateConfig, *,
             check: bool = False) -> tuple[dict[str, Any], int, list[Any]]:
    """(the ``--json`` report, the exit code, the lint findings) — shared with the MCP server."""
    from dos.verdicts.ops import DoctorVerdict

    report = gather(config)
    verdict = DoctorVerdict.HEALTHY
    findings: list[Any] = []
    if check:
        from dos.lint import lint, verdict_of

        findings = list(lint(config))
        report["findings"] = [vars(finding) for finding in findings]
        if verdict_of(findings, strict=True).exit_code:
            verdict = DoctorVerdict.FINDINGS
    report["verdict"] = verdict.value
    return report, verdict.exit_code, findings
