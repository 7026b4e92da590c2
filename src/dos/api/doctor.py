"""Ops question: is this workspace healthy? What dos sees, and every problem with its fix."""

from __future__ import annotations

import platform
from typing import Any, TypedDict

from dos.api.doctor_checks import Problem, hook_state, problem, store_problems
from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.structs import field, struct
from dos.verdicts.ops import DoctorVerdict

__all__ = ["CONFIG_KEYS", "Diagnosis", "DoctorJSON", "configuration", "diagnose", "doctor_json",
           "gather"]

CONFIG_KEYS = ("workspace", "config_source", "driver", "lanes", "paths", "stamp",
               "overlap_policy", "lifecycle", "store")


class DoctorJSON(TypedDict, total=False):
    """``dos doctor --json``: what dos sees, the problems found and the verdict."""

    dos_version: str
    python: str
    workspace: str
    config_source: str | None
    driver: str | None
    drivers_available: list[str]
    lanes: dict[str, Any]
    paths: dict[str, Any]
    stamp: dict[str, Any]
    overlap_policy: dict[str, Any]
    lifecycle: dict[str, Any]
    store: dict[str, Any]
    git: dict[str, Any]
    hooks: dict[str, Any]
    serve: dict[str, Any]
    workspace_facts: dict[str, Any]
    exit_codes: dict[str, Any]
    stamp_index: dict[str, Any]
    findings: list[dict[str, str]]
    problems: list[Problem]
    verdict: str
    schema: dict[str, Any]


@struct
class Diagnosis:
    """The report, the lint findings, the problems (each fails the verdict) and the verdict."""

    report: dict[str, Any]
    findings: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def verdict(self) -> DoctorVerdict:
        return DoctorVerdict.FINDINGS if self.problems else DoctorVerdict.HEALTHY


def _lanes(config: SubstrateConfig) -> dict[str, Any]:
    lanes = config.lanes
    return {"concurrent": list(lanes.concurrent), "exclusive": list(lanes.exclusive),
            "autopick": list(lanes.autopick),
            "trees": {lane: list(globs) for lane, globs in lanes.trees.items()},
            "aliases": dict(lanes.aliases)}


def configuration(config: SubstrateConfig) -> dict[str, Any]:
    """The workspace's configuration as dos reads it (the MCP ``dos://config`` resource)."""
    from dos.store.probe import describe_active

    return {
        "workspace": str(config.root),
        "config_source": str(config.source) if config.source else None,
        "driver": config.driver or None, "lanes": _lanes(config),
        "paths": {"root": str(config.root), "style": config.paths.style,
                  "execution_state": str(config.paths.execution_state),
                  "plans_glob": config.paths.plans_glob, "store": str(config.paths.store)},
        "stamp": vars(config.stamp) | {"style": config.stamp.style},
        "overlap_policy": {"active": config.overlap.policy,
                           "ratio_max": config.overlap.ratio_max},
        "lifecycle": config.lifecycle.to_dict(),
        "store": describe_active(config),
    }


def gather(config: SubstrateConfig) -> dict[str, Any]:
    """Everything dos sees in the workspace, as data (no verdict)."""
    from dos import exitcodes
    from dos._version import __version__
    from dos.api.serve import serve_status
    from dos.git.state import repository_state
    from dos.plugins import available_drivers

    return {
        "dos_version": __version__, "python": platform.python_version(),
        **configuration(config), "drivers_available": list(available_drivers()),
        "git": repository_state(config.root), "serve": serve_status(config),
        "workspace_facts": {
            "is_kernel_repo": bool(config.workspace and config.workspace.is_kernel_repo),
            "kernel_runtime_files_present": list(config.kernel_runtime_files or ())},
        "exit_codes": exitcodes.table(),
        "stamp_index": stamp_index_report(config),
    }


def stamp_index_report(config: SubstrateConfig) -> dict[str, Any]:
    """Where the stamp index is, whether verify uses it, its tip, size and when it was
    built (not when it last moved: every surface must read the same answer)."""
    from dos import structs
    from dos.truth.ship_evidence_indexed import index_enabled, index_path
    from dos.truth.stamp_index_file import index_state

    return structs.asdict(index_state(index_path(config), index_enabled(config)))


def _git_problems(git: dict[str, Any]) -> list[Problem]:
    if not git["available"]:
        return [problem("git", git["detail"], "install git; verify, commit-audit and "
                        "liveness answer from it")]
    if git["broken"]:
        return [problem("git", f"the repository cannot be read: {git['detail']}",
                        "repair it (`git fsck`), or re-clone it")]
    if git["shallow"]:
        return [problem("git", "this is a shallow clone: a phase shipped before its "
                        "boundary cannot be verified (verify answers exit 2)",
                        "fetch the whole history with `git fetch --unshallow`")]
    return []


def _serve_problems(serve: dict[str, Any]) -> list[Problem]:
    if not serve["configured"]:
        return []
    if serve["problem"]:
        return [problem("serve", serve["problem"], "point [serve] token_file at a file "
                        "holding the token, or listen on 127.0.0.1")]
    if not serve["web_extra"]:
        return [problem("serve", "[serve] is configured but the [web] extra is not "
                        "installed", "pip install 'dispatch-os[web]'")]
    return []


def _lint_problems(findings: list[Any], *, strict: bool) -> list[Problem]:
    failing = {"error", "warn"} if strict else {"error"}
    return [problem("lint", f"{f.kind} '{f.subject}': {f.detail}", f.fix)
            for f in findings if f.severity in failing]


def diagnose(config: SubstrateConfig, *, check: bool = False) -> Diagnosis:
    """Gather, then check the store, git, the policy lint and the hook wiring. ``check``
    makes lint warnings problems too (``dos doctor --check``)."""
    from dos.lint import lint

    report = gather(config)
    report["hooks"], hook_problems = hook_state(config.root)
    findings = list(lint(config))
    report["findings"] = [vars(finding) for finding in findings]
    problems = [*store_problems(config, report["store"]), *_git_problems(report["git"]),
                *_lint_problems(findings, strict=check), *hook_problems,
                *_serve_problems(report["serve"])]
    return Diagnosis(report=report, findings=findings, problems=problems)


def doctor_json(diagnosis: Diagnosis) -> DoctorJSON:
    """The JSON answer for ``diagnosis``."""
    payload = {**diagnosis.report, "problems": diagnosis.problems,
               "verdict": diagnosis.verdict.value}
    return with_schema(payload, "doctor")  # type: ignore[no-any-return]
