"""What a judge is given, what it answers, and how one is found and called safely."""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from dos.errors import PluginError
from dos.structs import field, struct

__all__ = ["BUILTIN_JUDGES", "JUDGE_GROUP", "Claim", "Judge", "JudgeVerdict", "Stance",
           "known_judges", "open_judge", "safe_judge"]

JUDGE_GROUP = "dos.judges"
# Built-ins cannot be shadowed by an installed plugin; the shipped judges register in
# the entry-point group like anyone else's (pyproject.toml), so the loader is exercised.
BUILTIN_JUDGES = {"abstain": "dos.judges.base:AbstainJudge"}


class Stance(StrEnum):
    AGREE = "AGREE"
    DISAGREE = "DISAGREE"
    ABSTAIN = "ABSTAIN"


@struct
class Claim:
    """A claim to adjudicate: what was said, why, and the evidence lines seen."""

    claim_text: str
    stated_reason: str = ""
    evidence: tuple[str, ...] = ()
    subject: str = ""


@struct
class JudgeVerdict:
    """A judge's answer; ``cost`` is in the judge's own unit (tokens, seconds, …)."""

    stance: Stance
    why: str
    evidence: tuple[str, ...] = field(default=())
    cost: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"stance": self.stance.value, "why": self.why,
                "evidence": list(self.evidence), "cost": self.cost}


@runtime_checkable
class Judge(Protocol):
    name: str

    def judge(self, claim: Claim, config: Any) -> JudgeVerdict: ...


class AbstainJudge:
    """The judge used when none is wired: it never decides."""

    name = "abstain"

    def judge(self, claim: Claim, config: Any) -> JudgeVerdict:  # noqa: ARG002 - the seam
        return JudgeVerdict(Stance.ABSTAIN, "no adjudicator wired: a human decides")


def known_judges() -> tuple[str, ...]:
    from dos.plugins import plugin_names

    return plugin_names(JUDGE_GROUP, BUILTIN_JUDGES)


def open_judge(name: str, options: Mapping[str, Any] | None = None) -> Judge:
    """The judge ``name`` built from ``options``; unknown or misfit → PluginError (exit 2)."""
    from dos.plugins import build_plugin, load_plugin

    factory = load_plugin(JUDGE_GROUP, name, BUILTIN_JUDGES, kind="judge")
    judge = build_plugin(factory, options or {}, kind="judge", name=name)
    if not isinstance(judge, Judge):
        raise PluginError(f"judge '{name}' has no name or no judge(claim, config) method",
                          hint="a judge needs name: str and judge(claim, config) -> "
                          "JudgeVerdict")
    return judge


def safe_judge(judge: Judge, claim: Claim, config: Any = None) -> JudgeVerdict:
    """``judge.judge(claim, config)``; a raise, a wrong answer or a non-finite cost abstains."""
    try:
        verdict = judge.judge(claim, config)
    except Exception as exc:  # noqa: BLE001 - a plugin's crash is an abstention, not ours
        return JudgeVerdict(Stance.ABSTAIN, f"judge raised {type(exc).__name__}: {exc}")
    if not isinstance(verdict, JudgeVerdict) or not isinstance(verdict.stance, Stance):
        return JudgeVerdict(Stance.ABSTAIN,
                            f"judge answered a {type(verdict).__name__}, not a JudgeVerdict")
    if not isinstance(verdict.cost, (int, float)) or not math.isfinite(verdict.cost) \
            or verdict.cost < 0:
        return JudgeVerdict(Stance.ABSTAIN, f"judge reported a cost of {verdict.cost!r}")
    return verdict
