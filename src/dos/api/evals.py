"""The evaluation harnesses as questions: a case file and a policy in, a graded report
out. Cases stream from the file; only counters are kept. Read-only: nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.evals.cases import read_cases
from dos.evals.report import Bar
from dos.render import with_schema
from dos.structs import struct

if TYPE_CHECKING:
    from dos.gates.hook_exit import HookExitPolicy

__all__ = ["EvalAnswer", "eval_json", "intervention_eval", "overlap_eval", "precursor_gate_eval",
           "tool_stream_eval"]


@struct
class EvalAnswer:
    """One harness run: which verb, the policy it graded, the counts and the bar."""

    family: str
    cases: str
    policy: dict[str, Any]
    report: dict[str, Any]
    bar: Bar

    @property
    def exit_code(self) -> int:
        return self.bar.verdict.exit_code


def eval_json(answer: EvalAnswer) -> dict[str, Any]:
    """The ``--json`` answer: the config echo, the cases path, the report, the verdict."""
    payload = {"policy": answer.policy, "cases": answer.cases, **answer.report,
               "verdict": answer.bar.verdict.value, "bar": answer.bar.to_dict()}
    return dict(with_schema(payload, answer.family))


def overlap_eval(config: SubstrateConfig, *, cases: str | Path, policy: str | None = None,
                 min_rate: float | None = None) -> EvalAnswer:
    """Each tree pair through the live arbiter under the workspace's ``[overlap]``."""
    from dos.evals import overlap

    pair = overlap.pair_config(config, policy)
    tally = overlap.evaluate(read_cases(cases, required=overlap.KEYS, known=overlap.KNOWN),
                             pair)
    echo = {"policy": pair.overlap.policy, "ratio_max": pair.overlap.ratio_max}
    return EvalAnswer("overlap-eval", str(cases), echo, tally.to_dict(), tally.bar(min_rate))


def tool_stream_eval(config: SubstrateConfig, *, cases: str | Path,
                     repeat_n: int | None = None, stall_n: int | None = None,
                     ignore_tools: str | None = None,
                     min_rate: float | None = None) -> EvalAnswer:
    """Each stream through the live post-tool reader under ``[tool_stream]`` and the flags."""
    from dos.evals import tool_stream

    policy = tool_stream.policy_of(config.table("tool_stream"), repeat_n=repeat_n,
                                   stall_n=stall_n, ignore_tools=ignore_tools)
    tally = tool_stream.evaluate(
        read_cases(cases, required=tool_stream.KEYS, known=tool_stream.KNOWN), policy)
    return EvalAnswer("tool-stream-eval", str(cases), policy.to_dict(), tally.to_dict(),
                      tally.bar(min_rate))


def precursor_gate_eval(config: SubstrateConfig, *, cases: str | Path,
                        min_rate: float | None = None) -> EvalAnswer:
    """Each replayed call through the live precursor classifier under ``[precursor]``."""
    from dos.evals import precursor
    from dos.gates.precursor import policy_of

    policy = policy_of(config.table("precursor"))
    if not policy.requires:
        # with nothing gated every case is NOT_GATED: a report would grade nothing
        raise UsageError("dos.toml declares no [precursor.requires]: there is no grammar "
                         "to grade", hint='add [precursor.requires] update_ticket = '
                         '["get_ticket"] to dos.toml')
    tally = precursor.evaluate(
        read_cases(cases, required=precursor.KEYS, known=precursor.KNOWN), policy)
    return EvalAnswer("precursor-gate-eval", str(cases), policy.to_dict(), tally.to_dict(),
                      tally.bar(min_rate))


def intervention_eval(config: SubstrateConfig, *, cases: str | Path,
                      entries: Sequence[str] = (), costs: Sequence[str] = (),
                      high: str | None = None, low: str | None = None,
                      ceiling: str | None = None,
                      min_rate: float | None = None) -> EvalAnswer:
    """A string verdict through the hook-exit map (``[hook_exit]`` + ``entries``); a
    ``confidence`` or a verdict object through the confidence policy (``high`` …)."""
    from dos.evals import intervention
    from dos.evals.intervention_policy import parse_costs, policy_of

    policy = _hook_exit_policy(config, entries)
    priced = parse_costs(costs)
    confidence = policy_of(high, low, ceiling,
                           declared_ladder="[intervention]" in config.unused_settings)
    tally = intervention.evaluate(
        read_cases(cases, required=intervention.KEYS, known=intervention.KNOWN), policy, priced,
        confidence)
    if tally.by_confidence == 0 and (high, low, ceiling) != (None, None, None):
        raise _unused(cases, "--high, --low and --ceiling choose for cases with a "
                      "'confidence' or a verdict object", "a string verdict (BELIEVE/"
                      "UNSUPPORTED)", "choose what UNSUPPORTED gets with --map 3=VERB")
    if tally.by_confidence == tally.n and entries:
        raise _unused(cases, "--map chooses for cases with a string verdict (BELIEVE/"
                      "UNSUPPORTED)", "a 'confidence' or a verdict object",
                      "choose with --high, --low and --ceiling")
    echo = {"map": {str(code): token.value for code, token in sorted(policy.mapping.items())},
            "fallback": policy.fallback.value,
            "costs": {token.value: cost for token, cost in priced.items()},
            **(confidence.to_dict() if tally.by_confidence else {})}
    return EvalAnswer("intervention-eval", str(cases), echo, tally.to_dict(),
                      tally.bar(min_rate))


def _hook_exit_policy(config: SubstrateConfig, entries: Sequence[str]) -> HookExitPolicy:
    from dos.gates.hook_exit import DEFAULT_MAP, HookExitPolicy, parse_entries
    from dos.verdicts.gates import HookExitToken

    table = config.table("hook_exit")
    mapping = dict(DEFAULT_MAP)
    mapping.update({code: HookExitToken[verb] for code, verb in table["map"].items()})
    mapping.update(parse_entries(entries))
    return HookExitPolicy(mapping, HookExitToken[table["fallback"]])


def _unused(cases: str | Path, flags: str, form: str, instead: str) -> UsageError:
    # a flag that changed no case would grade something other than what was asked
    return UsageError(f"{flags}, and every case in {cases} has {form}",
                      hint=f"drop those flags, or {instead}")
