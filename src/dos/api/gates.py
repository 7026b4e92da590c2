"""Loop gates that keep or label work: test-witness, improve, reward. Facts come from runs
dos makes itself (``--run``, ``--suite-run`` …: the rung is ENVIRONMENT_WITNESSED) or from
the caller's flags (CALLER_CLAIMED); every verdict says which. Pre-effect classifiers live
in :mod:`dos.api.gates_classify`, guard's launch plan in :mod:`dos.api.guard`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
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
from dos.structs import struct
from dos.verdicts.gates import Rung

__all__ = ["WitnessAnswer", "improve", "improve_json", "reward", "reward_json", "witness",
           "witness_json"]


@struct
class WitnessAnswer:
    verdict: WitnessVerdict
    runs: tuple[dict[str, Any], ...] = ()


def witness(config: SubstrateConfig, *, baseline: str | None, candidate: str | None,
            run: str | None = None, forgeable: bool = False, repeat: int = 1,
            timeout_s: float = 300.0, allow_structural: bool = False,
            require_witnessed: bool = False, new_tests: Sequence[str] = ()) -> WitnessAnswer:
    """DISCRIMINATES when the test is red on the baseline and green on the candidate.
    ``new_tests`` (paths under the workspace) are taken from the candidate into the
    baseline's checkout: a test the change adds runs against the code before it."""
    policy = WitnessPolicy(allow_structural=allow_structural,
                           require_witnessed=require_witnessed)
    if run is None:
        if new_tests:
            raise UsageError("--new-test needs --run: it names files dos copies before it "
                             "runs the test", hint="add --run CMD with refs, or drop --new-test")
        rung = Rung.AGENT_AUTHORED if forgeable else Rung.CALLER_CLAIMED
        evidence = WitnessEvidence(parse_outcome(baseline or "not-run", "--baseline"),
                                   parse_outcome(candidate or "not-run", "--candidate"), rung)
        return WitnessAnswer(_classify(evidence, policy))
    if forgeable:
        raise UsageError("--forgeable with --run: dos runs the test itself, so nothing is "
                         "agent-authored", hint="drop --forgeable")
    argv = parse_argv(run, "--run")
    sides = {"baseline": baseline, "candidate": candidate}
    shas = {side: _commit(config.root, ref or "", f"--{side}") for side, ref in sides.items()}
    outcomes: dict[str, Outcome] = {}
    runs: list[dict[str, Any]] = []
    flaky: list[str] = []
    for side, ref in sides.items():
        carried = (shas["candidate"], tuple(new_tests)) if side == "baseline" else ("", ())
        results = _run_at(config.root, shas[side], argv=argv, repeat=repeat,
                          timeout_s=timeout_s, carried=carried)
        outcomes[side] = results[0].outcome
        if len({result.outcome for result in results}) > 1:
            flaky.append(side)
        runs += [{"side": side, "ref": ref, "sha": shas[side], **r.to_dict()} for r in results]
    evidence = WitnessEvidence(outcomes["baseline"], outcomes["candidate"],
                               Rung.ENVIRONMENT_WITNESSED, tuple(flaky))
    return WitnessAnswer(_classify(evidence, policy), tuple(runs))


def _classify(evidence: WitnessEvidence, policy: WitnessPolicy) -> WitnessVerdict:
    from dos.gates.witness import classify

    return classify(evidence, policy)


def _commit(root: Path, ref: str, flag: str) -> str:
    from dos.git.scratch import resolve_commit

    if not ref:
        raise UsageError(f"--run needs {flag} REF", hint="pass --baseline REF and "
                         "--candidate REF: the commits before and after the change")
    return resolve_commit(root, ref, flag)


def _run_at(root: Path, sha: str, *, argv: list[str], repeat: int, timeout_s: float,
            carried: tuple[str, tuple[str, ...]]) -> list[RunResult]:
    """Run at ``sha`` in a temporary clone; ``carried`` = (commit, paths) taken from that
    commit into the checkout first."""
    from dos.git.scratch import scratch_checkout, take_paths, toplevel

    below = root.resolve().relative_to(toplevel(root).resolve())
    with scratch_checkout(root, sha) as tree:
        source, paths = carried
        if paths:
            take_paths(tree / below, source, paths, "--new-test")
        return [run_command(argv, tree / below, timeout_s) for _ in range(repeat)]


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
