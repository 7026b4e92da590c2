"""Loop gates that keep or label work: test-witness, improve, reward; and guard's launch
plan. Facts come from runs dos makes itself (``--run``, ``--suite-run`` …: the rung is
ENVIRONMENT_WITNESSED) or from the caller's flags (CALLER_CLAIMED); every verdict says
which. Pre-effect classifiers live in :mod:`dos.api.gates_classify`."""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.gates.guard_plan import GuardOptions, GuardPlan, plan
from dos.gates.improve import ImproveEvidence, ImprovePolicy, ImproveVerdict
from dos.gates.reward import RewardEvidence, RewardPolicy, RewardVerdict
from dos.gates.runner import RunResult, parse_argv, run_command
from dos.gates.witness import (
    Outcome,
    WitnessEvidence,
    WitnessPolicy,
    WitnessVerdict,
    parse_outcome,
)
from dos.render import with_schema
from dos.verdicts.gates import Rung

__all__ = ["WitnessAnswer", "guard_plan", "guard_prepare", "improve", "improve_json", "reward",
           "reward_json", "witness", "witness_json"]


@dataclass(frozen=True)
class WitnessAnswer:
    verdict: WitnessVerdict
    runs: tuple[dict[str, Any], ...] = ()


def witness(config: SubstrateConfig, *, baseline: str | None, candidate: str | None,
                 run: str | None = None, forgeable: bool = False, repeat: int = 1,
                 timeout_s: float = 300.0, allow_structural: bool = False,
                 require_witnessed: bool = False) -> WitnessAnswer:
    """DISCRIMINATES when the test is red on the baseline and green on the candidate."""
    policy = WitnessPolicy(allow_structural=allow_structural,
                           require_witnessed=require_witnessed)
    if run is None:
        rung = Rung.AGENT_AUTHORED if forgeable else Rung.CALLER_CLAIMED
        evidence = WitnessEvidence(parse_outcome(baseline or "not-run", "--baseline"),
                                   parse_outcome(candidate or "not-run", "--candidate"), rung)
        return WitnessAnswer(_classify(evidence, policy))
    if forgeable:
        raise UsageError("--forgeable with --run: dos runs the test itself, so nothing is "
                         "agent-authored", hint="drop --forgeable")
    argv = parse_argv(run, "--run")
    sides = {"baseline": baseline, "candidate": candidate}
    outcomes: dict[str, Outcome] = {}
    runs: list[dict[str, Any]] = []
    flaky: list[str] = []
    for side, ref in sides.items():
        results, sha = _run_at(config.root, ref or "", f"--{side}", argv=argv, repeat=repeat,
                              timeout_s=timeout_s)
        outcomes[side] = results[0].outcome
        if len({result.outcome for result in results}) > 1:
            flaky.append(side)
        runs += [{"side": side, "ref": ref, "sha": sha, **r.to_dict()} for r in results]
    evidence = WitnessEvidence(outcomes["baseline"], outcomes["candidate"],
                               Rung.ENVIRONMENT_WITNESSED, tuple(flaky))
    return WitnessAnswer(_classify(evidence, policy), tuple(runs))


def _classify(evidence: WitnessEvidence, policy: WitnessPolicy) -> WitnessVerdict:
    from dos.gates.witness import classify

    return classify(evidence, policy)


def _run_at(root: Path, ref: str, flag: str, *, argv: list[str], repeat: int,
            timeout_s: float) -> tuple[list[RunResult], str]:
    from dos.git.scratch import detached_worktree, resolve_commit, toplevel

    if not ref:
        raise UsageError(f"--run needs {flag} REF", hint="pass --baseline REF and "
                         "--candidate REF: the commits before and after the change")
    sha = resolve_commit(root, ref, flag)
    below = root.resolve().relative_to(toplevel(root).resolve())
    with detached_worktree(root, sha) as tree:
        return [run_command(argv, tree / below, timeout_s) for _ in range(repeat)], sha


def witness_json(answer: WitnessAnswer) -> dict[str, Any]:
    payload = answer.verdict.to_dict()
    payload["evidence"]["runs"] = list(answer.runs)
    return dict(with_schema(payload, "test-witness"))


def _measured(config: SubstrateConfig, command: str | None, flag: str,
              timeout_s: float) -> RunResult | None:
    if command is None:
        return None
    return run_command(parse_argv(command, flag), config.root, timeout_s)


def _exclusive(given: object, command: str | None, flag: str, run_flag: str) -> None:
    if given and command is not None:
        raise UsageError(f"{flag} and {run_flag} both say the same fact",
                         hint=f"keep {run_flag} (dos measures it) or {flag} (you claim it)")


def improve(config: SubstrateConfig, *, suite_passed: bool, truth_clean: bool, work: int,
            baseline_work: int, tokens: int, consecutive_reverts: int,
            max_reverts: int | None = None, efficiency_floor: float | None = None,
            min_tokens: int | None = None, require_witnessed: bool | None = None,
            narrated: str = "", suite_run: str | None = None, truth_run: str | None = None,
            work_run: str | None = None, timeout_s: float = 600.0) -> ImproveVerdict:
    """KEEP, REVERT or ESCALATE one candidate; ``*_run`` commands measure the facts."""
    from dos.gates.improve import classify

    table = config.table("improve")
    _exclusive(suite_passed, suite_run, "--suite-passed", "--suite-run")
    _exclusive(truth_clean, truth_run, "--truth-clean", "--truth-run")
    _exclusive(work, work_run, "--work", "--work-run")
    rungs = {"suite": Rung.CALLER_CLAIMED, "truth": Rung.CALLER_CLAIMED,
             "work": Rung.CALLER_CLAIMED, "tokens": Rung.CALLER_CLAIMED}
    if (suite := _measured(config, suite_run, "--suite-run", timeout_s)) is not None:
        suite_passed, rungs["suite"] = suite.outcome is Outcome.PASSED, Rung.ENVIRONMENT_WITNESSED
    if (truth := _measured(config, truth_run, "--truth-run", timeout_s)) is not None:
        truth_clean, rungs["truth"] = truth.outcome is Outcome.PASSED, Rung.ENVIRONMENT_WITNESSED
    if (metric := _measured(config, work_run, "--work-run", timeout_s)) is not None:
        work, rungs["work"] = _count_from(metric), Rung.ENVIRONMENT_WITNESSED
    policy = ImprovePolicy(
        max_reverts=table["max_reverts"] if max_reverts is None else max_reverts,
        efficiency_floor=table["efficiency_floor"] if efficiency_floor is None
        else efficiency_floor,
        min_tokens=table["min_tokens"] if min_tokens is None else min_tokens,
        require_witnessed=table["require_witnessed"] or bool(require_witnessed))
    evidence = ImproveEvidence(suite_passed, truth_clean, work, baseline_work, tokens,
                               consecutive_reverts, narrated, rungs)
    return classify(evidence, policy)


def _count_from(result: RunResult) -> int:
    lines = [line.strip() for line in result.output_tail.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if result.outcome is not Outcome.PASSED or not last.isdigit() or len(last) > 15:
        raise UsageError(f"--work-run did not measure the metric ({result.detail}; last line "
                         f"{last[:40]!r})", hint="the command must exit 0 and print the "
                         "metric as a whole number on its last line")
    return int(last)


def improve_json(verdict: ImproveVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "improve"))


def reward(config: SubstrateConfig, *, claim: bool, witness: str | None, forgeable: bool,
           witness_run: str | None = None, require_witnessed: bool = False,
           narrated: str = "", timeout_s: float = 600.0) -> RewardVerdict:
    """ACCEPT, REJECT_POISON, ABSTAIN or NO_CLAIM for one trajectory."""
    from dos.gates.reward import classify

    _exclusive(witness, witness_run, "--witness", "--witness-run")
    if forgeable and witness_run is not None:
        raise UsageError("--forgeable with --witness-run: dos runs the witness itself",
                         hint="drop --forgeable")
    rung = Rung.AGENT_AUTHORED if forgeable else Rung.CALLER_CLAIMED
    said = witness or "none"
    if (ran := _measured(config, witness_run, "--witness-run", timeout_s)) is not None:
        rung = Rung.ENVIRONMENT_WITNESSED
        said = {Outcome.PASSED: "confirm", Outcome.FAILED: "refute"}.get(ran.outcome, "none")
    return classify(RewardEvidence(claim, said, rung, narrated),
                    RewardPolicy(require_witnessed=require_witnessed))


def reward_json(verdict: RewardVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "reward"))


def guard_plan(config: SubstrateConfig, host: list[str], options: GuardOptions) -> GuardPlan:
    """The argv (and environment) ``dos guard`` would exec; the Stop hook runs this dos on
    this workspace, in the host's dialect. For Gemini the settings file it names is only
    computed here: :func:`guard_prepare` writes it at launch."""
    import dataclasses
    import os

    from dos.gates.guard_files import read_system_settings, settings_path
    from dos.gates.guard_hosts import GEMINI_SETTINGS_ENV
    from dos.gates.guard_plan import dialect_of
    from dos.hooks.install_hosts import canonical_command
    from dos.hooks.install_program import hook_program

    root = str(config.root)

    def stop(dialect: str) -> str:
        return canonical_command(dialect, "stop", fail_closed=False,
                                 program=hook_program()) + f" --workspace {shlex.quote(root)}"

    server = {"command": shutil.which("dos-mcp") or "dos-mcp", "args": ["--workspace", root]}
    system = None
    gemini = options.injecting and dialect_of(host, options) == "gemini" and bool(host)
    if gemini:
        system, where = read_system_settings(os.environ)
        if options.verify_on_stop and _runs_dos_stop(system):
            raise UsageError(f"the Gemini system settings {where} already run `dos hook stop`",
                             hint="drop --verify-on-stop")
    made = plan(host, options, mcp_server=server, stop_command=stop, system_settings=system)
    if not gemini or made.settings is None:
        return made
    path = settings_path(made.settings)
    return dataclasses.replace(made, settings_file=path, env={GEMINI_SETTINGS_ENV: path})


def _runs_dos_stop(settings: dict[str, Any] | None) -> bool:
    from dos.hooks.install_hosts import is_ours

    hooks = (settings or {}).get("hooks")
    groups = hooks.get("AfterAgent") if isinstance(hooks, dict) else None
    return isinstance(groups, list) and any(
        is_ours(handler.get("command")) for group in groups if isinstance(group, dict)
        for handler in group.get("hooks") or [] if isinstance(handler, dict))


def guard_prepare(made: GuardPlan) -> None:
    """Write what the launch needs on disk (Gemini's settings file), nothing else."""
    from dos.gates.guard_files import write_settings

    if made.settings_file is not None and made.settings is not None:
        write_settings(made.settings_file, made.settings)
