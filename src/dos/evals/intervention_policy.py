"""What each intervention costs, and which one a provenance flag of HIGH, LOW or NONE
confidence gets (the reference's ``--high``/``--low``/``--ceiling`` policy).

The rungs are OBSERVE < WARN < BLOCK < DEFER. NONE gets OBSERVE; HIGH and LOW get
their rung clamped into [WARN, ceiling]. ``[intervention.<TOKEN>]`` tables are read by
no verb of this version, so a policy can name only those four.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.gates import HookExitToken

__all__ = ["DEFAULT_COSTS", "RUNGS", "Confidence", "ConfidencePolicy", "check",
           "parse_costs", "policy_of"]

DEFAULT_COSTS: dict[HookExitToken, float] = {
    HookExitToken.PASS: 0.0, HookExitToken.OBSERVE: 0.0, HookExitToken.WARN: 0.05,
    HookExitToken.BLOCK: 0.25, HookExitToken.DEFER: 0.5}
RUNGS = (HookExitToken.OBSERVE, HookExitToken.WARN, HookExitToken.BLOCK,
         HookExitToken.DEFER)
_RANK = {token: rank for rank, token in enumerate(RUNGS)}


class Confidence(StrEnum):
    HIGH = "HIGH"
    LOW = "LOW"
    NONE = "NONE"


@struct
class ConfidencePolicy:
    """The rung for each confidence; ``typed`` keeps the names as the user wrote them."""

    on_high: HookExitToken
    on_low: HookExitToken
    ceiling: HookExitToken
    typed: tuple[str, str, str] = ("BLOCK", "WARN", "BLOCK")
    on_none: HookExitToken = HookExitToken.OBSERVE
    floor: HookExitToken = HookExitToken.WARN

    def choose(self, confidence: Confidence) -> HookExitToken:
        if confidence is Confidence.NONE:
            return self.on_none  # the floor is for flags, and NONE is no flag
        rung = self.on_high if confidence is Confidence.HIGH else self.on_low
        return RUNGS[min(max(_RANK[rung], _RANK[self.floor]), _RANK[self.ceiling])]

    def to_dict(self) -> dict[str, Any]:
        high, low, ceiling = self.typed
        return {"on_high_confidence": high, "on_low_confidence": low, "ceiling": ceiling,
                "on_none": self.on_none.value, "floor": self.floor.value}


def policy_of(high: str | None, low: str | None, ceiling: str | None, *,
              declared_ladder: bool = False) -> ConfidencePolicy:
    """``on_high = --high`` else ``--ceiling``; ``--low`` defaults to WARN and
    ``--ceiling`` to BLOCK; a name is any case, echoed as typed."""
    ceiling_text = (ceiling if ceiling is not None else "BLOCK").strip()
    typed = ((high if high is not None else ceiling_text).strip(),
             (low if low is not None else "WARN").strip(), ceiling_text)
    top = _rung(ceiling_text, "ceiling (--ceiling)", declared_ladder)
    on_high = top if high is None else _rung(typed[0], "on_high_confidence (--high)",
                                             declared_ladder)
    policy = ConfidencePolicy(on_high, _rung(typed[1], "on_low_confidence (--low)",
                                             declared_ladder), top, typed)
    check(policy)
    return policy


def _rung(text: str, what: str, declared_ladder: bool) -> HookExitToken:
    token = HookExitToken.__members__.get(text.upper())
    if token in _RANK:
        return token
    known = ", ".join(rung.value for rung in RUNGS)
    hint = f"use one of {known}, in any case"
    if declared_ladder:
        hint += ("; dos.toml's [intervention] rungs are read by no verb of this version "
                 "(`dos lint` lists them), so a policy cannot name one")
    raise UsageError(f"{what} {text[:40]!r} is not a known rung (known: {known})", hint=hint)


def check(policy: ConfidencePolicy) -> None:
    """Each pair ``lower <= upper`` on the ladder, or a usage error saying which."""
    high, low, ceiling = policy.typed
    none, floor = policy.on_none.value, policy.floor.value
    pairs = (
        (policy.floor, policy.ceiling, f"floor {floor!r}", f"ceiling {ceiling!r}",
         f"--ceiling must be {floor} or above: a HIGH or LOW flag is always at least shown"),
        (policy.floor, policy.on_low, f"floor {floor!r}", f"on_low_confidence {low!r}",
         f"--low must be {floor} or above (a case with no flag gets {none})"),
        (policy.on_none, policy.on_low, f"on_none {none!r}",
         f"on_low_confidence {low!r}", "a LOW flag must get at least what no flag gets"),
        (policy.on_low, policy.on_high, f"on_low_confidence {low!r}",
         f"on_high_confidence {high!r}",
         "a LOW-confidence flag may not get more than a HIGH one: lower --low or raise --high"),
        (policy.on_high, policy.ceiling, f"on_high_confidence {high!r}",
         f"ceiling {ceiling!r}", "raise --ceiling, or lower --high"))
    # on_low <= on_high <= ceiling, so on_low and on_none are within the ceiling too
    for lower, upper, lower_name, upper_name, hint in pairs:
        if _RANK[lower] > _RANK[upper]:
            raise UsageError(f"{lower_name} is more disruptive than {upper_name}", hint=hint)


def parse_costs(entries: Iterable[str]) -> dict[HookExitToken, float]:
    """``--cost WARN=0.1``: the defaults with each named intervention's cost replaced."""
    costs = dict(DEFAULT_COSTS)
    for entry in (part.strip() for text in entries for part in text.split(",")):
        name, _eq, value = entry.partition("=")
        token = HookExitToken.__members__.get(name.strip().upper())
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if token is None or not 0.0 <= number <= 1.0:
            raise UsageError(f"--cost entry {entry!r} must be TOKEN=COST with COST from 0 to 1",
                             hint="e.g. --cost BLOCK=0.3 (tokens: "
                             + ", ".join(HookExitToken.__members__) + ")")
        costs[token] = number
    return costs
